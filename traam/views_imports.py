"""Import pages: the national pilot's (``/imports/``: academies, disciplines,
entries and themes of a call, people and roles) and a DAN/DRAN's (the
teachers of their academy). Upload → preview (nothing written) → « Confirmer
l'import » → result.

Between the preview and the confirmation the file stays on the server
(private storage, random name) and the session remembers it; the page only
carries a signed token naming it. Confirming takes the file once (a second
confirmation finds nothing), checks it again and imports it (``traam.imports``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from tablib import Dataset

from . import imports
from .dashboard import register_actions
from .enums import Role
from .exports import CSV_DELIMITER, EXPORT_FORMATS
from .models import Academy, Call
from .rules import is_pilot
from .views import _grantable_academies

PENDING_KEY = "traam_import_pending"
RESULT_KEY = "traam_import_result"
TOKEN_SALT = "traam.imports.confirm"
TOKEN_MAX_AGE = 2 * 3600
# The preview lists at most this many lines (errors are always all listed).
PREVIEW_LINES = 500


class PilotImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Que voulez-vous importer ?"), widget=forms.RadioSelect,
        choices=[(kind.slug, kind.label) for kind in imports.PILOT_KINDS],
    )
    call = forms.ModelChoiceField(
        label=gettext_lazy("Appel (pour les entrées et thématiques)"), queryset=Call.objects.order_by("-opens_on"), required=False,
        empty_label=gettext_lazy("Choisissez un appel"),
    )
    file = forms.FileField(label=gettext_lazy("Fichier CSV ou XLSX"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == "entries" and not data.get("call"):
            self.add_error("call", _("Choisissez l'appel dont vous importez les entrées et thématiques."))
        return data


class AcademyImportForm(forms.Form):
    academy = forms.ModelChoiceField(label=gettext_lazy("Académie"), queryset=Academy.objects.none(), empty_label=None)
    file = forms.FileField(label=gettext_lazy("Fichier CSV ou XLSX"))

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = academies


# --- Shared steps -----------------------------------------------------------------------------------------------


def _forget_pending(request):
    """Only the last previewed file is kept: an earlier one is dropped."""
    for pending in request.session.pop(PENDING_KEY, {}).values():
        imports.discard_file(pending.get("file"))


def _preview(request, kind, uploaded, options, stored_options, space):
    report = imports.preview(kind, uploaded, acting_user=request.user, options=options)
    token = None
    if report.ok:
        _forget_pending(request)
        uploaded.seek(0)
        name = imports.keep_file(uploaded.read(imports.MAX_FILE_SIZE + 1))
        pending_id = name.rsplit("/", 1)[-1].split(".")[0]
        request.session[PENDING_KEY] = {
            pending_id: {"file": name, "filename": uploaded.name, "kind": kind.slug, "options": stored_options},
        }
        token = signing.dumps({"id": pending_id, "user": request.user.pk, "kind": kind.slug}, salt=TOKEN_SALT)
    return _render_preview(request, report, options, space, token=token)


def _render_preview(request, report, options, space, token=None):
    return render(
        request,
        "traam/imports/preview.html",
        {
            "report": report,
            "lines": report.lines[:PREVIEW_LINES],
            "hidden_lines": max(0, len(report.lines) - PREVIEW_LINES),
            "counts": report.counts,
            "options": options,
            "token": token,
            "confirm_url": reverse(space["confirm"]),
            "back_url": reverse(space["form"]),
            "breadcrumb_data": {"links": space["links"] + [{"url": reverse(space["form"]), "title": space["title"]}], "current": _("Aperçu de l'import")},
        },
    )


def _refuse_confirmation(request, space):
    messages.error(request, _("Cet import a déjà été confirmé ou n'est plus valable : déposez de nouveau le fichier."))
    return redirect(space["form"])


def _confirm(request, space, load_options):
    """Check the token and the session, take the kept file (once) and import it."""
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return _refuse_confirmation(request, space)
    all_pending = request.session.get(PENDING_KEY, {})
    pending_id = str(payload.get("id")) if isinstance(payload, dict) else ""
    pending = all_pending.get(pending_id)
    if pending is None or payload.get("user") != request.user.pk or payload.get("kind") != pending["kind"] or pending["kind"] not in space["kinds"]:
        return _refuse_confirmation(request, space)
    # Taken out of the session before importing: a second request finds nothing.
    del all_pending[pending_id]
    request.session[PENDING_KEY] = all_pending
    request.session.save()
    content = imports.take_file(pending["file"])
    if content is None:
        return _refuse_confirmation(request, space)
    kind = imports.KINDS[pending["kind"]]
    options = load_options(pending["options"])
    report = imports.confirm(kind, content, pending["filename"], acting_user=request.user, options=options)
    if not report.ok:
        # The data changed since the preview: the file is refused as it now stands.
        return _render_preview(request, report, options, space)
    request.session[RESULT_KEY] = {
        "kind": kind.slug, "filename": report.filename, "counts": report.counts, "summary": report.summary(),
        "scope": str(options.get("call") or options.get("academy") or ""), "space": space["form"],
    }
    return redirect(space["result"])


def _result(request, space):
    result = request.session.get(RESULT_KEY)
    if not result or result.get("space") != space["form"]:
        return redirect(space["form"])
    return render(
        request,
        "traam/imports/result.html",
        {
            "result": result,
            "kind": imports.KINDS[result["kind"]],
            "back_url": reverse(space["form"]),
            "breadcrumb_data": {"links": space["links"] + [{"url": reverse(space["form"]), "title": space["title"]}], "current": _("Import terminé")},
        },
    )


def _template_response(kind, fmt):
    """The kind's header and one example line, CSV (``;``, BOM) or XLSX."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    dataset = Dataset(headers=kind.headers)
    dataset.append(kind.example)
    export_format = EXPORT_FORMATS[fmt]()
    if fmt == "csv":
        content = ("\N{BYTE ORDER MARK}" + export_format.export_data(dataset, delimiter=CSV_DELIMITER)).encode("utf-8")
    else:
        content = export_format.export_data(dataset)
    response = HttpResponse(content, content_type=export_format.get_content_type() + ("; charset=utf-8" if fmt == "csv" else ""))
    response["Content-Disposition"] = content_disposition_header(True, f"modele-import-{kind.slug}.{fmt}")
    return response


