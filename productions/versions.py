"""A scenario's versions: what is kept of its content at each saved change, and
the comparison of two versions field by field.

The snapshot keeps names, not ids, for the reference data (class levels, CRCN
competences, commons): an old version reads as it was written even if the
reference data changes later."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidatures.enums import AIUsage

from .enums import Licence
from .models import Scenario

TEXT_FIELDS = (
    "title", "summary", "problem", "disciplinary_competences", "digital_tools", "ai_usage", "ai_tools", "ai_precautions", "licence",
)
NUMBER_FIELDS = ("sessions", "session_minutes")
FLAG_FIELDS = ("with_screen",)
LIST_FIELDS = ("class_levels", "crcn_competences", "commons", "attachments")
# The order in which a page shows the fields and their changes.
FIELDS = (
    "title", "summary", "class_levels", "problem", "disciplinary_competences", "crcn_competences", "digital_tools", "commons",
    "ai_usage", "ai_tools", "ai_precautions", "sessions", "session_minutes", "with_screen", "licence", "attachments",
)
ATTACHMENTS_LABEL = gettext_lazy("pièces jointes")


def label(name) -> str:
    if name == "attachments":
        return str(ATTACHMENTS_LABEL)
    return str(Scenario._meta.get_field(name).verbose_name)


def snapshot(scenario) -> dict:
    """The scenario's content as stored now (a few queries: its lists)."""
    content = {name: getattr(scenario, name) for name in (*TEXT_FIELDS, *NUMBER_FIELDS, *FLAG_FIELDS)}
    content["class_levels"] = [level.name for level in scenario.class_levels.order_by("order", "pk")]
    content["crcn_competences"] = [str(competence) for competence in scenario.crcn_competences.order_by("code")]
    content["commons"] = [common.name for common in scenario.commons.order_by("name")]
    content["attachments"] = list(scenario.attachments.order_by("uploaded_at", "pk").values_list("original_name", flat=True))
    return content


def display(name, value) -> str:
    """A field's value as a reader sees it (French)."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "ai_usage":
        return str(AIUsage(value).label) if value in AIUsage.values else str(value)
    if name == "licence":
        return str(Licence(value).label) if value in Licence.values else str(value)
    if name == "with_screen":
        return _("avec écran") if value else _("sans écran")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions. For lists, what was added
    and removed; for the others, the text before and after."""

    field: str
    label: str
    before: object
    after: object
    added: tuple = ()
    removed: tuple = ()

    @property
    def before_text(self) -> str:
        return display(self.field, self.before)

    @property
    def after_text(self) -> str:
        return display(self.field, self.after)


def _content(version) -> dict:
    return version if isinstance(version, dict) else version.content


def diff(version_a, version_b) -> list[FieldChange]:
    """What changed from ``version_a`` to ``version_b`` (versions or snapshots),
    in the order of the form; an empty list when they are the same."""
    before, after = _content(version_a), _content(version_b)
    changes = []
    for name in FIELDS:
        old, new = before.get(name), after.get(name)
        if name in LIST_FIELDS:
            old, new = list(old or []), list(new or [])
            if old == new:
                continue
            added = tuple(item for item in new if item not in old)
            removed = tuple(item for item in old if item not in new)
            changes.append(FieldChange(name, label(name), old, new, added, removed))
        elif old != new:
            changes.append(FieldChange(name, label(name), old, new))
    return changes
