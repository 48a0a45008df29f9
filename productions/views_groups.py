"""The working groups' pages: the groups a person follows, a group with its
members, composition and scenarios (the piloting inspector manages the
members), and the national group of each entry (the national pilot names its
IGÉSR member and experts). Each view checks the permission, calls a service or
a selector and renders; the rules live in ``rules``, ``services`` and
``selectors``."""

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidatures.enums import TeamRole

from . import services
from .enums import NationalRole, ScenarioState
from .forms_groups import (
    GroupFilter, MemberForm, MemberRoleForm, NationalGroupFilter, NationalMembersForm, ScenarioCreateForm, add_service_errors,
)
from .models import GroupMember, NationalGroup, Scenario, WorkingGroup
from .rules import is_piloting_inspector
from .selectors import groups_piloted_by, scenarios_to_validate, visible_groups, visible_national_groups, with_composition

PAGE_SIZE = 30
VIEW_GROUP = "productions.view_group"
VIEW_NATIONAL = "productions.view_national_group"
# The scenarios waiting for the piloting inspector shown on the list (the oldest first).
TO_VALIDATE_SHOWN = 50


# --- Access ---------------------------------------------------------------------------------


def group_for(request, pk, perm=VIEW_GROUP):
    """The group if the user has ``perm`` on it; 404 when they may not even see
    it (its existence is not revealed), 403 when they may see it only. The
    members are prefetched: the rules read them."""
    group = get_object_or_404(
        WorkingGroup.objects.select_related("call", "entry__discipline", "academy", "proposal").prefetch_related("members"), pk=pk,
    )
    if request.user.has_perm(perm, group):
        return group
    if perm != VIEW_GROUP and request.user.has_perm(VIEW_GROUP, group):
        raise PermissionDenied
    raise Http404


def _national_for(request, pk, perm=VIEW_NATIONAL):
    national = get_object_or_404(NationalGroup.objects.select_related("call", "entry__discipline"), pk=pk)
    if request.user.has_perm(perm, national):
        return national
    if perm != VIEW_NATIONAL and request.user.has_perm(VIEW_NATIONAL, national):
        raise PermissionDenied
    raise Http404


def list_breadcrumb(current=None, links=()):
    root = {"url": reverse("productions:group_list"), "title": _("Groupes de travail")}
    if current is None:
        return {"links": [], "current": _("Groupes de travail")}
    return {"links": [root, *links], "current": current}


def group_breadcrumb(group, current=None):
    if current is None:
        return list_breadcrumb(str(group.title))
    return list_breadcrumb(current, [{"url": reverse("productions:group", args=[group.pk]), "title": group.title}])


# --- Rows of groups ---------------------------------------------------------------------------


def scenario_counts(group_ids) -> dict:
    """{group id: Counter(state → number)}, one query."""
    counts = defaultdict(Counter)
    for group_id, state, number in (
        Scenario.objects.filter(group_id__in=group_ids).values_list("group_id", "state").annotate(number=Count("pk")).order_by()
    ):
        counts[group_id][state] = number
    return counts


def _count_summary(counter) -> list[str]:
    """« 2 publiées », « 1 soumise pour validation »… in the order of the states."""
    return [f"{counter[state]} {label}" for state, label in ScenarioState.choices if counter.get(state)]


def _decorate(groups, *, piloted=frozenset(), roles=None):
    """Each group (annotated by ``with_composition``) with its composition
    problems, its scenarios by state, whether the person pilots it and their
    role in it. One query for the scenarios, whatever the number of groups."""
    groups = list(groups)
    counts = scenario_counts([group.pk for group in groups])
    for group in groups:
        group.problems = services.composition_problems(group)
        counter = counts[group.pk]
        group.scenario_total = sum(counter.values())
        group.scenario_summary = _count_summary(counter)
        group.to_validate = counter.get(ScenarioState.SUBMITTED, 0)
        group.is_piloted = group.pk in piloted
        group.my_role = TeamRole(roles[group.pk]).label if roles and group.pk in roles else ""
    return groups


# --- The list -----------------------------------------------------------------------------------


