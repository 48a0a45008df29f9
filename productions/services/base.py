"""What the services of the production year share: their error, the audit
entry dated by the caller's clock, the group's addresses, numbers from forms."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower

from traam import audit
from traam.models import AuditEntry, User
from traam.rules import is_pilot

EMAILS = "productions/emails/"
INTEGER = re.compile(r"[+-]?[0-9]{1,6}")


class ProductionError(ValidationError):
    """A rule of the production year refused the change; the messages are
    French and meant for the user."""


def record(subject, *, actor, now=None, **kwargs):
    """The audit entry, dated ``now`` when the caller gave the clock."""
    entry = audit.record(subject, actor=actor, **kwargs)
    if now is not None and abs(entry.created_at - now) > datetime.timedelta(seconds=1):
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=now)
        entry.created_at = now
    return entry


def person_name(user) -> str:
    return user.get_full_name() or user.email


def group_emails(group) -> list[str]:
    """Every member's address (members without an account too)."""
    return list(group.members.values_list("email", flat=True))


def accounts_by_email(emails) -> dict:
    """Account ids by lower-cased address (addresses are compared case-insensitively)."""
    emails = {email.lower() for email in emails}
    if not emails:
        return {}
    return dict(User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails).values_list("email_lower", "pk"))


def check_pilot(acting_user):
    if not is_pilot(acting_user):
        raise PermissionDenied


def parse_count(value):
    """An integer from a form or an API (3, "3", 3.0), None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    text = str(value).strip()
    if not INTEGER.fullmatch(text):
        raise ValueError(value)
    return int(text)
