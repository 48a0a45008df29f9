"""Template helpers of the bilans: the list of a call's published bilans,
for the call's page::

    {% load bilans_tags %}
    {% published_bilans call %}
"""

from django import template

from ..enums import RunState
from ..models import BilanRun

register = template.Library()


@register.inclusion_tag("bilans/_published_list.html")
def published_bilans(call, heading_level=2):
    """The public versions of ``call``'s bilans (nothing when there is none): one query."""
    runs = list(
        BilanRun.objects.filter(call=call, is_published=True, state=RunState.DONE)
        .select_related("call", "entry")
        .order_by("kind", "entry__order", "entry__name")
    )
    return {"call": call, "runs": runs, "heading_level": heading_level}
