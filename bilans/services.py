"""The bilans' transitions: requesting, running, finishing, publishing.

Who acts:
- the national pilot requests, publishes and withdraws bilans (views);
- the system (``acting_user=None``: the ``generate_bilans`` command, the
  periodic check) may request them too; the history then shows no author;
- the worker moves a run from queued to running to done or failed
  (``claim_run`` … ``fail_run``, called by ``bilans.rendering``).

A run's state lives in the database. A request writes the run and hands its id
to the broker only after the transaction commits; when the broker cannot be
reached the run stays queued and :func:`requeue_stale_runs` (every minute,
from Celery beat) hands it over again, as it does for a running run whose
worker stopped renewing its lease (killed, or past its time limit). Every
claim is a conditional UPDATE, so two messages for one run render it once."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traam import audit
from traam.enums import AuditAction
from traam.models import AuditEntry, Call
from traam.notifications import queue_email
from traam.rules import is_pilot

from . import data
from .enums import BilanKind, RunState
from .models import BilanRun

logger = logging.getLogger(__name__)

EMAILS = "bilans/emails/"
# Rendering one bilan takes seconds; these bound a run that goes wrong.
SOFT_TIME_LIMIT = getattr(settings, "BILANS_SOFT_TIME_LIMIT", 240)
TIME_LIMIT = getattr(settings, "BILANS_TIME_LIMIT", 300)
# A running run whose worker has not renewed its lease by then is taken back.
LEASE = datetime.timedelta(seconds=getattr(settings, "BILANS_LEASE_SECONDS", TIME_LIMIT + 60))
# A queued run that no broker accepted is handed over again after this…
UNSENT_GRACE = datetime.timedelta(seconds=getattr(settings, "BILANS_UNSENT_GRACE_SECONDS", 30))
# … and one whose message may have been lost, after this.
QUEUED_TIMEOUT = datetime.timedelta(minutes=10)
# Claims of one run (a killed worker, a retry): the next one fails it instead.
MAX_ATTEMPTS = 4


class BilanError(ValidationError):
    """A rule of the bilans refused the change; the messages are French and meant for the user."""


class LostClaim(Exception):
    """The run is no longer this worker's (taken back after its lease expired)."""


# --- Helpers ----------------------------------------------------------------------------


def _check_actor(acting_user):
    """The national pilot, or the system (None: the command, the periodic check)."""
    if acting_user is not None and not is_pilot(acting_user):
        raise PermissionDenied


def _record(run, *, actor, now=None, **kwargs):
    entry = audit.record(run, actor=actor, **kwargs)
    if now is not None and abs(entry.created_at - now) > datetime.timedelta(seconds=1):
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=now)
    return entry


def _lock_call(call) -> Call:
    """Requests and publications of a call's bilans take turns on its row."""
    return Call.objects.select_for_update().get(pk=call.pk)


def active_run(call, entry=None, kind=BilanKind.ENTRY):
    return BilanRun.objects.filter(call=call, entry=entry, kind=kind, state__in=RunState.active).first()


def _kind_for(entry, kind):
    kind = kind or (BilanKind.ENTRY if entry is not None else BilanKind.FOCUS_AI)
    if (kind == BilanKind.ENTRY) != (entry is not None):
        raise BilanError(_("Le bilan d'une discipline porte sur une discipline de l'appel ; le focus IA, sur tout l'appel."), code="kind")
    return BilanKind(kind)


def bilan_title(entry) -> str:
    return entry.name if entry is not None else _("Focus sur les usages de l'intelligence artificielle")


# --- Requests -----------------------------------------------------------------------------


