"""The load run of ``make bench``: mixed journeys on 127.0.0.1 (locust headless).

Anonymous visitors browse the home page, the call, its themes and the
catalogue; a teacher, an inspector, a DAN and the national pilot open their
pages. The signed-in users reuse the session the runner opened for their demo
account (``BENCH_SESSIONS``: a JSON object, e-mail → session cookie), as
people who signed in once and browse: the load run measures the pages, not
the password hashing. ``BENCH_SKIP_CATALOGUE=1`` leaves the catalogue out
(not built yet)."""

import json
import os
import random
from urllib.parse import urlparse

from locust import HttpUser, between, task

from traam.bench.pages import CURRENT_YEAR, DAN, INSPECTOR, PAST_YEAR, PILOT, TEACHER

SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))
SKIP_CATALOGUE = os.environ.get("BENCH_SKIP_CATALOGUE") == "1"
ENTRIES = ["mathematiques", "nsi", "lettres", "histoire-geographie", "svt-annee-1", "physique-chimie", "technologie", "eps"]
SEARCHES = ["numérique", "différencier", "intelligence artificielle", "oral", "classe inversée", "problèmes", "coopération", "évaluation"]
YEARS = [CURRENT_YEAR, PAST_YEAR, "2020-2021", "2017-2018"]


class Portal(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    account = None

    def on_start(self):
        host = urlparse(self.host).hostname
        # Only the bench's own server: never a remote host.
        if host not in ("127.0.0.1", "localhost"):
            raise RuntimeError("La charge ne vise que 127.0.0.1.")
        if self.account:
            self.client.cookies.set("sessionid", SESSIONS[self.account], domain=host)


class Visitor(Portal):
    weight = 5

    @task(3)
    def home(self):
        self.client.get("/", name="/")

    @task(2)
    def call(self):
        self.client.get(f"/appels/{CURRENT_YEAR}/", name="/appels/[année]/")

    @task(2)
    def theme(self):
        self.client.get(f"/appels/{CURRENT_YEAR}/{random.choice(ENTRIES)}/thematique-1/", name="/appels/[année]/[discipline]/thematique-1/")

    @task(3)
    def catalogue(self):
        if SKIP_CATALOGUE:
            return
        self.client.get("/catalogue/", params={"q": random.choice(SEARCHES)}, name="/catalogue/?q=…")


class Teacher(Portal):
    weight = 2
    account = TEACHER

    @task(3)
    def proposals(self):
        self.client.get("/candidatures/", name="/candidatures/")

    @task(2)
    def groups(self):
        self.client.get("/groupes/", name="/groupes/")

    @task(1)
    def dashboard(self):
        self.client.get("/tableau-de-bord/", name="/tableau-de-bord/")


class Inspector(Portal):
    weight = 2
    account = INSPECTOR

    @task(3)
    def academy_proposals(self):
        self.client.get("/candidatures/academie/", name="/candidatures/academie/")

    @task(2)
    def groups(self):
        self.client.get("/groupes/", name="/groupes/")

    @task(1)
    def dashboard(self):
        self.client.get("/tableau-de-bord/", name="/tableau-de-bord/")


class Dan(Portal):
    weight = 1
    account = DAN

    @task(3)
    def academy(self):
        self.client.get(f"/candidatures/delegation/{random.choice(YEARS)}/grenoble/", name="/candidatures/delegation/[année]/grenoble/")

    @task(1)
    def dashboard(self):
        self.client.get("/tableau-de-bord/", name="/tableau-de-bord/")


class Pilot(Portal):
    weight = 1
    account = PILOT

    @task(3)
    def ranking(self):
        self.client.get(f"/selection/pilotage/{random.choice(YEARS)}/{random.choice(ENTRIES)}/", name="/selection/pilotage/[année]/[discipline]/")

    @task(1)
    def groups(self):
        self.client.get("/groupes/", name="/groupes/")

    @task(1)
    def dashboard(self):
        self.client.get("/tableau-de-bord/", name="/tableau-de-bord/")
