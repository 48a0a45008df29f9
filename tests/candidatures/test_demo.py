"""The demo proposals (``candidatures/demo.py``): the 2026-2027 national picture
the selection starts from, and the open demo call where every academic step can
be tried live. Seeded once for the module (the reference data and the demo
accounts, then this app's part, as ``seed_demo`` does) inside a transaction
rolled back at the end; each test runs in its own savepoint."""

import datetime
from collections import Counter

import pytest
from django.db import transaction

from candidatures import demo, services
from candidatures.enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from candidatures.models import AcademicSynthesis, Proposal, SynthesisItem, TeamMember
from traam.demo import DEMO_CALL_YEAR, demo_call_dates, seed_demo
from traam.enums import Role
from traam.models import PARIS, AuditEntry, OutgoingEmail, RoleAssignment, User

PAST = "2026-2027"
WINDOW_OPENS = datetime.datetime(2026, 1, 12, tzinfo=PARIS)
DEADLINE = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=PARIS)


def run_seed():
    users = seed_demo()
    demo.seed({user.email: user for user in users.values()})
    return users


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_seed()
        transaction.set_rollback(True)


@pytest.fixture
def users(seeded, db):
    return {user.email: user for user in seeded.values()}


def proposals(year):
    return Proposal.objects.filter(theme__entry__call__year=year).select_related("theme__entry", "academy")


def sent_in_past_call():
    return [p for p in proposals(PAST) if p.state == ProposalState.SENT]


def test_past_call_sends_enough_proposals_per_entry_for_the_national_selection(users):
    sent = sent_in_past_call()
    per_entry = Counter(p.theme.entry.code for p in sent)
    academies = {code: {p.academy.code for p in sent if p.theme.entry.code == code} for code in per_entry}
    assert per_entry == {"mathematiques": 9, "nsi": 6, "histoire-geographie": 4, "lettres": 3, "svt-annee-1": 2}
    assert len(academies["mathematiques"]) == 8  # the contract asks for 8 from at least 6
    assert len(academies["nsi"]) == 6
    assert {p.theme.order for p in sent if p.theme.entry.code == "nsi"} == {1, 2}
    assert Counter(p.theme.order for p in sent if p.theme.entry.code == "nsi") == {1: 3, 2: 3}


def test_past_call_has_proposals_at_every_academic_end_state(users):
    states = Counter((p.theme.entry.code, p.state) for p in proposals(PAST))
    assert states == {
        ("mathematiques", "sent"): 9,
        ("mathematiques", "not_retained"): 2,
        ("mathematiques", "withdrawn"): 1,
        ("mathematiques", "draft"): 1,
        ("nsi", "sent"): 6,
        ("nsi", "not_retained"): 1,
        ("nsi", "withdrawn"): 1,
        ("histoire-geographie", "sent"): 4,
        ("histoire-geographie", "not_retained"): 1,
        ("lettres", "sent"): 3,
        ("lettres", "not_retained"): 1,
        ("lettres", "withdrawn"): 1,
        ("svt-annee-1", "sent"): 2,
        ("svt-annee-1", "withdrawn"): 1,
    }
    maths = proposals(PAST).filter(theme__entry__code="mathematiques", academy__code__in=["grenoble", "lyon"])
    assert Counter((p.academy.code, p.state) for p in maths) == {
        ("grenoble", "sent"): 2, ("grenoble", "withdrawn"): 1, ("lyon", "sent"): 1, ("lyon", "not_retained"): 1,
    }


def test_every_sent_proposal_is_in_the_sent_synthesis_of_its_academy(users):
    for proposal in sent_in_past_call():
        synthesis = SynthesisItem.objects.select_related("synthesis__call", "synthesis__sent_by").get(proposal=proposal).synthesis
        assert (synthesis.academy_id, synthesis.call.year) == (proposal.academy_id, PAST)
        assert datetime.datetime(2026, 3, 20, tzinfo=PARIS) <= synthesis.sent_at <= DEADLINE
        assert RoleAssignment.objects.filter(user=synthesis.sent_by, role=Role.DAN, academy=proposal.academy).exists()
    syntheses = AcademicSynthesis.objects.filter(call__year=PAST)
    assert syntheses.count() == 14
    for synthesis in syntheses:
        items = list(synthesis.items.select_related("proposal"))
        assert [item.priority for item in items] == list(range(1, len(items) + 1))
        assert {item.proposal.state for item in items} == {ProposalState.SENT}
        assert synthesis.cover_note and synthesis.sent_at
    assert SynthesisItem.objects.filter(synthesis__call__year=PAST).exclude(comment="").count() >= 10


