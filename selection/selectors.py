"""What each person may list in the national selection, filtered in the
database with the same rules as ``selection.rules``; and the pilot's workload
table. Each function runs a bounded number of queries."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from traam import scopes
from traam.enums import Role
from traam.models import RoleAssignment, User
from traam.rules import is_pilot

from .enums import ReviewState
from .models import Review, ReviewAssignment, Score, ScoringGrid
from .rules import has_submitted_own_review, is_proposal_reviewer


def assigned_proposals(reviewer, call=None):
    """The proposals confided to ``reviewer`` (of ``call`` if given), with their
    progress: ``review_state`` ("" before a first save), ``review_submitted_at``,
    ``due_on`` (the assignment's date, else the grid's). Proposals the reviewer
    no longer may review (discipline withdrawn, now in their academy) are left out."""
    if not getattr(reviewer, "is_authenticated", False) or not scopes.has_role(reviewer, Role.REVIEWER):
        return Proposal.objects.none()
    discipline_ids = scopes.scope(reviewer, Role.REVIEWER).discipline_ids or frozenset()
    mine = ReviewAssignment.objects.filter(proposal=OuterRef("pk"), reviewer=reviewer)
    reviews = Review.objects.filter(assignment__proposal=OuterRef("pk"), assignment__reviewer=reviewer)
    proposals = (
        Proposal.objects.filter(review_assignments__reviewer=reviewer, theme__entry__discipline_id__in=discipline_ids)
        .exclude(academy_id__in=scopes.home_academy_ids(reviewer))
        .select_related("theme__entry__call", "theme__entry__discipline", "academy", "synthesis_item")
        .annotate(
            review_state=Coalesce(Subquery(reviews.values("state")[:1]), Value("")),
            review_submitted_at=Subquery(reviews.values("submitted_at")[:1]),
            due_on=Coalesce(Subquery(mine.values("due_on")[:1]), "theme__entry__call__scoring_grid__review_due"),
        )
        .order_by("theme__entry__call__opens_on", "theme__entry__order", "academy__name", "title")
    )
    if call is not None:
        proposals = proposals.filter(theme__entry__call=call)
    return proposals


def visible_reviews(user, proposal):
    """The reviews of ``proposal`` that ``user`` may read (``selection.view_review``):
    all for the pilot; for an assigned reviewer their own, and the others'
    submitted reviews once theirs is submitted; nothing for anyone else."""
    reviews = (
        Review.objects.filter(assignment__proposal=proposal)
        .select_related("assignment__reviewer")
        .prefetch_related(Prefetch("scores", Score.objects.select_related("criterion")))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )
    if is_pilot(user):
        return reviews
    if not is_proposal_reviewer(user, proposal):
        return reviews.none()
    if has_submitted_own_review(user, proposal):
        return reviews.filter(Q(assignment__reviewer=user) | Q(state=ReviewState.SUBMITTED))
    return reviews.filter(assignment__reviewer=user)


def academy_results(user, call):
    """The published results ``user`` may see (``selection.view_results``): the
    pilot all of them; a DAN/DRAN their academies'; an inspector their academy ×
    disciplines'. Nothing before publication. Each proposal has ``is_selected``."""
    proposals = (
        Proposal.objects.filter(theme__entry__call=call, state__in=(ProposalState.SELECTED, ProposalState.NOT_SELECTED))
        .select_related("academy", "theme__entry__discipline", "lead", "synthesis_item")
        .annotate(is_selected=ExpressionWrapper(Q(state=ProposalState.SELECTED), output_field=BooleanField()))
        .order_by("academy__name", "theme__entry__order", "-is_selected", "title")
    )
    if not user.has_perm("selection.view_results", call):
        return proposals.none()
    if is_pilot(user):
        return proposals
    condition = Q(pk__in=[])
    for role in (Role.DAN, Role.DRAN):
        scope = scopes.scope(user, role)
        if scope.academy_ids:
            condition |= Q(academy_id__in=scope.academy_ids)
    inspector = scopes.scope(user, Role.INSPECTOR)
    if inspector.academy_ids and inspector.discipline_ids:
        condition |= Q(academy_id__in=inspector.academy_ids, theme__entry__discipline_id__in=inspector.discipline_ids)
    return proposals.filter(condition)


def reviewers_for(entry):
    """Active people holding the reviewer role for the entry's discipline (to assign)."""
    return (
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(role=Role.REVIEWER, disciplines=entry.discipline_id).values("user_id"),
        )
        .order_by("last_name", "first_name", "email")
    )


@dataclass
class ReviewerLoad:
    """One line of the workload table: what a reviewer has to do for a call."""

    reviewer: User
    disciplines: list = field(default_factory=list)
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    overdue: int = 0  # not submitted and past its due date

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted


def workload(call, *, today=None) -> list[ReviewerLoad]:
    """Per reviewer (everyone holding the role, and anyone with an assignment in
    the call): assigned, submitted, drafts and overdue reviews. An assignment is
    overdue when its due date (its own, else the grid's) is past and its review
    not submitted. Five queries."""
    today = today or timezone.localdate()
    grid_due = ScoringGrid.objects.filter(call=call).values_list("review_due", flat=True).first()
    not_submitted = ~Q(review__state=ReviewState.SUBMITTED)
    late = Q(due_on__lt=today)
    if grid_due is not None and grid_due < today:
        late |= Q(due_on__isnull=True)
    counts = {
        row["reviewer_id"]: row
        for row in ReviewAssignment.objects.filter(proposal__theme__entry__call=call)
        .values("reviewer_id")
        .annotate(
            assigned=Count("id"),
            submitted=Count("id", filter=Q(review__state=ReviewState.SUBMITTED)),
            drafts=Count("id", filter=Q(review__state=ReviewState.DRAFT)),
            overdue=Count("id", filter=not_submitted & late),
        )
    }
    reviewers = (
        User.objects.filter(Q(role_assignments__role=Role.REVIEWER) | Q(pk__in=list(counts)))
        .distinct()
        .prefetch_related(
            Prefetch(
                "role_assignments",
                RoleAssignment.objects.filter(role=Role.REVIEWER).prefetch_related("disciplines"),
                to_attr="reviewer_roles",
            )
        )
        .order_by("last_name", "first_name", "email")
    )
    loads = []
    for reviewer in reviewers:
        row = counts.get(reviewer.pk, {})
        disciplines = sorted({d for role in reviewer.reviewer_roles for d in role.disciplines.all()}, key=lambda d: d.name)
        loads.append(
            ReviewerLoad(
                reviewer=reviewer, disciplines=disciplines, assigned=row.get("assigned", 0), submitted=row.get("submitted", 0),
                drafts=row.get("drafts", 0), overdue=row.get("overdue", 0),
            )
        )
    return loads
