from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionsConfig(AppConfig):
    name = "productions"
    verbose_name = _("Groupes et productions")

    def ready(self):
        from . import dashboard, receivers  # noqa: F401  (dashboard links; groups opened at publication)
