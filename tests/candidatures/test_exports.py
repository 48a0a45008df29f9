"""Export of an academy's proposals (candidatures/resources.py), as the DAN
downloads it: French headers, one row per proposal, formulas made inert, and a
number of queries that does not grow with the proposals."""

import csv
import datetime
import io

import openpyxl
import pytest

from candidatures import services
from candidatures.enums import ProposalState, TeamRole
from candidatures.models import Proposal, TeamMember
from candidatures.resources import ProposalExportResource, proposals_for_export
from tests.candidatures.conftest import IN_WINDOW
from traam.exports import export_response
from traam.models import PARIS, ClassLevel

HEADERS = [
    "N°", "Appel", "Académie", "Discipline ou enseignement", "Thématique", "Titre", "État", "Porteur·se", "Courriel du porteur",
    "Équipe", "Enseignant·e référent·e", "Niveaux de classe", "Usage de l'IA", "Avis académique",
    "Commentaire de l'avis", "Priorité dans la synthèse", "Déposée le", "Décision le",
]
COL = {name: index for index, name in enumerate(HEADERS)}
MATHS_THEME = "Différencier en mathématiques : des approches adaptées aux besoins de chaque élève"


def export(queryset, fmt):
    return export_response(ProposalExportResource(), proposals_for_export(queryset), fmt, "candidatures-grenoble")


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows())


def by_number(rows):
    return {row[0]: row for row in rows[1:]}


@pytest.fixture
def in_synthesis(retained, call, grenoble, dan_grenoble):
    services.compose_synthesis(call, grenoble, acting_user=dan_grenoble, cover_note="", items=[(retained, 1, "")], now=IN_WINDOW)
    # decide() stamps the real time: pin it to read the row exactly.
    Proposal.objects.filter(pk=retained.pk).update(decided_at=datetime.datetime(2026, 3, 2, 17, 45, tzinfo=PARIS))
    return retained


@pytest.fixture
def booby_trapped(maths_theme, grenoble, teacher_grenoble):
    return [
        Proposal.objects.create(theme=maths_theme, academy=grenoble, lead=teacher_grenoble, title=title, state=ProposalState.SUBMITTED)
        for title in ['=HYPERLINK("http://evil")', "@SUM(1)", "-2+3"]
    ]


def test_the_headers_are_in_french(in_synthesis):
    response = export(Proposal.objects.all(), "csv")

    assert csv_rows(response)[0] == HEADERS
    assert [cell.value for cell in xlsx_rows(export(Proposal.objects.all(), "xlsx"))[0]] == HEADERS


def test_a_proposal_in_the_synthesis_gives_its_whole_row(in_synthesis, teacher_grenoble):
    rows = csv_rows(export(Proposal.objects.all(), "csv"))

    assert rows[1:] == [[
        str(in_synthesis.pk), "2026-2027", "Grenoble", "Mathématiques", MATHS_THEME, "Différencier avec MathALÉA",
        "retenue par l'académie", teacher_grenoble.get_full_name(), "prof.grenoble@example.test", "5", "Inès Morel",
        "Collège, Lycée général et technologique", "aucun", "favorable", "", "1", "02/02/2026 10:00", "02/03/2026 17:45",
    ]]


def test_the_xlsx_keeps_numbers_as_numbers(in_synthesis):
    row = xlsx_rows(export(Proposal.objects.all(), "xlsx"))[1]

    assert [(cell.value, cell.data_type) for cell in (row[0], row[COL["Équipe"]], row[COL["Priorité dans la synthèse"]])] == [(in_synthesis.pk, "n"), (5, "n"), (1, "n")]


def test_a_draft_has_empty_cells_for_what_did_not_happen(draft, teacher_grenoble):
    rows = csv_rows(export(Proposal.objects.all(), "csv"))

    assert rows[1:] == [[
        str(draft.pk), "2026-2027", "Grenoble", "Mathématiques", MATHS_THEME, "", "brouillon", teacher_grenoble.get_full_name(),
        "prof.grenoble@example.test", "1", "", "", "", "", "", "", "", "",
    ]]


def test_a_reserved_opinion_comes_with_its_comment(submitted, inspector_maths_grenoble):
    services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion="reserved", comment="Équipe à étoffer ; « IA » à préciser")

    row = csv_rows(export(Proposal.objects.all(), "csv"))[1]

    assert (row[COL["État"]], row[COL["Avis académique"]], row[COL["Commentaire de l'avis"]], row[COL["Priorité dans la synthèse"]], row[COL["Décision le"]]) == ("déposée", "réservé", "Équipe à étoffer ; « IA » à préciser", "", "")


def test_one_row_per_proposal_of_the_queryset(in_synthesis, booby_trapped, teacher_lyon, nsi_theme, lyon):
    Proposal.objects.create(theme=nsi_theme, academy=lyon, lead=teacher_lyon, title="Ailleurs")

    rows = csv_rows(export(Proposal.objects.filter(academy__code="grenoble"), "csv"))

    assert sorted(int(row[0]) for row in rows[1:]) == sorted([in_synthesis.pk, *(p.pk for p in booby_trapped)])


def test_formulas_in_titles_come_out_as_text_in_csv(booby_trapped):
    rows = by_number(csv_rows(export(Proposal.objects.all(), "csv")))

    assert [rows[str(p.pk)][COL["Titre"]] for p in booby_trapped] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(1)", "'-2+3"]


def test_formulas_in_titles_come_out_as_text_in_xlsx(booby_trapped):
    rows = {row[0].value: row for row in xlsx_rows(export(Proposal.objects.all(), "xlsx"))[1:]}

    titles = [rows[p.pk][COL["Titre"]] for p in booby_trapped]
    assert [cell.value for cell in titles] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(1)", "'-2+3"]
    assert {cell.data_type for cell in titles} == {"s"}


def test_formulas_typed_by_the_team_in_other_fields_are_escaped_too(submitted, inspector_maths_grenoble):
    services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion="unfavourable", comment="=1+1")
    TeamMember.objects.filter(proposal=submitted, role=TeamRole.REFERENT).update(first_name="+Inès")

    row = csv_rows(export(Proposal.objects.all(), "csv"))[1]

    assert (row[COL["Enseignant·e référent·e"]], row[COL["Commentaire de l'avis"]]) == ("'+Inès Morel", "'=1+1")


def many_proposals(count, theme, academy, lead):
    proposals = Proposal.objects.bulk_create(
        Proposal(theme=theme, academy=academy, lead=lead, title=f"Projet {n}", state=ProposalState.SUBMITTED) for n in range(count)
    )
    TeamMember.objects.bulk_create(
        TeamMember(proposal=p, first_name="Inès", last_name=f"Morel{n}", email=f"{role}{n}@ac-grenoble.fr", role=role)
        for n, p in enumerate(proposals) for role in (TeamRole.TEACHER, TeamRole.REFERENT)
    )
    levels = list(ClassLevel.objects.all()[:2])
    Proposal.class_levels.through.objects.bulk_create(
        Proposal.class_levels.through(proposal=p, classlevel=level) for p in proposals for level in levels
    )


@pytest.mark.parametrize("count", [1, 150])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_proposals(
    count, fmt, maths_theme, grenoble, teacher_grenoble, in_synthesis, django_assert_max_num_queries,
):
    # 150: more than import-export's page of 100 rows.
    many_proposals(count, maths_theme, grenoble, teacher_grenoble)

    with django_assert_max_num_queries(3):
        response = export(Proposal.objects.filter(academy=grenoble), fmt)

    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert len(rows) == 1 + count + 1
