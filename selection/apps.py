from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Sélection nationale")

    def ready(self):
        from . import dashboard  # noqa: F401  (registers the dashboard links)