# --- The national pilot ----------------------------------------------------------------------------------------


def _pilot_space():
    return {
        "form": "imports", "confirm": "imports_confirm", "result": "imports_result",
        "kinds": {kind.slug for kind in imports.PILOT_KINDS}, "title": _("Imports"),
        "links": [{"url": reverse("dashboard"), "title": _("Tableau de bord")}],
    }


def _require_pilot(request):
    if not is_pilot(request.user):
        raise PermissionDenied


def _pilot_options(stored):
    if stored.get("call"):
        return {"call": get_object_or_404(Call, pk=stored["call"])}
    return {}


@login_required
def pilot_imports(request):
    _require_pilot(request)
    initial = {"kind": request.GET.get("type") or "academies", "call": request.GET.get("appel")}
    form = PilotImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kind = imports.KINDS[form.cleaned_data["kind"]]
        call = form.cleaned_data["call"] if kind.slug == "entries" else None
        options = {"call": call} if call else {}
        return _preview(request, kind, form.cleaned_data["file"], options, {"call": call.pk} if call else {}, _pilot_space())
    return render(
        request,
        "traam/imports/pilot.html",
        {
            "form": form,
            "kinds": imports.PILOT_KINDS,
            "max_rows": imports.MAX_ROWS,
            "max_megabytes": imports.MAX_FILE_SIZE // (1024 * 1024),
            "breadcrumb_data": {"links": _pilot_space()["links"], "current": _("Imports")},
        },
    )


@login_required
def pilot_import_template(request, kind, fmt):
    _require_pilot(request)
    if kind not in _pilot_space()["kinds"]:
        raise Http404
    return _template_response(imports.KINDS[kind], fmt)


@login_required
@require_POST
def pilot_import_confirm(request):
    _require_pilot(request)
    return _confirm(request, _pilot_space(), _pilot_options)


@login_required
def pilot_import_result(request):
    _require_pilot(request)
    return _result(request, _pilot_space())


@register_actions
def import_actions(user, role, call, phase):
    """The pilot's dashboard links to the imports, the call preselected for its themes."""
    if role != Role.PILOT:
        return []
    return [{"url": reverse("imports") + f"?type=entries&appel={call.pk}", "label": _("Importer des données (académies, thématiques, personnes)")}]


# --- A DAN/DRAN: the teachers of their academy ------------------------------------------------------------------


def _academy_space():
    return {
        "form": "academy_teachers_import", "confirm": "academy_teachers_import_confirm", "result": "academy_teachers_import_result",
        "kinds": {"teachers"}, "title": _("Importer des enseignant·es"),
        "links": [{"url": reverse("dashboard"), "title": _("Tableau de bord")}, {"url": reverse("academy_roles"), "title": _("Équipes de l'académie")}],
    }


def _delegation_academies(request):
    """The academies the person imports teachers into (a DAN's, a DRAN's region's, every one for the pilot)."""
    if not request.user.has_perm("traam.manage_academy_roles"):
        raise PermissionDenied
    return _grantable_academies(request.user).order_by("name")


def _academy_options(stored):
    return {"academy": get_object_or_404(Academy, pk=stored.get("academy"))}


@login_required
def academy_import(request):
    academies = _delegation_academies(request)
    form = AcademyImportForm(request.POST or None, request.FILES or None, academies=academies, initial={"academy": academies.first()})
    if request.method == "POST" and form.is_valid():
        academy = form.cleaned_data["academy"]
        return _preview(request, imports.KINDS["teachers"], form.cleaned_data["file"], {"academy": academy}, {"academy": academy.pk}, _academy_space())
    return render(
        request,
        "traam/imports/academy.html",
        {
            "form": form,
            "kind": imports.KINDS["teachers"],
            "academies": academies,
            "max_rows": imports.MAX_ROWS,
            "max_megabytes": imports.MAX_FILE_SIZE // (1024 * 1024),
            "breadcrumb_data": {"links": _academy_space()["links"], "current": _("Importer des enseignant·es")},
        },
    )


@login_required
def academy_import_template(request, fmt):
    _delegation_academies(request)
    return _template_response(imports.KINDS["teachers"], fmt)


@login_required
@require_POST
def academy_import_confirm(request):
    _delegation_academies(request)
    return _confirm(request, _academy_space(), _academy_options)


@login_required
def academy_import_result(request):
    _delegation_academies(request)
    return _result(request, _academy_space())