@login_required
@require_GET
def group_list(request):
    """« Mes groupes » (the groups the person belongs to), the scenarios waiting
    for their validation, and the other groups they follow (an inspector's
    academy × disciplines, a DAN's or CARDIE representative's academy, a
    national group's entry, every group for the national pilot), filtered and
    paginated."""
    user = request.user
    roles = dict(GroupMember.objects.filter(user=user).values_list("group_id", "role"))
    visible = with_composition(visible_groups(user))
    mine = _decorate(visible.filter(pk__in=list(roles)).order_by("-call__opens_on", "entry__order", "academy__name", "title"), roles=roles)
    others = visible.exclude(pk__in=list(roles)).order_by("-call__opens_on", "entry__order", "academy__name", "title", "pk")
    group_filter = GroupFilter(request.GET or None, queryset=others, choices_from=visible_groups(user).exclude(pk__in=list(roles)))
    page = Paginator(group_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page_groups = list(page.object_list)
    piloted = set(groups_piloted_by(user).filter(pk__in=[group.pk for group in page_groups + mine]).values_list("pk", flat=True))
    for group in mine:
        group.is_piloted = group.pk in piloted
    to_validate = list(scenarios_to_validate(user)[:TO_VALIDATE_SHOWN])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "productions/groups/group_list.html",
        {
            "mine": mine,
            "filter": group_filter,
            "page_obj": page,
            "groups": _decorate(page_groups, piloted=piloted),
            "show_others": bool(page.paginator.count) or group_filter.is_active,
            "to_validate": to_validate,
            "query": query.urlencode(),
            "has_national": visible_national_groups(user).exists(),
            "breadcrumb_data": list_breadcrumb(),
        },
    )


# --- A group ------------------------------------------------------------------------------------


def _member_rows(group, *, can_manage, role_forms=None, row_errors=None):
    rows = []
    for member in sorted(group.members.all(), key=lambda m: (list(TeamRole.values).index(m.role), m.last_name, m.first_name)):
        form = (role_forms or {}).get(member.pk)
        if form is None and can_manage:
            form = MemberRoleForm(initial={"role": member.role}, auto_id=f"member-{member.pk}-%s")
        rows.append({"member": member, "role_form": form, "errors": (row_errors or {}).get(member.pk, [])})
    return rows


def render_group(request, group, *, add_form=None, create_form=None, role_forms=None, row_errors=None, status=200):
    """The group's page; a refused form is shown again with its errors and what was typed."""
    user = request.user
    can_manage = user.has_perm("productions.manage_members", group)
    can_add_scenario = user.has_perm("productions.add_scenario", group)
    if can_manage and add_form is None:
        add_form = MemberForm()
    if can_add_scenario and create_form is None:
        create_form = ScenarioCreateForm()
    national = NationalGroup.objects.filter(entry_id=group.entry_id).first()
    refused = ""
    if add_form is not None and add_form.errors:
        refused = "ajouter-membre"
    elif create_form is not None and create_form.errors:
        refused = "nouvelle-sequence"
    elif row_errors:
        refused = "membres"
    return render(
        request, "productions/groups/group_detail.html",
        {
            "group": group,
            "problems": services.composition_problems(group),
            "members": _member_rows(group, can_manage=can_manage, role_forms=role_forms, row_errors=row_errors),
            "scenarios": list(group.scenarios.order_by("created_at", "pk")),
            "can_manage": can_manage,
            "can_add_scenario": can_add_scenario,
            "is_piloting_inspector": is_piloting_inspector(user, group),
            "add_form": add_form,
            "create_form": create_form,
            "refused": refused,
            "can_see_proposal": user.has_perm("candidatures.view_proposal", group.proposal),
            "national": national if national is not None and user.has_perm(VIEW_NATIONAL, national) else None,
            "breadcrumb_data": group_breadcrumb(group),
        },
        status=status,
    )


@login_required
@require_GET
def group_detail(request, pk):
    return render_group(request, group_for(request, pk))


@login_required
@require_POST
def member_add(request, pk):
    """Ajouter un membre: a new referent takes over from the current one."""
    group = group_for(request, pk, "productions.manage_members")
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member = services.add_member(group, acting_user=request.user, **form.cleaned_data)
        except services.ProductionError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s est ajouté·e au groupe (%(role)s).") % {"name": member.full_name, "role": member.get_role_display()},
            )
            return redirect("productions:group", pk=group.pk)
    return render_group(request, group, add_form=form)


def _member_of(group, member_pk):
    member = next((member for member in group.members.all() if member.pk == member_pk), None)
    if member is None:
        raise Http404
    return member


