"""The national pilot's pages of the selection (*pilotage de la sélection
nationale*): the call's overview and the publication of the results, the
scoring grid, each entry's ranking with the selection and the assignments, one
proposal's reviews, the reviewers' workload with reminders, and the exports.

Pilot only (``selection.manage``): 403 for anyone else, the login page for
anonymous visitors. Every change goes through ``selection.services``; its
French refusals come back as messages, or beside the field they concern."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from traam.exports import EXPORT_FORMATS, export_response
from traam.models import Call, Entry, User

from . import ranking, selectors, services
from .enums import Recommendation, ReviewState
from .forms_pilot import (
    AssignEntryForm, AssignProposalForm, CriterionForm, EmptySeatReasonForm, NewCriterionForm, PublishForm, ReviewDueForm,
)
from .models import ConflictDeclaration, Publication, ReviewAssignment, ScoringGrid, Selection
from .resources import (
    RankingExportResource, ResultsExportResource, ReviewExportResource, ranking_for_export, results_for_export, reviews_for_export,
)
from .services import SelectionError

# Reviewers whose scores of a proposal differ by this many points out of 20 or
# more disagree: the ranking flags the proposal for a closer look.
LARGE_SPREAD = Decimal(4)

# The ranking's sortable columns: (``?tri=`` key, header, the key's own
# direction). A leading « - » reverses the key (``ranking.sort_ranking``).
SORTABLE_COLUMNS = [
    ("title", gettext_lazy("Candidature"), "ascending"),
    ("academy", gettext_lazy("Académie"), "ascending"),
    ("priority", gettext_lazy("Priorité académique"), "ascending"),
    ("reviews", gettext_lazy("Évaluations"), "ascending"),
    ("score", gettext_lazy("Moyenne /20"), "descending"),
    ("spread", gettext_lazy("Écart"), "descending"),
    ("selected", gettext_lazy("Sélection"), "descending"),
]
DEFAULT_SORT = "score"
WORKLOAD_PAGE_SIZE = 50

# After a change, back to the top of the page, where the message is shown (a
# redirect without a fragment would keep the one of the form's action, which
# points to the form so that its errors are in view).
TOP = "#content"


# --- Access -------------------------------------------------------------------------


def _pilot_call(request, year):
    """403 for anyone but the pilot (before telling whether the call exists), 404 for an unknown call."""
    if not request.user.has_perm("selection.manage"):
        raise PermissionDenied
    return get_object_or_404(Call.objects.published(), year=year)


def _pilot_entry(request, year, entry_code):
    call = _pilot_call(request, year)
    return get_object_or_404(Entry.objects.select_related("call", "discipline"), call=call, code=entry_code)


def _entry_proposal(entry, pk):
    """A proposal of the entry that reached the DNE (404 otherwise)."""
    return get_object_or_404(
        Proposal.objects.select_related("academy", "theme__entry", "lead", "synthesis_item"),
        pk=pk, theme__entry=entry, state__in=ProposalState.with_dne,
    )


def _publication(call):
    return Publication.objects.filter(call=call).select_related("published_by").first()


def _breadcrumb(call, current, entry=None):
    links = [{"url": reverse("selection:pilot", args=[call.year]), "title": _("Sélection nationale %(year)s") % {"year": call.year}}]
    if entry is not None:
        links.append({"url": reverse("selection:entry", args=[call.year, entry.code]), "title": str(entry)})
    return {"links": links, "current": current}


def _report(request, error):
    """A service's refusal, message by message."""
    for message in error.messages:
        messages.error(request, message)


# --- Overview and publication ----------------------------------------------------------


@login_required
def pilot_home(request):
    """The current call's overview."""
    if not request.user.has_perm("selection.manage"):
        raise PermissionDenied
    call = Call.objects.current()
    if call is None:
        raise Http404
    return redirect("selection:pilot", year=call.year)


