"""CSV/XLSX downloads (traam/exports.py): formulas come out as text, French
Excel opens the CSV with its accents, and the file is named and never cached."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from traam.exports import ExportResource, export_filename, export_response, neutralize_formula, paris_datetime
from traam.models import PARIS, Discipline

NAMES = ["=1+1", "+33 4 76 00 00 00", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1", "Éducation à l'écologie « œuvres »"]


class DisciplineExport(ExportResource):
    number = Field(column_name=_("N°"))
    name = Field(attribute="name", column_name=_("Intitulé"))

    class Meta:
        model = Discipline
        fields = ("number", "name")
        export_order = fields

    def dehydrate_number(self, discipline):
        return discipline.order_in_test


class PlainDisciplineExport(resources.ModelResource):
    """Does not inherit ExportResource: the formats of export_response still escape."""

    class Meta:
        model = Discipline
        fields = ("name",)


@pytest.fixture
def disciplines(db):
    for index, name in enumerate(NAMES):
        Discipline.objects.create(code=f"test-{index}", name=name)
    return Discipline.objects.filter(code__startswith="test-").order_by("code")


def numbered(queryset):
    # Negative numbers must stay numbers: only text is prefixed.
    rows = list(queryset)
    for index, discipline in enumerate(rows):
        discipline.order_in_test = -index
    return rows


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


ESCAPED = ["'=1+1", "'+33 4 76 00 00 00", "'-2+3", "'@SUM(1)", "'\t=1+1", "'\r=1+1", "Éducation à l'écologie « œuvres »"]
# openpyxl writes through lxml (a dependency of the portal), which keeps a carriage
# return as « &#13; »: the XLSX holds exactly what the CSV holds.
ESCAPED_XLSX = ESCAPED


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"),
    ('=HYPERLINK("http://evil")', "'=HYPERLINK(\"http://evil\")"),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("'=1+1", "'=1+1"),
    ("Titre = 1 + 1", "Titre = 1 + 1"),
    ("", ""),
    (-3, -3),
    (None, None),
    (_("État"), "État"),
])
def test_text_that_a_spreadsheet_would_evaluate_gets_a_quote_in_front(value, expected):
    assert neutralize_formula(value) == expected


def test_the_csv_is_utf8_with_a_bom_and_semicolons_for_french_excel(disciplines):
    response = export_response(DisciplineExport(), numbered(disciplines), "csv", "disciplines")

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").splitlines()[0] == "N°;Intitulé"
    assert csv_rows(response) == [["N°", "Intitulé"], *([str(-index), name] for index, name in enumerate(ESCAPED))]


def test_the_xlsx_holds_formulas_as_text_and_numbers_as_numbers(disciplines):
    response = export_response(DisciplineExport(), numbered(disciplines), "xlsx", "disciplines")

    sheet = xlsx_sheet(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert [cell.value for cell in sheet[1]] == ["N°", "Intitulé"]
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in names] == ESCAPED_XLSX
    assert {cell.data_type for cell in names} == {"s"}
    numbers = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in numbers] == [0, -1, -2, -3, -4, -5, -6]
    assert {cell.data_type for cell in numbers} == {"n"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_resource_that_does_not_escape_is_escaped_by_the_formats(disciplines, fmt):
    response = export_response(PlainDisciplineExport(), disciplines, fmt, "disciplines")

    if fmt == "csv":
        assert [row[0] for row in csv_rows(response)[1:]] == ESCAPED
    else:
        assert [row[0].value for row in xlsx_sheet(response).iter_rows(min_row=2)] == ESCAPED_XLSX


def test_the_xlsx_replaces_the_control_characters_it_cannot_hold(db):
    Discipline.objects.create(code="test-control", name="Collé\x0bdepuis\x1fWord")

    response = export_response(PlainDisciplineExport(), Discipline.objects.filter(code="test-control"), "xlsx", "disciplines")

    assert xlsx_sheet(response)["A2"].value == "Collé\N{REPLACEMENT CHARACTER}depuis\N{REPLACEMENT CHARACTER}Word"


@pytest.mark.parametrize(("fmt", "extension"), [("csv", "csv"), ("xlsx", "xlsx")])
def test_the_download_is_an_attachment_named_after_today_in_paris_and_never_cached(disciplines, fmt, extension):
    response = export_response(DisciplineExport(), numbered(disciplines), fmt, "candidatures-grenoble")

    today = datetime.datetime.now(PARIS).date()
    assert response["Content-Disposition"] == f'attachment; filename="candidatures-grenoble-{today:%Y-%m-%d}.{extension}"'
    assert response["Cache-Control"] == "no-store"


def test_the_file_name_is_ascii_and_dated_in_paris():
    # 22:30 UTC on 31 March is already 1 April in Paris (summer time).
    late = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC)

    assert export_filename("Candidatures Île-de-France", "csv", now=late) == "candidatures-ile-de-france-2026-04-01.csv"
    assert export_filename('"; rm -rf /', "xlsx", now=late) == "rm-rf-2026-04-01.xlsx"
    assert export_filename("", "csv", now=late) == "export-2026-04-01.csv"


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "", None])
def test_an_unknown_format_is_a_missing_page(disciplines, fmt):
    with pytest.raises(Http404):
        export_response(DisciplineExport(), disciplines, fmt, "disciplines")


def test_moments_are_written_in_paris_time():
    assert paris_datetime(datetime.datetime(2026, 3, 31, 21, 59, tzinfo=datetime.UTC)) == "31/03/2026 23:59"
    assert paris_datetime(datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)) == "05/01/2026 09:00"
    assert paris_datetime(None) == ""
