"""The production year's follow-up pages (*suivi de la production*):

- the progress dashboards (*avancement des groupes*): the groups a person
  follows — those an inspector reads or pilots, a DAN/DRAN's academies, an
  entry's for the members of its national group, all of them for the national
  pilot — with their scenarios per state, the milestones reached or overdue,
  their last activity and composition;
- the call's calendar (*calendrier*): its milestones, read by everyone involved
  in the call's groups, edited by the national pilot;
- teachers' hours (*heures*): declared by the groups' teachers, decided by the
  piloting inspector, capped per call by the national pilot, summed up and
  exported for payment by the academy's DAN/DRAN.

Views check the permission, call ``productions.services`` and render; the
services' French refusals come back beside the fields or as messages. Pages
read the date through ``today()`` so that what is overdue, and which months
may be declared, follow one clock (tests pin it)."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidatures.enums import TeamRole
from traam import charts, scopes
from traam.enums import Role
from traam.exports import EXPORT_FORMATS, export_response
from traam.models import Academy, Call, Entry
from traam.rules import is_pilot

from . import selectors, services
from .enums import HoursState, MilestoneStatus, ScenarioState
from .forms_progress import (
    HoursCapForm, HoursForm, MilestoneForm, NewMilestoneForm, ProgressFilterForm, RefuseHoursForm, month_label, production_months,
)
from .models import GroupMember, HoursCap, HoursDeclaration, Milestone, WorkingGroup
from .resources import HoursExportResource, hours_export_lines

PROGRESS_PAGE_SIZE = 20
DECISIONS_PAGE_SIZE = 25
PEOPLE_PAGE_SIZE = 50
# After a change, back to the top of the page, where the message is shown.
TOP = "#content"

# The scenarios' states in the order they move forward (a returned scenario
# was tested: it stands beside the tested ones), with their chart colours.
STATE_ORDER = [
    ScenarioState.DRAFT, ScenarioState.TESTED, ScenarioState.RETURNED, ScenarioState.SUBMITTED, ScenarioState.VALIDATED,
    ScenarioState.PUBLISHED,
]
STATE_COLORS = {
    ScenarioState.DRAFT: charts.GREY,
    ScenarioState.TESTED: charts.BLUE,
    ScenarioState.RETURNED: charts.ORANGE,
    ScenarioState.SUBMITTED: charts.PURPLE,
    ScenarioState.VALIDATED: charts.TEAL,
    ScenarioState.PUBLISHED: charts.GREEN,
}
MILESTONE_BADGES = {
    MilestoneStatus.REACHED: "fr-badge--success",
    MilestoneStatus.OVERDUE: "fr-badge--error",
    MilestoneStatus.UPCOMING: "fr-badge--info",
    MilestoneStatus.PASSED: "",
}
HOURS_BADGES = {HoursState.DECLARED: "fr-badge--info", HoursState.VALIDATED: "fr-badge--success", HoursState.REFUSED: "fr-badge--error"}


def today():
    """The date the pages reason on (Paris time)."""
    return timezone.localdate()


def hours_text(hours) -> str:
    return charts.number_text(hours if isinstance(hours, Decimal) else Decimal(hours or 0))


# --- Calls ---------------------------------------------------------------------------------


def calls_with_groups():
    """Published calls whose working groups are open, the latest first."""
    return list(Call.objects.published().filter(working_groups__isnull=False).distinct().order_by("-opens_on"))


def default_call(calls, day):
    """The call whose groups are at work on ``day``, else the latest with groups,
    else the current call (None when there is no call at all)."""
    at_work = [call for call in calls if call.production_starts_on <= day <= call.production_ends_on]
    if at_work:
        return at_work[0]
    return calls[0] if calls else Call.objects.current(day)


def _published_call(year):
    return get_object_or_404(Call.objects.published(), year=year)


def may_open_hours(user) -> bool:
    """The hours page has something for the person (``HoursRoles.any``, in fewer queries)."""
    if is_pilot(user) or scopes.has_role(user, Role.INSPECTOR, Role.DAN, Role.DRAN):
        return True
    return GroupMember.objects.filter(user=user, role__in=(*TeamRole.runs_sequences, TeamRole.INSPECTOR)).exists()


def follow_up_nav(user, call, *, calendar=None, hours=None) -> dict:
    """Which follow-up pages the person may open (the links between them);
    a page passes what it already knows."""
    return {
        "progress": user.has_perm("productions.view_progress"),
        "calendar": can_read_calendar(user, call) if calendar is None else calendar,
        "hours": may_open_hours(user) if hours is None else hours,
    }


# --- Progress ------------------------------------------------------------------------------


def _check_progress(request):
    if not request.user.has_perm("productions.view_progress"):
        raise PermissionDenied


def state_series():
    return [charts.Series(state, ScenarioState(state).label, STATE_COLORS[state]) for state in STATE_ORDER]


def _group_label(group) -> str:
    # The academy first: long titles are shortened in the chart.
    return f"{group.academy} — {group.title}"


def progress_chart(rows, chart_id="progress-chart"):
    """Scenarios per state, one stacked bar per group, the expected count marked."""
    return charts.stacked_bar_chart(
        [(_group_label(row.group), [row.counts[state] for state in STATE_ORDER], row.expected) for row in rows],
        state_series(), chart_id=chart_id, title=_("Séquences de chaque groupe, par état"),
        unit=(_("séquence"), _("séquences")), target_label=_("séquences attendues en fin d'année"), row_header=_("Groupe de travail"),
        summary=_("Nombre de séquences de chaque groupe de travail, par état, et le nombre attendu en fin d'année."),
    )


def states_chart(totals, chart_id="states-chart"):
    return charts.bar_chart(
        [(ScenarioState(state).label.capitalize(), totals[state]) for state in STATE_ORDER], chart_id=chart_id,
        title=_("Séquences de tous les groupes, par état"), unit=(_("séquence"), _("séquences")), label=_("Séquences"),
        row_header=_("État"),
    )


def _annotate_row(row, piloted_ids):
    row.piloted = row.group.pk in piloted_ids
    row.problems = services.composition_problems(row.group)
    row.reached = sum(1 for item in row.milestones if item.reached)
    return row


def _next_call_milestone(milestones, day):
    return next((milestone for milestone in milestones if milestone.due_on >= day and milestone.expected_scenarios), None)


@login_required
def progress(request, year=None):
    """Avancement des groupes de travail: summary figures, scenarios per state
    per group (chart and table), milestones reached, overdue and to come, last
    activity and composition, with filters. A bounded number of queries."""
    _check_progress(request)
    user, day = request.user, today()
    calls = calls_with_groups()
    call = _published_call(year) if year is not None else default_call(calls, day)
    if call is None:
        raise Http404
    visible = selectors.visible_groups(user, call)
    entries = Entry.objects.filter(pk__in=visible.values("entry_id")).order_by("order", "name")
    academies = Academy.objects.filter(pk__in=visible.values("academy_id")).order_by("name")
    piloted_ids = set() if is_pilot(user) else set(selectors.groups_piloted_by(user, call).values_list("pk", flat=True))
    form = ProgressFilterForm(request.GET or None, entries=entries, academies=academies, pilots_groups=bool(piloted_ids))
    filters = form.values()

    groups = selectors.with_composition(visible).order_by("entry__order", "academy__name", "title", "pk")
    if filters.get("entry"):
        groups = groups.filter(entry__code=filters["entry"])
    if filters.get("academy"):
        groups = groups.filter(academy__code=filters["academy"])
    if filters.get("piloted"):
        groups = groups.filter(pk__in=piloted_ids)
    milestones = list(Milestone.objects.filter(call=call).order_by("due_on", "pk"))
    rows = [_annotate_row(row, piloted_ids) for row in selectors.group_progress(groups, today=day, milestones=milestones)]
    if filters.get("behind"):
        rows = [row for row in rows if row.is_behind]

    totals = Counter()
    for row in rows:
        totals.update(row.counts)
    next_milestone = _next_call_milestone(milestones, day)
    next_reached = 0
    if next_milestone is not None:
        next_reached = sum(1 for row in rows for item in row.milestones if item.milestone.pk == next_milestone.pk and item.reached)
    page = Paginator(rows, PROGRESS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: ("on" if value is True else value) for key, value in filters.items()})
    return render(
        request, "productions/progress/dashboard.html",
        {
            "call": call,
            "calls": calls,
            "form": form,
            "filtered": bool(filters),
            "query": query,
            "page_obj": page,
            "rows": page.object_list,
            "count": len(rows),
            "scenarios": sum(totals.values()),
            "published": totals[ScenarioState.PUBLISHED],
            "awaiting": totals[ScenarioState.SUBMITTED],
            "behind": sum(1 for row in rows if row.is_behind),
            "incomplete": sum(1 for row in rows if row.problems),
            "next_milestone": next_milestone,
            "next_reached": next_reached,
            "states_chart": states_chart(totals) if rows else None,
            "chart": progress_chart(page.object_list) if rows else None,
            "nav": follow_up_nav(user, call, calendar=is_pilot(user) or visible.exists()),
            "breadcrumb_data": {"links": [], "current": _("Avancement des groupes %(year)s") % {"year": call.year}},
        },
    )


# --- Calendar ------------------------------------------------------------------------------


def can_read_calendar(user, call) -> bool:
    """Everyone involved in the call's groups: those who see one of them, the national pilot."""
    return is_pilot(user) or selectors.visible_groups(user, call).exists()


