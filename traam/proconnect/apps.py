from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "traam.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"
