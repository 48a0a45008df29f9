"""The world of the permission matrix, built once per module, and one signed-in
client per role."""

import shutil
import tempfile

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client, override_settings

from .world import ANON, ROLES, build_world, remove_files


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, in a transaction rolled back once the module is done; each
    test runs in a savepoint inside it (pytest-django's ``db``). The bilans'
    PDFs go to a folder of the module's own: the shared test media folder is
    swept by other test runs (tests/bilans/conftest.py)."""
    media = tempfile.mkdtemp(prefix="traam-permissions-")
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}}}
    with django_db_blocker.unblock(), override_settings(STORAGES=storages, MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        built = None
        try:
            built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            if built is not None:
                remove_files(built)
            shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """{role: Client}, signed in with ``force_login`` (anonymous: not signed in)."""
    by_role = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            client = Client()
            if role != ANON:
                client.force_login(world.user(role))
            by_role[role] = client
    return by_role


def database_writes() -> int:
    """Rows inserted, updated or deleted so far by this connection (SQLite) or
    transaction (PostgreSQL), sessions left out on PostgreSQL: a refused POST
    must not move it. Cheap enough to run around each of the matrix's POSTs."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables WHERE relname <> 'django_session'"
            )
        return int(cursor.fetchone()[0])


def database_state():
    """Every row of every table but the sessions (slower than ``database_writes``:
    for the few tests that want to see what changed)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session or model._meta.proxy:
            continue
        state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return state
