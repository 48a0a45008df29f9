"""Running a bilan (bilans/rendering.py, bilans/tasks.py, the worker's side of
bilans/services.py): one claim per run, progress in the database, a finished
run never redone, failures recorded with their reason, passing errors
retried, and the periodic check that hands lost runs over again."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from bilans import rendering, services, tasks
from bilans.enums import RunState
from bilans.models import BilanRun
from traam.audit import history
from traam.celery import app
from traam.models import Call, OutgoingEmail

LATER = datetime.timedelta(hours=2)


@pytest.fixture
def queued(corpus, call, maths_entry, pilot):
    return services.request_bilan(call, maths_entry, acting_user=pilot)[0]


def reload(run):
    return BilanRun.objects.get(pk=run.pk)


def test_a_run_is_claimed_once(queued):
    claimed = services.claim_run(queued.pk)
    assert (claimed.state, claimed.attempts, claimed.progress) == (RunState.RUNNING, 1, 0)
    assert claimed.lease_expires_at > timezone.now()
    assert services.claim_run(queued.pk) is None  # a second message for the same run
    assert reload(queued).attempts == 1


def test_a_running_run_whose_lease_expired_can_be_claimed_again(queued):
    services.claim_run(queued.pk)
    assert services.claim_run(queued.pk, now=timezone.now() + LATER).attempts == 2


def test_the_task_renders_the_run_and_reports_each_step(queued, pilot):
    assert tasks.render_bilan.apply(args=[queued.pk]).get() == "done"
    run = reload(queued)
    assert (run.state, run.progress, run.message, run.error, run.attempts) == (RunState.DONE, 100, "Terminé", "", 1)
    assert run.file.name.startswith("bilans/2026-2027/traam-2026-2027-mathematiques-v1-") and run.file.name.endswith(".pdf")
    assert default_storage.exists(run.file.name)
    with default_storage.open(run.file.name, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert run.size == default_storage.size(run.file.name) and run.pages >= 5 and run.scenario_count == 4
    assert run.started_at <= run.finished_at and run.lease_expires_at is None
    assert [(e.from_state, e.to_state) for e in history(run)] == [("running", "done"), ("queued", "running"), ("", "queued")]
    email = OutgoingEmail.objects.get()
    assert email.to == [pilot.email]
    assert email.subject == "Bilan TraAM 2026-2027 prêt : Mathématiques (version 1)"
    assert "La version 1 du bilan national TraAM 2026-2027 « Mathématiques » est prête" in email.body


def test_a_finished_run_is_not_done_again(queued):
    assert rendering.render_run(queued.pk) == "done"
    name = reload(queued).file.name
    assert rendering.render_run(queued.pk) == "skipped"
    assert tasks.render_bilan.apply(args=[queued.pk]).get() == "skipped"
    run = reload(queued)
    assert (run.state, run.attempts, run.file.name) == (RunState.DONE, 1, name)
    assert OutgoingEmail.objects.count() == 1


def test_progress_is_written_by_the_claim_holder_only(queued):
    mine = services.claim_run(queued.pk)
    services.report_progress(mine, 40, "Mise en page")
    assert (reload(queued).progress, reload(queued).message) == (40, "Mise en page")
    # Its lease expired, and another worker claimed the run.
    other = services.claim_run(queued.pk, now=timezone.now() + LATER)
    with pytest.raises(services.LostClaim):
        services.report_progress(mine, 60, "Écriture")
    with pytest.raises(services.LostClaim):
        services.complete_run(mine, name="bilans/x.pdf", pages=1, size=1, scenario_count=1)
    assert not services.fail_run(mine, "trop tard")
    run = reload(queued)
    assert (run.state, run.attempts, run.progress) == (RunState.RUNNING, other.attempts, 0)


def test_a_broken_document_fails_the_run_with_its_reason(queued, pilot, settings, tmp_path):
    broken = tmp_path / "templates" / "bilans"
    broken.mkdir(parents=True)
    (broken / "bilan_pdf.html").write_text("{% extends 'pdf/base.html' %}{% block content %}{% if %}{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]
    assert tasks.render_bilan.apply(args=[queued.pk]).get() == "failed"
    run = reload(queued)
    assert run.state == RunState.FAILED and run.finished_at is not None and not run.file
    assert run.error.startswith("Le rendu du PDF a échoué : ")
    assert "if" in run.error
    assert [(e.from_state, e.to_state) for e in history(run)][0] == ("running", "failed")
    email = OutgoingEmail.objects.get()
    assert email.subject == "Échec du bilan TraAM 2026-2027 : Mathématiques (version 1)"
    assert run.error in email.body
    # The failed version stays; the bilan can be asked for again.
    again, created = services.request_bilan(run.call, run.entry, acting_user=pilot)
    assert created and again.version == 2


@pytest.fixture
def blocked_storage(queued):
    """The storage cannot write the call's PDFs: a file stands where their folder should be."""
    year = f"bloque-{uuid.uuid4().hex[:8]}"
    Call.objects.filter(pk=queued.call_id).update(year=year)
    blocker = Path(default_storage.path(f"bilans/{year}"))
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("")
    yield blocker
    blocker.unlink(missing_ok=True)


