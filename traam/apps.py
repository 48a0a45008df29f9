from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraamConfig(AppConfig):
    name = "traam"
    verbose_name = _("Appels, référentiels et comptes")
