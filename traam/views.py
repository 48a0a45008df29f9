from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import scopes, services
from .dashboard import panels
from .enums import Role
from .filters import EntryFilter
from .forms import GrantRoleForm
from .models import Academy, Call, Entry, RoleAssignment, Theme
from .rules import is_pilot


def published_calls():
    return Call.objects.published().annotate(entry_count=Count("entries", distinct=True), theme_count=Count("entries__themes", distinct=True))


def home(request):
    calls = list(published_calls())
    current = Call.objects.current()
    current = next((c for c in calls if current and c.pk == current.pk), None)
    return render(request, "traam/home.html", {"calls": calls, "current": current})


def call_detail(request, year):
    call = get_object_or_404(Call.objects.published(), year=year)
    entries = call.entries.select_related("discipline").prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
    entry_filter = EntryFilter(request.GET or None, queryset=entries, call=call)
    return render(
        request,
        "traam/call_detail.html",
        {
            "call": call,
            "filter": entry_filter,
            "entries": entry_filter.qs,
            "theme_total": Theme.objects.filter(entry__call=call).count(),
            "breadcrumb_data": {"links": [], "current": call.title},
        },
    )


def theme_detail(request, year, entry, order):
    theme = get_object_or_404(
        Theme.objects.select_related("entry__call", "entry__discipline"),
        entry__call__year=year, entry__call__is_published=True, entry__code=entry, order=order,
    )
    call = theme.entry.call
    return render(
        request,
        "traam/theme_detail.html",
        {
            "theme": theme,
            "entry": theme.entry,
            "call": call,
            "sibling_themes": theme.entry.themes.exclude(pk=theme.pk),
            "breadcrumb_data": {"links": [{"url": call.get_absolute_url(), "title": call.title}], "current": theme.entry.name},
        },
    )


@login_required
def dashboard(request):
    calls = list(Call.objects.published().order_by("-opens_on")[:3])
    user_assignments = scopes.assignments(request.user)
    return render(
        request,
        "traam/dashboard.html",
        {"panels": panels(request.user, calls), "assignments": user_assignments, "calls": calls, "breadcrumb_data": {"current": _("Tableau de bord")}},
    )


def _grantable_academies(user):
    if is_pilot(user):
        return Academy.objects.all()
    ids = scopes.academies_for(user, Role.DAN) | scopes.academies_for(user, Role.DRAN)
    return Academy.objects.filter(pk__in=ids)


@login_required
@permission_required("traam.manage_academy_roles", raise_exception=True)
def academy_roles(request):
    academies = _grantable_academies(request.user)
    form = GrantRoleForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.grant_role(
                acting_user=request.user, email=data["email"], role=data["role"], academy=data["academy"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(user)s a maintenant le rôle « %(role)s » (%(academy)s).") % {
                "user": assignment.user, "role": assignment.get_role_display(), "academy": assignment.academy})
            return redirect("academy_roles")
    return render(
        request,
        "traam/academy_roles.html",
        {
            "form": form,
            "assignments": services.roles_granted_in_academies(academies.values_list("pk", flat=True)),
            "breadcrumb_data": {"links": [{"url": "/tableau-de-bord/", "title": _("Tableau de bord")}], "current": _("Équipes de l'académie")},
        },
    )


@login_required
@require_POST
def revoke_role(request, pk):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "academy"), pk=pk)
    if not request.user.has_perm("traam.revoke_role", assignment):
        raise Http404
    try:
        services.revoke_role(assignment, acting_user=request.user)
    except PermissionDenied:
        raise Http404
    messages.success(request, _("Le rôle a été retiré."))
    return redirect("academy_roles")


def page(template, title):
    def view(request):
        return render(request, template, {"breadcrumb_data": {"current": title}, "title": title})
    return view


