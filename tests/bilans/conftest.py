"""Fixtures of the bilans: working groups and scenarios of the 2026-2027 call
written straight to the database (the bilans only read them; the production
stage's own tests walk them through its services), a run per state, the text
of a PDF, and a real Celery worker for the services tests.

The corpus (``corpus`` fixture):

- Mathématiques, Grenoble: « Fractions en 6e » and « Rituels de calcul mental »
  (same problem P_FRACTIONS, typed differently), a draft and a validated
  scenario (never in a bilan);
- Mathématiques, Lyon: « Statistiques en seconde » and a hostile scenario
  (markup in every field), both on P_STATS;
- Lettres, Rennes: « Réécrire une fable avec l'IA » and « Lire à voix haute ».

AI usages: Rituels → the teacher's practice; Statistiques and the fable → the
students' learning; the others none."""

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from bilans.enums import BilanKind
from candidatures.enums import AIUsage, ProposalState
from candidatures.models import Proposal
from productions.enums import ScenarioState
from productions.models import Scenario, WorkingGroup
from tests.conftest import port_open, require
from tests.factories import make_user
from traam.celery import app
from traam.enums import Role
from traam.models import Academy, Call, ClassLevel, CrcnCompetence, DigitalCommon, Entry

P_FRACTIONS = "Comment différencier le calcul sur les fractions ?"
P_STATS = "Comment donner du sens aux indicateurs statistiques ?"
P_FABLE = "Que nous apprend la comparaison avec un texte généré ?"
HOSTILE_TITLE = 'Séquence <script>alert("x")</script> & <b>gras</b>'
HOSTILE_SUMMARY = 'Résumé <img src="file:///etc/passwd"> <a href="http://127.0.0.1:9/">lien</a>'

_numbers = itertools.count(1)


def make_group(entry, academy_code, title):
    academy = Academy.objects.get(code=academy_code)
    lead = make_user(f"porteur.{slugify(title)[:30]}@example.test", Role.TEACHER, academy=academy)
    proposal = Proposal.objects.create(
        theme=entry.themes.order_by("order").first(), academy=academy, lead=lead, title=title, state=ProposalState.SELECTED,
    )
    return WorkingGroup.objects.create(proposal=proposal, call=entry.call, entry=entry, academy=academy, title=title)


def make_scenario(group, title, *, state=ScenarioState.PUBLISHED, problem="", levels=(), crcn=(), commons=(), ai_usage=AIUsage.NONE,
                  edubase=True, **fields):
    number = next(_numbers)
    published = state == ScenarioState.PUBLISHED
    scenario = Scenario.objects.create(
        group=group, slug=f"{slugify(title)[:80]}-{number}", title=title, problem=problem, ai_usage=ai_usage, state=state,
        published_at=timezone.now() if published else None,
        edubase_url=f"https://edubase.eduscol.education.fr/fiche/{40000 + number}" if published and edubase else "",
        summary=fields.pop("summary", f"Résumé de « {title} »."), sessions=fields.pop("sessions", 4), **fields,
    )
    scenario.class_levels.set(ClassLevel.objects.filter(code__in=levels))
    scenario.crcn_competences.set(CrcnCompetence.objects.filter(code__in=crcn))
    scenario.commons.set(DigitalCommon.objects.filter(code__in=commons))
    return scenario


def _pdfs():
    return set(Path(settings.MEDIA_ROOT, "bilans").rglob("*.pdf"))


@pytest.fixture(autouse=True)
def _remove_new_pdfs():
    """The PDFs a test renders go once it is over (the test media folder is shared)."""
    before = _pdfs()
    yield
    for path in _pdfs() - before:
        path.unlink(missing_ok=True)


@pytest.fixture
def call(db):
    return Call.objects.get(year="2026-2027")


@pytest.fixture
def maths_entry(call):
    return Entry.objects.get(call=call, code="mathematiques")


@pytest.fixture
def lettres_entry(call):
    return Entry.objects.get(call=call, code="lettres")


