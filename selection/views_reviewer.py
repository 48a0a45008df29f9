"""The national reviewers' pages (« Mes évaluations », the review of a
proposal, its attachments) and the academies' results page. Each view checks
the permission, calls a service or a selector and renders; the rules live in
``rules``, ``services`` and ``selectors``."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidatures.attachments import download_response
from candidatures.enums import ProposalState
from candidatures.models import Attachment, Proposal
from traam import scopes
from traam.enums import Role
from traam.models import Call
from traam.rules import is_pilot

from . import services
from .enums import ReviewState
from .forms_reviewer import ConflictForm, ReviewForm
from .models import Publication, ReviewAssignment, ScoringGrid
from .ranking import review_score, rounded
from .rules import follows_an_academy
from .selectors import academy_results, assigned_proposals, visible_reviews

PAGE_SIZE = 50
VIEW = "selection.view_proposal"

# A reviewer's own progress on a proposal, as ``assigned_proposals`` annotates it.
REVIEW_PROGRESS = {
    "": (_("non commencée"), "fr-badge--info"),
    ReviewState.DRAFT: (_("brouillon"), "fr-badge--new"),
    ReviewState.SUBMITTED: (_("soumise"), "fr-badge--success"),
}


def _require_reviewer(user):
    if not scopes.has_role(user, Role.REVIEWER):
        raise PermissionDenied


def _progress_label(review_state):
    label, badge = REVIEW_PROGRESS.get(review_state or "", REVIEW_PROGRESS[""])
    return str(label), badge


def _list_breadcrumb(current=None):
    if current is None:
        return {"links": [], "current": _("Mes évaluations")}
    return {"links": [{"url": reverse("selection:reviewer_list"), "title": _("Mes évaluations")}], "current": current}


# --- « Mes évaluations » ------------------------------------------------------------------


@login_required
@require_GET
def reviewer_list(request):
    """The proposals confided to the signed-in reviewer, call by call (the most
    recent first), with their progress; ``?appel=<year>`` keeps one call."""
    user = request.user
    _require_reviewer(user)
    today = timezone.localdate()
    proposals = assigned_proposals(user)
    progress = {
        row["theme__entry__call_id"]: row
        for row in proposals.order_by()
        .values("theme__entry__call_id")
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(review_state=ReviewState.SUBMITTED)),
            overdue=Count(
                "pk",
                filter=Q(state=ProposalState.SENT, due_on__lt=today) & ~Q(review_state=ReviewState.SUBMITTED),
            ),
        )
    }
    calls = list(Call.objects.filter(pk__in=list(progress)).order_by("-opens_on"))
    chosen = next((call for call in calls if call.year == request.GET.get("appel")), None)
    if chosen is not None:
        proposals = proposals.filter(theme__entry__call=chosen)
    proposals = proposals.order_by("-theme__entry__call__opens_on", "theme__entry__order", "academy__name", "title", "pk")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for proposal in rows:
        proposal.progress_label, proposal.progress_badge = _progress_label(proposal.review_state)
        proposal.is_overdue = (
            proposal.state == ProposalState.SENT
            and proposal.review_state != ReviewState.SUBMITTED
            and proposal.due_on is not None
            and proposal.due_on < today
        )
    groups = [
        {"call": call, "progress": progress[call.pk], "proposals": list(items)}
        for call, items in groupby(rows, key=lambda proposal: proposal.theme.entry.call)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "selection/reviewer/review_list.html",
        {
            "calls": calls,
            "chosen": chosen,
            "groups": groups,
            "page_obj": page,
            "query": query.urlencode(),
            "breadcrumb_data": _list_breadcrumb(),
        },
    )


# --- The review of a proposal --------------------------------------------------------------


def _proposal_for(request, pk, *perms):
    """The proposal if the user has ``selection.view_proposal`` and every one of
    ``perms`` on it; 404 when they may not even see it (its existence is not
    revealed), 403 when they may see it only."""
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "theme__entry__call", "theme__entry__discipline", "academy", "lead", "opinion_by", "synthesis_item__synthesis",
        ),
        pk=pk,
    )
    if not request.user.has_perm(VIEW, proposal):
        raise Http404
    if not all(request.user.has_perm(perm, proposal) for perm in perms):
        raise PermissionDenied
    return proposal


def _criteria(proposal):
    grid = ScoringGrid.objects.filter(call_id=proposal.theme.entry.call_id).first()
    return grid, (list(grid.criteria.all()) if grid else [])


def _shown(review, criteria):
    """A review as the page reads it: each criterion's value (None when not
    scored), its score out of 20, its recommendation's label."""
    values = {score.criterion_id: score for score in review.scores.all()}
    marks = [(score.criterion.weight, score.value, score.criterion.scale_min, score.criterion.scale_max) for score in values.values()]
    return {
        "review": review,
        "reviewer": review.assignment.reviewer,
        "rows": [(criterion, values[criterion.pk].value if criterion.pk in values else None) for criterion in criteria],
        "score": rounded(review_score(marks)) if review.is_submitted else None,
    }


