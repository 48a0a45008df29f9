"""The import-export resources behind the portal's imports (``traam.imports``):
reference data and people for the national pilot, teachers for a DAN/DRAN.

Each resource reads rows whose columns were already checked and renamed by
``traam.imports.read_table`` (French headers, no formula, at most
``MAX_ROWS`` lines). Their widgets raise ``ValueError`` with a French message,
so that import-export reports a bad cell as a validation error of its column
rather than as a crash. People are never saved by import-export itself: the
real run calls ``traam.services.grant_role``, which checks the rule, audits
the grant and tells the person."""

import html
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Max
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from . import services
from .enums import Role
from .models import Academy, Discipline, Entry, Region, RoleAssignment, Theme
from .rules import can_grant

LIST_SEPARATOR = "|"

# Codes a pilot may write in the « rôle » column besides the codes and the labels
# of ``Role`` (compared without accents, case or inclusive-writing dots).
ROLE_ALIASES = {
    "enseignant": Role.TEACHER, "enseignante": Role.TEACHER, "professeur": Role.TEACHER, "professeure": Role.TEACHER,
    "cardie": Role.CARDIE, "representant cardie": Role.CARDIE, "representante cardie": Role.CARDIE,
    "inspecteur": Role.INSPECTOR, "inspectrice": Role.INSPECTOR, "ia-ipr": Role.INSPECTOR, "ien": Role.INSPECTOR,
    "evaluateur": Role.REVIEWER, "evaluatrice": Role.REVIEWER, "evaluateur national": Role.REVIEWER, "evaluatrice nationale": Role.REVIEWER,
    "pilote": Role.PILOT, "pilote national": Role.PILOT, "pilote nationale": Role.PILOT,
}

# A school's UAI code: 7 digits and a check letter (the rule of
# ``candidatures.validators``, which this reference layer may not import).
UAI_SHAPE = re.compile(r"^[0-9]{7}[A-Z]$")
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def fold(value) -> str:
    """Text compared without case, accents, inclusive-writing endings (« ·e »,
    « ·rice ») or extra spaces."""
    text = re.sub(r"·\w*", "", str(value or ""))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("’", "'").lower().split())


def role_from_text(value):
    """The ``Role`` named by a code, a French label or a common alias, or None."""
    wanted = fold(value)
    if not wanted:
        return None
    for role in Role:
        if wanted in (role.value, fold(role.label)):
            return role
    return ROLE_ALIASES.get(wanted)


def text_to_html(value: str) -> str:
    """Plain text from a spreadsheet cell as HTML paragraphs, every character
    escaped: a blank line separates paragraphs, a line break stays one."""
    paragraphs = re.split(r"\n\s*\n", str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip())
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip(), quote=False) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs if paragraph.strip()
    )


def normalize_uai(value) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def check_uai(value) -> str:
    code = normalize_uai(value)
    if not UAI_SHAPE.match(code):
        raise ValueError(_("« %(value)s » n'est pas un code UAI : il faut 7 chiffres suivis d'une lettre, par exemple 0750654D.") % {"value": value})
    expected = UAI_LETTERS[int(code[:7]) % 23]
    if code[7] != expected:
        raise ValueError(_("La lettre de contrôle du code UAI %(code)s devrait être %(letter)s.") % {"code": code, "letter": expected})
    return code


# --- Widgets: French messages, through ValueError -------------------------------------------------------


