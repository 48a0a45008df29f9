"""Search over the published scenarios, shared by the catalogue's pages and the
JSON API: one FilterSet (``ScenarioFilter``), facets with counts, French
full-text search.

On PostgreSQL the search uses the ``french_unaccent`` text-search configuration
(French stemming after ``unaccent``, created by a migration) on the stored
``Scenario.search_vector`` (GIN-indexed, refreshed by ``index_scenarios`` when a
scenario is published), ranked by ``ts_rank``. On SQLite (the local demo) every
word must appear, accents and case ignored, in one of the indexed fields; the
rank counts the words found in the title."""

import hashlib
import re
import unicodedata

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.core.cache import cache
from django.db.models import Case, Count, F, Func, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.dispatch import receiver
from django.db.backends.signals import connection_created
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from candidatures.enums import AIUsage
from traam.models import Academy, ClassLevel, CrcnCompetence, Discipline

from ..enums import ScenarioState
from ..models import Scenario, WorkingGroup

CONFIG = "french_unaccent"
MAX_QUERY_LENGTH = 200
# The scenario's own text, by weight (A counts most in the rank).
WEIGHTED_FIELDS = (
    ("title", "A"),
    ("summary", "B"),
    ("problem", "B"),
    ("disciplinary_competences", "C"),
    ("digital_tools", "C"),
    ("ai_tools", "D"),
)
# The group's words: the entry (discipline) and academy names, the group's title.
GROUP_FIELDS = (("entry__name", "C"), ("entry__discipline__name", "C"), ("academy__name", "D"), ("title", "D"))


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def public_scenarios():
    """Every published scenario of a published call, with what a list shows (a
    fixed number of queries whatever their number). The catalogue's pages, the
    API, OAI-PMH and the sitemap all start here."""
    return (
        Scenario.objects.filter(state=ScenarioState.PUBLISHED, group__call__is_published=True)
        .select_related("group__academy", "group__entry__discipline", "group__call")
        .prefetch_related(
            Prefetch("class_levels", queryset=ClassLevel.objects.order_by("order", "name")),
            Prefetch("crcn_competences", queryset=CrcnCompetence.objects.order_by("code")),
        )
    )


# --- Indexing (PostgreSQL) ----------------------------------------------------------------------


