"""Object permissions of the production year (django-rules). The services
check the same predicates, so a view and a service never disagree.

Groups (object: a working group, or anything with a ``group``):
- ``productions.view_group``: its members; the inspectors of its academy ×
  discipline; the DAN/DRAN and the CARDIE representatives of its academy; the
  members of its entry's national group; the national pilot.
- ``productions.manage_members``: the piloting inspector, an inspector of the
  academy × discipline, the national pilot.

Scenarios (object: a scenario):
- ``productions.view_scenario``: whoever sees the group; anyone once published.
- ``productions.change_scenario``: a member of the group, while it is a draft,
  tested, or returned. The same for its attachments.
- ``productions.mark_tested`` / ``productions.submit_scenario``: a member of the
  group, from a draft / once tested (or returned).
- ``productions.validate_scenario`` / ``productions.return_scenario``: the
  piloting inspector, when submitted / submitted or validated.
- ``productions.publish_scenario``: the piloting inspector or the national
  pilot, once validated; ``productions.set_edubase_url``: the same, once published.

Hours:
- ``productions.declare_hours`` (group): a teacher of the group (teacher or
  referent) with an account.
- ``productions.decide_hours`` (declaration or group): the piloting inspector.
- ``productions.export_hours`` (academy): its DAN/DRAN, the national pilot.

The calendar and national groups:
- ``productions.view_progress`` (no object): inspectors, DAN/DRAN, members of a
  national group, the national pilot (``selectors.visible_groups`` says which groups).
- ``productions.manage_milestones``, ``productions.manage_national_groups``: the national pilot.
- ``productions.view_national_group`` (national group): its members, the national pilot.

The piloting inspector is the group's inspector member whose account matches;
while no inspector member has an account, the inspectors of the academy ×
discipline act for them, so that nothing waits on an account being created.
"""

import rules

from candidatures.enums import TeamRole
from candidatures.rules import is_academic_delegation_of
from traam import scopes
from traam.enums import Role
from traam.rules import is_pilot

from .enums import ScenarioState
from .models import NationalGroup, NationalMember, WorkingGroup


def _is_person(user):
    return getattr(user, "is_authenticated", False) and user.pk is not None


def group_of(obj):
    """The working group of a group, a scenario, a declaration of hours or a member."""
    if obj is None or isinstance(obj, WorkingGroup):
        return obj
    return getattr(obj, "group", None)


def _members(group):
    # ``all()`` uses a prefetch when the caller made one.
    return list(group.members.all())


@rules.predicate
def is_group_member(user, obj):
    """A member of the group whose account matches."""
    group = group_of(obj)
    if group is None or not _is_person(user):
        return False
    return any(member.user_id == user.pk for member in _members(group))


@rules.predicate
def is_group_teacher(user, obj):
    """A teacher or the referent teacher of the group: the members paid for their hours."""
    group = group_of(obj)
    if group is None or not _is_person(user):
        return False
    return any(member.user_id == user.pk and member.role in TeamRole.runs_sequences for member in _members(group))


@rules.predicate
def is_academy_inspector(user, obj):
    """An inspector of the group's academy and discipline."""
    group = group_of(obj)
    if group is None or not scopes.has_role(user, Role.INSPECTOR):
        return False
    return scopes.scope(user, Role.INSPECTOR).covers(academy_id=group.academy_id, discipline_id=group.entry.discipline_id)


@rules.predicate
def is_piloting_inspector(user, obj):
    """The group's piloting inspector (see the module's docstring)."""
    group = group_of(obj)
    if group is None or not _is_person(user):
        return False
    accounts = {member.user_id for member in _members(group) if member.role == TeamRole.INSPECTOR and member.user_id}
    if accounts:
        return user.pk in accounts
    return is_academy_inspector(user, group)


@rules.predicate
def is_academy_delegation(user, obj):
    """DAN or DRAN of the group's academy."""
    group = group_of(obj)
    return group is not None and is_academic_delegation_of(user, group)


@rules.predicate
def is_academy_cardie(user, obj):
    """A CARDIE representative of the group's academy (reads its groups)."""
    group = group_of(obj)
    return group is not None and scopes.has_role(user, Role.CARDIE) and scopes.scope(user, Role.CARDIE).covers(academy_id=group.academy_id)


@rules.predicate
def is_national_member(user, obj):
    """A member (with an account) of the national group of the group's entry,
    or of the national group itself."""
    if obj is None or not _is_person(user):
        return False
    if isinstance(obj, NationalGroup):
        return NationalMember.objects.filter(national_group=obj, user=user).exists()
    group = group_of(obj)
    return group is not None and NationalMember.objects.filter(national_group__entry_id=group.entry_id, user=user).exists()


@rules.predicate
def is_in_a_national_group(user):
    return _is_person(user) and NationalMember.objects.filter(user=user).exists()


@rules.predicate
def follows_groups(user):
    return scopes.has_role(user, Role.INSPECTOR, Role.DAN, Role.DRAN)


def _state_in(name, states):
    def check(user, scenario):
        return scenario is not None and scenario.state in states

    return rules.Predicate(check, name=name)


is_editable = _state_in("is_editable", ScenarioState.editable_by_group)
is_draft = _state_in("is_draft", (ScenarioState.DRAFT,))
is_submittable = _state_in("is_submittable", ScenarioState.submittable)
is_awaiting_inspector = _state_in("is_awaiting_inspector", ScenarioState.awaiting_inspector)
is_returnable = _state_in("is_returnable", ScenarioState.returnable)
is_validated = _state_in("is_validated", (ScenarioState.VALIDATED,))
is_published = _state_in("is_published", (ScenarioState.PUBLISHED,))

can_view_group = (
    is_group_member | is_academy_inspector | is_piloting_inspector | is_academy_delegation | is_academy_cardie | is_national_member
    | is_pilot
)
can_manage_members = is_piloting_inspector | is_academy_inspector | is_pilot
can_publish = is_piloting_inspector | is_pilot

rules.add_perm("productions.view_group", can_view_group)
rules.add_perm("productions.manage_members", can_manage_members)
rules.add_perm("productions.add_scenario", is_group_member)
rules.add_perm("productions.view_scenario", is_published | can_view_group)
rules.add_perm("productions.change_scenario", is_group_member & is_editable)
rules.add_perm("productions.mark_tested", is_group_member & is_draft)
rules.add_perm("productions.submit_scenario", is_group_member & is_submittable)
rules.add_perm("productions.validate_scenario", is_piloting_inspector & is_awaiting_inspector)
rules.add_perm("productions.return_scenario", is_piloting_inspector & is_returnable)
rules.add_perm("productions.publish_scenario", can_publish & is_validated)
rules.add_perm("productions.set_edubase_url", can_publish & is_published)
rules.add_perm("productions.declare_hours", is_group_teacher)
rules.add_perm("productions.decide_hours", is_piloting_inspector)
rules.add_perm("productions.export_hours", is_academic_delegation_of | is_pilot)
rules.add_perm("productions.view_progress", is_pilot | follows_groups | is_in_a_national_group)
rules.add_perm("productions.manage_milestones", is_pilot)
rules.add_perm("productions.manage_national_groups", is_pilot)
rules.add_perm("productions.view_national_group", is_pilot | is_national_member)
