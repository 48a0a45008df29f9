"""Generate national bilans from the command line, through the same services
as the pilot's page::

    python manage.py generate_bilans --call 2026-2027                  # every bilan with published scenarios
    python manage.py generate_bilans --call 2026-2027 --entry mathematiques --entry nsi
    python manage.py generate_bilans --call 2026-2027 --focus ai
    python manage.py generate_bilans --call 2026-2027 --wait           # until each run is done or failed

The command acts as the system: the runs' history shows no author and no
« bilan prêt » e-mail goes out (there is nobody to tell); ``--as`` names a
national pilot to act as instead. Without a broker the runs render inline,
before the command prints them. It prints each run and, once done, the path of
its PDF in the storage (its address when the storage has no local path)."""

import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from traam.models import Call, Entry, User

from ... import services
from ...enums import BilanKind, RunState
from ...models import BilanRun


class Command(BaseCommand):
    help = "Génère les bilans nationaux d'un appel (une version de plus par bilan) et affiche leurs fichiers PDF."

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True, help="Année de l'appel, par exemple 2026-2027.")
        parser.add_argument("--entry", action="append", default=[], metavar="CODE", help="Code d'une discipline ou d'un enseignement (répétable).")
        parser.add_argument("--focus", choices=["ai"], help="Le focus transversal : « ai » pour les usages de l'intelligence artificielle.")
        parser.add_argument("--wait", action="store_true", help="Attendre la fin de chaque génération.")
        parser.add_argument("--timeout", type=int, default=900, help="Attente maximale en secondes avec --wait (900 par défaut).")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Agir au nom de ce·tte pilote national·e plutôt que du système.")

    def handle(self, *args, **options):
        call = Call.objects.filter(year=options["call"]).first()
        if call is None:
            raise CommandError(_("Aucun appel %(year)s.") % {"year": options["call"]})
        acting_user = None
        if options["as_user"]:
            acting_user = User.objects.filter(email__iexact=options["as_user"]).first()
            if acting_user is None:
                raise CommandError(_("Aucun compte %(email)s.") % {"email": options["as_user"]})
        try:
            results = self.request(call, options, acting_user)
        except services.BilanError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(_("Seul·e un·e pilote national·e peut générer les bilans.")) from error
        runs = [run for run, _created in results]
        if options["wait"]:
            runs = self.wait(runs, options["timeout"])
        for run, (_run, created) in zip(runs, results):
            self.stdout.write(self.describe(run, created))
        if any(run.state == RunState.FAILED for run in runs):
            raise CommandError(_("Au moins une génération a échoué."))

    def request(self, call, options, acting_user):
        if not options["entry"] and not options["focus"]:
            return services.request_all(call, acting_user=acting_user)
        results = []
        for code in options["entry"]:
            entry = Entry.objects.filter(call=call, code=code).first()
            if entry is None:
                raise CommandError(_("L'appel %(year)s n'a pas de discipline « %(code)s ».") % {"year": call.year, "code": code})
            results.append(services.request_bilan(call, entry, acting_user=acting_user))
        if options["focus"] == "ai":
            results.append(services.request_bilan(call, kind=BilanKind.FOCUS_AI, acting_user=acting_user))
        return results

    def wait(self, runs, timeout):
        deadline = time.monotonic() + timeout
        ids = [run.pk for run in runs]
        while True:
            current = {run.pk: run for run in BilanRun.objects.filter(pk__in=ids).select_related("call", "entry")}
            if all(run.state in RunState.finished for run in current.values()) or time.monotonic() > deadline:
                return [current[pk] for pk in ids]
            time.sleep(1)

    def describe(self, run, created):
        run.refresh_from_db()
        head = f"{run.call.year} · {run.title} · version {run.version}"
        if created is False:
            head += " " + _("(déjà en cours : la demande la rejoint)")
        state = RunState(run.state).label
        if run.state == RunState.DONE:
            return f"{head} · {state} · {run.pages} pages · {self.where(run)}"
        if run.state == RunState.FAILED:
            return f"{head} · {state} · {run.error}"
        if run.state == RunState.RUNNING:
            return f"{head} · {state} ({run.progress} %) · {run.message}"
        return f"{head} · {state}"

    def where(self, run):
        try:
            return run.file.path
        except NotImplementedError:  # a remote storage (S3): its address
            return run.file.url
