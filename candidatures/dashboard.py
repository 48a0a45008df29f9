"""The Proposals stage's links on each person's dashboard, per role and phase
of a call, with what is waiting for them."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traam import scopes
from traam.dashboard import register_actions
from traam.enums import CallPhase, Role
from traam.models import Academy

from .enums import ProposalState
from .models import Proposal

PROPOSAL_PHASES = {CallPhase.PROPOSALS}


@register_actions
def proposal_actions(user, role, call, phase):
    if role == Role.TEACHER and phase in (CallPhase.PROPOSALS, CallPhase.SELECTION, CallPhase.RESULTS):
        return [{"url": reverse("candidatures:list"), "label": _("Mes candidatures")}]
    if role == Role.INSPECTOR and phase in PROPOSAL_PHASES:
        scope = scopes.scope(user, Role.INSPECTOR)
        waiting = Proposal.objects.filter(
            theme__entry__call=call, state=ProposalState.SUBMITTED,
            academy_id__in=scope.academy_ids, theme__entry__discipline_id__in=scope.discipline_ids or (),
        ).count()
        label = ngettext("%(count)s candidature à examiner", "%(count)s candidatures à examiner", waiting) % {"count": waiting}
        return [{"url": reverse("candidatures:inspector_list") + f"?call={call.pk}&state=submitted", "label": label}]
    if role in (Role.DAN, Role.DRAN) and phase in (CallPhase.PROPOSALS, CallPhase.SELECTION):
        academy_ids = scopes.academies_for(user, role)
        return [
            {"url": reverse("candidatures:academy", args=[call.year, academy.code]), "label": _("Suivi et synthèse de l'académie de %(academy)s") % {"academy": academy}}
            for academy in Academy.objects.filter(pk__in=academy_ids)
        ]
    if role == Role.PILOT and phase in (CallPhase.PROPOSALS, CallPhase.SELECTION):
        return [{"url": reverse("candidatures:syntheses", args=[call.year]), "label": _("Synthèses académiques reçues")}]
    return []