def _calendar_call(request, year):
    call = _published_call(year)
    if not can_read_calendar(request.user, call):
        raise PermissionDenied
    return call


def _pilot_calendar_call(request, year):
    if not request.user.has_perm("productions.manage_milestones"):
        raise PermissionDenied
    return _published_call(year)


def _calendar_url(call, anchor=TOP):
    return reverse("productions:calendar", args=[call.year]) + anchor


def _milestone_rows(call, user, milestones, day):
    """Each milestone with where the groups the person follows stand against it."""
    progress_rows = selectors.group_progress(selectors.visible_groups(user, call), today=day, milestones=milestones)
    by_milestone = defaultdict(list)
    for row in progress_rows:
        for item in row.milestones:
            by_milestone[item.milestone.pk].append(item)
    rows = []
    for milestone in milestones:
        items = by_milestone[milestone.pk]
        rows.append({
            "milestone": milestone,
            "state_label": ScenarioState(milestone.expected_state).label,
            "past": milestone.due_on < day,
            "groups": len(items),
            "reached": sum(1 for item in items if item.reached),
            "overdue": sum(1 for item in items if item.overdue),
            "own": items[0] if len(items) == 1 else None,
            "own_badge": MILESTONE_BADGES[items[0].status] if len(items) == 1 else "",
        })
    return rows, len(progress_rows)