def test_grenoble_keeps_its_synthesis_extended_and_lyon_sends_its_own(users):
    grenoble = AcademicSynthesis.objects.get(call__year=PAST, academy__code="grenoble")
    assert grenoble.sent_at == datetime.datetime(2026, 3, 27, 16, 30, tzinfo=PARIS)
    assert grenoble.sent_by.email == "dan.grenoble@demo.traam.example"
    items = [
        (item.priority, item.proposal.title, item.proposal.theme.entry.code, item.comment)
        for item in grenoble.items.select_related("proposal__theme__entry")
    ]
    assert items[:2] == [
        (1, "Parcours différenciés en calcul mental avec MathALÉA", "mathematiques", "Projet prioritaire de l'académie."),
        (2, "Des exerciseurs Éléa pour la remédiation en seconde", "mathematiques", ""),
    ]
    assert [(priority, entry) for priority, _title, entry, _comment in items[2:]] == [(3, "nsi")]
    assert all(item.proposal.lead.email == "enseignant.grenoble@demo.traam.example" for item in grenoble.items.all()[:2])

    lyon = AcademicSynthesis.objects.get(call__year=PAST, academy__code="lyon")
    assert lyon.sent_by.email == "dan.lyon@demo.traam.example"
    assert [item.proposal.theme.entry.code for item in lyon.items.select_related("proposal__theme__entry")] == ["nsi", "mathematiques", "lettres"]


def test_every_submitted_proposal_has_a_complete_team_with_schools_of_its_academy(users):
    submitted = Proposal.objects.filter(submitted_at__isnull=False).select_related("theme__entry", "academy")
    assert submitted.count() == 39
    for proposal in submitted:
        assert services.missing_for_submission(proposal) == [], proposal.title
        roles = Counter(member.role for member in proposal.team.all())
        assert roles == {TeamRole.TEACHER: 2, TeamRole.REFERENT: 1, TeamRole.CARDIE: 1, TeamRole.INSPECTOR: 1}
        departments = demo.ACADEMIES[proposal.academy.code].departments
        assert all(member.uai[:3] in departments for member in proposal.team.all()), proposal.title


def test_content_is_distinct_and_varied(users):
    for year in (PAST, DEMO_CALL_YEAR):
        titles = [(p.academy.code, p.title) for p in proposals(year)]
        assert len(titles) == len(set(titles))
    sent = sent_in_past_call()
    assert len({p.title for p in sent}) == len(sent)
    assert {p.ai_usage for p in sent} == {AIUsage.NONE, AIUsage.TEACHER_PRACTICE, AIUsage.STUDENT_LEARNING}
    for proposal in sent:
        if proposal.ai_usage != AIUsage.NONE:
            assert proposal.ai_tools and proposal.ai_precautions
        assert proposal.opinion and proposal.opinion_by_id and proposal.class_levels.exists() and proposal.crcn_competences.exists()
    assert {code for p in sent for code in p.commons.values_list("code", flat=True)} == {"elea", "mathalea", "capytale", "vittascience", "magistere"}
    opinions = Counter(p.opinion for p in proposals(PAST) if p.opinion)
    assert set(opinions) == {AcademicOpinion.FAVOURABLE, AcademicOpinion.RESERVED, AcademicOpinion.UNFAVOURABLE}
    assert all(p.opinion_comment for p in proposals(PAST) if p.opinion)


