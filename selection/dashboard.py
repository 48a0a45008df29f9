"""The National selection's links on each person's dashboard."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traam.dashboard import register_actions
from traam.enums import CallPhase, Role

from .enums import ReviewState
from .models import ReviewAssignment

REVIEW_PHASES = {CallPhase.PROPOSALS, CallPhase.SELECTION}
RESULT_PHASES = {CallPhase.RESULTS, CallPhase.PRODUCTION, CallPhase.BILANS}


@register_actions
def selection_actions(user, role, call, phase):
    if role == Role.REVIEWER and phase in REVIEW_PHASES:
        pending = (
            ReviewAssignment.objects.filter(reviewer=user, proposal__theme__entry__call=call)
            .exclude(review__state=ReviewState.SUBMITTED)
            .count()
        )
        label = ngettext("%(count)s évaluation à rendre", "%(count)s évaluations à rendre", pending) % {"count": pending}
        return [{"url": reverse("selection:reviewer_list") + f"?appel={call.year}", "label": label}]
    if role == Role.PILOT and phase in REVIEW_PHASES | {CallPhase.RESULTS}:
        return [{"url": reverse("selection:pilot", args=[call.year]), "label": _("Sélection nationale")}]
    if role in (Role.DAN, Role.DRAN, Role.INSPECTOR) and phase in RESULT_PHASES:
        return [{"url": reverse("selection:results", args=[call.year]), "label": _("Résultats de la sélection nationale")}]
    return []
