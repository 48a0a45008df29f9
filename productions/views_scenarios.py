"""The scenarios' pages (*séquences pédagogiques*): creation from the group's
page, the scenario with the transitions open to the person, the edit page
(optimistic version), its attachments, and its versions compared. Each view
checks the permission, calls a service and renders; a service's refusal comes
back beside the field it concerns, or on top of the page, in French."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import attachments, licences, services, versions
from .enums import ScenarioState
from .forms_groups import (
    CompareForm, EdubaseForm, PublishForm, ReturnForm, ScenarioCreateForm, ScenarioForm, ValidateForm, add_service_errors,
)
from .models import Scenario, ScenarioAttachment
from .rules import can_publish, is_group_member, is_piloting_inspector
from .views_groups import VIEW_GROUP, group_breadcrumb, group_for, render_group

VIEW = "productions.view_scenario"


def _scenario_for(request, pk, perm=VIEW):
    """The scenario if the user has ``perm`` on it; 404 when they may not even
    see it (its existence is not revealed), 403 when they may see it only."""
    scenario = get_object_or_404(
        Scenario.objects.select_related("group__call", "group__entry__discipline", "group__academy", "validated_by", "published_by")
        .prefetch_related("group__members"),
        pk=pk,
    )
    if request.user.has_perm(perm, scenario):
        return scenario
    if perm != VIEW and request.user.has_perm(VIEW, scenario):
        raise PermissionDenied
    raise Http404


def _require(predicate, user, scenario):
    """The person's part in the group (member, piloting inspector, publisher),
    checked before a form is read; the services check it again with the state."""
    if not predicate(user, scenario):
        raise PermissionDenied


def _breadcrumb(scenario, current=None, *, sees_group=True):
    if not sees_group:
        return {"links": [], "current": scenario.title}
    if current is None:
        return group_breadcrumb(scenario.group, scenario.title)
    crumbs = group_breadcrumb(scenario.group, current)
    crumbs["links"].append({"url": reverse("productions:scenario", args=[scenario.pk]), "title": scenario.title})
    return crumbs


# --- Creation ---------------------------------------------------------------------------------


@login_required
@require_POST
def scenario_create(request, pk):
    """Nouvelle séquence: a member of the group gives its title, then writes it."""
    group = group_for(request, pk, "productions.add_scenario")
    form = ScenarioCreateForm(request.POST)
    if form.is_valid():
        try:
            scenario = services.create_scenario(group, acting_user=request.user, title=form.cleaned_data["title"])
        except services.ProductionError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La séquence est créée : rédigez-la, puis expérimentez-la en classe."))
            return redirect("productions:scenario_edit", pk=scenario.pk)
    return render_group(request, group, create_form=form)


# --- The scenario ------------------------------------------------------------------------------


def _action_forms(scenario, bound=None):
    forms = {
        "validate_form": ValidateForm(),
        "return_form": ReturnForm(),
        "publish_form": PublishForm(),
        "edubase_form": EdubaseForm(initial={"edubase_url": scenario.edubase_url}),
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def render_scenario(request, scenario, *, bound=None, action_errors=(), status=200):
    """The scenario's page; ``bound`` is the action form just refused, shown
    again with its errors and what was typed; ``action_errors`` a refusal
    without a field (e.g. what is missing before the submission)."""
    user = request.user
    perms = {
        name: user.has_perm(f"productions.{name}", scenario)
        for name in (
            "change_scenario", "mark_tested", "submit_scenario", "validate_scenario", "return_scenario", "publish_scenario", "set_edubase_url",
        )
    }
    sees_group = user.has_perm(VIEW_GROUP, scenario.group)
    is_member = is_group_member(user, scenario)
    context = {
        "scenario": scenario,
        "group": scenario.group,
        "class_levels": scenario.class_levels.all(),
        "competences": scenario.crcn_competences.all(),
        "commons": scenario.commons.all(),
        "licence": licences.info(scenario.licence),
        "missing": services.missing_for_validation(scenario) if is_member and scenario.state in ScenarioState.editable_by_group else [],
        "can": perms,
        "has_actions": any(perms[name] for name in ("validate_scenario", "return_scenario", "publish_scenario", "set_edubase_url")),
        "sees_group": sees_group,
        "action_errors": list(action_errors),
        "breadcrumb_data": _breadcrumb(scenario, sees_group=sees_group),
        **_action_forms(scenario, bound),
    }
    return render(request, "productions/scenarios/scenario_detail.html", context, status=status)


@login_required
@require_GET
def scenario_detail(request, pk):
    """The group's page of the scenario; someone outside the group's circle
    who may read it only because it is published reads its public page."""
    scenario = _scenario_for(request, pk)
    if scenario.state == ScenarioState.PUBLISHED and not request.user.has_perm(VIEW_GROUP, scenario.group):
        return redirect("catalogue:scenario", slug=scenario.slug)
    return render_scenario(request, scenario)


# --- Transitions ---------------------------------------------------------------------------------


def _transition(request, pk, predicate, act, success, form_name=None, form_class=None):
    """Check the person's part, validate the form (when the action has one),
    call the service (``act``) and go back to the scenario; a refusal shows
    the page again with the error beside the field or on top."""
    scenario = _scenario_for(request, pk)
    _require(predicate, request.user, scenario)
    form = form_class(request.POST) if form_class is not None else None
    if form is None or form.is_valid():
        try:
            act(scenario, form.cleaned_data if form is not None else {})
        except services.ProductionError as error:
            scenario.refresh_from_db()
            if form is None or not hasattr(error, "error_dict"):
                # Not about a field (the state changed meanwhile, something is missing): on top of the page.
                return render_scenario(request, scenario, action_errors=error.messages)
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("productions:scenario", pk=scenario.pk)
    return render_scenario(request, scenario, bound=(form_name, form))


@login_required
@require_POST
def scenario_mark_tested(request, pk):
    return _transition(
        request, pk, is_group_member,
        lambda scenario, data: services.mark_tested(scenario, acting_user=request.user),
        _("La séquence est marquée comme expérimentée en classe. Complétez-la si besoin, puis soumettez-la pour validation."),
    )


@login_required
@require_POST
def scenario_submit(request, pk):
    return _transition(
        request, pk, is_group_member,
        lambda scenario, data: services.submit_for_validation(scenario, acting_user=request.user),
        _("La séquence est soumise pour validation. L'inspecteur·rice pilote en est informé·e par courriel."),
    )


@login_required
@require_POST
def scenario_validate(request, pk):
    return _transition(
        request, pk, is_piloting_inspector,
        lambda scenario, data: services.validate(scenario, acting_user=request.user, comment=data["comment"]),
        _("La séquence est validée. Le groupe en est informé par courriel."),
        "validate_form", ValidateForm,
    )


@login_required
@require_POST
def scenario_return(request, pk):
    return _transition(
        request, pk, is_piloting_inspector,
        lambda scenario, data: services.return_scenario(scenario, acting_user=request.user, comment=data["comment"]),
        _("La séquence est renvoyée au groupe pour reprise. Le groupe en est informé par courriel."),
        "return_form", ReturnForm,
    )


@login_required
@require_POST
def scenario_publish(request, pk):
    return _transition(
        request, pk, can_publish,
        lambda scenario, data: services.publish(scenario, acting_user=request.user, edubase_url=data["edubase_url"]),
        _("La séquence est publiée : elle rejoint le catalogue des productions. Le groupe en est informé par courriel."),
        "publish_form", PublishForm,
    )


@login_required
@require_POST
def scenario_edubase(request, pk):
    return _transition(
        request, pk, can_publish,
        lambda scenario, data: services.set_edubase_url(scenario, data["edubase_url"], acting_user=request.user),
        _("L'adresse Édubase de la séquence est enregistrée."),
        "edubase_form", EdubaseForm,
    )


# --- Editing -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request, pk):
    """The group writes the scenario while it is a draft, tested or returned.
    A version saved meanwhile elsewhere makes the save refused, with what was
    typed kept on the page."""
    scenario = _scenario_for(request, pk, "productions.change_scenario")
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                services.save_scenario(scenario, form.content(), acting_user=request.user, expected_version=form.cleaned_data["version"])
            except services.ProductionError as error:
                scenario.refresh_from_db()
                add_service_errors(form, error)
            else:
                messages.success(request, _("La séquence est enregistrée."))
                return redirect("productions:scenario", pk=scenario.pk)
    else:
        form = ScenarioForm(initial=ScenarioForm.initial_for(scenario))
    return render(
        request, "productions/scenarios/scenario_edit.html",
        {"scenario": scenario, "form": form, "breadcrumb_data": _breadcrumb(scenario, _("Modifier"))},
    )


# --- Attachments -------------------------------------------------------------------------------


def _report(request, error):
    for message in error.messages:
        messages.error(request, message)


def _attachments_anchor(scenario):
    return reverse("productions:scenario", args=[scenario.pk]) + "#pieces-jointes"


@login_required
@require_POST
def attachment_upload(request, pk):
    scenario = _scenario_for(request, pk, "productions.change_scenario")
    uploaded_file = request.FILES.get("file")
    if uploaded_file is None:
        messages.error(request, _("Choisissez le fichier à joindre."))
        return redirect(_attachments_anchor(scenario))
    try:
        attachment = attachments.add_attachment(scenario, uploaded_file, acting_user=request.user)
    except services.ProductionError as error:
        _report(request, error)
    else:
        messages.success(request, _("La pièce jointe « %(name)s » est ajoutée.") % {"name": attachment.original_name})
    return redirect(_attachments_anchor(scenario))


@login_required
@require_POST
def attachment_delete(request, pk, att_pk):
    scenario = _scenario_for(request, pk, "productions.change_scenario")
    attachment = get_object_or_404(ScenarioAttachment, pk=att_pk, scenario=scenario)
    attachment.scenario = scenario
    try:
        attachments.remove_attachment(attachment, acting_user=request.user)
    except services.ProductionError as error:
        _report(request, error)
    else:
        messages.success(request, _("La pièce jointe « %(name)s » est supprimée.") % {"name": attachment.original_name})
    return redirect(_attachments_anchor(scenario))


@login_required
@require_GET
def attachment_download(request, pk, att_pk):
    scenario = _scenario_for(request, pk)
    return attachments.download_response(get_object_or_404(ScenarioAttachment, pk=att_pk, scenario=scenario))


# --- Versions --------------------------------------------------------------------------------------


def _side_by_side(before, after):
    """Every field of both versions, in the form's order, the changed ones marked."""
    changed = {change.field for change in versions.diff(before, after)}
    return [
        {
            "label": versions.label(name),
            "before": versions.display(name, before.content.get(name)),
            "after": versions.display(name, after.content.get(name)),
            "changed": name in changed,
        }
        for name in versions.FIELDS
    ]