@login_required
@require_POST
def member_role(request, pk, member_pk):
    """Changer le rôle d'un membre; a refusal is shown beside the member."""
    group = group_for(request, pk, "productions.manage_members")
    member = _member_of(group, member_pk)
    form = MemberRoleForm(request.POST, auto_id=f"member-{member.pk}-%s")
    if form.is_valid():
        try:
            services.change_member_role(member, form.cleaned_data["role"], acting_user=request.user)
        except services.ProductionError as error:
            add_service_errors(form, error)
        else:
            member.refresh_from_db()
            messages.success(
                request, _("%(name)s est désormais %(role)s.") % {"name": member.full_name, "role": member.get_role_display()},
            )
            return redirect("productions:group", pk=group.pk)
    errors = [message for messages_ in form.errors.values() for message in messages_]
    return render_group(request, group, role_forms={member.pk: form}, row_errors={member.pk: errors})


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    """Retirer un membre; refused for the referent and the last piloting inspector."""
    group = group_for(request, pk, "productions.manage_members")
    member = _member_of(group, member_pk)
    try:
        services.remove_member(member, acting_user=request.user)
    except services.ProductionError as error:
        return render_group(request, group, row_errors={member.pk: error.messages})
    messages.success(request, _("%(name)s est retiré·e du groupe.") % {"name": member.full_name})
    return redirect("productions:group", pk=group.pk)


# --- National groups ------------------------------------------------------------------------------


@login_required
@require_GET
def national_group_list(request):
    """The national groups the person belongs to; all of them for the national pilot."""
    user = request.user
    nationals = visible_national_groups(user).annotate(
        referent_count=Count("members", filter=_role_q(NationalRole.REFERENT), distinct=True),
        expert_count=Count("members", filter=_role_q(NationalRole.TN3_EXPERT), distinct=True),
        igesr_count=Count("members", filter=_role_q(NationalRole.IGESR), distinct=True),
    ).order_by("-call__opens_on", "entry__order", "pk")
    national_filter = NationalGroupFilter(request.GET or None, queryset=nationals)
    page = Paginator(national_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    groups_by_entry = dict(
        WorkingGroup.objects.filter(entry_id__in=[national.entry_id for national in rows])
        .values_list("entry_id").annotate(number=Count("pk")).order_by()
    )
    for national in rows:
        national.group_count = groups_by_entry.get(national.entry_id, 0)
        national.incomplete = national.igesr_count != 1 or not 1 <= national.expert_count <= 2
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "productions/groups/national_list.html",
        {
            "filter": national_filter,
            "page_obj": page,
            "nationals": rows,
            "query": query.urlencode(),
            "breadcrumb_data": list_breadcrumb(_("Groupes nationaux")),
        },
    )


def _role_q(role):
    return Q(members__role=role)


def _render_national(request, national, *, form=None, status=200):
    user = request.user
    can_manage = user.has_perm("productions.manage_national_groups")
    members = list(national.members.select_related("academy", "group", "user").order_by("role", "academy__name", "last_name"))
    if can_manage and form is None:
        form = NationalMembersForm(national_group=national)
    groups = _decorate(
        with_composition(visible_groups(user).filter(entry_id=national.entry_id)).order_by("academy__name", "title", "pk")
    )
    scenarios = defaultdict(list)
    for scenario in Scenario.objects.filter(group__in=[group.pk for group in groups]).order_by("created_at", "pk"):
        scenarios[scenario.group_id].append(scenario)
    for group in groups:
        group.scenario_list = scenarios[group.pk]
    visible_ids = {group.pk for group in groups}
    return render(
        request, "productions/groups/national_detail.html",
        {
            "national": national,
            "igesr": [member for member in members if member.role == NationalRole.IGESR],
            "experts": [member for member in members if member.role == NationalRole.TN3_EXPERT],
            "referents": [member for member in members if member.role == NationalRole.REFERENT],
            "visible_ids": visible_ids,
            "groups": groups,
            "can_manage": can_manage,
            "form": form,
            "breadcrumb_data": list_breadcrumb(
                str(national.entry), [{"url": reverse("productions:national_group_list"), "title": _("Groupes nationaux")}],
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def national_group_detail(request, pk):
    """The national group of an entry: its members, and the entry's academic
    groups with their scenarios. The national pilot names the IGÉSR member
    and the TN3 experts here."""
    if request.method == "GET":
        return _render_national(request, _national_for(request, pk))
    national = _national_for(request, pk, "productions.manage_national_groups")
    form = NationalMembersForm(request.POST, national_group=national)
    if form.is_valid():
        igesr, experts = form.people()
        try:
            services.set_national_members(national, acting_user=request.user, igesr=igesr, experts=experts)
        except services.ProductionError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les membres du groupe national sont enregistrés."))
            return redirect("productions:national_group", pk=national.pk)
    return _render_national(request, national, form=form)
