"""The read-only JSON API of the public catalogue, under ``/api/v1/``: the
published scenarios (*séquences*), filtered with the catalogue's own
``ScenarioFilter``, and the published calls with their entries and themes.

Only what the public pages show: never a person (no name, no e-mail address,
no author or validator), never a scenario that is not published, never a call
that is not. Anonymous and read-only (``REST_FRAMEWORK`` in the settings);
every list is paginated and runs a fixed number of queries whatever its
length. The OpenAPI description is drf-spectacular's (``/api/v1/schema/``); the
page at ``/api/v1/`` explains the API in French."""

import django_filters
from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from traam.models import Academy, Call, ClassLevel, CrcnCompetence, DigitalCommon, Discipline, Entry, Theme

from .. import licences
from ..enums import Licence
from ..models import Scenario, ScenarioAttachment
from .search import ScenarioFilter, public_scenarios

READ_ONLY = ["get", "head", "options"]
PAGE_SIZE_MAX = 100


class Pagination(PageNumberPagination):
    """Pages of ``PAGE_SIZE`` (20) items; ``page_size`` asks for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_MAX
    page_query_description = gettext_lazy("Numéro de la page (à partir de 1).")
    page_size_query_description = gettext_lazy("Nombre de résultats par page (20 par défaut, 100 au plus).")


def _absolute(serializer, path) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# --- Querysets: only what is public ------------------------------------------------------------


def api_scenarios():
    """The published scenarios of the published calls, with what the list shows."""
    return public_scenarios()


def api_scenario_details():
    """The same, with everything the detail shows (a fixed number of queries)."""
    return api_scenarios().select_related("group__proposal__theme__entry__call").prefetch_related(
        Prefetch("commons", queryset=DigitalCommon.objects.order_by("name")),
        Prefetch("attachments", queryset=ScenarioAttachment.objects.order_by("uploaded_at", "pk")),
    )


def published_themes():
    return Theme.objects.filter(entry__call__is_published=True).select_related("entry__call", "entry__discipline")


def _entries_with_themes(call):
    return (
        Entry.objects.filter(call=call)
        .select_related("call", "discipline")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
        .order_by("order", "name")
    )


def published_calls():
    entries = Entry.objects.select_related("discipline").annotate(theme_count=Count("themes")).order_by("order", "name")
    return Call.objects.published().prefetch_related(Prefetch("entries", queryset=entries)).order_by("-opens_on", "pk")


# --- Serializers ------------------------------------------------------------------------------------


class DisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["code", "name"]


class AcademySerializer(serializers.ModelSerializer):
    class Meta:
        model = Academy
        fields = ["code", "name"]


class ClassLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassLevel
        fields = ["code", "name"]


class CrcnCompetenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrcnCompetence
        fields = ["code", "name"]


class DigitalCommonSerializer(serializers.ModelSerializer):
    class Meta:
        model = DigitalCommon
        fields = ["code", "name", "url"]


class EntryReferenceSerializer(serializers.ModelSerializer):
    """Discipline ou enseignement of a call, as a scenario names it."""

    class Meta:
        model = Entry
        fields = ["code", "name"]


class LicenceSerializer(serializers.Serializer):
    """The scenario's open licence: its code in the portal, its name, its SPDX
    identifier and the page that states it."""

    code = serializers.ChoiceField(choices=Licence.choices, source="licence")
    label = serializers.CharField(source="get_licence_display")
    spdx = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_spdx(self, scenario) -> str:
        return licences.info(scenario.licence).spdx

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, scenario):
        return licences.info(scenario.licence).url


class AttachmentSerializer(serializers.ModelSerializer):
    """A published scenario's file, downloadable by anyone."""

    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ScenarioAttachment
        fields = ["id", "name", "content_type", "size", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment):
        return _absolute(self, reverse("catalogue:attachment", kwargs={"slug": attachment.scenario.slug, "pk": attachment.pk}))


