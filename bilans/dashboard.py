"""The bilans' links on each person's dashboard (registered by
``BilansConfig.ready`` once the bilans' URLs are mounted)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from traam.enums import CallPhase, Role

from .models import BilanRun

PILOT_PHASES = {CallPhase.PRODUCTION, CallPhase.BILANS}


def bilans_actions(user, role, call, phase):
    if role == Role.PILOT and phase in PILOT_PHASES:
        return [{"url": reverse("bilans:pilot", args=[call.year]), "label": _("Bilans nationaux")}]
    if role != Role.PILOT and phase == CallPhase.BILANS and BilanRun.objects.filter(call=call, is_published=True).exists():
        return [{"url": reverse("bilans:public_list", args=[call.year]), "label": _("Bilans nationaux publiés")}]
    return []