def _add_errors(form, error):
    """Field errors go to their field, the others to the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _render_review(request, proposal, *, grid, criteria, review_form=None, conflict_form=None, status=200):
    user = request.user
    assignment = ReviewAssignment.objects.filter(proposal=proposal, reviewer=user).first()
    reviews = list(visible_reviews(user, proposal))
    own = next((review for review in reviews if review.assignment.reviewer_id == user.pk), None)
    can_change = user.has_perm("selection.change_review", proposal)
    can_declare = user.has_perm("selection.declare_conflict", proposal)
    if can_change and review_form is None:
        review_form = ReviewForm(initial=ReviewForm.initial_for(own), criteria=criteria, auto_id="review-%s")
    if can_declare and conflict_form is None:
        conflict_form = ConflictForm(auto_id="conflict-%s")
    # A refused form sits far down the page: say so at the top, with a link to it.
    refused = ""
    if review_form is not None and review_form.errors:
        refused = "evaluation"
    elif conflict_form is not None and conflict_form.errors:
        refused = "conflit"
    due_on = (assignment.due_on or (grid.review_due if grid else None)) if assignment else None
    synthesis_item = getattr(proposal, "synthesis_item", None)
    context = {
        "proposal": proposal,
        "call": proposal.theme.entry.call,
        "team": proposal.team.all(),
        "class_levels": proposal.class_levels.all(),
        "commons": proposal.commons.all(),
        "competences": proposal.crcn_competences.all(),
        "attachments": proposal.attachments.all(),
        "synthesis_item": synthesis_item,
        "synthesis_size": synthesis_item.synthesis.items.count() if synthesis_item else None,
        "hide_contacts": True,
        "grid": grid,
        "criteria": criteria,
        "assignment": assignment,
        "due_on": due_on,
        "is_overdue": bool(
            due_on and proposal.state == ProposalState.SENT and not (own and own.is_submitted) and due_on < timezone.localdate()
        ),
        "own": own,
        "own_shown": _shown(own, criteria) if own is not None and own.is_submitted else None,
        "others": [_shown(review, criteria) for review in reviews if review is not own],
        "can_change": can_change,
        "can_declare": can_declare,
        "review_form": review_form,
        "conflict_form": conflict_form,
        "refused": refused,
        "breadcrumb_data": _list_breadcrumb(str(proposal)) if scopes.has_role(user, Role.REVIEWER) else {"links": [], "current": str(proposal)},
    }
    return render(request, "selection/reviewer/review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The proposal under review and the reviewer's evaluation: « Enregistrer le
    brouillon » saves what is typed, « Soumettre l'évaluation » (confirmed)
    makes it final. A refusal shows the page again with each error beside its
    field and what was typed."""
    if request.method == "GET":
        proposal = _proposal_for(request, pk)
        grid, criteria = _criteria(proposal)
        return _render_review(request, proposal, grid=grid, criteria=criteria)

    proposal = _proposal_for(request, pk, "selection.change_review")
    grid, criteria = _criteria(proposal)
    submitting = "submit" in request.POST
    form = ReviewForm(request.POST, criteria=criteria, submitting=submitting, auto_id="review-%s")
    if form.is_valid():
        act = services.submit_review if submitting else services.save_review
        try:
            act(
                proposal, acting_user=request.user, scores=form.scores(),
                comment=form.cleaned_data["comment"], recommendation=form.cleaned_data["recommendation"],
            )
        except services.SelectionError as error:
            _add_errors(form, error)
        else:
            if submitting:
                messages.success(
                    request,
                    _("Votre évaluation est soumise. Vous pouvez désormais lire les évaluations soumises par les autres évaluateur·rices de cette candidature."),
                )
            else:
                messages.success(request, _("Votre brouillon est enregistré. Vous pourrez le reprendre jusqu'à sa soumission."))
            return redirect("selection:review", pk=proposal.pk)
    return _render_review(request, proposal, grid=grid, criteria=criteria, review_form=form)


