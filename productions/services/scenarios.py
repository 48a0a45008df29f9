"""Scenarios (*séquences pédagogiques*): the group's content with its
versions, and the transitions draft → tested → submitted → validated (or
returned) → published. The scenario row's lock guards its content, versions,
attachments and state."""

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from candidatures.enums import AIUsage, TeamRole
from candidatures.services import collect_many_ids
from traam.enums import AuditAction, Role
from traam.models import ClassLevel, CrcnCompetence, DigitalCommon, User
from traam.notifications import queue_email

from .. import versions
from ..enums import ScenarioState
from ..catalogue.search import index_scenarios
from ..models import Scenario, ScenarioVersion
from ..rules import can_publish, is_group_member, is_piloting_inspector
from .base import EMAILS, ProductionError, group_emails, parse_count, record


SCENARIO_TEXT_FIELDS = (
    "title", "summary", "problem", "disciplinary_competences", "digital_tools", "ai_usage", "ai_tools", "ai_precautions", "licence",
)
# name → (least, most)
SCENARIO_NUMBER_FIELDS = {"sessions": (1, 60), "session_minutes": (10, 240)}
SCENARIO_FLAG_FIELDS = ("with_screen",)
SCENARIO_MANY_FIELDS = {"class_levels": ClassLevel, "crcn_competences": CrcnCompetence, "commons": DigitalCommon}
SCENARIO_FIELDS = (*SCENARIO_TEXT_FIELDS, *SCENARIO_NUMBER_FIELDS, *SCENARIO_FLAG_FIELDS, *SCENARIO_MANY_FIELDS)
EDUBASE_HOST = "edubase.eduscol.education.fr"


def _inspector_emails(group) -> list[str]:
    """The piloting inspector's address; while the group has none, the
    inspectors of its academy × discipline."""
    emails = list(group.members.filter(role=TeamRole.INSPECTOR).values_list("email", flat=True))
    if emails:
        return emails
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSPECTOR,
            role_assignments__academy_id=group.academy_id,
            role_assignments__disciplines=group.entry.discipline_id,
        ).values_list("email", flat=True).distinct()
    )


def lock_scenario(scenario) -> Scenario:
    """Reload the scenario under a row lock: its state is read only after this."""
    scenario.refresh_from_db(from_queryset=Scenario.objects.select_for_update(of=("self",)))
    return scenario


def _state_label(scenario) -> str:
    return str(ScenarioState(scenario.state).label)


def _refuse_state(message, scenario):
    raise ProductionError(message % {"state": _state_label(scenario)}, code="state")


def touch(scenario, now, *fields):
    """Every saved change makes the version the group's forms hold stale."""
    scenario.version += 1
    scenario.updated_at = now
    scenario.save(update_fields=[*fields, "version", "updated_at"])


def _check_version(scenario, expected_version):
    try:
        current = int(expected_version) == scenario.version
    except (TypeError, ValueError):
        current = False
    if not current:
        raise ProductionError(
            _(
                "Cette séquence a été modifiée ailleurs (dans un autre onglet ou par un membre du groupe) : "
                "rechargez la page pour voir la dernière version, puis reportez vos modifications."
            ),
            code="stale",
        )


def save_version(scenario, *, author, now, comment="") -> ScenarioVersion:
    """Keep the scenario's content as a new version, unless it equals the last
    one. The caller holds the scenario's lock (numbers follow each other)."""
    content = versions.snapshot(scenario)
    last = scenario.versions.order_by("-number").first()
    if last is not None and last.content == content:
        return last
    return ScenarioVersion.objects.create(
        scenario=scenario, number=(last.number if last else 0) + 1, state=scenario.state, content=content, author=author,
        comment=comment[:200], created_at=now,
    )


def _clean_title(title) -> str:
    title = str(title or "").strip()
    if not title:
        raise ProductionError({"title": [_("Indiquez le titre de la séquence.")]})
    if len(title) > 300:
        raise ProductionError({"title": [_("Le titre compte 300 caractères au plus.")]})
    return title


