from django.core.management.base import BaseCommand

from traam.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Crée les données de démonstration (idempotent) : référentiels, appels, comptes de démonstration."

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes (mot de passe « %s ») :" % DEMO_PASSWORD))
        for email, _first, _last, role, academy, _disciplines in ACCOUNTS:
            self.stdout.write(f"  {email:48} {role.label}{' — ' + academy if academy else ''}")