def _render_calendar(request, call, *, bound=None, add_form=None):
    user, day = request.user, today()
    manage = user.has_perm("productions.manage_milestones")
    if manage:
        milestones = sorted(services.ensure_milestones(call, acting_user=user), key=lambda m: (m.due_on, m.pk))
    else:
        milestones = list(Milestone.objects.filter(call=call).order_by("due_on", "pk"))
    rows, followed = _milestone_rows(call, user, milestones, day)
    if manage:
        for row in rows:
            milestone = row["milestone"]
            row["form"] = bound if bound is not None and bound.prefix == f"milestone-{milestone.pk}" else MilestoneForm.for_milestone(milestone)
    return render(
        request, "productions/progress/calendar.html",
        {
            "call": call,
            "calls": calls_with_groups(),
            "rows": rows,
            "followed": followed,
            "manage": manage,
            "add_form": add_form or (NewMilestoneForm() if manage else None),
            "nav": follow_up_nav(user, call, calendar=True),
            "breadcrumb_data": {"links": [], "current": _("Calendrier de production %(year)s") % {"year": call.year}},
        },
    )


@login_required
def calendar_home(request):
    """The calendar of the call at work."""
    call = default_call(calls_with_groups(), today())
    if call is None:
        raise Http404
    return redirect("productions:calendar", year=call.year)


