"""Routes of the read-only JSON API, under ``/api/v1/``: the documentation
page, the OpenAPI description, the published scenarios (*séquences*), calls
(*appels*), their entries (*entrées*) and themes (*thématiques*)."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("", api.documentation, name="documentation"),
    path("schema/", api.SchemaView.as_view(), name="schema"),
    path("sequences/", api.ScenarioList.as_view(), name="sequence-list"),
    path("sequences/<slug:slug>/", api.ScenarioDetail.as_view(), name="sequence-detail"),
    path("appels/", api.CallList.as_view(), name="call-list"),
    path("appels/<str:year>/", api.CallDetail.as_view(), name="call-detail"),
    path("appels/<str:year>/entrees/", api.EntryList.as_view(), name="call-entries"),
    path("thematiques/", api.ThemeList.as_view(), name="theme-list"),
]
