from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from . import scopes
from .enums import Role

SITE = {
    "site_title": _("Portail TraAM"),
    "site_tagline": _("Travaux Académiques Mutualisés — Direction du numérique pour l'éducation"),
    "accessibility_status": _("non conforme"),
}


def portal(request):
    user = getattr(request, "user", None)
    user_roles = scopes.roles(user) if user is not None else set()
    is_pilot = Role.PILOT in user_roles or bool(user and user.is_superuser)
    return {
        "SITE": SITE,
        "SITE_CONFIG": None,
        "user_roles": user_roles,
        "is_pilot": is_pilot,
        # The « Groupes de travail » menu (the pilot has it in « Pilotage national »).
        "works_in_groups": not is_pilot and bool(user_roles & {Role.TEACHER, Role.CARDIE, Role.INSPECTOR, Role.DAN, Role.DRAN}),
        "is_teacher": Role.TEACHER in user_roles,
        "manages_academy_roles": bool(user_roles & {Role.DAN, Role.DRAN, Role.PILOT}),
        "current_call_url": SimpleLazyObject(_current_call_url),
        "proconnect_enabled": bool(settings.PROCONNECT_CLIENT_ID),
        "skiplinks": [
            {"link": "#content", "label": _("Contenu")},
            {"link": "#fr-navigation", "label": _("Menu")},
            {"link": "#footer", "label": _("Pied de page")},
        ],
    }


def _current_call_url():
    from .models import Call

    call = Call.objects.current()
    return call.get_absolute_url() if call else ""
