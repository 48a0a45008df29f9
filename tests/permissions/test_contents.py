"""What lists and exports contain, role by role: nobody's list or export
holds a row from outside their scope (another academy, another discipline,
another team, their own academy for a reviewer), and public pages hold
nothing unpublished. The world is ``world.py``'s."""

import csv
import io

import pytest
from django.urls import NoReverseMatch, reverse

from tests.utils import text_of

from .world import ANON, CARDIE, DAN, DRAN, INSPECTOR, PILOT, REVIEWER, STRANGER, TEACHER

pytestmark = pytest.mark.django_db

CALL = "2026-2027"
GRENOBLE = "Différencier avec MathALÉA"  # Grenoble, mathematics, selected
MINE = "Brouillon de l'équipe grenobloise"  # Grenoble, mathematics, draft
NSI = "Programmer un robot en NSI"  # Grenoble, NSI, submitted by another team
RENNES = "Plans de travail en Bretagne"  # Rennes, mathematics, selected
ALL_PROPOSALS = (GRENOBLE, MINE, NSI, RENNES)

GROUP_GRENOBLE = GRENOBLE
GROUP_RENNES = RENNES
SCENARIO_DRAFT = "Fractions en 6e (brouillon)"
SCENARIO_SUBMITTED = "Proportionnalité en 5e (soumise)"
SCENARIO_PUBLISHED = "Calcul mental en 6e (publiée)"
SCENARIO_RENNES_DRAFT = "Statistiques en 2de (brouillon rennais)"
SCENARIO_RENNES_PUBLISHED = "Tableurs en 2de (publiée à Rennes)"


def page(clients, role, name, **kwargs):
    response = clients[role].get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, (name, role, response.status_code)
    return text_of(response)


def csv_text(clients, role, name, **kwargs):
    response = clients[role].get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, (name, role, response.status_code)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) >= 2, rows  # a header and at least one line: the export is not trivially empty
    return "\n".join(";".join(row) for row in rows)


def present(text, *titles):
    return {title for title in titles if title in text}


# --- Proposals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (TEACHER, {GRENOBLE, MINE}),  # their team's proposals only
        (CARDIE, {GRENOBLE, MINE}),  # the teams they belong to
        (DAN, set()),  # not in any team: « Mes candidatures » is empty
        (STRANGER, set()),
    ],
)
def test_my_proposals_lists_the_persons_teams_only(world, clients, role, expected):
    assert present(page(clients, role, "candidatures:list"), *ALL_PROPOSALS) == expected


def test_the_inspectors_list_holds_their_academy_and_discipline_only(world, clients):
    text = page(clients, INSPECTOR, "candidatures:inspector_list")
    # Not the NSI proposal (another discipline), not Rennes (another academy), not a draft.
    assert present(text, *ALL_PROPOSALS) == {GRENOBLE}


@pytest.mark.parametrize("role", [DAN, DRAN])
def test_the_academy_export_holds_the_academys_proposals_only(world, clients, role):
    text = csv_text(clients, role, "candidatures:academy_export", year=CALL, academy_code="grenoble", fmt="csv")
    assert present(text, *ALL_PROPOSALS) == {GRENOBLE, MINE, NSI}


def test_the_pilots_export_of_an_academy_holds_that_academy_only(world, clients):
    text = csv_text(clients, PILOT, "candidatures:academy_export", year=CALL, academy_code="rennes", fmt="csv")
    assert present(text, *ALL_PROPOSALS) == {RENNES}


def test_the_academy_dashboard_counts_the_academys_proposals_only(world, clients):
    response = clients[DAN].get(reverse("candidatures:academy", args=[CALL, "grenoble"]))
    assert response.status_code == 200
    assert response.context["total"] == 3  # the draft, the NSI proposal, the selected one — not Rennes's


# --- National selection --------------------------------------------------------------------------


def test_a_reviewers_list_never_holds_a_proposal_of_their_own_academy(world, clients):
    # Both proposals are assigned to them; the Grenoble one is a conflict of interest.
    assert present(page(clients, REVIEWER, "selection:reviewer_list"), *ALL_PROPOSALS) == {RENNES}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (DAN, {GRENOBLE}),
        (DRAN, {GRENOBLE}),  # Auvergne-Rhône-Alpes: not Rennes
        (INSPECTOR, {GRENOBLE}),
        (PILOT, {GRENOBLE, RENNES}),
    ],
)
def test_the_results_hold_the_followed_academies_only(world, clients, role, expected):
    assert present(page(clients, role, "selection:results", year=CALL), GRENOBLE, RENNES) == expected


