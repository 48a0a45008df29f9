"""The team's side of the Proposals stage: each view checks the permission,
calls a service and renders; the rules live in ``services`` and ``rules``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traam import scopes
from traam.enums import Role
from traam.models import Theme

from . import services
from .enums import ProposalState
from .filters import REVIEWED_STATES, InspectorProposalFilter
from .forms import DecisionForm, OpinionForm, ProposalForm, ReturnForm, TeamFormSet, WithdrawForm, team_initial
from .models import Proposal
from .selectors import visible_proposals

PAGE_SIZE = 20


def _proposal_for(request, pk, perm):
    """The proposal if the user has ``perm`` on it; 404 when they may not even
    see it (its existence is not revealed), 403 when they may see it only."""
    proposal = get_object_or_404(Proposal.objects.select_related("theme__entry__call", "theme__entry__discipline", "academy", "lead"), pk=pk)
    if request.user.has_perm(perm, proposal):
        return proposal
    if perm != "candidatures.view_proposal" and request.user.has_perm("candidatures.view_proposal", proposal):
        raise PermissionDenied
    raise Http404


def _breadcrumb(current, proposal=None):
    links = [{"url": reverse("candidatures:list"), "title": _("Mes candidatures")}]
    if proposal is not None:
        links.append({"url": reverse("candidatures:detail", args=[proposal.pk]), "title": str(proposal)})
    return {"links": links, "current": current}


@login_required
def proposal_list(request):
    user = request.user
    proposals = (
        visible_proposals(user).filter(Q(lead=user) | Q(team__user=user)).distinct().order_by("-updated_at", "-pk")
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "candidatures/proposal_list.html",
        {"page_obj": page, "proposals": page.object_list, "breadcrumb_data": {"links": [], "current": _("Mes candidatures")}},
    )


@login_required
@require_POST
def start(request, theme_id):
    theme = get_object_or_404(Theme.objects.select_related("entry__call"), pk=theme_id, entry__call__is_published=True)
    try:
        proposal = services.start_proposal(theme, acting_user=request.user)
    except services.ProposalError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(theme.get_absolute_url())
    messages.success(request, _("Votre candidature est créée : complétez-la puis déposez-la avant la date limite."))
    return redirect("candidatures:edit", pk=proposal.pk)


def _review_forms(proposal, bound=None):
    """The inspector's three forms on the detail page; ``bound`` is the one
    just posted and refused, shown again with its errors and what was typed."""
    forms = {
        "opinion_form": OpinionForm(
            initial={"opinion": proposal.opinion, "comment": proposal.opinion_comment}, auto_id="review-opinion-%s",
        ),
        "return_form": ReturnForm(auto_id="review-return-%s"),
        "decision_form": DecisionForm(auto_id="review-decision-%s"),
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _render_detail(request, proposal, bound_review_form=None, status=200):
    user = request.user
    can_change = user.has_perm("candidatures.change_proposal", proposal)
    can_review = user.has_perm("candidatures.review_proposal", proposal)
    context = {
        "proposal": proposal,
        "team": proposal.team.all(),
        "class_levels": proposal.class_levels.all(),
        "commons": proposal.commons.all(),
        "competences": proposal.crcn_competences.all(),
        "missing": services.missing_for_submission(proposal) if can_change else [],
        "can_change": can_change,
        "can_review": can_review,
        "can_withdraw": user.has_perm("candidatures.withdraw_proposal", proposal),
        "withdraw_form": WithdrawForm(),
        "breadcrumb_data": _breadcrumb(str(proposal)),
    }
    if can_review:
        context.update(_review_forms(proposal, bound_review_form))
        # Which of the inspector's forms apply now (the services hold the same states).
        context["opinion_open"] = proposal.state in ProposalState.open_to_opinion
        context["decision_open"] = proposal.state in ProposalState.awaiting_academy
    return render(request, "candidatures/proposal_detail.html", context, status=status)


@login_required
def detail(request, pk):
    return _render_detail(request, _proposal_for(request, pk, "candidatures.view_proposal"))


def _add_errors(form, error):
    """Field errors go to their field, the others to the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def edit(request, pk):
    proposal = _proposal_for(request, pk, "candidatures.change_proposal")
    may_submit = request.user.has_perm("candidatures.submit_proposal", proposal)
    wants_submit = "submit" in request.POST
    if wants_submit and not may_submit:
        raise PermissionDenied
    missing = []
    if request.method == "POST":
        form = ProposalForm(request.POST)
        formset = TeamFormSet(request.POST, prefix="team")
        if form.is_valid() and formset.is_valid():
            try:
                # Both or neither: a refused team leaves the content and the version as they were.
                with transaction.atomic():
                    services.save_draft(proposal, form.draft_data(), acting_user=request.user, expected_version=form.cleaned_data["version"])
                    services.replace_team(proposal, formset.members(), acting_user=request.user, expected_version=proposal.version)
            except services.ProposalError as error:
                proposal.refresh_from_db()
                _add_errors(form, error)
            else:
                if not wants_submit:
                    messages.success(request, _("Le brouillon est enregistré."))
                    return redirect("candidatures:edit", pk=proposal.pk)
                try:
                    services.submit(proposal, acting_user=request.user)
                except services.ProposalError as error:
                    missing = error.messages
                    # Saved: show what is now stored, with the new version.
                    form = ProposalForm(initial=ProposalForm.initial_for(proposal))
                    formset = TeamFormSet(initial=team_initial(proposal), prefix="team")
                else:
                    messages.success(request, _("Votre candidature est déposée. L'équipe en reçoit l'accusé de réception par courriel."))
                    return redirect("candidatures:detail", pk=proposal.pk)
    else:
        form = ProposalForm(initial=ProposalForm.initial_for(proposal))
        formset = TeamFormSet(initial=team_initial(proposal), prefix="team")
    return render(
        request, "candidatures/proposal_edit.html",
        {
            "proposal": proposal,
            "form": form,
            "formset": formset,
            "missing": missing,
            "may_submit": may_submit,
            "breadcrumb_data": _breadcrumb(_("Modifier"), proposal),
        },
    )


