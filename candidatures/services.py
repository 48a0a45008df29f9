"""The Proposals stage: one function per transition. Each takes the acting
user, checks the rule, locks the row before reading its state, saves with
``update_fields``, writes the audit entry and queues its e-mails (sent once the
transaction commits)."""

import datetime
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traam import audit, scopes
from traam.enums import AuditAction, EligibilityRule, Role
from traam.models import PARIS, ClassLevel, CrcnCompetence, DigitalCommon, User
from traam.notifications import queue_email
from traam.rules import is_pilot

from .enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from .models import AcademicSynthesis, DeadlineExtension, Proposal, SynthesisItem, TeamMember
from .rules import is_academic_delegation_of, is_academy_inspector, is_lead, is_team_member
from .validators import normalize_uai, validate_uai

EMAILS = "candidatures/emails/"

# What ``save_draft`` accepts: the team's content, nothing about the workflow.
DRAFT_TEXT_FIELDS = ("title", "summary", "objectives", "problem", "digital_tools", "ai_usage", "ai_tools", "ai_precautions")
DRAFT_MANY_FIELDS = {"class_levels": ClassLevel, "commons": DigitalCommon, "crcn_competences": CrcnCompetence}
MEMBER_KEYS = ("first_name", "last_name", "email", "uai", "role")
MIN_TEACHERS = 3


class ProposalError(ValidationError):
    """A rule of the Proposals stage refused the change; the messages are French
    and meant for the user."""


def collect_many_ids(data, fields, errors, relations):
    """For each many-to-many field (name → model) present in ``data``: its ids
    into ``relations`` when they all exist, else a French error into ``errors``.
    Shared by every form-like service that takes lists of reference ids."""
    for name, model in fields.items():
        if name not in data:
            continue
        try:
            ids = {int(pk) for pk in data[name] or ()}
        except (TypeError, ValueError):
            ids = None
        if ids is None or len(ids) != model.objects.filter(pk__in=ids).count():
            errors[name] = [_("Choix inconnu.")]
        else:
            relations[name] = ids


# --- Deadlines -------------------------------------------------------------


def deadline_for(call, academy) -> datetime.datetime:
    """The academy's last instant to submit and to send its synthesis: the end
    of the day (Paris) of its extension if it has one, else the call's."""
    extension = DeadlineExtension.objects.filter(call=call, academy=academy).first()
    return extension.deadline_at if extension else call.synthesis_deadline_at


def proposals_open(call, academy, now=None) -> bool:
    """The call accepts proposals from this academy at ``now`` (an extension
    keeps it open for that academy only)."""
    now = now or timezone.now()
    if call.accepts_proposals(now):
        return True
    return call.is_published and call.synthesis_deadline_at < now <= deadline_for(call, academy)


def _format_deadline(moment: datetime.datetime) -> str:
    return _("le %(day)s à 23 h 59, heure de Paris") % {"day": date_format(moment.astimezone(PARIS).date(), "j F Y")}


def _check_proposals_open(call, academy, now):
    if proposals_open(call, academy, now):
        return
    deadline = deadline_for(call, academy)
    if call.is_published and now > deadline:
        raise ProposalError(
            _("La date limite de dépôt des candidatures est passée (%(deadline)s).") % {"deadline": _format_deadline(deadline)},
            code="deadline",
        )
    raise ProposalError(_("Cet appel à projets n'est pas ouvert aux candidatures."), code="not_open")


def _check_synthesis_deadline(call, academy, now):
    deadline = deadline_for(call, academy)
    if now > deadline:
        raise ProposalError(
            _("La date limite d'envoi de la synthèse académique est passée (%(deadline)s).") % {"deadline": _format_deadline(deadline)},
            code="deadline",
        )


# --- Helpers ----------------------------------------------------------------


def _lock(proposal):
    """Reload the proposal under a row lock: its state is read only after this."""
    proposal.refresh_from_db(from_queryset=Proposal.objects.select_for_update())
    return proposal


