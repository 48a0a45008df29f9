from __future__ import annotations

import hmac

import jwt
from django.http import Http404
from django.urls import reverse

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri

from . import PROVIDER_ID

# Asymmetric algorithms ProConnect may sign with (it also offers HS256, which
# cannot be checked against its JWKS: register the client with RS256/ES256).
SIGNING_ALGORITHMS = {"RS256", "ES256"}


def lookup_kid_jwk(keys_data, kid):
    """Like allauth's ``jwtkit.lookup_kid_jwk``, but infers the algorithm from
    the key type when the JWK has no ``alg`` (ProConnect may use EC keys)."""
    for jwk in keys_data.get("keys", []):
        if jwk.get("kid") == kid and jwk.get("use", "sig") == "sig":
            try:
                return jwt.PyJWK(jwk).key
            except jwt.PyJWTError as e:
                raise OAuth2Error(f"Unusable ProConnect key {kid!r}") from e
    return None


class ProConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    # ProConnect authenticates clients with client_secret_post.
    basic_auth = False

    def __init__(self, request, provider_id=PROVIDER_ID) -> None:
        # Always "proconnect", whatever provider_id the app row/settings hold.
        super().__init__(request, PROVIDER_ID)
        # The allauth state of this callback (set by ProConnectCallbackView).
        self.login_state: dict | None = None

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse(f"{PROVIDER_ID}_callback"), self.redirect_uri_protocol)

    def complete_login(self, request, app, token, **kwargs):
        id_token_str = kwargs["response"].get("id_token")
        if not id_token_str:
            raise OAuth2Error("ProConnect returned no id_token")
        id_token = self._decode_id_token(app, id_token_str)
        self._check_nonce(id_token)
        userinfo = self._fetch_signed_user_info(app, token.token)
        if userinfo.get("sub") != id_token.get("sub"):
            raise OAuth2Error("ProConnect userinfo and id_token are about different people")
        return self.get_provider().sociallogin_from_response(request, {"userinfo": userinfo, "id_token": id_token})

    def _verify_jwt(self, app, credential: str, what: str) -> dict:
        """Check the signature (against the JWKS of the discovery document),
        the issuer, the audience (our client id) and the expiry."""
        try:
            header = jwt.get_unverified_header(credential)
        except jwt.PyJWTError as e:
            raise OAuth2Error(f"Malformed ProConnect {what}") from e
        alg = header.get("alg")
        if not header.get("kid"):
            raise OAuth2Error(f"ProConnect {what} names no key (kid)")
        if alg not in SIGNING_ALGORITHMS:
            raise OAuth2Error(f"Unexpected signing algorithm {alg!r} for the ProConnect {what}")
        try:
            return jwtkit.verify_and_decode(
                credential=credential,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=lookup_kid_jwk,
            )
        except OAuth2Error as e:
            raise OAuth2Error(f"Invalid ProConnect {what}") from e

    def _decode_id_token(self, app, id_token: str) -> dict:
        # Always check the signature, even though the token came straight from
        # the token endpoint.
        return self._verify_jwt(app, id_token, "id_token")

    def _check_nonce(self, id_token: dict) -> None:
        expected = (self.login_state or {}).get("nonce")
        received = id_token.get("nonce")
        if not expected or not isinstance(received, str) or not hmac.compare_digest(expected, received):
            raise OAuth2Error("ProConnect id_token nonce mismatch")

    def _fetch_signed_user_info(self, app, access_token: str) -> dict:
        """ProConnect's userinfo is a JWT (application/jwt) signed with the
        keys of its JWKS, for our client id."""
        with get_adapter().get_requests_session() as sess:
            response = sess.get(self.profile_url, headers={"Authorization": f"Bearer {access_token}"})
            response.raise_for_status()
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/jwt":
            raise OAuth2Error(f"ProConnect userinfo is not a signed JWT ({content_type or 'no content type'})")
        return self._verify_jwt(app, response.text.strip(), "userinfo")


class ProConnectCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        # The only place where OAuth2CallbackView hands out the unstashed
        # state before completing the login: keep it for the nonce check.
        state, response = super()._get_state(request, provider)
        self.adapter.login_state = state
        return state, response


def _or_404(view_class):
    @login_not_required
    def view(request):
        try:
            return view_class.adapter_view(ProConnectOAuth2Adapter(request))(request)
        except SocialApp.DoesNotExist:
            # No ProConnect app configured (PROCONNECT_CLIENT_ID unset).
            raise Http404

    return view


oauth2_login = _or_404(OAuth2LoginView)
oauth2_callback = _or_404(ProConnectCallbackView)
