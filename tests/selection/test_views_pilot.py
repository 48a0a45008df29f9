"""The national pilot's pages of the selection through HTTP: the overview and
the publication, the scoring grid, an entry's ranking with the selection and
the assignments, a proposal's reviews, the workload with reminders. Pilot
only: every other person gets 403, anonymous visitors the login page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from selection import services
from selection.models import Criterion, EmptySeatReason, Publication, ReviewAssignment, ScoringGrid, Selection
from tests.factories import make_user
from tests.selection.conftest import criteria, justify_other_entries, make_sent, scores_of
from tests.utils import text_of
from traam.enums import Role
from traam.models import Academy, Call, OutgoingEmail

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"
YEAR = "2026-2027"
GRID_LOCKED = "La grille d'évaluation ne peut plus être modifiée : une évaluation a déjà été soumise."
# Signed-in people who are not the national pilot (the reviewer is assigned to the proposal).
NOT_PILOTS = ["reviewer_national", "reviewer_maths", "dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "stranger"]


def url(name, *args):
    return reverse(f"selection:{name}", args=args)


def entry_url(sort=None):
    return url("entry", YEAR, "mathematiques") + (f"?tri={sort}" if sort else "")


def proposal_url(proposal):
    return url("entry_proposal", YEAR, "mathematiques", proposal.pk)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def submit(proposal, reviewer, grid, *values, recommendation="select", comment=""):
    return services.submit_review(proposal, acting_user=reviewer, scores=scores_of(grid, *values), recommendation=recommendation, comment=comment)


@pytest.fixture
def pilot_client(client, pilot):
    client.force_login(pilot)
    return client


@pytest.fixture
def six_sent(maths_theme, grenoble, lyon):
    """Six maths proposals under review, from six academies."""
    academies = [grenoble, lyon, *Academy.objects.filter(code__in=["paris", "lille", "nantes", "rennes"]).order_by("code")]
    return [make_sent(maths_theme, academy, f"Projet {number}") for number, academy in enumerate(academies, start=1)]


# --- Who may open the pages --------------------------------------------------------------


def pages(proposal):
    return {
        "pilot_home": url("pilot_home"),
        "pilot": url("pilot", YEAR),
        "grid": url("grid", YEAR),
        "entry": entry_url(),
        "entry_proposal": proposal_url(proposal),
        "workload": url("workload", YEAR),
        "export": url("export", YEAR, "ranking", "csv"),
    }


@pytest.mark.parametrize("page", ["pilot_home", "pilot", "grid", "entry", "entry_proposal", "workload", "export"])
def test_each_page_is_for_the_pilot_only(request, client, page, assignment, pilot):
    address = pages(assignment.proposal)[page]

    response = client.get(address)
    assert response.status_code == 302 and response.url.startswith(LOGIN)

    for who in NOT_PILOTS:
        client.force_login(request.getfixturevalue(who))
        assert client.get(address).status_code == 403, who

    client.force_login(pilot)
    response = client.get(address)
    assert response.status_code == (302 if page == "pilot_home" else 200)


def test_the_home_leads_to_the_current_call(pilot_client):
    assert pilot_client.get(url("pilot_home")).url == url("pilot", Call.objects.current().year)


@pytest.fixture
def retained_elsewhere(maths_theme, lyon):
    """A Lyon proposal retained by its academy, never sent to the DNE."""
    proposal = make_sent(maths_theme, lyon, "Retenue, pas transmise")
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.RETAINED)
    return proposal


def test_unknown_calls_entries_and_proposals_are_missing_pages(pilot_client, sent_grenoble, retained_elsewhere):
    assert pilot_client.get(url("pilot", "1999-2000")).status_code == 404
    assert pilot_client.get(url("entry", YEAR, "astrologie")).status_code == 404
    # A proposal of another entry, or one that never reached the DNE.
    assert pilot_client.get(url("entry_proposal", YEAR, "nsi", sent_grenoble.pk)).status_code == 404
    assert pilot_client.get(url("entry_proposal", YEAR, "mathematiques", retained_elsewhere.pk)).status_code == 404


def actions(proposal, assignment, criterion, reviewer):
    """Every POST of the pilot's pages, with a plausible body."""
    entry = ("mathematiques",)
    return [
        (url("pilot_publish", YEAR), {"confirm": "on"}),
        (url("pilot_criterion_add", YEAR), {"new-label": "Intrus", "new-weight": "1", "new-scale_min": "0", "new-scale_max": "4"}),
        (url("pilot_criterion_edit", YEAR, criterion.pk), {f"criterion-{criterion.pk}-label": "Intrus"}),
        (url("pilot_criterion_remove", YEAR, criterion.pk), {}),
        (url("pilot_review_due", YEAR), {"review_due": "2026-05-01"}),
        (url("pilot_select", YEAR, *entry, proposal.pk), {}),
        (url("pilot_unselect", YEAR, *entry, proposal.pk), {}),
        (url("pilot_empty_seats", YEAR, *entry), {"reason": "Intrus"}),
        (url("pilot_assign_entry", YEAR, *entry), {"reviewer": reviewer.pk}),
        (url("pilot_assign", YEAR, *entry, proposal.pk), {"reviewer": reviewer.pk}),
        (url("pilot_unassign", YEAR, *entry, proposal.pk, assignment.pk), {}),
        (url("pilot_remind", YEAR, reviewer.pk), {}),
        (url("pilot_remind_all", YEAR), {}),
    ]


