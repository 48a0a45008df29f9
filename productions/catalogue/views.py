"""The public catalogue's pages (*catalogue des séquences*): the search over
every published scenario, each scenario's stable public page and its
attachments, and ``robots.txt``. Open to everyone, signed in or not; nothing
unpublished is ever shown (404). Each page does a fixed number of queries,
whatever the number of scenarios."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from traam.models import DigitalCommon

from .. import attachments, licences
from ..enums import ScenarioState
from ..models import ScenarioAttachment
from .search import SORT_CHOICES, ScenarioFilter, public_scenarios

PER_PAGE = 20
# The GET parameters of the search; anything else in the address is ignored.
PARAMETERS = ("q", "discipline", "niveau", "academie", "crcn", "ia", "annee", "ecran", "tri")
OTHER_SCENARIOS_SHOWN = 6
FOLDED_FACETS = ("academie", "crcn")


def _search_filter(params):
    """The filter for ``params`` and the French messages of the refused
    criteria: a refused criterion is dropped (with its message) and the
    others still apply, so that a stale or mistyped address still answers."""
    data = QueryDict(mutable=True)
    for name in PARAMETERS:
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            data.setlist(name, values)
    scenario_filter = ScenarioFilter(data, queryset=public_scenarios())
    problems = []
    if not scenario_filter.form.is_valid():
        for name, errors in scenario_filter.form.errors.items():
            field = scenario_filter.form.fields.get(name)
            label = field.label if field is not None else name
            problems.append(
                _("Le critère « %(label)s » n'a pas été pris en compte : %(reason)s") % {"label": label, "reason": " ".join(errors)}
            )
            data.pop(name, None)
        scenario_filter = ScenarioFilter(data, queryset=public_scenarios())
    return scenario_filter, data, problems


def _without(data, name, value=None):
    """The search's address without the criterion ``name`` (or only its ``value``)."""
    remaining = data.copy()
    if value is None:
        remaining.pop(name, None)
    else:
        kept = [v for v in remaining.getlist(name) if v != value]
        if kept:
            remaining.setlist(name, kept)
        else:
            remaining.pop(name, None)
    encoded = remaining.urlencode()
    return reverse("catalogue:search") + (f"?{encoded}" if encoded else "")


def _active_filters(scenario_filter, facets, data):
    """The criteria in force, each with the address that removes it (the tags above the results)."""
    active = []
    if data.get("q"):
        active.append({"label": _("« %(q)s »") % {"q": data["q"]}, "url": _without(data, "q")})
    for name in ScenarioFilter.FACETS:
        facet_label = scenario_filter.filters[name].label
        for value, label, _count, selected in facets.get(name, ()):
            if selected:
                active.append({
                    "label": _("%(facet)s : %(value)s") % {"facet": facet_label, "value": label},
                    "url": _without(data, name, value if name != "ecran" else None),
                })
    return active


def _facet_groups(scenario_filter, facets):
    """The facets as the page shows them: a field name, its label, its values."""
    groups = []
    for name in ScenarioFilter.FACETS:
        values = facets.get(name, [])
        if not any(count or selected for _value, _label, count, selected in values):
            values = []  # nothing to narrow down to (e.g. no result at all)
        groups.append({
            "name": name,
            "label": scenario_filter.filters[name].label,
            "values": values,
            # The long lists start folded, unless one of their values is chosen.
            "open": name not in FOLDED_FACETS or any(selected for *_rest, selected in values),
        })
    return groups


@require_safe
def search(request):
    """Recherche dans le catalogue: full text, filters with counts, sort,
    pagination; every search is its own address (GET)."""
    scenario_filter, data, problems = _search_filter(request.GET)
    facets = scenario_filter.facets()
    page = Paginator(scenario_filter.qs, PER_PAGE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "productions/catalogue/search.html",
        {
            "title": _("Catalogue des séquences"),
            "filter": scenario_filter,
            "q": data.get("q", ""),
            "sort": scenario_filter.sort,
            "sort_choices": [(value, label) for value, label in SORT_CHOICES if value != "pertinence" or data.get("q")],
            "facet_groups": _facet_groups(scenario_filter, facets),
            "active_filters": _active_filters(scenario_filter, facets, data),
            "problems": problems,
            "page_obj": page,
            "scenarios": page.object_list,
            "query": query.urlencode(),
            "has_criteria": bool(data),
            "breadcrumb_data": {"links": [], "current": _("Catalogue des séquences")},
        },
    )


def _published(slug):
    """The published scenario at ``slug`` with everything its page shows; 404
    for an unknown or unpublished one, whoever asks."""
    return get_object_or_404(
        public_scenarios()
        .select_related("group__entry", "group__proposal__theme__entry__call")
        .prefetch_related(
            Prefetch("commons", queryset=DigitalCommon.objects.order_by("name")),
            Prefetch("attachments", queryset=ScenarioAttachment.objects.order_by("uploaded_at", "pk")),
        ),
        slug=slug,
    )


@require_safe
def scenario(request, slug):
    """La page publique d'une séquence: what a teacher needs to reuse it."""
    scenario = _published(slug)
    group = scenario.group
    others = list(
        public_scenarios().filter(group=group).exclude(pk=scenario.pk).order_by("-published_at", "pk")[:OTHER_SCENARIOS_SHOWN]
    )
    return render(
        request,
        "productions/catalogue/scenario.html",
        {
            "scenario": scenario,
            "group": group,
            "call": group.call,
            "theme": group.proposal.theme if group.proposal_id else None,
            "licence": licences.info(scenario.licence),
            "others": others,
            "title": scenario.title,
            "breadcrumb_data": {
                "links": [{"url": reverse("catalogue:search"), "title": _("Catalogue des séquences")}],
                "current": scenario.title,
            },
        },
    )


@require_safe
def attachment_download(request, slug, pk):
    """A published scenario's attachment, for anyone (the files of an
    unpublished one are the group's: 404 here)."""
    attachment = get_object_or_404(
        ScenarioAttachment.objects.select_related("scenario"), pk=pk, scenario__slug=slug, scenario__in=public_scenarios().prefetch_related(None),
    )
    return attachments.download_response(attachment)


@require_safe
def robots_txt(request):
    """Robots may read the public pages, not the signed-in areas; the sitemap lists what to index."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in (
        "/administration/", "/comptes/", "/tableau-de-bord/", "/academie/", "/candidatures/", "/selection/", "/groupes/",
        "/bilans/pilotage/",
    )]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
