from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
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
    path("accessibilite/", views.page("traam/pages/accessibility.html", _("Déclaration d'accessibilité")), name="footer-accessibility-status"),
    path("mentions-legales/", views.page("traam/pages/legal.html", _("Mentions légales")), name="footer-legal-notice"),
    path("donnees-personnelles/", views.page("traam/pages/personal_data.html", _("Données personnelles")), name="footer-personal-data"),
    path("plan-du-site/", views.page("traam/pages/sitemap.html", _("Plan du site")), name="footer-sitemap"),
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
