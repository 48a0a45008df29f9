import datetime

import pytest
from django.urls import reverse

from productions.models import Milestone
from tests.utils import text_of
from traam.audit import history

MODELS = ["workinggroup", "nationalgroup", "scenario", "hoursdeclaration", "milestonereminder", "milestone", "hourscap"]


@pytest.mark.parametrize("model", MODELS)
def test_the_pilot_browses_the_production(client, pilot, groups, scenario, model):
    client.force_login(pilot)
    assert client.get(reverse(f"admin:productions_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["workinggroup", "nationalgroup", "scenario", "hoursdeclaration", "milestonereminder"])
def test_groups_scenarios_and_hours_are_read_only(client, pilot, model):
    client.force_login(pilot)
    assert client.get(reverse(f"admin:productions_{model}_add")).status_code == 403


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "dan_grenoble", "teacher_grenoble", "stranger"])
def test_others_do_not_reach_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:productions_scenario_changelist")).status_code == 302


def test_milestones_edited_in_the_admin_go_through_the_services(client, pilot, groups, call):
    client.force_login(pilot)
    url = reverse("admin:productions_milestone_add")
    data = {"call": call.pk, "kind": "step", "label": "Étape", "due_on": "2027-06-01", "expected_scenarios": "2", "expected_state": "tested"}
    refused = client.post(url, data)
    assert "L'échéance doit tomber pendant la production, du 1 septembre 2026 au 30 avril 2027." in text_of(refused)
    assert client.post(url, {**data, "due_on": "2027-02-12"}).status_code == 302
    added = Milestone.objects.get(label="Étape")
    assert (added.due_on, added.expected_scenarios) == (datetime.date(2027, 2, 12), 2)
    assert history(added).first().actor == pilot
    assert client.post(reverse("admin:productions_milestone_delete", args=[added.pk]), {"post": "yes"}).status_code == 302
    assert not Milestone.objects.filter(pk=added.pk).exists()
