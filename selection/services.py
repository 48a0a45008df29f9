"""The national selection: one function per transition. Each takes the acting
user, checks the rule, locks the row that guards the change before reading
state, writes the audit entry and queues its e-mails (sent once the
transaction commits).

Locks, so that concurrent requests cannot break a rule:
- the scoring grid row: grid edits and review submissions (the grid freezes
  with the first submitted review);
- the entry row: selecting, unselecting, empty-seat reasons and publication
  (never more selections than seats; nothing selected after publication);
- the proposal row: assignments (one per reviewer; not after publication);
- the assignment row: a reviewer's saves and submission of their review.
"""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from candidatures.enums import ProposalState
from candidatures.models import DeadlineExtension, Proposal
from traam import audit, scopes
from traam.enums import AuditAction, Role
from traam.models import PARIS, Entry, RoleAssignment, User, end_of_day_paris
from traam.notifications import queue_email
from traam.rules import is_pilot

from .enums import Recommendation, ReviewState
from .models import (
    DEFAULT_REVIEW_LEAD, ConflictDeclaration, Criterion, EmptySeatReason, Publication, Review, ReviewAssignment, Score,
    ScoringGrid, Selection,
)
from .rules import covers_discipline, is_proposal_reviewer
from .signals import results_published

logger = logging.getLogger(__name__)

EMAILS = "selection/emails/"

# The default grid (label, description, weight): the call's expectations, the
# first two counting double. Scores go from 0 (absent) to 4 (excellent).
DEFAULT_CRITERIA = [
    (
        "Adéquation à la thématique",
        "Le projet répond à la thématique choisie et à la problématique qu'elle pose.",
        2,
    ),
    (
        "Qualité pédagogique",
        "Objectifs, problématique et démarche sont clairs, réalistes et centrés sur les apprentissages des élèves.",
        2,
    ),
    (
        "Compétences numériques et CRCN",
        "Les compétences du CRCN visées sont identifiées et travaillées ; les outils numériques servent les apprentissages.",
        1,
    ),
    (
        "Réutilisabilité et transfert",
        "Les scénarios produits pourront être repris par d'autres enseignant·es, dans d'autres contextes.",
        1,
    ),
    (
        "Équipe et accompagnement académique",
        "Équipe constituée, pilotage par l'inspection, appui de l'académie (DAN/DRAN, CARDIE).",
        1,
    ),
    (
        "Usage des communs numériques",
        "Le projet s'appuie sur les communs numériques éducatifs (Éléa, MathALÉA, Capytale, Vittascience, M@gistère…).",
        1,
    ),
]
DEFAULT_SCALE = (0, 4)
CRITERION_FIELDS = ("label", "description", "weight", "scale_min", "scale_max", "order")
MAX_WEIGHT = 100
MAX_SCALE = 100
MAX_COMMENT = 10_000
INTEGER = re.compile(r"[+-]?[0-9]+")


class SelectionError(ValidationError):
    """A rule of the national selection refused the change; the messages are
    French and meant for the user."""


# --- Helpers ----------------------------------------------------------------


def _check_pilot(acting_user):
    if not is_pilot(acting_user):
        raise PermissionDenied


def _day(moment) -> str:
    return date_format(moment.astimezone(PARIS), "j F Y à H:i")


def _refuse_if_published(call):
    published_at = Publication.objects.filter(call_id=call.pk).values_list("published_at", flat=True).first()
    if published_at is not None:
        raise SelectionError(
            _("Les résultats de l'appel %(year)s ont été publiés le %(day)s : la sélection est définitive.")
            % {"year": call.year, "day": _day(published_at)},
            code="published",
        )


def _state_label(proposal) -> str:
    return str(ProposalState(proposal.state).label)


def _check_under_review(proposal):
    if proposal.state != ProposalState.SENT:
        raise SelectionError(
            _("Seules les candidatures transmises à la DNE sont en cours de sélection ; « %(title)s » est « %(state)s ».")
            % {"title": proposal, "state": _state_label(proposal)},
            code="state",
        )


def _person(user) -> str:
    return user.get_full_name() or user.email


def _parse_int(value):
    """An integer from a form or an API, or None when it is not one (3, "3",
    " 3 ", 3.0 are; "3,5", 2.5, True, "trois" are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if not INTEGER.fullmatch(text):
        return None
    # Far beyond any scale (and beyond what int() reads safely): just out of range.
    return int(text) if len(text) <= 18 else (-1 if text.startswith("-") else 10**18)


def _pilot_emails() -> list[str]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.PILOT).values_list("email", flat=True).distinct())


def _lock_proposal(proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("theme__entry__call", "theme__entry__discipline", "academy").get(pk=proposal.pk)


def _lock_entry(entry_id) -> Entry:
    return Entry.objects.select_for_update(of=("self",)).select_related("call").get(pk=entry_id)


# --- The scoring grid --------------------------------------------------------


def default_review_due(call):
    """Reviews are expected three weeks before the results (never before the synthesis deadline)."""
    return max(call.results_on - DEFAULT_REVIEW_LEAD, call.synthesis_deadline)


@transaction.atomic
def ensure_grid(call, *, acting_user) -> ScoringGrid:
    """The call's scoring grid, created with the default criteria the first time."""
    _check_pilot(acting_user)
    grid, created = ScoringGrid.objects.get_or_create(call=call, defaults={"review_due": default_review_due(call)})
    if created:
        low, high = DEFAULT_SCALE
        Criterion.objects.bulk_create(
            Criterion(grid=grid, label=label, description=description, weight=weight, scale_min=low, scale_max=high, order=order)
            for order, (label, description, weight) in enumerate(DEFAULT_CRITERIA, start=1)
        )
        audit.record(grid, actor=acting_user, action=AuditAction.CREATED, criteria=[label for label, _d, _w in DEFAULT_CRITERIA])
    return grid


