from django import template

from ..audit import history

register = template.Library()


@register.inclusion_tag("traam/_history.html")
def history_block(subject, limit=50):
    """The audit trail of any object: ``{% history_block proposal %}``."""
    return {"entries": list(history(subject)[:limit])}
