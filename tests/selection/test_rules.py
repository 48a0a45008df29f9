import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from selection import services
from selection.enums import Recommendation
from selection.models import Review, ReviewAssignment
from selection.selectors import academy_results, assigned_proposals, reviewers_for, visible_reviews, workload
from tests.selection.conftest import AFTER_DEADLINE, justify_other_entries, scores_of

EVERYONE = [
    "reviewer_national", "reviewer_lyon", "reviewer_maths", "reviewer_nsi", "pilot", "dan_grenoble", "dan_lyon", "dran_ara",
    "inspector_maths_grenoble", "inspector_maths_lyon", "inspector_nsi_grenoble", "teacher_grenoble", "stranger",
]
ACADEMY_FOLLOWERS = ["dan_grenoble", "dan_lyon", "dran_ara", "inspector_maths_grenoble", "inspector_maths_lyon", "inspector_nsi_grenoble"]


def allowed(request, perm, obj):
    return sorted(who for who in EVERYONE if request.getfixturevalue(who).has_perm(perm, obj))


def submit(proposal, reviewer, grid, *values, comment=""):
    return services.submit_review(proposal, acting_user=reviewer, scores=scores_of(grid, *values), recommendation=Recommendation.SELECT, comment=comment)


@pytest.fixture
def forced_conflict(sent_grenoble, reviewer_maths, grid):
    """An assignment made before the rule existed: reviewer_maths belongs to Grenoble."""
    return ReviewAssignment.objects.create(proposal=sent_grenoble, reviewer=reviewer_maths)


# --- Proposals under review --------------------------------------------------------------


def test_who_sees_and_reviews_a_proposal(request, assignment, peer_assignment, forced_conflict, sent_grenoble):
    assert allowed(request, "selection.view_proposal", sent_grenoble) == ["pilot", "reviewer_lyon", "reviewer_national"]
    assert allowed(request, "selection.review_proposal", sent_grenoble) == ["reviewer_lyon", "reviewer_national"]
    assert allowed(request, "selection.change_review", sent_grenoble) == ["reviewer_lyon", "reviewer_national"]
    # reviewer_maths is assigned but from Grenoble: they may only give it back.
    assert allowed(request, "selection.declare_conflict", sent_grenoble) == ["reviewer_lyon", "reviewer_maths", "reviewer_national"]
    assert allowed(request, "selection.manage", None) == ["pilot"]
    anonymous = AnonymousUser()
    for perm in ("view_proposal", "review_proposal", "change_review", "declare_conflict", "manage"):
        assert not anonymous.has_perm(f"selection.{perm}", sent_grenoble)


def test_a_declared_conflict_closes_the_proposal_to_the_reviewer(request, assignment, sent_grenoble, reviewer_national):
    services.declare_conflict(sent_grenoble, acting_user=reviewer_national, reason="Ancien collègue.")
    assert allowed(request, "selection.view_proposal", sent_grenoble) == ["pilot"]


def test_submitting_ends_the_changes_not_the_reading(request, assignment, peer_assignment, sent_grenoble, reviewer_national, grid):
    submit(sent_grenoble, reviewer_national, grid, *[3] * 6)
    assert allowed(request, "selection.review_proposal", sent_grenoble) == ["reviewer_lyon", "reviewer_national"]
    assert allowed(request, "selection.change_review", sent_grenoble) == ["reviewer_lyon"]
    assert allowed(request, "selection.declare_conflict", sent_grenoble) == ["reviewer_lyon"]


# --- Reviews --------------------------------------------------------------------------------


def test_reviews_are_seen_by_their_peers_only_after_submitting_their_own(
    request, assignment, peer_assignment, forced_conflict, sent_grenoble, reviewer_national, reviewer_lyon, grid,
):
    national = services.save_review(sent_grenoble, acting_user=reviewer_national, scores=scores_of(grid, 3))
    assert allowed(request, "selection.view_review", national) == ["pilot", "reviewer_national"]
    submit(sent_grenoble, reviewer_national, grid, *[3] * 6)
    national.refresh_from_db()
    # The Lyon reviewer has not submitted: they do not see it yet.
    assert allowed(request, "selection.view_review", national) == ["pilot", "reviewer_national"]
    lyon = services.save_review(sent_grenoble, acting_user=reviewer_lyon, scores=scores_of(grid, 2))
    # A draft stays private, even to a peer who submitted.
    assert allowed(request, "selection.view_review", lyon) == ["pilot", "reviewer_lyon"]
    submit(sent_grenoble, reviewer_lyon, grid, *[2] * 6)
    lyon.refresh_from_db()
    assert allowed(request, "selection.view_review", national) == ["pilot", "reviewer_lyon", "reviewer_national"]
    assert allowed(request, "selection.view_review", lyon) == ["pilot", "reviewer_lyon", "reviewer_national"]
    assert not AnonymousUser().has_perm("selection.view_review", national)


def test_visible_reviews_follow_the_same_rule(assignment, peer_assignment, sent_grenoble, reviewer_national, reviewer_lyon, pilot, dan_grenoble, grid):
    submit(sent_grenoble, reviewer_national, grid, *[3] * 6)
    services.save_review(sent_grenoble, acting_user=reviewer_lyon, scores=scores_of(grid, 2))

    def authors(user):
        return [review.assignment.reviewer for review in visible_reviews(user, sent_grenoble)]

    assert authors(pilot) == [reviewer_national, reviewer_lyon]  # submitted first, drafts after
    assert authors(reviewer_lyon) == [reviewer_lyon]
    assert authors(reviewer_national) == [reviewer_national]  # the peer's draft stays private
    assert authors(dan_grenoble) == [] and authors(AnonymousUser()) == []
    submit(sent_grenoble, reviewer_lyon, grid, *[2] * 6)
    assert sorted(r.pk for r in visible_reviews(reviewer_lyon, sent_grenoble)) == sorted(Review.objects.values_list("pk", flat=True))