def _state_label(proposal) -> str:
    return str(ProposalState(proposal.state).label)


def _refuse_state(message, proposal):
    raise ProposalError(message % {"state": _state_label(proposal)}, code="state")


def _save(proposal, *fields):
    """Every saved change makes the version the team's forms hold stale."""
    proposal.version += 1
    proposal.save(update_fields=[*fields, "version", "updated_at"])


def _change_state(proposal, new_state, *, actor, comment="", fields=()):
    old_state = proposal.state
    proposal.state = new_state
    _save(proposal, "state", *fields)
    audit.record(proposal, actor=actor, action=AuditAction.STATE_CHANGED, from_state=old_state, to_state=new_state, comment=comment)


def _check_version(proposal, expected_version):
    try:
        current = int(expected_version) == proposal.version
    except (TypeError, ValueError):
        current = False
    if not current:
        raise ProposalError(
            _(
                "Cette candidature a été modifiée ailleurs (dans un autre onglet ou par un membre de l'équipe) : "
                "rechargez la page pour voir la dernière version, puis reportez vos modifications."
            ),
            code="stale",
        )


def _check_team_can_edit(proposal, acting_user):
    if not is_team_member(acting_user, proposal):
        raise PermissionDenied
    if proposal.state not in ProposalState.editable_by_team:
        _refuse_state(_("Cette candidature ne peut plus être modifiée : elle est « %(state)s »."), proposal)


def _check_inspector(proposal, acting_user):
    if not is_academy_inspector(acting_user, proposal):
        raise PermissionDenied


def _team_emails(proposal) -> list[str]:
    return [proposal.lead.email, *proposal.team.values_list("email", flat=True)]


