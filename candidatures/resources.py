"""Export of proposals (*candidatures*) as CSV or XLSX, with French headers,
through ``traam.exports.export_response``."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from traam.exports import ExportResource, paris_datetime
from traam.models import ClassLevel

from .enums import TeamRole
from .models import Proposal


def proposals_for_export(queryset):
    """``queryset`` with everything ``ProposalExportResource`` reads, fetched in
    three queries whatever the number of proposals."""
    return queryset.select_related("theme__entry__call", "academy", "lead", "synthesis_item").prefetch_related(
        "team", Prefetch("class_levels", queryset=ClassLevel.objects.order_by("order", "name")),
    )


class ProposalExportResource(ExportResource):
    """One row per proposal, for the academy (DAN/DRAN, inspectors). Expects a
    queryset prepared by ``proposals_for_export``."""

    number = Field(column_name=_("N°"))
    call = Field(column_name=_("Appel"))
    academy = Field(column_name=_("Académie"))
    entry = Field(column_name=_("Discipline ou enseignement"))
    theme = Field(column_name=_("Thématique"))
    title = Field(column_name=_("Titre"))
    state = Field(column_name=_("État"))
    lead = Field(column_name=_("Porteur·se"))
    lead_email = Field(column_name=_("Courriel du porteur"))
    team_size = Field(column_name=_("Équipe"))
    referent = Field(column_name=_("Enseignant·e référent·e"))
    class_levels = Field(column_name=_("Niveaux de classe"))
    ai_usage = Field(column_name=_("Usage de l'IA"))
    opinion = Field(column_name=_("Avis académique"))
    opinion_comment = Field(column_name=_("Commentaire de l'avis"))
    synthesis_priority = Field(column_name=_("Priorité dans la synthèse"))
    submitted_at = Field(column_name=_("Déposée le"))
    decided_at = Field(column_name=_("Décision le"))

    class Meta:
        model = Proposal
        fields = (
            "number", "call", "academy", "entry", "theme", "title", "state", "lead", "lead_email", "team_size", "referent",
            "class_levels", "ai_usage", "opinion", "opinion_comment", "synthesis_priority", "submitted_at", "decided_at",
        )
        export_order = fields

    def dehydrate_number(self, proposal):
        return proposal.pk

    def dehydrate_call(self, proposal):
        return proposal.theme.entry.call.year

    def dehydrate_academy(self, proposal):
        return proposal.academy.name

    def dehydrate_entry(self, proposal):
        return proposal.theme.entry.name

    def dehydrate_theme(self, proposal):
        return proposal.theme.title

    def dehydrate_title(self, proposal):
        return proposal.title

    def dehydrate_state(self, proposal):
        return proposal.get_state_display()

    def dehydrate_lead(self, proposal):
        return proposal.lead.get_full_name()

    def dehydrate_lead_email(self, proposal):
        return proposal.lead.email

    def dehydrate_team_size(self, proposal):
        # Every member of the team, CARDIE representative and inspector included.
        return len(proposal.team.all())

    def dehydrate_referent(self, proposal):
        return ", ".join(member.full_name for member in proposal.team.all() if member.role == TeamRole.REFERENT)

    def dehydrate_class_levels(self, proposal):
        return ", ".join(level.name for level in proposal.class_levels.all())

    def dehydrate_ai_usage(self, proposal):
        return proposal.get_ai_usage_display()

    def dehydrate_opinion(self, proposal):
        return proposal.get_opinion_display()

    def dehydrate_opinion_comment(self, proposal):
        return proposal.opinion_comment

    def dehydrate_synthesis_priority(self, proposal):
        item = getattr(proposal, "synthesis_item", None)
        return item.priority if item is not None else ""

    def dehydrate_submitted_at(self, proposal):
        return paris_datetime(proposal.submitted_at)

    def dehydrate_decided_at(self, proposal):
        return paris_datetime(proposal.decided_at)