@login_required
def calendar(request, year):
    """Calendrier de production: the call's milestones (the default ones on the
    pilot's first visit) and where the person's groups stand against each."""
    call = _calendar_call(request, year)
    return _render_calendar(request, call)


@login_required
@require_POST
def milestone_add(request, year):
    call = _pilot_calendar_call(request, year)
    form = NewMilestoneForm(request.POST)
    if form.is_valid():
        try:
            milestone = services.add_milestone(call, acting_user=request.user, **form.values())
        except services.ProductionError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Le jalon « %(label)s » est ajouté au calendrier.") % {"label": milestone.label})
            return redirect(_calendar_url(call))
    return _render_calendar(request, call, add_form=form)


@login_required
@require_POST
def milestone_edit(request, year, pk):
    call = _pilot_calendar_call(request, year)
    milestone = get_object_or_404(Milestone, pk=pk, call=call)
    form = MilestoneForm.for_milestone(milestone, request.POST)
    if form.is_valid():
        try:
            milestone = services.update_milestone(milestone, acting_user=request.user, **form.values())
        except services.ProductionError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Le jalon « %(label)s » est enregistré.") % {"label": milestone.label})
            return redirect(_calendar_url(call))
    return _render_calendar(request, call, bound=form)


@login_required
@require_POST
def milestone_remove(request, year, pk):
    call = _pilot_calendar_call(request, year)
    milestone = get_object_or_404(Milestone, pk=pk, call=call)
    services.remove_milestone(milestone, acting_user=request.user)
    messages.success(request, _("Le jalon « %(label)s » est retiré du calendrier.") % {"label": milestone.label})
    return redirect(_calendar_url(call))


# --- Hours: who does what ------------------------------------------------------------------------


def teaching_groups(user):
    """The groups where ``user`` teaches (teacher or referent): those they declare hours in."""
    return (
        WorkingGroup.objects.filter(
            pk__in=GroupMember.objects.filter(user=user, role__in=TeamRole.runs_sequences).values("group_id")
        )
        .select_related("call", "academy", "entry")
        .order_by("-call__opens_on", "entry__order", "title", "pk")
    )


def delegation_academy_ids(user) -> frozenset:
    return scopes.academies_for(user, Role.DAN) | scopes.academies_for(user, Role.DRAN)


class HoursRoles:
    """What the person does with hours: declare, decide, follow an academy, pilot."""

    def __init__(self, user):
        self.groups_queryset = teaching_groups(user)
        self.groups = list(self.groups_queryset)
        self.pilot = is_pilot(user)
        self.decides = scopes.has_role(user, Role.INSPECTOR) or selectors.groups_piloted_by(user).exists()
        self.academy_ids = frozenset() if self.pilot else delegation_academy_ids(user)

    @property
    def declares(self):
        return bool(self.groups)

    @property
    def any(self):
        return self.declares or self.decides or self.pilot or bool(self.academy_ids)


def _hours_roles(request):
    roles = HoursRoles(request.user)
    if not roles.any:
        raise PermissionDenied
    return roles


# --- Hours: the page ------------------------------------------------------------------------------


def _declare_form(roles, data=None):
    """The declaration form: the person's groups, the months of their production begun by today."""
    months = production_months({group.call for group in roles.groups}, today())
    initial = {"month": f"{months[0]:%Y-%m}"} if months and data is None else None
    return HoursForm(data, groups=roles.groups_queryset, months=months, initial=initial), months