def test_every_action_is_refused_to_others_and_changes_nothing(request, client, assignment, grid, reviewer_national):
    criterion = criteria(grid)[0]
    posts = actions(assignment.proposal, assignment, criterion, reviewer_national)
    emails_before = OutgoingEmail.objects.count()
    for address, data in posts:
        response = client.post(address, data)
        assert response.status_code == 302 and response.url.startswith(LOGIN), address
        for who in NOT_PILOTS:
            client.force_login(request.getfixturevalue(who))
            assert client.post(address, data).status_code == 403, (address, who)
        client.logout()
    assert (Criterion.objects.count(), Criterion.objects.get(pk=criterion.pk).label) == (6, "Adéquation à la thématique")
    assert ScoringGrid.objects.get().review_due == datetime.date(2026, 5, 25)
    assert not Selection.objects.exists() and not EmptySeatReason.objects.exists() and not Publication.objects.exists()
    assert list(ReviewAssignment.objects.all()) == [assignment]
    assert OutgoingEmail.objects.count() == emails_before


def test_actions_only_answer_post(pilot_client, assignment, grid, reviewer_national):
    for address, _data in actions(assignment.proposal, assignment, criteria(grid)[0], reviewer_national):
        assert pilot_client.get(address).status_code == 405, address


# --- Overview and publication --------------------------------------------------------------


