"""Faults of the real services during a request, against the real PostgreSQL
and Redis (marker ``services``; missing, they skip locally and fail in CI):

- Redis out of reach while a teacher submits a proposal: the submission is
  saved (state, audit entry, e-mails in the outbox) and the page answers as
  usual; once Redis is back, a real worker running the periodic sweep sends
  each e-mail exactly once.
- The database connection lost in the middle of a request that writes
  several rows: the portal's French error page, nothing of the request
  written, and the next request works (Django connects again).

A Celery worker killed during a bilan is ``tests/bilans/test_worker.py``."""

import contextlib
import os
import re

import psycopg
import pytest
from kombu import pools as kombu_pools
from django.db import connection
from django.test import Client
from django.urls import reverse

from candidatures import services
from candidatures.enums import ProposalState
from candidatures.forms import ProposalForm, team_initial
from candidatures.models import Proposal, TeamMember
from tests.bilans.conftest import wait_for, worker, worker_queue  # noqa: F401 (fixtures)
from tests.bilans.test_worker import closed_port
from tests.candidatures.conftest import open_window
from tests.conftest import IN_CI, require
from tests.utils import text_of
from traam import audit
from traam.celery import app
from traam.models import OutgoingEmail

pytestmark = pytest.mark.services

SWEEP = "traam.tasks.send_pending_emails"


def edit_data(proposal, **changes):
    """What the edit page posts for the proposal as stored (``changes`` on top)."""
    data = {}
    for name, value in ProposalForm.initial_for(proposal).items():
        data[name] = [str(item) for item in value] if isinstance(value, list) else ("" if value is None else str(value))
    members = team_initial(proposal)
    data.update({"team-TOTAL_FORMS": str(len(members)), "team-INITIAL_FORMS": "0", "team-MIN_NUM_FORMS": "0", "team-MAX_NUM_FORMS": "1000"})
    for index, member in enumerate(members):
        data.update({f"team-{index}-{key}": value for key, value in member.items()})
    return {**data, **changes}


def _forget_producers():
    """Celery keeps its producers (and their connection to the broker) once
    made: drop them, so that the next message connects to ``broker_url`` anew."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools per connection in a registry of its own: empty it
    # too, or the next message is handed a pool closed above.
    kombu_pools.reset()


@contextlib.contextmanager
def broker_out_of_reach():
    """The portal's Celery app pointed at a port nobody listens on."""
    previous = app.conf.broker_url
    _forget_producers()
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/5"
    try:
        yield
    finally:
        _forget_producers()
        app.conf.broker_url = previous


def outbox(proposal):
    return OutgoingEmail.objects.filter(subject__contains=proposal.title).order_by("pk")


def test_a_submission_while_redis_is_away_is_saved_and_its_emails_go_once_redis_is_back(worker, complete, call, teacher_grenoble):  # noqa: F811
    open_window(call)
    client = Client()
    client.force_login(teacher_grenoble)
    address = reverse("candidatures:edit", args=[complete.pk])
    with broker_out_of_reach():
        response = client.post(address, edit_data(complete, submit=""))
    # The page answers as usual: the proposal is submitted, the team is told an e-mail follows.
    assert response.status_code == 302 and response.url == reverse("candidatures:detail", args=[complete.pk])
    assert "Votre candidature est déposée." in text_of(client.get(response.url))
    proposal = Proposal.objects.get(pk=complete.pk)
    assert proposal.state == ProposalState.SUBMITTED and proposal.submitted_at is not None
    entries = [(entry.from_state, entry.to_state, entry.actor_id) for entry in audit.history(proposal)]
    assert (ProposalState.DRAFT, ProposalState.SUBMITTED, teacher_grenoble.pk) in entries
    # The receipt to the team and the notice to the inspectors wait in the outbox, unsent.
    emails = list(outbox(proposal))
    assert len(emails) == 2, [email.subject for email in emails]
    assert all(email.sent_at is None and email.attempts == 0 for email in emails)

    # Redis is back, with a worker: the periodic sweep (beat, every minute) sends them.
    worker.start()
    from traam.tasks import send_pending_emails

    send_pending_emails.delay()
    assert wait_for(lambda: not outbox(proposal).filter(sent_at__isnull=True).exists(), timeout=60), worker.output
    # A second sweep finds nothing to send: each e-mail went exactly once.
    send_pending_emails.delay()
    assert wait_for(lambda: len(worker.results(SWEEP)) == 2, timeout=60), worker.output
    assert worker.results(SWEEP) == ["2", "0"]
    assert sorted(email.attempts for email in outbox(proposal)) == [1, 1]


