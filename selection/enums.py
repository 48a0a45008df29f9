from enum import nonmember

from django.db import models
from django.utils.translation import pgettext_lazy


class ReviewState(models.TextChoices):
    """Where a reviewer's evaluation stands: saved as a draft, then submitted
    (and from then on immutable)."""

    DRAFT = "draft", pgettext_lazy("review state", "brouillon")
    SUBMITTED = "submitted", pgettext_lazy("review state", "soumise")


class Recommendation(models.TextChoices):
    """The reviewer's recommendation (*avis de l'évaluateur·rice*) beside the scores."""

    PRIORITY = "priority", pgettext_lazy("recommendation", "à sélectionner en priorité")
    SELECT = "select", pgettext_lazy("recommendation", "à sélectionner")
    RESERVED = "reserved", pgettext_lazy("recommendation", "réservé")
    REJECT = "reject", pgettext_lazy("recommendation", "à ne pas sélectionner")

    # Must be explained in the comment, as the academic opinion must.
    needs_comment = nonmember(("reserved", "reject"))
