"""Two people acting at the same instant, on PostgreSQL: the groups open once,
a scenario's version is not overwritten, and a person's hours never exceed the
call's cap."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection

from candidatures.enums import ProposalState, TeamRole
from candidatures.models import Proposal, TeamMember
from productions import services
from productions.models import GroupMember, HoursDeclaration, Scenario, WorkingGroup
from tests.factories import make_user
from traam.enums import Role
from traam.models import Academy, Call, Theme, User

pytestmark = pytest.mark.services


def at_once(*actions):
    """Run each action in its own thread and database connection, released
    together; returns their outcomes (the action's result label or "refused")."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            outcomes.append(action())
        except services.ProductionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def selected(transactional_db, pilot):
    """Two selected Grenoble mathematics proposals with their teams (a shortcut)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL (the CI run sets DATABASE_URL)")
    grenoble = Academy.objects.get(code="grenoble")
    theme = Theme.objects.get(entry__call__year="2026-2027", entry__code="mathematiques")
    teacher = make_user("prof@example.test", Role.TEACHER, academy=grenoble)
    inspector = make_user("ia-ipr@example.test", Role.INSPECTOR, academy=grenoble)
    proposals = []
    for number in (1, 2):
        proposal = Proposal.objects.create(theme=theme, academy=grenoble, lead=teacher, title=f"Projet {number}", state=ProposalState.SELECTED)
        TeamMember.objects.bulk_create([
            TeamMember(proposal=proposal, first_name="Léa", last_name="Prof", email=teacher.email, role=TeamRole.TEACHER, user=teacher),
            TeamMember(proposal=proposal, first_name="Inès", last_name="Morel", email=f"ref{number}@example.test", role=TeamRole.REFERENT),
            TeamMember(proposal=proposal, first_name="Ana", last_name="Ipr", email=inspector.email, role=TeamRole.INSPECTOR, user=inspector),
        ])
        proposals.append(proposal)
    return proposals


def test_the_groups_open_once(selected, pilot):
    call = Call.objects.get(year="2026-2027")

    def open_them():
        return f"opened {len(services.open_groups(Call.objects.get(pk=call.pk), acting_user=User.objects.get(pk=pilot.pk)))}"

    assert at_once(open_them, open_them) == ["opened 0", "opened 2"]
    assert WorkingGroup.objects.count() == 2 and GroupMember.objects.count() == 6


def test_a_version_is_saved_once(selected, pilot):
    services.open_groups(Call.objects.get(year="2026-2027"), acting_user=pilot)
    teacher = User.objects.get(email="prof@example.test")
    scenario = services.create_scenario(WorkingGroup.objects.first(), acting_user=teacher, title="Fractions")

    def save(summary):
        def action():
            services.save_scenario(Scenario.objects.get(pk=scenario.pk), {"summary": summary}, acting_user=User.objects.get(pk=teacher.pk),
                                   expected_version=1)
            return "saved"

        return action

    assert at_once(save("Un"), save("Deux")) == ["refused", "saved"]
    scenario.refresh_from_db()
    assert (scenario.version, scenario.versions.count()) == (2, 2)


def test_simultaneous_declarations_stay_under_the_cap(selected, pilot):
    call = Call.objects.get(year="2026-2027")
    services.open_groups(call, acting_user=pilot)
    services.set_hours_cap(call, 10, acting_user=pilot)
    teacher = User.objects.get(email="prof@example.test")
    first, second = WorkingGroup.objects.order_by("pk")

    def declare(group, month):
        def action():
            services.declare_hours(
                WorkingGroup.objects.get(pk=group.pk), acting_user=User.objects.get(pk=teacher.pk), month=datetime.date(2026, month, 1),
                hours=6, description="Conception", today=datetime.date(2026, 11, 20),
            )
            return "declared"

        return action

    assert at_once(declare(first, 9), declare(second, 10)) == ["declared", "refused"]
    assert HoursDeclaration.objects.count() == 1
