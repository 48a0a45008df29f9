"""Security under the production settings, on real responses (what
``test_security.py`` checks with the base settings, and ``check --deploy``,
are not repeated here): the headers of every kind of page (CSP without
unsafe-inline, HSTS, frame protection, referrer policy, nosniff), HTTPS
only, the session and CSRF cookies, sessions that expire, CSRF on every form
of the portal (each POST URL of the permission matrix), the login rate limits,
and the second factor required of reviewers and pilots."""

import datetime
import importlib
import os
import re
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.permissions.conftest import clients, database_writes, world  # noqa: F401 (module fixtures)
from tests.permissions.matrix import ALLOWED, load_entries
from tests.permissions.world import PILOT, REVIEWER, ROLES, TEACHER

HOST = "traam.education.gouv.fr"
ONE_YEAR = 365 * 24 * 3600

# The settings of traam.settings.production that shape requests and
# responses (not the database, the storages or the e-mail backend).
PRODUCTION_NAMES = (
    "DEBUG", "MIDDLEWARE", "TRAAM_REQUIRE_MFA", "X_FRAME_OPTIONS", "ACCOUNT_RATE_LIMITS", "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SESSION_SAVE_EVERY_REQUEST", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
)


def production_settings():
    """The production module, read as a production server would (its
    environment: a secret and the host name, nothing else of ours)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_", "SESSION_", "TRAAM_", "DEBUG"))}
    environment.update({"SECRET_KEY": "a-real-looking-secret-" + "x9Q2#kL7$mN4&pR8*tV1" * 3, "ALLOWED_HOSTS": HOST})
    with mock.patch.dict(os.environ, environment, clear=True):
        module = importlib.reload(importlib.import_module("traam.settings.production"))
    names = [name for name in dir(module) if name.isupper() and (name in PRODUCTION_NAMES or name.startswith("SECURE_"))]
    values = {name: getattr(module, name) for name in names}
    values["ALLOWED_HOSTS"] = [HOST]
    # WhiteNoise serves the collected static files in production; the tests have none collected.
    values["MIDDLEWARE"] = [name for name in values["MIDDLEWARE"] if "whitenoise" not in name]
    return values


PRODUCTION = production_settings()


@pytest.fixture
def production():
    with override_settings(**PRODUCTION):
        yield


def https(client, path, **extra):
    return client.get(path, secure=True, HTTP_HOST=HOST, **extra)


def directives(csp):
    """{directive: [sources]} of a Content-Security-Policy header."""
    parsed = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_production_headers(response):
    csp = response.headers.get("Content-Security-Policy")
    assert csp, "no Content-Security-Policy"
    policy = directives(csp)
    for directive in ("script-src", "style-src", "default-src"):
        sources = policy.get(directive, policy.get("default-src"))
        assert sources, f"{directive} missing: {csp}"
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, f"{directive}: {sources}"
        assert "*" not in sources and "data:" not in sources and "http:" not in sources, f"{directive}: {sources}"
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    hsts = response.headers["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= ONE_YEAR, hsts
    assert "includeSubDomains" in hsts
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


# --- Headers -----------------------------------------------------------------------------------


PUBLIC_PAGES = ["/", "/appels/2026-2027/", "/appels/2026-2027/mathematiques/thematique-1/", "/comptes/login/", "/accessibilite/",
                "/bilans/2026-2027/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_the_production_headers(production, client, db, path):
    response = https(client, path)
    assert response.status_code == 200
    assert_production_headers(response)


def test_error_pages_carry_them_too(production, client, db, world, clients):
    not_found = https(client, "/appels/1999-2000/")
    assert not_found.status_code == 404
    assert_production_headers(not_found)
    teacher = clients[TEACHER]
    forbidden = https(teacher, reverse("selection:pilot", args=["2026-2027"]))
    assert forbidden.status_code == 403
    assert_production_headers(forbidden)
    not_allowed = https(teacher, reverse("productions:hours_declare"))
    assert not_allowed.status_code == 405
    assert_production_headers(not_allowed)


def test_signed_in_pages_exports_and_files_carry_them(production, db, world, clients):
    dan = clients["dan"]
    for path in (
        reverse("dashboard"),
        reverse("candidatures:academy", args=["2026-2027", "grenoble"]),
        reverse("candidatures:academy_export", args=["2026-2027", "grenoble", "csv"]),
        reverse("productions:hours_export", args=["2026-2027", "grenoble", "xlsx"]),
        reverse("candidatures:attachment_download", args=[world.objects.proposal_nsi.pk, world.objects.attachment_nsi.pk]),
    ):
        response = https(dan, path)
        assert response.status_code == 200, path
        assert_production_headers(response)


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    ("role", "name", "kwargs"),
    [
        ("anonymous", "home", {}),
        ("anonymous", "call_detail", {"year": "2026-2027"}),
        ("teacher", "candidatures:edit", {"pk": "proposal_mine"}),
        ("inspector", "candidatures:inspector_list", {}),
        ("dan", "candidatures:academy", {"year": "2026-2027", "academy_code": "grenoble"}),
        ("pilot", "bilans:pilot", {"year": "2026-2027"}),  # htmx
        ("pilot", "productions:progress", {"year": "2026-2027"}),  # charts
        ("reviewer", "selection:review", {"pk": "proposal_rennes"}),
    ],
)
def test_pages_need_nothing_the_policy_forbids(production, world, clients, db, role, name, kwargs):
    """Under ``script-src``/``style-src`` without 'unsafe-inline', a page works
    only if each script is a file of the site, with no inline script, event
    handler or style attribute (``test_security`` checks one public page)."""
    kwargs = {key: getattr(world.objects, value).pk if hasattr(world.objects, str(value)) else value for key, value in kwargs.items()}
    with override_settings(TRAAM_REQUIRE_MFA=False):  # the second factor is checked below
        response = https(clients[role], reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = [chunk.split(">")[0] for chunk in html.split("<script")[1:]]
    assert scripts, "no script on the page: the check would pass for nothing"
    for tag in scripts:
        source = re.search(r'src="([^"]+)"', tag)
        assert source and source.group(1).startswith("/static/"), f"inline or foreign script: <script{tag}>"
    assert "<style" not in html
    assert ' style="' not in html
    assert not INLINE_HANDLER.search(html.split("<body", 1)[1]), "inline event handler"


def test_plain_http_is_sent_to_https(production, client, db):
    response = client.get("/appels/2026-2027/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/appels/2026-2027/"


def test_the_health_check_answers_over_http_for_the_load_balancer(client, db):
    with override_settings(**PRODUCTION, CELERY_BROKER_URL="memory://"):
        response = client.get("/sante/", HTTP_HOST=HOST)
    assert response.status_code == 200


# --- Cookies and sessions ----------------------------------------------------------------------------


def sign_in(client, user, **extra):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, secure=True, HTTP_HOST=HOST, **extra)
    assert response.status_code == 302, response.status_code
    return response


def test_session_and_csrf_cookies_are_secure(production, db, world):
    client = Client()
    page = https(client, reverse("account_login"))
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    response = sign_in(client, world.user(TEACHER))
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # Gone with the browser: no lasting cookie.
    assert session["max-age"] == "" and session["expires"] == ""


def test_a_session_lasts_at_most_the_configured_age(production, db, world):
    assert 15 * 60 <= PRODUCTION["SESSION_COOKIE_AGE"] <= 12 * 3600
    client = Client()
    before = timezone.now()
    sign_in(client, world.user(TEACHER))
    stored = Session.objects.get(session_key=client.session.session_key)
    expected = before + datetime.timedelta(seconds=PRODUCTION["SESSION_COOKIE_AGE"])
    assert abs((stored.expire_date - expected).total_seconds()) < 60


def test_an_expired_session_signs_the_person_out(production, db, world):
    client = Client()
    sign_in(client, world.user(TEACHER))
    assert https(client, reverse("dashboard")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = https(client, reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_signing_out_ends_the_session_on_the_server(production, db, world):
    client = Client()
    sign_in(client, world.user(TEACHER))
    key = client.session.session_key
    client.post(reverse("account_logout"), secure=True, HTTP_HOST=HOST)
    assert not Session.objects.filter(session_key=key).exists()
    assert https(client, reverse("dashboard")).status_code == 302


# --- CSRF on every form -------------------------------------------------------------------------------


def csrf_cases():
    """Each POST URL of the permission matrix, with a role and an object for which
    the POST is allowed: without the token, only CSRF can refuse it."""
    cases = []
    for entry in load_entries().values():
        if entry.post is None:
            continue
        found = next(
            ((role, variant) for variant in entry.objects for role in ROLES if entry.outcome("POST", role, variant) == ALLOWED), None,
        )
        if found is not None:
            cases.append(pytest.param(entry, *found, id=f"{entry.name}|{found[0]}|{found[1]}"))
    return cases


CSRF_CASES = csrf_cases()


def test_the_matrix_gives_forms_to_check():
    assert len(CSRF_CASES) >= 50


@pytest.fixture(scope="module")
def csrf_clients(world, django_db_blocker):
    by_role = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            if role != "anonymous":
                client = Client(enforce_csrf_checks=True)
                client.force_login(world.user(role))
                by_role[role] = client
    return by_role


@pytest.mark.parametrize(("entry", "role", "variant"), CSRF_CASES)
def test_every_form_refuses_a_post_without_its_token(entry, role, variant, world, csrf_clients, db):
    url = reverse(entry.name, kwargs=entry.objects[variant](world))
    before = database_writes()
    response = csrf_clients[role].post(url, {})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert database_writes() == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("account_login", {"login": "prof.grenoble@example.test", "password": PASSWORD}),
        ("account_reset_password", {"email": "prof.grenoble@example.test"}),
        ("admin:login", {"username": "pilote@example.test", "password": PASSWORD}),
    ],
)
def test_sign_in_forms_refuse_a_post_without_the_token(name, data, world, db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(name), data)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_post_with_the_token_goes_through(world, db):
    """The check above refuses for the token's sake: with it, the same sign-in works."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    token = client.cookies["csrftoken"].value
    data = {"login": "prof.grenoble@example.test", "password": PASSWORD, "csrfmiddlewaretoken": token}
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# --- Login rate limits -------------------------------------------------------------------------------


