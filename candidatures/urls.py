from django.urls import path

from . import views

app_name = "candidatures"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("thematique/<int:theme_id>/deposer/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/retirer/", views.withdraw, name="withdraw"),
]
