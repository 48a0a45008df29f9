"""``python -m traam.bench`` (``make bench``): the portal's figures at national scale.

1. Resets its PostgreSQL databases ``traam_bench1`` and ``traam_bench10`` (never
   another one), migrates them and loads ``seed_demo --scale 1`` and
   ``--scale 10`` (``--reuse`` keeps a database already seeded at its scale).
2. Counts the SQL queries of each page at both scales (Django's test client,
   in-process) and flags the pages whose count differs.
3. Serves the scale-10 database with gunicorn (2 workers) on 127.0.0.1 and
   times each page (median and 95th percentile of the wall time of repeated
   requests after a warm-up), with its ratio to a minimal page of the portal.
4. A locust load run: 50 users on mixed journeys for 60 s.
5. The bilans: one entry with 300 scenarios, then every bilan of a scale-10
   call rendered by two Celery workers against Redis.

Prints the tables and writes them, with the machine, to ``BENCHMARKS.md``.
``--quick`` gives rough figures fast (fewer requests, a short load run, a
smaller bilan) for working on the bench itself."""

import argparse
import csv
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from traam.bench.pages import ACCOUNTS, MINIMAL, PAGES, PAST_YEAR

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WORK_DIR = Path("/tmp/traam-bench")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASES = {1: "traam_bench1", 10: "traam_bench10"}
PASSWORD = "traam-demo"

TARGET_RATIO = 3
TARGET_LOAD_P95_MS = 300
TARGET_ONE_BILAN_S = 10
TARGET_ALL_BILANS_S = 60


def say(text=""):
    print(text, flush=True)


def env_for(database, **extra):
    """A subprocess's environment: the bench settings, one bench database, tasks inline unless a broker is given."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "traam.settings.bench",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "PYTHONPATH": str(BASE_DIR),
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "MEDIA_ROOT": str(WORK_DIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "private-media"),
    })
    env.update(extra)
    return env


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=BASE_DIR, env=env, check=True, **kwargs)


# --- Databases ------------------------------------------------------------------------------


def admin_connection():
    import psycopg

    return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)


def seeded_years(database):
    """The calls' years in ``database``, or None when it does not exist or is not migrated."""
    import psycopg

    with admin_connection() as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            return None
    try:
        with psycopg.connect(f"{POSTGRES}/{database}") as connection:
            return {row[0] for row in connection.execute("SELECT year FROM traam_call")}
    except psycopg.Error:
        return None


def is_seeded(database, scale):
    years = seeded_years(database)
    if years is None:
        return False
    past = {year for year in years if year < "2026"}
    # traam.scale.past_years, without loading Django in the runner.
    return past == {f"{start}-{start + 1}" for start in range(2026 - scale, 2026)} and "2026-2027" in years


