"""CSV and XLSX downloads for every stage of the portal (proposals, reviews,
hours, scenarios): one base resource and one response helper.

Spreadsheet formulas (*injection de formules*, OWASP "CSV injection"): a cell
whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be evaluated by Excel or LibreOffice when the file is opened. Such text
is exported with a single quote in front (``=1+1`` → ``'=1+1``): the spreadsheet
shows it as text, and nothing is deleted, so the original value can still be
read. Numbers, dates and empty cells are left as they are; export numbers as
numbers, not as text, or ``-3`` comes out as ``'-3``.

The prefix is added twice, and the second time is a no-op on what the first
did: by ``ExportResource`` (for every resource of the portal, also when the
admin exports with it), then by the formats of ``export_response`` (whatever
resource is passed). Those formats replace import-export's own pass
(``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``), which only deletes a leading
``=`` (changing the data and leaving ``+``, ``-``, ``@`` live) and turns every
cell, numbers included, into text.
"""

import re

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from import_export import resources
from import_export.formats import base_formats

from .models import PARIS

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Characters that cannot be stored in an XLSX file (openpyxl's
# ILLEGAL_CHARACTERS_RE): control characters, often pasted from a word processor.
XLSX_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

CSV_DELIMITER = ";"


def neutralize_formula(value):
    """The cell's value, with a single quote in front if it is text that a
    spreadsheet would take for a formula. Lazy translations become text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def paris_datetime(value) -> str:
    """A moment as French readers expect it in a spreadsheet: ``31/03/2026 23:59``,
    Paris time whatever the request's time zone; empty when there is none."""
    if value is None:
        return ""
    return timezone.localtime(value, PARIS).strftime("%d/%m/%Y %H:%M")


class ExportResource(resources.ModelResource):
    """Base of every export resource of the portal: cells that a spreadsheet
    would evaluate come out as text (see the module docstring)."""

    def export_field(self, field, instance, **kwargs):
        return neutralize_formula(super().export_field(field, instance, **kwargs))

    def iter_queryset(self, queryset):
        # import-export pages a queryset that has prefetches (100 rows a page)
        # and so runs them again on every page: the number of queries would
        # grow with the rows. An export covers an academy or an entry: read it
        # at once.
        if isinstance(queryset, QuerySet) and queryset._prefetch_related_lookups:
            yield from queryset
        else:
            yield from super().iter_queryset(queryset)


class _PortalFormat:
    """Neutralizes every cell before writing (see the module docstring)."""

    def clean_cell(self, value):
        return neutralize_formula(value)

    def export_data(self, dataset, **kwargs):
        for index in range(dataset.height):
            dataset[index] = [self.clean_cell(value) for value in dataset[index]]
        return super().export_data(dataset, **kwargs)

    def _escape_formulae(self, dataset):
        """Replaced by ``export_data`` above, which loses nothing."""


class _CSV(_PortalFormat, base_formats.CSV):
    pass


class _XLSX(_PortalFormat, base_formats.XLSX):
    def clean_cell(self, value):
        value = super().clean_cell(value)
        if isinstance(value, str):
            # openpyxl refuses them, and import-export would then fail the whole export.
            value = XLSX_ILLEGAL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", value)
        return value


EXPORT_FORMATS = {"csv": _CSV, "xlsx": _XLSX}


def export_filename(filename_stem: str, extension: str, now=None) -> str:
    """``<stem>-<YYYY-MM-DD>.<extension>``, today in Paris, ASCII only
    (``Candidatures Île-de-France`` → ``candidatures-ile-de-france-…``)."""
    today = timezone.localtime(now or timezone.now(), PARIS).date()
    stem = slugify(filename_stem) or "export"
    return f"{stem}-{today:%Y-%m-%d}.{extension}"


def export_response(resource, queryset, fmt, filename_stem) -> HttpResponse:
    """The rows of ``resource`` for ``queryset`` as a download, ``fmt`` being
    ``"csv"`` or ``"xlsx"`` (any other value: ``Http404``, so that a view may pass
    the format from the address as it is, and an unknown one is a missing page).

    CSV is written for Excel in French, the spreadsheet most of our users
    open it with: UTF-8 with a byte order mark (without it Excel reads the file
    as Windows-1252 and garbles the accents) and ``;`` between cells (a French
    Windows uses the comma as decimal separator and ``;`` as list separator,
    so a comma-separated file opens as one column). LibreOffice asks for both
    at opening and reads them as well.

    The response is never cached (``Cache-Control: no-store``): exports hold
    personal data."""
    try:
        export_format = EXPORT_FORMATS[fmt]()
    except (KeyError, TypeError):
        raise Http404(f"Unknown export format: {fmt!r}") from None
    dataset = resource.export(queryset)
    if fmt == "csv":
        content = "\N{BYTE ORDER MARK}" + export_format.export_data(dataset, delimiter=CSV_DELIMITER)
        response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(export_format.export_data(dataset), content_type=export_format.get_content_type())
    filename = export_filename(filename_stem, export_format.get_extension())
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
