"""The bilans' pages, under ``/bilans/``: the pilot's under ``pilotage/``
(before the call years they would otherwise be taken for), then the public
list of a call's bilans and the public PDF of each."""

from django.urls import path

from . import views

app_name = "bilans"

P = "pilotage/<str:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(P, views.pilot, name="pilot"),
    path(P + "suivi/", views.pilot_runs, name="pilot_runs"),
    path(P + "generer/", views.request_one, name="request"),
    path(P + "generer-tout/", views.request_all, name="request_all"),
    path("pilotage/versions/<int:pk>/pdf/", views.download, name="download"),
    path("pilotage/versions/<int:pk>/publier/", views.publish, name="publish"),
    path("pilotage/versions/<int:pk>/retirer/", views.unpublish, name="unpublish"),
    path("<str:year>/", views.public_list, name="public_list"),
    path("<str:year>/<slug:code>/", views.public_download, name="public_download"),
]
