from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProposalState(models.TextChoices):
    """Where a proposal (*candidature*) stands, from the team's draft to the
    national selection."""

    DRAFT = "draft", pgettext_lazy("proposal state", "brouillon")
    SUBMITTED = "submitted", pgettext_lazy("proposal state", "déposée")
    RETURNED = "returned", pgettext_lazy("proposal state", "à compléter")
    RETAINED = "retained", pgettext_lazy("proposal state", "retenue par l'académie")
    NOT_RETAINED = "not_retained", pgettext_lazy("proposal state", "non retenue par l'académie")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal state", "retirée")
    SENT = "sent", pgettext_lazy("proposal state", "transmise à la DNE")
    SELECTED = "selected", pgettext_lazy("proposal state", "sélectionnée")
    NOT_SELECTED = "not_selected", pgettext_lazy("proposal state", "non sélectionnée")

    # The team may change the content.
    editable_by_team = nonmember(("draft", "returned"))
    # The academy's inspector has to give an opinion and decide.
    awaiting_academy = nonmember(("submitted",))
    # The lead may still withdraw: the academy has not decided yet.
    withdrawable = nonmember(("draft", "submitted", "returned"))
    # The inspector may (re)give the academic opinion until the synthesis is sent.
    open_to_opinion = nonmember(("submitted", "retained", "not_retained"))
    # Decided by the academy, not yet sent.
    decided_by_academy = nonmember(("retained", "not_retained"))
    # In the DNE's hands.
    with_dne = nonmember(("sent", "selected", "not_selected"))
    # Nothing more will happen.
    closed = nonmember(("withdrawn", "not_retained", "selected", "not_selected"))


class AcademicOpinion(models.TextChoices):
    """Avis académique given by the inspector."""

    FAVOURABLE = "favourable", pgettext_lazy("academic opinion", "favorable")
    RESERVED = "reserved", pgettext_lazy("academic opinion", "réservé")
    UNFAVOURABLE = "unfavourable", pgettext_lazy("academic opinion", "défavorable")


class AIUsage(models.TextChoices):
    """Planned use of artificial intelligence."""

    NONE = "none", pgettext_lazy("AI usage", "aucun")
    TEACHER_PRACTICE = "teacher_practice", pgettext_lazy("AI usage", "pratique de l'enseignant")
    STUDENT_LEARNING = "student_learning", pgettext_lazy("AI usage", "apprentissages des élèves")


class TeamRole(models.TextChoices):
    """A member's part in the proposal's team."""

    TEACHER = "teacher", _("enseignant·e")
    REFERENT = "referent", _("enseignant·e référent·e")
    CARDIE = "cardie", _("représentant·e CARDIE")
    INSPECTOR = "inspector", _("inspecteur·rice pilote")

    # Members who run sequences in class (the referent is a teacher too).
    runs_sequences = nonmember(("teacher", "referent"))
