"""Routes of the public catalogue, under ``/catalogue/``: the search, each
published scenario's page (by its stable slug) and its attachments."""

from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.search, name="search"),
    path("<slug:slug>/", views.scenario, name="scenario"),
    path("<slug:slug>/fichiers/<int:pk>/", views.attachment_download, name="attachment"),
]