def test_the_overview_counts_each_entry(pilot_client, assignment, peer_assignment, sent_lyon, grid, reviewer_national, pilot):
    submit(assignment.proposal, reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    services.select(sent_lyon, acting_user=pilot)
    services.set_empty_seat_reason(sent_lyon.theme.entry, "Deux candidatures transmises.", acting_user=pilot)

    response = pilot_client.get(url("pilot", YEAR))

    rows = {row["entry"].code: row for row in response.context["rows"]}
    assert len(rows) == 21
    maths = rows["mathematiques"]
    assert (maths["received"], maths["assigned"], maths["submitted"], maths["selected"], maths["reason"].reason) == (
        2, 2, 1, 1, "Deux candidatures transmises.",
    )
    assert (rows["nsi"]["received"], rows["nsi"]["selected"], rows["nsi"]["reason"]) == (0, 0, None)
    assert response.context["totals"] == {"received": 2, "assigned": 2, "submitted": 1, "selected": 1, "seats": 105}
    text = text_of(response)
    assert "Deux candidatures transmises." in text
    for link in (url("grid", YEAR), url("workload", YEAR), entry_url(), url("export", YEAR, "reviews", "csv"), url("export", YEAR, "ranking", "xlsx")):
        assert f'href="{link}' in response.content.decode(), link


def test_publication_is_blocked_with_the_blockers_listed(pilot_client, sent_grenoble, call):
    response = pilot_client.get(url("pilot", YEAR))

    text = text_of(response)
    assert "Les résultats ne peuvent pas encore être publiés : 21 points à régler" in text
    assert "« Mathématiques » : aucune place pourvue sur 5 ; indiquez pourquoi les places restent vacantes." in text
    assert "Je confirme la publication définitive" not in text

    response = pilot_client.post(url("pilot_publish", YEAR), {"confirm": "on"}, follow=True)
    shown = page_messages(response)
    assert len(shown) == 21
    assert "« Mathématiques » : aucune place pourvue sur 5 ; indiquez pourquoi les places restent vacantes." in shown
    assert not Publication.objects.exists()
    assert Proposal.objects.get(pk=sent_grenoble.pk).state == ProposalState.SENT


@pytest.fixture
def ready(sent_grenoble, sent_lyon, call, pilot):
    """Grenoble selected, every entry explained: nothing blocks the publication."""
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    return call


def test_publishing_needs_the_confirmation_then_happens_once(pilot_client, ready, sent_grenoble, sent_lyon, pilot, dan_grenoble):
    page = text_of(pilot_client.get(url("pilot", YEAR)))
    assert "Je confirme la publication définitive des résultats" in page
    assert "ne peuvent pas encore être publiés" not in page

    response = pilot_client.post(url("pilot_publish", YEAR), {}, follow=True)
    assert page_messages(response) == ["Cochez la case de confirmation pour publier les résultats."]
    assert not Publication.objects.exists()

    response = pilot_client.post(url("pilot_publish", YEAR), {"confirm": "on"}, follow=True)
    assert page_messages(response) == [
        "Les résultats de l'appel 2026-2027 sont publiés : 1 candidature sélectionnée, 1 non sélectionnée. "
        "Les académies et les équipes en sont informées par courriel."
    ]
    publication = Publication.objects.get()
    assert (publication.published_by, publication.selected_count, publication.not_selected_count) == (pilot, 1, 1)
    assert list(Proposal.objects.filter(pk__in=[sent_grenoble.pk, sent_lyon.pk]).order_by("pk").values_list("state", flat=True)) == [
        ProposalState.SELECTED, ProposalState.NOT_SELECTED,
    ]
    assert [e.to for e in OutgoingEmail.objects.filter(subject="Résultats de la sélection nationale TraAM 2026-2027 : académie de Grenoble")] == [
        [dan_grenoble.email]
    ]
    text = text_of(response)
    assert "Résultats publiés" in text and "par Alex" in text
    assert "Je confirme la publication définitive" not in text
    assert url("export", YEAR, "results", "csv") in text

    response = pilot_client.post(url("pilot_publish", YEAR), {"confirm": "on"}, follow=True)
    [refusal] = page_messages(response)
    assert refusal.startswith("Les résultats de l'appel 2026-2027 ont été publiés le ")
    assert refusal.endswith(" : la sélection est définitive.")
    assert Publication.objects.count() == 1


def test_after_publication_the_entry_is_read_only(pilot_client, ready, sent_grenoble, sent_lyon, pilot):
    services.publish_results(ready, acting_user=pilot)
    response = pilot_client.get(entry_url())
    text = text_of(response)
    assert "la sélection est définitive" in text
    assert "Sélectionner" not in text and "Assigner toutes les candidatures" not in text and "Enregistrer le motif" not in text
    response = pilot_client.post(url("pilot_unselect", YEAR, "mathematiques", sent_grenoble.pk), follow=True)
    assert page_messages(response)[0].endswith(": la sélection est définitive.")
    assert Selection.objects.filter(proposal=sent_grenoble).exists()


# --- The grid ----------------------------------------------------------------------------------


def criterion_data(criterion, **changes):
    values = {"label": criterion.label, "description": criterion.description, "weight": criterion.weight,
              "scale_min": criterion.scale_min, "scale_max": criterion.scale_max, "order": criterion.order, **changes}
    return {f"criterion-{criterion.pk}-{name}": value for name, value in values.items()}


def test_the_first_visit_creates_the_default_grid(pilot_client, call, pilot):
    assert not ScoringGrid.objects.exists()
    response = pilot_client.get(url("grid", YEAR))
    assert response.status_code == 200
    grid = ScoringGrid.objects.get(call=call)
    assert [c.label for c in criteria(grid)][:2] == ["Adéquation à la thématique", "Qualité pédagogique"]
    text = text_of(response)
    assert "6 critères, coefficient total : 8." in text
    assert text.count("Enregistrer le critère") == 6
    assert 'value="2026-05-25"' in text  # the date input reads ISO dates


def test_the_pilot_edits_a_criterion(pilot_client, grid):
    first = criteria(grid)[0]
    response = pilot_client.post(
        url("pilot_criterion_edit", YEAR, first.pk), criterion_data(first, label="Pertinence", weight="3", scale_max="5"), follow=True,
    )
    assert page_messages(response) == ["Le critère « Pertinence » est enregistré."]
    first.refresh_from_db()
    assert (first.label, first.weight, first.scale_min, first.scale_max) == ("Pertinence", 3, 0, 5)


def test_bad_values_are_refused_beside_their_fields(pilot_client, grid):
    first = criteria(grid)[0]
    response = pilot_client.post(url("pilot_criterion_edit", YEAR, first.pk), criterion_data(first, label="", weight="2,5", scale_min="4", scale_max="3"))
    assert response.status_code == 200
    form = next(form for criterion, form in response.context["rows"] if criterion.pk == first.pk)
    assert form.errors == {
        "label": ["Indiquez l'intitulé du critère."],
        "weight": ["Le coefficient doit être un nombre entier de 1 à 100."],
        "scale_max": ["La note maximale doit être supérieure à la note minimale."],
    }
    text = text_of(response)
    assert f'id="id_criterion-{first.pk}-weight-error"' in text and 'value="2,5"' in text  # what was typed stays
    first.refresh_from_db()
    assert (first.label, first.weight, first.scale_max) == ("Adéquation à la thématique", 2, 4)


def test_the_pilot_adds_and_removes_criteria(pilot_client, grid):
    response = pilot_client.post(
        url("pilot_criterion_add", YEAR),
        {"new-label": "Ouverture européenne", "new-description": "Partenariats", "new-weight": "1", "new-scale_min": "0", "new-scale_max": "3"},
        follow=True,
    )
    assert page_messages(response) == ["Le critère « Ouverture européenne » est ajouté à la grille."]
    added = criteria(grid)[-1]
    assert (added.label, added.description, added.weight, added.scale_max, added.order) == ("Ouverture européenne", "Partenariats", 1, 3, 7)

    response = pilot_client.post(url("pilot_criterion_add", YEAR), {"new-label": " ", "new-weight": "0", "new-scale_min": "0", "new-scale_max": "4"})
    assert response.context["add_form"].errors == {
        "label": ["Indiquez l'intitulé du critère."], "weight": ["Le coefficient doit être un nombre entier de 1 à 100."],
    }
    assert Criterion.objects.count() == 7

    response = pilot_client.post(url("pilot_criterion_remove", YEAR, added.pk), follow=True)
    assert page_messages(response) == ["Le critère « Ouverture européenne » est retiré de la grille."]
    assert Criterion.objects.count() == 6


def test_the_pilot_sets_the_review_due_date(pilot_client, grid):
    response = pilot_client.post(url("pilot_review_due", YEAR), {"review_due": "2026-05-15"}, follow=True)
    assert page_messages(response) == ["Les évaluations sont attendues le 15 mai 2026."]
    assert ScoringGrid.objects.get().review_due == datetime.date(2026, 5, 15)

    response = pilot_client.post(url("pilot_review_due", YEAR), {"review_due": "15 mai"})
    assert response.context["due_form"].errors == {"review_due": ["Indiquez une date valide."]}
    assert ScoringGrid.objects.get().review_due == datetime.date(2026, 5, 15)


def test_the_grid_is_read_only_once_a_review_is_submitted(pilot_client, assignment, grid, reviewer_national):
    submit(assignment.proposal, reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    first = criteria(grid)[0]

    response = pilot_client.get(url("grid", YEAR))
    text = text_of(response)
    assert "Grille verrouillée" in text and GRID_LOCKED in text
    assert "Enregistrer le critère" not in text and "Ajouter le critère" not in text and "Retirer le critère" not in text
    assert "Adéquation à la thématique" in text

    for address, data in [
        (url("pilot_criterion_edit", YEAR, first.pk), criterion_data(first, weight="5")),
        (url("pilot_criterion_add", YEAR), {"new-label": "Intrus", "new-weight": "1", "new-scale_min": "0", "new-scale_max": "4"}),
        (url("pilot_criterion_remove", YEAR, first.pk), {}),
    ]:
        response = pilot_client.post(address, data, follow=True)
        assert page_messages(response) == [GRID_LOCKED], address
    assert (Criterion.objects.count(), Criterion.objects.get(pk=first.pk).weight) == (6, 2)
    # The due date can still move.
    response = pilot_client.post(url("pilot_review_due", YEAR), {"review_due": "2026-06-01"}, follow=True)
    assert page_messages(response) == ["Les évaluations sont attendues le 1 juin 2026."]


# --- An entry: ranking and sorting -------------------------------------------------------------


@pytest.fixture
def scored(six_sent, grid, reviewer_national, reviewer_lyon, pilot):
    """Projects 1-4 reviewed: 1 and 2 by both reviewers (2 with a large spread), 3 and 4 by one."""
    for proposal in six_sent[:4]:
        services.assign_reviewer(proposal, reviewer_national, acting_user=pilot)
    services.assign_reviewer(six_sent[0], reviewer_lyon, acting_user=pilot)  # Grenoble: no conflict for Lyon
    services.assign_reviewer(six_sent[2], reviewer_lyon, acting_user=pilot)
    submit(six_sent[0], reviewer_national, grid, 3, 3, 3, 3, 3, 3)  # 15
    submit(six_sent[0], reviewer_lyon, grid, 3, 3, 3, 3, 3, 3)  # 15 → 15, spread 0
    submit(six_sent[1], reviewer_national, grid, 4, 4, 4, 4, 4, 4, recommendation="priority")  # 20
    submit(six_sent[2], reviewer_national, grid, 4, 4, 4, 4, 4, 4, recommendation="priority")  # 20
    submit(six_sent[2], reviewer_lyon, grid, 2, 2, 2, 2, 2, 2, recommendation="reserved", comment="À préciser.")  # 10 → 15, spread 10
    submit(six_sent[3], reviewer_national, grid, 1, 1, 1, 1, 1, 1, recommendation="reject", comment="Hors sujet.")  # 5
    return six_sent


def titles(response):
    return [row.proposal.title for row in response.context["rows"]]


def aria_sorted(response):
    """(header text, aria-sort) of the sorted column."""
    match = re.search(r'<th scope="col" aria-sort="(\w+)"><a[^>]*>([^<]+)<', response.content.decode())
    return match.group(2), match.group(1)


def test_the_ranking_shows_scores_spread_and_recommendations(pilot_client, scored):
    response = pilot_client.get(entry_url())
    rows = {row.proposal.title: row for row in response.context["rows"]}
    assert titles(response) == ["Projet 2", "Projet 1", "Projet 3", "Projet 4", "Projet 5", "Projet 6"]
    assert [(rows[t].rank, rows[t].score, rows[t].spread, rows[t].reviews, rows[t].assigned) for t in ("Projet 2", "Projet 3", "Projet 4", "Projet 5")] == [
        (1, 20, None, 1, 1), (2, 15, 10, 2, 2), (4, 5, None, 1, 1), (None, None, None, 0, 0),
    ]
    assert (rows["Projet 3"].large_spread, rows["Projet 1"].large_spread) == (True, False)
    assert rows["Projet 3"].recommendation_list == [("à sélectionner en priorité", 1), ("réservé", 1)]
    text = text_of(response)
    assert "0 / 5 sièges" in text
    assert "désaccord" in text
    assert "15,00" in text and "20,00" in text and "10,00" in text
    assert f'href="{reverse("candidatures:detail", args=[scored[2].pk])}"' in text
    assert f'href="{proposal_url(scored[2])}"' in text


def test_the_pilot_may_open_each_proposal_of_the_ranking(pilot_client, scored):
    assert pilot_client.get(reverse("candidatures:detail", args=[scored[0].pk])).status_code == 200


@pytest.mark.parametrize(("sort", "expected", "header"), [
    (None, ["Projet 2", "Projet 1", "Projet 3", "Projet 4", "Projet 5", "Projet 6"], ("Moyenne /20", "descending")),
    ("score", ["Projet 2", "Projet 1", "Projet 3", "Projet 4", "Projet 5", "Projet 6"], ("Moyenne /20", "descending")),
    ("-score", ["Projet 6", "Projet 5", "Projet 4", "Projet 3", "Projet 1", "Projet 2"], ("Moyenne /20", "ascending")),
    ("spread", ["Projet 3", "Projet 1", "Projet 2", "Projet 4", "Projet 5", "Projet 6"], ("Écart", "descending")),
    ("title", ["Projet 1", "Projet 2", "Projet 3", "Projet 4", "Projet 5", "Projet 6"], ("Candidature", "ascending")),
    ("-title", ["Projet 6", "Projet 5", "Projet 4", "Projet 3", "Projet 2", "Projet 1"], ("Candidature", "descending")),
    ("academy", ["Projet 1", "Projet 3", "Projet 2", "Projet 4", "Projet 5", "Projet 6"], ("Académie", "ascending")),
    ("bogus", ["Projet 2", "Projet 1", "Projet 3", "Projet 4", "Projet 5", "Projet 6"], ("Moyenne /20", "descending")),
])
def test_the_ranking_sorts_by_each_column(pilot_client, scored, sort, expected, header):
    response = pilot_client.get(entry_url(sort))
    assert titles(response) == expected
    assert aria_sorted(response) == header


def test_the_headers_link_to_the_other_order(pilot_client, scored):
    page = pilot_client.get(entry_url("title")).content.decode()
    assert f'href="{entry_url("-title")}"' in page  # the current column, reversed
    assert f'href="{entry_url("spread")}"' in page and f'href="{entry_url("academy")}"' in page
    page = pilot_client.get(entry_url()).content.decode()
    assert f'href="{entry_url("-score")}"' in page


def test_priority_sorts_by_the_academys_synthesis(pilot_client, sent_grenoble, sent_lyon):
    # Both first in their academy's synthesis: ties fall back on the score, then the title.
    response = pilot_client.get(entry_url("priority"))
    assert [row.priority for row in response.context["rows"]] == [1, 1]
    assert aria_sorted(response) == ("Priorité académique", "ascending")


# --- The selection ----------------------------------------------------------------------------


def test_the_pilot_selects_up_to_the_seats_then_is_refused_in_french(pilot_client, six_sent, maths_entry):
    for number, proposal in enumerate(six_sent[:5], start=1):
        response = pilot_client.post(url("pilot_select", YEAR, "mathematiques", proposal.pk), {"tri": "title"})
        assert response.url == entry_url("title") + "#content"
        response = pilot_client.get(response.url)
        assert page_messages(response) == [f"« Projet {number} » est sélectionnée ({number} / 5 places)."]

    assert "5 / 5 sièges" in text_of(response)
    response = pilot_client.post(url("pilot_select", YEAR, "mathematiques", six_sent[5].pk), follow=True)
    assert page_messages(response) == ["Les 5 places de « Mathématiques » sont pourvues : retirez d'abord une candidature de la sélection."]
    assert Selection.objects.filter(entry=maths_entry).count() == 5

    response = pilot_client.post(url("pilot_unselect", YEAR, "mathematiques", six_sent[0].pk), follow=True)
    assert page_messages(response) == ["« Projet 1 » est retirée de la sélection."]
    response = pilot_client.post(url("pilot_select", YEAR, "mathematiques", six_sent[5].pk), follow=True)
    assert page_messages(response) == ["« Projet 6 » est sélectionnée (5 / 5 places)."]
    assert sorted(Selection.objects.values_list("proposal__title", flat=True)) == ["Projet 2", "Projet 3", "Projet 4", "Projet 5", "Projet 6"]


def test_the_empty_seats_reason(pilot_client, six_sent, maths_entry, pilot):
    services.select(six_sent[0], acting_user=pilot)
    page = text_of(pilot_client.get(entry_url()))
    assert "Places pourvues : 1 sur 5." in page and "Motif des places vacantes" in page

    response = pilot_client.post(url("pilot_empty_seats", YEAR, "mathematiques"), {"reason": "Un seul projet solide."}, follow=True)
    assert page_messages(response) == ["Le motif des places vacantes est enregistré."]
    assert EmptySeatReason.objects.get(entry=maths_entry).reason == "Un seul projet solide."
    assert "Un seul projet solide." in text_of(response)

    response = pilot_client.post(url("pilot_empty_seats", YEAR, "mathematiques"), {"reason": "x" * 2001})
    assert response.context["reason_form"].errors == {"reason": ["Le motif compte 2 000 caractères au plus."]}
    response = pilot_client.post(url("pilot_empty_seats", YEAR, "mathematiques"), {"reason": ""}, follow=True)
    assert page_messages(response) == ["Le motif des places vacantes est retiré."]
    assert not EmptySeatReason.objects.exists()


def test_a_full_entry_hides_the_reason_form(pilot_client, six_sent, pilot):
    for proposal in six_sent[:5]:
        services.select(proposal, acting_user=pilot)
    assert "Motif des places vacantes" not in text_of(pilot_client.get(entry_url()))


# --- Assignments -----------------------------------------------------------------------------


def test_assigning_the_entry_lists_what_was_assigned_and_what_was_skipped(pilot_client, sent_grenoble, sent_lyon, reviewer_lyon):
    response = pilot_client.get(entry_url())
    assert [reviewer.email for reviewer in response.context["reviewers"]] == [reviewer_lyon.email]

    response = pilot_client.post(url("pilot_assign_entry", YEAR, "mathematiques"), {"reviewer": reviewer_lyon.pk}, follow=True)

    name = reviewer_lyon.get_full_name()
    assert page_messages(response) == [
        f"1 candidature assignée à {name} : « Différencier avec MathALÉA ».",
        f"1 candidature non assignée : {name} appartient à l'académie de Lyon : conflit d'intérêts pour « Plans de travail au collège ».",
    ]
    assert f"{name} appartient à l'académie de Lyon : conflit d'intérêts pour « Plans de travail au collège »." in text_of(response)
    assert list(ReviewAssignment.objects.values_list("proposal", "reviewer")) == [(sent_grenoble.pk, reviewer_lyon.pk)]
    assert OutgoingEmail.objects.filter(to=[reviewer_lyon.email], subject="TraAM 2026-2027 : 1 candidature à évaluer").exists()

    response = pilot_client.post(url("pilot_assign_entry", YEAR, "mathematiques"), {"reviewer": reviewer_lyon.pk}, follow=True)
    assert page_messages(response) == [
        f"Aucune nouvelle candidature assignée à {name}.",
        f"2 candidatures non assignées : « Différencier avec MathALÉA » est déjà confiée à {name}. "
        f"{name} appartient à l'académie de Lyon : conflit d'intérêts pour « Plans de travail au collège ».",
    ]


def test_assigning_the_entry_needs_a_reviewer_of_the_discipline(pilot_client, sent_grenoble, reviewer_nsi, reviewer_national):
    response = pilot_client.post(url("pilot_assign_entry", YEAR, "mathematiques"), {"reviewer": ""})
    assert response.status_code == 200
    assert response.context["assign_form"].errors == {"reviewer": ["Choisissez un·e évaluateur·rice."]}
    assert "Choisissez un·e évaluateur·rice." in text_of(response)
    response = pilot_client.post(url("pilot_assign_entry", YEAR, "mathematiques"), {"reviewer": reviewer_nsi.pk})
    assert response.context["assign_form"].errors == {"reviewer": ["Choisissez un·e évaluateur·rice dans la liste."]}
    assert not ReviewAssignment.objects.exists()


def test_the_pilot_assigns_and_unassigns_one_proposal(pilot_client, sent_grenoble, sent_lyon, reviewer_national, reviewer_lyon):
    response = pilot_client.post(url("pilot_assign", YEAR, "mathematiques", sent_lyon.pk), {"reviewer": reviewer_lyon.pk}, follow=True)
    assert page_messages(response) == [
        f"{reviewer_lyon.get_full_name()} appartient à l'académie de Lyon : conflit d'intérêts pour « Plans de travail au collège »."
    ]
    response = pilot_client.post(
        url("pilot_assign", YEAR, "mathematiques", sent_lyon.pk), {"reviewer": reviewer_national.pk, "from": "proposal"}, follow=True,
    )
    assert response.redirect_chain[-1][0] == proposal_url(sent_lyon) + "#content"
    assert page_messages(response) == [f"« Plans de travail au collège » est assignée à {reviewer_national.get_full_name()}."]
    assignment = ReviewAssignment.objects.get()
    assert response.context["tools"]["assignments"] == [assignment]

    response = pilot_client.post(url("pilot_unassign", YEAR, "mathematiques", sent_lyon.pk, assignment.pk), follow=True)
    assert page_messages(response) == [f"« Plans de travail au collège » n'est plus assignée à {reviewer_national.get_full_name()}."]
    assert not ReviewAssignment.objects.exists()


def test_a_submitted_review_cannot_be_unassigned(pilot_client, assignment, grid, reviewer_national):
    submit(assignment.proposal, reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    unassign_url = url("pilot_unassign", YEAR, "mathematiques", assignment.proposal_id, assignment.pk)
    page = text_of(pilot_client.get(entry_url()))
    assert "soumise" in page and unassign_url not in page
    response = pilot_client.post(unassign_url, follow=True)
    assert page_messages(response) == [
        f"{reviewer_national.get_full_name()} a déjà soumis son évaluation de « Différencier avec MathALÉA » : elle ne peut plus lui être retirée."
    ]
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_assign_select_leaves_out_who_is_assigned_or_declared_a_conflict(
    pilot_client, assignment, sent_lyon, reviewer_national, reviewer_lyon, pilot, maths,
):
    third = make_user("troisieme@example.test", Role.REVIEWER, disciplines=[maths])
    services.assign_reviewer(sent_lyon, third, acting_user=pilot)
    services.declare_conflict(sent_lyon, acting_user=third, reason="Ancienne collègue.")
    response = pilot_client.get(entry_url())
    tools = {row.proposal.pk: row.tools for row in response.context["rows"]}
    assert {r.email for r in tools[assignment.proposal_id]["available"]} == {reviewer_lyon.email, third.email}
    assert {r.email for r in tools[sent_lyon.pk]["available"]} == {reviewer_national.email, reviewer_lyon.email}
    assert [c.reason for c in tools[sent_lyon.pk]["conflicts"]] == ["Ancienne collègue."]
    assert "Ancienne collègue." in text_of(response)


# --- A proposal's reviews ------------------------------------------------------------------------


def test_the_pilot_reads_every_review_of_a_proposal(pilot_client, assignment, peer_assignment, grid, reviewer_national, reviewer_lyon, pilot, maths):
    submit(assignment.proposal, reviewer_national, grid, 4, 3, 2, 1, 0, 4, comment=f"Solide. {SCRIPT}")
    services.save_review(assignment.proposal, acting_user=reviewer_lyon, scores=scores_of(grid, 2, 2), comment="Brouillon en cours")

    response = pilot_client.get(proposal_url(assignment.proposal))

    assert response.status_code == 200
    assert [column["review"].assignment.reviewer for column in response.context["columns"]] == [reviewer_national, reviewer_lyon]
    assert [(c.label, values) for c, values in response.context["score_rows"]][:3] == [
        ("Adéquation à la thématique", [4, 2]), ("Qualité pédagogique", [3, 2]), ("Compétences numériques et CRCN", [2, None]),
    ]
    # (2 × 4/4 + 2 × 3/4 + 2/4 + 1/4 + 0/4 + 4/4) / 8 × 20 = 5.25 / 8 × 20 = 13.125, shown 13.13
    assert [column["score"] for column in response.context["columns"]] == [Decimal("13.13"), None]
    assert (response.context["mean"], response.context["spread"]) == (Decimal("13.13"), None)
    html = response.content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    text = text_of(response)
    assert "Brouillon en cours" in text and "13,13" in text and "Priorité dans la synthèse de l'académie" in text


def test_script_in_a_title_is_escaped_on_every_page(pilot_client, maths_theme, lyon, grid, reviewer_national, pilot):
    proposal = make_sent(maths_theme, lyon, f"Projet {SCRIPT}")
    services.assign_reviewer(proposal, reviewer_national, acting_user=pilot)
    services.select(proposal, acting_user=pilot)
    services.set_empty_seat_reason(proposal.theme.entry, f"Motif {SCRIPT}", acting_user=pilot)
    for address in (url("pilot", YEAR), entry_url(), proposal_url(proposal), url("workload", YEAR)):
        response = pilot_client.get(address, follow=True)
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode(), address
    assert "&lt;script&gt;" in pilot_client.get(entry_url()).content.decode()


# --- Workload and reminders ------------------------------------------------------------------------


def test_the_workload_counts_each_reviewer(pilot_client, six_sent, grid, reviewer_national, reviewer_lyon, reviewer_nsi, pilot):
    for proposal in six_sent[:3]:
        services.assign_reviewer(proposal, reviewer_national, acting_user=pilot)
    ReviewAssignment.objects.filter(proposal=six_sent[2]).update(due_on=datetime.date(2026, 1, 1))  # overdue
    submit(six_sent[0], reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    services.save_review(six_sent[1], acting_user=reviewer_national, scores=scores_of(grid, 2))

    response = pilot_client.get(url("workload", YEAR))

    loads = {load.reviewer.email: load for load in response.context["loads"]}
    national = loads[reviewer_national.email]
    assert (national.assigned, national.submitted, national.drafts, national.not_started, national.overdue) == (3, 1, 1, 1, 2)
    assert (loads[reviewer_nsi.email].assigned, loads[reviewer_lyon.email].pending) == (0, 0)
    text = text_of(response)
    assert "2 évaluations en attente, dont 2 en retard." in text
    assert text.count(">Relancer<") == 1
    assert "Relancer la personne qui a des évaluations en attente" in text


def test_reminding_one_reviewer_queues_an_email(pilot_client, sent_grenoble, sent_lyon, maths_entry, grid, reviewer_national, reviewer_lyon, pilot):
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    before = OutgoingEmail.objects.count()

    response = pilot_client.post(url("pilot_remind", YEAR, reviewer_national.pk), follow=True)

    assert page_messages(response) == [f"Un courriel de relance est mis en file d'envoi pour {reviewer_national.get_full_name()}."]
    assert list(OutgoingEmail.objects.order_by("pk").values_list("to", "subject"))[before:] == [
        ([reviewer_national.email], "Rappel TraAM 2026-2027 : 2 évaluations en attente"),
    ]
    response = pilot_client.post(url("pilot_remind", YEAR, reviewer_lyon.pk), follow=True)
    assert page_messages(response) == [f"{reviewer_lyon.get_full_name()} n'a aucune évaluation en attente pour l'appel 2026-2027."]
    assert OutgoingEmail.objects.count() == before + 1


def test_reminding_everyone_queues_one_email_per_reviewer_with_pending_reviews(
    pilot_client, sent_grenoble, sent_lyon, maths_entry, grid, reviewer_national, reviewer_lyon, pilot,
):
    response = pilot_client.post(url("pilot_remind_all", YEAR), follow=True)
    assert page_messages(response) == ["Aucune évaluation en attente : personne à relancer."]

    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    services.assign_entry(maths_entry, reviewer_lyon, acting_user=pilot)  # Grenoble only
    before = OutgoingEmail.objects.count()
    response = pilot_client.post(url("pilot_remind_all", YEAR), follow=True)
    assert page_messages(response) == ["2 courriels de relance sont mis en file d'envoi."]
    assert sorted(OutgoingEmail.objects.order_by("pk").values_list("to", "subject")[before:]) == [
        ([reviewer_lyon.email], "Rappel TraAM 2026-2027 : 1 évaluation en attente"),
        ([reviewer_national.email], "Rappel TraAM 2026-2027 : 2 évaluations en attente"),
    ]


# --- Bounded queries ------------------------------------------------------------------------------


def many_reviewed(count, theme, grid, reviewers, pilot):
    """``count`` proposals from academies other than the reviewers', each
    assigned to every reviewer and scored by the first one."""
    academies = list(Academy.objects.exclude(code__in=["grenoble", "lyon"]).order_by("code"))
    proposals = [make_sent(theme, academies[n % len(academies)], f"Projet {n}") for n in range(count)]
    for reviewer in reviewers:
        services.assign_entry(theme.entry, reviewer, acting_user=pilot)
    for proposal in proposals:
        submit(proposal, reviewers[0], grid, 3, 2, 3, 2, 3, 2, comment="Correct.")
    return proposals


def query_counts(client, addresses):
    counts = []
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200, address
        counts.append(len(queries))
    return counts


def test_the_pages_run_the_same_number_of_queries_whatever_the_rows(
    pilot_client, maths_theme, grid, reviewer_national, reviewer_lyon, pilot,
):
    reviewers = [reviewer_national, reviewer_lyon]
    first = many_reviewed(2, maths_theme, grid, reviewers, pilot)[0]
    services.select(first, acting_user=pilot)
    addresses = [url("pilot", YEAR), entry_url(), entry_url("spread"), proposal_url(first), url("workload", YEAR), url("grid", YEAR)]
    few = query_counts(pilot_client, addresses)
    for proposal in many_reviewed(20, maths_theme, grid, reviewers, pilot)[:3]:
        services.select(proposal, acting_user=pilot)
    many = query_counts(pilot_client, addresses)
    assert many == few
    assert max(few) <= 20, dict(zip(addresses, few))