def request_bilan(call, entry=None, *, kind=None, acting_user, now=None) -> tuple[BilanRun, bool]:
    """Ask for a new version of the bilan of ``entry`` (or of the focus on AI,
    ``kind=BilanKind.FOCUS_AI`` without an entry). Returns ``(run, created)``:
    when the bilan is already queued or running, the request joins that run
    (``created`` is False), and hands it over again when it is stuck in the
    queue. The run is handed to a worker once the transaction commits;
    without a broker it renders inline at that moment."""
    _check_actor(acting_user)
    kind = _kind_for(entry, kind)
    if entry is not None and entry.call_id != call.pk:
        raise BilanError(_("Cette discipline n'appartient pas à l'appel %(year)s.") % {"year": call.year}, code="entry")
    now = now or timezone.now()
    with transaction.atomic():
        _lock_call(call)
        if (run := active_run(call, entry, kind)) is not None:
            if _stuck_in_queue(run, now):
                transaction.on_commit(lambda: enqueue(run.pk))
            return run, False
        if not data.published_count(call, entry):
            if entry is None:
                message = _("Aucune séquence publiée de l'appel %(year)s n'utilise l'intelligence artificielle : le focus serait vide.")
            else:
                message = _("Aucune séquence publiée en %(entry)s pour l'appel %(year)s : le bilan serait vide.")
            raise BilanError(message % {"year": call.year, "entry": bilan_title(entry)}, code="empty")
        latest = BilanRun.objects.filter(call=call, entry=entry, kind=kind).aggregate(latest=Max("version"))["latest"] or 0
        try:
            with transaction.atomic():
                run = BilanRun.objects.create(
                    call=call, entry=entry, kind=kind, version=latest + 1, state=RunState.QUEUED,
                    message=_("En file d'attente"), requested_by=acting_user, requested_at=now,
                )
        except IntegrityError:
            # Another request won the race (a database without row locks): join it.
            if (run := active_run(call, entry, kind)) is not None:
                return run, False
            raise
        _record(run, actor=acting_user, now=now, action=AuditAction.CREATED, to_state=RunState.QUEUED, version=run.version)
        transaction.on_commit(lambda: enqueue(run.pk))
    return run, True


def _stuck_in_queue(run, now) -> bool:
    """Queued, and no broker took it lately (down when it was asked for, or its message lost)."""
    if run.state != RunState.QUEUED:
        return False
    if run.enqueued_at is None:
        return run.requested_at < now - UNSENT_GRACE
    return run.enqueued_at < now - QUEUED_TIMEOUT


def request_all(call, *, acting_user, now=None) -> list[tuple[BilanRun, bool]]:
    """Ask for the bilan of every entry with published scenarios, and for the
    focus on AI when some published scenario uses AI. Bilans already under
    way are joined, not started twice."""
    _check_actor(acting_user)
    counts = data.published_counts(call)
    results = []
    with transaction.atomic():
        for entry in call.entries.order_by("order", "name"):
            if counts.get(entry.pk):
                results.append(request_bilan(call, entry, acting_user=acting_user, now=now))
        if counts[None]:
            results.append(request_bilan(call, kind=BilanKind.FOCUS_AI, acting_user=acting_user, now=now))
    if not results:
        raise BilanError(_("Aucune séquence n'est encore publiée pour l'appel %(year)s : aucun bilan à générer.") % {"year": call.year}, code="empty")
    return results


def enqueue(run_id) -> bool:
    """Hand the run to the broker. When it cannot be reached, the run stays
    queued (nothing is lost) and the periodic check will try again."""
    from .tasks import render_bilan

    try:
        render_bilan.delay(run_id)
    except Exception:  # broker down, or an inline run that raised: the run's state says what happened
        logger.warning("Could not hand bilan run %s to the broker; it stays queued.", run_id, exc_info=True)
        return False
    BilanRun.objects.filter(pk=run_id, state__in=RunState.active).update(enqueued_at=timezone.now())
    return True