@pytest.fixture
def corpus(maths_entry, lettres_entry):
    grenoble = make_group(maths_entry, "grenoble", "Différencier avec MathALÉA")
    lyon = make_group(maths_entry, "lyon", "Statistiques et données de la classe")
    rennes = make_group(lettres_entry, "rennes", "Écrire avec et contre l'IA")
    return {
        "fractions": make_scenario(grenoble, "Fractions en 6e", problem=P_FRACTIONS, levels=["college"], crcn=["1.3", "5.2"], commons=["mathalea"]),
        "rituels": make_scenario(
            grenoble, "Rituels de calcul mental", problem="  comment différencier le calcul sur les fractions  ", levels=["college"],
            crcn=["1.3"], ai_usage=AIUsage.TEACHER_PRACTICE, ai_tools="Assistant conversationnel de l'enseignant", edubase=False,
        ),
        "draft": make_scenario(grenoble, "Brouillon jamais publié", state=ScenarioState.DRAFT, problem=P_FRACTIONS, levels=["college"],
                               crcn=["1.3"], ai_usage=AIUsage.STUDENT_LEARNING),
        "validated": make_scenario(grenoble, "Validée mais pas encore publiée", state=ScenarioState.VALIDATED, problem=P_FRACTIONS,
                                   levels=["college"], crcn=["1.3"], ai_usage=AIUsage.TEACHER_PRACTICE),
        "stats": make_scenario(lyon, "Statistiques en seconde", problem=P_STATS, levels=["lycee-gt"], crcn=["1.2", "4.2"],
                               ai_usage=AIUsage.STUDENT_LEARNING, ai_precautions="Comptes anonymes, aucune donnée personnelle."),
        "hostile": make_scenario(lyon, HOSTILE_TITLE, problem=P_STATS, summary=HOSTILE_SUMMARY, levels=["lycee-gt"], crcn=["1.2"],
                                 disciplinary_competences="<i>Raisonner</i>"),
        "fable": make_scenario(rennes, "Réécrire une fable avec l'IA", problem=P_FABLE, levels=["college"], crcn=["3.1"],
                               ai_usage=AIUsage.STUDENT_LEARNING),
        "voix": make_scenario(rennes, "Lire à voix haute", problem="", levels=["ecole", "college"], crcn=["3.2"]),
    }


@pytest.fixture
def many(corpus, maths_entry):
    """Enough scenarios for a run to last a few seconds (a worker can be killed in the middle)."""
    for number in range(6):
        group = make_group(maths_entry, ["nantes", "rennes", "toulouse", "lille", "nice", "dijon"][number], f"Groupe de travail {number}")
        for index in range(25):
            make_scenario(
                group, f"Séquence {number}-{index} : proportionnalité et tableaux", problem=f"Comment enseigner la notion n° {index % 9} ?",
                levels=["college", "lycee-gt"][: 1 + index % 2], crcn=["1.3", "2.3", "3.4"][: 1 + index % 3],
                summary="Une séquence d'essai, assez longue pour occuper une bonne partie de la page. " * 4,
            )


@pytest.fixture
def other_pilot(db):
    return make_user("pilote.2@example.test", Role.PILOT)


def pdf_text(run, tmp_path):
    """What a reader of the run's PDF sees, spaces (non-breaking ones too) made plain."""
    require(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    path = tmp_path / f"bilan-{run.pk}.pdf"
    with run.file.open("rb") as handle:
        path.write_bytes(handle.read())
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


def between(text, start, end=None):
    """The part of ``text`` from the last ``start`` (a section's heading, after
    the table of contents) to the next ``end``."""
    begin = text.rindex(start)
    stop = text.index(end, begin + len(start)) if end else len(text)
    return text[begin:stop]


# --- A real worker (services tests) ----------------------------------------------------------


def database_url_for_worker():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_available():
    host, port = settings.CELERY_BROKER_URL.split("//")[1].split("/")[0].split(":")
    return port_open(host, int(port))


LEASE_SECONDS = 4


def subprocess_env(queue, broker_url=None):
    """A worker's or a command's environment: the test database, media folder
    and queue, Redis (or ``broker_url``), a lease of LEASE_SECONDS."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bilans.worker_settings",
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": broker_url or settings.CELERY_BROKER_URL,
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BILANS_LEASE_SECONDS": str(LEASE_SECONDS),
        "BILANS_UNSENT_GRACE_SECONDS": "1",
    }


class Worker:
    """``celery -A traam worker`` in its own process, against the test database
    and Redis, on a queue of its own; it can be killed and started again. Its
    log goes to a file the test can read while it runs."""

    def __init__(self, queue, log_path):
        self.queue = queue
        self.process = None
        self.log_path = log_path
        self.log_path.write_text("")

    @property
    def output(self):
        return self.log_path.read_text()

    def results(self, task="bilans.tasks.render_bilan"):
        """What the worker's runs of ``task`` returned so far, in order."""
        return [line.rsplit(": ", 1)[1] for line in self.output.splitlines() if f"Task {task}[" in line and " succeeded in " in line]

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "traam", "worker", "--pool=solo", "-Q", self.queue, "--loglevel=INFO",
             "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=settings.BASE_DIR, env=subprocess_env(self.queue), stdout=self.log_path.open("a"), stderr=subprocess.STDOUT, text=True,
        )
        return self

    def kill(self):
        """SIGKILL: no warm shutdown, the task's message is never acknowledged."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def worker_queue(transactional_db):
    """Tasks sent from the test go to a queue of the test's own, on Redis (not inline)."""
    require(redis_available(), f"Redis is not answering at {settings.CELERY_BROKER_URL}")
    queue = f"traam-bilans-test-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.update(task_always_eager=False, task_default_queue=queue)
    yield queue
    app.conf.update(task_always_eager=previous[0], task_default_queue=previous[1])
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)  # nothing of the test's left behind on Redis


@pytest.fixture
def worker(worker_queue, tmp_path):
    """A worker, started by the test."""
    process = Worker(worker_queue, tmp_path / "worker.log")
    yield process
    process.stop()
    print(process.output)


def wait_for(predicate, timeout=90, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


FOCUS = BilanKind.FOCUS_AI
