"""ProConnect sign-in through the allauth provider in traam/proconnect/, driven
end to end with the test client against a fake ProConnect (no network): a
discovery document, a JWKS, a token endpoint answering an RS256 id_token and a
userinfo endpoint answering a signed JWT (application/jwt)."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from traam.models import User

ISSUER = "https://proconnect.example.test/api/v2"
CLIENT_ID = "client-id-traam-test"
CLIENT_SECRET = "client-secret-traam-test"
CALLBACK = "http://testserver/comptes/proconnect/login/callback/"
SCOPES = {"openid", "email", "given_name", "usual_name", "uid", "siret", "idp_id"}
KID = "proconnect-test-key"

CLAIMS = {
    "sub": "d8f5c7a2e1b34c9a8f0e6d2b1a9c7e5f",
    "given_name": "Camille",
    "usual_name": "Lefèvre",
    "email": "Camille.LEFEVRE@ac-grenoble.fr",
    "uid": "clefevre",
    "siret": "13002526500013",
    "idp_id": "fia1v2",
}


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def response(body, content_type, status=200):
    resp = requests.Response()
    resp.status_code = status
    resp._content = body.encode() if isinstance(body, str) else body
    resp.headers["Content-Type"] = content_type
    resp.encoding = "utf-8"
    return resp


class FakeProConnect:
    """Stands for the requests session allauth gets from its adapter."""

    def __init__(self):
        self.key = new_key()
        self.userinfo_key = self.key  # a test may sign the userinfo with another key
        self.userinfo_content_type = "application/jwt"
        self.nonce = None  # the test copies the nonce of the authorization request here
        self.claims = dict(CLAIMS)
        self.id_token_overrides = {}
        self.token_requests = []

    # --- what ProConnect would answer ---
    def sign(self, claims, key):
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 60, **claims}
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})

    def discovery(self):
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "end_session_endpoint": f"{ISSUER}/session/end",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        }

    def jwks(self):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def token(self, data):
        self.token_requests.append(data)
        claims = {"sub": self.claims["sub"], "nonce": self.nonce, "acr": "eidas1", "idp_id": self.claims["idp_id"]}
        claims.update(self.id_token_overrides)
        id_token = self.sign(claims, self.key)
        return {"access_token": "access-token", "token_type": "Bearer", "expires_in": 60, "id_token": id_token}

    # --- the requests.Session interface allauth uses ---
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def request(self, method, url, params=None, data=None, headers=None, auth=None, **kwargs):
        if (method, url) == ("GET", f"{ISSUER}/.well-known/openid-configuration"):
            return response(json.dumps(self.discovery()), "application/json")
        if (method, url) == ("GET", f"{ISSUER}/jwks"):
            return response(json.dumps(self.jwks()), "application/json")
        if (method, url) == ("POST", f"{ISSUER}/token"):
            assert auth is None  # client_secret_post, not HTTP Basic
            return response(json.dumps(self.token(data)), "application/json;charset=utf-8")
        if (method, url) == ("GET", f"{ISSUER}/userinfo"):
            assert headers == {"Authorization": "Bearer access-token"}
            if self.userinfo_content_type == "application/json":
                return response(json.dumps(self.claims), "application/json")
            return response(self.sign(self.claims, self.userinfo_key), self.userinfo_content_type)
        raise AssertionError(f"unexpected request {method} {url}")


@pytest.fixture
def proconnect(settings, monkeypatch, db):
    """ProConnect configured as base.py does when PROCONNECT_CLIENT_ID is set."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "proconnect": {
            "APPS": [
                {
                    "provider_id": "proconnect",
                    "name": "ProConnect",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": ISSUER,
                        "token_auth_method": "client_secret_post",
                        "oauth_pkce_enabled": True,
                        "verified_email": True,
                    },
                }
            ]
        }
    }
    fake = FakeProConnect()
    monkeypatch.setattr(DefaultSocialAccountAdapter, "get_requests_session", lambda self: fake)
    # Record why allauth refused a login (it renders its error page, 401).
    fake.errors = []
    monkeypatch.setattr(
        DefaultSocialAccountAdapter,
        "on_authentication_error",
        lambda self, request, provider, error=None, exception=None, extra_context=None: fake.errors.append(exception),
    )
    return fake