def _inspector_emails(proposal) -> list[str]:
    """Inspectors of the proposal's academy and discipline (one filter call: the
    same assignment must match all three conditions)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSPECTOR,
            role_assignments__academy_id=proposal.academy_id,
            role_assignments__disciplines=proposal.theme.entry.discipline_id,
        )
        .values_list("email", flat=True)
        .distinct()
    )


def _pilot_emails() -> list[str]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.PILOT).values_list("email", flat=True).distinct())


# --- The team's side ------------------------------------------------------


@transaction.atomic
def start_proposal(theme, *, acting_user, academy=None, now=None) -> Proposal:
    """Create a draft for ``theme`` in the teacher's academy; the teacher leads it
    and is the first member of the team."""
    teacher_academies = scopes.academies_for(acting_user, Role.TEACHER)
    if not teacher_academies:
        raise PermissionDenied
    if academy is None:
        if len(teacher_academies) > 1:
            raise ProposalError({"academy": [_("Vous enseignez dans plusieurs académies : choisissez celle de la candidature.")]})
        academy_id = next(iter(teacher_academies))
    else:
        academy_id = academy.pk
        if academy_id not in teacher_academies:
            raise PermissionDenied
    now = now or timezone.now()
    call = theme.entry.call
    _check_proposals_open(call, academy_id, now)
    proposal = Proposal.objects.create(theme=theme, academy_id=academy_id, lead=acting_user)
    TeamMember.objects.create(
        proposal=proposal, first_name=acting_user.first_name, last_name=acting_user.last_name,
        email=acting_user.email.lower(), role=TeamRole.TEACHER, user=acting_user,
    )
    audit.record(proposal, actor=acting_user, action=AuditAction.CREATED, to_state=proposal.state)
    return proposal


@transaction.atomic
def save_draft(proposal, data: dict, *, acting_user, expected_version) -> Proposal:
    """Save the team's content (field name → value; many-to-many fields as lists
    of ids), refusing a stale version."""
    _lock(proposal)
    _check_team_can_edit(proposal, acting_user)
    _check_version(proposal, expected_version)

    unknown = sorted(set(data) - set(DRAFT_TEXT_FIELDS) - set(DRAFT_MANY_FIELDS))
    if unknown:
        raise ProposalError(_("Champs inconnus : %(names)s.") % {"names": ", ".join(unknown)}, code="unknown_fields")
    errors, values, relations = {}, {}, {}
    for name in DRAFT_TEXT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        value = "" if value is None else str(value).strip()
        try:
            values[name] = Proposal._meta.get_field(name).clean(value, proposal)
        except ValidationError as error:
            errors[name] = [_("Choix inconnu.") if item.code == "invalid_choice" else item.messages[0] for item in error.error_list]
    collect_many_ids(data, DRAFT_MANY_FIELDS, errors, relations)
    if errors:
        raise ProposalError(errors)

    for name, value in values.items():
        setattr(proposal, name, value)
    _save(proposal, *values)
    for name, ids in relations.items():
        getattr(proposal, name).set(ids)
    audit.record(proposal, actor=acting_user, action=AuditAction.UPDATED, fields=sorted([*values, *relations]))
    return proposal


def _clean_members(members) -> tuple[list[dict], list[str]]:
    cleaned, errors, seen = [], [], set()
    for number, raw in enumerate(members, start=1):
        first_name = str(raw.get("first_name") or "").strip()
        last_name = str(raw.get("last_name") or "").strip()
        label = _("Membre %(number)s") % {"number": number}
        name = " ".join(part for part in (first_name, last_name) if part)
        if name:
            label = f"{label} ({name})"
        line = []
        unknown = sorted(set(raw) - set(MEMBER_KEYS))
        if unknown:
            line.append(_("champs inconnus : %(names)s.") % {"names": ", ".join(unknown)})
        if not first_name or not last_name:
            line.append(_("indiquez le prénom et le nom."))
        elif len(first_name) > 150 or len(last_name) > 150:
            line.append(_("le prénom et le nom comptent 150 caractères au plus."))
        email = str(raw.get("email") or "").strip().lower()
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            line.append(_("l'adresse électronique « %(email)s » n'est pas valide.") % {"email": email})
        else:
            if email in seen:
                line.append(_("l'adresse %(email)s figure déjà dans l'équipe.") % {"email": email})
            seen.add(email)
        role = raw.get("role")
        if role not in TeamRole.values:
            line.append(_("choisissez son rôle dans l'équipe."))
        uai = normalize_uai(raw.get("uai"))
        if uai:  # may stay empty in a draft; required to submit
            try:
                validate_uai(uai)
            except ValidationError as error:
                line.extend(error.messages)
        if line:
            errors.extend(f"{label} : {message}" for message in line)
        else:
            cleaned.append({"first_name": first_name, "last_name": last_name, "email": email, "role": role, "uai": uai})
    return cleaned, errors


@transaction.atomic
def replace_team(proposal, members: list[dict], *, acting_user, expected_version) -> Proposal:
    """Replace the team with ``members`` (first_name, last_name, email, uai,
    role); members whose address has an account are linked to it."""
    _lock(proposal)
    _check_team_can_edit(proposal, acting_user)
    _check_version(proposal, expected_version)
    cleaned, errors = _clean_members(members)
    lead_email = proposal.lead.email.lower()
    if not errors and lead_email not in {member["email"] for member in cleaned}:
        errors.append(_("La personne qui porte la candidature (%(email)s) doit rester dans l'équipe.") % {"email": lead_email})
    if errors:
        raise ProposalError(errors)

    accounts = dict(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[member["email"] for member in cleaned])
        .values_list("email_lower", "pk")
    )
    proposal.team.all().delete()
    TeamMember.objects.bulk_create(
        TeamMember(proposal=proposal, user_id=accounts.get(member["email"]), **member) for member in cleaned
    )
    _save(proposal)
    audit.record(proposal, actor=acting_user, action=AuditAction.UPDATED, comment=_("Équipe modifiée"), team_size=len(cleaned))
    return proposal


def _normalized_title(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form of a theme title."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _meets_eligibility(proposal) -> bool:
    theme = proposal.theme
    if theme.eligibility_rule != EligibilityRule.PRIOR_PARTICIPATION:
        return True
    required = _normalized_title(theme.eligibility_required_theme)
    # Few rows: the academy's selected proposals of earlier calls in this discipline.
    earlier_titles = Proposal.objects.filter(
        academy_id=proposal.academy_id,
        state=ProposalState.SELECTED,
        theme__entry__discipline_id=theme.entry.discipline_id,
        theme__entry__call__opens_on__lt=theme.entry.call.opens_on,
    ).values_list("theme__title", "theme__full_title")
    return any(required in {_normalized_title(title), _normalized_title(full_title)} for title, full_title in earlier_titles)


def missing_for_submission(proposal) -> list[str]:
    """What the team still has to provide before submitting, in French (empty
    when the proposal is complete)."""
    missing = []
    for name, message in (
        ("title", _("Indiquez le titre du projet.")),
        ("summary", _("Rédigez le résumé du projet.")),
        ("objectives", _("Précisez les objectifs du projet.")),
        ("problem", _("Formulez la problématique du projet.")),
    ):
        if not getattr(proposal, name).strip():
            missing.append(message)
    if not proposal.class_levels.exists():
        missing.append(_("Choisissez au moins un niveau de classe."))
    if not proposal.ai_usage:
        missing.append(_("Indiquez l'usage prévu de l'intelligence artificielle."))
    elif proposal.ai_usage != AIUsage.NONE:
        if not proposal.ai_tools.strip():
            missing.append(_("Indiquez les outils d'intelligence artificielle envisagés."))
        if not proposal.ai_precautions.strip():
            missing.append(_("Décrivez les précautions prises pour protéger les données personnelles."))

    team = list(proposal.team.all())
    counts = {role: sum(1 for member in team if member.role == role) for role in TeamRole.values}
    teachers = sum(counts[role] for role in TeamRole.runs_sequences)
    if teachers < MIN_TEACHERS:
        missing.append(
            _(
                "L'équipe doit compter au moins 3 enseignant·es qui mènent des séquences en classe, "
                "référent·e compris·e (actuellement : %(count)s)."
            )
            % {"count": teachers}
        )
    for role, message in (
        (TeamRole.REFERENT, _("L'équipe doit compter exactement un·e enseignant·e référent·e (actuellement : %(count)s).")),
        (TeamRole.CARDIE, _("L'équipe doit compter exactement un·e représentant·e CARDIE (actuellement : %(count)s).")),
        (TeamRole.INSPECTOR, _("L'équipe doit compter exactement un·e inspecteur·rice pilote (actuellement : %(count)s).")),
    ):
        if counts[role] != 1:
            missing.append(message % {"count": counts[role]})
    for member in team:
        if not member.uai:
            missing.append(_("%(name)s : indiquez le code UAI de son établissement.") % {"name": member.full_name})
            continue
        try:
            validate_uai(member.uai)
        except ValidationError as error:
            missing.extend(f"{member.full_name} : {message}" for message in error.messages)

    if not _meets_eligibility(proposal):
        missing.append(
            _("Votre académie doit avoir participé aux TraAM en année 1 sur la thématique « %(theme)s » pour candidater.")
            % {"theme": proposal.theme.eligibility_required_theme}
        )
    return missing


@transaction.atomic
def submit(proposal, *, acting_user, now=None) -> Proposal:
    """Déposer: the lead sends the complete proposal to the academy before the
    deadline; the team gets a receipt and the academy's inspectors are told."""
    now = now or timezone.now()
    _lock(proposal)
    if not is_lead(acting_user, proposal):
        raise PermissionDenied
    if proposal.state not in ProposalState.editable_by_team:
        _refuse_state(_("Cette candidature ne peut pas être déposée : elle est « %(state)s »."), proposal)
    _check_proposals_open(proposal.theme.entry.call, proposal.academy_id, now)
    missing = missing_for_submission(proposal)
    if missing:
        raise ProposalError(missing, code="incomplete")

    proposal.submitted_at = now
    proposal.return_reason = ""
    _change_state(proposal, ProposalState.SUBMITTED, actor=acting_user, fields=("submitted_at", "return_reason"))
    context = {"proposal": proposal, "theme": proposal.theme, "academy": proposal.academy, "lead": proposal.lead}
    team_accounts = proposal.team.filter(user__isnull=False).values_list("email", flat=True)
    queue_email([proposal.lead.email, *team_accounts], EMAILS + "proposal_submitted", context)
    inspectors = _inspector_emails(proposal)
    if inspectors:
        queue_email(inspectors, EMAILS + "proposal_awaits_opinion", context)
    return proposal