def _lock_grid(grid_id) -> ScoringGrid:
    return ScoringGrid.objects.select_for_update().get(pk=grid_id)


GRID_LOCKED = gettext_lazy("La grille d'évaluation ne peut plus être modifiée : une évaluation a déjà été soumise.")


def _check_grid_editable(grid):
    if grid.is_locked:
        raise SelectionError(str(GRID_LOCKED), code="grid_locked")


def criterion_errors(values: dict) -> tuple[dict, dict]:
    """Clean a criterion's fields (any subset of ``CRITERION_FIELDS``): returns
    (cleaned values, errors by field in French)."""
    cleaned, errors = {}, {}
    unknown = sorted(set(values) - set(CRITERION_FIELDS))
    if unknown:
        errors["__all__"] = [_("Champs inconnus : %(names)s.") % {"names": ", ".join(unknown)}]
    if "label" in values:
        label = str(values["label"] or "").strip()
        if not label:
            errors["label"] = [_("Indiquez l'intitulé du critère.")]
        elif len(label) > 200:
            errors["label"] = [_("L'intitulé du critère compte 200 caractères au plus.")]
        cleaned["label"] = label
    if "description" in values:
        cleaned["description"] = str(values["description"] or "").strip()
    if "weight" in values:
        weight = _parse_int(values["weight"])
        if weight is None or not 1 <= weight <= MAX_WEIGHT:
            errors["weight"] = [_("Le coefficient doit être un nombre entier de 1 à %(max)s.") % {"max": MAX_WEIGHT}]
        cleaned["weight"] = weight
    for name in ("scale_min", "scale_max"):
        if name in values:
            number = _parse_int(values[name])
            if number is None or not 0 <= number <= MAX_SCALE:
                errors[name] = [_("La note doit être un nombre entier de 0 à %(max)s.") % {"max": MAX_SCALE}]
            cleaned[name] = number
    if "order" in values:
        order = _parse_int(values["order"])
        if order is None or not 0 <= order <= 32767:
            errors["order"] = [_("L'ordre doit être un nombre entier positif.")]
        cleaned["order"] = order
    if "scale_min" in values and "scale_max" in values:
        _check_scale(cleaned["scale_min"], cleaned["scale_max"], errors)
    return cleaned, errors


def _check_scale(scale_min, scale_max, errors):
    if "scale_min" not in errors and "scale_max" not in errors and scale_min >= scale_max:
        errors["scale_max"] = [_("La note maximale doit être supérieure à la note minimale.")]


@transaction.atomic
def add_criterion(grid, *, acting_user, label, description="", weight=1, scale_min=DEFAULT_SCALE[0], scale_max=DEFAULT_SCALE[1]) -> Criterion:
    """Add a criterion at the end of the grid, until the first review is submitted."""
    _check_pilot(acting_user)
    grid = _lock_grid(grid.pk)
    _check_grid_editable(grid)
    values, errors = criterion_errors(
        {"label": label, "description": description, "weight": weight, "scale_min": scale_min, "scale_max": scale_max}
    )
    if errors:
        raise SelectionError(errors)
    order = (grid.criteria.aggregate(last=Max("order"))["last"] or 0) + 1
    criterion = Criterion.objects.create(grid=grid, order=order, **values)
    audit.record(grid, actor=acting_user, action=AuditAction.UPDATED, comment=_("Critère ajouté : %(label)s") % {"label": criterion.label},
                 criterion=criterion.pk)
    return criterion


@transaction.atomic
def update_criterion(criterion, *, acting_user, **changes) -> Criterion:
    """Change a criterion's label, description, weight, scale or order, until
    the first review is submitted. Draft scores left outside a new scale will
    be refused when their review is submitted."""
    _check_pilot(acting_user)
    grid = _lock_grid(criterion.grid_id)
    _check_grid_editable(grid)
    criterion = Criterion.objects.get(pk=criterion.pk)
    values, errors = criterion_errors(changes)
    _check_scale(values.get("scale_min", criterion.scale_min), values.get("scale_max", criterion.scale_max), errors)
    if errors:
        raise SelectionError(errors)
    changed = sorted(name for name, value in values.items() if getattr(criterion, name) != value)
    for name in changed:
        setattr(criterion, name, values[name])
    if changed:
        criterion.save(update_fields=changed)
        audit.record(grid, actor=acting_user, action=AuditAction.UPDATED,
                     comment=_("Critère modifié : %(label)s") % {"label": criterion.label}, criterion=criterion.pk, fields=changed)
    return criterion


