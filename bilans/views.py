"""The bilans' pages.

The national pilot (``bilans.manage``: 403 for anyone else, the login page
for anonymous visitors): the call's bilans with their versions, which
refreshes itself (htmx) while a run is queued or running; starting one bilan
or all of them; downloading any finished version; publishing or withdrawing.

Anyone: the published bilans of a call, and the PDF of each public version
(404 for a bilan with no public version). Every change goes through
``bilans.services``; its French refusals come back as messages."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from traam.models import Call

from . import data, services
from .enums import BilanKind, RunState
from .forms import RequestBilanForm
from .models import BilanRun
from .services import BilanError

# After a change, back to the list, where the message is shown.
LIST_ANCHOR = "#bilans"


# --- Access -------------------------------------------------------------------------------


def _pilot_call(request, year):
    """403 for anyone but the pilot (before telling whether the call exists), 404 for an unknown call."""
    if not request.user.has_perm("bilans.manage"):
        raise PermissionDenied
    return get_object_or_404(Call.objects.published(), year=year)


def _pilot_run(request, pk):
    if not request.user.has_perm("bilans.manage"):
        raise PermissionDenied
    return get_object_or_404(BilanRun.objects.select_related("call", "entry"), pk=pk)


def _report(request, error):
    for message in error.messages:
        messages.error(request, message)


def _back(call):
    return redirect(reverse("bilans:pilot", args=[call.year]) + LIST_ANCHOR)


def _pdf_response(run, *, as_attachment):
    if not run.file:
        raise Http404
    try:
        handle = run.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=as_attachment, filename=run.download_name, content_type="application/pdf")


# --- The pilot's page -------------------------------------------------------------------------


def bilan_rows(call) -> tuple[list[dict], bool]:
    """One row per bilan (each entry, then the focus on AI): how many
    published scenarios it would cite, its versions (latest first), the
    active and the public one. Four queries, whatever the size of the call."""
    counts = data.published_counts(call)
    runs = defaultdict(list)
    for run in BilanRun.objects.filter(call=call).select_related("requested_by", "published_by").order_by("-version"):
        runs[(run.kind, run.entry_id)].append(run)
    rows = []
    for entry in call.entries.select_related("discipline").order_by("order", "name"):
        rows.append(_row(entry.code, entry.name, entry, counts.get(entry.pk, 0), runs[(BilanKind.ENTRY, entry.pk)]))
    rows.append(_row(BilanKind.FOCUS_AI_CODE, _("Focus sur les usages de l'intelligence artificielle"), None, counts[None],
                     runs[(BilanKind.FOCUS_AI, None)]))
    active = any(row["active"] for row in rows)
    return rows, active


def _row(code, title, entry, count, versions):
    return {
        "code": code,
        "title": title,
        "entry": entry,
        "count": count,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "active": next((run for run in versions if run.state in RunState.active), None),
        "public": next((run for run in versions if run.is_published), None),
    }


def _pilot_context(call):
    rows, active = bilan_rows(call)
    return {
        "call": call,
        "rows": rows,
        "any_active": active,
        "any_published_scenario": any(row["count"] for row in rows),
        "states": RunState,
    }


def home(request):
    """/bilans/: the pilot's page of the current call, the public list for everyone else."""
    call = Call.objects.current()
    if call is None:
        raise Http404
    if request.user.has_perm("bilans.manage"):
        return redirect("bilans:pilot", year=call.year)
    return redirect("bilans:public_list", year=call.year)


@login_required
def pilot(request, year):
    """Bilans nationaux: each entry's bilan and the focus on AI, their versions."""
    call = _pilot_call(request, year)
    context = _pilot_context(call)
    context.update({
        "calls": Call.objects.published().order_by("-opens_on"),
        "breadcrumb_data": {"links": [], "current": _("Bilans nationaux %(year)s") % {"year": call.year}},
    })
    return render(request, "bilans/pilot/overview.html", context)


