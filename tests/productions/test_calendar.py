"""The call's production calendar: default milestones, the pilot's edits, each
group's progress against them, and the reminders before each milestone."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from productions import services, tasks
from productions.enums import MilestoneKind, MilestoneStatus, ScenarioState
from productions.models import Milestone, MilestoneReminder, WorkingGroup
from productions.selectors import group_progress
from tests.productions.conftest import IN_PRODUCTION, emails, refused_by_field
from traam.audit import history
from traam.enums import AuditAction

D = datetime.date


def calendar(call):
    return [(m.kind, m.due_on, m.expected_scenarios, m.expected_state) for m in Milestone.objects.filter(call=call).order_by("due_on")]


def test_the_default_calendar(groups, call):
    assert calendar(call) == [
        (MilestoneKind.KICK_OFF, D(2026, 9, 1), None, ScenarioState.DRAFT),
        (MilestoneKind.MID_TERM, D(2027, 1, 15), 1, ScenarioState.TESTED),
        (MilestoneKind.FINAL, D(2027, 4, 30), 3, ScenarioState.SUBMITTED),
    ]
    assert services.ensure_milestones(call) and Milestone.objects.count() == 3
    assert [e.action for e in history(Milestone.objects.get(kind=MilestoneKind.FINAL))] == [AuditAction.CREATED]


@pytest.fixture
def step(groups, call, pilot):
    return services.add_milestone(
        call, acting_user=pilot, kind=MilestoneKind.STEP, label="Une séquence prête avant les congés", due_on=D(2026, 12, 4),
        expected_scenarios=1, expected_state=ScenarioState.TESTED,
    )


def test_the_pilot_edits_the_calendar(step, call, pilot):
    assert (step.label, step.due_on, step.expected_scenarios) == ("Une séquence prête avant les congés", D(2026, 12, 4), 1)
    services.update_milestone(step, acting_user=pilot, due_on=D(2026, 12, 11), expected_scenarios="2")
    step.refresh_from_db()
    assert (step.due_on, step.expected_scenarios) == (D(2026, 12, 11), 2)
    assert history(step).first().data == {"fields": ["due_on", "expected_scenarios"]}
    services.remove_milestone(step, acting_user=pilot)
    assert not Milestone.objects.filter(pk=step.pk).exists()
    assert history(call).first().comment == "Jalon retiré : Une séquence prête avant les congés"


def test_a_bad_milestone_is_refused(groups, call, pilot):
    assert refused_by_field(
        services.add_milestone, call, acting_user=pilot, kind="party", label=" ", due_on=D(2027, 6, 1), expected_scenarios=0,
        expected_state="returned",
    ) == {
        "kind": ["Choix inconnu."],
        "label": ["Indiquez l'intitulé du jalon."],
        "due_on": ["L'échéance doit tomber pendant la production, du 1 septembre 2026 au 30 avril 2027."],
        "expected_scenarios": ["Indiquez un nombre entier de 1 à 50, ou rien pour un jalon sans séquence attendue."],
        "expected_state": ["Choix inconnu."],
    }
    assert Milestone.objects.count() == 3


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "dan_grenoble", "teacher_grenoble"])
def test_only_the_pilot_edits_the_calendar(request, step, call, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.add_milestone(call, acting_user=person, kind=MilestoneKind.STEP, label="X", due_on=D(2026, 10, 1))
    with pytest.raises(PermissionDenied):
        services.update_milestone(step, acting_user=person, label="Y")
    with pytest.raises(PermissionDenied):
        services.remove_milestone(step, acting_user=person)


# --- Progress -------------------------------------------------------------------------------------------


def test_each_group_progress(step, tested, group, group_lyon, teacher_lyon):
    services.create_scenario(group_lyon, acting_user=teacher_lyon, title="Brouillon lyonnais", now=IN_PRODUCTION)
    rows = {row.group.academy.code: row for row in group_progress(WorkingGroup.objects.order_by("pk"), today=D(2026, 12, 5))}
    grenoble, lyon = rows["grenoble"], rows["lyon"]
    assert (grenoble.counts[ScenarioState.TESTED], grenoble.total, grenoble.expected) == (1, 1, 3)
    assert [(item.milestone.kind, item.status, item.done) for item in grenoble.milestones] == [
        (MilestoneKind.KICK_OFF, MilestoneStatus.PASSED, 1),
        (MilestoneKind.STEP, MilestoneStatus.REACHED, 1),
        (MilestoneKind.MID_TERM, MilestoneStatus.REACHED, 1),
        (MilestoneKind.FINAL, MilestoneStatus.UPCOMING, 0),
    ]
    assert [(item.milestone.kind, item.status) for item in lyon.milestones][1:3] == [
        (MilestoneKind.STEP, MilestoneStatus.OVERDUE), (MilestoneKind.MID_TERM, MilestoneStatus.UPCOMING),
    ]
    assert (lyon.is_behind, grenoble.is_behind, lyon.next_milestone.milestone.kind) == (True, False, MilestoneKind.MID_TERM)
    assert lyon.last_activity == IN_PRODUCTION


def test_a_returned_scenario_counts_as_tested(step, returned, group):
    (row,) = group_progress([group], today=D(2026, 11, 20))
    assert (row.counts[ScenarioState.RETURNED], row.milestones[1].status) == (1, MilestoneStatus.REACHED)


def test_progress_takes_a_bounded_number_of_queries(step, tested, group, group_lyon, django_assert_num_queries):
    groups = list(WorkingGroup.objects.select_related("academy"))
    with django_assert_num_queries(3):
        rows = group_progress(groups, today=D(2026, 11, 20))
        assert [row.milestones[0].status_label for row in rows] == ["passé", "passé"]


# --- Reminders -----------------------------------------------------------------------------------------


def test_groups_behind_are_reminded_once(step, tested, group, group_lyon, call):
    assert services.send_milestone_reminders(call, today=D(2026, 11, 19)) == 0  # more than two weeks before
    assert services.send_milestone_reminders(call, today=D(2026, 11, 20)) == 1
    assert emails("jalon") == [(
        sorted(group_lyon.members.values_list("email", flat=True)),
        "TraAM : jalon « Une séquence prête avant les congés » le 4 décembre 2026",
    )]
    reminder = MilestoneReminder.objects.get()
    assert (reminder.milestone, reminder.group, reminder.scenarios_then) == (step, group_lyon, 0)
    assert services.send_milestone_reminders(call, today=D(2026, 11, 27)) == 0
    assert services.send_milestone_reminders(call, today=D(2026, 12, 5)) == 0  # past the milestone
    assert len(emails("jalon")) == 1


def test_a_moved_milestone_is_reminded_again(step, group_lyon, call, pilot):
    services.send_milestone_reminders(call, today=D(2026, 11, 25))
    services.update_milestone(step, acting_user=pilot, due_on=D(2026, 12, 18))
    assert services.send_milestone_reminders(call, today=D(2026, 12, 10)) == 2
    assert MilestoneReminder.objects.count() == 2


def test_the_daily_task_reminds_the_calls_in_production(step, groups, call):
    assert tasks.send_milestone_reminders(today="2026-11-25") == 2
    assert tasks.send_milestone_reminders(call_id=call.pk, today="2026-11-25") == 0
    assert tasks.send_milestone_reminders(today="2026-08-25") == 0  # before the production
