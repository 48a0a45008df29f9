from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import Role
from .models import Academy


# The range of the primary keys (64-bit integers).
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing an id beyond the database's integers with the
    field's French message: Django hands the ids to an ``IN`` query, which
    SQLite cannot even run (a server error instead of an error message)."""

    def clean(self, value):
        for item in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(item)
            except (TypeError, ValueError):
                continue  # not a number: Django refuses it already
            if not -MAX_ID - 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item})
        return super().clean(value)


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
