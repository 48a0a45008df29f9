"""Imports from a spreadsheet (CSV or XLSX), all or nothing.

The national pilot imports academies, disciplines, the entries and themes of
a call, and people with their roles; a DAN/DRAN imports the teachers of their
academy. Every import goes the same way:

1. ``read_table`` reads the file: at most ``MAX_FILE_SIZE`` bytes and
   ``MAX_ROWS`` lines (refused before reading further), CSV in UTF-8 (with or
   without a byte order mark, ``;`` or ``,`` between cells, detected) or XLSX,
   recognised from the content and not from the name (a ``.xlsx`` that is not
   a workbook, a ``.csv`` that is not text: refused). The header is matched to
   the kind's columns (unknown and missing columns listed), and a cell that a
   spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, tab, carriage
   return) is refused as a formula, except a negative number in a numeric
   column.
2. ``preview`` runs the kind's import-export resource in a dry run
   (``import_data(dry_run=True)``, rolled back): each line is new, updated or
   unchanged, or carries its errors.
3. ``confirm`` reads the kept file again, validates it again, and only when
   no line is wrong imports it for real inside one transaction, with one audit
   entry for the import (the counts) besides the role grants' own entries.

Errors name the line as the person sees it in their spreadsheet (the header
is line 1) and the column, in French."""

import csv
import io
import logging
import re
import uuid
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from import_export.results import RowResult
from tablib import Dataset

from . import audit
from .enums import AuditAction, Role
from .exports import FORMULA_TRIGGERS
from .import_resources import AcademyImport, DisciplineImport, EntryThemeImport, PeopleImport, TeacherImport, fold
from .rules import can_grant, is_pilot

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is a ZIP: refuse one whose content would expand past this (a "ZIP bomb").
MAX_XLSX_EXPANDED_SIZE = 50 * 1024 * 1024
NEGATIVE_NUMBER = re.compile(r"^-\d+([.,]\d+)?$")
PENDING_FOLDER = "imports"

STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("Création"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Mise à jour"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Inchangée"),
}


@dataclass(frozen=True)
class Column:
    """A column of an import file. ``name`` is the header written in the
    template; ``aliases`` are other headers accepted for it."""

    name: str
    example: str = ""
    required: bool = True
    numeric: bool = False
    help: str = ""
    aliases: tuple = ()


@dataclass(frozen=True)
class LineError:
    """An error of the file: ``line`` as numbered by the spreadsheet (header = 1),
    None for the whole file; ``column`` empty for the whole line."""

    line: int | None
    column: str
    message: str

    def __str__(self):
        where = []
        if self.line:
            where.append(_("Ligne %(line)s") % {"line": self.line})
        if self.column:
            where.append(_("colonne « %(column)s »") % {"column": self.column})
        return f"{', '.join(where)} : {self.message}" if where else self.message


class ImportRefused(Exception):
    """The file cannot be read at all (size, type, header, number of lines)."""

    def __init__(self, *messages):
        self.errors = [message if isinstance(message, LineError) else LineError(None, "", str(message)) for message in messages]
        super().__init__("; ".join(str(error) for error in self.errors))


@dataclass
class Table:
    """The file's lines as text, by column (the columns' template names)."""

    headers: list
    rows: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass(frozen=True)
class ImportKind:
    slug: str
    label: str
    description: str
    resource_class: type
    columns: tuple
    for_pilot: bool = True

    def allowed(self, user, options) -> bool:
        if self.for_pilot:
            return is_pilot(user)
        return options.get("academy") is not None and can_grant(user, Role.TEACHER, options["academy"])

    def audit_subject(self, user, options):
        """What the import's audit entry is attached to."""
        return options.get("call") or options.get("academy") or user

    @property
    def headers(self):
        return [column.name for column in self.columns]

    @property
    def example(self):
        return [column.example for column in self.columns]