def _create_with_slug(**values) -> Scenario:
    """The scenario with a stable public identifier taken from its first title
    (``-2``, ``-3``… when it is taken)."""
    base = slugify(values["title"])[:90].strip("-") or "sequence"
    taken = set(Scenario.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    number = 1
    slug = base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    try:
        with transaction.atomic():
            return Scenario.objects.create(slug=slug, **values)
    except IntegrityError:  # taken meanwhile by a concurrent creation
        return Scenario.objects.create(slug=f"{base}-{secrets.token_hex(3)}", **values)


@transaction.atomic
def create_scenario(group, *, acting_user, title, now=None) -> Scenario:
    """Start a scenario (a draft) in the group: any member of the group."""
    if not is_group_member(acting_user, group):
        raise PermissionDenied
    now = now or timezone.now()
    scenario = _create_with_slug(group=group, title=_clean_title(title), created_by=acting_user, created_at=now, updated_at=now)
    save_version(scenario, author=acting_user, now=now, comment=_("Création"))
    record(scenario, actor=acting_user, now=now, action=AuditAction.CREATED, to_state=scenario.state)
    return scenario


def _clean_content(scenario, data) -> tuple[dict, dict]:
    """Clean the scenario's fields in ``data``: (values, ids of the many-to-many
    fields), or ProductionError with French errors by field."""
    unknown = sorted(set(data) - set(SCENARIO_FIELDS))
    if unknown:
        raise ProductionError(_("Champs inconnus : %(names)s.") % {"names": ", ".join(unknown)}, code="unknown_fields")
    errors, values, relations = {}, {}, {}
    for name in SCENARIO_TEXT_FIELDS:
        if name not in data:
            continue
        value = "" if data[name] is None else str(data[name]).strip()
        if not value and name in ("title", "licence"):
            errors[name] = [_("Indiquez le titre de la séquence.") if name == "title" else _("Choisissez la licence de la séquence.")]
            continue
        try:
            values[name] = Scenario._meta.get_field(name).clean(value, scenario)
        except ValidationError as error:
            errors[name] = [_("Choix inconnu.") if item.code == "invalid_choice" else item.messages[0] for item in error.error_list]
    for name, (least, most) in SCENARIO_NUMBER_FIELDS.items():
        if name not in data:
            continue
        try:
            number = parse_count(data[name])
        except ValueError:
            number = -1
        if (number is None and name == "session_minutes") or (number is not None and not least <= number <= most):
            errors[name] = [_("Indiquez un nombre entier de %(least)s à %(most)s.") % {"least": least, "most": most}]
        else:
            values[name] = number
    for name in SCENARIO_FLAG_FIELDS:
        if name in data:
            if not isinstance(data[name], bool):
                errors[name] = [_("Indiquez oui ou non.")]
            else:
                values[name] = data[name]
    collect_many_ids(data, SCENARIO_MANY_FIELDS, errors, relations)
    if errors:
        raise ProductionError(errors)
    return values, relations


def _check_group_can_edit(scenario, acting_user):
    if not is_group_member(acting_user, scenario.group):
        raise PermissionDenied
    if scenario.state not in ScenarioState.editable_by_group:
        _refuse_state(_("Cette séquence ne peut pas être modifiée : elle est « %(state)s »."), scenario)


@transaction.atomic
def save_scenario(scenario, data: dict, *, acting_user, expected_version, now=None) -> Scenario:
    """Save the group's content (field name → value; many-to-many fields as
    lists of ids) while the scenario is a draft, tested or returned, refusing a
    stale version; the content is kept as a new version when it changed."""
    now = now or timezone.now()
    lock_scenario(scenario)
    _check_group_can_edit(scenario, acting_user)
    _check_version(scenario, expected_version)
    values, relations = _clean_content(scenario, data)
    changed = sorted(name for name, value in values.items() if getattr(scenario, name) != value)
    for name in changed:
        setattr(scenario, name, values[name])
    for name, ids in relations.items():
        if set(getattr(scenario, name).values_list("pk", flat=True)) != ids:
            getattr(scenario, name).set(ids)
            changed.append(name)
    if not changed:
        return scenario
    touch(scenario, now, *(name for name in changed if name not in SCENARIO_MANY_FIELDS))
    version = save_version(scenario, author=acting_user, now=now)
    record(scenario, actor=acting_user, now=now, action=AuditAction.UPDATED, fields=sorted(changed), version=version.number)
    return scenario


def missing_for_validation(scenario) -> list[str]:
    """What the group still has to write before submitting the scenario, in
    French (empty when it is complete)."""
    missing = []
    for name, message in (
        ("title", _("Indiquez le titre de la séquence.")),
        ("summary", _("Rédigez le résumé de la séquence.")),
        ("problem", _("Formulez la problématique de la séquence.")),
        ("disciplinary_competences", _("Précisez les compétences disciplinaires travaillées.")),
    ):
        if not getattr(scenario, name).strip():
            missing.append(message)
    if not scenario.class_levels.exists():
        missing.append(_("Choisissez au moins un niveau de classe."))
    if not scenario.crcn_competences.exists():
        missing.append(_("Choisissez au moins une compétence du CRCN travaillée."))
    if not scenario.sessions:
        missing.append(_("Indiquez le nombre de séances de la séquence."))
    if not scenario.ai_usage:
        missing.append(_("Indiquez l'usage de l'intelligence artificielle dans la séquence."))
    elif scenario.ai_usage != AIUsage.NONE:
        if not scenario.ai_tools.strip():
            missing.append(_("Indiquez les outils d'intelligence artificielle utilisés."))
        if not scenario.ai_precautions.strip():
            missing.append(_("Décrivez les précautions prises pour protéger les données personnelles."))
    return missing


# --- Transitions -----------------------------------------------------------------------------------


def _change_state(scenario, new_state, *, actor, now, comment="", fields=()):
    old_state = scenario.state
    scenario.state = new_state
    touch(scenario, now, "state", *fields)
    record(scenario, actor=actor, now=now, action=AuditAction.STATE_CHANGED, from_state=old_state, to_state=new_state, comment=comment)


def _context(scenario, **extra) -> dict:
    group = scenario.group
    return {"scenario": scenario, "group": group, "academy": group.academy, "entry": group.entry, **extra}


def _check_piloting_inspector(scenario, acting_user):
    if not is_piloting_inspector(acting_user, scenario.group):
        raise PermissionDenied


@transaction.atomic
def mark_tested(scenario, *, acting_user, now=None) -> Scenario:
    """Expérimentée en classe: a member of the group says the draft was tried
    with students (it stays editable, to write up what happened)."""
    now = now or timezone.now()
    lock_scenario(scenario)
    if not is_group_member(acting_user, scenario.group):
        raise PermissionDenied
    if scenario.state != ScenarioState.DRAFT:
        _refuse_state(_("Seul un brouillon peut être marqué comme expérimenté en classe ; cette séquence est « %(state)s »."), scenario)
    scenario.tested_at = now
    _change_state(scenario, ScenarioState.TESTED, actor=acting_user, now=now, fields=("tested_at",))
    return scenario


@transaction.atomic
def submit_for_validation(scenario, *, acting_user, now=None) -> Scenario:
    """Soumettre pour validation: a member of the group sends the complete,
    tested scenario (or a returned one, reworked) to the piloting inspector."""
    now = now or timezone.now()
    lock_scenario(scenario)
    if not is_group_member(acting_user, scenario.group):
        raise PermissionDenied
    if scenario.state not in ScenarioState.submittable:
        if scenario.state == ScenarioState.DRAFT:
            raise ProductionError(_("Expérimentez d'abord la séquence en classe avant de la soumettre pour validation."), code="state")
        _refuse_state(_("Cette séquence ne peut pas être soumise pour validation : elle est « %(state)s »."), scenario)
    missing = missing_for_validation(scenario)
    if missing:
        raise ProductionError(missing, code="incomplete")
    scenario.submitted_at = now
    _change_state(scenario, ScenarioState.SUBMITTED, actor=acting_user, now=now, fields=("submitted_at",))
    queue_email(_inspector_emails(scenario.group), EMAILS + "scenario_submitted", _context(scenario, author=acting_user))
    return scenario


@transaction.atomic
def validate(scenario, *, acting_user, comment="", now=None) -> Scenario:
    """Valider: the piloting inspector accepts the submitted scenario; the group is told."""
    now = now or timezone.now()
    lock_scenario(scenario)
    _check_piloting_inspector(scenario, acting_user)
    if scenario.state != ScenarioState.SUBMITTED:
        _refuse_state(_("Seule une séquence soumise pour validation peut être validée ; celle-ci est « %(state)s »."), scenario)
    comment = (comment or "").strip()
    scenario.validated_at, scenario.validated_by, scenario.return_comment = now, acting_user, ""
    _change_state(
        scenario, ScenarioState.VALIDATED, actor=acting_user, now=now, comment=comment,
        fields=("validated_at", "validated_by", "return_comment"),
    )
    queue_email(group_emails(scenario.group), EMAILS + "scenario_validated", _context(scenario, inspector=acting_user, comment=comment))
    return scenario


@transaction.atomic
def return_scenario(scenario, *, acting_user, comment, now=None) -> Scenario:
    """Renvoyer pour reprise: the piloting inspector sends a submitted (or
    validated, not yet published) scenario back to the group with a comment;
    it becomes editable again."""
    now = now or timezone.now()
    lock_scenario(scenario)
    _check_piloting_inspector(scenario, acting_user)
    if scenario.state not in ScenarioState.returnable:
        _refuse_state(_("Cette séquence ne peut pas être renvoyée au groupe : elle est « %(state)s »."), scenario)
    comment = (comment or "").strip()
    if not comment:
        raise ProductionError({"comment": [_("Indiquez au groupe ce qu'il doit reprendre.")]})
    scenario.return_comment, scenario.validated_at, scenario.validated_by = comment, None, None
    _change_state(
        scenario, ScenarioState.RETURNED, actor=acting_user, now=now, comment=comment,
        fields=("return_comment", "validated_at", "validated_by"),
    )
    queue_email(group_emails(scenario.group), EMAILS + "scenario_returned", _context(scenario, inspector=acting_user, comment=comment))
    return scenario


def edubase_errors(url) -> list[str]:
    """What is wrong with an Édubase address (empty when it is fine or empty)."""
    url = (url or "").strip()
    if not url:
        return []
    message = _("L'adresse Édubase doit être celle d'une fiche, par exemple https://edubase.eduscol.education.fr/fiche/12345.")
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        return [message]
    parts = urlsplit(url)
    if parts.hostname != EDUBASE_HOST or not parts.path.startswith("/fiche/") or len(url) > 300:
        return [message]
    return []


@transaction.atomic
def publish(scenario, *, acting_user, edubase_url="", now=None) -> Scenario:
    """Publier: the piloting inspector or the national pilot publishes a
    validated scenario (optionally with its Édubase address); it enters the
    public catalogue and the group is told."""
    now = now or timezone.now()
    lock_scenario(scenario)
    if not can_publish(acting_user, scenario.group):
        raise PermissionDenied
    if scenario.state != ScenarioState.VALIDATED:
        _refuse_state(_("Seule une séquence validée peut être publiée ; celle-ci est « %(state)s »."), scenario)
    errors = edubase_errors(edubase_url)
    if errors:
        raise ProductionError({"edubase_url": errors})
    scenario.edubase_url = (edubase_url or "").strip()
    scenario.published_at, scenario.published_by = now, acting_user
    _change_state(scenario, ScenarioState.PUBLISHED, actor=acting_user, now=now, fields=("edubase_url", "published_at", "published_by"))
    index_scenarios(Scenario.objects.filter(pk=scenario.pk))
    queue_email(group_emails(scenario.group), EMAILS + "scenario_published", _context(scenario, publisher=acting_user))
    return scenario


@transaction.atomic
def set_edubase_url(scenario, edubase_url, *, acting_user, now=None) -> Scenario:
    """Record (or correct, or clear) the Édubase address of a published scenario."""
    now = now or timezone.now()
    lock_scenario(scenario)
    if not can_publish(acting_user, scenario.group):
        raise PermissionDenied
    if scenario.state != ScenarioState.PUBLISHED:
        _refuse_state(_("L'adresse Édubase se renseigne sur une séquence publiée ; celle-ci est « %(state)s »."), scenario)
    errors = edubase_errors(edubase_url)
    if errors:
        raise ProductionError({"edubase_url": errors})
    previous, scenario.edubase_url = scenario.edubase_url, (edubase_url or "").strip()
    if previous == scenario.edubase_url:
        return scenario
    touch(scenario, now, "edubase_url")
    record(
        scenario, actor=acting_user, now=now, action=AuditAction.UPDATED,
        comment=_("Adresse Édubase : %(url)s") % {"url": scenario.edubase_url or "—"}, edubase_url=scenario.edubase_url, previous=previous,
    )
    return scenario
