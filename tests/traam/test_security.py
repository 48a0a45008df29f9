import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.urls import reverse


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_page_has_no_inline_script_or_style(client, db):
    html = client.get(reverse("call_detail", args=["2026-2027"])).content.decode()
    assert "<style" not in html
    assert ' style="' not in html
    for chunk in html.split("<script")[1:]:
        assert "src=" in chunk.split(">")[0], "inline <script> found"


def test_forms_carry_a_csrf_token(client, dan_grenoble):
    client.force_login(dan_grenoble)
    html = client.get(reverse("academy_roles")).content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= html.count('method="post"')


def test_sessions_expire(db):
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"}},
        "DJANGO_SETTINGS_MODULE": "traam.settings.production",
        "SECRET_KEY": "a-real-looking-secret-" + "x9Q2#kL7$mN4&pR8*tV1" * 3,
        "ALLOWED_HOSTS": "traam.education.gouv.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "traam.settings.production", "ALLOWED_HOSTS": "x"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_requires_mfa_by_default():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "traam.settings.production", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "x"}
    env.pop("TRAAM_REQUIRE_MFA", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.TRAAM_REQUIRE_MFA, settings.SECURE_HSTS_SECONDS > 0)"
    result = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_500_page_is_french_and_needs_no_database(rf):
    from traam.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()
