"""Export of an academy's validated hours for payment (*mise en paiement des
heures*), as CSV or XLSX with French headers, through
``traam.exports.export_response`` (formulas made inert).

One table, so that it sorts and filters in any spreadsheet: one row per
validated declaration, then one total row per person, one per group and the
academy's total, told apart by the first column (« Ligne »). Hours are numbers
that a spreadsheet can add up: real numbers in XLSX; in CSV, written with a
decimal comma (``4,5``), as a French spreadsheet reads them.

Read in two queries whatever the number of declarations
(``selectors.hours_for_payment``)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from traam.exports import ExportResource, paris_datetime

from .models import HoursDeclaration
from .selectors import hours_for_payment


@dataclass(frozen=True)
class PaymentLine:
    """A row of the export: a declaration or a total."""

    kind: str
    academy: object
    call: object
    person: object = None
    uai: str = ""
    groups: list = field(default_factory=list)
    month: object = None
    hours: Decimal = Decimal("0")
    description: str = ""
    decided_at: object = None
    decided_by: object = None
    people: int | None = None


def payment_lines(export) -> list[PaymentLine]:
    """The rows of ``selectors.PaymentExport``: declarations, totals per
    person, per group, then the academy's."""
    common = {"academy": export.academy, "call": export.call}
    lines = [
        PaymentLine(
            kind=gettext("Déclaration"), person=row.person, uai=row.uai, groups=[row.group], month=row.month, hours=row.hours,
            description=row.declaration.description, decided_at=row.declaration.decided_at, decided_by=row.declaration.decided_by,
            **common,
        )
        for row in export.rows
    ]
    lines += [
        PaymentLine(kind=gettext("Total par personne"), person=total.person, uai=total.uai, groups=total.groups, hours=total.hours, **common)
        for total in export.people
    ]
    lines += [
        PaymentLine(kind=gettext("Total par groupe"), groups=[total.group], hours=total.hours, people=total.people, **common)
        for total in export.groups
    ]
    lines.append(PaymentLine(kind=gettext("Total de l'académie"), hours=export.total, people=len(export.people), **common))
    return lines


def hours_export_lines(academy, call) -> list[PaymentLine]:
    return payment_lines(hours_for_payment(academy, call))


class HoursExportResource(ExportResource):
    """One row per ``PaymentLine``; ``decimal_comma`` for a CSV."""

    kind = Field(column_name=_("Ligne"))
    academy = Field(column_name=_("Académie"))
    call = Field(column_name=_("Appel"))
    last_name = Field(column_name=_("Nom"))
    first_name = Field(column_name=_("Prénom"))
    email = Field(column_name=_("Adresse électronique"))
    uai = Field(column_name=_("UAI de l'établissement"))
    group = Field(column_name=_("Groupe de travail"))
    entry = Field(column_name=_("Discipline ou enseignement"))
    month = Field(column_name=_("Mois"))
    hours = Field(column_name=_("Heures"))
    people = Field(column_name=_("Personnes"))
    description = Field(column_name=_("Travail effectué"))
    decided_at = Field(column_name=_("Validées le"))
    decided_by = Field(column_name=_("Validées par"))

    class Meta:
        model = HoursDeclaration
        fields = (
            "kind", "academy", "call", "last_name", "first_name", "email", "uai", "group", "entry", "month", "hours", "people",
            "description", "decided_at", "decided_by",
        )
        export_order = fields

    def __init__(self, *, decimal_comma=False, **kwargs):
        super().__init__(**kwargs)
        self.decimal_comma = decimal_comma

    def dehydrate_kind(self, line):
        return line.kind

    def dehydrate_academy(self, line):
        return line.academy.name

    def dehydrate_call(self, line):
        return line.call.year

    def dehydrate_last_name(self, line):
        return line.person.last_name if line.person else ""

    def dehydrate_first_name(self, line):
        return line.person.first_name if line.person else ""

    def dehydrate_email(self, line):
        return line.person.email if line.person else ""

    def dehydrate_uai(self, line):
        return line.uai

    def dehydrate_group(self, line):
        return " ; ".join(group.title for group in line.groups)

    def dehydrate_entry(self, line):
        return " ; ".join(dict.fromkeys(group.entry.name for group in line.groups))

    def dehydrate_month(self, line):
        return f"{line.month:%m/%Y}" if line.month else ""

    def dehydrate_hours(self, line):
        if self.decimal_comma:
            return format(line.hours.normalize(), "f").replace(".", ",")
        return line.hours

    def dehydrate_people(self, line):
        return "" if line.people is None else line.people

    def dehydrate_description(self, line):
        return line.description

    def dehydrate_decided_at(self, line):
        return paris_datetime(line.decided_at)

    def dehydrate_decided_by(self, line):
        person = line.decided_by
        return (person.get_full_name() or person.email) if person else ""