def _own_hours(user, roles):
    """The person's declarations, and per call: the cap, hours declared or validated, hours validated."""
    declarations = list(
        HoursDeclaration.objects.filter(member=user).select_related("group__call", "group__academy", "decided_by")
        .order_by("-month", "-declared_at", "-pk")
    )
    for declaration in declarations:
        declaration.badge = HOURS_BADGES[declaration.state]
        declaration.month_label = month_label(declaration.month)
        declaration.hours_label = hours_text(declaration.hours)
    calls = {group.call_id: group.call for group in roles.groups}
    sums = defaultdict(Decimal)
    for call_id, state, total in (
        HoursDeclaration.objects.filter(member=user, group__call_id__in=calls).values_list("group__call_id", "state")
        .annotate(total=Sum("hours")).order_by()
    ):
        sums[(call_id, state)] = total
    caps = dict(HoursCap.objects.filter(call_id__in=calls).values_list("call_id", "max_hours"))
    balances = []
    for call in sorted(calls.values(), key=lambda call: call.opens_on, reverse=True):
        used = sums[(call.pk, HoursState.DECLARED)] + sums[(call.pk, HoursState.VALIDATED)]
        cap = caps.get(call.pk)
        balances.append({
            "call": call,
            "cap": hours_text(cap) if cap is not None else None,
            "declared": hours_text(sums[(call.pk, HoursState.DECLARED)]),
            "validated": hours_text(sums[(call.pk, HoursState.VALIDATED)]),
            "left": hours_text(max(cap - used, Decimal("0"))) if cap is not None else None,
        })
    return declarations, balances


