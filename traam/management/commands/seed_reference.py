from django.core.management.base import BaseCommand

from traam.reference import load_reference


class Command(BaseCommand):
    help = "Charge les référentiels (académies, disciplines, niveaux, CRCN, communs) et l'appel 2026-2027."

    def handle(self, *args, **options):
        load_reference()
        self.stdout.write(self.style.SUCCESS("Référentiels chargés."))
