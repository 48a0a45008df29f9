"""The production stage's links on each person's dashboard, with what is
waiting for them (scenarios to validate, hours to decide)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traam.dashboard import register_actions
from traam.enums import CallPhase, Role

from .selectors import hours_to_decide, scenarios_to_validate

PRODUCTION_PHASES = {CallPhase.RESULTS, CallPhase.PRODUCTION, CallPhase.BILANS}


@register_actions
def production_actions(user, role, call, phase):
    if phase not in PRODUCTION_PHASES:
        return []
    groups = reverse("productions:group_list")
    if role in (Role.TEACHER, Role.CARDIE):
        actions = [{"url": groups, "label": _("Mes groupes de travail")}]
        if role == Role.TEACHER and phase == CallPhase.PRODUCTION:
            actions.append({"url": reverse("productions:hours"), "label": _("Déclarer mes heures")})
        return actions
    if role == Role.INSPECTOR:
        to_validate = scenarios_to_validate(user, call).count()
        to_decide = hours_to_decide(user, call).count()
        return [
            {"url": groups, "label": ngettext("%(count)s séquence à valider", "%(count)s séquences à valider", to_validate) % {"count": to_validate}},
            {"url": reverse("productions:hours"), "label": ngettext("%(count)s déclaration d'heures à traiter", "%(count)s déclarations d'heures à traiter", to_decide) % {"count": to_decide}},
            {"url": reverse("productions:progress"), "label": _("Avancement de mes groupes")},
        ]
    if role in (Role.DAN, Role.DRAN):
        return [
            {"url": reverse("productions:progress"), "label": _("Avancement des groupes de l'académie")},
            {"url": reverse("productions:hours"), "label": _("Heures validées à mettre en paiement")},
        ]
    if role == Role.PILOT:
        return [
            {"url": reverse("productions:progress"), "label": _("Avancement des groupes")},
            {"url": reverse("productions:national_group_list"), "label": _("Groupes nationaux")},
        ]
    return []