def _vector():
    vector = None
    for field, weight in WEIGHTED_FIELDS:
        part = SearchVector(field, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    for field, weight in GROUP_FIELDS:
        words = Subquery(WorkingGroup.objects.filter(pk=OuterRef("group_id")).values(field)[:1])
        vector = vector + SearchVector(Coalesce(words, Value("")), weight=weight, config=CONFIG)
    return vector


def index_scenarios(scenarios=None) -> int:
    """Refresh the stored search vector of ``scenarios`` (all published ones by
    default) in one UPDATE; nothing to do on SQLite. Returns the rows touched."""
    if not is_postgresql():
        return 0
    if scenarios is None:
        scenarios = Scenario.objects.filter(state=ScenarioState.PUBLISHED)
    return Scenario.objects.filter(pk__in=scenarios.values("pk")).update(search_vector=_vector())


# --- SQLite: accent-insensitive matching ------------------------------------------------------


def fold(text) -> str:
    """Lower case without accents: « Évaluation » → « evaluation »."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@receiver(connection_created)
def _register_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("traam_fold", 1, fold, deterministic=True)


class Fold(Func):
    function = "traam_fold"


def words(query) -> list[str]:
    return [w for w in re.split(r"[\W_]+", fold(query)) if len(w) > 1][:12]


def _sqlite_search(queryset, query):
    terms = words(query)
    if not terms:
        return queryset.annotate(rank=Value(0)).none()
    fields = [f for f, _w in WEIGHTED_FIELDS] + ["group__" + f for f, _w in GROUP_FIELDS]
    folded = {"folded_" + f.replace("__", "_"): Fold(f) for f in fields}
    queryset = queryset.alias(**folded)
    for term in terms:
        condition = Q()
        for name in folded:
            condition |= Q(**{name + "__contains": term})
        queryset = queryset.filter(condition)
    in_title = [Case(When(folded_title__contains=term, then=Value(1)), default=Value(0)) for term in terms]
    return queryset.annotate(rank=sum(in_title[1:], start=in_title[0]))


def search(queryset, query):
    """Scenarios of ``queryset`` matching ``query``, annotated with ``rank``."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return queryset
    if not is_postgresql():
        return _sqlite_search(queryset, query)
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    return queryset.filter(search_vector=search_query).annotate(rank=SearchRank(F("search_vector"), search_query))


def title_sort_key():
    """The title as a French reader sorts it: « Évaluation » among the E, not
    after « Z » (the database's collation may be C; ``unaccent`` is installed
    with the search configuration on PostgreSQL)."""
    if is_postgresql():
        return Lower(Func(F("title"), function="unaccent"))
    return Fold("title")


# --- Filters and facets -------------------------------------------------------------------------

FACETS_CACHE_SECONDS = 600


def catalogue_stamp() -> str:
    """Changes whenever the public catalogue does: a scenario published or
    changed, a call published or withdrawn (one aggregate query)."""
    stamp = Scenario.objects.filter(state=ScenarioState.PUBLISHED, group__call__is_published=True).aggregate(
        count=Count("pk"), changed=Max("updated_at"), published=Max("published_at"), last=Max("pk"),
    )
    return "{count}-{changed}-{published}-{last}".format(**stamp)

SCREEN_CHOICES = (("avec", _("avec écran")), ("sans", _("sans écran")))
SORT_CHOICES = (
    ("pertinence", _("pertinence")),
    ("recentes", _("les plus récentes")),
    ("anciennes", _("les plus anciennes")),
    ("titre", _("titre (A → Z)")),
)
ORDERINGS = {
    "recentes": ("-published_at", "-pk"),
    "anciennes": ("published_at", "pk"),
    "titre": ("title", "pk"),
}


def _years():
    from traam.models import Call

    return [(year, year) for year in Call.objects.filter(is_published=True, working_groups__scenarios__state=ScenarioState.PUBLISHED).order_by("-year").values_list("year", flat=True).distinct()]


class ScenarioFilter(django_filters.FilterSet):
    """The catalogue's search form; every value is in the address (shareable),
    the same parameters serve the JSON API."""

    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_text", max_length=MAX_QUERY_LENGTH)
    discipline = django_filters.ModelMultipleChoiceFilter(
        label=_("Discipline"), field_name="group__entry__discipline__code", to_field_name="code", queryset=Discipline.objects.order_by("name"),
    )
    niveau = django_filters.ModelMultipleChoiceFilter(
        label=_("Niveau de classe"), field_name="class_levels__code", to_field_name="code", queryset=ClassLevel.objects.order_by("order", "name"),
    )
    academie = django_filters.ModelMultipleChoiceFilter(
        label=_("Académie"), field_name="group__academy__code", to_field_name="code", queryset=Academy.objects.order_by("name"),
    )
    crcn = django_filters.ModelMultipleChoiceFilter(
        label=_("Compétence du CRCN"), field_name="crcn_competences__code", to_field_name="code", queryset=CrcnCompetence.objects.order_by("code"),
    )
    ia = django_filters.MultipleChoiceFilter(label=_("Usage de l'IA"), field_name="ai_usage", choices=AIUsage.choices)
    annee = django_filters.MultipleChoiceFilter(label=_("Année"), field_name="group__call__year", choices=_years)
    ecran = django_filters.ChoiceFilter(label=_("Écran"), choices=SCREEN_CHOICES, method="filter_screen", empty_label=_("avec ou sans écran"))
    tri = django_filters.ChoiceFilter(label=_("Trier par"), choices=SORT_CHOICES, method="filter_noop", empty_label=None)

    # The facets shown with counts, in the order of the page (the ``ecran`` facet too).
    FACETS = ("discipline", "niveau", "academie", "crcn", "ia", "annee", "ecran")

    class Meta:
        model = Scenario
        fields = []

    def filter_text(self, queryset, name, value):
        return search(queryset, value)

    def filter_screen(self, queryset, name, value):
        return queryset.filter(with_screen=(value == "avec"))

    def filter_noop(self, queryset, name, value):
        return queryset

    @property
    def sort(self) -> str:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        sort = data.get("tri") or ("pertinence" if data.get("q") else "recentes")
        return "recentes" if sort == "pertinence" and not data.get("q") else sort

    @property
    def qs(self):
        if not hasattr(self, "_ordered_qs"):
            queryset = super().qs
            # A many-to-many filter can repeat a scenario: keep each once.
            if any(self.form.cleaned_data.get(name) for name in ("niveau", "crcn")) if self.form.is_valid() else False:
                queryset = queryset.distinct()
            if self.sort == "pertinence":
                queryset = queryset.order_by("-rank", "-published_at", "-pk")
            elif self.sort == "titre":
                queryset = queryset.order_by(title_sort_key(), "pk")
            else:
                queryset = queryset.order_by(*ORDERINGS[self.sort])
            self._ordered_qs = queryset
        return self._ordered_qs

    def facets(self) -> dict:
        """For each facet, ``[(value, label, count, selected)]``: the count is
        what the results would hold with that value, the other criteria kept
        (one query per facet). Kept in the cache for a search until the public
        catalogue changes (``catalogue_stamp``): a search asked again costs one
        query instead of a dozen."""
        if not self.form.is_valid():
            return {}
        key = self._facets_cache_key()
        result = cache.get(key)
        if result is None:
            result = self._compute_facets()
            cache.set(key, result, FACETS_CACHE_SECONDS)
        return result

    def _facets_cache_key(self) -> str:
        criteria = sorted(
            (name, sorted(getattr(v, "code", v) for v in value) if isinstance(value, (list, tuple)) or hasattr(value, "model") else value)
            for name, value in self.form.cleaned_data.items()
            if name != "tri"
        )
        material = repr((catalogue_stamp(), str(self.queryset.query), criteria, translation.get_language()))
        return "catalogue-facets:" + hashlib.sha256(material.encode()).hexdigest()

    def _compute_facets(self) -> dict:
        data = self.form.cleaned_data
        result = {}
        for name in self.FACETS:
            queryset = self.queryset
            for other, value in data.items():
                if other != name and other in self.filters and value not in (None, "", [], ()) and other != "tri":
                    queryset = self.filters[other].filter(queryset, value)
            result[name] = self._facet(name, queryset, data.get(name))
        return result

    def _facet(self, name, queryset, selected):
        return [(value, str(label), count, chosen) for value, label, count, chosen in self._facet_values(name, queryset, selected)]

    def _facet_values(self, name, queryset, selected):
        if name == "ecran":
            counts = dict(queryset.values_list("with_screen").annotate(n=Count("pk", distinct=True)).order_by())
            return [(value, label, counts.get(value == "avec", 0), selected == value) for value, label in SCREEN_CHOICES]
        field = self.filters[name].field_name
        counts = dict(queryset.values_list(field).annotate(n=Count("pk", distinct=True)).order_by())
        chosen = {getattr(v, "code", v) for v in (selected or [])}
        if name in ("ia", "annee"):
            choices = AIUsage.choices if name == "ia" else _years()
            return [(value, label, counts.get(value, 0), value in chosen) for value, label in choices if counts.get(value) or value in chosen]
        objects = self.filters[name].queryset.filter(code__in=[code for code in counts if code is not None] + list(chosen))
        return [(obj.code, str(obj), counts.get(obj.code, 0), obj.code in chosen) for obj in objects]
