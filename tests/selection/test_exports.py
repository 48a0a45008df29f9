"""Exports of the national selection (selection/resources.py), as the pilot
downloads them: French headers, one row per review / ranked proposal / result,
scores as numbers (decimal comma in CSV), formulas made inert, and a number of
queries that does not grow with the rows."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selection import services
from tests.selection.conftest import justify_other_entries, make_sent, scores_of
from traam.models import PARIS, Academy

YEAR = "2026-2027"
SUBMITTED_ON = datetime.datetime(2026, 5, 2, 14, 30, tzinfo=PARIS)
CRITERIA_HEADERS = [
    "Adéquation à la thématique (coef. 2, 0 à 4)", "Qualité pédagogique (coef. 2, 0 à 4)", "Compétences numériques et CRCN (coef. 1, 0 à 4)",
    "Réutilisabilité et transfert (coef. 1, 0 à 4)", "Équipe et accompagnement académique (coef. 1, 0 à 4)",
    "Usage des communs numériques (coef. 1, 0 à 4)",
]
REVIEW_HEADERS = [
    "N° candidature", "Discipline ou enseignement", "Académie", "Candidature", "Évaluateur·rice", "Courriel de l'évaluateur·rice",
    "État de l'évaluation", "Soumise le", *CRITERIA_HEADERS, "Note /20", "Recommandation", "Commentaire",
]
RANKING_HEADERS = [
    "Discipline ou enseignement", "Rang", "N° candidature", "Candidature", "Académie", "Priorité dans la synthèse", "Moyenne /20",
    "Écart entre évaluations", "Évaluations soumises", "Évaluations assignées", "Recommandations", "Sélectionnée",
]
RESULT_HEADERS = ["N° candidature", "Discipline ou enseignement", "Académie", "Candidature", "Porteur·se", "Priorité dans la synthèse", "Résultat"]
EVIL = '=HYPERLINK("http://evil")'


def export_url(kind, fmt):
    return reverse("selection:export", args=[YEAR, kind, fmt])


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response):
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows())


@pytest.fixture
def pilot_client(client, pilot):
    client.force_login(pilot)
    return client


@pytest.fixture
def reviewed(assignment, peer_assignment, grid, reviewer_national, reviewer_lyon):
    """The Grenoble proposal: a submitted review (13.125 out of 20) and a draft begun."""
    services.submit_review(
        assignment.proposal, acting_user=reviewer_national, scores=scores_of(grid, 4, 3, 2, 1, 0, 4), recommendation="select",
        comment="Solide ; « IA » à préciser.", now=SUBMITTED_ON,
    )
    services.save_review(assignment.proposal, acting_user=reviewer_lyon, scores=scores_of(grid, 2, 2))
    return assignment.proposal


# --- Reviews -----------------------------------------------------------------------------------


def test_reviews_one_row_per_review_one_column_per_criterion(pilot_client, reviewed, sent_lyon, reviewer_national, reviewer_lyon):
    rows = csv_rows(pilot_client.get(export_url("reviews", "csv")))

    assert rows[0] == REVIEW_HEADERS
    by_reviewer = {row[5]: row for row in rows[1:]}
    assert len(rows) == 3
    assert by_reviewer[reviewer_national.email] == [
        str(reviewed.pk), "Mathématiques", "Grenoble", "Différencier avec MathALÉA", reviewer_national.get_full_name(), reviewer_national.email,
        "soumise", "02/05/2026 14:30", "4", "3", "2", "1", "0", "4", "13,13", "à sélectionner", "Solide ; « IA » à préciser.",
    ]
    # A draft: its state, what is scored so far, no score out of 20.
    assert by_reviewer[reviewer_lyon.email] == [
        str(reviewed.pk), "Mathématiques", "Grenoble", "Différencier avec MathALÉA", reviewer_lyon.get_full_name(), reviewer_lyon.email,
        "brouillon", "", "2", "2", "", "", "", "", "", "", "",
    ]


def test_reviews_in_xlsx_keep_numbers_as_numbers(pilot_client, reviewed, reviewer_national):
    rows = xlsx_rows(pilot_client.get(export_url("reviews", "xlsx")))

    assert [cell.value for cell in rows[0]] == REVIEW_HEADERS
    [submitted] = [row for row in rows[1:] if row[5].value == reviewer_national.email]
    cells = [submitted[0], submitted[8], submitted[9], submitted[14]]
    assert [(cell.value, cell.data_type) for cell in cells] == [(reviewed.pk, "n"), (4, "n"), (3, "n"), (13.13, "n")]


def test_a_call_without_grid_exports_headers_only(pilot_client):
    assert csv_rows(pilot_client.get(export_url("reviews", "csv"))) == [REVIEW_HEADERS[:8] + REVIEW_HEADERS[-3:]]


# --- Ranking -------------------------------------------------------------------------------------


def test_the_ranking_one_row_per_proposal_in_rank_order(pilot_client, reviewed, sent_lyon, pilot):
    services.select(reviewed, acting_user=pilot)

    rows = csv_rows(pilot_client.get(export_url("ranking", "csv")))

    assert rows == [
        RANKING_HEADERS,
        ["Mathématiques", "1", str(reviewed.pk), "Différencier avec MathALÉA", "Grenoble", "1", "13,13", "", "1", "2", "à sélectionner : 1", "oui"],
        ["Mathématiques", "", str(sent_lyon.pk), "Plans de travail au collège", "Lyon", "1", "", "", "0", "0", "", "non"],
    ]


def test_the_ranking_spread_and_entries_in_order(pilot_client, maths_theme, nsi_theme, lyon, grid, reviewer_national, reviewer_lyon, reviewer_nsi, pilot):
    maths = make_sent(maths_theme, Academy.objects.get(code="lille"), "Maths")
    nsi = make_sent(nsi_theme, lyon, "NSI")
    for reviewer, proposal in ((reviewer_national, maths), (reviewer_lyon, maths), (reviewer_nsi, nsi)):
        services.assign_reviewer(proposal, reviewer, acting_user=pilot)
    services.submit_review(maths, acting_user=reviewer_national, scores=scores_of(grid, *[4] * 6), recommendation="priority")
    services.submit_review(maths, acting_user=reviewer_lyon, scores=scores_of(grid, *[1] * 6), recommendation="reject", comment="Non.")
    services.submit_review(nsi, acting_user=reviewer_nsi, scores=scores_of(grid, *[3] * 6), recommendation="select")

    rows = xlsx_rows(pilot_client.get(export_url("ranking", "xlsx")))

    assert [[cell.value for cell in row] for row in rows[1:]] == [
        ["Mathématiques", 1, maths.pk, "Maths", "Lille", None, 12.5, 15, 2, 2, "à sélectionner en priorité : 1 ; à ne pas sélectionner : 1", "non"],
        ["Numérique et sciences informatiques (NSI) / Informatique", 1, nsi.pk, "NSI", "Lyon", None, 15, None, 1, 1, "à sélectionner : 1", "non"],
    ]


# --- Results ---------------------------------------------------------------------------------------


def test_results_exist_only_once_published(pilot_client, sent_grenoble, sent_lyon, call, pilot, teacher_grenoble, teacher_lyon):
    assert pilot_client.get(export_url("results", "csv")).status_code == 404
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot)

    rows = csv_rows(pilot_client.get(export_url("results", "csv")))

    assert rows == [
        RESULT_HEADERS,
        [str(sent_grenoble.pk), "Mathématiques", "Grenoble", "Différencier avec MathALÉA", teacher_grenoble.get_full_name(), "1", "sélectionnée"],
        [str(sent_lyon.pk), "Mathématiques", "Lyon", "Plans de travail au collège", teacher_lyon.get_full_name(), "1", "non sélectionnée"],
    ]
    assert [cell.value for cell in xlsx_rows(pilot_client.get(export_url("results", "xlsx")))[0]] == RESULT_HEADERS


# --- Formulas, names, access ---------------------------------------------------------------------------


@pytest.fixture
def booby_trapped(maths_theme, lyon, grid, reviewer_national, pilot):
    """A title, a criterion and a comment that a spreadsheet would run."""
    proposal = make_sent(maths_theme, lyon, EVIL)
    services.add_criterion(grid, acting_user=pilot, label="@SUM(1)", weight=1)
    services.assign_reviewer(proposal, reviewer_national, acting_user=pilot)
    services.submit_review(proposal, acting_user=reviewer_national, scores=scores_of(grid, *[3] * 7), recommendation="select", comment="-2+3")
    services.select(proposal, acting_user=pilot)
    return proposal


def test_formulas_come_out_as_text_in_csv(pilot_client, booby_trapped):
    reviews = csv_rows(pilot_client.get(export_url("reviews", "csv")))
    assert "'@SUM(1) (coef. 1, 0 à 4)" in reviews[0]
    assert (reviews[1][3], reviews[1][-1]) == ("'" + EVIL, "'-2+3")
    ranking = csv_rows(pilot_client.get(export_url("ranking", "csv")))
    assert ranking[1][3] == "'" + EVIL


def test_formulas_come_out_as_text_in_xlsx(pilot_client, booby_trapped, call, pilot):
    reviews = xlsx_rows(pilot_client.get(export_url("reviews", "xlsx")))
    assert [(cell.value, cell.data_type) for cell in (reviews[1][3], reviews[1][-1])] == [("'" + EVIL, "s"), ("'-2+3", "s")]
    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot)
    results = xlsx_rows(pilot_client.get(export_url("results", "xlsx")))
    assert (results[1][3].value, results[1][3].data_type) == ("'" + EVIL, "s")


def test_the_files_are_named_and_never_cached(pilot_client, reviewed):
    response = pilot_client.get(export_url("ranking", "xlsx"))
    assert response["Content-Disposition"].startswith('attachment; filename="selection-classement-2026-2027-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response["Cache-Control"] == "no-store"


def test_unknown_kinds_and_formats_are_missing_pages(pilot_client, reviewed):
    for kind, fmt in (("scores", "csv"), ("reviews", "pdf"), ("ranking", "json")):
        assert pilot_client.get(export_url(kind, fmt)).status_code == 404, (kind, fmt)
    assert pilot_client.get(reverse("selection:export", args=["1999-2000", "reviews", "csv"])).status_code == 404


@pytest.mark.parametrize("who", ["reviewer_national", "dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "stranger"])
def test_only_the_pilot_exports(client, request, reviewed, who):
    client.force_login(request.getfixturevalue(who))
    for kind in ("reviews", "ranking", "results"):
        assert client.get(export_url(kind, "csv")).status_code == 403


# --- Bounded queries --------------------------------------------------------------------------------------


def many_reviews(count, theme, grid, reviewers, pilot):
    academies = list(Academy.objects.exclude(code__in=["grenoble", "lyon"]).order_by("code"))
    proposals = [make_sent(theme, academies[n % len(academies)], f"Projet {n}") for n in range(count)]
    for reviewer in reviewers:
        services.assign_entry(theme.entry, reviewer, acting_user=pilot)
    for proposal in proposals:
        for reviewer in reviewers:
            services.submit_review(proposal, acting_user=reviewer, scores=scores_of(grid, 3, 2, 3, 2, 3, 2), recommendation="select")
    return proposals


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_rows(pilot_client, fmt, maths_theme, call, grid, reviewer_national, reviewer_lyon, pilot):
    reviewers = [reviewer_national, reviewer_lyon]
    many_reviews(1, maths_theme, grid, reviewers, pilot)
    few = [queries(pilot_client, export_url(kind, fmt)) for kind in ("reviews", "ranking")]
    # 60 proposals, 120 reviews: more than import-export's page of 100 rows.
    proposals = many_reviews(60, maths_theme, grid, reviewers, pilot)
    many = [queries(pilot_client, export_url(kind, fmt)) for kind in ("reviews", "ranking")]
    assert many == few
    assert max(few) <= 10
    assert len(csv_rows(pilot_client.get(export_url("reviews", "csv")))) == 1 + 2 * 61

    for proposal in proposals[:5]:
        services.select(proposal, acting_user=pilot)
    justify_other_entries(call, pilot, "mathematiques")
    services.publish_results(call, acting_user=pilot)
    assert queries(pilot_client, export_url("results", fmt)) <= 10
