"""The groups' and scenarios' pages, under ``/groupes/`` (namespace ``productions``)."""

from django.urls import path

from . import views_groups, views_scenarios

urlpatterns = [
    path("", views_groups.group_list, name="group_list"),
    path("<int:pk>/", views_groups.group_detail, name="group"),
    path("<int:pk>/membres/ajouter/", views_groups.member_add, name="member_add"),
    path("<int:pk>/membres/<int:member_pk>/role/", views_groups.member_role, name="member_role"),
    path("<int:pk>/membres/<int:member_pk>/retirer/", views_groups.member_remove, name="member_remove"),
    path("<int:pk>/sequences/nouvelle/", views_scenarios.scenario_create, name="scenario_create"),
    path("nationaux/", views_groups.national_group_list, name="national_group_list"),
    path("national/<int:pk>/", views_groups.national_group_detail, name="national_group"),
    path("sequences/<int:pk>/", views_scenarios.scenario_detail, name="scenario"),
    path("sequences/<int:pk>/modifier/", views_scenarios.scenario_edit, name="scenario_edit"),
    path("sequences/<int:pk>/versions/", views_scenarios.scenario_versions, name="scenario_versions"),
    path("sequences/<int:pk>/experimentee/", views_scenarios.scenario_mark_tested, name="scenario_mark_tested"),
    path("sequences/<int:pk>/soumettre/", views_scenarios.scenario_submit, name="scenario_submit"),
    path("sequences/<int:pk>/valider/", views_scenarios.scenario_validate, name="scenario_validate"),
    path("sequences/<int:pk>/renvoyer/", views_scenarios.scenario_return, name="scenario_return"),
    path("sequences/<int:pk>/publier/", views_scenarios.scenario_publish, name="scenario_publish"),
    path("sequences/<int:pk>/edubase/", views_scenarios.scenario_edubase, name="scenario_edubase"),
    path("sequences/<int:pk>/pieces-jointes/", views_scenarios.attachment_upload, name="scenario_attachment_upload"),
    path("sequences/<int:pk>/pieces-jointes/<int:att_pk>/", views_scenarios.attachment_download, name="scenario_attachment_download"),
    path(
        "sequences/<int:pk>/pieces-jointes/<int:att_pk>/supprimer/", views_scenarios.attachment_delete, name="scenario_attachment_delete",
    ),
]
