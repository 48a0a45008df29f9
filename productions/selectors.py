"""What each person may list in the production year, filtered in the database
with the same rules as ``productions.rules``; the groups' composition and
progress against the calendar; the hours to decide and to pay. Each function
runs a bounded number of queries whatever the number of rows."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, Max, Q, Value, When
from django.utils import timezone

from candidatures.enums import TeamRole
from traam import scopes
from traam.enums import Role
from traam.rules import is_pilot

from .enums import HoursState, MilestoneStatus, ScenarioState
from .models import GroupMember, HoursDeclaration, Milestone, NationalGroup, NationalMember, Scenario, WorkingGroup

MIN_TEACHERS = 3


# --- Groups -----------------------------------------------------------------------------


def with_composition(groups):
    """Annotate each group with its members by role (``teacher_count`` counts
    the referent too, ``referent_count``, ``cardie_count``, ``inspector_count``,
    ``member_count``) and ``composition_ok``, in the same query:
    ``services.composition_problems`` reads them instead of querying."""
    return groups.annotate(
        member_count=Count("members", distinct=True),
        teacher_count=Count("members", filter=Q(members__role__in=TeamRole.runs_sequences), distinct=True),
        referent_count=Count("members", filter=Q(members__role=TeamRole.REFERENT), distinct=True),
        cardie_count=Count("members", filter=Q(members__role=TeamRole.CARDIE), distinct=True),
        inspector_count=Count("members", filter=Q(members__role=TeamRole.INSPECTOR), distinct=True),
    ).annotate(
        composition_ok=Case(
            When(Q(teacher_count__gte=MIN_TEACHERS, referent_count=1, cardie_count=1, inspector_count=1), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _base_groups():
    return WorkingGroup.objects.select_related("call", "entry__discipline", "academy")


def visible_groups(user, call=None):
    """The groups ``user`` may see: theirs; their academy × disciplines for an
    inspector; their academies for a DAN/DRAN or a CARDIE representative; their
    entry's for a member of a national group; all of them for the national pilot."""
    groups = _base_groups()
    if call is not None:
        groups = groups.filter(call=call)
    if not getattr(user, "is_authenticated", False):
        return groups.none()
    if is_pilot(user):
        return groups
    condition = Q(pk__in=GroupMember.objects.filter(user=user).values("group_id"))
    condition |= Q(entry_id__in=NationalMember.objects.filter(user=user).values("national_group__entry_id"))
    if scopes.has_role(user, Role.INSPECTOR):
        inspector = scopes.scope(user, Role.INSPECTOR)
        condition |= Q(academy_id__in=inspector.academy_ids, entry__discipline_id__in=inspector.discipline_ids or ())
    for role in (Role.DAN, Role.DRAN, Role.CARDIE):
        if scopes.has_role(user, role):
            condition |= Q(academy_id__in=scopes.scope(user, role).academy_ids)
    return groups.filter(condition)


def groups_piloted_by(user, call=None):
    """The groups whose piloting inspector ``user`` is: those where they are the
    inspector member, and those of their academy × disciplines where no
    inspector member has an account yet (``rules.is_piloting_inspector``)."""
    groups = _base_groups()
    if call is not None:
        groups = groups.filter(call=call)
    if not getattr(user, "is_authenticated", False):
        return groups.none()
    condition = Q(pk__in=GroupMember.objects.filter(role=TeamRole.INSPECTOR, user=user).values("group_id"))
    if scopes.has_role(user, Role.INSPECTOR):
        inspector = scopes.scope(user, Role.INSPECTOR)
        with_account = GroupMember.objects.filter(role=TeamRole.INSPECTOR, user__isnull=False).values("group_id")
        condition |= Q(academy_id__in=inspector.academy_ids, entry__discipline_id__in=inspector.discipline_ids or ()) & ~Q(pk__in=with_account)
    return groups.filter(condition)


def visible_national_groups(user):
    groups = NationalGroup.objects.select_related("call", "entry")
    if not getattr(user, "is_authenticated", False):
        return groups.none()
    if is_pilot(user):
        return groups
    return groups.filter(pk__in=NationalMember.objects.filter(user=user).values("national_group_id"))