def _entry_rows(call):
    """Per entry: proposals received, reviews assigned and submitted, seats
    filled, empty-seat reason. Five queries, whatever the size of the call."""
    entries = list(Entry.objects.filter(call=call).select_related("discipline", "empty_seat_reason").order_by("order", "name"))
    received = dict(
        Proposal.objects.filter(theme__entry__call=call, state__in=ProposalState.with_dne)
        .values_list("theme__entry_id").annotate(n=Count("pk")).order_by()
    )
    reviews = {
        row["entry_id"]: row
        for row in ReviewAssignment.objects.filter(proposal__theme__entry__call=call)
        .values(entry_id=F("proposal__theme__entry_id"))
        .annotate(assigned=Count("pk"), submitted=Count("pk", filter=Q(review__state=ReviewState.SUBMITTED)))
        .order_by()
    }
    selected = dict(Selection.objects.filter(entry__call=call).values_list("entry_id").annotate(n=Count("pk")).order_by())
    rows = []
    for entry in entries:
        counts = reviews.get(entry.pk, {})
        rows.append({
            "entry": entry,
            "received": received.get(entry.pk, 0),
            "assigned": counts.get("assigned", 0),
            "submitted": counts.get("submitted", 0),
            "selected": selected.get(entry.pk, 0),
            "reason": getattr(entry, "empty_seat_reason", None),
        })
    totals = {key: sum(row[key] for row in rows) for key in ("received", "assigned", "submitted", "selected")}
    totals["seats"] = sum(row["entry"].seats for row in rows)
    return rows, totals


@login_required
def overview(request, year):
    """Sélection nationale: where each entry stands, and the publication of the
    results (what still blocks it, the confirmation, or when it was done)."""
    call = _pilot_call(request, year)
    rows, totals = _entry_rows(call)
    publication = _publication(call)
    blockers = [] if publication else services.publication_blockers(call)
    return render(
        request, "selection/pilot/overview.html",
        {
            "call": call,
            "calls": Call.objects.published().order_by("-opens_on"),
            "rows": rows,
            "totals": totals,
            "publication": publication,
            "blockers": blockers,
            "publish_form": PublishForm(),
            "grid": ScoringGrid.objects.filter(call=call).first(),
            "breadcrumb_data": {"links": [], "current": _("Sélection nationale %(year)s") % {"year": call.year}},
        },
    )


@login_required
@require_POST
def publish(request, year):
    call = _pilot_call(request, year)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for message in form.errors["confirm"]:
            messages.error(request, message)
        return redirect("selection:pilot", year=call.year)
    try:
        publication = services.publish_results(call, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("Les résultats de l'appel %(year)s sont publiés : %(selected)s, %(not_selected)s. Les académies et les équipes en sont informées par courriel.")
            % {
                "year": call.year,
                "selected": ngettext("%(count)s candidature sélectionnée", "%(count)s candidatures sélectionnées", publication.selected_count)
                % {"count": publication.selected_count},
                "not_selected": ngettext("%(count)s non sélectionnée", "%(count)s non sélectionnées", publication.not_selected_count)
                % {"count": publication.not_selected_count},
            },
        )
    return redirect("selection:pilot", year=call.year)


# --- The scoring grid -------------------------------------------------------------------


def _render_grid(request, call, grid, *, bound=None, add_form=None, due_form=None):
    """The grid page; ``bound`` is a criterion form sent back with its errors."""
    criteria = list(grid.criteria.all())
    forms = [bound if bound is not None and bound.prefix == f"criterion-{c.pk}" else CriterionForm.for_criterion(c) for c in criteria]
    return render(
        request, "selection/pilot/grid.html",
        {
            "call": call,
            "grid": grid,
            "rows": list(zip(criteria, forms)),
            "total_weight": sum(c.weight for c in criteria),
            "locked": grid.is_locked,
            "locked_reason": services.GRID_LOCKED,
            "publication": _publication(call),
            "add_form": add_form or NewCriterionForm(),
            # A date input reads ISO dates, not the localized « 25 mai 2027 ».
            "due_form": due_form or ReviewDueForm(initial={"review_due": grid.review_due.isoformat()}),
            "breadcrumb_data": _breadcrumb(call, _("Grille d'évaluation")),
        },
    )


def _grid_url(call):
    return reverse("selection:grid", args=[call.year]) + TOP


@login_required
def grid(request, year):
    """Grille d'évaluation: the call's criteria (the default ones on the first
    visit), editable until a review is submitted, and the review due date."""
    call = _pilot_call(request, year)
    return _render_grid(request, call, services.ensure_grid(call, acting_user=request.user))