def _to_decide(request, refuse_forms):
    """The page of declarations waiting for the person's decision, each with
    its refusal form and what the member already has validated in the call."""
    page = Paginator(selectors.hours_to_decide(request.user), DECISIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    declarations = list(page.object_list)
    members = {declaration.member_id for declaration in declarations}
    calls = {declaration.group.call_id for declaration in declarations}
    validated = dict(
        ((member_id, call_id), total)
        for member_id, call_id, total in HoursDeclaration.objects.filter(
            member_id__in=members, group__call_id__in=calls, state=HoursState.VALIDATED
        ).values_list("member_id", "group__call_id").annotate(total=Sum("hours")).order_by()
    ) if declarations else {}
    caps = dict(HoursCap.objects.filter(call_id__in=calls).values_list("call_id", "max_hours")) if declarations else {}
    for declaration in declarations:
        declaration.refuse_form = refuse_forms.get(declaration.pk) or RefuseHoursForm(declaration=declaration)
        declaration.month_label = month_label(declaration.month)
        declaration.hours_label = hours_text(declaration.hours)
        declaration.validated_label = hours_text(validated.get((declaration.member_id, declaration.group.call_id), 0))
        cap = caps.get(declaration.group.call_id)
        declaration.cap_label = hours_text(cap) if cap is not None else None
    return page, declarations


def academy_hours(call, academy_ids=None):
    """Per academy with declarations in the call: hours waiting, validated and
    refused, and the people with validated hours. Three queries."""
    declarations = HoursDeclaration.objects.filter(group__call=call)
    if academy_ids is not None:
        declarations = declarations.filter(group__academy_id__in=academy_ids)
    sums = defaultdict(lambda: defaultdict(Decimal))
    for academy_id, state, total in (
        declarations.values_list("group__academy_id", "state").annotate(total=Sum("hours")).order_by()
    ):
        sums[academy_id][state] = total
    people = dict(
        declarations.filter(state=HoursState.VALIDATED).values_list("group__academy_id").annotate(n=Count("member_id", distinct=True))
        .order_by()
    )
    academies = Academy.objects.filter(pk__in=academy_ids) if academy_ids is not None else Academy.objects.filter(pk__in=list(sums))
    rows = []
    for academy in academies.order_by("name"):
        totals = sums.get(academy.pk, {})
        rows.append({
            "academy": academy,
            "declared": hours_text(totals.get(HoursState.DECLARED, 0)),
            "validated": hours_text(totals.get(HoursState.VALIDATED, 0)),
            "refused": hours_text(totals.get(HoursState.REFUSED, 0)),
            "people": people.get(academy.pk, 0),
        })
    return rows


def _selected_call(request, calls):
    year = request.GET.get("appel")
    if year:
        for call in calls:
            if call.year == year:
                return call
    return default_call(calls, today())


def _render_hours(request, roles, *, declare_form=None, refuse_forms=None, cap_form=None, call=None):
    user = request.user
    calls = calls_with_groups()
    nav_call = default_call(calls, today())
    context = {
        "roles": roles,
        "nav_call": nav_call,
        "nav": follow_up_nav(user, nav_call, hours=True) if nav_call else {},
        "breadcrumb_data": {"links": [], "current": _("Heures des groupes de travail")},
    }
    if roles.declares:
        form, months = _declare_form(roles)
        form = declare_form or form
        declarations, balances = _own_hours(user, roles)
        first_month = min(group.call.production_starts_on for group in roles.groups)
        context.update({
            "declare_form": form, "months": months, "first_month": month_label(first_month), "declarations": declarations,
            "balances": balances,
        })
    if roles.decides:
        page, to_decide = _to_decide(request, refuse_forms or {})
        context.update({"decisions_page": page, "to_decide": to_decide})
    if roles.pilot or roles.academy_ids:
        call = call or _selected_call(request, calls)
        context.update({"calls": calls, "call": call})
        if call is not None:
            context["academy_rows"] = academy_hours(call, None if roles.pilot else roles.academy_ids)
            if roles.pilot:
                cap = HoursCap.objects.filter(call=call).first()
                context["cap"] = cap
                context["cap_form"] = cap_form or HoursCapForm(initial={"max_hours": hours_text(cap.max_hours) if cap else ""})
    return render(request, "productions/hours/hours.html", context)


@login_required
def hours(request):
    """Heures: declare one's hours and follow them; decide on the hours of the
    groups one pilots; the academies' totals; the cap per call (pilot)."""
    return _render_hours(request, _hours_roles(request))


def _hours_url(anchor=TOP, query=""):
    return reverse("productions:hours") + (f"?{query}" if query else "") + anchor


@login_required
@require_POST
def hours_declare(request):
    roles = _hours_roles(request)
    if not roles.declares:
        raise PermissionDenied
    form, _months = _declare_form(roles, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.declare_hours(
                data["group"], acting_user=request.user, month=data["month"], hours=data["hours"], description=data["description"],
                today=today(),
            )
        except services.ProductionError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(hours)s h déclarées pour %(month)s dans le groupe « %(group)s » : elles attendent la validation de l'inspecteur·rice pilote.")
                % {"hours": hours_text(declaration.hours), "month": month_label(declaration.month), "group": declaration.group.title},
            )
            return redirect(_hours_url())
    return _render_hours(request, roles, declare_form=form)


def _declaration(request, pk):
    declaration = get_object_or_404(HoursDeclaration.objects.select_related("group__call", "group__entry", "member"), pk=pk)
    if not request.user.has_perm("productions.decide_hours", declaration):
        raise PermissionDenied
    return declaration


def _person(user) -> str:
    return user.get_full_name() or user.email


@login_required
@require_POST
def hours_validate(request, pk):
    declaration = _declaration(request, pk)
    try:
        services.validate_hours(declaration, acting_user=request.user)
    except services.ProductionError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Les %(hours)s h de %(person)s pour %(month)s sont validées.")
            % {"hours": hours_text(declaration.hours), "person": _person(declaration.member), "month": month_label(declaration.month)},
        )
    return redirect(_hours_url("#to-decide"))


@login_required
@require_POST
def hours_refuse(request, pk):
    declaration = _declaration(request, pk)
    form = RefuseHoursForm(request.POST, declaration=declaration)
    form.is_valid()
    try:
        services.refuse_hours(declaration, acting_user=request.user, comment=form.cleaned_data.get("comment", ""))
    except services.ProductionError as error:
        if hasattr(error, "error_dict"):
            form.add_service_errors(error)
            return _render_hours(request, _hours_roles(request), refuse_forms={declaration.pk: form})
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Les %(hours)s h de %(person)s pour %(month)s sont refusées ; le motif lui est envoyé par courriel.")
            % {"hours": hours_text(declaration.hours), "person": _person(declaration.member), "month": month_label(declaration.month)},
        )
    return redirect(_hours_url("#to-decide"))