def requeue_stale_runs(now=None) -> list[int]:
    """The periodic check: running runs whose lease expired (their worker was
    killed or went past its time limit) go back to the queue; queued runs that
    no broker accepted, or whose message may have been lost, are handed over
    again. Returns the ids handed over."""
    now = now or timezone.now()
    expired = list(BilanRun.objects.filter(state=RunState.RUNNING, lease_expires_at__lt=now).values_list("pk", flat=True))
    for run_id in expired:
        taken_back = BilanRun.objects.filter(pk=run_id, state=RunState.RUNNING, lease_expires_at__lt=now).update(
            state=RunState.QUEUED, lease_expires_at=None, enqueued_at=None,
            message=_("Relancé : le rendu précédent s'est interrompu"),
        )
        if taken_back:
            _record(BilanRun(pk=run_id), actor=None, now=now, action=AuditAction.STATE_CHANGED, from_state=RunState.RUNNING,
                    to_state=RunState.QUEUED, comment=_("Rendu interrompu (bail expiré) : relancé."))
    waiting = BilanRun.objects.filter(state=RunState.QUEUED).filter(
        Q(enqueued_at__isnull=True, requested_at__lt=now - UNSENT_GRACE)
        | Q(enqueued_at__isnull=True, pk__in=expired)
        | Q(enqueued_at__lt=now - QUEUED_TIMEOUT)
    )
    handed = []
    for run_id in waiting.order_by("requested_at", "pk").values_list("pk", flat=True):
        if not enqueue(run_id):
            break  # the broker is still away: the next check will try again
        handed.append(run_id)
    return handed


# --- The worker's side -------------------------------------------------------------------