@login_required
@require_POST
def withdraw(request, pk):
    proposal = _proposal_for(request, pk, "candidatures.withdraw_proposal")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("reason", []):
            messages.error(request, message)
        return redirect("candidatures:detail", pk=proposal.pk)
    try:
        services.withdraw(proposal, acting_user=request.user, reason=form.cleaned_data["reason"])
    except services.ProposalError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("La candidature est retirée."))
    return redirect("candidatures:detail", pk=proposal.pk)


# --- The academy's side: the inspector's list, opinion, return and decision ----------


def _inspector_scope(user):
    """The inspector's academies × disciplines; 403 for anyone else."""
    scope = scopes.scope(user, Role.INSPECTOR)
    if scope.is_empty or not scope.discipline_ids:
        raise PermissionDenied
    return scope


@login_required
def inspector_list(request):
    scope = _inspector_scope(request.user)
    proposals = (
        visible_proposals(request.user)
        .filter(academy_id__in=scope.academy_ids, theme__entry__discipline_id__in=scope.discipline_ids, state__in=REVIEWED_STATES)
        .order_by("-submitted_at", "-pk")
    )
    proposal_filter = InspectorProposalFilter(request.GET or None, queryset=proposals)
    page = Paginator(proposal_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "candidatures/inspector_list.html",
        {
            "filter": proposal_filter,
            "page_obj": page,
            "proposals": page.object_list,
            "query": query.urlencode(),
            "breadcrumb_data": {"links": [], "current": _("Candidatures de l'académie")},
        },
    )


def _review(request, pk, form_name, form_class, act, success):
    """Check the review permission, validate the form, call the service (``act``)
    and go back to the detail page; a refusal shows the page again with the
    form's errors and what the inspector typed."""
    proposal = _proposal_for(request, pk, "candidatures.review_proposal")
    form = form_class(request.POST, auto_id=f"review-{form_name.removesuffix('_form')}-%s")
    if form.is_valid():
        try:
            act(proposal, form)
        except services.ProposalError as error:
            proposal.refresh_from_db()
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("candidatures:detail", pk=proposal.pk)
    return _render_detail(request, proposal, (form_name, form))


@login_required
@require_POST
def give_opinion(request, pk):
    return _review(
        request, pk, "opinion_form", OpinionForm,
        lambda proposal, form: services.give_opinion(
            proposal, acting_user=request.user, opinion=form.cleaned_data["opinion"], comment=form.cleaned_data["comment"],
        ),
        _("L'avis académique est enregistré."),
    )


@login_required
@require_POST
def return_for_completion(request, pk):
    return _review(
        request, pk, "return_form", ReturnForm,
        lambda proposal, form: services.return_for_completion(proposal, acting_user=request.user, reason=form.cleaned_data["reason"]),
        _("La candidature est renvoyée à l'équipe pour complément. L'équipe en est informée par courriel."),
    )


@login_required
@require_POST
def decide(request, pk):
    return _review(
        request, pk, "decision_form", DecisionForm,
        lambda proposal, form: services.decide(
            proposal, acting_user=request.user, retained=form.retained, comment=form.cleaned_data["comment"],
        ),
        _("La décision de l'académie est enregistrée. L'équipe en est informée par courriel."),
    )
