"""Time the rendering of one entry's bilan with N published scenarios, for
``make bench``. It writes fake published scenarios: run it on a throwaway
database only, after ``migrate`` and ``seed_demo``::

    export DATABASE_URL=sqlite:////tmp/traam-bench.sqlite3 MEDIA_ROOT=/tmp/traam-bench-media
    python manage.py migrate && python manage.py seed_demo
    python -m bilans.bench --scratch-database --entry mathematiques --scenarios 300

Prints the number of pages, the size, the seconds and the queries of the run
(rendered in this process, as a worker would)."""

import argparse
import os
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch-database", action="store_true", required=True, help="confirm the database is a throwaway one")
    parser.add_argument("--call", default="2026-2027")
    parser.add_argument("--entry", default="mathematiques")
    parser.add_argument("--scenarios", type=int, default=300)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traam.settings.base")
    import django

    django.setup()
    run, seconds, queries = bench(options.call, options.entry, options.scenarios)
    print(f"{run.title}: {run.scenario_count} séquences, {run.pages} pages, {run.size} octets, {seconds:.2f} s, {queries} requêtes ({run.state})")


def bench(year, entry_code, scenarios):
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from productions.enums import ScenarioState
    from productions.models import Scenario, WorkingGroup
    from traam.models import Call, ClassLevel, CrcnCompetence, DigitalCommon

    from . import rendering
    from .enums import BilanKind
    from .models import BilanRun

    call = Call.objects.get(year=year)
    entry = call.entries.get(code=entry_code)
    groups = list(WorkingGroup.objects.filter(entry=entry).order_by("pk"))
    published = Scenario.objects.filter(group__entry=entry, state=ScenarioState.PUBLISHED)
    model = published.order_by("pk").first()
    levels, crcn, commons = list(ClassLevel.objects.all()), list(CrcnCompetence.objects.all()), list(DigitalCommon.objects.all())
    for number in range(published.count(), scenarios):
        scenario = Scenario.objects.create(
            group=groups[number % len(groups)], slug=f"bench-{entry.code}-{number}", title=f"{model.title} — déclinaison {number}",
            summary=model.summary, problem=f"{model.problem} (variante {number % 40})", disciplinary_competences=model.disciplinary_competences,
            digital_tools=model.digital_tools, ai_usage=["none", "teacher_practice", "student_learning"][number % 3], ai_tools="Assistant",
            ai_precautions="Aucune donnée personnelle saisie.", sessions=4, state=ScenarioState.PUBLISHED, published_at=timezone.now(),
            edubase_url=f"https://edubase.eduscol.education.fr/fiche/{900000 + number}",
        )
        scenario.class_levels.set(levels[number % 5 : number % 5 + 2])
        scenario.crcn_competences.set(crcn[number % 16 : number % 16 + 3])
        scenario.commons.set(commons[number % 5 : number % 5 + 1])
    version = (BilanRun.objects.filter(call=call, entry=entry).aggregate(latest=Max("version"))["latest"] or 0) + 1
    run = BilanRun.objects.create(call=call, entry=entry, kind=BilanKind.ENTRY, version=version)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        rendering.render_run(run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    return run, seconds, len(queries)


if __name__ == "__main__":
    main()
