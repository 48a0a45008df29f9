"""The portal's ``sitemap.xml``: its public pages only — the home page, the
published calls and their themes, the catalogue and every published
scenario's page (never an unpublished one). One query per section."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from traam.models import Call, Theme

from .search import public_scenarios


class PublicPagesSitemap(Sitemap):
    """The home page and the catalogue's search."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "catalogue:search"]

    def location(self, item):
        return reverse(item)


class CallSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Call.objects.published().order_by("-year")


class ThemeSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return (
            Theme.objects.filter(entry__call__is_published=True)
            .select_related("entry__call")
            .order_by("entry__call__year", "entry__order", "order")
        )


class ScenarioSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.6

    def items(self):
        # Only what a page shows in its address: no prefetch needed.
        return (
            public_scenarios().prefetch_related(None).select_related(None)
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at", "pk")
        )

    def location(self, scenario):
        return reverse("catalogue:scenario", args=[scenario.slug])

    def lastmod(self, scenario):
        return max(filter(None, (scenario.published_at, scenario.updated_at)))


SITEMAPS = {"pages": PublicPagesSitemap, "appels": CallSitemap, "thematiques": ThemeSitemap, "sequences": ScenarioSitemap}