@transaction.atomic
def withdraw(proposal, *, acting_user, reason="") -> Proposal:
    """Retirer: the lead withdraws the proposal before the academy decides."""
    _lock(proposal)
    if not is_lead(acting_user, proposal):
        raise PermissionDenied
    if proposal.state not in ProposalState.withdrawable:
        _refuse_state(_("Cette candidature ne peut plus être retirée : elle est « %(state)s »."), proposal)
    _change_state(proposal, ProposalState.WITHDRAWN, actor=acting_user, comment=(reason or "").strip())
    return proposal


# --- The academy's side ---------------------------------------------------


@transaction.atomic
def return_for_completion(proposal, *, acting_user, reason) -> Proposal:
    """Renvoyer pour complément: the inspector sends a submitted proposal back to
    the team, saying what is missing."""
    _lock(proposal)
    _check_inspector(proposal, acting_user)
    if proposal.state != ProposalState.SUBMITTED:
        _refuse_state(_("Seule une candidature déposée peut être renvoyée pour complément ; celle-ci est « %(state)s »."), proposal)
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError({"reason": [_("Indiquez à l'équipe ce qu'elle doit compléter.")]})
    proposal.return_reason = reason
    _change_state(proposal, ProposalState.RETURNED, actor=acting_user, comment=reason, fields=("return_reason",))
    queue_email(_team_emails(proposal), EMAILS + "proposal_returned", {"proposal": proposal, "reason": reason, "inspector": acting_user})
    return proposal


