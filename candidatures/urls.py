from django.urls import path

from . import views
from . import views_attachments

app_name = "candidatures"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("thematique/<int:theme_id>/deposer/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path("academie/", views.inspector_list, name="inspector_list"),
    path("<int:pk>/avis/", views.give_opinion, name="give_opinion"),
    path("<int:pk>/retour/", views.return_for_completion, name="return_for_completion"),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("<int:pk>/pieces-jointes/", views_attachments.upload, name="attachment_upload"),
    path("<int:pk>/pieces-jointes/<int:att_pk>/", views_attachments.download, name="attachment_download"),
    path("<int:pk>/pieces-jointes/<int:att_pk>/supprimer/", views_attachments.delete, name="attachment_delete"),
]
