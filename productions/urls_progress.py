"""The follow-up pages of the production year (``views_progress``), under
``/groupes/``: progress, calendar, hours. Fixed words (``declarer``,
``plafond``) come before the call years and academy codes they would otherwise
be taken for."""

from django.urls import path

from . import views_progress

HOURS = "heures/"
ACADEMY = HOURS + "<str:year>/<slug:academy_code>/"

urlpatterns = [
    path("avancement/", views_progress.progress, name="progress"),
    path("avancement/<str:year>/", views_progress.progress, name="progress"),
    path("calendrier/", views_progress.calendar_home, name="calendar_home"),
    path("calendrier/<str:year>/", views_progress.calendar, name="calendar"),
    path("calendrier/<str:year>/jalons/ajouter/", views_progress.milestone_add, name="milestone_add"),
    path("calendrier/<str:year>/jalons/<int:pk>/", views_progress.milestone_edit, name="milestone_edit"),
    path("calendrier/<str:year>/jalons/<int:pk>/retirer/", views_progress.milestone_remove, name="milestone_remove"),
    path(HOURS, views_progress.hours, name="hours"),
    path(HOURS + "declarer/", views_progress.hours_declare, name="hours_declare"),
    path(HOURS + "plafond/<str:year>/", views_progress.hours_cap, name="hours_cap"),
    path(HOURS + "<int:pk>/valider/", views_progress.hours_validate, name="hours_validate"),
    path(HOURS + "<int:pk>/refuser/", views_progress.hours_refuse, name="hours_refuse"),
    path(ACADEMY, views_progress.hours_academy, name="hours_academy"),
    path(ACADEMY + "export.<slug:fmt>", views_progress.hours_export, name="hours_export"),
]
