"""Object permissions for reference data and roles (django-rules)."""

import rules

from . import scopes
from .enums import Role


@rules.predicate
def is_pilot(user):
    return user.is_superuser or scopes.has_role(user, Role.PILOT)


@rules.predicate
def is_academic_delegation(user):
    return scopes.has_role(user, Role.DAN, Role.DRAN)


@rules.predicate
def can_grant_in_academy(user, academy):
    """A DAN/DRAN grants roles only inside the academies they act for."""
    if academy is None:
        return False
    academy_id = getattr(academy, "pk", academy)
    return any(scopes.scope(user, role).covers(academy_id=academy_id) for role in (Role.DAN, Role.DRAN) if scopes.has_role(user, role))


def can_grant(user, role, academy) -> bool:
    """The rule behind ``traam.grant_role``: pilots grant anything; a DAN/DRAN
    grants the teacher and CARDIE roles in their academies."""
    if is_pilot(user):
        return True
    return role in Role.grantable_by_academy and can_grant_in_academy(user, academy)


@rules.predicate
def can_revoke_assignment(user, assignment):
    if assignment is None:
        return False
    return can_grant(user, assignment.role, assignment.academy)


rules.add_perm("traam.access_admin", is_pilot)
rules.add_perm("traam.manage_calls", is_pilot)
rules.add_perm("traam.manage_academy_roles", is_pilot | is_academic_delegation)
rules.add_perm("traam.revoke_role", can_revoke_assignment)