@transaction.atomic
def give_opinion(proposal, *, acting_user, opinion, comment="") -> Proposal:
    """Avis académique: favourable, reserved or unfavourable; the last two must
    be explained. It may be revised until the synthesis is sent."""
    _lock(proposal)
    _check_inspector(proposal, acting_user)
    if proposal.state not in ProposalState.open_to_opinion:
        _refuse_state(_("L'avis académique ne peut pas être donné sur une candidature « %(state)s »."), proposal)
    comment = (comment or "").strip()
    if opinion not in AcademicOpinion.values:
        raise ProposalError({"opinion": [_("Choisissez un avis : favorable, réservé ou défavorable.")]})
    if opinion != AcademicOpinion.FAVOURABLE and not comment:
        raise ProposalError({"comment": [_("Un avis réservé ou défavorable doit être motivé : ajoutez un commentaire.")]})
    previous = proposal.opinion
    proposal.opinion, proposal.opinion_comment = opinion, comment
    proposal.opinion_by, proposal.opinion_at = acting_user, timezone.now()
    _save(proposal, "opinion", "opinion_comment", "opinion_by", "opinion_at")
    audit.record(proposal, actor=acting_user, action=AuditAction.UPDATED, comment=comment, opinion=opinion, previous_opinion=previous)
    return proposal


@transaction.atomic
def decide(proposal, *, acting_user, retained: bool, comment="") -> Proposal:
    """Décision académique: the inspector retains the submitted proposal (it may
    then enter the synthesis) or not; the team is told."""
    _lock(proposal)
    _check_inspector(proposal, acting_user)
    if proposal.state != ProposalState.SUBMITTED:
        _refuse_state(_("La décision académique porte sur une candidature déposée ; celle-ci est « %(state)s »."), proposal)
    if not proposal.opinion:
        raise ProposalError(_("Donnez d'abord l'avis académique sur cette candidature."), code="no_opinion")
    comment = (comment or "").strip()
    proposal.decided_at = timezone.now()
    new_state = ProposalState.RETAINED if retained else ProposalState.NOT_RETAINED
    _change_state(proposal, new_state, actor=acting_user, comment=comment, fields=("decided_at",))
    queue_email(_team_emails(proposal), EMAILS + "proposal_decided", {"proposal": proposal, "retained": retained, "comment": comment})
    return proposal