def claim_run(run_id, *, now=None) -> BilanRun | None:
    """Take a queued run (or a running one whose lease expired) for this
    worker: one conditional UPDATE, so that only one worker ever holds it.
    None when there is nothing to do (already done, failed, or held)."""
    now = now or timezone.now()
    claimable = Q(state=RunState.QUEUED) | Q(state=RunState.RUNNING, lease_expires_at__lt=now)
    previous = BilanRun.objects.filter(pk=run_id).values_list("state", flat=True).first()
    exhausted = BilanRun.objects.filter(pk=run_id, attempts__gte=MAX_ATTEMPTS).filter(claimable)
    if exhausted.update(
        state=RunState.FAILED, finished_at=now, lease_expires_at=None,
        error=_("Le rendu a été interrompu %(count)s fois : il est abandonné. Relancez la génération.") % {"count": MAX_ATTEMPTS},
        message=_("Échec"),
    ):
        _notify_failure(run_id, now)
        return None
    claimed = BilanRun.objects.filter(pk=run_id).filter(claimable).update(
        state=RunState.RUNNING, progress=0, message=_("Démarrage"), error="", started_at=now,
        lease_expires_at=now + LEASE, attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    run = BilanRun.objects.select_related("call", "entry__discipline", "requested_by").get(pk=run_id)
    comment = _("Tentative n° %(attempt)s") % {"attempt": run.attempts} if run.attempts > 1 else ""
    _record(run, actor=None, now=now, action=AuditAction.STATE_CHANGED, from_state=previous, to_state=RunState.RUNNING, comment=comment)
    return run


def _held(run):
    """The run as long as this claim holds it (same attempt, still running)."""
    return BilanRun.objects.filter(pk=run.pk, state=RunState.RUNNING, attempts=run.attempts)


def report_progress(run, progress, message, *, now=None):
    """Write the step under way and renew the lease; LostClaim when the run was taken back."""
    now = now or timezone.now()
    if not _held(run).update(progress=progress, message=message, lease_expires_at=now + LEASE):
        raise LostClaim(run.pk)
    run.progress, run.message = progress, message


def complete_run(run, *, name, pages, size, scenario_count, now=None) -> BilanRun:
    """The PDF is saved under ``name``: the run is done, and its requester told so."""
    now = now or timezone.now()
    with transaction.atomic():
        done = _held(run).update(
            state=RunState.DONE, progress=100, message=_("Terminé"), finished_at=now, lease_expires_at=None,
            file=name, pages=pages, size=size, scenario_count=scenario_count,
        )
        if not done:
            raise LostClaim(run.pk)
        run.refresh_from_db()
        _record(run, actor=None, now=now, action=AuditAction.STATE_CHANGED, from_state=RunState.RUNNING, to_state=RunState.DONE,
                pages=pages, size=size)
        if run.requested_by is not None and run.requested_by.email:
            queue_email([run.requested_by.email], EMAILS + "bilan_ready", {"run": run, "title": run.title, "call": run.call})
    return run


def release_run(run, reason, *, now=None) -> bool:
    """Put the run back in the queue for a retry after a passing error."""
    now = now or timezone.now()
    return bool(_held(run).update(
        state=RunState.QUEUED, lease_expires_at=None, enqueued_at=now,
        message=_("Nouvelle tentative prévue après une erreur passagère : %(reason)s") % {"reason": reason[:200]},
    ))


def fail_run(run, reason, *, now=None) -> bool:
    """The run ended in failure, for ``reason`` (French, shown to the pilot)."""
    now = now or timezone.now()
    with transaction.atomic():
        failed = _held(run).update(
            state=RunState.FAILED, message=_("Échec"), error=reason, finished_at=now, lease_expires_at=None,
        )
        if failed:
            _record(run, actor=None, now=now, action=AuditAction.STATE_CHANGED, from_state=RunState.RUNNING, to_state=RunState.FAILED,
                    comment=reason)
            _notify_failure(run.pk, now)
    return bool(failed)


def _notify_failure(run_id, now):
    run = BilanRun.objects.select_related("call", "entry", "requested_by").get(pk=run_id)
    if run.requested_by is not None and run.requested_by.email:
        queue_email([run.requested_by.email], EMAILS + "bilan_failed", {"run": run, "title": run.title, "call": run.call})


# --- Publication ----------------------------------------------------------------------------


def publish_bilan(run, *, acting_user, now=None) -> BilanRun:
    """Make this version the public one of its bilan (the previous public
    version, if any, is withdrawn: a bilan has one public version). Only a
    finished version can be published."""
    _check_actor(acting_user)
    now = now or timezone.now()
    with transaction.atomic():
        _lock_call(run.call)
        run.refresh_from_db()
        if run.state != RunState.DONE:
            raise BilanError(
                _("Seule une version terminée peut être publiée ; celle-ci est « %(state)s ».") % {"state": RunState(run.state).label},
                code="state",
            )
        if run.is_published:
            return run
        for previous in run.same_bilan().filter(is_published=True):
            BilanRun.objects.filter(pk=previous.pk).update(is_published=False)
            _record(previous, actor=acting_user, now=now, action=AuditAction.STATE_CHANGED, from_state="published", to_state="unpublished",
                    comment=_("Remplacée par la version %(version)s.") % {"version": run.version})
        BilanRun.objects.filter(pk=run.pk).update(is_published=True, published_at=now, published_by=acting_user)
        _record(run, actor=acting_user, now=now, action=AuditAction.STATE_CHANGED, from_state=RunState.DONE, to_state="published")
        run.refresh_from_db()
    return run


def unpublish_bilan(run, *, acting_user, now=None) -> BilanRun:
    """Withdraw the public version: the bilan is no longer public until another version is published."""
    _check_actor(acting_user)
    now = now or timezone.now()
    with transaction.atomic():
        _lock_call(run.call)
        run.refresh_from_db()
        if not run.is_published:
            raise BilanError(_("Cette version n'est pas publiée."), code="state")
        BilanRun.objects.filter(pk=run.pk).update(is_published=False)
        _record(run, actor=acting_user, now=now, action=AuditAction.STATE_CHANGED, from_state="published", to_state="unpublished")
        run.refresh_from_db()
    return run


def published_run(call, code):
    """The public version of the bilan at ``code`` (an entry's code, or « ia »), or None."""
    runs = BilanRun.objects.filter(call=call, is_published=True, state=RunState.DONE).select_related("call", "entry")
    if code == BilanKind.FOCUS_AI_CODE:
        return runs.filter(kind=BilanKind.FOCUS_AI, entry__isnull=True).first()
    return runs.filter(kind=BilanKind.ENTRY, entry__code=code).first()
