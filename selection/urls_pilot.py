"""The national pilot's pages, under ``/selection/pilotage/`` (``views_pilot``).
The fixed words (``publier``, ``grille``, ``evaluateurs``, ``export``) come
before the entry codes they would otherwise be taken for."""

from django.urls import path

from . import views_pilot

P = "pilotage/<str:year>/"
ENTRY = P + "<slug:entry_code>/"
PROPOSAL = ENTRY + "<int:pk>/"

urlpatterns = [
    path("pilotage/", views_pilot.pilot_home, name="pilot_home"),
    path(P, views_pilot.overview, name="pilot"),
    path(P + "publier/", views_pilot.publish, name="pilot_publish"),
    path(P + "grille/", views_pilot.grid, name="grid"),
    path(P + "grille/criteres/ajouter/", views_pilot.criterion_add, name="pilot_criterion_add"),
    path(P + "grille/criteres/<int:criterion_pk>/", views_pilot.criterion_edit, name="pilot_criterion_edit"),
    path(P + "grille/criteres/<int:criterion_pk>/retirer/", views_pilot.criterion_remove, name="pilot_criterion_remove"),
    path(P + "grille/echeance/", views_pilot.review_due, name="pilot_review_due"),
    path(P + "evaluateurs/", views_pilot.workload, name="workload"),
    path(P + "evaluateurs/relancer/", views_pilot.remind_all, name="pilot_remind_all"),
    path(P + "evaluateurs/<int:user_pk>/relancer/", views_pilot.remind, name="pilot_remind"),
    path(P + "export/<slug:kind>.<slug:fmt>", views_pilot.export, name="export"),
    path(ENTRY, views_pilot.entry, name="entry"),
    path(ENTRY + "assigner/", views_pilot.assign_entry, name="pilot_assign_entry"),
    path(ENTRY + "places-vacantes/", views_pilot.empty_seats, name="pilot_empty_seats"),
    path(PROPOSAL, views_pilot.entry_proposal, name="entry_proposal"),
    path(PROPOSAL + "selectionner/", views_pilot.select, name="pilot_select"),
    path(PROPOSAL + "retirer/", views_pilot.unselect, name="pilot_unselect"),
    path(PROPOSAL + "assigner/", views_pilot.assign_proposal, name="pilot_assign"),
    path(PROPOSAL + "assignations/<int:assignment_pk>/retirer/", views_pilot.unassign, name="pilot_unassign"),
]