@login_required
@require_GET
def scenario_versions(request, pk):
    """The scenario's versions, and two of them compared side by side or as the
    list of the changed fields. The group's circle only: a reader of the
    published scenario does not see its drafts."""
    scenario = _scenario_for(request, pk)
    if not request.user.has_perm(VIEW_GROUP, scenario.group):
        raise PermissionDenied
    listed = list(scenario.versions.defer("content").select_related("author").order_by("-number"))
    numbers = [version.number for version in listed]
    latest = numbers[0] if numbers else None
    defaults = {"a": numbers[1] if len(numbers) > 1 else latest, "b": latest, "vue": CompareForm.SIDE_BY_SIDE}
    form = CompareForm({**defaults, **request.GET.dict()} if request.GET else defaults, numbers=numbers)
    before = after = None
    rows, changes = [], []
    view = CompareForm.SIDE_BY_SIDE
    if numbers and form.is_valid():
        view = form.cleaned_data["vue"] or CompareForm.SIDE_BY_SIDE
        wanted = {form.cleaned_data["a"], form.cleaned_data["b"]}
        compared = {version.number: version for version in scenario.versions.filter(number__in=wanted)}
        before, after = compared[form.cleaned_data["a"]], compared[form.cleaned_data["b"]]
        changes = versions.diff(before, after)
        rows = _side_by_side(before, after)
    return render(
        request, "productions/scenarios/scenario_versions.html",
        {
            "scenario": scenario,
            "versions": listed,
            "form": form,
            "before": before,
            "after": after,
            "rows": rows,
            "changes": changes,
            "view": view,
            "side_by_side": CompareForm.SIDE_BY_SIDE,
            "breadcrumb_data": _breadcrumb(scenario, _("Versions")),
        },
    )
