"""The matrix of the public catalogue and the exchanges: the search and each
published scenario's page and files (/catalogue/), ScoLOMFR records and
OAI-PMH, the read-only JSON API (/api/v1/), the sitemap and robots.txt.

Public: the same answer for everyone, signed in or not. Scenarios:
``published`` (of the Grenoble group) and ``draft`` (not published: 404 for
everyone, the pilot included — the group's own pages are under /groupes/)."""

from .matrix import ANON, NOT_ALLOWED, NOT_FOUND, OK, PILOT, SKIP, STRANGER, Url, roles

CALL = "2026-2027"
everyone = roles(OK)
published_only = roles({"published": OK, "draft": NOT_FOUND})
SCENARIOS = {
    "published": lambda w: {"slug": w.objects.scenario_published.slug},
    "draft": lambda w: {"slug": w.objects.scenario_draft.slug},
}
# The API is read-only: a POST is refused whoever sends it.
read_only = roles(NOT_ALLOWED)

ENTRIES = [
    Url("catalogue:search", get=everyone),
    Url("catalogue:scenario", objects=SCENARIOS, get=published_only),
    Url("catalogue:attachment", objects={
        "published": lambda w: {"slug": w.objects.scenario_published.slug, "pk": w.objects.scenario_attachment_published.pk},
        "draft": lambda w: {"slug": w.objects.scenario_draft.slug, "pk": w.objects.scenario_attachment.pk},
    }, get=published_only),
    Url("exchange:scolomfr", objects=SCENARIOS, get=published_only),
    Url("exchange:oai", get=everyone, query={"verb": "Identify"}),
    Url("api:documentation", get=everyone),
    # The same description for everyone, and a costly one to generate: three roles stand for all.
    Url("api:schema", get=roles(SKIP, **{ANON: OK, STRANGER: OK, PILOT: OK})),
    Url("api:sequence-list", get=everyone, post=read_only),
    Url("api:sequence-detail", objects=SCENARIOS, get=published_only, post=roles({"published": NOT_ALLOWED, "draft": NOT_ALLOWED})),
    Url("api:call-list", get=everyone, post=read_only),
    Url("api:call-detail", objects={"-": lambda w: {"year": CALL}}, get=everyone),
    Url("api:call-entries", objects={"-": lambda w: {"year": CALL}}, get=everyone),
    Url("api:theme-list", get=everyone),
    Url("sitemap", get=everyone),
    Url("robots_txt", get=everyone),
]
