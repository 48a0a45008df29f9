"""Forms of the national pilot's pages. They only collect what the pilot typed:
the rules (scales, weights, seats, conflicts, publication) live in
``selection.services``, whose French messages are put back beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from candidatures.forms import DateInput

from .models import Criterion


class CriterionForm(forms.Form):
    """A criterion of the scoring grid, as ``services.update_criterion`` takes
    it. Every field is text and optional: the services check the label, the
    integers and their bounds, and their French messages go beside the fields."""

    label = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    weight = forms.CharField(label=_("Coefficient"), widget=forms.NumberInput, required=False)
    scale_min = forms.CharField(label=_("Note minimale"), widget=forms.NumberInput, required=False)
    scale_max = forms.CharField(label=_("Note maximale"), widget=forms.NumberInput, required=False)
    order = forms.CharField(label=_("Ordre"), widget=forms.NumberInput, required=False)

    @classmethod
    def for_criterion(cls, criterion: Criterion, data=None):
        initial = {name: getattr(criterion, name) for name in cls.base_fields}
        return cls(data, initial=initial, prefix=f"criterion-{criterion.pk}")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}

    def add_service_errors(self, error):
        """The services' errors beside their fields, the others on top."""
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class NewCriterionForm(CriterionForm):
    """A criterion added at the end of the grid (``services.add_criterion``)."""

    order = None

    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("initial", {"weight": 1, "scale_min": 0, "scale_max": 4})
        super().__init__(data, prefix="new", **kwargs)


class ReviewDueForm(forms.Form):
    review_due = forms.DateField(
        label=_("Date de remise des évaluations"), widget=DateInput(),
        help_text=_("Au-delà, une évaluation non soumise est signalée en retard."),
        error_messages={"required": _("Indiquez la date de remise des évaluations."), "invalid": _("Indiquez une date valide.")},
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class AssignEntryForm(forms.Form):
    """Assigner toutes les candidatures de l'entrée à un·e évaluateur·rice (``services.assign_entry``)."""

    reviewer = ReviewerChoiceField(
        label=_("Assigner toutes les candidatures à"), queryset=None, empty_label=_("Choisir un·e évaluateur·rice"),
        error_messages={"required": _("Choisissez un·e évaluateur·rice."), "invalid_choice": _("Choisissez un·e évaluateur·rice dans la liste.")},
    )
    due_on = forms.DateField(
        label=_("À rendre le (facultatif)"), widget=DateInput(), required=False,
        help_text=_("Vide : la date de remise de la grille d'évaluation."),
        error_messages={"invalid": _("Indiquez une date valide.")},
    )

    def __init__(self, data=None, *, reviewers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class AssignProposalForm(forms.Form):
    """Assigner une candidature à un·e évaluateur·rice (``services.assign_reviewer``)."""

    reviewer = ReviewerChoiceField(
        label=_("Ajouter un·e évaluateur·rice"), queryset=None, empty_label=_("Choisir"),
        error_messages={"required": _("Choisissez un·e évaluateur·rice."), "invalid_choice": _("Choisissez un·e évaluateur·rice dans la liste.")},
    )

    def __init__(self, data=None, *, reviewers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class EmptySeatReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif des places vacantes"), widget=forms.Textarea, required=False,
        help_text=_("Par exemple : « Trois candidatures seulement ont été transmises. » Laissez vide pour retirer le motif."),
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme la publication définitive des résultats : chaque candidature devient sélectionnée ou non sélectionnée, "
            "les académies et les équipes sont prévenues, et la sélection ne pourra plus être modifiée."
        ),
        error_messages={"required": _("Cochez la case de confirmation pour publier les résultats.")},
    )
