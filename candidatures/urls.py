from django.urls import path

from . import views
from . import views_academy, views_attachments

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
    # DAN / DRAN: the academy's follow-up and its synthesis.
    path("delegation/", views_academy.academy_home, name="academy_home"),
    path("delegation/<str:year>/<slug:academy_code>/", views_academy.academy_dashboard, name="academy"),
    path("delegation/<str:year>/<slug:academy_code>/export.<str:fmt>", views_academy.academy_export, name="academy_export"),
    path("delegation/<str:year>/<slug:academy_code>/synthese/", views_academy.synthesis_detail, name="synthesis"),
    path("delegation/<str:year>/<slug:academy_code>/synthese/composer/", views_academy.synthesis_edit, name="synthesis_edit"),
    path("delegation/<str:year>/<slug:academy_code>/synthese/envoyer/", views_academy.synthesis_send, name="synthesis_send"),
    path("delegation/<str:year>/<slug:academy_code>/synthese/pdf/", views_academy.synthesis_download, name="synthesis_pdf"),
    # The national pilot: syntheses received and extensions.
    path("syntheses/", views_academy.syntheses_overview, name="syntheses_home"),
    path("syntheses/<str:year>/", views_academy.syntheses_overview, name="syntheses"),
    path("syntheses/<str:year>/<slug:academy_code>/report/", views_academy.extension_edit, name="extension"),
    path("syntheses/<str:year>/<slug:academy_code>/report/retirer/", views_academy.extension_withdraw, name="extension_withdraw"),
]
