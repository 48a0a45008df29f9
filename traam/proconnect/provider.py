from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)

from . import PROVIDER_ID
from .views import ProConnectOAuth2Adapter

# ProConnect requires a nonce of at least 32 characters: 48 random bytes give
# 64 URL-safe characters.
NONCE_BYTES = 48

# The only optional authorization parameters ProConnect accepts (any other one
# is answered with "Y000400 Bad Request"); see its technical documentation.
ALLOWED_DYNAMIC_AUTH_PARAMS = {"prompt", "idp_hint", "login_hint", "claims"}


def _pick_data(data: dict) -> dict:
    # Same rule as allauth's openid_connect: the (verified) userinfo first.
    return data.get("userinfo") or data.get("id_token") or data


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        data = self.get_user_data() or {}
        name = " ".join(part for part in (data.get("given_name"), data.get("usual_name")) if part)
        return name or data.get("email") or super().to_str()


class ProConnectProvider(OpenIDConnectProvider):
    id = PROVIDER_ID
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectOAuth2Adapter
    pkce_enabled_default = True
    # Logging in by posting a token (headless) would bypass the nonce check.
    supports_token_authentication = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.name = self.app.name or "ProConnect"

    # Fixed URLs (/comptes/proconnect/login/), not the openid_connect
    # /<provider_id>/ ones.
    def get_login_url(self, request, **kwargs):
        return OAuth2Provider.get_login_url(self, request, **kwargs)

    def get_callback_url(self):
        return OAuth2Provider.get_callback_url(self)

    def get_oauth2_adapter(self, request):
        return self.oauth2_adapter_class(request)

    def get_default_scope(self):
        return ["openid", "email", "given_name", "usual_name", "uid", "siret", "idp_id"]

    def get_auth_params_from_request(self, request, action):
        params = super().get_auth_params_from_request(request, action)
        static = self.get_auth_params()
        return {key: value for key, value in params.items() if key in static or key in ALLOWED_DYNAMIC_AUTH_PARAMS}

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """Send a nonce with the authorization request and keep it in the
        allauth state (stashed in the session under the state parameter, next
        to the PKCE code verifier); the callback compares it with the
        id_token's ``nonce`` claim."""
        nonce = secrets.token_urlsafe(NONCE_BYTES)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    def verify_token(self, request, token):
        raise get_adapter().validation_error("invalid_token")

    def extract_common_fields(self, data):
        data = _pick_data(data)
        email = data.get("email")
        return {
            "email": email.strip().lower() if email else None,
            "first_name": data.get("given_name") or "",
            "last_name": data.get("usual_name") or "",
        }

    def extract_email_addresses(self, data):
        data = _pick_data(data)
        email = data.get("email")
        if not email:
            return []
        # ProConnect only hands out e-mail addresses its identity providers
        # have verified.
        return [EmailAddress(email=email.strip().lower(), verified=True, primary=True)]


provider_classes = [ProConnectProvider]
