from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from traam.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Crée les données de démonstration (idempotent) : référentiels, appels, comptes de démonstration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=0, metavar="N",
            help="Ajoute N années d'historique à l'échelle nationale (toutes les académies, toutes les disciplines) ; "
            "N=10 est la taille de référence des mesures de performance.",
        )
        parser.add_argument(
            "--scale-academies", type=int, default=None, metavar="K",
            help="Avec --scale : seulement K académies (Grenoble et Lyon d'abord), pour un historique réduit.",
        )

    def handle(self, *args, **options):
        if options["scale"] < 0:
            raise CommandError("--scale attend un nombre d'années positif.")
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
        if options["scale"]:
            from traam.scale import generate

            self.stdout.write(f"Historique à l'échelle nationale : {options['scale']} année(s)…")
            totals = generate(years=options["scale"], academies=options["scale_academies"], stdout=self.stdout)
            if totals:
                self.stdout.write(self.style.SUCCESS("Historique créé : " + ", ".join(f"{kind} {count}" for kind, count in totals.items())))
            else:
                self.stdout.write(self.style.SUCCESS("Historique déjà présent : rien à créer."))
