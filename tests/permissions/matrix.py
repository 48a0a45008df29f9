"""The permission matrix: for every URL name of the project, what each role
gets, on objects inside and outside their scope.

Each app declares its entries in its own module (``matrix_<app>.py``, a list
``ENTRIES``; the site administration's 300 names are covered by rules in
``matrix_accounts.py``); this module gathers them (``MODULES``) and lists the
URL names still waiting for their entries (``PENDING``). ``test_matrix.py``
runs every cell, and fails on any URL name missing here (and on any entry
whose URL is gone). The objects are those of ``world.py``.

Roles (``world.ROLES``): anonymous, a signed-in person with no role
(``stranger``), teacher, CARDIE, inspector, DAN, DRAN, national reviewer,
national pilot, and a superuser (``admin``: Django gives a superuser every
``has_perm``, so the views that ask ``has_perm`` let them through, those that
check a role or a predicate do not).

Outcomes (``Url.get`` / ``Url.post``, per role, optionally per object):

- ``OK``: 200;
- ``LOGIN``: a redirect to the sign-in page (``/comptes/login/?next=…``);
- ``ADMIN_LOGIN``: a redirect to the administration's sign-in page;
- ``REDIRECT``: a redirect elsewhere (the view sends the person on);
- ``FORBIDDEN`` / ``NOT_FOUND``: 403 / 404 — the exact one the code gives;
- ``NOT_ALLOWED``: 405 (a POST-only URL opened with GET, or the reverse);
- ``UNAUTHORIZED``: 401 (allauth's page of a failed third-party sign-in);
- ``ALLOWED`` (POST only): the role may post; the matrix does not post for it
  (the apps' own view tests do, with real data);
- ``SKIP``: not checked for this role (said why where it is used).

A POST is checked for every role whose outcome is a refusal (``LOGIN``,
``FORBIDDEN``, ``NOT_FOUND``, ``NOT_ALLOWED``), with an empty body: it must be
refused and change nothing in the database.
"""

import importlib
from dataclasses import dataclass, field
from typing import Callable

from django.urls import URLPattern, URLResolver, get_resolver

# The roles, for the app modules (``from .matrix import TEACHER, …``).
from .world import ADMIN, ANON, CARDIE, DAN, DRAN, INSPECTOR, PILOT, REVIEWER, ROLES, STRANGER, TEACHER  # noqa: F401

OK = "ok"
LOGIN = "login"
ADMIN_LOGIN = "admin_login"
REDIRECT = "redirect"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
UNAUTHORIZED = "401"
ALLOWED = "allowed"
SKIP = "skip"

REFUSALS = {LOGIN, ADMIN_LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}

# The app modules, each with its ``ENTRIES``. New apps add their module here.
MODULES = [
    "tests.permissions.matrix_traam",
    "tests.permissions.matrix_candidatures",
    "tests.permissions.matrix_selection",
    "tests.permissions.matrix_productions",
    "tests.permissions.matrix_bilans",
    "tests.permissions.matrix_accounts",
    "tests.permissions.matrix_catalogue",
    "tests.permissions.matrix_imports",
]

# URL names that exist but have no entry yet (an app being added while its
# routes settle). Each must move to an app module as soon as it can; a name
# listed here that no longer exists, or that has an entry, fails the test.
PENDING: set[str] = set()

# One object only (the URL takes no object, or a single one matters).
ONE = "-"


def roles(default, **by_role):
    """{role: outcome} for every role: ``default``, except those named
    (``roles(FORBIDDEN, anonymous=LOGIN, pilot=OK)``)."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    return {role: by_role.get(role, default) for role in ROLES}


def signed_in(outcome, **by_role):
    """Anonymous visitors go to the sign-in page; the others get ``outcome``."""
    return roles(outcome, **{ANON: LOGIN, **by_role})


def pilot_only(outcome=OK, refused=FORBIDDEN, **by_role):
    """The national pilot (and a superuser, a pilot by rule) only."""
    return signed_in(refused, **{PILOT: outcome, ADMIN: outcome, **by_role})


def post_only_get():
    """GET on a POST-only view: the sign-in page first, then 405. The method is
    checked before anything about the person (``require_POST`` under
    ``login_required``), so two signed-in roles stand for all: someone
    without a role, and the pilot."""
    return signed_in(SKIP, **{STRANGER: NOT_ALLOWED, PILOT: NOT_ALLOWED})


@dataclass
class Url:
    """One URL name: how to build it (``objects``: variant → kwargs of
    ``reverse``, from the world), what each role gets with GET and POST."""

    name: str
    get: dict
    post: dict | None = None
    objects: dict[str, Callable] = field(default_factory=lambda: {ONE: lambda world: {}})
    query: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)

    def outcome(self, method, role, variant):
        table = self.get if method == "GET" else self.post
        if table is None:
            return SKIP
        value = table[role]
        if isinstance(value, dict):
            return value.get(variant, SKIP)
        return value


def load_entries() -> dict[str, Url]:
    entries = {}
    for module_name in MODULES:
        for entry in importlib.import_module(module_name).ENTRIES:
            if entry.name in entries:
                raise ValueError(f"Two entries for {entry.name}")
            entries[entry.name] = entry
    return entries


def cases(entries):
    """(entry, method, role, variant, outcome) for every cell to check."""
    for entry in entries.values():
        for variant in entry.objects:
            for role in ROLES:
                get = entry.outcome("GET", role, variant)
                if get != SKIP:
                    yield entry, "GET", role, variant, get
                post = entry.outcome("POST", role, variant)
                if post in REFUSALS:
                    yield entry, "POST", role, variant, post


def url_patterns():
    """{full name: route} of every named URL pattern, namespaces included."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


