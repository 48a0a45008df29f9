"""The reviewers' pages and the academies' results (mounted at ``/selection/``)."""

from django.urls import path

from . import views_reviewer

urlpatterns = [
    path("evaluations/", views_reviewer.reviewer_list, name="reviewer_list"),
    path("evaluations/<int:pk>/", views_reviewer.review, name="review"),
    path("evaluations/<int:pk>/conflit/", views_reviewer.declare_conflict, name="declare_conflict"),
    path("evaluations/<int:pk>/pieces-jointes/<int:att_pk>/", views_reviewer.attachment, name="attachment"),
    path("resultats/", views_reviewer.results, name="results"),
    path("resultats/<str:year>/", views_reviewer.results, name="results"),
]
