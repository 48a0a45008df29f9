"""Two pilots (or two workers) at the same instant, on PostgreSQL: one run
per bilan, one claim per run, one public version."""

import threading

import pytest
from django.db import close_old_connections, connection

from bilans import services
from bilans.enums import RunState
from bilans.models import BilanRun

pytestmark = pytest.mark.services


def at_once(*actions):
    """Run each action in its own thread and database connection, released together; their results."""
    barrier = threading.Barrier(len(actions))
    results = []

    def run(action):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            results.append(action())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL (the CI run sets DATABASE_URL)")


def done_run(call, entry, version):
    return BilanRun.objects.create(call=call, entry=entry, kind="entry", version=version, state=RunState.DONE, file=f"bilans/v{version}.pdf")


def test_two_simultaneous_requests_make_one_run(on_postgresql, worker_queue, corpus, call, maths_entry, pilot, other_pilot):
    results = at_once(*[lambda who=who: services.request_bilan(call, maths_entry, acting_user=who) for who in (pilot, other_pilot) * 3])
    assert len(results) == 6
    assert len({run.pk for run, _created in results}) == 1
    assert sorted(created for _run, created in results) == [False] * 5 + [True]
    assert BilanRun.objects.get().state == RunState.QUEUED  # handed to the broker (no worker in this test)


def test_two_workers_claim_a_run_once(on_postgresql, corpus, call, maths_entry):
    run = BilanRun.objects.create(call=call, entry=maths_entry, kind="entry", version=1)
    results = at_once(*[lambda: services.claim_run(run.pk) for _ in range(4)])
    assert sorted(result is not None for result in results) == [False, False, False, True]
    assert BilanRun.objects.get(pk=run.pk).attempts == 1


def test_two_simultaneous_publications_leave_one_public_version(on_postgresql, corpus, call, maths_entry, pilot, other_pilot):
    first, second = done_run(call, maths_entry, 1), done_run(call, maths_entry, 2)
    at_once(lambda: services.publish_bilan(first, acting_user=pilot), lambda: services.publish_bilan(second, acting_user=other_pilot))
    assert BilanRun.objects.filter(is_published=True).count() == 1
