"""The national selection (*sélection nationale*): the call's scoring grid,
reviewers' assignments, conflict declarations and reviews, the pilot's
selection per entry and the publication of the results. Changes go through
``selection.services``, never through ``save()``."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Recommendation, ReviewState

# A review's default due date: three weeks before the results are published.
DEFAULT_REVIEW_LEAD = datetime.timedelta(weeks=3)


class ScoringGrid(models.Model):
    """Grille d'évaluation of a call: its weighted criteria and the date by which
    reviews are expected. Editable until the first review is submitted."""

    call = models.OneToOneField("traam.Call", on_delete=models.CASCADE, related_name="scoring_grid", verbose_name=_("appel"))
    review_due = models.DateField(
        _("date de remise des évaluations"),
        help_text=_("Date par défaut des évaluations attendues ; au-delà, une évaluation non soumise est en retard."),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["-call__opens_on"]
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")

    def __str__(self):
        return _("Grille d'évaluation — %(call)s") % {"call": self.call}

    @property
    def is_locked(self) -> bool:
        """Derived, not stored: the grid is frozen once any review of the call is submitted."""
        return Review.objects.filter(assignment__proposal__theme__entry__call_id=self.call_id, state=ReviewState.SUBMITTED).exists()


class Criterion(models.Model):
    """Critère of the grid, scored with an integer between ``scale_min`` and
    ``scale_max`` (0 to 4 by default: absent, insuffisant, partiel, satisfaisant,
    excellent) and weighted in the review's score."""

    grid = models.ForeignKey(ScoringGrid, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("grille"))
    label = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("coefficient"), default=1)
    scale_min = models.PositiveSmallIntegerField(_("note minimale"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=4)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["grid", "order", "id"]
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(scale_min__lt=models.F("scale_max")), name="criterion_scale_ordered"),
        ]

    def __str__(self):
        return self.label


class ReviewAssignment(models.Model):
    """A proposal confided to a national reviewer by the pilot."""

    proposal = models.ForeignKey(
        "candidatures.Proposal", on_delete=models.PROTECT, related_name="review_assignments", verbose_name=_("candidature"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments", verbose_name=_("évaluateur·rice"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assignée par"),
    )
    assigned_at = models.DateTimeField(_("assignée le"), default=timezone.now)
    due_on = models.DateField(_("à rendre le"), null=True, blank=True, help_text=_("Vide : la date de la grille d'évaluation."))

    class Meta:
        ordering = ["proposal", "reviewer"]
        verbose_name = _("évaluation assignée")
        verbose_name_plural = _("évaluations assignées")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="review_assignment_unique")]

    def __str__(self):
        return f"{self.proposal} — {self.reviewer}"


class ConflictDeclaration(models.Model):
    """Déclaration de conflit d'intérêts: the reviewer will never be given this proposal again."""

    proposal = models.ForeignKey("candidatures.Proposal", on_delete=models.PROTECT, related_name="conflicts", verbose_name=_("candidature"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declared_conflicts", verbose_name=_("évaluateur·rice"),
    )
    reason = models.TextField(_("motif"))
    declared_at = models.DateTimeField(_("déclaré le"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflit d'intérêts déclaré")
        verbose_name_plural = _("conflits d'intérêts déclarés")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="conflict_unique")]

    def __str__(self):
        return f"{self.reviewer} — {self.proposal}"


class Review(models.Model):
    """Évaluation: one reviewer's scores on the grid, comment and recommendation
    for one proposal; a draft until submitted, then immutable."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.PROTECT, related_name="review", verbose_name=_("évaluation assignée"))
    state = models.CharField(_("état"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True)
    comment = models.TextField(_("commentaire"), blank=True)
    recommendation = models.CharField(_("recommandation"), max_length=20, choices=Recommendation.choices, blank=True)
    created_at = models.DateTimeField(_("commencée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")

    def __str__(self):
        return _("Évaluation de %(reviewer)s — %(proposal)s") % {"reviewer": self.assignment.reviewer, "proposal": self.assignment.proposal}

    @property
    def is_submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED


class Score(models.Model):
    """Note of a review on one criterion."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("évaluation"))
    # PROTECT: a criterion with scores of a submitted review can never vanish.
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("critère"))
    value = models.PositiveSmallIntegerField(_("note"))

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_per_criterion")]

    def __str__(self):
        return f"{self.criterion} : {self.value}"


class Selection(models.Model):
    """A proposal the pilot selected in its entry. The entry is denormalised so
    that the seats are counted (and the entry row locked) without joins."""

    proposal = models.OneToOneField("candidatures.Proposal", on_delete=models.PROTECT, related_name="selection", verbose_name=_("candidature"))
    entry = models.ForeignKey("traam.Entry", on_delete=models.PROTECT, related_name="selections", verbose_name=_("discipline ou enseignement"))
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sélectionnée par"),
    )
    selected_at = models.DateTimeField(_("sélectionnée le"), default=timezone.now)

    class Meta:
        ordering = ["entry", "selected_at"]
        verbose_name = _("candidature sélectionnée")
        verbose_name_plural = _("candidatures sélectionnées")

    def __str__(self):
        return str(self.proposal)


class EmptySeatReason(models.Model):
    """Why an entry leaves seats empty (e.g. « trois candidatures seulement ont été
    transmises »): without it, or a full entry, the results cannot be published."""

    entry = models.OneToOneField("traam.Entry", on_delete=models.CASCADE, related_name="empty_seat_reason", verbose_name=_("discipline ou enseignement"))
    reason = models.TextField(_("motif"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("rédigé par"),
    )
    written_at = models.DateTimeField(_("rédigé le"), default=timezone.now)

    class Meta:
        ordering = ["entry"]
        verbose_name = _("motif de places vacantes")
        verbose_name_plural = _("motifs de places vacantes")

    def __str__(self):
        return f"{self.entry} : {self.reason}"


class Publication(models.Model):
    """Publication des résultats of a call: one row per call, inserted once (the
    unique call makes a second publication impossible), never removed."""

    call = models.OneToOneField("traam.Call", on_delete=models.PROTECT, related_name="publication", verbose_name=_("appel"))
    published_at = models.DateTimeField(_("publiés le"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("publiés par"),
    )
    selected_count = models.PositiveIntegerField(_("candidatures sélectionnées"), default=0)
    not_selected_count = models.PositiveIntegerField(_("candidatures non sélectionnées"), default=0)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication des résultats")
        verbose_name_plural = _("publications des résultats")

    def __str__(self):
        return _("Résultats de la sélection nationale — %(call)s") % {"call": self.call}
