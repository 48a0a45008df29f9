"""The academy's follow-up (DAN / DRAN) and the national pilot's view of the
syntheses: dashboard, composition and sending of the academic synthesis, its
PDF, the export of the academy's proposals, and deadline extensions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traam import scopes
from traam.enums import Role
from traam.exports import export_response
from traam.models import Academy, Call
from traam.rules import is_pilot

from . import services
from .enums import ProposalState
from .forms import ExtensionForm, SendSynthesisForm, SynthesisForm, SynthesisItemFormSet
from .models import AcademicSynthesis, DeadlineExtension, Proposal, SynthesisItem
from .pdf import synthesis_pdf
from .resources import ProposalExportResource, proposals_for_export

# The dashboard's columns, in the order a proposal moves through them.
DASHBOARD_STATES = [
    ProposalState.DRAFT, ProposalState.SUBMITTED, ProposalState.RETURNED, ProposalState.RETAINED,
    ProposalState.NOT_RETAINED, ProposalState.WITHDRAWN, ProposalState.SENT, ProposalState.SELECTED, ProposalState.NOT_SELECTED,
]


def followed_academies(user):
    """The academies whose follow-up ``user`` may open: their DAN/DRAN scope, or all for a pilot."""
    if is_pilot(user):
        return Academy.objects.all()
    ids = scopes.academies_for(user, Role.DAN) | scopes.academies_for(user, Role.DRAN)
    return Academy.objects.filter(pk__in=ids)


def _call_and_academy(request, year, academy_code, perm="candidatures.follow_academy"):
    """404 for an unknown call or academy, 403 when the person does not follow it."""
    call = get_object_or_404(Call.objects.published(), year=year)
    academy = get_object_or_404(Academy.objects.select_related("region"), code=academy_code)
    if not request.user.has_perm(perm, academy):
        raise PermissionDenied
    return call, academy


def _academy_proposals(call, academy):
    return Proposal.objects.filter(academy=academy, theme__entry__call=call)


def _breadcrumb(call, academy, current=None):
    links = []
    if current is not None:
        links.append({"url": reverse("candidatures:academy", args=[call.year, academy.code]), "title": _("Suivi de l'académie de %(academy)s") % {"academy": academy}})
    return {"links": links, "current": current or _("Suivi de l'académie de %(academy)s") % {"academy": academy}}


@login_required
def academy_home(request):
    """The current call's follow-up of the person's first academy."""
    academy = followed_academies(request.user).first()
    call = Call.objects.current()
    if academy is None:
        raise PermissionDenied
    if call is None:
        raise Http404
    return redirect("candidatures:academy", year=call.year, academy_code=academy.code)


@login_required
def academy_dashboard(request, year, academy_code):
    """Tableau de bord de la DAN: the academy's proposals by discipline and
    state, those still waiting for an opinion, and where the synthesis stands."""
    call, academy = _call_and_academy(request, year, academy_code)
    proposals = _academy_proposals(call, academy)
    counts = {}
    for row in proposals.values("theme__entry_id", "state").annotate(n=Count("pk")):
        counts[(row["theme__entry_id"], row["state"])] = row["n"]
    entries = [entry for entry in call.entries.select_related("discipline") if any((entry.pk, s) in counts for s in DASHBOARD_STATES)]
    rows = [
        {"entry": entry, "cells": [counts.get((entry.pk, state), 0) for state in DASHBOARD_STATES]}
        for entry in entries
    ]
    totals = [sum(row["cells"][i] for row in rows) for i in range(len(DASHBOARD_STATES))]
    waiting = (
        proposals.filter(state=ProposalState.SUBMITTED, opinion="")
        .select_related("theme__entry", "lead")
        .order_by("submitted_at", "pk")
    )
    synthesis = AcademicSynthesis.objects.filter(call=call, academy=academy).annotate(n_items=Count("items")).first()
    now = timezone.now()
    deadline = services.deadline_for(call, academy)
    return render(
        request, "candidatures/academy_dashboard.html",
        {
            "call": call,
            "academy": academy,
            "academies": followed_academies(request.user) if not is_pilot(request.user) else None,
            "calls": Call.objects.published(),
            "states": [ProposalState(state) for state in DASHBOARD_STATES],
            "rows": rows,
            "totals": totals,
            "total": sum(totals),
            "waiting": waiting,
            "undecided": proposals.filter(state=ProposalState.SUBMITTED).exclude(opinion="").count(),
            "retained": proposals.filter(state=ProposalState.RETAINED).count(),
            "synthesis": synthesis,
            "deadline": deadline,
            "deadline_passed": now > deadline,
            "extension": DeadlineExtension.objects.filter(call=call, academy=academy).first(),
            "can_manage": request.user.has_perm("candidatures.manage_synthesis", academy),
            "breadcrumb_data": _breadcrumb(call, academy),
        },
    )


def _synthesis_rows(call, academy, synthesis, data=None):
    """The composition formset: every retained proposal of the academy, plus
    those already in the synthesis, each with its inclusion, priority and comment."""
    current = {item.proposal_id: item for item in synthesis.items.all()} if synthesis else {}
    candidates = list(
        _academy_proposals(call, academy)
        .filter(state=ProposalState.RETAINED)
        .select_related("theme__entry", "lead")
        .order_by("theme__entry__order", "title", "pk")
    )
    candidates.sort(key=lambda p: (current[p.pk].priority if p.pk in current else 10_000))
    initial = [
        {
            "proposal": p.pk,
            "include": p.pk in current,
            "priority": current[p.pk].priority if p.pk in current else None,
            "comment": current[p.pk].comment if p.pk in current else "",
        }
        for p in candidates
    ]
    formset = SynthesisItemFormSet(data, initial=initial, prefix="items")
    return candidates, formset


@login_required
def synthesis_edit(request, year, academy_code):
    """Compose the synthesis: choose the retained proposals, their priority and
    a comment each, and write the cover note."""
    call, academy = _call_and_academy(request, year, academy_code, "candidatures.manage_synthesis")
    synthesis = AcademicSynthesis.objects.filter(call=call, academy=academy).first()
    if synthesis and synthesis.is_sent:
        messages.info(request, _("Cette synthèse a été envoyée à la DNE : elle ne peut plus être modifiée."))
        return redirect("candidatures:synthesis", year=call.year, academy_code=academy.code)
    candidates, formset = _synthesis_rows(call, academy, synthesis, request.POST if request.method == "POST" else None)
    form = SynthesisForm(request.POST or None, initial={"cover_note": synthesis.cover_note if synthesis else ""})
    errors = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        by_id = {p.pk: p for p in candidates}
        items = [
            (by_id[row["proposal"]], row["priority"], row["comment"])
            for row in formset.cleaned_data
            if row.get("include") and row.get("proposal") in by_id
        ]
        try:
            services.compose_synthesis(call, academy, acting_user=request.user, cover_note=form.cleaned_data["cover_note"], items=items)
        except services.ProposalError as error:
            errors = error.messages
        else:
            messages.success(request, _("La synthèse est enregistrée. Relisez-la avant de l'envoyer à la DNE."))
            return redirect("candidatures:synthesis", year=call.year, academy_code=academy.code)
    if request.method == "POST" and any(row.errors.get("proposal") for row in formset.forms):
        # A row's hidden id was altered: no field on the page shows its error, so say it on top.
        errors = [*errors, _("La liste des candidatures envoyée ne correspond pas à la page : rechargez-la et recommencez.")]
    return render(
        request, "candidatures/synthesis_edit.html",
        {
            "call": call,
            "academy": academy,
            "rows": list(zip(candidates, formset.forms)),
            "formset": formset,
            "form": form,
            "errors": errors,
            "deadline": services.deadline_for(call, academy),
            "breadcrumb_data": _breadcrumb(call, academy, _("Composer la synthèse")),
        },
    )


def _synthesis_with_items(call, academy):
    items = SynthesisItem.objects.select_related("proposal__theme__entry", "proposal__lead").order_by("priority")
    return (
        AcademicSynthesis.objects.select_related("sent_by", "academy", "call")
        .prefetch_related(Prefetch("items", queryset=items))
        .filter(call=call, academy=academy)
        .first()
    )


@login_required
def synthesis_detail(request, year, academy_code):
    """The synthesis as the DNE receives it: the preview before sending, the
    record after. The DAN sends it from here, after confirming."""
    call, academy = _call_and_academy(request, year, academy_code)
    synthesis = _synthesis_with_items(call, academy)
    can_manage = request.user.has_perm("candidatures.manage_synthesis", academy)
    if synthesis is None and can_manage:
        return redirect("candidatures:synthesis_edit", year=call.year, academy_code=academy.code)
    return render(
        request, "candidatures/synthesis_detail.html",
        {
            "call": call,
            "academy": academy,
            "synthesis": synthesis,
            "can_manage": can_manage,
            "send_form": SendSynthesisForm(),
            "deadline": services.deadline_for(call, academy),
            "breadcrumb_data": _breadcrumb(call, academy, _("Synthèse académique")),
        },
    )


@login_required
@require_POST
def synthesis_send(request, year, academy_code):
    call, academy = _call_and_academy(request, year, academy_code, "candidatures.manage_synthesis")
    synthesis = get_object_or_404(AcademicSynthesis, call=call, academy=academy)
    form = SendSynthesisForm(request.POST)
    if not form.is_valid():
        for message in form.errors["confirm"]:
            messages.error(request, message)
        return redirect("candidatures:synthesis", year=call.year, academy_code=academy.code)
    try:
        services.send_synthesis(synthesis, acting_user=request.user)
    except services.ProposalError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("La synthèse est envoyée à la DNE. Vous en recevez l'accusé de réception par courriel."))
    return redirect("candidatures:synthesis", year=call.year, academy_code=academy.code)


@login_required
def synthesis_download(request, year, academy_code):
    call, academy = _call_and_academy(request, year, academy_code)
    synthesis = _synthesis_with_items(call, academy)
    if synthesis is None:
        raise Http404
    response = HttpResponse(synthesis_pdf(synthesis), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="synthese-{academy.code}-{call.year}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def academy_export(request, year, academy_code, fmt):
    call, academy = _call_and_academy(request, year, academy_code)
    proposals = proposals_for_export(_academy_proposals(call, academy).order_by("theme__entry__order", "pk"))
    return export_response(ProposalExportResource(), proposals, fmt, f"candidatures-{academy.code}-{call.year}")


# --- The national pilot ------------------------------------------------------------


def _pilot_call(request, year):
    if not request.user.has_perm("candidatures.manage_extensions"):
        raise PermissionDenied
    return get_object_or_404(Call.objects.published(), year=year)


@login_required
def syntheses_overview(request, year=None):
    """Which academies have sent their synthesis, which have not, and their extensions."""
    if year is None:
        if not request.user.has_perm("candidatures.manage_extensions"):
            raise PermissionDenied
        call = Call.objects.current()
        if call is None:
            raise Http404
        return redirect("candidatures:syntheses", year=call.year)
    call = _pilot_call(request, year)
    syntheses = {
        s.academy_id: s
        for s in AcademicSynthesis.objects.filter(call=call).select_related("sent_by").annotate(n_items=Count("items"))
    }
    extensions = {e.academy_id: e for e in DeadlineExtension.objects.filter(call=call)}
    retained = dict(
        Proposal.objects.filter(theme__entry__call=call, state__in=[ProposalState.RETAINED, *ProposalState.with_dne])
        .values_list("academy_id").annotate(n=Count("pk")).order_by()
    )
    rows = [
        {"academy": academy, "synthesis": syntheses.get(academy.pk), "extension": extensions.get(academy.pk), "retained": retained.get(academy.pk, 0)}
        for academy in Academy.objects.select_related("region")
    ]
    sent = sum(1 for row in rows if row["synthesis"] and row["synthesis"].is_sent)
    return render(
        request, "candidatures/syntheses_overview.html",
        {
            "call": call,
            "calls": Call.objects.published(),
            "rows": rows,
            "sent": sent,
            "not_sent": len(rows) - sent,
            "deadline_passed": timezone.now() > call.synthesis_deadline_at,
            "breadcrumb_data": {"links": [], "current": _("Synthèses académiques")},
        },
    )


@login_required
def extension_edit(request, year, academy_code):
    call = _pilot_call(request, year)
    academy = get_object_or_404(Academy, code=academy_code)
    extension = DeadlineExtension.objects.filter(call=call, academy=academy).first()
    initial = {"deadline": extension.deadline, "reason": extension.reason} if extension else None
    form = ExtensionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_extension(call, academy, acting_user=request.user, deadline=form.cleaned_data["deadline"], reason=form.cleaned_data["reason"])
        except services.ProposalError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Le report de date limite est accordé à l'académie de %(academy)s.") % {"academy": academy})
            return redirect("candidatures:syntheses", year=call.year)
    return render(
        request, "candidatures/extension_edit.html",
        {
            "call": call,
            "academy": academy,
            "extension": extension,
            "form": form,
            "breadcrumb_data": {
                "links": [{"url": reverse("candidatures:syntheses", args=[call.year]), "title": _("Synthèses académiques")}],
                "current": _("Report pour l'académie de %(academy)s") % {"academy": academy},
            },
        },
    )


@login_required
@require_POST
def extension_withdraw(request, year, academy_code):
    call = _pilot_call(request, year)
    academy = get_object_or_404(Academy, code=academy_code)
    try:
        services.withdraw_extension(call, academy, acting_user=request.user)
    except services.ProposalError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Le report de date limite de l'académie de %(academy)s est retiré.") % {"academy": academy})
    return redirect("candidatures:syntheses", year=call.year)