@login_required
def pilot_runs(request, year):
    """The list alone, for the page's refresh while a run is under way (htmx);
    opened directly, the whole page."""
    call = _pilot_call(request, year)
    if not request.htmx:
        return redirect("bilans:pilot", year=call.year)
    return render(request, "bilans/pilot/_runs.html", _pilot_context(call))


@login_required
@require_POST
def request_one(request, year):
    call = _pilot_call(request, year)
    form = RequestBilanForm(request.POST, call=call)
    if not form.is_valid():
        for message in form.errors.get("bilan", []):
            messages.error(request, message)
        return _back(call)
    entry, kind = form.target()
    try:
        run, created = services.request_bilan(call, entry, kind=kind, acting_user=request.user)
    except BilanError as error:
        _report(request, error)
    else:
        _tell(request, run, created)
    return _back(call)


@login_required
@require_POST
def request_all(request, year):
    call = _pilot_call(request, year)
    try:
        results = services.request_all(call, acting_user=request.user)
    except BilanError as error:
        _report(request, error)
    else:
        created = sum(1 for _run, new in results if new)
        joined = len(results) - created
        text = ngettext("%(count)s bilan demandé", "%(count)s bilans demandés", created) % {"count": created}
        if joined:
            text += ngettext(", %(count)s déjà en cours", ", %(count)s déjà en cours", joined) % {"count": joined}
        messages.success(request, text + ". " + _("La page suit leur avancement."))
    return _back(call)


def _tell(request, run, created):
    """What became of the request: under way, joined, or already finished (no broker: rendered inline)."""
    run.refresh_from_db()
    values = {"title": run.title, "version": run.version}
    if run.state == RunState.DONE:
        messages.success(request, _("Le bilan « %(title)s » (version %(version)s) est prêt.") % values)
    elif run.state == RunState.FAILED:
        messages.error(request, _("La génération du bilan « %(title)s » (version %(version)s) a échoué : %(reason)s") % {**values, "reason": run.error})
    elif created:
        messages.success(request, _("Le bilan « %(title)s » (version %(version)s) est demandé ; la page suit son avancement.") % values)
    else:
        messages.info(request, _("Le bilan « %(title)s » est déjà en cours (version %(version)s) : votre demande le rejoint.") % values)


@login_required
@require_POST
def publish(request, pk):
    run = _pilot_run(request, pk)
    try:
        services.publish_bilan(run, acting_user=request.user)
    except BilanError as error:
        _report(request, error)
    else:
        messages.success(request, _("La version %(version)s du bilan « %(title)s » est publiée : c'est désormais la version publique.")
                         % {"version": run.version, "title": run.title})
    return _back(run.call)


@login_required
@require_POST
def unpublish(request, pk):
    run = _pilot_run(request, pk)
    try:
        services.unpublish_bilan(run, acting_user=request.user)
    except BilanError as error:
        _report(request, error)
    else:
        messages.success(request, _("Le bilan « %(title)s » n'est plus public.") % {"title": run.title})
    return _back(run.call)


@login_required
def download(request, pk):
    """Any finished version, for the pilot."""
    run = _pilot_run(request, pk)
    if run.state != RunState.DONE:
        raise Http404
    return _pdf_response(run, as_attachment=True)


# --- Public pages ---------------------------------------------------------------------------


def public_list(request, year):
    """The published bilans of a call."""
    call = get_object_or_404(Call.objects.published(), year=year)
    runs = list(
        BilanRun.objects.filter(call=call, is_published=True, state=RunState.DONE)
        .select_related("call", "entry").order_by("kind", "entry__order", "entry__name")
    )
    return render(request, "bilans/public_list.html", {
        "call": call,
        "runs": runs,
        "breadcrumb_data": {"links": [{"url": call.get_absolute_url(), "title": call.title}], "current": _("Bilans nationaux")},
    })


def public_download(request, year, code):
    """The public version of a bilan, for anyone; 404 when it has none."""
    call = get_object_or_404(Call.objects.published(), year=year)
    run = services.published_run(call, code)
    if run is None:
        raise Http404
    return _pdf_response(run, as_attachment=False)
