"""Object permissions on proposals and syntheses (django-rules). The services
check the same predicates, so a view and a service never disagree."""

import rules

from traam import scopes
from traam.enums import Role
from traam.models import Academy
from traam.rules import is_pilot

from .enums import ProposalState


def _is_person(user):
    return getattr(user, "is_authenticated", False) and user.pk is not None


@rules.predicate
def is_teacher(user):
    return scopes.has_role(user, Role.TEACHER)


@rules.predicate
def is_lead(user, proposal):
    return proposal is not None and _is_person(user) and proposal.lead_id == user.pk


@rules.predicate
def is_team_member(user, proposal):
    """The lead, or a member of the team who has an account."""
    if proposal is None or not _is_person(user):
        return False
    return proposal.lead_id == user.pk or proposal.team.filter(user=user).exists()


@rules.predicate
def is_editable(user, proposal):
    return proposal is not None and proposal.state in ProposalState.editable_by_team


@rules.predicate
def is_withdrawable(user, proposal):
    return proposal is not None and proposal.state in ProposalState.withdrawable


@rules.predicate
def is_academy_inspector(user, proposal):
    """An inspector of the proposal's academy and discipline."""
    if proposal is None:
        return False
    return scopes.scope(user, Role.INSPECTOR).covers(academy_id=proposal.academy_id, discipline_id=proposal.theme.entry.discipline_id)


@rules.predicate
def is_academic_delegation_of(user, obj):
    """DAN or DRAN of the object's academy (a proposal, a synthesis or an academy)."""
    academy_id = obj.pk if isinstance(obj, Academy) else getattr(obj, "academy_id", None)
    if academy_id is None:
        return False
    return any(scopes.scope(user, role).covers(academy_id=academy_id) for role in (Role.DAN, Role.DRAN))


can_view_proposal = is_team_member | is_academy_inspector | is_academic_delegation_of | is_pilot

rules.add_perm("candidatures.add_proposal", is_teacher)
rules.add_perm("candidatures.view_proposal", can_view_proposal)
rules.add_perm("candidatures.change_proposal", is_team_member & is_editable)
rules.add_perm("candidatures.submit_proposal", is_lead & is_editable)
rules.add_perm("candidatures.withdraw_proposal", is_lead & is_withdrawable)
rules.add_perm("candidatures.review_proposal", is_academy_inspector)
rules.add_perm("candidatures.manage_synthesis", is_academic_delegation_of)
# The academy's follow-up: its dashboard, synthesis, PDF and export.
rules.add_perm("candidatures.follow_academy", is_academic_delegation_of | is_pilot)
rules.add_perm("candidatures.manage_extensions", is_pilot)
