"""Forms of the follow-up pages (progress, calendar, hours). They only collect
what was typed: the rules (dates within the production, counts, hours, the
cap) live in ``productions.services``, whose French messages are put back
beside the fields."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from candidatures.forms import DateInput

from .enums import MilestoneKind, ScenarioState

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class ServiceErrorsMixin:
    def add_service_errors(self, error):
        """A service's refusal: beside the fields it names, the rest on top."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


# --- Progress -------------------------------------------------------------------------------


class ProgressFilterForm(forms.Form):
    """Filtres du tableau de bord (GET): discipline, academy, groups behind,
    the groups one pilots. Unknown values are ignored, not refused."""

    entry = forms.ChoiceField(label=_("Discipline ou enseignement"), required=False)
    academy = forms.ChoiceField(label=_("Académie"), required=False)
    behind = forms.BooleanField(label=_("Seulement les groupes en retard sur un jalon"), required=False)
    piloted = forms.BooleanField(label=_("Seulement les groupes que je pilote"), required=False)

    def __init__(self, data=None, *, entries=(), academies=(), pilots_groups=False):
        super().__init__(data)
        self.fields["entry"].choices = [("", _("Toutes"))] + [(entry.code, entry.name) for entry in entries]
        self.fields["academy"].choices = [("", _("Toutes"))] + [(academy.code, academy.name) for academy in academies]
        if not pilots_groups:
            del self.fields["piloted"]

    def values(self) -> dict:
        """The valid filters (an unknown choice is dropped)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


# --- Calendar -------------------------------------------------------------------------------


def _expected_states():
    return [(value, label) for value, label in ScenarioState.choices if value != ScenarioState.RETURNED]


class MilestoneForm(ServiceErrorsMixin, forms.Form):
    """A milestone of the call's calendar, as ``services.update_milestone``
    takes it (the count and the state are checked there)."""

    # Optional here so that the service reports every error at once.
    label = forms.CharField(label=_("Intitulé"), required=False)
    kind = forms.ChoiceField(
        label=_("Type de jalon"), choices=MilestoneKind.choices, error_messages={"invalid_choice": _("Choix inconnu.")},
    )
    due_on = forms.DateField(
        label=_("Échéance"), widget=DateInput(),
        error_messages={"required": _("Indiquez l'échéance du jalon."), "invalid": _("Indiquez une date valide.")},
    )
    expected_scenarios = forms.CharField(
        label=_("Séquences attendues par groupe"), widget=forms.NumberInput, required=False,
        help_text=_("Laissez vide pour un jalon sans séquence attendue (une réunion, par exemple)."),
    )
    expected_state = forms.ChoiceField(
        label=_("Au moins à l'état"), choices=_expected_states, error_messages={"invalid_choice": _("Choix inconnu.")},
    )

    @classmethod
    def for_milestone(cls, milestone, data=None):
        initial = {
            "label": milestone.label, "kind": milestone.kind, "due_on": milestone.due_on.isoformat(),
            "expected_scenarios": milestone.expected_scenarios, "expected_state": milestone.expected_state,
        }
        return cls(data, initial=initial, prefix=f"milestone-{milestone.pk}")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class NewMilestoneForm(MilestoneForm):
    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("initial", {"kind": MilestoneKind.STEP, "expected_scenarios": 1, "expected_state": ScenarioState.TESTED})
        super().__init__(data, prefix="new", **kwargs)


# --- Hours ------------------------------------------------------------------------------------


def month_label(month: datetime.date) -> str:
    return date_format(month, "F Y")


def production_months(calls, today) -> list[datetime.date]:
    """The months of the calls' production already begun on ``today``, the latest first."""
    months = set()
    for call in calls:
        month = call.production_starts_on.replace(day=1)
        last = min(call.production_ends_on, today).replace(day=1)
        while month <= last:
            months.add(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    return sorted(months, reverse=True)


class MonthField(forms.ChoiceField):
    """A month offered in a list (``2026-11``), read as its first day. Any
    well-formed month is accepted here: whether it may be declared (within the
    production, not to come) is the service's rule, and its message."""

    default_error_messages = {"invalid_choice": _("Indiquez le mois."), "required": _("Indiquez le mois.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.fullmatch(value.strip())
        try:
            return datetime.date(int(match[1]), int(match[2]), 1)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None

    def validate(self, value):
        forms.Field.validate(self, value)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.academy}, {obj.entry.name} ({obj.call.year})"


class HoursForm(ServiceErrorsMixin, forms.Form):
    """Déclarer des heures (``services.declare_hours``): the hours are text, so
    that « 2,5 » is read as 2.5 and anything else gets the service's message."""

    group = GroupChoiceField(
        label=_("Groupe de travail"), queryset=None, empty_label=None,
        error_messages={"required": _("Choisissez le groupe."), "invalid_choice": _("Choisissez un de vos groupes dans la liste.")},
    )
    month = MonthField(label=_("Mois"))
    hours = forms.CharField(label=_("Nombre d'heures (par exemple 4 ou 2,5)"), required=False, max_length=20)
    description = forms.CharField(
        label=_("Travail effectué"), widget=forms.Textarea, required=False,
        help_text=_("En quelques mots : réunions, conception, expérimentation en classe… (500 caractères au plus)."),
    )

    def __init__(self, data=None, *, groups, months, **kwargs):
        super().__init__(data, prefix="hours", **kwargs)
        self.fields["group"].queryset = groups
        self.fields["month"].choices = [(f"{month:%Y-%m}", month_label(month)) for month in months]


class RefuseHoursForm(ServiceErrorsMixin, forms.Form):
    comment = forms.CharField(label=_("Motif du refus"), widget=forms.Textarea, required=False, help_text=_("Il est envoyé à l'enseignant·e."))

    def __init__(self, data=None, *, declaration, **kwargs):
        super().__init__(data, prefix=f"refuse-{declaration.pk}", **kwargs)


class HoursCapForm(ServiceErrorsMixin, forms.Form):
    max_hours = forms.CharField(
        label=_("Heures au plus par personne"), required=False, max_length=20,
        help_text=_("Toutes ses heures de l'appel, dans tous ses groupes. Laissez vide pour ne fixer aucun plafond."),
    )