def _call_grid(request, year):
    call = _pilot_call(request, year)
    return call, get_object_or_404(ScoringGrid, call=call)


@login_required
@require_POST
def criterion_edit(request, year, criterion_pk):
    call, grid = _call_grid(request, year)
    criterion = get_object_or_404(grid.criteria, pk=criterion_pk)
    form = CriterionForm.for_criterion(criterion, request.POST)
    if form.is_valid():
        try:
            criterion = services.update_criterion(criterion, acting_user=request.user, **form.values())
        except SelectionError as error:
            if not hasattr(error, "error_dict"):  # the grid is locked: nothing to correct in the form
                _report(request, error)
                return redirect(_grid_url(call))
            form.add_service_errors(error)
        else:
            messages.success(request, _("Le critère « %(label)s » est enregistré.") % {"label": criterion.label})
            return redirect(_grid_url(call))
    return _render_grid(request, call, grid, bound=form)


@login_required
@require_POST
def criterion_add(request, year):
    call, grid = _call_grid(request, year)
    form = NewCriterionForm(request.POST)
    if form.is_valid():
        try:
            criterion = services.add_criterion(grid, acting_user=request.user, **form.values())
        except SelectionError as error:
            if not hasattr(error, "error_dict"):
                _report(request, error)
                return redirect(_grid_url(call))
            form.add_service_errors(error)
        else:
            messages.success(request, _("Le critère « %(label)s » est ajouté à la grille.") % {"label": criterion.label})
            return redirect(_grid_url(call))
    return _render_grid(request, call, grid, add_form=form)


