"""Lists of proposals a person may see, filtered in the database with the same
rules as ``candidatures.view_proposal``."""

from django.db.models import Q

from traam import scopes
from traam.enums import Role
from traam.rules import is_pilot

from .models import Proposal, TeamMember


def _academy_condition(scope, **extra):
    """Rows the scope covers (``None`` when it covers nothing)."""
    if scope.is_empty:
        return None
    condition = Q(**extra)
    if not scope.national:
        condition &= Q(academy_id__in=scope.academy_ids)
    return condition


def visible_proposals(user):
    """The proposals ``user`` may see: their own and their team's, their
    academy × disciplines for an inspector, their academies for a DAN/DRAN,
    all of them for a national pilot."""
    proposals = Proposal.objects.select_related("theme__entry__call", "theme__entry__discipline", "academy", "lead")
    if not getattr(user, "is_authenticated", False):
        return proposals.none()
    if is_pilot(user):
        return proposals
    condition = Q(lead=user) | Q(pk__in=TeamMember.objects.filter(user=user).values("proposal_id"))
    inspector = scopes.scope(user, Role.INSPECTOR)
    if inspector.discipline_ids is not None:
        found = _academy_condition(inspector, theme__entry__discipline_id__in=inspector.discipline_ids)
        if found is not None:
            condition |= found
    for role in (Role.DAN, Role.DRAN):
        found = _academy_condition(scopes.scope(user, role))
        if found is not None:
            condition |= found
    return proposals.filter(condition)