# --- Working groups, scenarios, hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (TEACHER, {GROUP_GRENOBLE}),
        (CARDIE, {GROUP_GRENOBLE}),
        (INSPECTOR, {GROUP_GRENOBLE}),
        (DAN, {GROUP_GRENOBLE}),
        (DRAN, {GROUP_GRENOBLE}),
        (REVIEWER, set()),
        (STRANGER, set()),
        (PILOT, {GROUP_GRENOBLE, GROUP_RENNES}),
    ],
)
def test_the_group_list_holds_the_groups_in_scope_only(world, clients, role, expected):
    assert present(page(clients, role, "productions:group_list"), GROUP_GRENOBLE, GROUP_RENNES) == expected


@pytest.mark.parametrize(
    ("role", "expected"), [(INSPECTOR, {GROUP_GRENOBLE}), (DAN, {GROUP_GRENOBLE}), (PILOT, {GROUP_GRENOBLE, GROUP_RENNES})],
)
def test_the_progress_page_holds_the_groups_in_scope_only(world, clients, role, expected):
    assert present(page(clients, role, "productions:progress", year=CALL), GROUP_GRENOBLE, GROUP_RENNES) == expected


def test_the_group_page_lists_the_groups_scenarios_only(world, clients):
    text = page(clients, DAN, "productions:group", pk=world.objects.group.pk)
    assert present(text, SCENARIO_DRAFT, SCENARIO_SUBMITTED, SCENARIO_PUBLISHED, SCENARIO_RENNES_DRAFT, SCENARIO_RENNES_PUBLISHED) == {
        SCENARIO_DRAFT, SCENARIO_SUBMITTED, SCENARIO_PUBLISHED,
    }


@pytest.mark.parametrize("role", [DAN, DRAN, PILOT])
def test_the_hours_export_of_an_academy_holds_its_groups_only(world, clients, role):
    text = csv_text(clients, role, "productions:hours_export", year=CALL, academy_code="grenoble", fmt="csv")
    assert "Camille" in text and GROUP_GRENOBLE in text
    assert "Rennes" not in text and "Yann" not in text and GROUP_RENNES not in text
    # Validated hours only: the colleague's hours still waiting are not paid.
    assert "collegue.grenoble" not in text.lower()


def test_the_hours_page_of_a_dan_sums_their_academy_only(world, clients):
    response = clients[DAN].get(reverse("productions:hours"))
    assert response.status_code == 200
    assert [row["academy"].code for row in response.context["academy_rows"]] == ["grenoble"]


def test_the_hours_to_decide_are_the_piloted_groups_only(world, clients):
    response = clients[INSPECTOR].get(reverse("productions:hours"))
    assert response.status_code == 200
    assert [declaration.pk for declaration in response.context["to_decide"]] == [world.objects.hours_waiting.pk]


# --- Public pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [ANON, STRANGER, PILOT])
def test_the_public_bilans_hold_the_published_version_only(world, clients, role):
    response = clients[role].get(reverse("bilans:public_list", args=[CALL]))
    assert response.status_code == 200
    assert [run.pk for run in response.context["runs"]] == [world.objects.bilan_published.pk]


def public_pages():
    """The public lists of scenarios that exist (the catalogue is being added)."""
    pages = []
    for name in ("catalogue:search", "api:sequence-list", "sitemap"):
        try:
            pages.append(reverse(name))
        except NoReverseMatch:
            continue
    return pages


@pytest.mark.parametrize("role", [ANON, PILOT])
def test_public_lists_never_hold_an_unpublished_scenario(world, clients, role):
    pages = public_pages()
    if not pages:
        pytest.skip("No public list of scenarios yet (catalogue, API, sitemap)")
    for url in pages:
        response = clients[role].get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        # The published scenarios are there (the check is not on an empty page)…
        assert world.objects.scenario_published.slug in text or SCENARIO_PUBLISHED in text, url
        # …and nothing unpublished.
        unpublished = present(text, SCENARIO_DRAFT, SCENARIO_SUBMITTED, SCENARIO_RENNES_DRAFT)
        assert not unpublished, (url, unpublished)
        slugs = [world.objects.scenario_draft.slug, world.objects.scenario_submitted.slug, world.objects.scenario_rennes.slug]
        assert not [slug for slug in slugs if slug and slug in text], url
