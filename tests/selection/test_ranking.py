from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest

from selection import services
from selection.enums import Recommendation
from selection.ranking import mean, rank_call, rank_entry, review_score, rounded, spread
from tests.selection.conftest import make_sent, scores_of
from traam.models import Academy

# --- The arithmetic ------------------------------------------------------------------------


def test_a_review_scores_out_of_20_with_weights():
    # The default grid: weights 2, 2, 1, 1, 1, 1 on 0..4; 3 everywhere is 15/20.
    assert review_score([(2, 3, 0, 4), (2, 3, 0, 4), (1, 3, 0, 4), (1, 3, 0, 4), (1, 3, 0, 4), (1, 3, 0, 4)]) == 15
    # 4 and 4 on the double criteria, 0 elsewhere: 16 of 32 weighted points.
    assert review_score([(2, 4, 0, 4), (2, 4, 0, 4), (1, 0, 0, 4), (1, 0, 0, 4), (1, 0, 0, 4), (1, 0, 0, 4)]) == 10
    # Weights matter: the same marks weighted the other way round.
    assert review_score([(1, 4, 0, 4), (3, 0, 0, 4)]) == 5
    assert review_score([(3, 4, 0, 4), (1, 0, 0, 4)]) == 15


def test_each_value_is_normalised_to_its_criterions_scale():
    assert review_score([(1, 3, 1, 5)]) == 10  # the middle of 1..5
    assert review_score([(1, 1, 1, 5)]) == 0
    # 4/4 counted twice, the minimum of 1..5 once: 20 × 2/3.
    assert review_score([(2, 4, 0, 4), (1, 1, 1, 5)]) == Fraction(40, 3)
    assert review_score([]) is None


def test_mean_and_spread_of_reviews():
    scores = [Fraction(15), Fraction(40, 3)]
    assert mean(scores) == Fraction(85, 6)
    assert (rounded(mean(scores)), rounded(spread(scores))) == (Decimal("14.17"), Decimal("1.67"))
    assert spread([Fraction(15)]) is None  # one review: no disagreement to show
    assert mean([]) is None and spread([]) is None
    assert mean([None, Fraction(12)]) == 12


def test_rounding_is_half_up_to_two_decimals():
    assert rounded(Fraction(14125, 1000)) == Decimal("14.13")
    assert rounded(Fraction(43, 3)) == Decimal("14.33")
    assert rounded(None) is None


# --- The ranking of an entry ---------------------------------------------------------------


@pytest.fixture
def reviewed(sent_grenoble, sent_lyon, maths_theme, maths_entry, grid, pilot, reviewer_national, reviewer_lyon, reviewer_maths):
    """Grenoble: two submitted reviews that disagree. Lyon: one submitted, one
    draft. Paris: assigned, not reviewed (and no synthesis priority)."""
    paris = make_sent(maths_theme, Academy.objects.get(code="paris"), "Projet parisien")
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    services.assign_entry(maths_entry, reviewer_lyon, acting_user=pilot)  # Grenoble and Paris, not Lyon
    services.assign_entry(maths_entry, reviewer_maths, acting_user=pilot)  # Lyon and Paris, not Grenoble
    services.submit_review(sent_grenoble, acting_user=reviewer_national, scores=scores_of(grid, 4, 4, 3, 3, 4, 3), recommendation=Recommendation.PRIORITY)
    services.submit_review(
        sent_grenoble, acting_user=reviewer_lyon, scores=scores_of(grid, 2, 2, 2, 2, 3, 2), recommendation=Recommendation.RESERVED, comment="Flou.",
    )
    services.submit_review(sent_lyon, acting_user=reviewer_national, scores=scores_of(grid, 3, 3, 3, 3, 3, 3), recommendation=Recommendation.SELECT)
    services.save_review(sent_lyon, acting_user=reviewer_maths, scores=scores_of(grid, 0, 0, 0, 0, 0, 0))  # a draft does not count
    services.select(sent_lyon, acting_user=pilot)
    return {"grenoble": sent_grenoble, "lyon": sent_lyon, "paris": paris}


def line(row):
    return (
        row.proposal.title, row.rank, str(row.score) if row.score is not None else None, row.review_scores and tuple(map(str, row.review_scores)),
        str(row.spread) if row.spread is not None else None, row.reviews, row.assigned, row.priority, row.selected,
    )


