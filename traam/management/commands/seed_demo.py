from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from traam.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Crée les données de démonstration (idempotent) : référentiels, appels, comptes de démonstration."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = seed_demo()
            # Each later stage adds its demo data in `<app>/demo.py` (dependencies point one way).
            for config in apps.get_app_configs():
                if config.name in {"candidatures", "selection", "productions", "bilans"}:
                    try:
                        module = import_module(f"{config.name}.demo")
                    except ModuleNotFoundError:
                        continue
                    module.seed({user.email: user for user in users.values()})
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes (mot de passe « %s ») :" % DEMO_PASSWORD))
        for email, _first, _last, role, academy, _disciplines in ACCOUNTS:
            self.stdout.write(f"  {email:48} {role.label}{' — ' + academy if academy else ''}")
