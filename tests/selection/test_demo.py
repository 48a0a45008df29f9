"""The selection's demo data, on whatever proposals the Proposals demo sent.

The first test seeds twice from an empty database; the others share one seed
for the module, inside a transaction rolled back at the end."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from selection.enums import ReviewState
from selection.models import ConflictDeclaration, Criterion, EmptySeatReason, Publication, Review, ReviewAssignment, Score, Selection
from selection.ranking import rank_entry
from traam import scopes
from traam.audit import history
from traam.demo import DEMO_CALL_YEAR
from traam.models import AuditEntry, Entry, OutgoingEmail, RoleAssignment, User


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def snapshot():
    return {
        "states": Counter((p.theme.entry.call.year, p.theme.entry.code, p.state) for p in Proposal.objects.select_related("theme__entry__call")),
        "counts": [model.objects.count() for model in (
            User, RoleAssignment, Criterion, ReviewAssignment, ConflictDeclaration, Review, Score, Selection, EmptySeatReason, Publication,
            AuditEntry, OutgoingEmail,
        )],
    }


def test_seed_demo_twice_changes_nothing(db):
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def test_the_2026_2027_selection_is_published(seeded, db):
    publication = Publication.objects.get(call__year="2026-2027")
    assert (publication.published_by.email, publication.published_at.date().isoformat()) == ("pilote@demo.traam.example", "2026-06-15")
    received = Proposal.objects.filter(theme__entry__call__year="2026-2027", state__in=ProposalState.with_dne)
    assert received.count() >= 10
    assert not received.filter(state=ProposalState.SENT).exists()  # each one selected or not
    assert (publication.selected_count, publication.not_selected_count) == (
        received.filter(state=ProposalState.SELECTED).count(), received.filter(state=ProposalState.NOT_SELECTED).count(),
    )
    for entry in Entry.objects.filter(call__year="2026-2027"):
        ranking = rank_entry(entry)
        selected = [row for row in ranking if row.selected]
        # The best ranked, up to the seats, none under 10/20; every entry not full explains why.
        assert selected == ranking[: len(selected)] and len(selected) <= entry.seats, entry.code
        assert all(row.score >= 10 for row in selected), entry.code
        assert len(selected) == entry.seats or EmptySeatReason.objects.filter(entry=entry).exists(), entry.code
        assert all(row.reviews == row.assigned >= 1 for row in ranking), entry.code
    maths = rank_entry(Entry.objects.get(call__year="2026-2027", code="mathematiques"))
    assert len(maths) > 5 and sum(row.selected for row in maths) == 5
    # The demo teacher's first priority is selected: the later stages build on it.
    demo_first = Proposal.objects.get(
        theme__entry__call__year="2026-2027", lead__email="enseignant.grenoble@demo.traam.example", synthesis_item__priority=1,
    )
    assert demo_first.state == ProposalState.SELECTED
    # Its history carries the 2026 dates.
    assert history(demo_first).first().created_at.date().isoformat() == "2026-06-15"


def test_no_reviewer_scores_a_proposal_from_their_academy(seeded, db):
    assignments = ReviewAssignment.objects.select_related("proposal", "reviewer")
    assert assignments.count() > 20
    for assignment in assignments:
        assert assignment.proposal.academy_id not in scopes.home_academy_ids(assignment.reviewer)
    # A reviewer who belongs to an academy that sent mathematics is assigned the others.
    lille_reviewer = User.objects.get(email="didier.roche@ac-lille.example")
    academies = set(ReviewAssignment.objects.filter(reviewer=lille_reviewer).values_list("proposal__academy__code", flat=True))
    assert academies and "lille" not in academies


def test_the_open_demo_call_has_reviews_in_progress(seeded, db):
    in_open_call = {"assignment__proposal__theme__entry__call__year": DEMO_CALL_YEAR}
    assert Review.objects.filter(state=ReviewState.SUBMITTED, **in_open_call).count() == 1
    assert Review.objects.filter(state=ReviewState.DRAFT, **in_open_call).count() == 2
    not_started = ReviewAssignment.objects.filter(proposal__theme__entry__call__year=DEMO_CALL_YEAR, review__isnull=True)
    assert [(a.reviewer.email, a.proposal.theme.entry.code) for a in not_started] == [("expert.tn3@demo.traam.example", "nsi")]
    conflict = ConflictDeclaration.objects.get(proposal__theme__entry__call__year=DEMO_CALL_YEAR)
    assert conflict.reviewer.email == "expert.tn3@demo.traam.example"
    assert not Selection.objects.filter(entry__call__year=DEMO_CALL_YEAR).exists()
    assert not Publication.objects.filter(call__year=DEMO_CALL_YEAR).exists()
    # Grenoble and Lyon keep their syntheses to send live.
    assert not Proposal.objects.filter(
        theme__entry__call__year=DEMO_CALL_YEAR, academy__code__in=["grenoble", "lyon"], state=ProposalState.SENT,
    ).exists()
