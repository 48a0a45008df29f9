"""The ranking (*classement*) of the proposals of an entry.

The arithmetic, exact (fractions), rounded only for display:

- a review's score is the weighted mean of its criteria, each value first
  brought to 0..1 on its criterion's scale, then expressed out of 20:
  ``20 × Σ weight × (value − min) / (max − min) / Σ weight``; with the default
  grid (0 to 4 on every criterion) a review scoring 3 everywhere gets 15/20;
- a proposal's score is the plain mean of its submitted reviews' scores
  (drafts do not count; a proposal without a submitted review has no score);
- its spread is the range of those scores (highest − lowest, out of 20), shown
  from two reviews on: an 8-point spread says the reviewers disagree.

Queries: four, whatever the number of proposals, entries or reviews.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count

from candidatures.enums import ProposalState
from candidatures.models import Proposal

from .enums import ReviewState
from .models import Review, ReviewAssignment, Score

OUT_OF = 20
CENT = Decimal("0.01")


def review_score(marks) -> Fraction | None:
    """Score out of 20 of one review from its marks, each (weight, value,
    scale_min, scale_max); None without marks."""
    marks = list(marks)
    total_weight = sum(weight for weight, _value, _low, _high in marks)
    if not total_weight:
        return None
    weighted = sum(Fraction(weight) * Fraction(value - low, high - low) for weight, value, low, high in marks)
    return OUT_OF * weighted / total_weight


def mean(scores) -> Fraction | None:
    scores = [score for score in scores if score is not None]
    return sum(scores, Fraction(0)) / len(scores) if scores else None


def spread(scores) -> Fraction | None:
    """Highest minus lowest score; None under two reviews (no disagreement to show)."""
    scores = [score for score in scores if score is not None]
    return max(scores) - min(scores) if len(scores) >= 2 else None


def rounded(value: Fraction | None) -> Decimal | None:
    """Two decimals, half up (14.125 → 14.13), for display and sorting."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class RankedProposal:
    """One line of an entry's ranking."""

    proposal: Proposal
    score: Decimal | None = None  # mean of the submitted reviews, out of 20
    spread: Decimal | None = None  # highest − lowest review score, out of 20
    review_scores: tuple = ()  # each submitted review's score, out of 20, best first
    reviews: int = 0  # submitted reviews
    assigned: int = 0  # reviewers assigned (submitted or not)
    priority: int | None = None  # the academy's priority in its synthesis
    selected: bool = False
    recommendations: Counter = field(default_factory=Counter)  # recommendation value → submitted reviews
    rank: int | None = None  # by score, 1 = best; equal scores share a rank

    @property
    def missing_reviews(self) -> int:
        return self.assigned - self.reviews


def _none_last(value, *, descending=False):
    if value is None:
        return (1, 0)
    return (0, -value if descending else value)


SORT_KEYS = {
    # best score first, then the academy's priority, then the title
    "score": lambda row: (_none_last(row.score, descending=True), _none_last(row.priority), str(row.proposal.title)),
    # the largest disagreement first
    "spread": lambda row: (_none_last(row.spread, descending=True), _none_last(row.score, descending=True), str(row.proposal.title)),
    # the academy's priority 1 first, then the best score
    "priority": lambda row: (_none_last(row.priority), _none_last(row.score, descending=True), str(row.proposal.title)),
    # the fewest submitted reviews first: where reviews are missing
    "reviews": lambda row: (row.reviews, -row.assigned, str(row.proposal.title)),
    "academy": lambda row: (row.proposal.academy.name, _none_last(row.priority), str(row.proposal.title)),
    "title": lambda row: (str(row.proposal.title).casefold(), row.proposal.pk),
    # the selected first, in score order
    "selected": lambda row: (not row.selected, _none_last(row.score, descending=True), str(row.proposal.title)),
}


def sort_ranking(rows, key="score") -> list[RankedProposal]:
    """Sort by one of ``SORT_KEYS``; a leading « - » reverses it. Unknown keys sort by score."""
    reverse = key.startswith("-")
    return sorted(rows, key=SORT_KEYS.get(key.lstrip("-"), SORT_KEYS["score"]), reverse=reverse)


def _rank(proposals) -> list[RankedProposal]:
    proposals = list(proposals)
    ids = [proposal.pk for proposal in proposals]
    assigned = dict(
        ReviewAssignment.objects.filter(proposal_id__in=ids).values("proposal_id").annotate(n=Count("id")).values_list("proposal_id", "n")
    )
    marks = defaultdict(list)  # (proposal id, review id) → marks
    for proposal_id, review_id, weight, value, low, high in Score.objects.filter(
        review__state=ReviewState.SUBMITTED, review__assignment__proposal_id__in=ids
    ).values_list("review__assignment__proposal_id", "review_id", "criterion__weight", "value", "criterion__scale_min", "criterion__scale_max"):
        marks[(proposal_id, review_id)].append((weight, value, low, high))
    recommendations = defaultdict(Counter)
    for proposal_id, recommendation in Review.objects.filter(state=ReviewState.SUBMITTED, assignment__proposal_id__in=ids).values_list(
        "assignment__proposal_id", "recommendation"
    ):
        recommendations[proposal_id][recommendation] += 1

    scores = defaultdict(list)
    for (proposal_id, _review_id), review_marks in marks.items():
        scores[proposal_id].append(review_score(review_marks))
    rows = []
    for proposal in proposals:
        exact = [score for score in scores[proposal.pk] if score is not None]
        synthesis_item = getattr(proposal, "synthesis_item", None)
        rows.append(
            RankedProposal(
                proposal=proposal,
                score=rounded(mean(exact)),
                spread=rounded(spread(exact)),
                review_scores=tuple(rounded(score) for score in sorted(exact, reverse=True)),
                reviews=sum(recommendations[proposal.pk].values()),
                assigned=assigned.get(proposal.pk, 0),
                priority=synthesis_item.priority if synthesis_item else None,
                selected=getattr(proposal, "selection", None) is not None or proposal.state == ProposalState.SELECTED,
                recommendations=recommendations[proposal.pk],
            )
        )
    return rows


def _number(rows):
    """Rank the rows of one entry by score (equal scores share a rank; no score, no rank)."""
    by_score = sorted((row for row in rows if row.score is not None), key=lambda row: row.score, reverse=True)
    previous, rank = None, 0
    for position, row in enumerate(by_score, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    return rows


def _ranked_proposals():
    """The proposals the DNE received (under review, then selected or not)."""
    return Proposal.objects.filter(state__in=ProposalState.with_dne).select_related(
        "academy", "theme__entry", "synthesis_item", "selection", "lead"
    )


def rank_entry(entry, *, sort="score") -> list[RankedProposal]:
    """The ranking of one entry's proposals."""
    return sort_ranking(_number(_rank(_ranked_proposals().filter(theme__entry=entry))), sort)


def rank_call(call, *, sort="score") -> dict:
    """Every entry's ranking, as {entry id: rows} (entries without proposals absent)."""
    by_entry = defaultdict(list)
    for row in _rank(_ranked_proposals().filter(theme__entry__call=call)):
        by_entry[row.proposal.theme.entry_id].append(row)
    return {entry_id: sort_ranking(_number(rows), sort) for entry_id, rows in by_entry.items()}
