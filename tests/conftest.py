"""Shared fixtures: reference data loaded once, one user per role, and the
helpers that fail under CI (rather than skip) when a real service is missing."""

import os
import shutil
import socket

import pytest
from django.core.cache import cache

from tests.factories import make_user
from traam.enums import Role
from traam.models import Academy, Discipline

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition, reason):
    """Skip locally, fail in CI: a missing service is a broken build there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"Service or tool missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from traam.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that commit (and so flush the database after them) run last, so
    that the reference data loaded once per session serves every other test,
    including those that ask for database fixtures dynamically."""

    def commits(item):
        names = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        return "transactional_db" in names or "live_server" in names or bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=commits)


@pytest.fixture
def transactional_db(transactional_db):
    """The previous committing test flushed everything: load the reference data again."""
    from traam.reference import load_reference

    load_reference()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache: tests must not leak them to each other.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def grenoble(db):
    return Academy.objects.get(code="grenoble")


@pytest.fixture
def lyon(db):
    return Academy.objects.get(code="lyon")


@pytest.fixture
def maths(db):
    return Discipline.objects.get(code="mathematiques")


@pytest.fixture
def nsi(db):
    return Discipline.objects.get(code="nsi")


@pytest.fixture
def pilot(db):
    return make_user("pilote@example.test", Role.PILOT)


@pytest.fixture
def dan_grenoble(grenoble):
    return make_user("dan.grenoble@example.test", Role.DAN, academy=grenoble)


@pytest.fixture
def dan_lyon(lyon):
    return make_user("dan.lyon@example.test", Role.DAN, academy=lyon)


@pytest.fixture
def dran_ara(db):
    from traam.models import Region

    return make_user("dran.ara@example.test", Role.DRAN, region=Region.objects.get(code="auvergne-rhone-alpes"))


@pytest.fixture
def inspector_maths_grenoble(grenoble, maths):
    return make_user("ia-ipr.maths@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[maths])


@pytest.fixture
def teacher_grenoble(grenoble):
    return make_user("prof.grenoble@example.test", Role.TEACHER, academy=grenoble)


@pytest.fixture
def cardie_grenoble(grenoble):
    return make_user("cardie.grenoble@example.test", Role.CARDIE, academy=grenoble)


@pytest.fixture
def reviewer_maths(grenoble, maths):
    # Belongs to Grenoble: proposals from Grenoble are a conflict for them.
    return make_user("expert.maths@example.test", Role.REVIEWER, academy=grenoble, disciplines=[maths])


@pytest.fixture
def stranger(db):
    """Signed in, but holds no role."""
    return make_user("inconnu@example.test")


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(os.path.exists(path), "Debian's Chromium (/usr/bin/chromium) is not installed")
    return path