def failed_login(client, email, password="mauvais-mot-de-passe", ip="203.0.113.7"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def refused_for_too_many_attempts(response):
    form = response.context["form"]
    errors = form.errors.as_data().get("__all__", [])
    return response.status_code == 200 and any(error.code == "too_many_login_attempts" for error in errors)


def test_the_sixth_failed_login_on_an_address_is_refused(world, client, db):
    email = world.user(TEACHER).email
    for attempt in range(5):
        response = failed_login(client, email, ip=f"203.0.113.{attempt + 1}")
        assert not refused_for_too_many_attempts(response), attempt  # a wrong password, said as such
    response = failed_login(client, email, password=PASSWORD, ip="203.0.113.99")
    assert refused_for_too_many_attempts(response)
    assert "_auth_user_id" not in client.session


def test_the_eleventh_failed_login_from_an_ip_is_refused(world, client, db):
    """10 a minute from one address IP, whatever the accounts tried."""
    for attempt in range(10):
        response = failed_login(client, f"personne{attempt}@example.test")
        assert not refused_for_too_many_attempts(response), attempt
    response = failed_login(client, world.user(PILOT).email, password=PASSWORD)
    assert refused_for_too_many_attempts(response)
    assert "_auth_user_id" not in client.session
    # Another address IP is not concerned.
    assert failed_login(client, world.user(PILOT).email, password=PASSWORD, ip="198.51.100.1").status_code == 302


def test_the_production_settings_keep_the_rate_limits(production):
    from django.conf import settings

    limits = settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert "5/5m/key" in limits and "10/m/ip" in limits


# --- The second factor of reviewers and pilots ----------------------------------------------------------


PORTAL_PAGES = [
    ("dashboard", {}),
    ("selection:reviewer_list", {}),
    ("selection:pilot", {"year": "2026-2027"}),
    ("productions:group_list", {}),
    ("bilans:pilot", {"year": "2026-2027"}),
    ("admin:index", {}),
]


@pytest.mark.parametrize("role", [REVIEWER, PILOT])
def test_reviewers_and_pilots_without_a_second_factor_reach_nothing_but_its_activation(production, role, world, clients, db):
    client = clients[role]
    for name, kwargs in PORTAL_PAGES:
        response = https(client, reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
    # Their POSTs are turned away before the view, and change nothing.
    before = database_writes()
    response = client.post(reverse("selection:pilot_publish", args=["2026-2027"]), {"confirm": "on"}, secure=True, HTTP_HOST=HOST)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert database_writes() == before
    # The account pages and the health check stay open (to set the factor up).
    assert https(client, reverse("mfa_index")).status_code == 200


@pytest.mark.parametrize("role", [TEACHER, "dan", "inspector"])
def test_other_roles_are_not_held_back(production, role, world, clients, db):
    assert https(clients[role], reverse("dashboard")).status_code == 200


def test_a_pilot_with_a_second_factor_gets_in(production, world, clients, db):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(world.user(PILOT), generate_totp_secret())
    assert https(clients[PILOT], reverse("selection:pilot", args=["2026-2027"])).status_code == 200

