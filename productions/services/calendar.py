"""The call's production calendar: its milestones (*jalons*), edited by the
national pilot, and the reminders to the groups behind before each one. The
call row's lock guards the default milestones."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traam.enums import AuditAction
from traam.models import Call
from traam.notifications import queue_email

from ..enums import MilestoneKind, ScenarioState
from ..models import Milestone, MilestoneReminder, WorkingGroup
from ..selectors import group_progress
from .base import EMAILS, ProductionError, check_pilot, group_emails, parse_count, record

MAX_EXPECTED_SCENARIOS = 50
# Groups behind are reminded during the two weeks before a milestone.
REMINDER_LEAD = datetime.timedelta(days=14)


def default_milestones(call) -> list[dict]:
    """Kick-off when the production starts (September), mid-term review on 15
    January, final deliverables on the last day of the production (before May)."""
    start, end = call.production_starts_on, call.production_ends_on
    mid_term = min(max(datetime.date(start.year + 1, 1, 15), start), end)
    return [
        {"kind": MilestoneKind.KICK_OFF, "label": _("Lancement des groupes de travail"), "due_on": start,
         "expected_scenarios": None, "expected_state": ScenarioState.DRAFT},
        {"kind": MilestoneKind.MID_TERM, "label": _("Bilan de mi-parcours : premières séquences expérimentées en classe"),
         "due_on": mid_term, "expected_scenarios": 1, "expected_state": ScenarioState.TESTED},
        {"kind": MilestoneKind.FINAL, "label": _("Remise des productions finales"), "due_on": end,
         "expected_scenarios": 3, "expected_state": ScenarioState.SUBMITTED},
    ]


@transaction.atomic
def ensure_milestones(call, *, acting_user=None, now=None) -> list[Milestone]:
    """The call's milestones, created with the defaults the first time."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    existing = list(Milestone.objects.filter(call=call))
    if existing:
        return existing
    created = []
    for values in default_milestones(call):
        milestone = Milestone.objects.create(call=call, **values)
        record(milestone, actor=acting_user, now=now, action=AuditAction.CREATED, comment=_("Calendrier de production par défaut"))
        created.append(milestone)
    return created


MILESTONE_FIELDS = ("kind", "label", "due_on", "expected_scenarios", "expected_state")


def milestone_errors(call, values: dict) -> tuple[dict, dict]:
    """Clean a milestone's fields (any subset of ``MILESTONE_FIELDS``):
    (cleaned values, French errors by field)."""
    cleaned, errors = {}, {}
    unknown = sorted(set(values) - set(MILESTONE_FIELDS))
    if unknown:
        errors["__all__"] = [_("Champs inconnus : %(names)s.") % {"names": ", ".join(unknown)}]
    if "kind" in values:
        if values["kind"] not in MilestoneKind.values:
            errors["kind"] = [_("Choix inconnu.")]
        cleaned["kind"] = values["kind"]
    if "label" in values:
        label = str(values["label"] or "").strip()
        if not label:
            errors["label"] = [_("Indiquez l'intitulé du jalon.")]
        elif len(label) > 200:
            errors["label"] = [_("L'intitulé compte 200 caractères au plus.")]
        cleaned["label"] = label
    if "due_on" in values:
        due_on = values["due_on"]
        if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
            errors["due_on"] = [_("Indiquez une date valide.")]
        elif not call.production_starts_on <= due_on <= call.production_ends_on:
            errors["due_on"] = [
                _("L'échéance doit tomber pendant la production, du %(start)s au %(end)s.")
                % {"start": date_format(call.production_starts_on, "j F Y"), "end": date_format(call.production_ends_on, "j F Y")}
            ]
        cleaned["due_on"] = due_on
    if "expected_scenarios" in values:
        expected = values["expected_scenarios"]
        try:
            expected = parse_count(expected)
        except ValueError:
            expected = -1
        if expected is not None and not 1 <= expected <= MAX_EXPECTED_SCENARIOS:
            errors["expected_scenarios"] = [
                _("Indiquez un nombre entier de 1 à %(most)s, ou rien pour un jalon sans séquence attendue.") % {"most": MAX_EXPECTED_SCENARIOS}
            ]
        cleaned["expected_scenarios"] = expected
    if "expected_state" in values:
        if values["expected_state"] not in ScenarioState.values or values["expected_state"] == ScenarioState.RETURNED:
            errors["expected_state"] = [_("Choix inconnu.")]
        cleaned["expected_state"] = values["expected_state"]
    return cleaned, errors