# --- The academic synthesis -----------------------------------------------


def _check_delegation(academy, acting_user):
    if not is_academic_delegation_of(acting_user, academy):
        raise PermissionDenied


def _refuse_if_sent(synthesis):
    if synthesis.sent_at is not None:
        raise ProposalError(
            _("Cette synthèse a été envoyée à la DNE le %(day)s : elle ne peut plus être modifiée ni renvoyée.")
            % {"day": date_format(synthesis.sent_at.astimezone(PARIS), "j F Y à H:i")},
            code="already_sent",
        )


@transaction.atomic
def compose_synthesis(call, academy, *, acting_user, cover_note, items, now=None) -> AcademicSynthesis:
    """Compose (or recompose) the academy's synthesis: its retained proposals of
    ``call`` as (proposal, priority, comment), priorities 1..n, and a cover note."""
    _check_delegation(academy, acting_user)
    now = now or timezone.now()
    synthesis, created = AcademicSynthesis.objects.select_for_update().get_or_create(call=call, academy=academy)
    _refuse_if_sent(synthesis)
    _check_synthesis_deadline(call, academy, now)

    items = list(items)
    errors = []
    ids = [proposal.pk for proposal, _priority, _comment in items]
    if len(set(ids)) != len(ids):
        errors.append(_("Une candidature figure plusieurs fois dans la synthèse."))
    try:
        priorities = sorted(int(priority) for _proposal, priority, _comment in items)
    except (TypeError, ValueError):
        priorities = None
    if priorities != list(range(1, len(items) + 1)):
        errors.append(_("Les priorités doivent aller de 1 à %(count)s, chacune une seule fois.") % {"count": len(items)})
    locked = Proposal.objects.select_for_update().select_related("theme__entry").in_bulk(ids)
    for proposal, _priority, _comment in items:
        current = locked.get(proposal.pk)
        if current is None or current.academy_id != academy.pk or current.theme.entry.call_id != call.pk:
            errors.append(_("« %(title)s » n'est pas une candidature de l'académie pour cet appel.") % {"title": proposal})
        elif current.state != ProposalState.RETAINED:
            errors.append(
                _("« %(title)s » ne peut pas figurer dans la synthèse : elle est « %(state)s ».")
                % {"title": current, "state": _state_label(current)}
            )
    if errors:
        raise ProposalError(errors)

    synthesis.items.all().delete()
    SynthesisItem.objects.bulk_create(
        SynthesisItem(synthesis=synthesis, proposal_id=proposal.pk, priority=int(priority), comment=(comment or "").strip())
        for proposal, priority, comment in items
    )
    synthesis.cover_note = (cover_note or "").strip()
    synthesis.save(update_fields=["cover_note", "updated_at"])
    ranked = [proposal.pk for proposal, _priority, _comment in sorted(items, key=lambda item: int(item[1]))]
    audit.record(synthesis, actor=acting_user, action=AuditAction.CREATED if created else AuditAction.UPDATED, proposals=ranked)
    return synthesis