# --- Scenarios ------------------------------------------------------------------------------


def visible_scenarios(user, call=None):
    """The scenarios of the groups ``user`` sees (published scenarios of other
    groups belong to the public catalogue: ``published_scenarios``)."""
    return (
        Scenario.objects.filter(group__in=visible_groups(user, call).values("pk"))
        .select_related("group__academy", "group__entry__discipline", "group__call")
        .order_by("group__entry__order", "group__academy__name", "group_id", "created_at", "pk")
    )


def published_scenarios(call=None):
    scenarios = Scenario.objects.filter(state=ScenarioState.PUBLISHED).select_related(
        "group__academy", "group__entry__discipline", "group__call"
    )
    if call is not None:
        scenarios = scenarios.filter(group__call=call)
    return scenarios.order_by("-published_at", "pk")


def scenarios_to_validate(user, call=None):
    """Scenarios submitted for validation in the groups ``user`` pilots."""
    return (
        Scenario.objects.filter(group__in=groups_piloted_by(user, call).values("pk"), state=ScenarioState.SUBMITTED)
        .select_related("group__academy", "group__entry")
        .order_by("submitted_at", "pk")
    )


# --- Progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneProgress:
    """A group against one milestone: how many of its scenarios count, and the status."""

    milestone: Milestone
    done: int
    status: str

    @property
    def reached(self) -> bool:
        return self.status == MilestoneStatus.REACHED

    @property
    def overdue(self) -> bool:
        return self.status == MilestoneStatus.OVERDUE

    @property
    def status_label(self) -> str:
        return str(MilestoneStatus(self.status).label)


@dataclass
class GroupProgress:
    group: WorkingGroup
    counts: dict  # state → number of scenarios (every state present)
    milestones: list  # MilestoneProgress, by date
    last_activity: datetime.datetime
    total: int = 0
    expected: int | None = None  # the most any milestone expects

    @property
    def overdue(self) -> list:
        return [item for item in self.milestones if item.overdue]

    @property
    def is_behind(self) -> bool:
        return bool(self.overdue)

    @property
    def next_milestone(self):
        return next((item for item in self.milestones if item.status == MilestoneStatus.UPCOMING), None)

    @property
    def published(self) -> int:
        return self.counts[ScenarioState.PUBLISHED]


def counting(states_counter, expected_state) -> int:
    """How many scenarios are at least ``expected_state`` (a returned one counts as tested)."""
    rank = ScenarioState.progress_rank
    floor = rank[expected_state]
    return sum(number for state, number in states_counter.items() if rank[state] >= floor)


def milestone_status(milestone, done, today) -> str:
    if milestone.expected_scenarios is None:
        return MilestoneStatus.PASSED if milestone.due_on < today else MilestoneStatus.UPCOMING
    if done >= milestone.expected_scenarios:
        return MilestoneStatus.REACHED
    return MilestoneStatus.OVERDUE if milestone.due_on < today else MilestoneStatus.UPCOMING


def group_progress(groups, today=None, milestones=None) -> list[GroupProgress]:
    """Each group's scenarios per state, the milestones of its call reached,
    overdue or upcoming (a milestone is overdue the day after its date), and its
    last activity (scenario saved or changed state, hours declared, or the
    group's creation). Three queries beside the groups' own, whatever their number."""
    today = today or timezone.localdate()
    groups = list(groups)
    ids = [group.pk for group in groups]
    counts, latest = defaultdict(Counter), {}
    for group_id, state, number, moment in (
        Scenario.objects.filter(group_id__in=ids).values_list("group_id", "state").annotate(number=Count("pk"), moment=Max("updated_at")).order_by()
    ):
        counts[group_id][state] = number
        latest[group_id] = max(moment, latest.get(group_id, moment))
    for group_id, moment in (
        HoursDeclaration.objects.filter(group_id__in=ids).values_list("group_id").annotate(moment=Max("declared_at")).order_by()
    ):
        latest[group_id] = max(moment, latest.get(group_id, moment))
    if milestones is None:
        milestones = Milestone.objects.filter(call_id__in={group.call_id for group in groups}).order_by("due_on", "pk")
    by_call = defaultdict(list)
    for milestone in milestones:
        by_call[milestone.call_id].append(milestone)

    rows = []
    for group in groups:
        states = counts[group.pk]
        items = []
        for milestone in by_call[group.call_id]:
            done = counting(states, milestone.expected_state)
            items.append(MilestoneProgress(milestone, done, milestone_status(milestone, done, today)))
        expectations = [m.expected_scenarios for m in by_call[group.call_id] if m.expected_scenarios]
        rows.append(GroupProgress(
            group=group,
            counts={state: states.get(state, 0) for state in ScenarioState.values},
            milestones=items,
            last_activity=max(group.created_at, latest.get(group.pk, group.created_at)),
            total=sum(states.values()),
            expected=max(expectations) if expectations else None,
        ))
    return rows