def prepare(scale, reuse):
    """The database of ``scale``, migrated and seeded; returns the seconds the seed took (None: reused)."""
    database = DATABASES[scale]
    assert database.startswith("traam_bench")  # never another database
    env = env_for(database)
    if reuse and is_seeded(database, scale):
        say(f"  {database} : déjà chargée à l'échelle {scale}, réutilisée")
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        return None
    say(f"  {database} : création, migrations et seed_demo --scale {scale}…")
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.perf_counter()
    log = WORK_DIR / f"seed-{scale}.log"
    with log.open("w") as output:
        run([sys.executable, "manage.py", "seed_demo", "--scale", str(scale)], env, stdout=output, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    say(f"  {database} : chargée en {seconds:.0f} s ({log})")
    return seconds


def table_sizes(database):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/{database}") as connection:
        rows = {}
        for table in ("candidatures_proposal", "selection_review", "productions_workinggroup", "productions_scenario", "traam_auditentry",
                      "traam_user"):
            rows[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return rows, size


# --- Queries --------------------------------------------------------------------------------


def count_queries(scale):
    output = run([sys.executable, "-m", "traam.bench.queries"], env_for(DATABASES[scale]), capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- The server and the pages ---------------------------------------------------------------


class Server:
    """gunicorn -w 2 on 127.0.0.1, serving one bench database."""

    def __init__(self, database, port):
        self.url = f"http://127.0.0.1:{port}"
        self.log = (WORK_DIR / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "traam.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"],
            cwd=BASE_DIR, env=env_for(database), stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait(self, timeout=60):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn s'est arrêté (voir {self.log.name})")
            try:
                if requests.get(self.url + "/bench/bare/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn ne répond pas")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def sign_in(url, email):
    """A requests session signed in as ``email`` through the allauth form (CSRF from the login page)."""
    import requests

    session = requests.Session()
    login = url + "/comptes/login/"
    session.get(login, timeout=30).raise_for_status()
    response = session.post(
        login, data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login}, timeout=30, allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"connexion refusée pour {email} ({response.status_code})")
    return session


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def time_pages(url, sessions, repeats, warmup=3):
    import requests

    anonymous = requests.Session()
    results = {}
    for name, path, account in MINIMAL + PAGES:
        session = sessions[account] if account else anonymous
        statuses, times = set(), []
        for number in range(warmup + repeats):
            started = time.perf_counter()
            response = session.get(url + path, timeout=60, allow_redirects=False)
            elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            if number >= warmup:
                times.append(elapsed)
        results[name] = {
            "path": path, "account": account, "status": sorted(statuses), "median": statistics.median(times),
            "p95": percentile(times, 0.95), "bytes": len(response.content),
        }
    reference = {False: results[MINIMAL[0][0]]["median"], True: results[MINIMAL[1][0]]["median"]}
    for result in results.values():
        result["ratio"] = result["median"] / reference[result["account"] is not None]
    return results


# --- Load run -------------------------------------------------------------------------------


def load_run(url, sessions, users, seconds, skip_catalogue):
    prefix = WORK_DIR / "locust"
    env = {**os.environ, "PYTHONPATH": str(BASE_DIR), "BENCH_SKIP_CATALOGUE": "1" if skip_catalogue else "0",
           "BENCH_SESSIONS": json.dumps({email: session.cookies["sessionid"] for email, session in sessions.items()})}
    with (WORK_DIR / "locust.log").open("w") as log:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "traam" / "bench" / "locustfile.py"), "--headless", "-u", str(users),
             "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", url, "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "5"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, check=False,
        )
    rows = list(csv.DictReader((WORK_DIR / "locust_stats.csv").open()))
    def figures(row):
        return {"name": row["Name"], "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]), "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0),
                "max": float(row["Max Response Time"] or 0)}
    total = next(figures(row) for row in rows if row["Name"] == "Aggregated")
    endpoints = [figures(row) for row in rows if row["Name"] != "Aggregated"]
    failures = []
    failures_file = WORK_DIR / "locust_failures.csv"
    if failures_file.exists():
        failures = [f"{row['Method']} {row['Name']} : {row['Error']} ({row['Occurrences']})" for row in csv.DictReader(failures_file.open())]
    return {"users": users, "seconds": seconds, "total": total, "endpoints": endpoints, "failures": failures}


# --- Bilans ---------------------------------------------------------------------------------


def bilans(what, scale, **options):
    extra = {"CELERY_BROKER_URL": REDIS} if what == "all" else {}
    command = [sys.executable, "-m", "traam.bench.bilans", what, "--log-dir", str(WORK_DIR)]
    for key, value in options.items():
        command += [f"--{key}", str(value)]
    completed = subprocess.run(command, cwd=BASE_DIR, env=env_for(DATABASES[scale], **extra), capture_output=True, text=True)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode or not lines:
        return {"error": ((completed.stderr or completed.stdout).strip().splitlines() or ["?"])[-1]}
    return json.loads(lines[-1])


# --- The machine ------------------------------------------------------------------------------


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    os_name = platform.platform()
    release = Path("/etc/os-release")
    if release.exists():
        os_name = next((line.split("=", 1)[1].strip('"') for line in release.read_text().splitlines() if line.startswith("PRETTY_NAME=")), os_name)
    with admin_connection() as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    try:
        import redis

        redis_version = redis.Redis.from_url(REDIS).info()["redis_version"]
    except Exception:  # noqa: BLE001 — reported as unknown
        redis_version = "?"
    import django

    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram": f"{memory_kb / 1024 / 1024:.1f} Gio", "os": f"{os_name} ({platform.release()})",
        "load": " / ".join(f"{value:.1f}" for value in os.getloadavg()),
        "python": platform.python_version(), "django": django.get_version(), "postgresql": postgres, "redis": redis_version,
    }


