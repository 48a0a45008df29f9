"""Routes of the catalogue's metadata exchange (urls_exchange), mounted at the
root: each published scenario's ScoLOMFR record and the OAI-PMH endpoint."""

from django.urls import path

from . import views_exchange

app_name = "exchange"

urlpatterns = [
    path("catalogue/<slug:slug>/scolomfr.xml", views_exchange.scolomfr_record, name="scolomfr"),
    path("oai/", views_exchange.oai_pmh, name="oai"),
]