@login_required
@require_POST
def hours_cap(request, year):
    if not is_pilot(request.user):
        raise PermissionDenied
    call = _published_call(year)
    form = HoursCapForm(request.POST)
    if form.is_valid():
        try:
            cap = services.set_hours_cap(call, form.cleaned_data["max_hours"], acting_user=request.user)
        except services.ProductionError as error:
            form.add_service_errors(error)
        else:
            if cap is None:
                messages.success(request, _("L'appel %(year)s n'a plus de plafond d'heures.") % {"year": call.year})
            else:
                messages.success(
                    request, _("Plafond de l'appel %(year)s : %(hours)s h par personne.") % {"year": call.year, "hours": hours_text(cap.max_hours)},
                )
            return redirect(_hours_url(query=urlencode({"appel": call.year})))
    return _render_hours(request, HoursRoles(request.user), cap_form=form, call=call)


# --- Hours: an academy's totals and export ---------------------------------------------------------


def _academy_call(request, year, academy_code):
    """404 for an unknown call or academy, 403 for anyone but its DAN/DRAN and the national pilot."""
    call = _published_call(year)
    academy = get_object_or_404(Academy, code=academy_code)
    if not request.user.has_perm("productions.export_hours", academy):
        raise PermissionDenied
    return call, academy


def hours_chart(export):
    return charts.bar_chart(
        [(total.group.title, total.hours) for total in export.groups], chart_id="hours-chart",
        title=_("Heures validées par groupe de travail"), unit=(_("heure"), _("heures")), label=_("Heures validées"),
        row_header=_("Groupe de travail"), color=charts.GREEN,
    )


@login_required
def hours_academy(request, year, academy_code):
    """Heures de l'académie: the validated hours per group and per person,
    the hours still waiting for a decision, and the export for payment."""
    call, academy = _academy_call(request, year, academy_code)
    export = selectors.hours_for_payment(academy, call)
    waiting = HoursDeclaration.objects.filter(group__academy=academy, group__call=call, state=HoursState.DECLARED).aggregate(
        hours=Sum("hours"), count=Count("pk"),
    )
    cap = HoursCap.objects.filter(call=call).first()
    people = sorted(export.people, key=lambda total: (total.person.last_name.lower(), total.person.first_name.lower(), total.person.pk))
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    for total in page.object_list:
        total.hours_label = hours_text(total.hours)
        total.at_cap = cap is not None and total.hours >= cap.max_hours
    for total in export.groups:
        total.hours_label = hours_text(total.hours)
    academies = None
    if not is_pilot(request.user):
        academies = list(Academy.objects.filter(pk__in=delegation_academy_ids(request.user)).order_by("name"))
    return render(
        request, "productions/hours/academy.html",
        {
            "call": call,
            "academy": academy,
            "calls": calls_with_groups(),
            "academies": academies,
            "export": export,
            "total": hours_text(export.total),
            "groups": export.groups,
            "page_obj": page,
            "people": page.object_list,
            "waiting_hours": hours_text(waiting["hours"] or 0),
            "waiting_count": waiting["count"],
            "cap": hours_text(cap.max_hours) if cap else None,
            "chart": hours_chart(export) if export.groups else None,
            "breadcrumb_data": {
                "links": [{"url": reverse("productions:hours"), "title": _("Heures des groupes de travail")}],
                "current": _("Heures de l'académie de %(academy)s — %(year)s") % {"academy": academy, "year": call.year},
            },
        },
    )


@login_required
def hours_export(request, year, academy_code, fmt):
    """The validated hours of the academy for payment, CSV or XLSX."""
    call, academy = _academy_call(request, year, academy_code)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return export_response(
        HoursExportResource(decimal_comma=fmt == "csv"), hours_export_lines(academy, call), fmt, f"heures-{academy.code}-{call.year}",
    )

