from django import template

from traam import scopes
from traam.enums import Role

from .. import services
from ..enums import ProposalState

register = template.Library()

BADGES = {
    ProposalState.DRAFT: "",
    ProposalState.SUBMITTED: "fr-badge--info",
    ProposalState.RETURNED: "fr-badge--warning",
    ProposalState.RETAINED: "fr-badge--success",
    ProposalState.NOT_RETAINED: "fr-badge--error",
    ProposalState.WITHDRAWN: "",
    ProposalState.SENT: "fr-badge--new",
    ProposalState.SELECTED: "fr-badge--success",
    ProposalState.NOT_SELECTED: "fr-badge--error",
}


@register.simple_tag(takes_context=True)
def can_start_proposal(context, theme):
    """``{% can_start_proposal theme as can_start %}``: the signed-in teacher may
    start a proposal on ``theme`` now (the call is open for one of their academies)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("candidatures.add_proposal"):
        return False
    call = theme.entry.call
    return any(services.proposals_open(call, academy_id) for academy_id in scopes.academies_for(user, Role.TEACHER))


@register.filter
def state_badge(state):
    """The DSFR badge modifier of a proposal state."""
    return BADGES.get(state, "")