class ScenarioThemeSerializer(serializers.ModelSerializer):
    """The theme of the call the scenario's group worked on."""

    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = ["order", "title", "page_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, theme):
        return _absolute(self, theme.get_absolute_url())


class ScenarioSerializer(serializers.ModelSerializer):
    """Séquence pédagogique publiée, as a list shows it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:sequence-detail", lookup_field="slug")
    page_url = serializers.SerializerMethodField()
    call_year = serializers.CharField(source="group.call.year")
    discipline = DisciplineSerializer(source="group.entry.discipline")
    entry = EntryReferenceSerializer(source="group.entry")
    academy = AcademySerializer(source="group.academy")
    class_levels = ClassLevelSerializer(many=True)
    crcn_competences = CrcnCompetenceSerializer(many=True)
    ai_usage_label = serializers.CharField(source="get_ai_usage_display")
    licence = LicenceSerializer(source="*")

    class Meta:
        model = Scenario
        fields = [
            "slug", "url", "page_url", "title", "summary", "call_year", "discipline", "entry", "academy", "class_levels",
            "crcn_competences", "ai_usage", "ai_usage_label", "with_screen", "licence", "published_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, scenario):
        return _absolute(self, reverse("catalogue:scenario", kwargs={"slug": scenario.slug}))


class ScenarioDetailSerializer(ScenarioSerializer):
    """Séquence pédagogique publiée, with all its public metadata."""

    group_title = serializers.CharField(source="group.title")
    theme = ScenarioThemeSerializer(source="group.proposal.theme")
    commons = DigitalCommonSerializer(many=True)
    total_minutes = serializers.IntegerField(allow_null=True, read_only=True)
    attachments = AttachmentSerializer(many=True)

    class Meta(ScenarioSerializer.Meta):
        fields = [
            *ScenarioSerializer.Meta.fields[:-1],
            "problem", "disciplinary_competences", "digital_tools", "commons", "ai_tools", "ai_precautions", "sessions",
            "session_minutes", "total_minutes", "group_title", "theme", "edubase_url", "attachments", "published_at",
        ]


class ThemeInEntrySerializer(serializers.ModelSerializer):
    """Thématique of an entry, with its text from the call."""

    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = ["order", "title", "full_title", "keywords", "description_html", "eligibility_text", "page_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, theme):
        return _absolute(self, theme.get_absolute_url())


class ThemeSerializer(ThemeInEntrySerializer):
    """Thématique, with its call and its entry."""

    call_year = serializers.CharField(source="entry.call.year")
    entry = EntryReferenceSerializer()
    discipline = DisciplineSerializer(source="entry.discipline")

    class Meta(ThemeInEntrySerializer.Meta):
        fields = ["call_year", "entry", "discipline", *ThemeInEntrySerializer.Meta.fields]


class EntrySerializer(serializers.ModelSerializer):
    """Discipline ou enseignement of a call, with its themes."""

    discipline = DisciplineSerializer()
    themes = ThemeInEntrySerializer(many=True)

    class Meta:
        model = Entry
        fields = ["code", "name", "order", "seats", "discipline", "introduction_html", "themes"]


class CallEntrySerializer(serializers.ModelSerializer):
    """Discipline ou enseignement of a call, in the call's summary."""

    discipline = DisciplineSerializer()
    theme_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Entry
        fields = ["code", "name", "order", "seats", "discipline", "theme_count"]


class CallSerializer(serializers.ModelSerializer):
    """Appel à projets publié (one school year), its dates and its entries.
    Its contacts are left out: they name people."""

    url = serializers.HyperlinkedIdentityField(view_name="api:call-detail", lookup_field="year")
    entries_url = serializers.HyperlinkedIdentityField(view_name="api:call-entries", lookup_field="year")
    page_url = serializers.SerializerMethodField()
    entries = CallEntrySerializer(many=True)

    class Meta:
        model = Call
        fields = [
            "year", "title", "tagline", "url", "entries_url", "page_url", "opens_on", "synthesis_deadline", "results_on",
            "production_starts_on", "production_ends_on", "entries",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, call):
        return _absolute(self, call.get_absolute_url())


class CallDetailSerializer(CallSerializer):
    class Meta(CallSerializer.Meta):
        fields = [*CallSerializer.Meta.fields[:-1], "introduction_html", "organisation_html", "entries"]


# --- Filters -------------------------------------------------------------------------------------

# The catalogue's reference filters go through ``<relation>__code`` with
# ``to_field_name="code"``, a path drf-spectacular cannot follow to a model
# field (it would warn and say nothing): the schema is told what each
# parameter takes. Only the schema reads this annotation; the filters
# themselves are untouched.
PARAMETER_DESCRIPTIONS = {
    "q": gettext_lazy(
        "Mots recherchés (200 caractères au plus) dans le titre, le résumé, la problématique, les compétences, les outils, "
        "la discipline, l'académie et l'intitulé du groupe ; en français, sans tenir compte des accents."
    ),
    "discipline": gettext_lazy("Code d'une discipline, par exemple « mathematiques ». Répétable."),
    "niveau": gettext_lazy("Code d'un niveau de classe, par exemple « college ». Répétable."),
    "academie": gettext_lazy("Code d'une académie, par exemple « grenoble ». Répétable."),
    "crcn": gettext_lazy("Code d'une compétence du CRCN, par exemple « 1.3 ». Répétable."),
    "annee": gettext_lazy("Année d'un appel, par exemple « 2026-2027 ». Répétable."),
}


def _described(filter_field, name):
    return extend_schema_field({"type": "string", "description": PARAMETER_DESCRIPTIONS[name]})(filter_field)


for _name in PARAMETER_DESCRIPTIONS:
    _described(ScenarioFilter.base_filters[_name], _name)


def _published_years():
    return [(year, year) for year in Call.objects.published().order_by("-opens_on").values_list("year", flat=True)]


class ThemeFilter(django_filters.FilterSet):
    """The themes of the published calls, by year and discipline (the catalogue's parameter names)."""

    annee = _described(
        django_filters.MultipleChoiceFilter(label=gettext_lazy("Année"), field_name="entry__call__year", choices=_published_years), "annee",
    )
    discipline = _described(
        django_filters.ModelMultipleChoiceFilter(
            label=gettext_lazy("Discipline"), field_name="entry__discipline__code", to_field_name="code",
            queryset=Discipline.objects.order_by("name"),
        ),
        "discipline",
    )

    class Meta:
        model = Theme
        fields = []


# --- Views ---------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("Le message d'erreur, en français."))


FILTER_ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=gettext_lazy("Paramètre invalide : pour chaque paramètre en cause, la liste de ses erreurs."),
)


