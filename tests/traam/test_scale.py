"""``seed_demo --scale N``: national-size history for performance work, here
one year over three academies (Grenoble, Lyon and one more) after the demo.
The module seeds once, inside a transaction rolled back at the end."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils.html import escape

from candidatures.enums import ProposalState, TeamRole
from candidatures.models import AcademicSynthesis, Proposal, SynthesisItem, TeamMember
from productions.enums import NationalRole, ScenarioState
from productions.models import GroupMember, HoursDeclaration, NationalGroup, NationalMember, Scenario, ScenarioVersion, WorkingGroup
from selection.enums import ReviewState
from selection.models import EmptySeatReason, Publication, Review, ReviewAssignment, Score, Selection
from traam.models import AuditEntry, Call, RoleAssignment, User
from traam.scale import generate, past_years

YEAR = "2025-2026"
ACADEMIES = 3
DEMO = "@demo.traam.example"


def counts():
    return [model.objects.count() for model in (
        Call, User, RoleAssignment, Proposal, TeamMember, AcademicSynthesis, SynthesisItem, ReviewAssignment, Review, Score, Selection,
        Publication, WorkingGroup, GroupMember, NationalGroup, NationalMember, Scenario, ScenarioVersion, HoursDeclaration, AuditEntry,
    )]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", "--scale", "1", "--scale-academies", str(ACADEMIES), stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def call(seeded, db):
    return Call.objects.get(year=YEAR)


def test_past_years_end_before_the_reference_call():
    assert past_years(10) == [f"{year}-{year + 1}" for year in range(2016, 2026)]
    assert past_years(1) == ["2025-2026"]


def test_the_command_adds_one_published_past_call_and_says_what_it_created(seeded, call):
    assert call.is_published and call.cloned_from.year == "2026-2027"
    assert call.opens_on.isoformat() == "2025-01-12" and call.production_ends_on.isoformat() == "2026-04-30"
    assert call.phase().value == "bilans"
    assert "2025-2026 : " in seeded and "candidatures" in seeded and "Historique créé" in seeded
    # The call's entries and themes are 2026-2027's.
    source = Call.objects.get(year="2026-2027")
    assert list(call.entries.values_list("code", "seats")) == list(source.entries.values_list("code", "seats"))
    assert call.entries.aggregate(themes=Count("themes"))["themes"] == source.entries.aggregate(themes=Count("themes"))["themes"]
    # The current call of the portal is unchanged.
    assert Call.objects.current().year != YEAR


def test_proposals_come_from_the_chosen_academies_with_a_full_team(call):
    proposals = Proposal.objects.filter(theme__entry__call=call)
    assert proposals.count() >= 21  # at least one in every entry
    assert set(proposals.values_list("theme__entry_id", flat=True)) == set(call.entries.values_list("pk", flat=True))
    assert set(proposals.values_list("academy__code", flat=True)) <= {"grenoble", "lyon", "aix-marseille"}
    for proposal in proposals.prefetch_related("team"):
        roles = Counter(member.role for member in proposal.team.all())
        assert roles == {TeamRole.TEACHER: 2, TeamRole.REFERENT: 1, TeamRole.CARDIE: 1, TeamRole.INSPECTOR: 1}, proposal
        assert all(member.user_id for member in proposal.team.all())
    # Nothing is left in the academy's hands in a past call.
    assert set(proposals.values_list("state", flat=True)) <= {
        ProposalState.DRAFT, ProposalState.WITHDRAWN, ProposalState.NOT_RETAINED, ProposalState.SELECTED, ProposalState.NOT_SELECTED,
    }
    # The demo teachers lead a mathematics proposal every year.
    leads = set(proposals.filter(theme__entry__code="mathematiques").values_list("lead__email", flat=True))
    assert {"enseignant.grenoble@demo.traam.example", "enseignant.lyon@demo.traam.example"} <= leads
    # Background people cannot sign in.
    assert not any(user.has_usable_password() for user in User.objects.filter(led_proposals__in=proposals).exclude(email__endswith=DEMO))


def test_sent_proposals_went_through_a_synthesis_two_reviews_and_the_selection(call):
    sent = Proposal.objects.filter(theme__entry__call=call, state__in=ProposalState.with_dne)
    assert sent.exists()
    assert SynthesisItem.objects.filter(proposal__in=sent).count() == sent.count()
    assert all(s.sent_at is not None for s in AcademicSynthesis.objects.filter(call=call))
    reviews = Review.objects.filter(assignment__proposal__in=sent)
    assert reviews.count() == 2 * sent.count() and set(reviews.values_list("state", flat=True)) == {ReviewState.SUBMITTED}
    assert Score.objects.filter(review__in=reviews).count() == 6 * reviews.count()
    # No reviewer from the proposal's own academy.
    homes = dict(RoleAssignment.objects.filter(role="reviewer").values_list("user_id", "academy_id"))
    for assignment in ReviewAssignment.objects.filter(proposal__in=sent).select_related("proposal"):
        assert homes[assignment.reviewer_id] != assignment.proposal.academy_id
    publication = Publication.objects.get(call=call)
    selected = sent.filter(state=ProposalState.SELECTED)
    assert publication.selected_count == selected.count() == Selection.objects.filter(entry__call=call).count()
    assert publication.not_selected_count == sent.filter(state=ProposalState.NOT_SELECTED).count()
    for entry in call.entries.annotate(chosen=Count("selections")):
        assert entry.chosen <= entry.seats
        assert entry.chosen == entry.seats or EmptySeatReason.objects.filter(entry=entry).exists(), entry


def test_selected_proposals_became_groups_with_scenarios_hours_and_a_national_group(call):
    groups = WorkingGroup.objects.filter(call=call)
    assert groups.count() == Selection.objects.filter(entry__call=call).count() > 0
    for group in groups.prefetch_related("members", "scenarios"):
        roles = Counter(member.role for member in group.members.all())
        assert roles[TeamRole.REFERENT] == 1 and roles[TeamRole.INSPECTOR] == 1 and roles[TeamRole.CARDIE] == 1
        assert 2 <= len(group.scenarios.all()) <= 4
    for national in NationalGroup.objects.filter(call=call):
        members = Counter(national.members.values_list("role", flat=True))
        assert members[NationalRole.IGESR] == 1 and members[NationalRole.TN3_EXPERT] == 1
        # One line per referent person, as the services keep it.
        referents = GroupMember.objects.filter(group__entry=national.entry, role=TeamRole.REFERENT).values("email").distinct()
        assert members[NationalRole.REFERENT] == referents.count()
    scenarios = Scenario.objects.filter(group__call=call)
    states = Counter(scenarios.values_list("state", flat=True))
    assert states[ScenarioState.PUBLISHED] > sum(states.values()) / 2
    published = scenarios.filter(state=ScenarioState.PUBLISHED)
    assert not published.filter(class_levels=None).exists() and not published.filter(crcn_competences=None).exists()
    assert ScenarioVersion.objects.filter(scenario__in=scenarios).count() == scenarios.count()
    assert HoursDeclaration.objects.filter(group__call=call, state="validated").exists()
    # Every object carries its history.
    assert AuditEntry.objects.filter(object_id__in=[str(pk) for pk in published.values_list("pk", flat=True)],
                                     to_state=ScenarioState.PUBLISHED).count() == published.count()


def test_every_row_holds_the_models_constraints(call):
    samples = [
        *Proposal.objects.filter(theme__entry__call=call)[:40], *TeamMember.objects.filter(proposal__theme__entry__call=call)[:40],
        *AcademicSynthesis.objects.filter(call=call), *SynthesisItem.objects.filter(synthesis__call=call)[:20],
        *ReviewAssignment.objects.filter(proposal__theme__entry__call=call)[:20], *Review.objects.filter(assignment__proposal__theme__entry__call=call)[:20],
        *Score.objects.filter(review__assignment__proposal__theme__entry__call=call)[:40], *Selection.objects.filter(entry__call=call),
        *EmptySeatReason.objects.filter(entry__call=call), Publication.objects.get(call=call), *WorkingGroup.objects.filter(call=call),
        *GroupMember.objects.filter(group__call=call)[:40], *NationalGroup.objects.filter(call=call),
        *NationalMember.objects.filter(national_group__call=call)[:40], *Scenario.objects.filter(group__call=call)[:40],
        *ScenarioVersion.objects.filter(scenario__group__call=call)[:20], *HoursDeclaration.objects.filter(group__call=call)[:40],
        *RoleAssignment.objects.filter(user__email__contains="@ac-aix-marseille.example")[:40],
        *User.objects.filter(email__endswith="@evaluation.dne.example")[:10],
    ]
    assert len(samples) > 300
    for obj in samples:
        obj.full_clean()  # fields, validators, unique and check constraints


def test_a_second_run_creates_nothing(seeded, db):
    before = counts()
    output = StringIO()
    call_command("seed_demo", "--scale", "1", "--scale-academies", str(ACADEMIES), stdout=output)
    assert counts() == before
    assert "2025-2026 : déjà présent" in output.getvalue() and "rien à créer" in output.getvalue()
    assert generate(years=1, academies=ACADEMIES) == {}


@pytest.mark.parametrize(("email", "url"), [
    (None, "/"),
    (None, "/appels/2025-2026/"),
    ("enseignant.grenoble@demo.traam.example", "/candidatures/"),
    ("enseignant.grenoble@demo.traam.example", "/groupes/"),
    ("inspecteur.maths.grenoble@demo.traam.example", "/candidatures/academie/"),
    ("dan.grenoble@demo.traam.example", "/candidatures/delegation/2025-2026/grenoble/"),
    ("dan.grenoble@demo.traam.example", "/tableau-de-bord/"),
    ("igesr.maths@demo.traam.example", "/selection/evaluations/"),
    ("pilote@demo.traam.example", "/selection/pilotage/2025-2026/mathematiques/"),
    ("pilote@demo.traam.example", "/groupes/"),
    ("pilote@demo.traam.example", "/tableau-de-bord/"),
])
def test_the_demo_accounts_pages_still_answer(seeded, client, email, url):
    if email:
        client.force_login(User.objects.get(email=email))
    assert client.get(url).status_code == 200


def test_the_history_reaches_the_demo_accounts(call, client):
    # The teacher's past proposal is on « Mes candidatures », the reviewer's past reviews on her list.
    past = Proposal.objects.get(theme__entry__call=call, lead__email="enseignant.grenoble@demo.traam.example")
    client.force_login(User.objects.get(email="enseignant.grenoble@demo.traam.example"))
    assert escape(past.title) in client.get("/candidatures/").content.decode()
    assert ReviewAssignment.objects.filter(proposal__theme__entry__call=call, reviewer__email="igesr.maths@demo.traam.example").exists()
