import socket

from celery import shared_task
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from .models import OutgoingEmail, WorkerHeartbeat


@shared_task(acks_late=True)
def send_email(email_id):
    """Send one outbox message once: the conditional update claims it."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        EmailMessage(subject=email.subject, body=email.body, to=email.to).send()
    except Exception as exc:
        OutgoingEmail.objects.filter(pk=email_id).update(sent_at=None, last_error=str(exc)[:2000])
        raise
    return True


@shared_task
def send_pending_emails():
    pending = OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=10).values_list("pk", flat=True)[:500]
    sent = 0
    for email_id in pending:
        try:
            sent += bool(send_email(email_id))
        except Exception:
            continue
    return sent


@shared_task
def record_worker_heartbeat():
    name = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})
    return name
