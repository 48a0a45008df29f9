import pytest
from django.core import mail
from django.urls import reverse

from tests.utils import text_of

from tests.factories import PASSWORD
from traam.enums import Role


def test_sign_in_with_email_and_password(client, teacher_grenoble):
    response = client.post(reverse("account_login"), {"login": "PROF.grenoble@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_is_refused_in_french(client, teacher_grenoble):
    response = client.post(reverse("account_login"), {"login": teacher_grenoble.email, "password": "mauvais"})
    assert response.status_code == 200
    assert "mot de passe" in text_of(response).lower()
    assert "_auth_user_id" not in client.session


def test_login_is_rate_limited(client, teacher_grenoble):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": teacher_grenoble.email, "password": "mauvais"})
    # Even the right password is refused once the limit is reached.
    response = client.post(reverse("account_login"), {"login": teacher_grenoble.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "Inscriptions fermées" in text_of(response) or response.status_code in (403, 404)


def test_password_reset_sends_a_french_email(client, teacher_grenoble):
    response = client.post(reverse("account_reset_password"), {"email": teacher_grenoble.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [teacher_grenoble.email]
    assert "mot de passe" in mail.outbox[0].body.lower()


def test_invited_person_sets_a_password_through_reset(client, dan_grenoble, grenoble, django_capture_on_commit_callbacks):
    from traam import services

    services.grant_role(acting_user=dan_grenoble, email="invitee@ac-grenoble.fr", role=Role.TEACHER, academy=grenoble)
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "invitee@ac-grenoble.fr"})
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/password/reset/key/" in word)
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_url, {"password1": "Un-mot-de-passe-solide-2026", "password2": "Un-mot-de-passe-solide-2026"})
    assert response.status_code == 302
    assert client.post(reverse("account_login"), {"login": "invitee@ac-grenoble.fr", "password": "Un-mot-de-passe-solide-2026"}).status_code == 302


def sign_in(client, user):
    """Through the login form, so that allauth records a recent authentication."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def open_totp_activation(client):
    """allauth asks for the password again before activating TOTP."""
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    if response.redirect_chain:
        assert "/reauthenticate/" in response.redirect_chain[-1][0]
        response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert 'name="code"' in response.content.decode()


class TestRequiredMFA:
    @pytest.fixture(autouse=True)
    def _mfa_on(self, settings):
        settings.TRAAM_REQUIRE_MFA = True

    @pytest.mark.parametrize("who", ["pilot", "reviewer_maths"])
    def test_reviewers_and_pilots_must_activate_totp(self, client, request, who):
        response = sign_in(client, request.getfixturevalue(who))
        assert response.url == reverse("dashboard")
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
        open_totp_activation(client)

    @pytest.mark.parametrize("who", ["teacher_grenoble", "dan_grenoble", "inspector_maths_grenoble"])
    def test_other_roles_may_but_need_not(self, client, request, who):
        sign_in(client, request.getfixturevalue(who))
        assert client.get(reverse("dashboard")).status_code == 200
        open_totp_activation(client)

    def test_pilot_with_totp_gets_through(self, client, pilot):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(pilot, generate_totp_secret())
        assert Authenticator.objects.filter(user=pilot).exists()
        client.force_login(pilot)
        assert client.get(reverse("dashboard")).status_code == 200


def test_mfa_is_off_by_default_locally(client, pilot, settings):
    settings.TRAAM_REQUIRE_MFA = False
    sign_in(client, pilot)
    assert client.get(reverse("dashboard")).status_code == 200
