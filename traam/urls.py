from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from productions.catalogue.sitemaps import SITEMAPS
from productions.catalogue.views import robots_txt

from . import views
from . import views_imports
from .health import PortalHealthCheckView

admin.site.site_header = _("Administration du portail TraAM")
admin.site.site_title = _("Portail TraAM")
admin.site.index_title = _("Pilotage national")

urlpatterns = [
    path("", views.home, name="home"),
    path("appels/<str:year>/", views.call_detail, name="call_detail"),
    path("appels/<str:year>/<slug:entry>/thematique-<int:order>/", views.theme_detail, name="theme_detail"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("academie/roles/", views.academy_roles, name="academy_roles"),
    path("academie/roles/<int:pk>/retirer/", views.revoke_role, name="revoke_role"),
    path("academie/enseignants/import/", views_imports.academy_import, name="academy_teachers_import"),
    path("academie/enseignants/import/modele.<slug:fmt>", views_imports.academy_import_template, name="academy_teachers_import_template"),
    path("academie/enseignants/import/confirmer/", views_imports.academy_import_confirm, name="academy_teachers_import_confirm"),
    path("academie/enseignants/import/resultat/", views_imports.academy_import_result, name="academy_teachers_import_result"),
    path("imports/", views_imports.pilot_imports, name="imports"),
    path("imports/modele/<slug:kind>.<slug:fmt>", views_imports.pilot_import_template, name="imports_template"),
    path("imports/confirmer/", views_imports.pilot_import_confirm, name="imports_confirm"),
    path("imports/resultat/", views_imports.pilot_import_result, name="imports_result"),
    path("accessibilite/", views.page("traam/pages/accessibility.html", _("Déclaration d'accessibilité")), name="footer-accessibility-status"),
    path("mentions-legales/", views.page("traam/pages/legal.html", _("Mentions légales")), name="footer-legal-notice"),
    path("donnees-personnelles/", views.page("traam/pages/personal_data.html", _("Données personnelles")), name="footer-personal-data"),
    path("plan-du-site/", views.page("traam/pages/sitemap.html", _("Plan du site")), name="footer-sitemap"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sante/", PortalHealthCheckView.as_view(), name="health"),
    path("candidatures/", include("candidatures.urls")),
    path("selection/", include("selection.urls")),
    path("groupes/", include("productions.urls")),
    path("bilans/", include("bilans.urls")),
    path("catalogue/", include("productions.catalogue.urls")),
    path("api/v1/", include("productions.catalogue.api_urls")),
    path("", include("productions.catalogue.urls_exchange")),
    path("comptes/", include("allauth.urls")),
    path("administration/", admin.site.urls),
]

handler403 = "traam.errors.permission_denied"
handler404 = "traam.errors.page_not_found"
handler500 = "traam.errors.server_error"
