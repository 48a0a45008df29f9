"""The generic audit trail that every service function writes to."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(subject, *, actor, action, from_state="", to_state="", comment="", **data) -> AuditEntry:
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        comment=comment or "",
        data=data,
    )


def history(subject):
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