# --- The database connection lost during a request -----------------------------------------------------


def on_postgresql():
    """PostgreSQL only (its sessions can be killed from outside). CI's second
    pass, on SQLite by design (no DATABASE_URL), leaves it to the first."""
    if connection.vendor == "postgresql":
        return
    if IN_CI and not os.environ.get("DATABASE_URL"):
        pytest.skip("SQLite pass of CI: the PostgreSQL pass runs this test")
    require(False, "needs PostgreSQL (DATABASE_URL=postgres://…)")


def _admin_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, autocommit=True,
    )


def _terminate_own_backend():
    """Kill the current request's database session from another connection,
    as a PostgreSQL restart or a network cut would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with _admin_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _snapshot(proposal_pk):
    proposal = Proposal.objects.get(pk=proposal_pk)
    return {
        "proposal": (proposal.title, proposal.summary, proposal.version, proposal.state),
        "team": sorted(TeamMember.objects.filter(proposal_id=proposal_pk).values_list("email", "role", "first_name")),
        "history": audit.history(proposal).count(),
    }


def test_the_database_lost_during_a_request_gives_a_clear_error_page_and_writes_nothing(
    transactional_db, complete, call, teacher_grenoble, monkeypatch,
):
    on_postgresql()
    open_window(call)
    before = _snapshot(complete.pk)
    replace_team = services.replace_team

    def cut_then_replace_team(*args, **kwargs):
        # The content and its version are written (save_draft ran in the same transaction): the connection dies now.
        _terminate_own_backend()
        return replace_team(*args, **kwargs)

    monkeypatch.setattr(services, "replace_team", cut_then_replace_team)
    client = Client(raise_request_exception=False)
    client.force_login(teacher_grenoble)
    address = reverse("candidatures:edit", args=[complete.pk])
    data = edit_data(complete, title="Titre jamais enregistré", summary="Résumé jamais enregistré")
    data.update({"team-0-first_name": "Prénom jamais enregistré"})
    response = client.post(address, data)

    # The portal's error page, in French: what happened, that nothing is half-saved, what to do.
    assert response.status_code == 500
    page = " ".join(text_of(response).split())
    assert "<h1>Erreur inattendue</h1>" in page
    assert "le service rencontre un problème" in page
    assert "Rien de ce que vous avez envoyé n'a été enregistré à moitié" in page
    assert "réessayez dans quelques instants" in page
    assert not re.search(r"Traceback|OperationalError|psycopg|terminating connection", page)

    # Nothing of the request is in the database: neither the content, nor its version, nor the team, nor an audit entry.
    monkeypatch.setattr(services, "replace_team", replace_team)
    assert _snapshot(complete.pk) == before

    # The next request works: Django opens a new connection, and the same save goes through.
    response = client.post(address, data)
    assert response.status_code == 302, response.content.decode()[:500]
    after = _snapshot(complete.pk)
    assert after["proposal"][:2] == ("Titre jamais enregistré", "Résumé jamais enregistré")
    assert after["proposal"][2] > before["proposal"][2] and after["history"] > before["history"]
    assert any(first_name == "Prénom jamais enregistré" for _email, _role, first_name in after["team"])
