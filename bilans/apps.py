from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BilansConfig(AppConfig):
    name = "bilans"
    verbose_name = _("Bilans nationaux")
