"""French e-mails, written to the outbox inside the caller's transaction and
sent by a worker once it commits: a lost broker message delays an e-mail, it
never loses it (the periodic sweep sends what is still pending)."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def queue_email(to, template, context) -> OutgoingEmail:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and queue the message."""
    recipients = sorted({address for address in to if address})
    context = {"portal_url": settings.PORTAL_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    email = OutgoingEmail.objects.create(to=recipients, subject=subject, body=body)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id):
    from .tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:  # broker down: the periodic sweep will send it
        logger.warning("Could not queue e-mail %s; it stays in the outbox.", email_id, exc_info=True)