KINDS = {
    kind.slug: kind
    for kind in (
        ImportKind(
            "academies", gettext_lazy("Académies"),
            gettext_lazy("Une ligne par académie : son code, son nom et le code de sa région académique."),
            AcademyImport,
            (Column("code", "grenoble", help=gettext_lazy("lettres minuscules, chiffres et tirets")), Column("nom", "Grenoble"),
             Column("région", "auvergne-rhone-alpes", help=gettext_lazy("code de la région académique"), aliases=("region académique", "région académique"))),
        ),
        ImportKind(
            "disciplines", gettext_lazy("Disciplines"),
            gettext_lazy("Une ligne par discipline ou enseignement : son code et son nom."),
            DisciplineImport,
            (Column("code", "mathematiques", help=gettext_lazy("lettres minuscules, chiffres et tirets")), Column("nom", "Mathématiques")),
        ),
        ImportKind(
            "entries", gettext_lazy("Entrées et thématiques d'un appel"),
            gettext_lazy("Une ligne par thématique de l'appel choisi, avec son entrée (discipline ou enseignement) ; "
                         "les lignes d'une même entrée la décrivent de la même façon."),
            EntryThemeImport,
            (
                Column("entrée", "mathematiques", help=gettext_lazy("code de l'entrée dans l'appel"), aliases=("code entrée", "entree")),
                Column("intitulé de l'entrée", "Mathématiques"),
                Column("discipline", "mathematiques", help=gettext_lazy("code de la discipline")),
                Column("places", "5", required=False, numeric=True, help=gettext_lazy("projets retenus, 5 si vide")),
                Column("ordre", "1", numeric=True, help=gettext_lazy("numéro de la thématique dans l'entrée")),
                Column("intitulé court", "Enseigner les mathématiques avec l'IA"),
                Column("intitulé complet", "Enseigner et apprendre les mathématiques avec l'intelligence artificielle", required=False),
                Column("mots clés", "IA|automatismes|différenciation", required=False, help=gettext_lazy("séparés par |"), aliases=("mots-clés",)),
                Column("description", "Texte de la thématique. Une ligne vide sépare deux paragraphes.", help=gettext_lazy("texte simple")),
            ),
        ),
        ImportKind(
            "people", gettext_lazy("Personnes et rôles"),
            gettext_lazy("Une ligne par rôle d'une personne : le compte est créé s'il n'existe pas (sans mot de passe : "
                         "la personne reçoit un courriel pour le choisir) et le rôle attribué."),
            PeopleImport,
            (
                Column("e-mail", "prenom.nom@ac-grenoble.fr", aliases=("email", "courriel", "adresse électronique")),
                Column("prénom", "Camille", required=False),
                Column("nom", "Martin", required=False),
                Column("rôle", "inspecteur", help=gettext_lazy("code ou intitulé : enseignant, cardie, inspecteur, dan, dran, evaluateur, pilote")),
                Column("académie", "grenoble", required=False, help=gettext_lazy("code, sauf pour une DRAN et un pilote")),
                Column("région", "", required=False, help=gettext_lazy("code, pour une DRAN seulement"), aliases=("région académique",)),
                Column("disciplines", "mathematiques", required=False, help=gettext_lazy("codes séparés par |, pour un inspecteur ou un évaluateur")),
            ),
        ),
        ImportKind(
            "teachers", gettext_lazy("Enseignant·es de l'académie"),
            gettext_lazy("Une ligne par enseignant·e : le compte est créé s'il n'existe pas (sans mot de passe : la personne "
                         "reçoit un courriel pour le choisir) et le rôle d'enseignant·e attribué dans l'académie."),
            TeacherImport,
            (
                Column("e-mail", "prenom.nom@ac-grenoble.fr", aliases=("email", "courriel", "adresse électronique")),
                Column("prénom", "Camille", required=False),
                Column("nom", "Martin", required=False),
                Column("uai", "0380023U", required=False, help=gettext_lazy("code de l'établissement, facultatif : vérifié, non conservé"), aliases=("code uai",)),
                Column("rôle", "", required=False, help=gettext_lazy("vide ou « enseignant »")),
                Column("académie", "", required=False, help=gettext_lazy("vide ou le code de l'académie choisie")),
            ),
            for_pilot=False,
        ),
    )
}
PILOT_KINDS = [kind for kind in KINDS.values() if kind.for_pilot]


# --- Reading the file ------------------------------------------------------------------------------------------


def _size_label(size):
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_size(size):
    if size is None or size > MAX_FILE_SIZE:
        raise ImportRefused(_("Le fichier pèse %(size)s Mo : la limite est de %(limit)s Mo. Découpez-le en plusieurs fichiers.") % {
            "size": _size_label(size or 0), "limit": MAX_FILE_SIZE // (1024 * 1024),
        })


