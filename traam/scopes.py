"""The one place that answers: for which academies and disciplines does this
person act, in which role?"""

from dataclasses import dataclass

from .enums import Role
from .models import Academy, RoleAssignment


@dataclass(frozen=True)
class Scope:
    """What a person may act on in one role.

    ``national`` means every academy. ``discipline_ids`` is None when the role
    is not limited to disciplines (a DAN sees every discipline of its academy).
    """

    role: str
    national: bool = False
    academy_ids: frozenset = frozenset()
    discipline_ids: frozenset | None = None

    def covers(self, academy_id=None, discipline_id=None) -> bool:
        if academy_id is not None and not self.national and academy_id not in self.academy_ids:
            return False
        if discipline_id is not None and self.discipline_ids is not None and discipline_id not in self.discipline_ids:
            return False
        return True

    @property
    def is_empty(self) -> bool:
        return not self.national and not self.academy_ids


NATIONAL_ROLES = {Role.PILOT, Role.REVIEWER}


def assignments(user):
    """The person's role assignments, loaded once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_traam_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related("academy", "region").prefetch_related("disciplines")
        )
        region_ids = {a.region_id for a in cached if a.role == Role.DRAN and a.region_id}
        academies_by_region = {}
        if region_ids:
            for academy_id, region_id in Academy.objects.filter(region_id__in=region_ids).values_list("id", "region_id"):
                academies_by_region.setdefault(region_id, set()).add(academy_id)
        for assignment in cached:
            assignment.scope_academy_ids = (
                academies_by_region.get(assignment.region_id, set())
                if assignment.role == Role.DRAN
                else ({assignment.academy_id} if assignment.academy_id else set())
            )
        user._traam_assignments = cached
    return cached


def forget(user):
    """Drop the cached roles after a change."""
    if hasattr(user, "_traam_assignments"):
        del user._traam_assignments


def roles(user) -> set[str]:
    return {a.role for a in assignments(user)}


def has_role(user, *wanted) -> bool:
    return bool(roles(user) & set(wanted))


def scope(user, role) -> Scope:
    """Union of the person's assignments of ``role``."""
    held = [a for a in assignments(user) if a.role == role]
    if not held:
        return Scope(role=role)
    national = role in NATIONAL_ROLES
    academy_ids = set()
    for a in held:
        academy_ids |= a.scope_academy_ids
    discipline_ids = None
    if role in Role.discipline_roles:
        discipline_ids = frozenset(d.id for a in held for d in a.disciplines.all())
    if role == Role.REVIEWER:
        # A reviewer acts nationally; their own academy only matters for conflicts.
        academy_ids = set()
    return Scope(role=role, national=national, academy_ids=frozenset(academy_ids), discipline_ids=discipline_ids)


def home_academy_ids(user) -> frozenset:
    """Academies the person belongs to, in any role: a reviewer may not score
    proposals from these (conflict of interest)."""
    ids = set()
    for a in assignments(user):
        ids |= a.scope_academy_ids
    return frozenset(ids)


def academies_for(user, role) -> frozenset:
    return scope(user, role).academy_ids