def _documented(view_class, *, responses=None, parameters=()):
    """The view's French name and description serve its OPTIONS answer and its
    operation in the OpenAPI description."""
    responses = {200: view_class.serializer_class, **(responses or {})}
    return extend_schema_view(get=extend_schema(
        summary=view_class.name, description=view_class.description, responses=responses, parameters=list(parameters),
    ))(view_class)


class ReadOnlyAPIView(generics.GenericAPIView):
    """Anonymous reading only: any other method is answered 405; an unknown or
    unpublished object is answered 404 with ``not_found`` (French)."""

    http_method_names = READ_ONLY
    pagination_class = Pagination
    filter_backends = []
    not_found = gettext_lazy("Ressource inconnue.")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(self.not_found) from None


class ScenarioList(ReadOnlyAPIView, generics.ListAPIView):
    name = gettext_lazy("Séquences publiées")
    description = gettext_lazy(
        "Les séquences pédagogiques publiées, des plus récentes aux plus anciennes (ou par pertinence avec « q »). "
        "Les paramètres sont ceux du catalogue ; un paramètre peut être répété (« niveau=college&niveau=lycee ») : "
        "les valeurs d'un même paramètre s'ajoutent, les paramètres différents se combinent."
    )
    serializer_class = ScenarioSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ScenarioFilter

    def get_queryset(self):
        return api_scenarios()


class ScenarioDetail(ReadOnlyAPIView, generics.RetrieveAPIView):
    name = gettext_lazy("Une séquence publiée")
    description = gettext_lazy(
        "Toutes les métadonnées publiques d'une séquence, par son identifiant public (celui de sa page dans le catalogue) ; "
        "404 pour une séquence inconnue ou non publiée."
    )
    not_found = gettext_lazy("Aucune séquence publiée ne porte cet identifiant.")
    serializer_class = ScenarioDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return api_scenario_details()


class CallList(ReadOnlyAPIView, generics.ListAPIView):
    name = gettext_lazy("Appels à projets publiés")
    description = gettext_lazy("Les appels publiés, du plus récent au plus ancien, avec leurs dates et leurs disciplines ou enseignements.")
    serializer_class = CallSerializer

    def get_queryset(self):
        return published_calls()


class CallDetail(ReadOnlyAPIView, generics.RetrieveAPIView):
    name = gettext_lazy("Un appel à projets publié")
    description = gettext_lazy(
        "L'appel de l'année donnée (par exemple 2026-2027), avec sa présentation ; 404 pour un appel inconnu ou non publié."
    )
    not_found = gettext_lazy("Aucun appel à projets publié pour cette année.")
    serializer_class = CallDetailSerializer
    lookup_field = "year"

    def get_queryset(self):
        return published_calls()