@transaction.atomic
def remove_criterion(criterion, *, acting_user) -> None:
    """Remove a criterion (and the draft scores given on it), until the first
    review is submitted; the grid keeps at least one criterion."""
    _check_pilot(acting_user)
    grid = _lock_grid(criterion.grid_id)
    _check_grid_editable(grid)
    if grid.criteria.count() <= 1:
        raise SelectionError(_("La grille d'évaluation doit garder au moins un critère."), code="last_criterion")
    label, pk = criterion.label, criterion.pk
    Score.objects.filter(criterion_id=pk).delete()  # drafts only: the grid is not locked
    Criterion.objects.filter(pk=pk).delete()
    audit.record(grid, actor=acting_user, action=AuditAction.UPDATED, comment=_("Critère retiré : %(label)s") % {"label": label}, criterion=pk)


@transaction.atomic
def set_review_due(grid, due_on, *, acting_user) -> ScoringGrid:
    """Change the date by which reviews are expected (assignments without their
    own date follow it)."""
    _check_pilot(acting_user)
    grid = _lock_grid(grid.pk)
    _refuse_if_published(grid.call)
    if not hasattr(due_on, "isoformat"):
        raise SelectionError({"review_due": [_("Indiquez une date valide.")]})
    previous = grid.review_due
    grid.review_due = due_on
    grid.save(update_fields=["review_due", "updated_at"])
    audit.record(grid, actor=acting_user, action=AuditAction.UPDATED,
                 comment=_("Évaluations attendues le %(day)s") % {"day": date_format(due_on, "j F Y")},
                 review_due=due_on.isoformat(), previous=previous.isoformat())
    return grid


# --- Assignments -------------------------------------------------------------


@dataclass
class AssignmentReport:
    """What ``assign_entry`` did: the new assignments and, for each proposal
    left aside, the French reason."""

    assigned: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (proposal, reason)

    @property
    def assigned_count(self) -> int:
        return len(self.assigned)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)


def _assignment_refusal(proposal, reviewer, *, home, declared, assigned):
    """Why ``reviewer`` may not be given ``proposal`` (code, French message), or None."""
    name = _person(reviewer)
    if proposal.state != ProposalState.SENT:
        return "state", _("« %(title)s » n'est pas en cours de sélection : elle est « %(state)s ».") % {
            "title": proposal, "state": _state_label(proposal),
        }
    if proposal.academy_id in home:
        return "own_academy", _("%(name)s appartient à l'académie de %(academy)s : conflit d'intérêts pour « %(title)s ».") % {
            "name": name, "academy": proposal.academy, "title": proposal,
        }
    if proposal.pk in declared:
        return "declared_conflict", _("%(name)s a déclaré un conflit d'intérêts sur « %(title)s ».") % {"name": name, "title": proposal}
    if proposal.pk in assigned:
        return "already_assigned", _("« %(title)s » est déjà confiée à %(name)s.") % {"title": proposal, "name": name}
    return None


def _check_reviewer(reviewer, entry):
    if not (reviewer.is_active and covers_discipline(reviewer, entry.discipline_id)):
        raise SelectionError(
            _("%(name)s n'est pas évaluateur·rice national·e pour « %(entry)s ».") % {"name": _person(reviewer), "entry": entry},
            code="not_reviewer",
        )


def _check_due_on(due_on):
    if due_on is not None and not hasattr(due_on, "isoformat"):
        raise SelectionError({"due_on": [_("Indiquez une date valide.")]})


def _notify_assigned(reviewer, assignments, call, grid):
    queue_email(
        [reviewer.email], EMAILS + "review_assigned",
        {"reviewer": reviewer, "call": call, "assignments": assignments, "review_due": grid.review_due},
    )


@transaction.atomic
def assign_reviewer(proposal, reviewer, *, acting_user, due_on=None, now=None) -> ReviewAssignment:
    """Confier une candidature: the pilot gives one proposal under review to a
    reviewer of its discipline, never from their own academy nor after they
    declared a conflict on it."""
    _check_pilot(acting_user)
    _check_due_on(due_on)
    proposal = _lock_proposal(proposal)
    entry = proposal.theme.entry
    _refuse_if_published(entry.call)
    _check_reviewer(reviewer, entry)
    refusal = _assignment_refusal(
        proposal, reviewer,
        home=scopes.home_academy_ids(reviewer),
        declared=set(ConflictDeclaration.objects.filter(proposal=proposal, reviewer=reviewer).values_list("proposal_id", flat=True)),
        assigned=set(ReviewAssignment.objects.filter(proposal=proposal, reviewer=reviewer).values_list("proposal_id", flat=True)),
    )
    if refusal:
        code, message = refusal
        raise SelectionError(message, code=code)
    grid = ensure_grid(entry.call, acting_user=acting_user)
    assignment = ReviewAssignment.objects.create(
        proposal=proposal, reviewer=reviewer, assigned_by=acting_user, assigned_at=now or timezone.now(), due_on=due_on,
    )
    audit.record(assignment, actor=acting_user, action=AuditAction.CREATED, proposal=proposal.pk, reviewer=reviewer.pk)
    _notify_assigned(reviewer, [assignment], entry.call, grid)
    return assignment