@transaction.atomic
def add_milestone(call, *, acting_user, kind, label, due_on, expected_scenarios=None, expected_state=ScenarioState.TESTED, now=None) -> Milestone:
    """The national pilot adds a milestone to the call's calendar."""
    check_pilot(acting_user)
    values, errors = milestone_errors(call, {
        "kind": kind, "label": label, "due_on": due_on, "expected_scenarios": expected_scenarios, "expected_state": expected_state,
    })
    if errors:
        raise ProductionError(errors)
    milestone = Milestone.objects.create(call=call, **values)
    record(milestone, actor=acting_user, now=now, action=AuditAction.CREATED)
    return milestone


@transaction.atomic
def update_milestone(milestone, *, acting_user, now=None, **changes) -> Milestone:
    """The national pilot changes a milestone. When its date or what it expects
    changes, the groups may be reminded again before it."""
    check_pilot(acting_user)
    milestone = Milestone.objects.select_for_update().select_related("call").get(pk=milestone.pk)
    values, errors = milestone_errors(milestone.call, changes)
    if errors:
        raise ProductionError(errors)
    changed = sorted(name for name, value in values.items() if getattr(milestone, name) != value)
    if not changed:
        return milestone
    for name in changed:
        setattr(milestone, name, values[name])
    milestone.save(update_fields=changed)
    if {"due_on", "expected_scenarios", "expected_state"} & set(changed):
        milestone.reminders.all().delete()
    record(milestone, actor=acting_user, now=now, action=AuditAction.UPDATED, fields=changed)
    return milestone


@transaction.atomic
def remove_milestone(milestone, *, acting_user, now=None) -> None:
    """The national pilot removes a milestone (and the record of its reminders);
    the call's history keeps the trace."""
    check_pilot(acting_user)
    call, label, pk = milestone.call, milestone.label, milestone.pk
    Milestone.objects.filter(pk=pk).delete()
    record(call, actor=acting_user, now=now, action=AuditAction.UPDATED, comment=_("Jalon retiré : %(label)s") % {"label": label}, milestone=pk)


def send_milestone_reminders(call, today=None, now=None) -> int:
    """E-mail each group that is behind a milestone due in the next two weeks
    (today included): it has fewer scenarios at the expected state than the
    milestone expects. Once per milestone × group, whatever the number of runs;
    returns how many reminders were sent now."""
    today = today or timezone.localdate()
    milestones = list(
        Milestone.objects.filter(call=call, expected_scenarios__isnull=False, due_on__gte=today, due_on__lte=today + REMINDER_LEAD)
        .order_by("due_on", "pk")
    )
    if not milestones:
        return 0
    groups = WorkingGroup.objects.filter(call=call).select_related("academy", "entry", "call")
    already = set(MilestoneReminder.objects.filter(milestone__in=milestones).values_list("milestone_id", "group_id"))
    sent = 0
    for progress in group_progress(groups, today=today, milestones=milestones):
        for item in progress.milestones:
            if item.reached or (item.milestone.pk, progress.group.pk) in already:
                continue
            with transaction.atomic():
                _reminder, created = MilestoneReminder.objects.get_or_create(
                    milestone=item.milestone, group=progress.group, defaults={"scenarios_then": item.done, "sent_at": now or timezone.now()},
                )
                if created:
                    queue_email(group_emails(progress.group), EMAILS + "milestone_reminder", {
                        "group": progress.group, "milestone": item.milestone, "done": item.done,
                        "state": ScenarioState(item.milestone.expected_state).label, "call": call,
                    })
                    sent += 1
    return sent
