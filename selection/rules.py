"""Object permissions of the national selection (django-rules). The services
check the same predicates, so a view and a service never disagree.

- ``selection.manage``: the national pilot (grid, assignments, ranking, workload,
  selection, publication).
- ``selection.view_proposal`` (proposal): the pilot, or a reviewer it is assigned to,
  covering its discipline, without conflict of interest.
- ``selection.review_proposal`` (proposal): that reviewer, while the proposal is
  under national review (« transmise à la DNE »).
- ``selection.change_review`` (proposal): the same, as long as their own review
  is not submitted.
- ``selection.declare_conflict`` (proposal): the assigned reviewer, before submitting.
- ``selection.view_review`` (review): the pilot, its author, and the other
  reviewers of the same proposal once they have submitted their own.
- ``selection.view_results`` (call): the pilot; DAN/DRAN and inspectors once the
  results are published.
"""

import rules

from candidatures.enums import ProposalState
from traam import scopes
from traam.enums import Role
from traam.rules import is_pilot

from .enums import ReviewState
from .models import ConflictDeclaration, Publication, Review, ReviewAssignment


def _is_person(user):
    return getattr(user, "is_authenticated", False) and user.pk is not None


def covers_discipline(user, discipline_id) -> bool:
    """The person holds the reviewer role for this discipline (the reviewer
    scope alone would cover everything for someone without the role)."""
    return scopes.has_role(user, Role.REVIEWER) and scopes.scope(user, Role.REVIEWER).covers(discipline_id=discipline_id)


@rules.predicate
def is_reviewer_of_discipline(user, proposal):
    return proposal is not None and _is_person(user) and covers_discipline(user, proposal.theme.entry.discipline_id)


@rules.predicate
def is_assigned(user, proposal):
    return proposal is not None and _is_person(user) and ReviewAssignment.objects.filter(proposal=proposal, reviewer=user).exists()


@rules.predicate
def has_conflict(user, proposal):
    """The proposal comes from one of the person's academies, or they declared a conflict on it."""
    if proposal is None or not _is_person(user):
        return False
    if proposal.academy_id in scopes.home_academy_ids(user):
        return True
    return ConflictDeclaration.objects.filter(proposal=proposal, reviewer=user).exists()


@rules.predicate
def is_under_review(user, proposal):
    return proposal is not None and proposal.state == ProposalState.SENT


@rules.predicate
def has_submitted_own_review(user, proposal):
    if proposal is None or not _is_person(user):
        return False
    return Review.objects.filter(assignment__proposal=proposal, assignment__reviewer=user, state=ReviewState.SUBMITTED).exists()


is_proposal_reviewer = is_reviewer_of_discipline & is_assigned & ~has_conflict


@rules.predicate
def is_review_author(user, review):
    return review is not None and _is_person(user) and review.assignment.reviewer_id == user.pk


@rules.predicate
def is_peer_who_submitted(user, review):
    """Another reviewer of the same proposal who has submitted their own review
    sees the submitted reviews of the others (drafts stay private)."""
    if review is None or review.state != ReviewState.SUBMITTED:
        return False
    proposal = review.assignment.proposal
    return is_proposal_reviewer(user, proposal) and has_submitted_own_review(user, proposal)


@rules.predicate
def results_published(user, call):
    return call is not None and Publication.objects.filter(call=call).exists()


@rules.predicate
def follows_an_academy(user):
    return scopes.has_role(user, Role.DAN, Role.DRAN, Role.INSPECTOR)


rules.add_perm("selection.manage", is_pilot)
rules.add_perm("selection.view_proposal", is_pilot | is_proposal_reviewer)
rules.add_perm("selection.review_proposal", is_proposal_reviewer & is_under_review)
rules.add_perm("selection.change_review", is_proposal_reviewer & is_under_review & ~has_submitted_own_review)
rules.add_perm("selection.declare_conflict", is_assigned & is_under_review & ~has_submitted_own_review)
rules.add_perm("selection.view_review", is_pilot | is_review_author | is_peer_who_submitted)
rules.add_perm("selection.view_results", is_pilot | (follows_an_academy & results_published))
