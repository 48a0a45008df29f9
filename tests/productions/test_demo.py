"""The production year's demo data, on the groups of the published 2026-2027
selection. The first test seeds twice from an empty database; the others share
one seed for the module, inside a transaction rolled back at the end."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from candidatures.enums import AIUsage, ProposalState, TeamRole
from candidatures.models import Proposal
from productions.enums import HoursState, ScenarioState
from productions.models import (
    GroupMember, HoursDeclaration, Milestone, MilestoneReminder, NationalGroup, NationalMember, Scenario, ScenarioVersion, WorkingGroup,
)
from productions.selectors import group_progress, with_composition
from productions.services import composition_problems, edubase_errors, missing_for_validation
from traam.models import AuditEntry, OutgoingEmail, User


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def snapshot():
    return [model.objects.count() for model in (
        WorkingGroup, GroupMember, NationalGroup, NationalMember, Scenario, ScenarioVersion, Milestone, MilestoneReminder, HoursDeclaration,
        AuditEntry, OutgoingEmail, User,
    )]


def test_seed_demo_twice_changes_nothing(db):
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def test_every_selected_proposal_has_its_group(seeded, db):
    selected = Proposal.objects.filter(theme__entry__call__year="2026-2027", state=ProposalState.SELECTED)
    assert selected.count() >= 15
    assert set(WorkingGroup.objects.values_list("proposal_id", flat=True)) == set(selected.values_list("pk", flat=True))
    problems = {group.title: composition_problems(group) for group in with_composition(WorkingGroup.objects.all()) if not group.composition_ok}
    assert problems == {
        "Mentorat entre lycéennes de NSI et collégiennes de 3e": [
            "Le groupe doit compter exactement un·e représentant·e CARDIE (actuellement : 0)."
        ],
    }
    # Each national group carries the referents of its entry's groups.
    for national in NationalGroup.objects.all():
        referents = {m.email for m in GroupMember.objects.filter(group__entry=national.entry, role=TeamRole.REFERENT)}
        assert set(national.members.filter(role="referent").values_list("email", flat=True)) == referents
        assert national.members.filter(role="igesr").count() == 1 and 1 <= national.members.filter(role="tn3_expert").count() <= 2


def test_the_demo_accounts_work_in_a_grenoble_group(seeded, db):
    group = WorkingGroup.objects.get(title="Parcours différenciés en calcul mental avec MathALÉA")
    members = dict(group.members.filter(user__email__endswith="@demo.traam.example").values_list("user__email", "role"))
    assert members == {
        "enseignant.grenoble@demo.traam.example": TeamRole.TEACHER,
        "inspecteur.maths.grenoble@demo.traam.example": TeamRole.INSPECTOR,
        "cardie.grenoble@demo.traam.example": TeamRole.CARDIE,
    }
    states = Counter(Scenario.objects.filter(group__academy__code="grenoble", group__entry__code="mathematiques").values_list("state", flat=True))
    # Something for the inspector to validate and to publish, and for the teacher to rework.
    assert states[ScenarioState.SUBMITTED] >= 1 and states[ScenarioState.VALIDATED] >= 1 and states[ScenarioState.RETURNED] >= 1
    assert HoursDeclaration.objects.filter(member__email="enseignant.grenoble@demo.traam.example", state=HoursState.DECLARED).exists()


def test_scenarios_at_every_state_and_enough_published(seeded, db):
    states = Counter(Scenario.objects.values_list("state", flat=True))
    assert set(states) == set(ScenarioState.values)
    published = Scenario.objects.filter(state=ScenarioState.PUBLISHED)
    assert published.count() >= 12
    assert published.values("group__entry").distinct().count() == 5
    assert {s.ai_usage for s in published} == set(AIUsage.values)
    assert published.values("class_levels").distinct().count() >= 3
    assert published.values("crcn_competences").distinct().count() >= 10
    for scenario in published:
        assert scenario.edubase_url.startswith("https://edubase.eduscol.education.fr/fiche/") and not edubase_errors(scenario.edubase_url)
        assert missing_for_validation(scenario) == []
        assert scenario.published_at.year == 2026 and scenario.versions.count() >= 3
    assert Scenario.objects.values("slug").distinct().count() == Scenario.objects.count()


def test_the_calendar_shows_groups_ahead_and_behind(seeded, db):
    import datetime

    assert Milestone.objects.filter(call__year="2026-2027").count() == 5
    rows = group_progress(WorkingGroup.objects.all(), today=datetime.date(2026, 11, 20))
    behind = sorted(row.group.title for row in rows if row.is_behind)
    assert behind == ["Capture the flag au lycée : un parcours ludique de cybersécurité", "Mentorat entre lycéennes de NSI et collégiennes de 3e"]
    assert sorted(MilestoneReminder.objects.values_list("group__title", flat=True)) == behind


def test_hours_in_every_state(seeded, db):
    states = Counter(HoursDeclaration.objects.values_list("state", flat=True))
    assert states[HoursState.VALIDATED] > 20 and states[HoursState.DECLARED] > 10 and states[HoursState.REFUSED] == 1
    refused = HoursDeclaration.objects.get(state=HoursState.REFUSED)
    assert refused.member.email == "enseignant.grenoble@demo.traam.example" and refused.refusal_comment
