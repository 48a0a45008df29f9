"""Forms of the reviewers' side: they only collect what the reviewer typed.
Scores are taken as text and checked by ``services`` (integer, within the
criterion's scale), so that every refusal carries the service's French message."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import Recommendation

# Up to this many values a criterion is scored with radio buttons (one per
# value, all visible and reachable with the arrow keys); beyond, with a
# number input bounded by the scale.
MAX_RADIO_VALUES = 11

# What each value means on the default scale, 0 to 4 (see ``Criterion``).
DEFAULT_SCALE_LABELS = {
    0: pgettext_lazy("score", "absent"),
    1: pgettext_lazy("score", "insuffisant"),
    2: pgettext_lazy("score", "partiel"),
    3: pgettext_lazy("score", "satisfaisant"),
    4: pgettext_lazy("score", "excellent"),
}


def score_field_name(criterion) -> str:
    """The form field of a criterion: the key of the service's errors too."""
    return f"criterion_{criterion.pk}"


def scale_labels(criterion) -> dict:
    """{value: meaning} when the criterion uses the default 0 to 4 scale, else {}."""
    if (criterion.scale_min, criterion.scale_max) == (0, 4):
        return DEFAULT_SCALE_LABELS
    return {}


def uses_radios(criterion) -> bool:
    return criterion.scale_max - criterion.scale_min + 1 <= MAX_RADIO_VALUES


class ScoreInput(forms.NumberInput):
    def __init__(self, criterion):
        super().__init__(attrs={"min": criterion.scale_min, "max": criterion.scale_max, "step": 1, "inputmode": "numeric"})


def _score_field(criterion):
    if uses_radios(criterion):
        labels = scale_labels(criterion)
        choices = [
            (str(value), f"{value} — {labels[value]}" if value in labels else str(value))
            for value in range(criterion.scale_min, criterion.scale_max + 1)
        ]
        widget = forms.RadioSelect(choices=choices)
    else:
        widget = ScoreInput(criterion)
    return forms.CharField(label=criterion.label, required=False, strip=True, widget=widget)


class ReviewForm(forms.Form):
    """Une évaluation: a score per criterion of the grid, a comment, a
    recommendation, as ``services.save_review`` and ``submit_review`` take them;
    and the confirmation that submitting is final."""

    comment = forms.CharField(
        label=_("Commentaire"), widget=forms.Textarea, required=False, strip=True,
        help_text=_("Obligatoire pour une recommandation « réservé » ou « à ne pas sélectionner ». 10 000 caractères au plus."),
    )
    recommendation = forms.CharField(
        label=_("Recommandation"), required=False, widget=forms.RadioSelect(choices=Recommendation.choices),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme la soumission de mon évaluation : elle sera définitive et ne pourra plus être modifiée."),
        required=False,
    )

    def __init__(self, *args, criteria, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.submitting = submitting
        score_fields = {score_field_name(criterion): _score_field(criterion) for criterion in self.criteria}
        # The scores come first, in the grid's order.
        self.fields = {**score_fields, **self.fields}

    @classmethod
    def initial_for(cls, review) -> dict:
        """What the reviewer's draft holds (nothing before a first save)."""
        if review is None:
            return {}
        initial = {f"criterion_{score.criterion_id}": str(score.value) for score in review.scores.all()}
        initial.update(comment=review.comment, recommendation=review.recommendation)
        return initial

    def clean(self):
        data = super().clean()
        if self.submitting and not data.get("confirm"):
            self.add_error("confirm", _("Cochez la case de confirmation pour soumettre votre évaluation."))
        return data

    def scores(self) -> dict:
        """{criterion id: raw value}; an empty value clears the criterion's score."""
        return {criterion.pk: self.cleaned_data.get(score_field_name(criterion), "") for criterion in self.criteria}

    def criterion_fields(self):
        """(criterion, bound field, radios?) for each criterion, in the grid's order."""
        return [(criterion, self[score_field_name(criterion)], uses_radios(criterion)) for criterion in self.criteria]


class ConflictForm(forms.Form):
    """Déclaration de conflit d'intérêts, as ``services.declare_conflict`` takes it."""

    reason = forms.CharField(
        label=_("Nature du conflit d'intérêts"), widget=forms.Textarea, max_length=5000,
        help_text=_("Par exemple : vous avez travaillé avec un membre de l'équipe. L'équipe nationale de pilotage en est informée."),
        error_messages={"required": _("Indiquez la nature du conflit d'intérêts.")},
    )
