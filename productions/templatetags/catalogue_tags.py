"""Template helpers of the public catalogue, for the pages of ``traam`` that
point to it (``traam`` does not import ``productions``; its templates load
these tags)::

    {% load catalogue_tags %}
    {% call_scenarios call %}      on a call's page: its published scenarios
    {% catalogue_entry %}          on the home page: the catalogue's entry point
"""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from ..catalogue.search import public_scenarios

register = template.Library()


@register.inclusion_tag("productions/catalogue/_call_scenarios.html")
def call_scenarios(call, heading_level=2):
    """The link to the catalogue filtered on ``call``'s year, with the number of its published scenarios (one query)."""
    count = public_scenarios().filter(group__call=call).count()
    return {
        "call": call,
        "count": count,
        "url": reverse("catalogue:search") + "?" + urlencode({"annee": call.year}),
        "heading_level": heading_level,
    }


@register.inclusion_tag("productions/catalogue/_home_entry.html")
def catalogue_entry(heading_level=2):
    """The catalogue's entry point: a search box and the number of published scenarios (one query)."""
    return {"count": public_scenarios().count(), "heading_level": heading_level}