@transaction.atomic
def assign_entry(entry, reviewer, *, acting_user, due_on=None, now=None) -> AssignmentReport:
    """Confier toute une discipline: every proposal of the entry under review
    goes to the reviewer, except those from their academies, those they declared
    a conflict on and those already theirs (listed with the reason)."""
    _check_pilot(acting_user)
    _check_due_on(due_on)
    entry = Entry.objects.select_related("call", "discipline").get(pk=entry.pk)
    _refuse_if_published(entry.call)
    _check_reviewer(reviewer, entry)
    proposals = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(theme__entry=entry, state=ProposalState.SENT)
        .select_related("academy")
        .order_by("academy__name", "pk")
    )
    home = scopes.home_academy_ids(reviewer)
    declared = set(ConflictDeclaration.objects.filter(reviewer=reviewer, proposal__theme__entry=entry).values_list("proposal_id", flat=True))
    assigned = set(ReviewAssignment.objects.filter(reviewer=reviewer, proposal__theme__entry=entry).values_list("proposal_id", flat=True))
    report = AssignmentReport()
    moment = now or timezone.now()
    for proposal in proposals:
        refusal = _assignment_refusal(proposal, reviewer, home=home, declared=declared, assigned=assigned)
        if refusal:
            report.skipped.append((proposal, refusal[1]))
        else:
            report.assigned.append(
                ReviewAssignment(proposal=proposal, reviewer=reviewer, assigned_by=acting_user, assigned_at=moment, due_on=due_on)
            )
    if report.assigned:
        grid = ensure_grid(entry.call, acting_user=acting_user)
        report.assigned = ReviewAssignment.objects.bulk_create(report.assigned)
        if not all(assignment.pk for assignment in report.assigned):  # backends that do not return ids
            report.assigned = list(
                ReviewAssignment.objects.filter(reviewer=reviewer, proposal__in=[a.proposal_id for a in report.assigned]).select_related("proposal")
            )
        for assignment in report.assigned:
            audit.record(assignment, actor=acting_user, action=AuditAction.CREATED, proposal=assignment.proposal_id, reviewer=reviewer.pk,
                         entry=entry.pk)
        _notify_assigned(reviewer, report.assigned, entry.call, grid)
    return report


@transaction.atomic
def unassign(assignment, *, acting_user) -> None:
    """Retirer une évaluation à un·e évaluateur·rice, with its draft; a submitted
    review stays."""
    _check_pilot(acting_user)
    assignment = ReviewAssignment.objects.select_for_update(of=("self",)).select_related("proposal__theme__entry__call", "reviewer").get(pk=assignment.pk)
    _refuse_if_published(assignment.proposal.theme.entry.call)
    review = Review.objects.filter(assignment=assignment).first()
    if review and review.is_submitted:
        raise SelectionError(
            _("%(name)s a déjà soumis son évaluation de « %(title)s » : elle ne peut plus lui être retirée.")
            % {"name": _person(assignment.reviewer), "title": assignment.proposal},
            code="submitted",
        )
    audit.record(assignment, actor=acting_user, action=AuditAction.STATE_CHANGED, from_state="assigned", to_state="unassigned",
                 proposal=assignment.proposal_id, reviewer=assignment.reviewer_id, draft_dropped=review is not None)
    if review:
        review.delete()
    assignment.delete()


@transaction.atomic
def declare_conflict(proposal, *, acting_user, reason, now=None) -> ConflictDeclaration:
    """Déclarer un conflit d'intérêts: the assigned reviewer gives the proposal
    back (their draft is dropped), will never be given it again, and the
    national pilots are told."""
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("proposal__theme__entry__call", "proposal__academy")
        .filter(proposal_id=proposal.pk, reviewer_id=getattr(acting_user, "pk", None))
        .first()
    )
    if assignment is None:
        raise PermissionDenied
    proposal = assignment.proposal
    _check_under_review(proposal)
    review = Review.objects.filter(assignment=assignment).first()
    if review and review.is_submitted:
        raise SelectionError(
            _("Vous avez déjà soumis votre évaluation de cette candidature : signalez le conflit d'intérêts à l'équipe nationale de pilotage."),
            code="submitted",
        )
    reason = (reason or "").strip()
    if not reason:
        raise SelectionError({"reason": [_("Indiquez la nature du conflit d'intérêts.")]})
    conflict = ConflictDeclaration.objects.create(proposal=proposal, reviewer=acting_user, reason=reason, declared_at=now or timezone.now())
    audit.record(conflict, actor=acting_user, action=AuditAction.CREATED, comment=reason, proposal=proposal.pk, draft_dropped=review is not None)
    audit.record(assignment, actor=acting_user, action=AuditAction.STATE_CHANGED, from_state="assigned", to_state="conflict",
                 proposal=proposal.pk, reviewer=acting_user.pk)
    if review:
        review.delete()
    assignment.delete()
    queue_email(
        _pilot_emails(), EMAILS + "conflict_declared",
        {"proposal": proposal, "reviewer": acting_user, "reason": reason, "call": proposal.theme.entry.call, "entry": proposal.theme.entry},
    )
    return conflict


# --- Reviews -----------------------------------------------------------------


