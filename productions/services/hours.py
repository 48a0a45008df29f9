"""Teachers' hours: declared per month by the group's teachers, validated or
refused by the piloting inspector, within the call's cap per person. The
member's account row is locked while their hours are counted against the cap
(declaring, validating): one lock order, the account first."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traam.enums import AuditAction
from traam.models import User
from traam.notifications import queue_email

from ..enums import HoursState
from ..models import HoursCap, HoursDeclaration
from ..rules import is_group_teacher, is_piloting_inspector
from .base import EMAILS, ProductionError, check_pilot, record

MAX_HOURS_PER_MONTH = Decimal("40")
MAX_HOURS_CAP = Decimal("500")
MAX_DESCRIPTION = 500


def _parse_hours(value):
    """A positive number of hours with at most two decimals ("1,5" as 1.5), or None."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip().replace(",", ".").replace("\u202f", "").replace(" ", "")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        return None
    if not hours.is_finite() or hours.as_tuple().exponent < -2:
        return None
    return hours


def _month_label(month) -> str:
    return date_format(month, "F Y")


def _lock_account(user):
    """Serialise everything that counts this person's hours against the cap."""
    return User.objects.select_for_update().get(pk=user.pk)


def _cap_of(call):
    return HoursCap.objects.filter(call_id=call.pk).values_list("max_hours", flat=True).first()


def _hours_of(user, call, states) -> Decimal:
    total = HoursDeclaration.objects.filter(member=user, group__call_id=call.pk, state__in=states).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


def _refuse_over_cap(cap, used, hours, call, *, validating=False):
    if cap is not None and used + hours > cap:
        message = (
            _("Ces heures dépasseraient le plafond de %(cap)s h par personne pour l'appel %(year)s (déjà validées : %(used)s h).")
            if validating
            else _("Ces heures dépasseraient le plafond de %(cap)s h par personne pour l'appel %(year)s (déjà déclarées ou validées : %(used)s h).")
        )
        raise ProductionError(message % {"cap": _hours_text(cap), "year": call.year, "used": _hours_text(used)}, code="over_cap")


def _hours_text(hours) -> str:
    """12 → « 12 », 12.50 → « 12,5 »."""
    text = format(hours.normalize(), "f") if isinstance(hours, Decimal) else str(hours)
    return text.replace(".", ",")


@transaction.atomic
def set_hours_cap(call, max_hours, *, acting_user, now=None) -> HoursCap | None:
    """The national pilot sets the most hours one person may be paid for in
    the call (all their groups together); ``None`` or "" removes the cap. Hours
    already validated stay validated."""
    check_pilot(acting_user)
    now = now or timezone.now()
    if max_hours is None or max_hours == "":
        deleted, _detail = HoursCap.objects.filter(call_id=call.pk).delete()
        if deleted:
            record(call, actor=acting_user, now=now, action=AuditAction.UPDATED, comment=_("Plafond d'heures supprimé"), hours_cap=None)
        return None
    hours = _parse_hours(max_hours)
    if hours is None or not Decimal("0") < hours <= MAX_HOURS_CAP:
        raise ProductionError({"max_hours": [_("Indiquez un nombre d'heures supérieur à 0 et d'au plus %(most)s.") % {"most": MAX_HOURS_CAP}]})
    cap, _created = HoursCap.objects.update_or_create(call_id=call.pk, defaults={"max_hours": hours, "set_by": acting_user, "set_at": now})
    record(
        call, actor=acting_user, now=now, action=AuditAction.UPDATED,
        comment=_("Plafond d'heures : %(hours)s h par personne") % {"hours": _hours_text(hours)}, hours_cap=str(hours),
    )
    return cap


