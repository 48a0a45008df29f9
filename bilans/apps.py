from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BilansConfig(AppConfig):
    name = "bilans"
    verbose_name = _("Bilans nationaux")

    def ready(self):
        from traam.dashboard import register_actions

        from .dashboard import bilans_actions

        register_actions(bilans_actions)