class TextWidget(widgets.CharWidget):
    """Text without the spaces around it."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs).strip()


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise ValueError(_("« %(value)s » n'est pas un nombre entier.") % {"value": text}) from None


class CodeWidget(widgets.Widget):
    """An object of ``model`` named by its code (``Academy``, ``Region``, ``Discipline``)."""

    def __init__(self, model, unknown_message):
        self.model = model
        self.unknown_message = unknown_message
        self._cache = {}
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().lower()
        if not code:
            return None
        if code not in self._cache:
            self._cache[code] = self.model.objects.filter(code=code).first()
        if self._cache[code] is None:
            raise ValueError(self.unknown_message % {"code": code})
        return self._cache[code]


class CodeListWidget(CodeWidget):
    """Codes separated by ``|``, as a list of objects (duplicates dropped)."""

    def clean(self, value, row=None, **kwargs):
        found = []
        for code in str(value or "").split(LIST_SEPARATOR):
            if code.strip():
                item = super().clean(code, row, **kwargs)
                if item not in found:
                    found.append(item)
        return found


class KeywordsWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return [word.strip() for word in str(value or "").split(LIST_SEPARATOR) if word.strip()]


class ParagraphsWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return text_to_html(value)


class EmailWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        email = str(value or "").strip().lower()
        if not email:
            raise ValueError(_("L'adresse électronique est obligatoire."))
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(_("« %(value)s » n'est pas une adresse électronique valide.") % {"value": email}) from None
        return email


class RoleWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if not str(value or "").strip():
            raise ValueError(_("Le rôle est obligatoire."))
        role = role_from_text(value)
        if role is None:
            raise ValueError(
                _("Rôle inconnu : « %(value)s ». Rôles possibles : %(roles)s.")
                % {"value": str(value).strip(), "roles": ", ".join(f"{role.value} ({role.label})" for role in Role)}
            )
        return role


class UaiWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return check_uai(value) if str(value or "").strip() else ""


def unknown_academy():
    return _("Aucune académie n'a le code « %(code)s ».")


def unknown_region():
    return _("Aucune région académique n'a le code « %(code)s ».")


def unknown_discipline():
    return _("Aucune discipline n'a le code « %(code)s ».")


# --- Base resource -----------------------------------------------------------------------------------------


class ImportResource(resources.ModelResource):
    """Base of the portal's import resources: models are validated
    (``full_clean``), unchanged lines are reported as such, and each resource
    knows the person importing and the form's options (call, academy)."""

    def __init__(self, *, acting_user, options=None):
        super().__init__()
        self.acting_user = acting_user
        self.options = options or {}

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True

    def column_for(self, attribute) -> str:
        """The column a model field's error belongs to ("" for the whole line)."""
        for field in self.get_import_fields():
            if field.attribute == attribute or (field.attribute or "").endswith("__" + attribute):
                return field.column_name
        return ""

    # Columns whose values may appear only once in a file (a second line with
    # the same values is an error: which one should win?).
    unique_columns = ()

    def key_value(self, column, value):
        """A cell as compared to find the same line twice."""
        return fold(value)

    def check_table(self, rows):
        """Errors that need the whole file, as ``(index, column, message)``
        with ``index`` the row's position; ``rows`` are dicts by column."""
        return []

    def summary(self, row) -> str:
        """What a line is about, for the preview (the first two columns)."""
        values = [str(value).strip() for value in list(row.values())[:2] if str(value or "").strip()]
        return " — ".join(values)


class AcademyImport(ImportResource):
    code = fields.Field(attribute="code", column_name="code", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="nom", widget=TextWidget())
    region = fields.Field(attribute="region", column_name="région", widget=CodeWidget(Region, unknown_region()))

    class Meta(ImportResource.Meta):
        model = Academy
        import_id_fields = ["code"]
        fields = ["code", "name", "region"]

    unique_columns = ("code",)

    def before_import_row(self, row, **kwargs):
        row["code"] = str(row.get("code") or "").strip().lower()


class DisciplineImport(ImportResource):
    code = fields.Field(attribute="code", column_name="code", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="nom", widget=TextWidget())

    class Meta(ImportResource.Meta):
        model = Discipline
        import_id_fields = ["code"]
        fields = ["code", "name"]

    unique_columns = ("code",)

    def before_import_row(self, row, **kwargs):
        row["code"] = str(row.get("code") or "").strip().lower()


