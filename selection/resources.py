"""Exports of the national selection for the pilot, as CSV or XLSX with French
headers, through ``traam.exports.export_response`` (formulas made inert):

- reviews (*évaluations*): one row per review of the call, drafts included
  with their state, and one column per criterion of the call's grid (its
  header carries the weight and the scale). One row per review rather than
  per review × criterion: a reviewer's opinion reads on one line, and each
  criterion's column can be sorted or averaged across reviewers;
- ranking (*classement*): one row per proposal the DNE received, entry by
  entry, best score first;
- results (*résultats*), once published: one row per proposal, selected or not.

Scores are numbers that a spreadsheet can sort and average: real numbers in
XLSX; in CSV, written with a decimal comma (``14,25``), which is how a French
spreadsheet reads a number (``14.25`` would open as text, or as a date).

Each export reads its rows in a fixed number of queries, whatever their number.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from traam.exports import ExportResource, neutralize_formula, paris_datetime

from . import ranking
from .enums import Recommendation, ReviewState
from .models import Review, Score


class _SelectionResource(ExportResource):
    """Numbers with a decimal comma when the export is a CSV (``decimal_comma``)."""

    def __init__(self, *, decimal_comma=False, **kwargs):
        super().__init__(**kwargs)
        self.decimal_comma = decimal_comma

    def number(self, value):
        if value is None:
            return ""
        if self.decimal_comma and isinstance(value, Decimal):
            return str(value).replace(".", ",")
        return value


def _yes_no(value) -> str:
    return gettext("oui") if value else gettext("non")


def recommendations_text(counter) -> str:
    """« à sélectionner en priorité : 2 ; réservé : 1 », in the order of the scale."""
    return " ; ".join(f"{Recommendation(value).label} : {counter[value]}" for value in Recommendation.values if counter.get(value))


# --- Reviews ---------------------------------------------------------------------------


def reviews_for_export(call):
    """The call's reviews with everything ``ReviewExportResource`` reads: two queries."""
    return (
        Review.objects.filter(assignment__proposal__theme__entry__call=call)
        .select_related("assignment__proposal__academy", "assignment__proposal__theme__entry", "assignment__reviewer")
        .prefetch_related(Prefetch("scores", Score.objects.select_related("criterion")))
        .order_by(
            "assignment__proposal__theme__entry__order", "assignment__proposal__academy__name", "assignment__proposal__title",
            "assignment__proposal_id", "assignment__reviewer__last_name", "assignment__reviewer__first_name", "pk",
        )
    )


class ReviewExportResource(_SelectionResource):
    """One row per review; ``criteria`` (the call's grid, in order) give the
    score columns, between the review's heading cells and its conclusion."""

    number = Field(column_name=_("N° candidature"))
    entry = Field(column_name=_("Discipline ou enseignement"))
    academy = Field(column_name=_("Académie"))
    title = Field(column_name=_("Candidature"))
    reviewer = Field(column_name=_("Évaluateur·rice"))
    reviewer_email = Field(column_name=_("Courriel de l'évaluateur·rice"))
    state = Field(column_name=_("État de l'évaluation"))
    submitted_at = Field(column_name=_("Soumise le"))
    score = Field(column_name=_("Note /20"))
    recommendation = Field(column_name=_("Recommandation"))
    comment = Field(column_name=_("Commentaire"))

    HEAD = ("number", "entry", "academy", "title", "reviewer", "reviewer_email", "state", "submitted_at")
    TAIL = ("score", "recommendation", "comment")

    class Meta:
        model = Review
        fields = (
            "number", "entry", "academy", "title", "reviewer", "reviewer_email", "state", "submitted_at",
            "score", "recommendation", "comment",
        )

    def __init__(self, criteria=(), **kwargs):
        super().__init__(**kwargs)
        self.criterion_fields = []
        for criterion in criteria:
            name = f"criterion_{criterion.pk}"
            # The header is the pilot's text: made inert like any cell.
            header = neutralize_formula(
                gettext("%(label)s (coef. %(weight)s, %(min)s à %(max)s)")
                % {"label": criterion.label, "weight": criterion.weight, "min": criterion.scale_min, "max": criterion.scale_max}
            )
            self.fields[name] = Field(column_name=header, dehydrate_method=self._criterion_value(criterion.pk))
            self.criterion_fields.append(name)

    def get_export_order(self):
        return (*self.HEAD, *self.criterion_fields, *self.TAIL)

    @staticmethod
    def _criterion_value(criterion_id):
        def value(review):
            for score in review.scores.all():
                if score.criterion_id == criterion_id:
                    return score.value
            return ""

        return value

    def dehydrate_number(self, review):
        return review.assignment.proposal_id

    def dehydrate_entry(self, review):
        return review.assignment.proposal.theme.entry.name

    def dehydrate_academy(self, review):
        return review.assignment.proposal.academy.name

    def dehydrate_title(self, review):
        return review.assignment.proposal.title

    def dehydrate_reviewer(self, review):
        return review.assignment.reviewer.get_full_name()

    def dehydrate_reviewer_email(self, review):
        return review.assignment.reviewer.email

    def dehydrate_state(self, review):
        return review.get_state_display()

    def dehydrate_submitted_at(self, review):
        return paris_datetime(review.submitted_at)

    def dehydrate_score(self, review):
        # A draft may miss scores: only a submitted review has a score.
        if review.state != ReviewState.SUBMITTED:
            return ""
        marks = [(s.criterion.weight, s.value, s.criterion.scale_min, s.criterion.scale_max) for s in review.scores.all()]
        return self.number(ranking.rounded(ranking.review_score(marks)))

    def dehydrate_recommendation(self, review):
        return review.get_recommendation_display()

    def dehydrate_comment(self, review):
        return review.comment


