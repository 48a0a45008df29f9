"""Template helpers of the bilans: the list of a call's published bilans,
for the call's page, and the published bilans that cite a scenario, for its
public page in the catalogue::

    {% load bilans_tags %}
    {% published_bilans call %}
    {% scenario_bilans scenario %}
"""

from django import template
from django.db.models import Q

from ..data import FOCUS_AI_USAGES
from ..enums import BilanKind, RunState
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


@register.inclusion_tag("bilans/_scenario_bilans.html")
def scenario_bilans(scenario, heading_level=2):
    """The published bilans that cite a published ``scenario``: the bilan of
    its call and entry, and the call's focus on AI when the scenario uses AI
    for one of the focus's usages (nothing when none is published). One query."""
    group = scenario.group
    wanted = Q(kind=BilanKind.ENTRY, entry_id=group.entry_id)
    if scenario.ai_usage in FOCUS_AI_USAGES:
        wanted |= Q(kind=BilanKind.FOCUS_AI, entry__isnull=True)
    runs = list(
        BilanRun.objects.filter(wanted, call_id=group.call_id, is_published=True, state=RunState.DONE)
        .select_related("call", "entry")
        .order_by("kind", "entry__order")
    )
    return {"scenario": scenario, "runs": runs, "heading_level": heading_level}