@login_required
@require_POST
def criterion_remove(request, year, criterion_pk):
    call, grid = _call_grid(request, year)
    criterion = get_object_or_404(grid.criteria, pk=criterion_pk)
    try:
        services.remove_criterion(criterion, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        messages.success(request, _("Le critère « %(label)s » est retiré de la grille.") % {"label": criterion.label})
    return redirect(_grid_url(call))


@login_required
@require_POST
def review_due(request, year):
    call, grid = _call_grid(request, year)
    form = ReviewDueForm(request.POST)
    if form.is_valid():
        try:
            grid = services.set_review_due(grid, form.cleaned_data["review_due"], acting_user=request.user)
        except SelectionError as error:
            if not hasattr(error, "error_dict"):
                _report(request, error)
                return redirect(_grid_url(call))
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Les évaluations sont attendues le %(day)s.") % {"day": date_format(grid.review_due, "j F Y")})
            return redirect(_grid_url(call))
    return _render_grid(request, call, grid, due_form=form)


# --- An entry: ranking, selection, assignments ---------------------------------------------------


def _sort(value) -> str:
    value = (value or "").strip()
    return value if value.lstrip("-") in ranking.SORT_KEYS else DEFAULT_SORT


def _sort_columns(url, sort):
    """The headers of the sortable columns: the link that sorts by each (the
    other way round when it is the current one) and its ``aria-sort``."""
    opposite = {"ascending": "descending", "descending": "ascending"}
    columns = {}
    for key, label, direction in SORTABLE_COLUMNS:
        current = sort.lstrip("-") == key
        reverse_now = current and sort.startswith("-")
        target = key if reverse_now or not current else f"-{key}"
        columns[key] = {
            "label": label,
            "url": f"{url}?{urlencode({'tri': target})}",
            "aria_sort": (opposite[direction] if reverse_now else direction) if current else "",
        }
    return columns


def _assignment_tools(entry, proposals):
    """For each proposal: its assignments (with the review's state), the conflicts
    declared on it, and the reviewers of the discipline it could still be given.
    Three queries, whatever the number of proposals."""
    ids = [proposal.pk for proposal in proposals]
    assignments = defaultdict(list)
    for assignment in (
        ReviewAssignment.objects.filter(proposal_id__in=ids).select_related("reviewer", "review")
        .order_by("reviewer__last_name", "reviewer__first_name", "reviewer__email")
    ):
        assignment.review_state = getattr(getattr(assignment, "review", None), "state", "")
        assignments[assignment.proposal_id].append(assignment)
    conflicts = defaultdict(list)
    for conflict in ConflictDeclaration.objects.filter(proposal_id__in=ids).select_related("reviewer").order_by("declared_at"):
        conflicts[conflict.proposal_id].append(conflict)
    reviewers = list(selectors.reviewers_for(entry))
    tools = {}
    for proposal_id in ids:
        taken = {a.reviewer_id for a in assignments[proposal_id]} | {c.reviewer_id for c in conflicts[proposal_id]}
        tools[proposal_id] = {
            "assignments": assignments[proposal_id],
            "conflicts": conflicts[proposal_id],
            # Those from the proposal's academy are listed too: the service
            # refuses them with the reason.
            "available": [reviewer for reviewer in reviewers if reviewer.pk not in taken],
        }
    return tools, reviewers


def _render_entry(request, entry, *, sort=DEFAULT_SORT, assign_form=None, reason_form=None):
    call = entry.call
    url = reverse("selection:entry", args=[call.year, entry.code])
    rows = ranking.rank_entry(entry, sort=sort)
    tools, reviewers = _assignment_tools(entry, [row.proposal for row in rows])
    for row in rows:
        row.tools = tools[row.proposal.pk]
        row.large_spread = row.spread is not None and row.spread >= LARGE_SPREAD
        row.recommendation_list = [
            (Recommendation(value).label, row.recommendations[value]) for value in Recommendation.values if row.recommendations.get(value)
        ]
    selected = sum(1 for row in rows if row.selected)
    reason = getattr(entry, "empty_seat_reason", None)
    publication = _publication(call)
    return render(
        request, "selection/pilot/entry.html",
        {
            "call": call,
            "entry": entry,
            "rows": rows,
            "sort": sort,
            "columns": _sort_columns(url, sort),
            "selected": selected,
            "full": selected >= entry.seats,
            "reason": reason,
            "publication": publication,
            "large_spread": LARGE_SPREAD,
            "reviewers": reviewers,
            "assign_form": assign_form or AssignEntryForm(reviewers=selectors.reviewers_for(entry)),
            "reason_form": reason_form or EmptySeatReasonForm(initial={"reason": reason.reason if reason else ""}),
            "entries": Entry.objects.filter(call=call).order_by("order", "name").only("code", "name", "call_id"),
            "breadcrumb_data": _breadcrumb(call, str(entry)),
        },
    )


@login_required
def entry(request, year, entry_code):
    """Classement d'une discipline: the ranking, the selection against the seats,
    the reason for empty seats, and the reviewers' assignments."""
    entry = _pilot_entry(request, year, entry_code)
    return _render_entry(request, entry, sort=_sort(request.GET.get("tri")))


def _back(request, entry, proposal=None):
    """Back where the form was: the proposal's page, or the ranking in the same order."""
    if proposal is not None and request.POST.get("from") == "proposal":
        return redirect(reverse("selection:entry_proposal", args=[entry.call.year, entry.code, proposal.pk]) + TOP)
    url = reverse("selection:entry", args=[entry.call.year, entry.code])
    sort = _sort(request.POST.get("tri"))
    if sort != DEFAULT_SORT:
        url += "?" + urlencode({"tri": sort})
    return redirect(url + TOP)


@login_required
@require_POST
def select(request, year, entry_code, pk):
    entry = _pilot_entry(request, year, entry_code)
    proposal = _entry_proposal(entry, pk)
    try:
        services.select(proposal, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("« %(title)s » est sélectionnée (%(selected)s / %(seats)s places).")
            % {"title": proposal, "selected": Selection.objects.filter(entry=entry).count(), "seats": entry.seats},
        )
    return _back(request, entry, proposal)


@login_required
@require_POST
def unselect(request, year, entry_code, pk):
    entry = _pilot_entry(request, year, entry_code)
    proposal = _entry_proposal(entry, pk)
    try:
        services.unselect(proposal, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        messages.success(request, _("« %(title)s » est retirée de la sélection.") % {"title": proposal})
    return _back(request, entry, proposal)


@login_required
@require_POST
def empty_seats(request, year, entry_code):
    entry = _pilot_entry(request, year, entry_code)
    form = EmptySeatReasonForm(request.POST)
    if form.is_valid():
        try:
            written = services.set_empty_seat_reason(entry, form.cleaned_data["reason"], acting_user=request.user)
        except SelectionError as error:
            if not hasattr(error, "error_dict"):
                _report(request, error)
                return _back(request, entry)
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            messages.success(request, _("Le motif des places vacantes est enregistré.") if written else _("Le motif des places vacantes est retiré."))
            return _back(request, entry)
    return _render_entry(request, entry, sort=_sort(request.POST.get("tri")), reason_form=form)


def _titles(proposals) -> str:
    return ", ".join(f"« {proposal} »" for proposal in proposals)


@login_required
@require_POST
def assign_entry(request, year, entry_code):
    entry = _pilot_entry(request, year, entry_code)
    form = AssignEntryForm(request.POST, reviewers=selectors.reviewers_for(entry))
    if not form.is_valid():
        return _render_entry(request, entry, sort=_sort(request.POST.get("tri")), assign_form=form)
    reviewer = form.cleaned_data["reviewer"]
    try:
        report = services.assign_entry(entry, reviewer, acting_user=request.user, due_on=form.cleaned_data["due_on"])
    except SelectionError as error:
        _report(request, error)
        return _back(request, entry)
    name = reviewer.get_full_name() or reviewer.email
    if report.assigned:
        messages.success(
            request,
            ngettext(
                "%(count)s candidature assignée à %(name)s : %(titles)s.",
                "%(count)s candidatures assignées à %(name)s : %(titles)s.",
                report.assigned_count,
            ) % {"count": report.assigned_count, "name": name, "titles": _titles(a.proposal for a in report.assigned)},
        )
    else:
        messages.info(request, _("Aucune nouvelle candidature assignée à %(name)s.") % {"name": name})
    if report.skipped:
        messages.warning(
            request,
            ngettext("%(count)s candidature non assignée : %(reasons)s", "%(count)s candidatures non assignées : %(reasons)s", report.skipped_count)
            % {"count": report.skipped_count, "reasons": " ".join(reason for _proposal, reason in report.skipped)},
        )
    return _back(request, entry)


@login_required
@require_POST
def assign_proposal(request, year, entry_code, pk):
    entry = _pilot_entry(request, year, entry_code)
    proposal = _entry_proposal(entry, pk)
    form = AssignProposalForm(request.POST, reviewers=selectors.reviewers_for(entry))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(request, entry, proposal)
    reviewer = form.cleaned_data["reviewer"]
    try:
        services.assign_reviewer(proposal, reviewer, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        messages.success(request, _("« %(title)s » est assignée à %(name)s.") % {"title": proposal, "name": reviewer.get_full_name() or reviewer.email})
    return _back(request, entry, proposal)


@login_required
@require_POST
def unassign(request, year, entry_code, pk, assignment_pk):
    entry = _pilot_entry(request, year, entry_code)
    proposal = _entry_proposal(entry, pk)
    assignment = get_object_or_404(ReviewAssignment.objects.select_related("reviewer"), pk=assignment_pk, proposal=proposal)
    try:
        services.unassign(assignment, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        reviewer = assignment.reviewer
        messages.success(request, _("« %(title)s » n'est plus assignée à %(name)s.") % {"title": proposal, "name": reviewer.get_full_name() or reviewer.email})
    return _back(request, entry, proposal)


# --- One proposal's reviews ---------------------------------------------------------------


def _review_columns(reviews, criteria):
    """Each review with its value on each criterion (in the grid's order) and,
    once submitted, its score out of 20."""
    columns = []
    for review in reviews:
        values = {score.criterion_id: score for score in review.scores.all()}
        marks = [(s.criterion.weight, s.value, s.criterion.scale_min, s.criterion.scale_max) for s in values.values()]
        exact = ranking.review_score(marks) if review.is_submitted else None  # a draft may miss scores
        columns.append({
            "review": review,
            "values": [values[c.pk].value if c.pk in values else None for c in criteria],
            "exact": exact,
            "score": ranking.rounded(exact),
        })
    return columns


@login_required
def entry_proposal(request, year, entry_code, pk):
    """Every review of a proposal (drafts included: the pilot sees them), its
    scores criterion by criterion, comments and recommendations, the conflicts
    declared on it, and its reviewers."""
    entry = _pilot_entry(request, year, entry_code)
    proposal = _entry_proposal(entry, pk)
    call = entry.call
    grid = ScoringGrid.objects.filter(call=call).first()
    criteria = list(grid.criteria.all()) if grid else []
    reviews = list(selectors.visible_reviews(request.user, proposal))
    columns = _review_columns(reviews, criteria)
    submitted = [column["exact"] for column in columns if column["exact"] is not None]
    score_rows = [(criterion, [column["values"][index] for column in columns]) for index, criterion in enumerate(criteria)]
    tools, _reviewers = _assignment_tools(entry, [proposal])
    spread = ranking.spread(submitted)
    return render(
        request, "selection/pilot/entry_proposal.html",
        {
            "call": call,
            "entry": entry,
            "proposal": proposal,
            "item": getattr(proposal, "synthesis_item", None),
            "criteria": criteria,
            "columns": columns,
            "score_rows": score_rows,
            "mean": ranking.rounded(ranking.mean(submitted)),
            "spread": ranking.rounded(spread),
            "large_spread": spread is not None and spread >= LARGE_SPREAD,
            "tools": tools[proposal.pk],
            "selected": Selection.objects.filter(proposal=proposal).exists() or proposal.state == ProposalState.SELECTED,
            "publication": _publication(call),
            "breadcrumb_data": _breadcrumb(call, str(proposal), entry=entry),
        },
    )


# --- Workload and reminders ---------------------------------------------------------------


@login_required
def workload(request, year):
    """Charge des évaluateur·rices: per reviewer, assigned, submitted, drafts,
    not started and overdue reviews, and the reminders."""
    call = _pilot_call(request, year)
    loads = selectors.workload(call)
    page = Paginator(loads, WORKLOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    for load in page:
        load.not_started = load.assigned - load.submitted - load.drafts
    return render(
        request, "selection/pilot/workload.html",
        {
            "call": call,
            "page_obj": page,
            "loads": page.object_list,
            "pending": sum(load.pending for load in loads),
            "overdue": sum(load.overdue for load in loads),
            "to_remind": sum(1 for load in loads if load.pending),
            "grid": ScoringGrid.objects.filter(call=call).first(),
            "publication": _publication(call),
            "breadcrumb_data": _breadcrumb(call, _("Évaluateur·rices")),
        },
    )


@login_required
@require_POST
def remind(request, year, user_pk):
    call = _pilot_call(request, year)
    reviewer = get_object_or_404(User, pk=user_pk)
    try:
        services.send_reminder(reviewer, call, acting_user=request.user)
    except SelectionError as error:
        _report(request, error)
    else:
        messages.success(request, _("Un courriel de relance est mis en file d'envoi pour %(name)s.") % {"name": reviewer.get_full_name() or reviewer.email})
    return redirect("selection:workload", year=call.year)


@login_required
@require_POST
def remind_all(request, year):
    call = _pilot_call(request, year)
    sent = services.send_reminders(call, acting_user=request.user)
    if sent:
        messages.success(
            request,
            ngettext(
                "%(count)s courriel de relance est mis en file d'envoi.", "%(count)s courriels de relance sont mis en file d'envoi.", sent,
            ) % {"count": sent},
        )
    else:
        messages.info(request, _("Aucune évaluation en attente : personne à relancer."))
    return redirect("selection:workload", year=call.year)


# --- Exports ---------------------------------------------------------------------------------


@login_required
def export(request, year, kind, fmt):
    """Évaluations, classement or résultats (once published) as CSV or XLSX."""
    call = _pilot_call(request, year)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    options = {"decimal_comma": fmt == "csv"}
    if kind == "reviews":
        grid = ScoringGrid.objects.filter(call=call).first()
        criteria = list(grid.criteria.all()) if grid else []
        resource, rows, stem = ReviewExportResource(criteria, **options), reviews_for_export(call), "evaluations"
    elif kind == "ranking":
        resource, rows, stem = RankingExportResource(**options), ranking_for_export(call), "classement"
    elif kind == "results":
        if not Publication.objects.filter(call=call).exists():
            raise Http404
        resource, rows, stem = ResultsExportResource(**options), results_for_export(selectors.academy_results(request.user, call)), "resultats"
    else:
        raise Http404
    return export_response(resource, rows, fmt, f"selection-{stem}-{call.year}")