def assert_refused(client, response, fake, reason):
    assert response.status_code == 401  # allauth's authentication error page
    assert len(fake.errors) == 1, fake.errors
    if reason is None:
        assert fake.errors[0] is None
    else:
        assert reason in str(fake.errors[0]), fake.errors
    assert not User.objects.filter(email__iexact=CLAIMS["email"]).exists()
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def start_login(client, fake):
    """POST the login URL, check the authorization request, return its parameters."""
    login_url = reverse("proconnect_login")
    assert login_url == "/comptes/proconnect/login/"
    response = client.post(login_url)
    assert response.status_code == 302
    url = urlsplit(response.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/authorize"
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    fake.nonce = params["nonce"]
    return params


def test_authorization_request_has_long_state_nonce_and_pkce(client, proconnect):
    params = start_login(client, proconnect)
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == CALLBACK
    assert set(params["scope"].split(" ")) == SCOPES
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    # Nothing ProConnect would refuse (it rejects unknown parameters).
    assert set(params) <= {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"}
    # The nonce is kept with allauth's state for this state id, in the session.
    stashed_state = client.session["socialaccount_states"][params["state"]][0]
    assert stashed_state["nonce"] == params["nonce"]


def test_sign_in_creates_a_verified_logged_in_user(client, proconnect):
    params = start_login(client, proconnect)
    response = client.get(reverse("proconnect_callback"), {"code": "authorization-code", "state": params["state"]})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")  # not an e-mail confirmation page
    user = User.objects.get(email="camille.lefevre@ac-grenoble.fr")
    assert (user.first_name, user.last_name) == ("Camille", "Lefèvre")
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("proconnect", CLAIMS["sub"])
    assert account.extra_data["userinfo"]["siret"] == CLAIMS["siret"]

    # The code was exchanged with client_secret_post and the PKCE verifier.
    (token_request,) = proconnect.token_requests
    assert token_request["client_id"] == CLIENT_ID
    assert token_request["client_secret"] == CLIENT_SECRET
    assert token_request["code"] == "authorization-code"
    assert token_request["redirect_uri"] == CALLBACK
    digest = hashlib.sha256(token_request["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == params["code_challenge"]

    # The state is single-use.
    assert params["state"] not in client.session.get("socialaccount_states", {})


def test_sign_in_reaches_the_existing_account_with_that_email(client, proconnect, teacher_grenoble):
    proconnect.claims["email"] = teacher_grenoble.email.upper()
    params = start_login(client, proconnect)
    response = client.get(reverse("proconnect_callback"), {"code": "authorization-code", "state": params["state"]})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(teacher_grenoble.pk)
    assert User.objects.filter(email__iexact=teacher_grenoble.email).count() == 1
    assert SocialAccount.objects.get(provider="proconnect").user == teacher_grenoble


def test_id_token_with_another_nonce_is_refused(client, proconnect):
    params = start_login(client, proconnect)
    proconnect.nonce = "n" * 48  # replayed id_token from another authorization request
    response = client.get(reverse("proconnect_callback"), {"code": "authorization-code", "state": params["state"]})
    assert_refused(client, response, proconnect, "nonce mismatch")


@pytest.mark.parametrize(
    ("tampering", "reason"),
    [("signed by another key", "Invalid ProConnect userinfo"), ("plain JSON", "not a signed JWT")],
)
def test_userinfo_not_signed_by_proconnect_is_refused(client, proconnect, tampering, reason):
    if tampering == "signed by another key":
        proconnect.userinfo_key = new_key()  # same kid, wrong signature
    else:
        proconnect.userinfo_content_type = "application/json"
    params = start_login(client, proconnect)
    response = client.get(reverse("proconnect_callback"), {"code": "authorization-code", "state": params["state"]})
    assert_refused(client, response, proconnect, reason)
    if tampering == "signed by another key":
        assert isinstance(proconnect.errors[0].__cause__.__cause__, jwt.InvalidSignatureError)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "another-client"}, "Invalid ProConnect id_token"),
        ({"iss": "https://elsewhere.example.test"}, "Invalid ProConnect id_token"),
        ({"sub": "someone-else"}, "different people"),
    ],
)
def test_id_token_for_someone_or_something_else_is_refused(client, proconnect, overrides, reason):
    proconnect.id_token_overrides = overrides
    params = start_login(client, proconnect)
    response = client.get(reverse("proconnect_callback"), {"code": "authorization-code", "state": params["state"]})
    assert_refused(client, response, proconnect, reason)


def test_callback_with_an_unknown_state_is_refused(client, proconnect):
    start_login(client, proconnect)
    response = client.get(reverse("proconnect_callback"), {"code": "authorization-code", "state": "x" * 48})
    assert_refused(client, response, proconnect, None)  # no exception: the state is unknown
    assert proconnect.token_requests == []


def test_proconnect_is_off_without_client_id(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert client.post("/comptes/proconnect/login/").status_code == 404
    assert client.get("/comptes/proconnect/login/callback/", {"code": "c", "state": "s" * 48}).status_code == 404