# --- Ranking ---------------------------------------------------------------------------


def ranking_for_export(call) -> list:
    """Every entry's ranking (``ranking.rank_call``), entry after entry, best score first."""
    rows = [row for entry_rows in ranking.rank_call(call).values() for row in entry_rows]
    rows.sort(key=lambda row: (row.proposal.theme.entry.order, row.proposal.theme.entry.name))  # stable: rank order kept
    return rows


class RankingExportResource(_SelectionResource):
    """One row per ``ranking.RankedProposal``."""

    entry = Field(column_name=_("Discipline ou enseignement"))
    rank = Field(column_name=_("Rang"))
    number = Field(column_name=_("N° candidature"))
    title = Field(column_name=_("Candidature"))
    academy = Field(column_name=_("Académie"))
    priority = Field(column_name=_("Priorité dans la synthèse"))
    score = Field(column_name=_("Moyenne /20"))
    spread = Field(column_name=_("Écart entre évaluations"))
    reviews = Field(column_name=_("Évaluations soumises"))
    assigned = Field(column_name=_("Évaluations assignées"))
    recommendations = Field(column_name=_("Recommandations"))
    selected = Field(column_name=_("Sélectionnée"))

    class Meta:
        model = Proposal
        fields = ("entry", "rank", "number", "title", "academy", "priority", "score", "spread", "reviews", "assigned", "recommendations", "selected")
        export_order = fields

    def dehydrate_entry(self, row):
        return row.proposal.theme.entry.name

    def dehydrate_rank(self, row):
        return row.rank if row.rank is not None else ""

    def dehydrate_number(self, row):
        return row.proposal.pk

    def dehydrate_title(self, row):
        return row.proposal.title

    def dehydrate_academy(self, row):
        return row.proposal.academy.name

    def dehydrate_priority(self, row):
        return row.priority if row.priority is not None else ""

    def dehydrate_score(self, row):
        return self.number(row.score)

    def dehydrate_spread(self, row):
        return self.number(row.spread)

    def dehydrate_reviews(self, row):
        return row.reviews

    def dehydrate_assigned(self, row):
        return row.assigned

    def dehydrate_recommendations(self, row):
        return recommendations_text(row.recommendations)

    def dehydrate_selected(self, row):
        return _yes_no(row.selected)


# --- Results ---------------------------------------------------------------------------


def results_for_export(proposals):
    """Published results (``selectors.academy_results``), entry by entry, the selected first: one query."""
    return proposals.select_related("theme__entry", "academy", "lead", "synthesis_item").order_by(
        "theme__entry__order", "-is_selected", "academy__name", "title", "pk"
    )


class ResultsExportResource(_SelectionResource):
    """One row per proposal of a published call."""

    number = Field(column_name=_("N° candidature"))
    entry = Field(column_name=_("Discipline ou enseignement"))
    academy = Field(column_name=_("Académie"))
    title = Field(column_name=_("Candidature"))
    lead = Field(column_name=_("Porteur·se"))
    priority = Field(column_name=_("Priorité dans la synthèse"))
    result = Field(column_name=_("Résultat"))

    class Meta:
        model = Proposal
        fields = ("number", "entry", "academy", "title", "lead", "priority", "result")
        export_order = fields

    def dehydrate_number(self, proposal):
        return proposal.pk

    def dehydrate_entry(self, proposal):
        return proposal.theme.entry.name

    def dehydrate_academy(self, proposal):
        return proposal.academy.name

    def dehydrate_title(self, proposal):
        return proposal.title

    def dehydrate_lead(self, proposal):
        return proposal.lead.get_full_name() or proposal.lead.email

    def dehydrate_priority(self, proposal):
        item = getattr(proposal, "synthesis_item", None)
        return item.priority if item is not None else ""

    def dehydrate_result(self, proposal):
        return str(ProposalState(proposal.state).label)
