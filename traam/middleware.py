from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import scopes
from .enums import Role

# Pages a person who still has to set up a second factor may open.
MFA_SETUP_PREFIXES = ("/comptes/", "/static/", "/media/", "/sante/")


class RequireMFAMiddleware:
    """When TRAAM_REQUIRE_MFA is on, national reviewers and pilots cannot use
    the portal until they have activated TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_set_up_mfa(request):
            messages.warning(
                request,
                _("Votre rôle exige une double authentification : activez une application d'authentification pour continuer."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def must_set_up_mfa(request) -> bool:
        if not settings.TRAAM_REQUIRE_MFA:
            return False
        user = request.user
        if not user.is_authenticated or request.path.startswith(MFA_SETUP_PREFIXES):
            return False
        if not scopes.has_role(user, *Role.mfa_required):
            return False
        from allauth.mfa.utils import is_mfa_enabled

        return not is_mfa_enabled(user)