@login_required
@require_POST
def declare_conflict(request, pk):
    """Déclarer un conflit d'intérêts: the proposal is given back (the draft is
    dropped) and the national pilots are told."""
    proposal = _proposal_for(request, pk, "selection.declare_conflict")
    form = ConflictForm(request.POST, auto_id="conflict-%s")
    if form.is_valid():
        try:
            services.declare_conflict(proposal, acting_user=request.user, reason=form.cleaned_data["reason"])
        except services.SelectionError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Votre conflit d'intérêts est déclaré : « %(title)s » ne vous est plus confiée et l'équipe nationale de pilotage en est informée.")
                % {"title": proposal},
            )
            return redirect("selection:reviewer_list")
    grid, criteria = _criteria(proposal)
    return _render_review(request, proposal, grid=grid, criteria=criteria, conflict_form=form)


@login_required
@require_GET
def attachment(request, pk, att_pk):
    """A proposal's attachment, for those who may see the proposal under review."""
    proposal = _proposal_for(request, pk)
    return download_response(get_object_or_404(Attachment, pk=att_pk, proposal=proposal))


# --- The academies' results ------------------------------------------------------------------


def _require_results_reader(user):
    """DAN/DRAN, inspectors and the national pilot; 403 for anyone else."""
    if not (is_pilot(user) or follows_an_academy(user)):
        raise PermissionDenied


def _default_results_call():
    """The latest call whose results are published, else the current call."""
    published = Call.objects.published().filter(publication__isnull=False).order_by("-opens_on").first()
    return published or Call.objects.current()


def _by_academy(proposals):
    """[{academy, total, selected, not_selected}] in the selector's order (academy, entry, title)."""
    groups = []
    for academy, items in groupby(proposals, key=lambda proposal: proposal.academy):
        items = list(items)
        groups.append(
            {
                "academy": academy,
                "total": len(items),
                "selected": [proposal for proposal in items if proposal.is_selected],
                "not_selected": [proposal for proposal in items if not proposal.is_selected],
            }
        )
    return groups


@login_required
@require_GET
def results(request, year=None):
    """Résultats de la sélection nationale, for the academies the person follows:
    once published, their selected and not-selected proposals, entry by entry;
    before, when they are expected — and nothing of the national reviews."""
    user = request.user
    _require_results_reader(user)
    if year is None:
        call = _default_results_call()
        if call is None:
            raise Http404
        return redirect("selection:results", year=call.year)
    call = get_object_or_404(Call.objects.published(), year=year)
    publication = Publication.objects.filter(call=call).first()
    groups = _by_academy(academy_results(user, call)) if publication is not None else []
    return render(
        request, "selection/results/results.html",
        {
            "call": call,
            "calls": Call.objects.published().order_by("-opens_on"),
            "publication": publication,
            "groups": groups,
            "expected_passed": call.results_on < timezone.localdate(),
            "breadcrumb_data": {"links": [], "current": _("Résultats de la sélection nationale")},
        },
    )