# --- Report ---------------------------------------------------------------------------------


def report(data):
    """The figures as Markdown (printed, and written to BENCHMARKS.md)."""
    lines = []
    add = lines.append
    m = data["machine"]
    add("# Mesures de performance (`make bench`)")
    add("")
    add(f"Mesuré le {data['date']} par `python -m traam.bench{' ' + ' '.join(data['argv']) if data['argv'] else ''}`"
        f" en {data['duration'] / 60:.1f} min.")
    add("")
    add("## Machine")
    add("")
    add(f"- Processeur : {m['cpu']} — {m['cores']} cœurs ; mémoire : {m['ram']}")
    add(f"- Système : {m['os']} ; charge moyenne au départ (1, 5, 15 min) : {m['load']}, à la fin : {data['load_end']}")
    add(f"- Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}, Redis {m['redis']}")
    add("- Serveur : gunicorn, 2 workers synchrones, `traam.settings.bench` (production sans HTTPS ni double authentification, "
        "tâches en ligne, statiques par WhiteNoise, connexions persistantes de 60 s), sur 127.0.0.1 ; le client de mesure, "
        "locust et PostgreSQL tournent sur la même machine.")
    add("")
    add("## Données")
    add("")
    add("| base | chargement | candidatures | évaluations | groupes | séquences | historique | comptes | taille |")
    add("|---|---|---|---|---|---|---|---|---|")
    for scale, info in data["databases"].items():
        rows, size = info["rows"], info["size"]
        seeded = "réutilisée" if info["seconds"] is None else f"{info['seconds'] / 60:.1f} min"
        add(f"| `{DATABASES[scale]}` (`--scale {scale}`) | {seeded} | {rows['candidatures_proposal']} | {rows['selection_review']} | "
            f"{rows['productions_workinggroup']} | {rows['productions_scenario']} | {rows['traam_auditentry']} | {rows['traam_user']} | {size} |")
    add("")
    targets = []
    if "pages" in data:
        pages = data["pages"]
        add(f"## Pages (échelle 10) : temps serveur sur {data['repeats']} requêtes après 3 de mise en route")
        add("")
        add(f"Temps mesuré par le client (requête complète sur 127.0.0.1). Rapport : médiane de la page / médiane de la page minimale "
            f"(`/bench/minimal/`, la mise en page du portail avec un paragraphe) du même état, anonyme ou connecté ; cible ≤ {TARGET_RATIO}. "
            f"Pour mémoire, une réponse texte de deux octets (`/bench/bare/`) à travers les mêmes middlewares : {data.get('bare_ms', 0):.1f} ms.")
        add("")
        add("| page | adresse | compte | statut | médiane (ms) | p95 (ms) | rapport | requêtes SQL éch. 1 | éch. 10 | |")
        add("|---|---|---|---|---|---|---|---|---|---|")
        queries = data["queries"]
        for name, result in pages.items():
            q1, q10 = queries[1].get(name, {}).get("queries"), queries[10].get(name, {}).get("queries")
            skipped = name in data["skipped"]
            flags = []
            if skipped:
                flags.append("non mesurée (404 : pas encore construite)")
            else:
                if not name.startswith("page minimale") and result["ratio"] > TARGET_RATIO:
                    flags.append(f"> {TARGET_RATIO} × minimale")
                if q1 != q10:
                    flags.append("requêtes ≠")
            account = (result["account"] or "anonyme").split("@")[0]
            add(f"| {name} | `{result['path']}` | {account} | {','.join(map(str, result['status']))} | {result['median']:.1f} | "
                f"{result['p95']:.1f} | {result['ratio']:.2f} | {q1} | {q10} | {' ; '.join(flags) or 'ok'} |")
        measured = {name: result for name, result in pages.items() if name not in data["skipped"] and not name.startswith("page minimale")}
        slow = [name for name, result in measured.items() if result["ratio"] > TARGET_RATIO]
        if slow:
            add("")
            add("Pages au-delà de la cible, avec le temps de leurs requêtes SQL (échelle 10, mesuré dans le processus) et la plus lente :")
            add("")
            for name in slow:
                info = queries[10].get(name, {})
                slowest = info.get("slowest") or {}
                add(f"- **{name}** : médiane {pages[name]['median']:.0f} ms, dont SQL {info.get('sql_ms', 0):.0f} ms en {info.get('queries')} "
                    f"requêtes ; la plus lente ({slowest.get('ms', 0):.0f} ms) : `{slowest.get('sql', '')[:200]}`")
        differ = [name for name in measured if queries[1].get(name, {}).get("queries") != queries[10].get(name, {}).get("queries")]
        targets.append((f"chaque page en moins de {TARGET_RATIO} × la page minimale", not slow, ", ".join(slow) or "—"))
        targets.append(("mêmes nombres de requêtes SQL aux échelles 1 et 10", not differ, ", ".join(differ) or "—"))
        add("")
    if "load" in data:
        load = data["load"]
        total = load["total"]
        add(f"## Charge : {load['users']} utilisateurs simultanés pendant {load['seconds']} s (locust sans interface, 127.0.0.1)")
        add("")
        add("Parcours mêlés : visiteurs anonymes (accueil, appel, thématiques, catalogue), une enseignante, une inspectrice, "
            "une DAN et le pilote national (sessions ouvertes une fois par compte), 1 à 3 s entre deux pages.")
        add("")
        add("| parcours | requêtes | erreurs | req/s | p50 (ms) | p95 (ms) | max (ms) |")
        add("|---|---|---|---|---|---|---|")
        for row in [*load["endpoints"], total]:
            name = "**total**" if row is total else f"`{row['name']}`"
            add(f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} | {row['max']:.0f} |")
        for failure in load["failures"][:10]:
            add(f"- erreur : {failure}")
        add("")
        ok = total["p95"] < TARGET_LOAD_P95_MS and total["failures"] == 0 and total["requests"] > 0
        targets.append((f"charge : p95 < {TARGET_LOAD_P95_MS} ms sans erreur", ok, f"p95 {total['p95']:.0f} ms, {total['failures']} erreur(s)"))
    if "bilans" in data:
        one, every = data["bilans"]["one"], data["bilans"].get("all")
        add("## Bilans")
        add("")
        if "error" in one:
            add(f"- Un bilan de 300 séquences : échec de la mesure ({one['error']}).")
            targets.append((f"un bilan de 300 séquences en moins de {TARGET_ONE_BILAN_S} s", False, "non mesuré"))
        else:
            add(f"- Un bilan (Mathématiques 2026-2027, base `--scale 1`) de {one['scenarios']} séquences : {one['seconds']:.1f} s, "
                f"{one['pages']} pages, {one['size'] / 1024:.0f} Kio, {one['queries']} requêtes SQL ({one['state']}), "
                "rendu dans le processus comme par un worker.")
            targets.append((f"un bilan de 300 séquences en moins de {TARGET_ONE_BILAN_S} s", one["seconds"] < TARGET_ONE_BILAN_S and one["state"] == "done",
                            f"{one['seconds']:.1f} s"))
        if every is None:
            add("- Tous les bilans d'un appel : non mesuré (`--skip-bilans-all`).")
        elif "error" in every:
            add(f"- Tous les bilans d'un appel : échec de la mesure ({every['error']}).")
            targets.append((f"tous les bilans d'un appel en moins de {TARGET_ALL_BILANS_S} s", False, "non mesuré"))
        else:
            add(f"- Tous les bilans de l'appel {PAST_YEAR} (base `--scale 10`) : {every['runs']} bilans ({every['scenarios']} séquences citées, "
                f"{every['pages']} pages) par {every['workers']} workers Celery (`-c 1`) sur Redis : {every['seconds']:.1f} s de la demande "
                f"à la fin du dernier ; {every['done']} terminés, {every['failed']} en échec, {every['unfinished']} inachevés.")
            ok = every["seconds"] < TARGET_ALL_BILANS_S and every["done"] == every["runs"]
            targets.append((f"tous les bilans d'un appel en moins de {TARGET_ALL_BILANS_S} s", ok, f"{every['seconds']:.1f} s"))
        add("")
    add("## Cibles")
    add("")
    add("| cible | atteinte | mesure |")
    add("|---|---|---|")
    for label, ok, detail in targets:
        add(f"| {label} | {'oui' if ok else '**non**'} | {detail} |")
    add("")
    for note in data.get("notes", []):
        add(f"- {note}")
    return "\n".join(lines) + "\n"