class EntryThemeImport(ImportResource):
    """One line per theme of the chosen call (``options["call"]``), with its
    entry (*discipline ou enseignement de l'appel*): lines of the same entry
    code share it. An entry is found by its code in the call, a theme by its
    order in the entry; both are created or updated."""

    entry_code = fields.Field(attribute="entry__code", column_name="entrée", widget=TextWidget())
    entry_name = fields.Field(attribute="entry__name", column_name="intitulé de l'entrée", widget=TextWidget())
    discipline = fields.Field(attribute="entry__discipline", column_name="discipline", widget=CodeWidget(Discipline, unknown_discipline()))
    seats = fields.Field(attribute="entry__seats", column_name="places", widget=IntegerWidget(), saves_null_values=False)
    order = fields.Field(attribute="order", column_name="ordre", widget=IntegerWidget())
    title = fields.Field(attribute="title", column_name="intitulé court", widget=TextWidget())
    full_title = fields.Field(attribute="full_title", column_name="intitulé complet", widget=TextWidget())
    keywords = fields.Field(attribute="keywords", column_name="mots clés", widget=KeywordsWidget())
    description = fields.Field(attribute="description_html", column_name="description", widget=ParagraphsWidget())

    class Meta(ImportResource.Meta):
        model = Theme
        fields = ["entry_code", "entry_name", "discipline", "seats", "order", "title", "full_title", "keywords", "description"]
        import_order = fields

    unique_columns = ("entrée", "ordre")
    ENTRY_COLUMNS = ("intitulé de l'entrée", "discipline", "places")

    def check_table(self, rows):
        """Lines of one entry must describe it the same way."""
        errors, first = [], {}
        for index, row in enumerate(rows):
            code = str(row.get("entrée") or "").strip().lower()
            if code not in first:
                first[code] = row
                continue
            for column in self.ENTRY_COLUMNS:
                if column in row and fold(row[column]) != fold(first[code].get(column)):
                    errors.append((index, column, _("L'entrée « %(code)s » est décrite autrement sur une ligne précédente : « %(value)s ». Écrivez la même valeur sur chaque ligne de l'entrée.") % {
                        "code": code, "value": first[code].get(column) or "",
                    }))
        return errors

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.call = self.options["call"]
        self.entries = {}

    def _entry(self, code):
        if code not in self.entries:
            entry = Entry.objects.filter(call=self.call, code=code).select_related("discipline").first()
            self.entries[code] = entry or Entry(call=self.call, code=code)
        return self.entries[code]

    def get_or_init_instance(self, instance_loader, row):
        entry = self._entry(str(row.get("entrée") or "").strip().lower())
        try:
            order = int(str(row.get("ordre") or "").strip())
        except ValueError:
            order = None
        theme = Theme.objects.filter(entry=entry, order=order).first() if entry.pk and order is not None else None
        if theme is not None:
            theme.entry = entry  # the shared object: every line of the entry sees the same one
            return theme, False
        return Theme(entry=entry), True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        entry = instance.entry
        if "entry__seats" not in errors and entry.seats is not None and entry.seats < 1:
            errors["entry__seats"] = [_("Une entrée a au moins une place.")]
        entry_errors = {f"entry__{name}" for name in ("code", "name", "discipline", "seats")} & errors.keys()
        try:
            entry.full_clean(exclude=["call", *(name.removeprefix("entry__") for name in entry_errors)], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"entry__{name}" if name != "__all__" else name, []).extend(messages)
        try:
            instance.full_clean(exclude=["entry", *errors.keys()], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.entry.pk is None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def do_instance_save(self, instance, is_create):
        entry = instance.entry
        if entry.pk is None:
            entry.order = (Entry.objects.filter(call=self.call).aggregate(last=Max("order"))["last"] or 0) + 1
        entry.save()
        instance.entry = entry
        instance.save(force_insert=is_create)

    def column_for(self, attribute):
        return super().column_for(attribute.removeprefix("entry__")) if attribute.startswith("entry__") else super().column_for(attribute)

    def summary(self, row):
        return f"{row.get('entrée', '')} — {_('thématique')} {row.get('ordre', '')} : {row.get('intitulé court', '')}"


# --- People ------------------------------------------------------------------------------------------------


class PersonRole:
    """One line of a people file: a person and one role in a scope. Not a
    model: it is saved through ``traam.services.grant_role``."""

    def __init__(self):
        self.email = ""
        self.first_name = ""
        self.last_name = ""
        self.role = None
        self.academy = None
        self.region = None
        self.disciplines = []
        self.uai = ""
        self.existing = None


class PeopleImport(ImportResource):
    """People and their roles, for the national pilot: the account is created
    without a usable password when needed and the role granted through
    ``grant_role`` (its own audit entry and e-mail). Existing accounts keep
    their names; a role already held gains the disciplines listed."""

    email = fields.Field(attribute="email", column_name="e-mail", widget=EmailWidget())
    first_name = fields.Field(attribute="first_name", column_name="prénom", widget=TextWidget())
    last_name = fields.Field(attribute="last_name", column_name="nom", widget=TextWidget())
    role = fields.Field(attribute="role", column_name="rôle", widget=RoleWidget())
    academy = fields.Field(attribute="academy", column_name="académie", widget=CodeWidget(Academy, unknown_academy()))
    region = fields.Field(attribute="region", column_name="région", widget=CodeWidget(Region, unknown_region()))
    disciplines = fields.Field(attribute="disciplines", column_name="disciplines", widget=CodeListWidget(Discipline, unknown_discipline()))

    class Meta(ImportResource.Meta):
        model = RoleAssignment  # only for import-export's bookkeeping: rows are PersonRole objects
        fields = ["email", "first_name", "last_name", "role", "academy", "region", "disciplines"]
        import_order = fields
        skip_diff = True  # statuses are computed against the database in skip_row

    unique_columns = ("e-mail", "rôle", "académie", "région")

    def key_value(self, column, value):
        if column == "rôle":
            return role_from_text(value) or fold(value)
        return super().key_value(column, value)

    def get_or_init_instance(self, instance_loader, row):
        self._line = PersonRole()
        return self._line, True

    def check_scope(self, line, errors):
        """The scope a role needs: an academy, a region (DRAN) or neither."""
        role = line.role
        if role in Role.academy_roles and line.academy is None:
            errors.setdefault("academy", []).append(_("Ce rôle s'exerce dans une académie : indiquez son code."))
        if role == Role.DRAN and line.region is None:
            errors.setdefault("region", []).append(_("Une DRAN s'exerce dans une région académique : indiquez son code."))
        if role != Role.DRAN and line.region is not None:
            errors.setdefault("region", []).append(_("Seule une DRAN s'exerce dans une région académique : laissez cette cellule vide."))
        if role in (Role.DRAN, Role.PILOT) and line.academy is not None:
            errors.setdefault("academy", []).append(_("Ce rôle ne s'exerce pas dans une académie : laissez cette cellule vide."))
        if role in Role.discipline_roles and not line.disciplines:
            errors.setdefault("disciplines", []).append(_("Ce rôle porte sur des disciplines : indiquez au moins un code."))
        if role not in Role.discipline_roles and line.disciplines:
            errors.setdefault("disciplines", []).append(_("Ce rôle ne porte pas sur des disciplines : laissez cette cellule vide."))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {name: list(messages) for name, messages in (import_validation_errors or {}).items()}
        if "role" not in errors and instance.role is not None:
            if not ({"academy", "region", "disciplines"} & errors.keys()):
                self.check_scope(instance, errors)
            if not errors and not can_grant(self.acting_user, instance.role, instance.academy):
                errors.setdefault("role", []).append(_("Vous ne pouvez pas attribuer ce rôle dans cette académie."))
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when the person already holds the role with these disciplines."""
        if import_validation_errors:
            return False
        instance.existing = (
            RoleAssignment.objects.filter(
                user__email__iexact=instance.email, role=instance.role, academy=instance.academy, region=instance.region,
            ).prefetch_related("disciplines").first()
        )
        if instance.existing is None:
            return False
        held = set(instance.existing.disciplines.all())
        return set(instance.disciplines) <= held

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            return
        services.grant_role(
            acting_user=self.acting_user, email=instance.email, role=instance.role, academy=instance.academy, region=instance.region,
            disciplines=instance.disciplines, first_name=instance.first_name, last_name=instance.last_name,
        )

    def save_m2m(self, instance, row, **kwargs):
        """Disciplines are given to ``grant_role``."""

    def import_row(self, row, instance_loader, **kwargs):
        self._line = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.import_type == RowResult.IMPORT_TYPE_NEW and self._line is not None and self._line.existing is not None:
            row_result.import_type = RowResult.IMPORT_TYPE_UPDATE  # the role is held: disciplines are added
        return row_result

    def summary(self, row):
        role = role_from_text(row.get("rôle"))
        scope = row.get("académie") or row.get("région") or ""
        parts = [row.get("e-mail", ""), role.label if role else row.get("rôle", ""), scope]
        return " — ".join(str(part).strip() for part in parts if str(part or "").strip())


class TeacherImport(PeopleImport):
    """The teachers of one academy (``options["academy"]``), for its DAN/DRAN:
    accounts without a usable password, the teacher role in that academy, and
    nothing else (a line naming another academy or another role is an error)."""

    uai = fields.Field(attribute="uai", column_name="uai", widget=UaiWidget())
    role = fields.Field(attribute="role", column_name="rôle", widget=RoleWidget())
    academy = fields.Field(attribute="academy", column_name="académie", widget=CodeWidget(Academy, unknown_academy()))

    class Meta(PeopleImport.Meta):
        fields = ["email", "first_name", "last_name", "uai", "role", "academy"]
        import_order = fields

    unique_columns = ("e-mail",)

    def get_or_init_instance(self, instance_loader, row):
        line, new = super().get_or_init_instance(instance_loader, row)
        line.role = Role.TEACHER
        line.academy = self.options["academy"]
        return line, new

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An empty cell keeps the teacher role and the chosen academy.
        if field.attribute in ("role", "academy") and not str(row.get(field.column_name) or "").strip():
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def check_scope(self, line, errors):
        chosen = self.options["academy"]
        if line.role != Role.TEACHER:
            errors.setdefault("role", []).append(_("Cet import n'attribue que le rôle d'enseignant·e : laissez la cellule vide ou écrivez « enseignant »."))
        if line.academy != chosen:
            errors.setdefault("academy", []).append(
                _("Cette ligne nomme l'académie de %(other)s : cet import ne concerne que l'académie de %(academy)s.")
                % {"other": line.academy, "academy": chosen}
            )

    def summary(self, row):
        names = " ".join(str(row.get(name) or "").strip() for name in ("prénom", "nom")).strip()
        return " — ".join(part for part in (str(row.get("e-mail") or "").strip(), names) if part)
