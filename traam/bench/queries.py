"""SQL queries of each measured page, in this process (Django's test client,
signed in with ``force_login``), against the database of ``DATABASE_URL``.
Prints one JSON object: page name → {"status", "queries", "sql_ms" (their
time here), "slowest" (the slowest query and its time)}. Run by the bench
runner once per scale."""

import json
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traam.settings.bench")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from traam.models import User

    from .pages import MINIMAL, PAGES

    setup_test_environment()
    clients = {None: Client()}
    result = {}
    for name, url, account in MINIMAL + PAGES:
        if account not in clients:
            clients[account] = Client()
            clients[account].force_login(User.objects.get(email=account))
        client = clients[account]
        client.get(url)  # warm: the first request of a session loads what later ones find cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timed = sorted(queries.captured_queries, key=lambda query: float(query["time"]), reverse=True)
        result[name] = {
            "status": response.status_code, "queries": len(queries),
            "sql_ms": round(sum(float(query["time"]) for query in timed) * 1000, 1),
            "slowest": {"ms": round(float(timed[0]["time"]) * 1000, 1), "sql": timed[0]["sql"][:300]} if timed else None,
        }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