@transaction.atomic
def send_synthesis(synthesis, *, acting_user, now=None) -> AcademicSynthesis:
    """Send the synthesis to the DNE, once: its proposals become « transmise à la
    DNE », the national pilots are told and the sender gets a receipt."""
    _check_delegation(synthesis.academy, acting_user)
    now = now or timezone.now()
    # Claimed by a conditional update: of two concurrent requests, one wins.
    claimed = AcademicSynthesis.objects.filter(pk=synthesis.pk, sent_at__isnull=True).update(
        sent_at=now, sent_by=acting_user, updated_at=timezone.now()
    )
    if not claimed:
        synthesis.refresh_from_db(fields=["sent_at", "sent_by"])
        _refuse_if_sent(synthesis)
    # Any refusal below rolls the claim back with the transaction.
    _check_synthesis_deadline(synthesis.call, synthesis.academy, now)
    items = list(synthesis.items.select_related("proposal").order_by("priority"))
    if not items:
        raise ProposalError(_("Ajoutez au moins une candidature retenue à la synthèse avant de l'envoyer."), code="empty")
    moved = Proposal.objects.filter(pk__in=[item.proposal_id for item in items], state=ProposalState.RETAINED).update(
        state=ProposalState.SENT, version=F("version") + 1, updated_at=timezone.now()
    )
    if moved != len(items):
        raise ProposalError(_("Une candidature de la synthèse n'est plus retenue : recomposez la synthèse."), code="stale_items")
    for item in items:
        audit.record(
            item.proposal, actor=acting_user, action=AuditAction.STATE_CHANGED,
            from_state=ProposalState.RETAINED, to_state=ProposalState.SENT,
            comment=_("Priorité %(priority)s dans la synthèse académique") % {"priority": item.priority},
        )
    synthesis.sent_at, synthesis.sent_by = now, acting_user
    audit.record(synthesis, actor=acting_user, action=AuditAction.STATE_CHANGED, to_state="sent")
    context = {"synthesis": synthesis, "items": items, "academy": synthesis.academy, "call": synthesis.call, "sender": acting_user}
    queue_email(_pilot_emails(), EMAILS + "synthesis_received", context)
    queue_email([acting_user.email], EMAILS + "synthesis_receipt", context)
    return synthesis


def extension_errors(call, deadline, reason) -> dict:
    """What is wrong with a proposed extension, by field (empty when it is fine)."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Indiquez le motif du report.")]
    if deadline is None:
        errors["deadline"] = [_("Indiquez la nouvelle date limite.")]
    elif deadline <= call.synthesis_deadline:
        errors["deadline"] = [
            _("La nouvelle date limite doit suivre celle de l'appel (%(day)s).") % {"day": date_format(call.synthesis_deadline, "j F Y")}
        ]
    elif deadline >= call.results_on:
        errors["deadline"] = [
            _("La nouvelle date limite doit précéder la publication des résultats (%(day)s).") % {"day": date_format(call.results_on, "j F Y")}
        ]
    return errors


@transaction.atomic
def grant_extension(call, academy, *, acting_user, deadline: datetime.date, reason) -> DeadlineExtension:
    """Report de date limite: the national pilot gives one academy a later
    deadline (inclusive, Paris) to submit and to send its synthesis."""
    if not is_pilot(acting_user):
        raise PermissionDenied
    errors = extension_errors(call, deadline, reason)
    if errors:
        raise ProposalError(errors)
    reason = reason.strip()
    extension, _created = DeadlineExtension.objects.update_or_create(
        call=call, academy=academy, defaults={"deadline": deadline, "reason": reason, "granted_by": acting_user}
    )
    audit.record(
        call, actor=acting_user, action=AuditAction.UPDATED,
        comment=_("Date limite reportée au %(day)s pour l'académie de %(academy)s : %(reason)s")
        % {"day": date_format(deadline, "j F Y"), "academy": academy, "reason": reason},
        academy=academy.code, extension=deadline.isoformat(),
    )
    return extension


@transaction.atomic
def withdraw_extension(call, academy, *, acting_user) -> None:
    """The national pilot takes an academy's extension back."""
    if not is_pilot(acting_user):
        raise PermissionDenied
    deleted, _detail = DeadlineExtension.objects.filter(call=call, academy=academy).delete()
    if not deleted:
        raise ProposalError(_("Aucun report de date limite n'est accordé à cette académie pour cet appel."), code="no_extension")
    audit.record(
        call, actor=acting_user, action=AuditAction.UPDATED,
        comment=_("Report de date limite retiré pour l'académie de %(academy)s") % {"academy": academy},
        academy=academy.code, extension=None,
    )
