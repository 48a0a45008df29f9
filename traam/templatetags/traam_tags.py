from django import template
from django.core.exceptions import FieldDoesNotExist

from ..audit import history

register = template.Library()


@register.inclusion_tag("traam/_history.html")
def history_block(subject, limit=50):
    """The audit trail of any object: ``{% history_block proposal %}``. States
    read with their French label: the model's ``state`` choices, or its
    ``STATE_LABELS`` when its states are not a field."""
    labels = getattr(subject, "STATE_LABELS", None)
    if labels is None:
        try:
            labels = dict(subject._meta.get_field("state").flatchoices)
        except FieldDoesNotExist:
            labels = {}
    entries = list(history(subject)[:limit])
    for entry in entries:
        entry.from_label = labels.get(entry.from_state, entry.from_state)
        entry.to_label = labels.get(entry.to_state, entry.to_state)
    return {"entries": entries}