def test_visible_reviews_take_a_bounded_number_of_queries(assignment, sent_grenoble, reviewer_national, grid, django_assert_max_num_queries):
    submit(sent_grenoble, reviewer_national, grid, *[3] * 6)
    with django_assert_max_num_queries(8):
        reviews = list(visible_reviews(reviewer_national, sent_grenoble))
        assert [score.criterion.label for score in reviews[0].scores.all()][0] == "Adéquation à la thématique"


# --- Results ---------------------------------------------------------------------------------


@pytest.fixture
def published(sent_grenoble, sent_lyon, call, pilot):
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    return services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)


def test_academies_see_the_results_only_once_published(request, sent_grenoble, sent_lyon, call, pilot):
    assert allowed(request, "selection.view_results", call) == ["pilot"]
    assert list(academy_results(request.getfixturevalue("dan_grenoble"), call)) == []
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    assert allowed(request, "selection.view_results", call) == sorted([*ACADEMY_FOLLOWERS, "pilot"])
    assert not AnonymousUser().has_perm("selection.view_results", call)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("pilot", [("Différencier avec MathALÉA", True), ("Plans de travail au collège", False)]),
        ("dan_grenoble", [("Différencier avec MathALÉA", True)]),
        ("dan_lyon", [("Plans de travail au collège", False)]),
        ("dran_ara", [("Différencier avec MathALÉA", True), ("Plans de travail au collège", False)]),
        ("inspector_maths_grenoble", [("Différencier avec MathALÉA", True)]),
        ("inspector_maths_lyon", [("Plans de travail au collège", False)]),
        ("inspector_nsi_grenoble", []),
        ("teacher_grenoble", []),
        ("reviewer_national", []),
        ("stranger", []),
    ],
)
def test_each_academy_sees_its_results(request, published, call, who, expected):
    assert [(p.title, p.is_selected) for p in academy_results(request.getfixturevalue(who), call)] == expected


def test_anonymous_sees_no_results(published, call):
    assert list(academy_results(AnonymousUser(), call)) == []


# --- The reviewer's list and the pilot's workload ------------------------------------------


def test_a_reviewer_lists_their_assigned_proposals_with_progress(
    sent_grenoble, sent_lyon, maths_entry, forced_conflict, reviewer_national, reviewer_maths, pilot, grid,
):
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    ReviewAssignment.objects.filter(proposal=sent_lyon, reviewer=reviewer_national).update(due_on=datetime.date(2026, 5, 1))
    submit(sent_grenoble, reviewer_national, grid, *[3] * 6)
    rows = [(p.title, p.review_state, p.due_on) for p in assigned_proposals(reviewer_national)]
    assert rows == [
        ("Différencier avec MathALÉA", "submitted", datetime.date(2026, 5, 25)),
        ("Plans de travail au collège", "", datetime.date(2026, 5, 1)),
    ]
    assert assigned_proposals(reviewer_national, call=grid.call).count() == 2
    # The forced Grenoble assignment of a Grenoble reviewer is not listed.
    assert list(assigned_proposals(reviewer_maths)) == []
    assert list(assigned_proposals(pilot)) == [] and list(assigned_proposals(AnonymousUser())) == []


def test_reviewers_for_an_entry(reviewer_national, reviewer_lyon, reviewer_maths, reviewer_nsi, maths_entry, nsi_entry):
    assert set(reviewers_for(maths_entry)) == {reviewer_national, reviewer_lyon, reviewer_maths}
    assert list(reviewers_for(nsi_entry)) == [reviewer_nsi]


def test_the_workload_of_each_reviewer(
    sent_grenoble, sent_lyon, maths_entry, call, grid, pilot, reviewer_national, reviewer_lyon, reviewer_maths, reviewer_nsi,
):
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)  # Grenoble, Lyon
    services.assign_entry(maths_entry, reviewer_lyon, acting_user=pilot)  # Grenoble
    services.assign_reviewer(sent_lyon, reviewer_maths, acting_user=pilot, due_on=datetime.date(2026, 6, 12))
    submit(sent_grenoble, reviewer_national, grid, *[3] * 6)
    services.save_review(sent_grenoble, acting_user=reviewer_lyon, scores=scores_of(grid, 2))
    loads = {load.reviewer: load for load in workload(call, today=datetime.date(2026, 6, 1))}
    summary = {reviewer: (load.assigned, load.submitted, load.drafts, load.overdue, load.pending) for reviewer, load in loads.items()}
    assert summary == {
        reviewer_national: (2, 1, 0, 1, 1),  # Lyon past the grid's 25 May
        reviewer_lyon: (1, 0, 1, 1, 1),
        reviewer_maths: (1, 0, 0, 0, 1),  # its own date, 12 June
        reviewer_nsi: (0, 0, 0, 0, 0),
    }
    assert [d.code for d in loads[reviewer_nsi].disciplines] == ["nsi"]
    before = {load.reviewer: load.overdue for load in workload(call, today=datetime.date(2026, 5, 25))}
    assert set(before.values()) == {0}  # the due date itself is not late


def test_the_workload_takes_a_bounded_number_of_queries(sent_grenoble, sent_lyon, maths_entry, call, grid, pilot, reviewer_national, reviewer_lyon,
                                                        django_assert_max_num_queries):
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    services.assign_entry(maths_entry, reviewer_lyon, acting_user=pilot)
    with django_assert_max_num_queries(5):
        loads = workload(call)
        assert sum(load.assigned for load in loads) == 3