def _locked_assignment(target, acting_user) -> ReviewAssignment:
    """The acting reviewer's assignment for ``target`` (an assignment or a
    proposal), under a row lock; PermissionDenied for anyone else."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied
    lookup = {"pk": target.pk} if isinstance(target, ReviewAssignment) else {"proposal_id": target.pk, "reviewer_id": acting_user.pk}
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("proposal__theme__entry__call", "proposal__academy")
        .filter(**lookup)
        .first()
    )
    if assignment is None or assignment.reviewer_id != acting_user.pk:
        raise PermissionDenied
    if not is_proposal_reviewer(acting_user, assignment.proposal):
        raise PermissionDenied
    _check_under_review(assignment.proposal)
    return assignment


def _refuse_if_submitted(review):
    if review.is_submitted:
        raise SelectionError(
            _("Votre évaluation a été soumise le %(day)s : elle ne peut plus être modifiée.") % {"day": _day(review.submitted_at)},
            code="submitted",
        )


def _score_key(criterion_id) -> str:
    return f"criterion_{criterion_id}"


def score_errors(criterion, raw):
    """The French error for a raw score on ``criterion`` (None when it is valid)."""
    value = _parse_int(raw)
    if value is None:
        return _("« %(criterion)s » : la note doit être un nombre entier.") % {"criterion": criterion.label}
    if not criterion.scale_min <= value <= criterion.scale_max:
        return _("« %(criterion)s » : la note doit être comprise entre %(min)s et %(max)s.") % {
            "criterion": criterion.label, "min": criterion.scale_min, "max": criterion.scale_max,
        }
    return None


def _write_review(assignment, acting_user, scores, comment, recommendation):
    """Validate and write the given parts of the reviewer's draft; returns the
    review, whether it was created and the names of what changed."""
    review, created = Review.objects.get_or_create(assignment=assignment)
    _refuse_if_submitted(review)
    grid = ScoringGrid.objects.filter(call_id=assignment.proposal.theme.entry.call_id).first()
    criteria = {criterion.pk: criterion for criterion in grid.criteria.all()} if grid else {}

    errors, values, cleared = {}, {}, set()
    for key, raw in (scores or {}).items():
        criterion_id = _parse_int(key)
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.setdefault("scores", []).append(_("Critère inconnu : %(key)s.") % {"key": key})
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            cleared.add(criterion.pk)
            continue
        message = score_errors(criterion, raw)
        if message:
            errors[_score_key(criterion.pk)] = [message]
        else:
            values[criterion.pk] = _parse_int(raw)
    if recommendation is not None:
        recommendation = str(recommendation or "").strip()
        if recommendation and recommendation not in Recommendation.values:
            errors["recommendation"] = [_("Choisissez une recommandation dans la liste.")]
    if comment is not None:
        comment = str(comment or "").strip()
        if len(comment) > MAX_COMMENT:
            errors["comment"] = [_("Le commentaire compte %(max)s caractères au plus.") % {"max": f"{MAX_COMMENT:,}".replace(",", " ")}]
    if errors:
        raise SelectionError(errors)

    changed = []
    existing = {score.criterion_id: score for score in review.scores.all()}
    removed = [existing[pk].pk for pk in cleared if pk in existing]
    if removed:
        Score.objects.filter(pk__in=removed).delete()
    updated = []
    for criterion_id, value in values.items():
        if criterion_id in existing:
            if existing[criterion_id].value != value:
                existing[criterion_id].value = value
                updated.append(existing[criterion_id])
    if updated:
        Score.objects.bulk_update(updated, ["value"])
    new = [Score(review=review, criterion_id=pk, value=value) for pk, value in values.items() if pk not in existing]
    if new:
        Score.objects.bulk_create(new)
    if removed or updated or new:
        changed.append("scores")
    fields = []
    if comment is not None and comment != review.comment:
        review.comment = comment
        fields.append("comment")
    if recommendation is not None and recommendation != review.recommendation:
        review.recommendation = recommendation
        fields.append("recommendation")
    if fields:
        review.save(update_fields=[*fields, "updated_at"])
    return review, created, changed + fields


@transaction.atomic
def save_review(target, *, acting_user, scores=None, comment=None, recommendation=None) -> Review:
    """Enregistrer le brouillon: the assigned reviewer saves scores ({criterion
    id: value}, an empty value clears it; criteria not given are left as they
    are), a comment and a recommendation. Each score must be an integer within
    its criterion's scale; errors are keyed ``criterion_<id>``, ``comment``,
    ``recommendation`` (and ``scores`` for an unknown criterion). ``target`` is
    the assignment or the proposal."""
    assignment = _locked_assignment(target, acting_user)
    review, created, changed = _write_review(assignment, acting_user, scores, comment, recommendation)
    if created or changed:
        audit.record(review, actor=acting_user, action=AuditAction.CREATED if created else AuditAction.UPDATED,
                     to_state=review.state if created else "", fields=changed)
    return review


def missing_for_review(review) -> dict:
    """What the review still lacks to be submitted, by field, in French (empty
    when complete). Scores are checked against the grid as it is now."""
    errors = {}
    scores = {score.criterion_id: score.value for score in review.scores.all()}
    grid = ScoringGrid.objects.get(call_id=review.assignment.proposal.theme.entry.call_id)
    for criterion in grid.criteria.all():
        if criterion.pk not in scores:
            errors[_score_key(criterion.pk)] = [_("« %(criterion)s » : donnez une note.") % {"criterion": criterion.label}]
        else:
            message = score_errors(criterion, scores[criterion.pk])
            if message:
                errors[_score_key(criterion.pk)] = [message]
    if not review.recommendation:
        errors["recommendation"] = [_("Choisissez une recommandation.")]
    elif review.recommendation in Recommendation.needs_comment and not review.comment.strip():
        errors["comment"] = [
            _("Une recommandation « %(recommendation)s » doit être motivée : ajoutez un commentaire.")
            % {"recommendation": Recommendation(review.recommendation).label}
        ]
    return errors


@transaction.atomic
def submit_review(target, *, acting_user, scores=None, comment=None, recommendation=None, now=None) -> Review:
    """Soumettre l'évaluation: saves what is given (as ``save_review``), then
    requires a score on every criterion and a recommendation (explained when it
    is « réservé » or « à ne pas sélectionner »). A submitted review is final and
    freezes the grid."""
    assignment = _locked_assignment(target, acting_user)
    review, _created, _changed = _write_review(assignment, acting_user, scores, comment, recommendation)
    # The grid is read under its lock: a criterion edited concurrently is either
    # seen here or refused to the pilot.
    grid = ScoringGrid.objects.filter(call_id=assignment.proposal.theme.entry.call_id).first()
    if grid is None:
        raise SelectionError(_("La grille d'évaluation de cet appel n'est pas encore définie."), code="no_grid")
    _lock_grid(grid.pk)
    missing = missing_for_review(review)
    if missing:
        raise SelectionError(missing, code="incomplete")
    review.state = ReviewState.SUBMITTED
    review.submitted_at = now or timezone.now()
    review.save(update_fields=["state", "submitted_at", "updated_at"])
    audit.record(review, actor=acting_user, action=AuditAction.STATE_CHANGED, from_state=ReviewState.DRAFT, to_state=ReviewState.SUBMITTED,
                 proposal=assignment.proposal_id)
    return review


# --- Reminders ----------------------------------------------------------------


def _pending_assignments(call, reviewer=None):
    pending = (
        ReviewAssignment.objects.filter(proposal__theme__entry__call=call)
        .exclude(review__state=ReviewState.SUBMITTED)
        .select_related("proposal__theme__entry", "proposal__academy", "reviewer")
        .order_by("reviewer_id", "due_on", "proposal__theme__entry__order", "proposal__title")
    )
    return pending.filter(reviewer=reviewer) if reviewer is not None else pending


def _remind(reviewer, call, pending, grid, acting_user, today):
    rows = [{"assignment": a, "due_on": a.due_on or grid.review_due, "overdue": (a.due_on or grid.review_due) < today} for a in pending]
    email = queue_email([reviewer.email], EMAILS + "review_reminder", {"reviewer": reviewer, "call": call, "rows": rows})
    audit.record(grid, actor=acting_user, action=AuditAction.UPDATED,
                 comment=_("Relance envoyée à %(name)s (%(count)s évaluation(s) en attente)") % {"name": _person(reviewer), "count": len(rows)},
                 reviewer=reviewer.pk, pending=len(rows))
    return email


@transaction.atomic
def send_reminder(reviewer, call, *, acting_user, today=None):
    """Relancer: e-mail a reviewer the list of their reviews still to submit for the call."""
    _check_pilot(acting_user)
    today = today or timezone.localdate()
    pending = list(_pending_assignments(call, reviewer))
    if not pending:
        raise SelectionError(
            _("%(name)s n'a aucune évaluation en attente pour l'appel %(year)s.") % {"name": _person(reviewer), "year": call.year},
            code="nothing_pending",
        )
    return _remind(reviewer, call, pending, ScoringGrid.objects.get(call=call), acting_user, today)


@transaction.atomic
def send_reminders(call, *, acting_user, today=None) -> int:
    """Relancer tout le monde: one reminder to each reviewer with reviews still
    to submit for the call; returns how many were reminded."""
    _check_pilot(acting_user)
    today = today or timezone.localdate()
    by_reviewer = defaultdict(list)
    for assignment in _pending_assignments(call):
        by_reviewer[assignment.reviewer].append(assignment)
    if not by_reviewer:
        return 0
    grid = ScoringGrid.objects.get(call=call)
    for reviewer, pending in by_reviewer.items():
        _remind(reviewer, call, pending, grid, acting_user, today)
    return len(by_reviewer)


# --- The selection ----------------------------------------------------------------


@transaction.atomic
def select(proposal, *, acting_user, now=None) -> Selection:
    """Sélectionner: the pilot puts a proposal under review into its entry's
    selection, never beyond the entry's seats (counted under the entry's row
    lock, so two pilots clicking at once cannot overfill it)."""
    _check_pilot(acting_user)
    entry = _lock_entry(Proposal.objects.values_list("theme__entry_id", flat=True).get(pk=proposal.pk))
    _refuse_if_published(entry.call)
    proposal = Proposal.objects.get(pk=proposal.pk)  # read after the lock
    _check_under_review(proposal)
    if Selection.objects.filter(proposal=proposal).exists():
        raise SelectionError(_("« %(title)s » est déjà sélectionnée.") % {"title": proposal}, code="already_selected")
    selected = Selection.objects.filter(entry=entry).count()
    if selected >= entry.seats:
        raise SelectionError(
            _("Les %(seats)s places de « %(entry)s » sont pourvues : retirez d'abord une candidature de la sélection.")
            % {"seats": entry.seats, "entry": entry},
            code="full",
        )
    selection = Selection.objects.create(proposal=proposal, entry=entry, selected_by=acting_user, selected_at=now or timezone.now())
    audit.record(entry, actor=acting_user, action=AuditAction.UPDATED,
                 comment=_("Candidature sélectionnée : %(title)s (%(academy)s)") % {"title": proposal, "academy": proposal.academy},
                 proposal=proposal.pk, selected=selected + 1, seats=entry.seats)
    return selection


@transaction.atomic
def unselect(proposal, *, acting_user) -> None:
    """Retirer de la sélection, before the results are published."""
    _check_pilot(acting_user)
    entry = _lock_entry(Proposal.objects.values_list("theme__entry_id", flat=True).get(pk=proposal.pk))
    _refuse_if_published(entry.call)
    deleted, _detail = Selection.objects.filter(proposal_id=proposal.pk).delete()
    if not deleted:
        raise SelectionError(_("« %(title)s » n'est pas sélectionnée.") % {"title": proposal}, code="not_selected")
    audit.record(entry, actor=acting_user, action=AuditAction.UPDATED,
                 comment=_("Candidature retirée de la sélection : %(title)s") % {"title": proposal}, proposal=proposal.pk)


@transaction.atomic
def set_empty_seat_reason(entry, reason, *, acting_user, now=None) -> EmptySeatReason | None:
    """Write (or, with an empty text, withdraw) why the entry leaves seats empty."""
    _check_pilot(acting_user)
    entry = _lock_entry(entry.pk)
    _refuse_if_published(entry.call)
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise SelectionError({"reason": [_("Le motif compte 2 000 caractères au plus.")]})
    if not reason:
        deleted, _detail = EmptySeatReason.objects.filter(entry=entry).delete()
        if deleted:
            audit.record(entry, actor=acting_user, action=AuditAction.UPDATED, comment=_("Motif des places vacantes retiré"))
        return None
    written, _created = EmptySeatReason.objects.update_or_create(
        entry=entry, defaults={"reason": reason, "written_by": acting_user, "written_at": now or timezone.now()}
    )
    audit.record(entry, actor=acting_user, action=AuditAction.UPDATED,
                 comment=_("Motif des places vacantes : %(reason)s") % {"reason": reason})
    return written


# --- Publication -----------------------------------------------------------------


def last_synthesis_deadline(call):
    """The last instant an academy may still send its synthesis (the latest
    extension counts): the results are published after it."""
    extended = DeadlineExtension.objects.filter(call=call).aggregate(latest=Max("deadline"))["latest"]
    return end_of_day_paris(max(call.synthesis_deadline, extended or call.synthesis_deadline))


def publication_blockers(call, *, now=None) -> list[str]:
    """Why the results of ``call`` cannot be published now, in French (empty
    when they can): already published, syntheses still expected, or an entry
    neither full nor carrying a reason for its empty seats."""
    publication = Publication.objects.filter(call_id=call.pk).first()
    if publication is not None:
        return [_("Les résultats de l'appel %(year)s ont été publiés le %(day)s.") % {"year": call.year, "day": _day(publication.published_at)}]
    now = now or timezone.now()
    blockers = []
    deadline = last_synthesis_deadline(call)
    if now <= deadline:
        blockers.append(
            _("Les académies peuvent envoyer leur synthèse jusqu'au %(day)s à 23 h 59 (heure de Paris) : publiez les résultats après cette date.")
            % {"day": date_format(deadline.date(), "j F Y")}
        )
    entries = (
        Entry.objects.filter(call_id=call.pk)
        .annotate(selected=Count("selections"), has_reason=Exists(EmptySeatReason.objects.filter(entry=OuterRef("pk"))))
        .order_by("order", "name")
    )
    for entry in entries:
        if entry.selected > entry.seats:
            blockers.append(
                _("« %(entry)s » : %(selected)s candidatures sélectionnées pour %(seats)s places ; retirez-en %(extra)s.")
                % {"entry": entry, "selected": entry.selected, "seats": entry.seats, "extra": entry.selected - entry.seats}
            )
        elif entry.selected < entry.seats and not entry.has_reason:
            if entry.selected == 0:
                text = _("« %(entry)s » : aucune place pourvue sur %(seats)s ; indiquez pourquoi les places restent vacantes.")
            else:
                text = ngettext(
                    "« %(entry)s » : %(selected)s place pourvue sur %(seats)s ; indiquez pourquoi les autres restent vacantes.",
                    "« %(entry)s » : %(selected)s places pourvues sur %(seats)s ; indiquez pourquoi les autres restent vacantes.",
                    entry.selected,
                )
            blockers.append(text % {"entry": entry, "selected": entry.selected, "seats": entry.seats})
    return blockers


def _announce(call, publication):
    for receiver, response in results_published.send_robust(sender=Publication, call=call, publication=publication):
        if isinstance(response, Exception):
            logger.error("results_published receiver %r failed for call %s", receiver, call.pk, exc_info=response)


@transaction.atomic
def publish_results(call, *, acting_user, now=None) -> Publication:
    """Publier les résultats, once and for good: every proposal under review
    becomes « sélectionnée » or « non sélectionnée »; each academy's DAN/DRAN and
    inspectors and each proposal's team are told; ``results_published`` is sent
    after the commit. Refused while any blocker remains."""
    _check_pilot(acting_user)
    now = now or timezone.now()
    # Every entry of the call under lock, in a fixed order: no selection changes
    # meanwhile, and a concurrent publication waits here, then finds this one.
    list(Entry.objects.select_for_update().filter(call_id=call.pk).order_by("pk").values_list("pk", flat=True))
    _refuse_if_published(call)
    blockers = publication_blockers(call, now=now)
    if blockers:
        raise SelectionError(blockers, code="blocked")
    try:
        with transaction.atomic():
            publication = Publication.objects.create(call=call, published_at=now, published_by=acting_user)
    except IntegrityError:  # a concurrent publication without entries to lock
        _refuse_if_published(call)
        raise

    selected_ids = set(Selection.objects.filter(entry__call_id=call.pk).values_list("proposal_id", flat=True))
    proposals = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(theme__entry__call_id=call.pk, state=ProposalState.SENT)
        .select_related("academy__region", "theme__entry__discipline", "lead")
        .prefetch_related("team")
        .order_by("theme__entry__order", "academy__name", "title", "pk")
    )
    moment = now
    chosen = [p.pk for p in proposals if p.pk in selected_ids]
    others = [p.pk for p in proposals if p.pk not in selected_ids]
    for ids, state in ((chosen, ProposalState.SELECTED), (others, ProposalState.NOT_SELECTED)):
        if ids:
            Proposal.objects.filter(pk__in=ids, state=ProposalState.SENT).update(state=state, version=F("version") + 1, updated_at=moment)
    for proposal in proposals:
        proposal.state = ProposalState.SELECTED if proposal.pk in selected_ids else ProposalState.NOT_SELECTED
        audit.record(proposal, actor=acting_user, action=AuditAction.STATE_CHANGED, from_state=ProposalState.SENT, to_state=proposal.state,
                     comment=_("Résultats de la sélection nationale publiés"))
    publication.selected_count, publication.not_selected_count = len(chosen), len(others)
    publication.save(update_fields=["selected_count", "not_selected_count"])
    audit.record(call, actor=acting_user, action=AuditAction.STATE_CHANGED, to_state="results_published",
                 comment=_("Résultats de la sélection nationale publiés"), selected=len(chosen), not_selected=len(others))
    _queue_result_emails(call, proposals)
    transaction.on_commit(lambda: _announce(call, publication))
    return publication


def _queue_result_emails(call, proposals):
    """One e-mail per academy to its DAN/DRAN (all its results), one per academy
    × discipline to its inspectors (that discipline's results), one per
    proposal to its team. A bounded number of queries whatever the size."""
    by_academy = defaultdict(list)
    # Each list: entry by entry, the selected first.
    for proposal in sorted(proposals, key=lambda p: (p.theme.entry.order, p.state != ProposalState.SELECTED, p.title, p.pk)):
        by_academy[proposal.academy].append(proposal)
    academy_ids = {academy.pk for academy in by_academy}
    region_ids = {academy.region_id for academy in by_academy}

    delegations = defaultdict(set)  # academy id → DAN e-mails; ("region", id) → DRAN e-mails
    for role, academy_id, region_id, email in RoleAssignment.objects.filter(
        Q(role=Role.DAN, academy_id__in=academy_ids) | Q(role=Role.DRAN, region_id__in=region_ids), user__is_active=True
    ).values_list("role", "academy_id", "region_id", "user__email"):
        delegations[academy_id if role == Role.DAN else ("region", region_id)].add(email)
    inspectors = defaultdict(set)  # (academy id, discipline id) → e-mails
    for academy_id, discipline_id, email in RoleAssignment.objects.filter(
        role=Role.INSPECTOR, academy_id__in=academy_ids, user__is_active=True
    ).values_list("academy_id", "disciplines", "user__email"):
        inspectors[(academy_id, discipline_id)].add(email)

    for academy, results in by_academy.items():
        context = {"call": call, "academy": academy, "results": results, "discipline": None}
        recipients = delegations[academy.pk] | delegations[("region", academy.region_id)]
        if recipients:
            queue_email(recipients, EMAILS + "results_academy", context)
        by_discipline = defaultdict(list)
        for proposal in results:
            by_discipline[proposal.theme.entry.discipline].append(proposal)
        for discipline, discipline_results in by_discipline.items():
            recipients = inspectors[(academy.pk, discipline.pk)]
            if recipients:
                queue_email(recipients, EMAILS + "results_academy", {**context, "results": discipline_results, "discipline": discipline})
    for proposal in proposals:
        team = [proposal.lead.email, *(member.email for member in proposal.team.all())]
        queue_email(team, EMAILS + "results_team", {"call": call, "proposal": proposal, "selected": proposal.state == ProposalState.SELECTED})
