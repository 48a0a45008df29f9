from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraamConfig(AppConfig):
    name = "traam"
    verbose_name = _("Appels, référentiels et comptes")

    def ready(self):
        from . import views_imports  # noqa: F401  (registers the pilot's dashboard link to the imports)
