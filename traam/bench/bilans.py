"""The bilans' timings of ``make bench``, against the database of ``DATABASE_URL``:

- ``one``: one entry's bilan with 300 published scenarios, rendered in this
  process as a worker would (``bilans.bench.bench``), inside a transaction
  rolled back afterwards: the database is left as it was;
- ``all``: every bilan of a call (``bilans.services.request_all``) rendered by
  two Celery workers (``celery -A traam worker -c 1`` each) against Redis on a
  queue of their own, timed from the request to the last run finished.

Prints one JSON object."""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Rollback(Exception):
    pass


def one(year, entry, scenarios):
    from django.db import transaction

    from bilans.bench import bench

    result = {}
    try:
        with transaction.atomic():
            run, seconds, queries = bench(year, entry, scenarios)
            result = {"seconds": round(seconds, 2), "scenarios": run.scenario_count, "pages": run.pages, "size": run.size,
                      "queries": queries, "state": run.state, "run_error": run.error}
            raise Rollback
    except Rollback:
        pass
    return result


def start_workers(count, queue, log_dir):
    env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue}
    workers = []
    for number in range(count):
        log = open(Path(log_dir, f"worker-{number + 1}.log"), "w")
        workers.append((subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "traam", "worker", "-c", "1", "-Q", queue, "-n", f"bench{number + 1}-{queue}@%h",
             "--loglevel=INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        ), log))
    return workers


def wait_ready(workers, log_dir, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = [Path(log_dir, f"worker-{n + 1}.log").read_text() for n in range(len(workers))]
        if all(" ready." in log for log in logs):
            return True
        if any(process.poll() is not None for process, _log in workers):
            return False
        time.sleep(0.5)
    return False


def stop_workers(workers):
    for process, _log in workers:
        if process.poll() is None:
            process.terminate()
    for process, log in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def everything(year, workers_count, log_dir, timeout):
    from django.db import transaction

    from bilans import services
    from bilans.enums import RunState
    from bilans.models import BilanRun
    from traam.celery import app
    from traam.models import Call, User

    from .pages import PILOT

    queue = app.conf.task_default_queue
    workers = start_workers(workers_count, queue, log_dir)
    try:
        if not wait_ready(workers, log_dir):
            return {"error": f"les workers n'ont pas démarré (journaux dans {log_dir})"}
        call = Call.objects.get(year=year)
        pilot = User.objects.get(email=PILOT)
        started = time.perf_counter()
        with transaction.atomic():
            runs = [run.pk for run, _created in services.request_all(call, acting_user=pilot)]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = list(BilanRun.objects.filter(pk__in=runs).values_list("state", flat=True))
            if all(state in RunState.finished for state in states):
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        finished = BilanRun.objects.filter(pk__in=runs)
        return {
            "seconds": round(seconds, 2), "runs": len(runs), "workers": workers_count,
            "done": finished.filter(state=RunState.DONE).count(), "failed": finished.filter(state=RunState.FAILED).count(),
            "unfinished": finished.filter(state__in=RunState.active).count(),
            "scenarios": sum(finished.values_list("scenario_count", flat=True)),
            "pages": sum(p or 0 for p in finished.values_list("pages", flat=True)),
        }
    finally:
        stop_workers(workers)
        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["one", "all"])
    parser.add_argument("--year", default="2026-2027")
    parser.add_argument("--entry", default="mathematiques")
    parser.add_argument("--scenarios", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--log-dir", default="/tmp/traam-bench")
    parser.add_argument("--timeout", type=float, default=600)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traam.settings.bench")
    if options.what == "all":
        os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"traam-bench-{uuid.uuid4().hex[:8]}")
    import django

    django.setup()
    if options.what == "one":
        result = one(options.year, options.entry, options.scenarios)
    else:
        Path(options.log_dir).mkdir(parents=True, exist_ok=True)
        result = everything(options.year, options.workers, options.log_dir, options.timeout)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