@transaction.atomic
def declare_hours(group, *, acting_user, month, hours, description, today=None, now=None) -> HoursDeclaration:
    """Déclarer des heures: a teacher of the group (teacher or referent) declares
    the hours of one month of the production (not a month to come), with what
    they did; once per month and group (again after a refusal), within the
    call's cap per person."""
    if not is_group_teacher(acting_user, group):
        raise PermissionDenied
    now = now or timezone.now()
    today = today or timezone.localdate()
    call = group.call
    errors = {}
    if not isinstance(month, datetime.date) or isinstance(month, datetime.datetime):
        errors["month"] = [_("Indiquez le mois.")]
    else:
        month = month.replace(day=1)
        if not call.production_starts_on.replace(day=1) <= month <= call.production_ends_on:
            errors["month"] = [
                _("Les heures se déclarent pour un mois de la production, de %(start)s à %(end)s.")
                % {"start": _month_label(call.production_starts_on), "end": _month_label(call.production_ends_on)}
            ]
        elif month > today.replace(day=1):
            errors["month"] = [_("Les heures de %(month)s ne peuvent pas encore être déclarées.") % {"month": _month_label(month)}]
    parsed = _parse_hours(hours)
    if parsed is None or not Decimal("0") < parsed <= MAX_HOURS_PER_MONTH:
        errors["hours"] = [
            _("Indiquez un nombre d'heures supérieur à 0 et d'au plus %(most)s pour un mois (deux décimales au plus).")
            % {"most": _hours_text(MAX_HOURS_PER_MONTH)}
        ]
    description = str(description or "").strip()
    if not description:
        errors["description"] = [_("Décrivez en quelques mots le travail effectué.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("La description compte %(most)s caractères au plus.") % {"most": MAX_DESCRIPTION}]
    if errors:
        raise ProductionError(errors)

    _lock_account(acting_user)
    standing = HoursDeclaration.objects.filter(group=group, member=acting_user, month=month).exclude(state=HoursState.REFUSED).first()
    if standing is not None:
        raise ProductionError(
            _("Vous avez déjà déclaré des heures pour %(month)s dans ce groupe (%(hours)s h, %(state)s).")
            % {"month": _month_label(month), "hours": _hours_text(standing.hours), "state": standing.get_state_display()},
            code="already_declared",
        )
    _refuse_over_cap(_cap_of(call), _hours_of(acting_user, call, (HoursState.DECLARED, HoursState.VALIDATED)), parsed, call)
    declaration = HoursDeclaration.objects.create(
        group=group, member=acting_user, month=month, hours=parsed, description=description, declared_at=now,
    )
    record(
        declaration, actor=acting_user, now=now, action=AuditAction.CREATED, to_state=declaration.state,
        hours=str(parsed), month=month.isoformat(),
    )
    return declaration


def _lock_declaration(declaration) -> HoursDeclaration:
    # The member's account first, as ``declare_hours`` does: one lock order.
    _lock_account(declaration.member)
    return HoursDeclaration.objects.select_for_update(of=("self",)).select_related("group__call", "member").get(pk=declaration.pk)


def _check_declared(declaration):
    if declaration.state != HoursState.DECLARED:
        raise ProductionError(
            _("Ces heures ont déjà été %(state)s.") % {"state": declaration.get_state_display()}, code="state",
        )


@transaction.atomic
def validate_hours(declaration, *, acting_user, now=None) -> HoursDeclaration:
    """Valider des heures: the piloting inspector accepts a declaration, within
    the call's cap per person (validated hours of all their groups)."""
    now = now or timezone.now()
    declaration = _lock_declaration(declaration)
    if not is_piloting_inspector(acting_user, declaration.group):
        raise PermissionDenied
    _check_declared(declaration)
    call = declaration.group.call
    _refuse_over_cap(_cap_of(call), _hours_of(declaration.member, call, (HoursState.VALIDATED,)), declaration.hours, call, validating=True)
    declaration.state, declaration.decided_by, declaration.decided_at = HoursState.VALIDATED, acting_user, now
    declaration.save(update_fields=["state", "decided_by", "decided_at"])
    record(declaration, actor=acting_user, now=now, action=AuditAction.STATE_CHANGED, from_state=HoursState.DECLARED, to_state=declaration.state)
    return declaration


@transaction.atomic
def refuse_hours(declaration, *, acting_user, comment, now=None) -> HoursDeclaration:
    """Refuser des heures: the piloting inspector refuses a declaration, saying
    why; the member is told and may declare that month again."""
    now = now or timezone.now()
    declaration = _lock_declaration(declaration)
    if not is_piloting_inspector(acting_user, declaration.group):
        raise PermissionDenied
    _check_declared(declaration)
    comment = (comment or "").strip()
    if not comment:
        raise ProductionError({"comment": [_("Indiquez le motif du refus.")]})
    declaration.state, declaration.decided_by, declaration.decided_at = HoursState.REFUSED, acting_user, now
    declaration.refusal_comment = comment
    declaration.save(update_fields=["state", "decided_by", "decided_at", "refusal_comment"])
    record(
        declaration, actor=acting_user, now=now, action=AuditAction.STATE_CHANGED, from_state=HoursState.DECLARED, to_state=declaration.state,
        comment=comment,
    )
    queue_email([declaration.member.email], EMAILS + "hours_refused", {
        "declaration": declaration, "group": declaration.group, "month": _month_label(declaration.month),
        "hours": _hours_text(declaration.hours), "comment": comment, "inspector": acting_user,
    })
    return declaration
