"""Who may see and do what in the production year (``productions.rules``), and
the lists filtered with the same rules (``productions.selectors``)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from productions import services
from productions.models import NationalGroup
from productions.selectors import groups_piloted_by, scenarios_to_validate, visible_groups, visible_national_groups, visible_scenarios
from tests.factories import make_user
from traam.enums import Role

EVERYONE = [
    "teacher_grenoble", "colleague_grenoble", "cardie_grenoble", "other_cardie_grenoble", "teacher_lyon", "inspector_maths_grenoble",
    "other_inspector_grenoble", "inspector_maths_lyon", "inspector_nsi_grenoble", "dan_grenoble", "dan_lyon", "dran_ara", "pilot",
    "reviewer_maths", "igesr", "stranger",
]
MEMBERS = ["cardie_grenoble", "colleague_grenoble", "inspector_maths_grenoble", "teacher_grenoble"]
SEES_GRENOBLE = sorted([*MEMBERS, "dan_grenoble", "dran_ara", "igesr", "other_cardie_grenoble", "other_inspector_grenoble", "pilot"])


@pytest.fixture
def other_cardie_grenoble(grenoble):
    """A CARDIE representative of Grenoble who is not in the group."""
    return make_user("cardie.2@example.test", Role.CARDIE, academy=grenoble)


@pytest.fixture
def igesr(groups, pilot, maths, reviewer_maths):
    """The IGÉSR member of the mathematics national group."""
    person = make_user("igesr@example.test", Role.REVIEWER, disciplines=[maths])
    services.set_national_members(NationalGroup.objects.get(entry__code="mathematiques"), acting_user=pilot, igesr=person, experts=[pilot])
    return person


def allowed(request, perm, obj=None, users=EVERYONE):
    people = {who: request.getfixturevalue(who) for who in users}
    return sorted(who for who, person in people.items() if (person.has_perm(perm, obj) if obj is not None else person.has_perm(perm)))


def test_who_sees_a_group(request, group, igesr):
    assert allowed(request, "productions.view_group", group) == SEES_GRENOBLE
    assert not AnonymousUser().has_perm("productions.view_group", group)


def test_who_manages_the_members(request, group, igesr):
    assert allowed(request, "productions.manage_members", group) == ["inspector_maths_grenoble", "other_inspector_grenoble", "pilot"]


def test_who_writes_scenarios(request, group, scenario, igesr):
    assert allowed(request, "productions.add_scenario", group) == MEMBERS
    assert allowed(request, "productions.change_scenario", scenario) == MEMBERS
    assert allowed(request, "productions.mark_tested", scenario) == MEMBERS
    assert allowed(request, "productions.view_scenario", scenario) == SEES_GRENOBLE


def test_who_decides_on_scenarios(request, submitted_scenario, inspector_maths_grenoble, igesr):
    assert allowed(request, "productions.change_scenario", submitted_scenario) == []
    assert allowed(request, "productions.validate_scenario", submitted_scenario) == ["inspector_maths_grenoble"]
    assert allowed(request, "productions.return_scenario", submitted_scenario) == ["inspector_maths_grenoble"]
    assert allowed(request, "productions.publish_scenario", submitted_scenario) == []
    services.validate(submitted_scenario, acting_user=inspector_maths_grenoble)
    assert allowed(request, "productions.publish_scenario", submitted_scenario) == ["inspector_maths_grenoble", "pilot"]


def test_a_published_scenario_is_public(request, published_scenario, igesr):
    assert allowed(request, "productions.view_scenario", published_scenario) == sorted(EVERYONE)
    assert AnonymousUser().has_perm("productions.view_scenario", published_scenario)
    assert allowed(request, "productions.set_edubase_url", published_scenario) == ["inspector_maths_grenoble", "pilot"]


def test_who_declares_decides_and_exports_hours(request, group, grenoble, igesr):
    assert allowed(request, "productions.declare_hours", group) == ["colleague_grenoble", "teacher_grenoble"]
    assert allowed(request, "productions.decide_hours", group) == ["inspector_maths_grenoble"]
    assert allowed(request, "productions.export_hours", grenoble) == ["dan_grenoble", "dran_ara", "pilot"]


def test_who_follows_the_progress(request, groups, igesr):
    assert allowed(request, "productions.view_progress") == sorted([
        "dan_grenoble", "dan_lyon", "dran_ara", "igesr", "inspector_maths_grenoble", "inspector_maths_lyon", "inspector_nsi_grenoble",
        "other_inspector_grenoble", "pilot",
    ])
    assert allowed(request, "productions.manage_milestones") == ["pilot"]
    assert allowed(request, "productions.manage_national_groups") == ["pilot"]
    national = NationalGroup.objects.get()
    assert allowed(request, "productions.view_national_group", national) == ["igesr", "pilot"]


@pytest.mark.parametrize("who, academies", [
    ("pilot", ["grenoble", "lyon"]),
    ("igesr", ["grenoble", "lyon"]),  # their entry's groups
    ("dran_ara", ["grenoble", "lyon"]),
    ("dan_grenoble", ["grenoble"]),
    ("dan_lyon", ["lyon"]),
    ("inspector_maths_grenoble", ["grenoble"]),
    ("other_inspector_grenoble", ["grenoble"]),
    ("inspector_maths_lyon", ["lyon"]),
    ("other_cardie_grenoble", ["grenoble"]),
    ("teacher_grenoble", ["grenoble"]),
    ("teacher_lyon", ["lyon"]),
    ("inspector_nsi_grenoble", []),
    ("reviewer_maths", []),
    ("stranger", []),
])
def test_each_person_lists_their_groups(request, groups, who, academies, call):
    person = request.getfixturevalue(who)
    assert [group.academy.code for group in visible_groups(person).order_by("academy__code")] == academies
    assert [group.academy.code for group in visible_groups(person, call).order_by("academy__code")] == academies
    for group in visible_groups(person):
        assert person.has_perm("productions.view_group", group)


def test_lists_of_scenarios_follow_the_groups(scenario, group_lyon, teacher_lyon, teacher_grenoble, dan_lyon, stranger):
    lyon = services.create_scenario(group_lyon, acting_user=teacher_lyon, title="À Lyon")
    assert list(visible_scenarios(teacher_grenoble)) == [scenario]
    assert list(visible_scenarios(dan_lyon)) == [lyon]
    assert list(visible_scenarios(stranger)) == []
    assert list(visible_scenarios(AnonymousUser())) == []


def test_the_piloted_groups(group, group_lyon, inspector_maths_grenoble, other_inspector_grenoble, submitted_scenario):
    assert list(groups_piloted_by(inspector_maths_grenoble)) == [group]
    assert list(groups_piloted_by(other_inspector_grenoble)) == []
    assert list(scenarios_to_validate(inspector_maths_grenoble)) == [submitted_scenario]
    group.members.filter(role="inspector").update(user=None)
    assert list(groups_piloted_by(other_inspector_grenoble)) == [group]
    assert list(groups_piloted_by(inspector_maths_grenoble)) == [group]  # an inspector of the academy, while nobody pilots


def test_national_groups_listed(groups, igesr, pilot, teacher_grenoble):
    assert [n.entry.code for n in visible_national_groups(igesr)] == ["mathematiques"]
    assert [n.entry.code for n in visible_national_groups(pilot)] == ["mathematiques"]
    assert list(visible_national_groups(teacher_grenoble)) == []
