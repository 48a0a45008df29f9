"""A real Celery worker, in its own process, against the real Redis broker."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection, transaction

from tests.conftest import port_open, require
from traam.celery import app
from traam.models import OutgoingEmail, WorkerHeartbeat
from traam.notifications import queue_email

REDIS_URL = settings.CELERY_BROKER_URL


def database_url_for_worker():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    host, port = REDIS_URL.split("//")[1].split("/")[0].split(":")
    require(port_open(host, int(port)), f"Redis is not answering at {REDIS_URL}")
    queue = f"traam-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "traam.settings.base",
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "traam", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.update(task_always_eager=False, task_default_queue=queue)
    try:
        yield process
    finally:
        app.conf.update(task_always_eager=previous[0], task_default_queue=previous[1])
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.services
def test_worker_runs_a_task_end_to_end(worker):
    from traam.tasks import record_worker_heartbeat

    result = record_worker_heartbeat.delay()
    assert wait_for(lambda: WorkerHeartbeat.objects.exists()), "the worker never ran the task"
    assert result.id


@pytest.mark.services
def test_email_queued_in_a_transaction_is_sent_by_the_worker_after_commit(worker):
    from tests.factories import make_user
    from traam.enums import Role
    from traam.models import Academy, RoleAssignment

    teacher = make_user("prof@example.test", Role.TEACHER, academy=Academy.objects.get(code="grenoble"))
    context = {"user": teacher, "assignment": RoleAssignment.objects.get(user=teacher), "new_account": False, "granted_by": "DAN"}
    with transaction.atomic():
        email = queue_email([teacher.email], "emails/role_granted", context)
        # Nothing can be sent before the commit.
        assert OutgoingEmail.objects.get(pk=email.pk).sent_at is None
    assert wait_for(lambda: OutgoingEmail.objects.get(pk=email.pk).sent_at is not None), "the worker never sent the e-mail"
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


@pytest.mark.services
def test_health_page_sees_the_broker_and_the_worker(worker, client):
    from traam.tasks import record_worker_heartbeat

    record_worker_heartbeat.delay()
    assert wait_for(lambda: WorkerHeartbeat.objects.exists())  # the worker is up
    from concurrent.futures import ThreadPoolExecutor

    def check():
        # The health view is async: call it from a thread of its own, since a
        # browser test may have left Playwright's event loop in this one.
        with ThreadPoolExecutor(1) as pool:
            responses.append(pool.submit(client.get, "/sante/", {"format": "json"}).result())
        return responses[-1].status_code == 200

    # Ping and queue inspection answer within a second or two; allow a slow machine a few tries.
    responses = []
    assert wait_for(check, timeout=45), responses[-1].json()
    body = responses[-1].json()
    assert any("Ping" in name for name in body) and any("Redis" in name for name in body), body