def test_a_passing_storage_error_puts_the_run_back_in_the_queue(queued, blocked_storage):
    with pytest.raises(OSError):
        rendering.render_run(queued.pk)
    run = reload(queued)
    assert (run.state, run.attempts, run.lease_expires_at) == (RunState.QUEUED, 1, None)
    assert run.message.startswith("Nouvelle tentative prévue après une erreur passagère : ")
    assert not OutgoingEmail.objects.exists()


def test_the_task_retries_a_passing_error_then_leaves_the_run_to_the_periodic_check(queued, blocked_storage):
    # Applied here, the retries follow each other at once: four claims (the first try, three retries), then the error.
    app.conf.task_eager_propagates = False
    try:
        result = tasks.render_bilan.apply(args=[queued.pk])
    finally:
        app.conf.task_eager_propagates = True
    assert result.state == "FAILURE" and isinstance(result.result, OSError)
    run = reload(queued)
    assert (run.state, run.attempts) == (RunState.QUEUED, 4)
    # The storage is back, but the run has had its share of attempts: the next claim fails it.
    blocked_storage.unlink()
    assert rendering.render_run(queued.pk) == "skipped"
    run = reload(queued)
    assert run.state == RunState.FAILED
    assert run.error == "Le rendu a été interrompu 4 fois : il est abandonné. Relancez la génération."


def test_the_periodic_check_takes_back_a_run_whose_worker_died(queued, django_capture_on_commit_callbacks):
    services.claim_run(queued.pk)  # the worker claimed it, then was killed: nothing more happens
    assert services.requeue_stale_runs() == []  # its lease still runs
    handed = services.requeue_stale_runs(now=timezone.now() + LATER)
    # No broker in the tests: handed over means rendered inline.
    assert handed == [queued.pk]
    run = reload(queued)
    assert (run.state, run.attempts) == (RunState.DONE, 2)
    assert "Rendu interrompu (bail expiré) : relancé." in [e.comment for e in history(run)]


def test_the_periodic_check_hands_over_a_run_no_broker_accepted(queued):
    assert reload(queued).enqueued_at is None  # the commit hook never ran: as if the broker was down
    assert services.requeue_stale_runs() == []  # within its grace period
    assert services.requeue_stale_runs(now=timezone.now() + LATER) == [queued.pk]
    assert reload(queued).state == RunState.DONE


def test_the_periodic_check_leaves_handed_and_finished_runs_alone(queued, call, lettres_entry, pilot):
    BilanRun.objects.filter(pk=queued.pk).update(enqueued_at=timezone.now())
    assert services.requeue_stale_runs(now=timezone.now() + datetime.timedelta(minutes=5)) == []
    done, _ = services.request_bilan(call, lettres_entry, acting_user=pilot)
    rendering.render_run(done.pk)
    assert services.requeue_stale_runs(now=timezone.now() + LATER) == [queued.pk]  # its message may be lost: sent again
    assert reload(done).attempts == 1


def test_the_requeue_task(queued):
    BilanRun.objects.filter(pk=queued.pk).update(requested_at=timezone.now() - LATER)
    assert tasks.requeue_stale_runs.apply().get() == [queued.pk]


def test_a_request_renders_inline_without_a_broker(corpus, call, maths_entry, pilot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    run = reload(run)
    assert run.state == RunState.DONE and run.enqueued_at is None
    assert [message.subject for message in mail.outbox] == ["Bilan TraAM 2026-2027 prêt : Mathématiques (version 1)"]


def test_asking_again_for_a_run_stuck_in_the_queue_hands_it_over_again(queued, pilot, django_capture_on_commit_callbacks):
    BilanRun.objects.filter(pk=queued.pk).update(requested_at=timezone.now() - LATER)  # no broker took it
    with django_capture_on_commit_callbacks(execute=True):
        run, created = services.request_bilan(queued.call, queued.entry, acting_user=pilot)
    assert (run.pk, created) == (queued.pk, False)
    assert reload(queued).state == RunState.DONE
