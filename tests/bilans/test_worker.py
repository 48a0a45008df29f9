"""Bilans rendered by a real Celery worker, in its own process, with Redis as
the broker: from the request to the downloadable PDF; a worker killed in the
middle of a run; Redis out of reach when the run is asked for."""

import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from bilans import services, tasks
from bilans.enums import RunState
from bilans.models import BilanRun
from tests.bilans.conftest import LEASE_SECONDS, subprocess_env, wait_for
from traam.models import OutgoingEmail

pytestmark = [pytest.mark.services, pytest.mark.urls("tests.bilans.urls")]


def state_of(run):
    return BilanRun.objects.get(pk=run.pk)


def request(call, entry, pilot):
    """As the pilot's page does: the run is handed to the broker once the transaction commits."""
    with transaction.atomic():
        run, created = services.request_bilan(call, entry, acting_user=pilot)
        assert state_of(run).enqueued_at is None  # nothing leaves before the commit
    assert created
    return run


def test_a_worker_renders_the_requested_bilan_and_the_pilot_downloads_it(worker, corpus, call, maths_entry, pilot, client):
    worker.start()
    run = request(call, maths_entry, pilot)
    assert wait_for(lambda: state_of(run).state == RunState.DONE), worker.output
    run = state_of(run)
    assert (run.progress, run.attempts, run.error) == (100, 1, "")
    assert run.enqueued_at is not None and run.started_at is not None
    assert default_storage.exists(run.file.name)
    client.force_login(pilot)
    response = client.get(f"/bilans/pilotage/versions/{run.pk}/pdf/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF-") and len(body) == run.size
    # The « bilan prêt » e-mail was written by the worker, in the run's transaction.
    assert OutgoingEmail.objects.filter(subject="Bilan TraAM 2026-2027 prêt : Mathématiques (version 1)", to=[pilot.email]).exists()


def test_a_worker_killed_during_a_run_is_replaced_and_the_run_completes_once(worker, many, call, maths_entry, pilot):
    started = timezone.now().replace(microsecond=0)
    worker.start()
    run = request(call, maths_entry, pilot)
    # Killed while laying out the document (after the 25 % step, before the PDF is saved).
    assert wait_for(lambda: state_of(run).progress >= 25, interval=0.02), worker.output
    worker.kill()
    killed = state_of(run)
    assert (killed.state, killed.attempts, killed.file.name) == (RunState.RUNNING, 1, "")
    # Its message was never acknowledged, and nobody renews the run's lease (a few seconds in these tests).
    assert wait_for(lambda: state_of(run).lease_expires_at < timezone.now(), timeout=LEASE_SECONDS + 10)
    worker.start()
    tasks.requeue_stale_runs.delay()  # what beat sends every minute
    assert wait_for(lambda: state_of(run).state == RunState.DONE), worker.output
    done = state_of(run)
    assert (done.attempts, done.progress) == (2, 100)
    # Late copies of the message (a broker's redelivery) find the run done and leave it.
    tasks.render_bilan.delay(run.pk)
    tasks.render_bilan.delay(run.pk)
    assert wait_for(lambda: worker.results() == ["'done'", "'skipped'", "'skipped'"]), worker.output
    again = state_of(run)
    assert (again.state, again.attempts, again.file.name, again.finished_at) == (RunState.DONE, 2, done.file.name, done.finished_at)
    # One PDF written for the run (the storage is shared with earlier tests: those written since it started), one e-mail.
    folder = f"bilans/{call.year}"
    saved = [name for name in default_storage.listdir(folder)[1]
             if name.startswith("traam-2026-2027-mathematiques-") and default_storage.get_modified_time(f"{folder}/{name}") >= started]
    assert saved == [done.file.name.rsplit("/", 1)[1]]
    assert OutgoingEmail.objects.filter(subject="Bilan TraAM 2026-2027 prêt : Mathématiques (version 1)").count() == 1


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_run_asked_for_while_redis_is_away_runs_once_redis_is_back(worker, corpus, call, maths_entry):
    # The command, in its own process, with a broker nobody answers at.
    away = f"redis://127.0.0.1:{closed_port()}/5"
    command = subprocess.run(
        [sys.executable, "manage.py", "generate_bilans", "--call", "2026-2027", "--entry", "mathematiques"],
        cwd=settings.BASE_DIR, env=subprocess_env(worker.queue, broker_url=away), capture_output=True, text=True, timeout=120,
    )
    assert command.returncode == 0, command.stderr
    assert command.stdout.strip() == "2026-2027 · Mathématiques · version 1 · en file d'attente"
    run = BilanRun.objects.get()
    assert (run.state, run.enqueued_at, run.attempts) == (RunState.QUEUED, None, 0)  # recorded, waiting for a broker
    # Redis is back, with a worker; the periodic check hands the run over.
    worker.start()
    tasks.requeue_stale_runs.delay()
    assert wait_for(lambda: state_of(run).state == RunState.DONE), worker.output
    assert state_of(run).attempts == 1
