import pytest
from django.contrib.auth.models import AnonymousUser

from traam.enums import Role
from traam.models import RoleAssignment
from traam.rules import can_grant


def test_pilot_may_manage_calls_and_open_the_admin(pilot):
    assert pilot.has_perm("traam.manage_calls")
    assert pilot.has_perm("traam.access_admin")


@pytest.mark.parametrize("who", ["dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "reviewer_maths", "stranger"])
def test_nobody_else_manages_calls(request, who):
    user = request.getfixturevalue(who)
    assert not user.has_perm("traam.manage_calls")
    assert not user.has_perm("traam.access_admin")


def test_anonymous_has_no_permission(db):
    assert not AnonymousUser().has_perm("traam.manage_calls")
    assert not AnonymousUser().has_perm("traam.manage_academy_roles")


def test_dan_grants_teacher_and_cardie_in_their_academy_only(dan_grenoble, grenoble, lyon):
    assert can_grant(dan_grenoble, Role.TEACHER, grenoble)
    assert can_grant(dan_grenoble, Role.CARDIE, grenoble)
    assert not can_grant(dan_grenoble, Role.TEACHER, lyon)
    assert not can_grant(dan_grenoble, Role.INSPECTOR, grenoble)
    assert not can_grant(dan_grenoble, Role.PILOT, None)


def test_dran_grants_in_every_academy_of_the_region(dran_ara, lyon):
    from traam.models import Academy

    assert can_grant(dran_ara, Role.TEACHER, lyon)
    assert not can_grant(dran_ara, Role.TEACHER, Academy.objects.get(code="paris"))


@pytest.mark.parametrize("who", ["teacher_grenoble", "inspector_maths_grenoble", "cardie_grenoble", "reviewer_maths", "stranger"])
def test_other_roles_grant_nothing(request, who, grenoble):
    user = request.getfixturevalue(who)
    assert not can_grant(user, Role.TEACHER, grenoble)
    assert not user.has_perm("traam.manage_academy_roles")


def test_revoke_follows_the_same_scope(dan_grenoble, dan_lyon, teacher_grenoble):
    assignment = RoleAssignment.objects.get(user=teacher_grenoble)
    assert dan_grenoble.has_perm("traam.revoke_role", assignment)
    assert not dan_lyon.has_perm("traam.revoke_role", assignment)
    inspector_assignment = RoleAssignment(role=Role.INSPECTOR, academy=assignment.academy)
    assert not dan_grenoble.has_perm("traam.revoke_role", inspector_assignment)
