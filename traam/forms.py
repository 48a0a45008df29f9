from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Role
from .models import Academy


class GrantRoleForm(forms.Form):
    """A DAN/DRAN (or the pilot) gives the teacher or CARDIE role in an academy."""

    email = forms.EmailField(label=_("Adresse électronique académique"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rôle"), choices=[(r, Role(r).label) for r in Role.grantable_by_academy])
    academy = forms.ModelChoiceField(label=_("Académie"), queryset=Academy.objects.none())

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = academies
        if academies.count() == 1:
            self.fields["academy"].initial = academies.first()