def test_people_of_other_academies_are_background_accounts_in_their_role(users):
    background = User.objects.exclude(email__endswith="@demo.traam.example")
    assert background.count() > 50
    for user in background:
        assert not user.has_usable_password(), user.email
        assert all(user.email.endswith(f"@ac-{a.academy.code}.example") for a in user.role_assignments.select_related("academy"))
    for proposal in proposals(PAST).filter(submitted_at__isnull=False):
        assert RoleAssignment.objects.filter(user=proposal.lead, role=Role.TEACHER, academy=proposal.academy).exists()
        inspector = proposal.team.get(role=TeamRole.INSPECTOR)
        assert RoleAssignment.objects.filter(
            user=inspector.user, role=Role.INSPECTOR, academy=proposal.academy, disciplines=proposal.theme.entry.discipline,
        ).exists(), proposal.title
        cardie = proposal.team.get(role=TeamRole.CARDIE)
        assert RoleAssignment.objects.filter(user=cardie.user, role=Role.CARDIE, academy=proposal.academy).exists()
        if proposal.opinion:
            assert proposal.opinion_by_id == inspector.user_id


def test_past_call_history_is_dated_inside_its_calendar(users):
    for proposal in proposals(PAST):
        assert WINDOW_OPENS <= proposal.created_at <= DEADLINE
        history = AuditEntry.objects.filter(content_type__model="proposal", object_id=str(proposal.pk))
        assert history.exists()
        assert all(WINDOW_OPENS <= entry.created_at <= DEADLINE for entry in history), proposal.title
        if proposal.submitted_at:
            assert proposal.created_at < proposal.submitted_at
        if proposal.decided_at:
            assert proposal.submitted_at < proposal.opinion_at < proposal.decided_at
        if proposal.state == ProposalState.SENT:
            assert proposal.decided_at < proposal.synthesis_item.synthesis.sent_at


def test_open_call_has_every_academic_state_and_no_grenoble_or_lyon_synthesis(users):
    states = Counter((p.academy.code, p.theme.entry.code, p.state) for p in proposals(DEMO_CALL_YEAR))
    assert states == {
        ("grenoble", "mathematiques", "draft"): 1,
        ("grenoble", "mathematiques", "submitted"): 1,
        ("grenoble", "nsi", "retained"): 1,
        ("grenoble", "lettres", "submitted"): 1,
        ("lyon", "mathematiques", "returned"): 1,
        ("lyon", "mathematiques", "retained"): 1,
        ("lyon", "nsi", "not_retained"): 1,
        ("lyon", "lettres", "submitted"): 1,
    }
    retained = proposals(DEMO_CALL_YEAR).get(academy__code="grenoble", state=ProposalState.RETAINED)
    assert retained.opinion == AcademicOpinion.FAVOURABLE
    awaiting = proposals(DEMO_CALL_YEAR).filter(academy__code="grenoble", state=ProposalState.SUBMITTED, opinion="")
    assert awaiting.count() == 2
    assert not AcademicSynthesis.objects.filter(call__year=DEMO_CALL_YEAR, academy__code__in=["grenoble", "lyon"]).exists()


def test_grenoble_dan_can_compose_and_send_a_synthesis_live(users):
    dan = users["dan.grenoble@demo.traam.example"]
    retained = proposals(DEMO_CALL_YEAR).get(academy__code="grenoble", state=ProposalState.RETAINED)
    synthesis = services.compose_synthesis(
        retained.theme.entry.call, retained.academy, acting_user=dan, cover_note="Un projet de SNT.", items=[(retained, 1, "")],
    )
    services.send_synthesis(synthesis, acting_user=dan)
    retained.refresh_from_db()
    assert retained.state == ProposalState.SENT


def snapshot():
    return {
        "states": Counter(
            (p.theme.entry.call.year, p.academy.code, p.state) for p in Proposal.objects.select_related("theme__entry__call", "academy")
        ),
        "counts": [
            model.objects.count()
            for model in (Proposal, TeamMember, AcademicSynthesis, SynthesisItem, User, RoleAssignment, AuditEntry, OutgoingEmail)
        ],
    }


def test_seeding_twice_changes_nothing(users):
    before = snapshot()
    run_seed()
    assert snapshot() == before


def test_demo_call_stays_open_whenever_it_is_loaded():
    for today in (datetime.date(2026, 11, 24), datetime.date(2027, 5, 10), datetime.date(2029, 1, 1)):
        dates = demo_call_dates(today)
        assert dates["opens_on"] <= today <= dates["synthesis_deadline"]
        assert dates["synthesis_deadline"] <= dates["results_on"] <= dates["production_starts_on"] <= dates["production_ends_on"]
    assert demo_call_dates(datetime.date(2026, 11, 24))["synthesis_deadline"] == datetime.date(2027, 3, 31)