class EntryList(ReadOnlyAPIView, generics.ListAPIView):
    name = gettext_lazy("Disciplines et thématiques d'un appel")
    description = gettext_lazy(
        "Les disciplines ou enseignements de l'appel, chacun avec ses thématiques ; 404 pour un appel inconnu ou non publié."
    )
    not_found = CallDetail.not_found
    serializer_class = EntrySerializer

    def get_queryset(self):
        call = Call.objects.published().filter(year=self.kwargs["year"]).first()
        if call is None:
            raise NotFound(self.not_found)
        return _entries_with_themes(call)


class ThemeList(ReadOnlyAPIView, generics.ListAPIView):
    name = gettext_lazy("Thématiques des appels publiés")
    description = gettext_lazy(
        "Toutes les thématiques des appels publiés, de l'appel le plus récent au plus ancien, dans l'ordre de l'appel ; "
        "filtrables par année et par discipline."
    )
    serializer_class = ThemeSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ThemeFilter

    def get_queryset(self):
        return published_themes().order_by("-entry__call__opens_on", "entry__order", "order", "pk")


YEAR = OpenApiParameter(
    "year", OpenApiTypes.STR, OpenApiParameter.PATH, description=gettext_lazy("Année de l'appel, par exemple 2026-2027."),
)
SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH,
    description=gettext_lazy("Identifiant public de la séquence, celui de sa page dans le catalogue (/catalogue/<slug>/)."),
)
NOT_FOUND = {404: ErrorSerializer}
_documented(ScenarioList, responses={400: FILTER_ERRORS})
_documented(ScenarioDetail, responses=NOT_FOUND, parameters=[SLUG])
_documented(CallList)
_documented(CallDetail, responses=NOT_FOUND, parameters=[YEAR])
_documented(EntryList, responses=NOT_FOUND, parameters=[YEAR])
_documented(ThemeList, responses={400: FILTER_ERRORS})


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 description: JSON by default, YAML with ``?format=yaml``."""

    http_method_names = READ_ONLY
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


# --- The documentation page ----------------------------------------------------------------------

# What each of the catalogue's parameters takes, for the documentation page.
PARAMETER_VALUES = {
    "q": gettext_lazy(
        "des mots, cherchés dans le titre, le résumé, la problématique, les compétences, les outils, la discipline, l'académie "
        "et l'intitulé du groupe"
    ),
    "discipline": gettext_lazy("code d'une discipline (par exemple « mathematiques »)"),
    "niveau": gettext_lazy("code d'un niveau de classe (par exemple « college »)"),
    "academie": gettext_lazy("code d'une académie (par exemple « grenoble »)"),
    "crcn": gettext_lazy("code d'une compétence du CRCN (par exemple « 1.3 »)"),
    "ia": gettext_lazy("usage de l'intelligence artificielle : « none », « teacher_practice » ou « student_learning »"),
    "annee": gettext_lazy("année d'un appel (par exemple « 2026-2027 »)"),
    "ecran": gettext_lazy("« avec » ou « sans » écran"),
    "tri": gettext_lazy("« pertinence » (avec « q »), « recentes » (par défaut), « anciennes » ou « titre »"),
}


@require_GET
def documentation(request):
    """La page qui présente l'API : ses adresses, ses paramètres, sa pagination et la licence des données."""
    repeatable = (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter)
    parameters = [
        {"name": name, "label": flt.label, "values": PARAMETER_VALUES.get(name, ""), "repeatable": isinstance(flt, repeatable)}
        for name, flt in ScenarioFilter.base_filters.items()
    ]
    api = request.build_absolute_uri(reverse("api:documentation"))
    example = request.build_absolute_uri(reverse("api:sequence-list")) + "?discipline=mathematiques&niveau=college&page_size=50"
    return render(
        request,
        "productions/api/documentation.html",
        {
            "title": _("API des séquences et des appels"),
            "api": api,
            "example": example,
            "parameters": parameters,
            "page_size": settings.REST_FRAMEWORK["PAGE_SIZE"],
            "page_size_max": PAGE_SIZE_MAX,
            "rate": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0],
            "licences": [(Licence(code).label, info.url) for code, info in licences.LICENCES.items()],
            "breadcrumb_data": {"links": [], "current": _("API des séquences et des appels")},
        },
    )