def _too_many_rows():
    return ImportRefused(
        _("Le fichier compte plus de %(limit)s lignes : importez-le en plusieurs fichiers de %(limit)s lignes au plus.") % {
            "limit": f"{MAX_ROWS:,}".replace(",", "\N{NO-BREAK SPACE}"),
        }
    )


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = {entry.filename for entry in archive.infolist()}
            return "[Content_Types].xml" in names and "xl/workbook.xml" in names
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return False


def _csv_records(content: bytes):
    if content.startswith(b"PK\x03\x04") or b"\x00" in content:
        raise ImportRefused(_("Ce fichier n'est pas un fichier CSV : son contenu n'est pas du texte."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("Ce fichier CSV n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur.")) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ImportRefused(_("Le fichier CSV est mal formé vers la ligne %(line)s : vérifiez les guillemets.") % {"line": reader.line_num}) from error


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_records(content: bytes):
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(entry.file_size for entry in archive.infolist()) > MAX_XLSX_EXPANDED_SIZE:
            raise ImportRefused(_("Ce classeur XLSX est anormalement volumineux une fois décompressé : il est refusé."))
    try:
        # data_only=False: a formula comes as its text (« =SUM(A1:A3) ») and is refused below.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(_("Ce classeur XLSX n'a pas pu être lu : il est peut-être endommagé.")) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(_("Ce classeur XLSX n'a pas pu être lu : il est peut-être endommagé.")) from error
    finally:
        workbook.close()


def _records(content: bytes, filename: str):
    """The file's records, by the format its content shows; its extension must agree."""
    if not content:
        raise ImportRefused(_("Le fichier est vide."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        if not _is_xlsx(content):
            raise ImportRefused(_("Le fichier « %(name)s » porte l'extension .xlsx mais son contenu n'est pas un classeur XLSX.") % {"name": filename})
        return _xlsx_records(content)
    if extension in ("csv", "txt"):
        return _csv_records(content)
    raise ImportRefused(_("Seuls les fichiers CSV (.csv) et XLSX (.xlsx) sont acceptés."))


def _formula_error(value, column, line):
    first = value[0]
    shown = {"\t": _("une tabulation"), "\r": _("un retour chariot")}.get(first, f"« {first} »")
    return LineError(line, column.name, _(
        "la cellule commence par %(first)s : les formules de tableur ne sont pas acceptées. Saisissez la valeur elle-même, sans ce signe au début."
    ) % {"first": shown})


def _match_headers(record, kind, line):
    """The column of each cell of the header (None for an empty trailing one)."""
    known = {}
    for column in kind.columns:
        for name in (column.name, *column.aliases):
            known[fold(name)] = column
    matched, errors, seen = [], [], set()
    for cell in record:
        name = str(cell or "").strip()
        if not name:
            matched.append(None)
            continue
        column = known.get(fold(name))
        if column is None:
            errors.append(LineError(line, name, _("colonne inconnue. Colonnes attendues : %(columns)s.") % {"columns": ", ".join(kind.headers)}))
        elif column.name in seen:
            errors.append(LineError(line, name, _("cette colonne figure deux fois.")))
        else:
            seen.add(column.name)
        matched.append(column)
    missing = [column.name for column in kind.columns if column.required and column.name not in seen]
    if missing:
        errors.append(LineError(line, "", ngettext(
            "colonne obligatoire manquante : %(columns)s.", "colonnes obligatoires manquantes : %(columns)s.", len(missing),
        ) % {"columns": ", ".join(f"« {name} »" for name in missing)}))
    if errors:
        raise ImportRefused(*errors)
    return matched


def read_table(content: bytes, filename: str, kind: ImportKind) -> Table:
    """The lines of the file as text by column, with the errors that need no
    database (formulas, a line with more cells than the header); raises
    ImportRefused when the file cannot be imported at all."""
    check_size(len(content))
    table, data_lines = None, 0
    for index, record in enumerate(_records(content, filename)):
        line = index + 1
        if not any(str(cell).strip() for cell in record):
            continue
        if table is None:
            columns = _match_headers(record, kind, line)
            table = Table(headers=[column.name for column in columns if column is not None])
            continue
        data_lines += 1
        if data_lines > MAX_ROWS:
            raise _too_many_rows()
        values, formula = {}, False
        for position, value in enumerate(record):
            column = columns[position] if position < len(columns) else None
            if column is None:
                if str(value).strip():
                    table.errors.append(LineError(line, "", _("cette ligne a une cellule remplie sous une colonne sans en-tête.")))
                    formula = True
                continue
            if value.startswith(FORMULA_TRIGGERS) and not (column.numeric and NEGATIVE_NUMBER.match(value.strip())):
                table.errors.append(_formula_error(value, column, line))
                formula = True
            values[column.name] = value
        if formula:
            continue  # reported: the rest of the file is still checked
        table.rows.append([values.get(name, "") for name in table.headers])
        table.lines.append(line)
    if table is None:
        raise ImportRefused(_("Le fichier ne contient aucune ligne : la première ligne doit porter les noms des colonnes."))
    if not table.rows and not table.errors:
        raise ImportRefused(_("Le fichier ne contient que l'en-tête : ajoutez une ligne par élément à importer."))
    return table


# --- Checking and importing -----------------------------------------------------------------------------------------


@dataclass
class LinePreview:
    line: int
    status: str
    summary: str

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, "")


@dataclass
class ImportReport:
    """What an import will do (preview) or did (``done``)."""

    kind: ImportKind
    filename: str
    errors: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    done: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict:
        counts = {"new": 0, "update": 0, "skip": 0}
        for line in self.lines:
            counts[line.status] = counts.get(line.status, 0) + 1
        return counts

    def summary(self) -> str:
        """« 2 créations, 1 ligne inchangée »: the counts that are not zero."""
        counts = self.counts
        parts = [
            ngettext("%(count)s création", "%(count)s créations", counts["new"]) % {"count": counts["new"]} if counts["new"] else "",
            ngettext("%(count)s mise à jour", "%(count)s mises à jour", counts["update"]) % {"count": counts["update"]} if counts["update"] else "",
            ngettext("%(count)s ligne inchangée", "%(count)s lignes inchangées", counts["skip"]) % {"count": counts["skip"]} if counts["skip"] else "",
        ]
        return ", ".join(part for part in parts if part) or _("aucune ligne")


def _resource(kind, acting_user, options):
    return kind.resource_class(acting_user=acting_user, options=options)


def _dataset(table):
    dataset = Dataset(headers=list(table.headers))
    for row in table.rows:
        dataset.append(row)
    return dataset


def _file_errors(resource, table):
    """Lines found twice (on the resource's key columns) and the resource's own checks."""
    rows = [dict(zip(table.headers, row)) for row in table.rows]
    errors, seen = [], {}
    key_columns = [column for column in resource.unique_columns if column in table.headers]
    if key_columns:
        for index, row in enumerate(rows):
            key = tuple(resource.key_value(column, row.get(column)) for column in key_columns)
            if not any(key):
                continue
            if key in seen:
                errors.append(LineError(table.lines[index], key_columns[0], _("cette ligne reprend la ligne %(line)s (même %(columns)s).") % {
                    "line": seen[key], "columns": ", ".join(f"« {column} »" for column in key_columns),
                }))
            else:
                seen[key] = table.lines[index]
    for index, column, message in resource.check_table(rows):
        errors.append(LineError(table.lines[index], column, message))
    return errors


def _messages(error):
    if hasattr(error, "error_dict"):
        return error.message_dict.items()
    return [(NON_FIELD_ERRORS, error.messages)]


def _result_errors(resource, result, table):
    errors = []
    for error in result.base_errors:
        logger.error("Import failed before its lines", exc_info=error.error)
        errors.append(LineError(None, "", _("L'import a échoué sur une erreur inattendue : rien n'a été enregistré.")))
    for invalid in result.invalid_rows:
        line = table.lines[invalid.number - 1]
        for attribute, messages in _messages(invalid.error):
            column = "" if attribute == NON_FIELD_ERRORS else resource.column_for(attribute)
            for message in messages:
                errors.append(LineError(line, column, message))
    for number, row_errors in result.row_errors():
        for error in row_errors:
            logger.error("Import failed on a line", exc_info=error.error)
        errors.append(LineError(table.lines[number - 1], "", _("cette ligne n'a pas pu être enregistrée (erreur inattendue).")))
    return errors


def _lines(resource, result, table):
    rows = [dict(zip(table.headers, row)) for row in table.rows]
    previews = []
    for index, row_result in enumerate(result.rows):
        if row_result.import_type in STATUS_LABELS and index < len(rows):
            previews.append(LinePreview(table.lines[index], row_result.import_type, resource.summary(rows[index])))
    return previews


def _sorted(errors):
    return sorted(errors, key=lambda error: (error.line or 0))


def _check(kind, content, filename, acting_user, options):
    """The report of a dry run, and the table when the file could be read."""
    if not kind.allowed(acting_user, options):
        raise PermissionDenied
    report = ImportReport(kind=kind, filename=filename)
    try:
        table = read_table(content, filename, kind)
    except ImportRefused as refused:
        report.errors = refused.errors
        return report, None
    resource = _resource(kind, acting_user, options)
    errors = list(table.errors) + _file_errors(resource, table)
    result = resource.import_data(_dataset(table), dry_run=True, raise_errors=False, use_transactions=True)
    report.errors = _sorted(errors + _result_errors(resource, result, table))
    report.lines = _lines(resource, result, table)
    return report, table


def preview(kind: ImportKind, uploaded_file, *, acting_user, options=None) -> ImportReport:
    """What importing ``uploaded_file`` would do, nothing written (a dry run).
    The size is checked before the file is read."""
    options = options or {}
    if not kind.allowed(acting_user, options):
        raise PermissionDenied
    try:
        check_size(uploaded_file.size)
    except ImportRefused as refused:
        return ImportReport(kind=kind, filename=uploaded_file.name, errors=refused.errors)
    uploaded_file.seek(0)
    content = uploaded_file.read(MAX_FILE_SIZE + 1)
    report, _table = _check(kind, content, uploaded_file.name, acting_user, options)
    return report


def confirm(kind: ImportKind, content: bytes, filename: str, *, acting_user, options=None) -> ImportReport:
    """Import the file for real when it is still valid: all lines or none, in
    one transaction, with one audit entry counting what was created, updated
    and left unchanged (role grants add their own entries)."""
    options = options or {}
    report, table = _check(kind, content, filename, acting_user, options)
    if not report.ok:
        return report
    with transaction.atomic():
        resource = _resource(kind, acting_user, options)
        result = resource.import_data(
            _dataset(table), dry_run=False, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True,
        )
        errors = _result_errors(resource, result, table)
        if errors:
            transaction.set_rollback(True)
            report.errors = _sorted(errors)
            return report
        report.lines = _lines(resource, result, table)
        counts = report.counts
        audit.record(
            kind.audit_subject(acting_user, options), actor=acting_user, action=AuditAction.IMPORTED,
            comment=_("Import « %(kind)s » (%(file)s) : %(summary)s.") % {"kind": kind.label, "file": filename, "summary": report.summary()},
            kind=kind.slug, file=filename, created=counts["new"], updated=counts["update"], unchanged=counts["skip"],
        )
    report.done = True
    return report


# --- The file kept between the preview and the confirmation -------------------------------------------------------


def _storage():
    return storages["private"]


def keep_file(content: bytes) -> str:
    """Store the previewed file under a random name; returns that name."""
    return _storage().save(f"{PENDING_FOLDER}/{uuid.uuid4().hex}.bin", ContentFile(content))


def take_file(name: str) -> bytes | None:
    """The kept file's content, deleted from the storage (it serves once)."""
    if not name or not name.startswith(PENDING_FOLDER + "/"):
        return None
    storage = _storage()
    try:
        with storage.open(name, "rb") as kept:
            content = kept.read(MAX_FILE_SIZE + 1)
    except (FileNotFoundError, OSError):
        return None
    storage.delete(name)
    return content


def discard_file(name: str) -> None:
    if name and name.startswith(PENDING_FOLDER + "/"):
        try:
            _storage().delete(name)
        except OSError:
            logger.warning("Could not delete the kept import file %s", name, exc_info=True)


def kind_for(slug: str) -> ImportKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise ValidationError(_("Type d'import inconnu.")) from None
