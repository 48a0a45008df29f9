"""Two pilots acting at the same instant, on PostgreSQL: the seats of an entry
are never exceeded and the results are published once."""

import threading

import pytest
from django.db import close_old_connections, connection

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from selection import services
from selection.models import Publication, Selection
from selection.services import SelectionError
from tests.selection.conftest import AFTER_DEADLINE, justify_other_entries, make_sent
from traam.audit import history
from traam.models import Academy, Call, Entry, OutgoingEmail, User

pytestmark = pytest.mark.services


def at_once(*actions):
    """Run each action in its own thread and database connection, released
    together; returns their outcomes (the action's result label or "refused")."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        close_old_connections()  # each thread opens its own database connection
        try:
            barrier.wait(timeout=10)
            outcomes.append(action())
        except SelectionError:
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
def six_sent(transactional_db, maths_theme, pilot):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL (the CI run sets DATABASE_URL)")
    academies = Academy.objects.filter(code__in=["grenoble", "lyon", "paris", "lille", "nantes", "rennes"]).order_by("code")
    return [make_sent(maths_theme, academy, f"Projet {academy.code}") for academy in academies]


def test_selecting_the_5th_and_6th_at_once_leaves_five(six_sent, pilot):
    for proposal in six_sent[:4]:
        services.select(proposal, acting_user=pilot)

    def select(proposal):
        def action():
            services.select(Proposal.objects.get(pk=proposal.pk), acting_user=User.objects.get(pk=pilot.pk))
            return "selected"

        return action

    assert at_once(select(six_sent[4]), select(six_sent[5])) == ["refused", "selected"]
    entry = Entry.objects.get(pk=six_sent[0].theme.entry_id)
    assert Selection.objects.filter(entry=entry).count() == 5
    # One audit entry per selection that happened.
    assert history(entry).filter(comment__startswith="Candidature sélectionnée").count() == 5


def test_two_simultaneous_publications_publish_once(six_sent, pilot):
    for proposal in six_sent[:5]:
        services.select(proposal, acting_user=pilot)
    call = Call.objects.get(pk=six_sent[0].theme.entry.call_id)
    justify_other_entries(call, pilot, "mathematiques")

    def publish():
        services.publish_results(Call.objects.get(pk=call.pk), acting_user=User.objects.get(pk=pilot.pk), now=AFTER_DEADLINE)
        return "published"

    assert at_once(publish, publish) == ["published", "refused"]
    assert Publication.objects.count() == 1
    assert sorted(Proposal.objects.values_list("state", flat=True)) == [ProposalState.NOT_SELECTED] + [ProposalState.SELECTED] * 5
    for proposal in Proposal.objects.all():
        assert history(proposal).filter(from_state=ProposalState.SENT).count() == 1
    # One e-mail per team, not two (no DAN nor inspector in these academies).
    assert OutgoingEmail.objects.filter(subject__startswith="Projet TraAM").count() == 6


def test_a_selection_racing_the_publication_is_in_it_or_refused(six_sent, pilot):
    for proposal in six_sent[:4]:
        services.select(proposal, acting_user=pilot)
    call = Call.objects.get(pk=six_sent[0].theme.entry.call_id)
    justify_other_entries(call, pilot)  # mathematics too: publishable with four

    def select():
        services.select(Proposal.objects.get(pk=six_sent[4].pk), acting_user=User.objects.get(pk=pilot.pk))
        return "selected"

    def publish():
        services.publish_results(Call.objects.get(pk=call.pk), acting_user=User.objects.get(pk=pilot.pk), now=AFTER_DEADLINE)
        return "published"

    outcomes = at_once(select, publish)
    fifth = Proposal.objects.get(pk=six_sent[4].pk)
    if outcomes == ["published", "selected"]:  # the selection went first: it is published as selected
        assert fifth.state == ProposalState.SELECTED
    else:  # the publication went first: the selection came too late
        assert outcomes == ["published", "refused"]
        assert fifth.state == ProposalState.NOT_SELECTED and not Selection.objects.filter(proposal=fifth).exists()
    assert Selection.objects.count() == Proposal.objects.filter(state=ProposalState.SELECTED).count()
