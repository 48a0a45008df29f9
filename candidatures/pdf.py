"""The academic synthesis (*document de synthèse*) as a PDF. Who may download
it is the view's business; this only renders."""

from django.db.models import Prefetch
from django.utils import timezone

from traam.pdf import render_pdf

from .enums import AcademicOpinion, TeamRole
from .models import AcademicSynthesis, SynthesisItem, TeamMember

OPINION_BADGES = {
    AcademicOpinion.FAVOURABLE: "pdf-badge--success",
    AcademicOpinion.RESERVED: "pdf-badge--warning",
    AcademicOpinion.UNFAVOURABLE: "pdf-badge--error",
}
# The team as the call describes it: those who teach, then who supports them.
TEAM_ORDER = {role: index for index, role in enumerate(TeamRole.values)}


def synthesis_pdf(synthesis) -> bytes:
    """The PDF of ``synthesis``: its state, cover note and retained proposals in
    priority order, each with its team, the academic opinion and the academy's
    comment. Three queries, whatever the number of proposals."""
    synthesis = AcademicSynthesis.objects.select_related("call", "academy", "sent_by").get(pk=synthesis.pk)
    items = list(
        SynthesisItem.objects.filter(synthesis=synthesis)
        .select_related("proposal__theme__entry__discipline", "proposal__lead")
        .prefetch_related(Prefetch("proposal__team", queryset=TeamMember.objects.order_by("last_name", "first_name", "pk")))
        .order_by("priority")
    )
    for item in items:
        item.team = sorted(item.proposal.team.all(), key=lambda member: TEAM_ORDER.get(member.role, len(TEAM_ORDER)))
        item.opinion_badge = OPINION_BADGES.get(item.proposal.opinion, "")
    context = {"synthesis": synthesis, "items": items, "generated_at": timezone.now()}
    return render_pdf("candidatures/synthesis_pdf.html", context)
