"""Every URL of the project, for each role, on objects inside and outside the
person's scope (``matrix.py`` and its ``matrix_<app>.py`` modules): GET gives
the declared answer, and a POST of a role that is refused is refused with an
empty body and changes nothing in the database."""

import pytest
from django.test import override_settings
from django.urls import reverse

from .conftest import database_writes
from .matrix import (
    ADMIN_LOGIN, FORBIDDEN, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, PENDING, REDIRECT, UNAUTHORIZED, cases, load_entries, url_patterns,
)

pytestmark = pytest.mark.django_db

ENTRIES = load_entries()
CASES = [
    pytest.param(entry, method, role, variant, expected, id=f"{entry.name}|{role}|{variant}|{method}")
    for entry, method, role, variant, expected in cases(ENTRIES)
]
LOGIN_PATH = "/comptes/login/"
ADMIN_LOGIN_PATH = "/administration/login/"
STATUS = {OK: 200, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, NOT_ALLOWED: 405}


def describe(response):
    location = response.get("Location", "")
    return f"{response.status_code}{' → ' + location if location else ''}"


def assert_outcome(response, expected):
    status, location = response.status_code, response.get("Location", "")
    if expected in STATUS:
        assert status == STATUS[expected], f"expected {expected}, got {describe(response)}"
    elif expected == LOGIN:
        assert status == 302 and location.startswith(LOGIN_PATH), f"expected the sign-in page, got {describe(response)}"
    elif expected == ADMIN_LOGIN:
        assert status == 302 and location.startswith(ADMIN_LOGIN_PATH), f"expected the admin sign-in page, got {describe(response)}"
    elif expected == REDIRECT:
        assert status in (301, 302) and not location.startswith((LOGIN_PATH, ADMIN_LOGIN_PATH)), (
            f"expected a redirect, got {describe(response)}"
        )
    else:
        raise AssertionError(f"Unknown outcome {expected!r}")


@pytest.mark.parametrize(("entry", "method", "role", "variant", "expected"), CASES)
def test_permission(entry, method, role, variant, expected, world, clients):
    client = clients[role]
    url = reverse(entry.name, kwargs=entry.objects[variant](world))
    with override_settings(**entry.settings):
        if method == "GET":
            response = client.get(url, entry.query)
        else:
            before = database_writes()
            response = client.post(url, {})
            assert database_writes() == before, f"a refused POST ({describe(response)}) wrote to the database"
    assert_outcome(response, expected)


def test_every_url_is_in_the_matrix():
    names = set(url_patterns())
    declared = set(ENTRIES)
    missing = sorted(names - declared - PENDING)
    gone = sorted(declared - names)
    pending_gone = sorted(PENDING - names)
    pending_declared = sorted(PENDING & declared)
    assert not missing, f"URL names with no entry in the permission matrix (tests/permissions/matrix_*.py): {missing}"
    assert not gone, f"Entries of the permission matrix whose URL name no longer exists: {gone}"
    assert not pending_gone, f"PENDING names that no longer exist: {pending_gone}"
    assert not pending_declared, f"PENDING names that now have an entry (remove them from PENDING): {pending_declared}"


def test_the_write_check_sees_a_post_that_goes_through(world, clients):
    """The refused POSTs above are checked with ``database_writes``: it moves
    when a POST is accepted (here the teacher marks their draft as tested)."""
    before = database_writes()
    response = clients["teacher"].post(reverse("productions:scenario_mark_tested", args=[world.objects.scenario_draft.pk]))
    assert response.status_code == 302
    assert database_writes() > before


def test_staff_without_the_pilot_role_is_refused_the_administration(world):
    """``is_staff`` alone opens nothing: the administration is the pilots' and the superusers'."""
    from django.test import Client

    client = Client()
    client.force_login(world.objects.staff)
    for name in ("admin:index", "admin:traam_call_changelist", "admin:candidatures_proposal_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN_PATH), name