def calls_in_production(today=None):
    """The calls whose groups are at work on ``today`` (what the daily reminders look at)."""
    from traam.models import Call

    today = today or timezone.localdate()
    return Call.objects.filter(production_starts_on__lte=today, production_ends_on__gte=today, working_groups__isnull=False).distinct()


# --- Hours ------------------------------------------------------------------------------------


def hours_to_decide(user, call=None):
    """Declarations waiting for ``user``'s decision, as piloting inspector."""
    return (
        HoursDeclaration.objects.filter(group__in=groups_piloted_by(user, call).values("pk"), state=HoursState.DECLARED)
        .select_related("member", "group__academy", "group__entry")
        .order_by("month", "declared_at", "pk")
    )


@dataclass(frozen=True)
class PaymentRow:
    declaration: HoursDeclaration
    person: object
    uai: str
    group: WorkingGroup
    month: datetime.date
    hours: Decimal


@dataclass
class PersonTotal:
    person: object
    uai: str
    hours: Decimal = Decimal("0")
    groups: list = field(default_factory=list)


@dataclass
class GroupTotal:
    group: WorkingGroup
    hours: Decimal = Decimal("0")
    people: int = 0


@dataclass
class PaymentExport:
    """The validated hours of an academy for a call (*mise en paiement*): one
    row per declaration, the totals per person and per group, and the grand total."""

    academy: object
    call: object
    rows: list
    people: list
    groups: list
    total: Decimal


def hours_for_payment(academy, call) -> PaymentExport:
    """What the DAN/DRAN exports for payment: two queries whatever the size."""
    declarations = list(
        HoursDeclaration.objects.filter(group__academy=academy, group__call=call, state=HoursState.VALIDATED)
        .select_related("member", "group__entry", "decided_by")
        .order_by("member__last_name", "member__first_name", "member_id", "group__title", "group_id", "month", "pk")
    )
    schools = {
        (group_id, user_id): uai
        for group_id, user_id, uai in GroupMember.objects.filter(
            group__academy=academy, group__call=call, user__isnull=False
        ).values_list("group_id", "user_id", "uai")
    }
    rows, people, groups, paid = [], {}, {}, defaultdict(set)
    for declaration in declarations:
        uai = schools.get((declaration.group_id, declaration.member_id), "")
        rows.append(PaymentRow(declaration, declaration.member, uai, declaration.group, declaration.month, declaration.hours))
        person = people.setdefault(declaration.member_id, PersonTotal(declaration.member, uai))
        person.hours += declaration.hours
        person.uai = person.uai or uai
        if declaration.group not in person.groups:
            person.groups.append(declaration.group)
        group = groups.setdefault(declaration.group_id, GroupTotal(declaration.group))
        group.hours += declaration.hours
        paid[declaration.group_id].add(declaration.member_id)
    for group_id, group in groups.items():
        group.people = len(paid[group_id])
    return PaymentExport(
        academy=academy, call=call, rows=rows, people=list(people.values()),
        groups=sorted(groups.values(), key=lambda total: (total.group.entry.order, total.group.title, total.group.pk)),
        total=sum((row.hours for row in rows), Decimal("0")),
    )