def test_the_ranking_of_an_entry(reviewed, maths_entry):
    rows = rank_entry(maths_entry)
    assert [line(row) for row in rows] == [
        # 3 everywhere = 15/20, one review: no spread.
        ("Plans de travail au collège", 1, "15.00", ("15.00",), None, 1, 2, 1, True),
        # 29 and 17 weighted points of 32: 18.125 and 10.625, mean 14.375, spread 7.5.
        ("Différencier avec MathALÉA", 2, "14.38", ("18.13", "10.63"), "7.50", 2, 2, 1, False),
        ("Projet parisien", None, None, (), None, 0, 3, None, False),
    ]
    assert rows[1].recommendations == Counter({"priority": 1, "reserved": 1})
    assert (rows[0].missing_reviews, rows[2].missing_reviews) == (1, 3)


@pytest.mark.parametrize(
    "key, expected",
    [
        ("score", ["Plans de travail au collège", "Différencier avec MathALÉA", "Projet parisien"]),
        ("-score", ["Projet parisien", "Différencier avec MathALÉA", "Plans de travail au collège"]),
        ("spread", ["Différencier avec MathALÉA", "Plans de travail au collège", "Projet parisien"]),
        ("priority", ["Plans de travail au collège", "Différencier avec MathALÉA", "Projet parisien"]),
        ("reviews", ["Projet parisien", "Plans de travail au collège", "Différencier avec MathALÉA"]),
        ("academy", ["Différencier avec MathALÉA", "Plans de travail au collège", "Projet parisien"]),
        ("title", ["Différencier avec MathALÉA", "Plans de travail au collège", "Projet parisien"]),
        ("selected", ["Plans de travail au collège", "Différencier avec MathALÉA", "Projet parisien"]),
        ("nonsense", ["Plans de travail au collège", "Différencier avec MathALÉA", "Projet parisien"]),
    ],
)
def test_the_ranking_sorts(reviewed, maths_entry, key, expected):
    assert [row.proposal.title for row in rank_entry(maths_entry, sort=key)] == expected


def test_equal_scores_share_a_rank(maths_theme, maths_entry, grid, pilot, reviewer_national):
    for title, code, value in (("A", "nantes", 3), ("B", "lille", 4), ("C", "rennes", 3)):
        proposal = make_sent(maths_theme, Academy.objects.get(code=code), title)
        services.assign_reviewer(proposal, reviewer_national, acting_user=pilot)
        services.submit_review(proposal, acting_user=reviewer_national, scores=scores_of(grid, *[value] * 6), recommendation="select")
    assert [(row.proposal.title, row.rank, str(row.score)) for row in rank_entry(maths_entry)] == [
        ("B", 1, "20.00"), ("A", 2, "15.00"), ("C", 2, "15.00"),
    ]


def test_the_ranking_takes_a_bounded_number_of_queries(reviewed, maths_entry, maths_theme, pilot, reviewer_national, grid, django_assert_num_queries):
    with django_assert_num_queries(4):
        rank_entry(maths_entry)
    for number, code in enumerate(["nantes", "lille", "rennes", "nice", "amiens"]):
        extra = make_sent(maths_theme, Academy.objects.get(code=code), f"Projet {number}")
        services.assign_reviewer(extra, reviewer_national, acting_user=pilot)
        services.submit_review(extra, acting_user=reviewer_national, scores=scores_of(grid, *[number % 5] * 6), recommendation="select")
    with django_assert_num_queries(4):
        rows = rank_entry(maths_entry)
    assert len(rows) == 8


def test_the_ranking_of_a_call_groups_and_ranks_each_entry(reviewed, call, maths_entry, nsi_theme, grid, pilot, reviewer_nsi,
                                                            django_assert_num_queries):
    cyber = make_sent(nsi_theme, Academy.objects.get(code="lille"), "Cyber-enquête")
    services.assign_reviewer(cyber, reviewer_nsi, acting_user=pilot)
    services.submit_review(cyber, acting_user=reviewer_nsi, scores=scores_of(grid, *[1] * 6), recommendation="reject", comment="Trop tôt.")
    with django_assert_num_queries(4):
        by_entry = rank_call(call)
    assert {entry_id: [(row.proposal.title, row.rank) for row in rows] for entry_id, rows in by_entry.items()} == {
        maths_entry.pk: [("Plans de travail au collège", 1), ("Différencier avec MathALÉA", 2), ("Projet parisien", None)],
        nsi_theme.entry_id: [("Cyber-enquête", 1)],
    }


def test_the_ranking_stays_after_publication(reviewed, call, maths_entry, pilot):
    from tests.selection.conftest import AFTER_DEADLINE, justify_other_entries

    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    assert [(row.proposal.title, row.selected) for row in rank_entry(maths_entry)] == [
        ("Plans de travail au collège", True), ("Différencier avec MathALÉA", False), ("Projet parisien", False),
    ]
