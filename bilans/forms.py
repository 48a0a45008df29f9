"""The bilans' forms: which bilan of a call the pilot asks for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import BilanKind


class RequestBilanForm(forms.Form):
    """« Générer »: an entry's code, or « ia » for the focus on AI."""

    bilan = forms.ChoiceField(label=_("Bilan"), error_messages={"invalid_choice": _("Ce bilan n'existe pas pour cet appel.")})

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = {entry.code: entry for entry in call.entries.all()}
        self.fields["bilan"].choices = [(code, entry.name) for code, entry in self.entries.items()] + [
            (BilanKind.FOCUS_AI_CODE, BilanKind.FOCUS_AI.label)
        ]

    def target(self):
        """(entry or None, kind) of the chosen bilan."""
        code = self.cleaned_data["bilan"]
        if code == BilanKind.FOCUS_AI_CODE:
            return None, BilanKind.FOCUS_AI
        return self.entries[code], BilanKind.ENTRY