# --- Main -----------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m traam.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="garder une base déjà chargée à son échelle")
    parser.add_argument("--quick", action="store_true", help="mesures grossières et rapides (mise au point du banc)")
    parser.add_argument("--port", type=int, default=8026)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-bilans", action="store_true")
    parser.add_argument("--skip-bilans-all", action="store_true")
    parser.add_argument("--output", default=str(BASE_DIR / "BENCHMARKS.md"), help="le compte rendu (« - » : ne rien écrire)")
    options = parser.parse_args(argv)
    if options.quick:
        options.repeats, options.load_seconds = min(options.repeats, 8), min(options.load_seconds, 15)
    started = time.perf_counter()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    data = {"argv": list(argv if argv is not None else sys.argv[1:]), "date": datetime.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M %Z"),
            "repeats": options.repeats, "databases": {}, "skipped": [], "notes": []}
    data["machine"] = machine()
    # The static files first: the demo's bilans are rendered during the seed, with the manifest's addresses.
    manifest = WORK_DIR / "static" / "staticfiles.json"
    newest = max((path.stat().st_mtime for path in (BASE_DIR / "static").rglob("*") if path.is_file()), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        say("Fichiers statiques (collectstatic)")
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env_for(DATABASES[10]))
    say("Bases de données")
    for scale in (1, 10):
        seconds = prepare(scale, options.reuse)
        rows, size = table_sizes(DATABASES[scale])
        data["databases"][scale] = {"seconds": seconds, "rows": rows, "size": size}

    say("Requêtes SQL par page (échelles 1 et 10)")
    data["queries"] = {scale: count_queries(scale) for scale in (1, 10)}

    say(f"Pages : gunicorn sur 127.0.0.1:{options.port}, base {DATABASES[10]}")
    server = Server(DATABASES[10], options.port)
    try:
        server.wait()
        sessions = {email: sign_in(server.url, email) for email in ACCOUNTS}
        pages = time_pages(server.url, sessions, options.repeats)
        data["pages"] = pages
        import requests

        bare = []
        for _ in range(options.repeats):
            begin = time.perf_counter()
            requests.get(server.url + "/bench/bare/", timeout=30)
            bare.append((time.perf_counter() - begin) * 1000)
        data["bare_ms"] = statistics.median(bare)
        data["skipped"] = [name for name, result in pages.items() if result["status"] == [404]]
        for name in data["skipped"]:
            say(f"  {name} : 404, page non encore construite — non mesurée")
            data["notes"].append(f"{name} (`{pages[name]['path']}`) répond 404 : page pas encore construite, non mesurée.")
        broken = [f"{name} ({result['status']})" for name, result in pages.items() if name not in data["skipped"] and result["status"] != [200]]
        if broken:
            data["notes"].append("Pages qui ne répondent pas 200 : " + ", ".join(broken) + ".")
        if not options.skip_load:
            say(f"Charge : {options.users} utilisateurs, {options.load_seconds} s")
            skip_catalogue = any(name.startswith("catalogue") for name in data["skipped"])
            data["load"] = load_run(server.url, sessions, options.users, options.load_seconds, skip_catalogue)
    finally:
        server.stop()

    if not options.skip_bilans:
        say("Bilans : un bilan de 300 séquences")
        scenarios = 60 if options.quick else 300
        data["bilans"] = {"one": bilans("one", 1, year="2026-2027", entry="mathematiques", scenarios=scenarios)}
        if not options.skip_bilans_all:
            say(f"Bilans : tous ceux de {PAST_YEAR} par deux workers")
            data["bilans"]["all"] = bilans("all", 10, year=PAST_YEAR, workers=2)
    if options.quick:
        data["notes"].append("Mesure rapide (`--quick`) : moins de requêtes, charge courte, bilan réduit ; chiffres indicatifs.")
    data["duration"] = time.perf_counter() - started
    data["load_end"] = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    text = report(data)
    say()
    say(text)
    if options.output != "-":
        Path(options.output).write_text(text)
        say(f"Compte rendu écrit dans {options.output}")


if __name__ == "__main__":
    main()
