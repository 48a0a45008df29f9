"""Academic working groups (*groupes de travail académiques*): opened from the
published selection, their composition, their membership, and the national
group of each entry.

Composition: at least 3 teachers who run sequences in class (the referent
included), exactly one referent teacher, one CARDIE representative, one
piloting inspector. The member services **refuse** a change that would leave
the group without its referent or its piloting inspector (the national group
is made of the referents; the inspector validates scenarios and hours); a new
referent takes over from the current one, who stays a teacher of the group.
Every other gap (fewer than 3 teachers, no or two CARDIE representatives, two
inspectors during a handover) is allowed and reported by
``composition_problems``, shown on the group's page and in lists.

Locks: the working group row guards its membership; the national group row
its members."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures.enums import ProposalState, TeamRole
from candidatures.models import Proposal
from candidatures.validators import normalize_uai, validate_uai
from traam.enums import AuditAction
from traam.rules import is_pilot

from ..enums import NationalRole
from ..models import GroupMember, NationalGroup, NationalMember, WorkingGroup
from ..rules import can_manage_members
from ..selectors import MIN_TEACHERS
from .base import ProductionError, accounts_by_email, person_name, record
from .calendar import ensure_milestones


def _role_label(role) -> str:
    return str(TeamRole(role).label)


@transaction.atomic
def open_groups(call, *, acting_user=None, now=None) -> list[WorkingGroup]:
    """Open the academic working group of every selected proposal of ``call``
    that has none yet, carrying its team over (members linked to the accounts
    with their address), then the national group of each entry with its
    referents, and the call's default milestones. Run when the results are
    published (``productions.receivers``); a second run creates nothing."""
    now = now or timezone.now()
    proposals = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(theme__entry__call_id=call.pk, state=ProposalState.SELECTED)
        .select_related("theme__entry", "lead")
        .prefetch_related("team")
        .order_by("theme__entry__order", "academy__name", "pk")
    )
    # Read after the locks: a concurrent run has committed its groups by now.
    taken = set(WorkingGroup.objects.filter(proposal__in=proposals).values_list("proposal_id", flat=True))
    proposals = [proposal for proposal in proposals if proposal.pk not in taken]
    accounts = accounts_by_email([member.email for proposal in proposals for member in proposal.team.all()])
    opened = []
    for proposal in proposals:
        group = WorkingGroup.objects.create(
            proposal=proposal, call_id=call.pk, entry=proposal.theme.entry, academy_id=proposal.academy_id,
            title=proposal.title or str(proposal), created_at=now,
        )
        members, seen, has_referent = [], set(), False
        for member in proposal.team.all():
            email = member.email.lower()
            if email in seen:
                continue
            seen.add(email)
            role = member.role
            if role == TeamRole.REFERENT:
                # Submission required exactly one; never two here (the constraint says so too).
                role, has_referent = (TeamRole.TEACHER if has_referent else role), True
            members.append(GroupMember(
                group=group, first_name=member.first_name, last_name=member.last_name, email=email, uai=member.uai, role=role,
                user_id=member.user_id or accounts.get(email), added_at=now,
            ))
        lead = proposal.lead
        if lead.email.lower() not in seen:
            members.append(GroupMember(
                group=group, first_name=lead.first_name, last_name=lead.last_name, email=lead.email.lower(), role=TeamRole.TEACHER,
                user=lead, added_at=now,
            ))
        GroupMember.objects.bulk_create(members)
        record(
            group, actor=acting_user, now=now, action=AuditAction.CREATED,
            comment=_("Groupe constitué à partir de la candidature sélectionnée"), proposal=proposal.pk, members=len(members),
        )
        opened.append(group)
    entries = {group.entry_id: group.entry for group in WorkingGroup.objects.filter(call_id=call.pk).select_related("entry")}
    for entry_id in sorted(entries):
        sync_national_group(entries[entry_id], acting_user=acting_user, now=now)
    ensure_milestones(call, acting_user=acting_user, now=now)
    return opened


# --- Composition -----------------------------------------------------------------------------


def composition_counts(group) -> dict:
    """Members by role (``teacher`` counts the referent too): from the
    annotations of ``selectors.with_composition`` when present, else from the
    members (prefetched or one query)."""
    if hasattr(group, "referent_count"):
        return {
            "teacher": group.teacher_count, "referent": group.referent_count, "cardie": group.cardie_count,
            "inspector": group.inspector_count,
        }
    roles = [member.role for member in group.members.all()]
    return {
        "teacher": sum(role in TeamRole.runs_sequences for role in roles),
        "referent": roles.count(TeamRole.REFERENT),
        "cardie": roles.count(TeamRole.CARDIE),
        "inspector": roles.count(TeamRole.INSPECTOR),
    }


def composition_problems(group) -> list[str]:
    """What the group lacks against the national rules, in French (empty when
    it is complete)."""
    counts = composition_counts(group)
    problems = []
    if counts["teacher"] < MIN_TEACHERS:
        problems.append(
            _(
                "Le groupe doit compter au moins 3 enseignant·es qui mènent des séquences en classe, "
                "référent·e compris·e (actuellement : %(count)s)."
            )
            % {"count": counts["teacher"]}
        )
    for key, message in (
        ("referent", _("Le groupe doit compter exactement un·e enseignant·e référent·e (actuellement : %(count)s).")),
        ("cardie", _("Le groupe doit compter exactement un·e représentant·e CARDIE (actuellement : %(count)s).")),
        ("inspector", _("Le groupe doit compter exactement un·e inspecteur·rice pilote (actuellement : %(count)s).")),
    ):
        if counts[key] != 1:
            problems.append(message % {"count": counts[key]})
    return problems


# --- Membership ---------------------------------------------------------------------------


def _lock_group(group) -> WorkingGroup:
    return WorkingGroup.objects.select_for_update(of=("self",)).select_related("entry", "academy", "call").get(pk=group.pk)


def _check_manage(group, acting_user):
    if not can_manage_members(acting_user, group):
        raise PermissionDenied


def _clean_member(first_name, last_name, email, role, uai) -> dict:
    errors, values = {}, {}
    for name, value, message in (
        ("first_name", first_name, _("Indiquez le prénom.")),
        ("last_name", last_name, _("Indiquez le nom.")),
    ):
        value = str(value or "").strip()
        if not value:
            errors[name] = [message]
        elif len(value) > 150:
            errors[name] = [_("150 caractères au plus.")]
        values[name] = value
    email = str(email or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("L'adresse électronique « %(email)s » n'est pas valide.") % {"email": email}]
    values["email"] = email
    if role not in TeamRole.values:
        errors["role"] = [_("Choisissez son rôle dans le groupe.")]
    values["role"] = role
    uai = normalize_uai(uai)
    if uai:
        try:
            validate_uai(uai)
        except ValidationError as error:
            errors["uai"] = error.messages
    values["uai"] = uai
    if errors:
        raise ProductionError(errors)
    return values


def _demote_referent(group, *, except_pk=None):
    """The current referent becomes a teacher of the group (a new one takes over)."""
    current = group.members.filter(role=TeamRole.REFERENT).exclude(pk=except_pk).first()
    if current is not None:
        current.role = TeamRole.TEACHER
        current.save(update_fields=["role"])
    return current


def _refuse_leaving_without(group, member, new_role=None):
    """A change may not leave the group without its referent or its piloting inspector."""
    if member.role == TeamRole.REFERENT and new_role != TeamRole.REFERENT:
        raise ProductionError(
            _(
                "%(name)s est l'enseignant·e référent·e du groupe : désignez d'abord la personne qui lui succède "
                "(%(name)s restera alors enseignant·e du groupe)."
            )
            % {"name": member.full_name},
            code="referent_needed",
        )
    if member.role == TeamRole.INSPECTOR and new_role != TeamRole.INSPECTOR:
        if not group.members.filter(role=TeamRole.INSPECTOR).exclude(pk=member.pk).exists():
            raise ProductionError(
                _(
                    "%(name)s est l'inspecteur·rice pilote du groupe : ajoutez d'abord la personne qui lui succède, "
                    "le groupe ne peut pas rester sans pilote."
                )
                % {"name": member.full_name},
                code="inspector_needed",
            )


@transaction.atomic
def add_member(group, *, acting_user, first_name, last_name, email, role, uai="", now=None) -> GroupMember:
    """Ajouter un membre au groupe (the piloting inspector, an inspector of the
    academy × discipline, or the national pilot). A new referent takes over
    from the current one, who stays a teacher; a second inspector may join for
    a handover (reported until the first one leaves)."""
    now = now or timezone.now()
    group = _lock_group(group)
    _check_manage(group, acting_user)
    values = _clean_member(first_name, last_name, email, role, uai)
    if group.members.filter(email=values["email"]).exists():
        raise ProductionError({"email": [_("%(email)s fait déjà partie du groupe.") % {"email": values["email"]}]})
    demoted = _demote_referent(group) if values["role"] == TeamRole.REFERENT else None
    member = GroupMember.objects.create(group=group, user_id=accounts_by_email([values["email"]]).get(values["email"]), added_at=now, **values)
    comment = _("Membre ajouté : %(name)s, %(role)s") % {"name": member.full_name, "role": _role_label(member.role)}
    if demoted:
        comment += " " + _("(%(name)s devient enseignant·e)") % {"name": demoted.full_name}
    record(group, actor=acting_user, now=now, action=AuditAction.UPDATED, comment=comment, member=member.email, role=member.role)
    sync_national_group(group.entry, acting_user=acting_user, now=now)
    return member


@transaction.atomic
def remove_member(member, *, acting_user, now=None) -> None:
    """Retirer un membre du groupe; refused for the referent (designate the
    next one first) and for the last piloting inspector (add the next one first)."""
    now = now or timezone.now()
    group = _lock_group(member.group)
    _check_manage(group, acting_user)
    member = GroupMember.objects.get(pk=member.pk, group=group)
    _refuse_leaving_without(group, member)
    name, role, email = member.full_name, member.role, member.email
    member.delete()
    record(
        group, actor=acting_user, now=now, action=AuditAction.UPDATED,
        comment=_("Membre retiré : %(name)s, %(role)s") % {"name": name, "role": _role_label(role)}, member=email, role=role,
    )
    sync_national_group(group.entry, acting_user=acting_user, now=now)


@transaction.atomic
def change_member_role(member, role, *, acting_user, now=None) -> GroupMember:
    """Changer le rôle d'un membre. Making someone the referent makes the
    current referent a teacher; the referent's own role changes only that way,
    and the last piloting inspector keeps theirs."""
    now = now or timezone.now()
    group = _lock_group(member.group)
    _check_manage(group, acting_user)
    member = GroupMember.objects.get(pk=member.pk, group=group)
    if role not in TeamRole.values:
        raise ProductionError({"role": [_("Choisissez son rôle dans le groupe.")]})
    if role == member.role:
        return member
    _refuse_leaving_without(group, member, role)
    demoted = _demote_referent(group, except_pk=member.pk) if role == TeamRole.REFERENT else None
    previous, member.role = member.role, role
    member.save(update_fields=["role"])
    comment = _("%(name)s : %(before)s → %(after)s") % {"name": member.full_name, "before": _role_label(previous), "after": _role_label(role)}
    if demoted:
        comment += " " + _("(%(name)s devient enseignant·e)") % {"name": demoted.full_name}
    record(group, actor=acting_user, now=now, action=AuditAction.UPDATED, comment=comment, member=member.email, role=role, previous=previous)
    sync_national_group(group.entry, acting_user=acting_user, now=now)
    return member


# --- The national group ---------------------------------------------------------------------


@transaction.atomic
def sync_national_group(entry, *, acting_user=None, now=None) -> NationalGroup:
    """The national group of ``entry`` (created with the first academic group),
    its referent members in step with the referents of the entry's academic
    groups: one line per person, with the first group (by academy) they refer."""
    now = now or timezone.now()
    national, created = NationalGroup.objects.get_or_create(entry_id=entry.pk, defaults={"call_id": entry.call_id, "created_at": now})
    national = NationalGroup.objects.select_for_update().get(pk=national.pk)
    if created:
        record(national, actor=acting_user, now=now, action=AuditAction.CREATED)
    wanted = {}
    for referent in (
        GroupMember.objects.filter(group__entry_id=entry.pk, role=TeamRole.REFERENT)
        .select_related("group")
        .order_by("group__academy__name", "group_id")
    ):
        wanted.setdefault(referent.email.lower(), referent)
    current = {member.email.lower(): member for member in national.members.filter(role=NationalRole.REFERENT)}
    removed = sorted(email for email in current if email not in wanted)
    if removed:
        NationalMember.objects.filter(pk__in=[current[email].pk for email in removed]).delete()
    added, changed = [], []
    for email, referent in wanted.items():
        values = {
            "first_name": referent.first_name, "last_name": referent.last_name, "user_id": referent.user_id,
            "group_id": referent.group_id, "academy_id": referent.group.academy_id,
        }
        existing = current.get(email)
        if existing is None:
            NationalMember.objects.create(national_group=national, role=NationalRole.REFERENT, email=email, **values)
            added.append(email)
        elif any(getattr(existing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save(update_fields=list(values))
            changed.append(email)
    if added or removed:
        record(
            national, actor=acting_user, now=now, action=AuditAction.UPDATED,
            comment=_("Enseignant·es référent·es mis·es à jour"), added=added, removed=removed,
        )
    return national


@transaction.atomic
def set_national_members(national_group, *, acting_user, igesr, experts, now=None) -> NationalGroup:
    """The national pilot names the national group's IGÉSR member and its one
    or two TN3 experts (accounts), replacing the previous ones; the referents
    follow the academic groups."""
    if not is_pilot(acting_user):
        raise PermissionDenied
    now = now or timezone.now()
    national = NationalGroup.objects.select_for_update().select_related("entry").get(pk=national_group.pk)
    experts = list(experts or [])
    errors = {}
    if igesr is None or not getattr(igesr, "is_active", False):
        errors["igesr"] = [_("Choisissez le ou la membre de l'IGÉSR du groupe national.")]
    if not 1 <= len(experts) <= 2:
        errors["experts"] = [_("Le groupe national compte un·e ou deux expert·es de la DNE (TN3).")]
    elif len({expert.pk for expert in experts}) != len(experts) or (igesr is not None and igesr.pk in {e.pk for e in experts}):
        errors["experts"] = [_("Une même personne ne peut pas occuper deux places du groupe national.")]
    elif not all(expert.is_active for expert in experts):
        errors["experts"] = [_("Ce compte est désactivé.")]
    if errors:
        raise ProductionError(errors)
    national.members.filter(role__in=[NationalRole.IGESR, NationalRole.TN3_EXPERT]).delete()
    people = [(NationalRole.IGESR, igesr), *((NationalRole.TN3_EXPERT, expert) for expert in experts)]
    NationalMember.objects.bulk_create(
        NationalMember(
            national_group=national, role=role, user=person, first_name=person.first_name, last_name=person.last_name,
            email=person.email.lower(),
        )
        for role, person in people
    )
    record(
        national, actor=acting_user, now=now, action=AuditAction.UPDATED,
        comment=_("IGÉSR : %(igesr)s ; expert·es TN3 : %(experts)s") % {
            "igesr": person_name(igesr), "experts": ", ".join(person_name(expert) for expert in experts),
        },
        igesr=igesr.email, experts=[expert.email for expert in experts],
    )
    return national


def link_member_accounts(user) -> int:
    """Link the group and national memberships recorded under ``user``'s
    address (case-insensitively) that have no account yet: a referent who
    creates their account after the group opened then acts in it. Called at
    sign-in (the address is verified: ``ACCOUNT_EMAIL_VERIFICATION``); returns
    how many memberships were linked."""
    if not getattr(user, "is_authenticated", False) or not user.email:
        return 0
    email = user.email.lower()
    linked = GroupMember.objects.filter(email=email, user__isnull=True).update(user=user)
    linked += NationalMember.objects.filter(email=email, user__isnull=True).update(user=user)
    return linked
