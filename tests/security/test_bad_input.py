"""Bad input against every form of the portal, as the person allowed to use it.

A corpus of hostile or absurd values (very long text, control characters,
right-to-left marks, HTML and script, SQL-looking text, emoji, combining
characters, wrong types, negative and huge numbers, impossible dates, garbage
booleans, a list where one value is expected) is posted into each field of
each form, the other fields holding valid values. Whatever the value:

- never a server error;
- either the page comes back (200) with a French error beside the field or on
  top, and nothing stored changed; or the form was saved (a redirect), and
  the stored text is exactly what was typed (minus the surrounding blanks
  that every form strips);
- the page that shows what was typed or saved never carries the markup raw.

The fields come from the form classes the views use (``base_fields``, the
filters of a FilterSet, the formsets' management forms), so that a field
added to a form is covered without touching this file. Each field receives
every value that can mean something to it: the hostile texts go everywhere,
wrong numbers and impossible dates go to the fields that read a number, a
date or a choice (in a free-text field they are plain short text, for which
« abc » and « -1 » stand). One test per form, one sub-test per field and
value, so that a failure names the form, the field and the value (pytest's
``SUBFAILED[form · field ← value]``). Each value is posted inside a savepoint
rolled back afterwards: the objects are built once per form, and each value
meets them as they were.

Uploaded files are checked at the end of the file."""

import copy
import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Callable
from types import SimpleNamespace

import lxml.html
import pytest
from allauth.account import forms as account_forms
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.formsets import ManagementForm
from django.urls import reverse

from bilans.forms import RequestBilanForm
from candidatures import attachments
from candidatures import forms as proposal_forms
from candidatures.enums import AcademicOpinion, AIUsage, TeamRole
from candidatures.filters import InspectorProposalFilter
from candidatures.models import AcademicSynthesis, Attachment, DeadlineExtension, Proposal, TeamMember
from candidatures import services as proposal_services
from productions import forms_groups, forms_progress, services as production_services, views_progress
from productions.enums import Licence, MilestoneKind, ScenarioState
from productions.models import GroupMember, HoursDeclaration, Milestone, NationalGroup, Scenario, ScenarioAttachment
from selection import forms_pilot, forms_reviewer
from selection.enums import Recommendation
from selection.models import Criterion, EmptySeatReason, Review
from tests.candidatures.conftest import open_window
from tests.factories import PASSWORD, make_user
from tests.productions.conftest import TODAY
from traam.enums import Role
from traam.forms import GrantRoleForm
from traam.models import ClassLevel, CrcnCompetence, DigitalCommon, User

YEAR = "2026-2027"

# --- The corpus ---------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEXT, NUMBER, DATE, CHOICE, BOOL = "text", "number", "date", "choice", "bool"
ALL = {TEXT, NUMBER, DATE, CHOICE, BOOL}
# (name, value, the kinds of field it goes to). The hostile texts go everywhere;
# a wrong number or an impossible date goes wherever a number, a date or a
# choice is read (in a free-text field it is plain short text, as « abc » and
# « -1 » show).
CORPUS = [
    ("long-text", "Texte très long " + "x" * (100_000 - 16), ALL),
    ("nul-byte", "avant\x00après", ALL),
    ("c0-controls", "début " + "".join(chr(code) for code in range(1, 32)) + " fin", {TEXT, CHOICE}),
    ("rtl-marks", "facture\u202efdp.exe \u200fשלום\u200f", {TEXT, CHOICE}),
    ("script", SCRIPT, ALL),
    ("img-onerror", IMG, {TEXT, CHOICE, NUMBER}),
    ("sql", "'; DROP TABLE traam_user; --", {TEXT, CHOICE, NUMBER}),
    ("emoji-astral", "Bravo 🎉👩🏽‍🏫 𝕏𝔸𝕄 𠜎", {TEXT, CHOICE, NUMBER}),
    ("combining", "Ze\u0301\u0301\u0301\u0301bre Z\u0351\u0308\u0364\u0351", {TEXT}),
    ("not-a-number", "abc", ALL),
    ("overflow-float", "1e309", {NUMBER, CHOICE}),
    ("nan", "NaN", {NUMBER, CHOICE}),
    ("infinity", "Infinity", {NUMBER, CHOICE}),
    ("negative", "-1", ALL),
    ("huge", "99999999999999999999", {NUMBER, CHOICE, DATE}),
    ("date-zero", "0000-00-00", {DATE, CHOICE}),
    ("date-max", "9999-12-31", {DATE}),
    ("date-feb-31", "31/02/2026", {DATE}),
    ("date-month-13", "2026-13-01", {DATE}),
    ("bool-garbage", "peut-être", {BOOL, CHOICE}),
    ("list", ["premier", "second"], ALL),
]
assert len(CORPUS[0][1]) == 100_000

# What must never appear raw in a page, whatever was typed.
RAW_MARKUP = (SCRIPT, "<img src=x onerror=alert(1)>")
# Django's own English messages: a page showing one has missed its translation.
ENGLISH = re.compile(
    r"This field|Enter a |Enter an |Ensure this value|Select a valid|Null characters|is not one of the available|"
    r"Management form|Please submit|valid date|valid number|whole number",
)
ERROR_CLASSES = ("fr-error-text", "fr-message--error", "fr-alert--error")


def expected_text(value):
    """What a text field stores: the last value of a list (as ``QueryDict``
    reads it), without the surrounding blanks that Django's forms strip."""
    if isinstance(value, list):
        value = value[-1]
    return value.strip()


# --- The forms ------------------------------------------------------------------------------------


def kind_of(field) -> str:
    """How a field reads what is typed: free text, a number, a date, a choice, a box."""
    if isinstance(field, forms.BooleanField):
        return BOOL
    if isinstance(field, forms.DateField):
        return DATE
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        return NUMBER
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(field.widget, forms.RadioSelect):
        return CHOICE
    if isinstance(field.widget, (forms.NumberInput, forms.HiddenInput)):
        return NUMBER
    return TEXT


def fields_of(form_class, prefix="", **kinds):
    """(POST name, kind) of a form's fields (``prefix-name`` when prefixed);
    ``kinds`` names the text fields that hold a number."""
    return tuple(
        (f"{prefix}-{name}" if prefix else name, kinds.get(name, kind_of(field))) for name, field in form_class.base_fields.items()
    )


def filters_of(filterset_class):
    """(GET name, kind) of a django-filter FilterSet's filters."""
    # ``Filter.field`` builds the form field once and keeps it on the filter: asked
    # of the class's own filters, it would be copied into every FilterSet of the
    # process, stale (the views set each filter's queryset after the copy).
    return tuple((name, kind_of(copy.deepcopy(item).field)) for name, item in filterset_class.base_filters.items())


def management_fields(prefix):
    return tuple((f"{prefix}-{name}", NUMBER) for name in ManagementForm.base_fields)


@dataclasses.dataclass(frozen=True)
class FormCase:
    """A form as a view receives it: who posts it (a fixture), what it needs
    (fixtures), where it goes, the valid data around the field under test,
    and where what it saved is read back and shown."""

    name: str
    user: str
    fixtures: tuple
    url: Callable
    data: Callable
    fields: tuple
    # {POST name: stored text} for the free-text fields the form saves as typed.
    stored: Callable = lambda ctx: {}
    # Pages showing what was saved (the redirect's target is checked too).
    shows: Callable = lambda ctx: []
    prepare: Callable = lambda ctx: None
    method: str = "post"


def _ctx(request, case):
    names = (case.user, *case.fixtures) if case.user else case.fixtures
    ctx = SimpleNamespace(**{name: request.getfixturevalue(name) for name in names})
    ctx.user = getattr(ctx, case.user) if case.user else None
    case.prepare(ctx)
    return ctx


def _pks(model, *codes):
    return [str(pk) for pk in model.objects.filter(code__in=codes).values_list("pk", flat=True)]


# Candidatures --------------------------------------------------------------------------------------


def _proposal_data(ctx):
    proposal = Proposal.objects.get(pk=ctx.draft.pk)
    return {
        "version": str(proposal.version),
        "title": "Différencier avec MathALÉA",
        "summary": "Des parcours adaptés.",
        "objectives": "Réduire les écarts.",
        "problem": "Comment différencier ?",
        "class_levels": _pks(ClassLevel, "college"),
        "digital_tools": "MathALÉA",
        "commons": _pks(DigitalCommon, "mathalea"),
        "crcn_competences": _pks(CrcnCompetence, "1.3"),
        "ai_usage": AIUsage.NONE,
        "ai_tools": "",
        "ai_precautions": "",
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "1000",
        "team-0-first_name": "Inès",
        "team-0-last_name": "Morel",
        "team-0-email": "ines.morel@ac-grenoble.fr",
        "team-0-uai": "0381234K",
        "team-0-role": TeamRole.REFERENT,
    }


def _proposal_stored(ctx):
    proposal = Proposal.objects.get(pk=ctx.draft.pk)
    stored = {name: getattr(proposal, name) for name in proposal_services.DRAFT_TEXT_FIELDS}
    member = TeamMember.objects.filter(proposal=proposal).order_by("pk").first()
    if member is not None:
        stored.update({"team-0-first_name": member.first_name, "team-0-last_name": member.last_name})
    return stored


def _opinion_given(ctx):
    proposal_services.give_opinion(ctx.submitted, acting_user=ctx.inspector_maths_grenoble, opinion=AcademicOpinion.FAVOURABLE)


def _synthesis_url(ctx, name="synthesis_edit"):
    return reverse(f"candidatures:{name}", args=[YEAR, "grenoble"])


def _synthesis_data(ctx):
    return {
        "cover_note": "Notre démarche.",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-proposal": str(ctx.retained.pk),
        "items-0-include": "on",
        "items-0-priority": "1",
        "items-0-comment": "Priorité de l'académie.",
    }


def _synthesis_stored(ctx):
    synthesis = AcademicSynthesis.objects.filter(call=ctx.call, academy__code="grenoble").first()
    if synthesis is None:
        return {}
    item = synthesis.items.first()
    return {"cover_note": synthesis.cover_note, "items-0-comment": item.comment if item else None}


def _composed(ctx):
    open_window(ctx.call)
    proposal_services.compose_synthesis(ctx.call, ctx.retained.academy, acting_user=ctx.dan_grenoble, cover_note="", items=[(ctx.retained, 1, "")])


def _extension_stored(ctx):
    extension = DeadlineExtension.objects.filter(call=ctx.call, academy__code="grenoble").first()
    return {"reason": extension.reason} if extension else {}


# Selection -------------------------------------------------------------------------------------------


def _criterion(ctx):
    return Criterion.objects.filter(grid=ctx.grid).order_by("order", "pk").first()


def _criterion_data(ctx):
    criterion = _criterion(ctx)
    prefix = f"criterion-{criterion.pk}-"
    return {
        prefix + "label": criterion.label, prefix + "description": "Adéquation au thème.", prefix + "weight": "1",
        prefix + "scale_min": "0", prefix + "scale_max": "4", prefix + "order": str(criterion.order),
    }


def _criterion_stored(ctx):
    criterion = _criterion(ctx)
    prefix = f"criterion-{criterion.pk}-"
    return {prefix + "label": criterion.label, prefix + "description": criterion.description}


def _criterion_fields():
    # The criterion's pk is known only once the grid exists: its fields are named « criterion-<pk>-… ».
    return fields_of(forms_pilot.CriterionForm, "criterion-PK")


def _new_criterion_stored(ctx):
    criterion = Criterion.objects.filter(grid=ctx.grid).order_by("-pk").first()
    return {"new-label": criterion.label, "new-description": criterion.description}


def _entry_url(name, *args):
    return lambda ctx: reverse(f"selection:{name}", args=[YEAR, "mathematiques", *[arg(ctx) for arg in args]])


def _review_data(ctx):
    data = {"comment": "Projet solide.", "recommendation": Recommendation.choices[0][0], "save": ""}
    data.update({f"criterion_{criterion.pk}": "3" for criterion in Criterion.objects.filter(grid=ctx.grid)})
    return data


def _review_stored(ctx):
    review = Review.objects.filter(assignment=ctx.assignment).first()
    return {"comment": review.comment} if review else {}


# Productions --------------------------------------------------------------------------------------------


def _scenario_edit_data(ctx):
    scenario = Scenario.objects.get(pk=ctx.scenario.pk)
    return {
        "version": str(scenario.version),
        "title": "Fractions en 6e",
        "summary": "Des parcours.",
        "class_levels": _pks(ClassLevel, "college"),
        "problem": "Comment différencier ?",
        "disciplinary_competences": "Calculer avec des fractions.",
        "crcn_competences": _pks(CrcnCompetence, "1.3"),
        "digital_tools": "MathALÉA",
        "commons": _pks(DigitalCommon, "mathalea"),
        "ai_usage": AIUsage.NONE,
        "ai_tools": "",
        "ai_precautions": "",
        "sessions": "4",
        "session_minutes": "55",
        "with_screen": forms_groups.ScenarioForm.WITH_SCREEN,
        "licence": Licence.choices[0][0],
    }


SCENARIO_TEXT = (
    "title", "summary", "problem", "disciplinary_competences", "digital_tools", "ai_tools", "ai_precautions",
)


def _scenario_stored(pk_of):
    def stored(ctx):
        scenario = Scenario.objects.get(pk=pk_of(ctx).pk)
        return {name: getattr(scenario, name) for name in SCENARIO_TEXT}
    return stored


def _member(ctx):
    return GroupMember.objects.get(group=ctx.group, email=ctx.colleague_grenoble.email)


def _national(ctx):
    return NationalGroup.objects.get(call=ctx.call, entry__code="mathematiques")


def _national_people(ctx):
    ctx.igesr = make_user("igesr@example.test", Role.REVIEWER, disciplines=[ctx.maths])
    ctx.expert = make_user("expert.tn3@example.test", Role.REVIEWER, disciplines=[ctx.maths])


def _clock(ctx):
    # The follow-up pages reason on « today »: 20 November 2026, during the production.
    ctx.monkeypatch.setattr(views_progress, "today", lambda: TODAY)


def _milestone(ctx):
    return Milestone.objects.filter(call=ctx.call).order_by("due_on", "pk").first()


def _milestone_prepare(ctx):
    _clock(ctx)
    production_services.add_milestone(
        ctx.call, acting_user=ctx.pilot, kind=MilestoneKind.STEP, label="Première séquence", due_on=datetime.date(2026, 12, 11),
        expected_scenarios=1,
    )


def _milestone_data(ctx):
    milestone = _milestone(ctx)
    prefix = f"milestone-{milestone.pk}-"
    return {
        prefix + "label": milestone.label, prefix + "kind": milestone.kind, prefix + "due_on": milestone.due_on.isoformat(),
        prefix + "expected_scenarios": "1", prefix + "expected_state": ScenarioState.TESTED,
    }


def _declaration_prepare(ctx):
    _clock(ctx)
    ctx.declaration = production_services.declare_hours(
        ctx.group, acting_user=ctx.teacher_grenoble, month=datetime.date(2026, 10, 1), hours="6,5", description="Conception",
        today=TODAY,
    )


def _declared_stored(ctx):
    declaration = HoursDeclaration.objects.filter(group=ctx.group).order_by("-pk").first()
    return {"hours-description": declaration.description} if declaration else {}


def _refuse_stored(ctx):
    declaration = HoursDeclaration.objects.get(pk=ctx.declaration.pk)
    return {f"refuse-{declaration.pk}-comment": declaration.refusal_comment}


CASES = [
    # --- Candidatures ---
    FormCase(
        "proposal-edit", "teacher_grenoble", ("draft", "call"),
        url=lambda ctx: reverse("candidatures:edit", args=[ctx.draft.pk]),
        data=_proposal_data,
        fields=fields_of(proposal_forms.ProposalForm) + management_fields("team")
        + fields_of(proposal_forms.TeamMemberForm, "team-0") + (("team-0-DELETE", BOOL),),
        stored=_proposal_stored,
        shows=lambda ctx: [reverse("candidatures:detail", args=[ctx.draft.pk])],
        prepare=lambda ctx: open_window(ctx.call),
    ),
    FormCase(
        "proposal-withdraw", "teacher_grenoble", ("submitted",),
        url=lambda ctx: reverse("candidatures:withdraw", args=[ctx.submitted.pk]),
        data=lambda ctx: {"reason": "Équipe dissoute."},
        fields=fields_of(proposal_forms.WithdrawForm),
        shows=lambda ctx: [reverse("candidatures:detail", args=[ctx.submitted.pk])],
    ),
    FormCase(
        "proposal-opinion", "inspector_maths_grenoble", ("submitted",),
        url=lambda ctx: reverse("candidatures:give_opinion", args=[ctx.submitted.pk]),
        data=lambda ctx: {"opinion": AcademicOpinion.RESERVED, "comment": "À préciser."},
        fields=fields_of(proposal_forms.OpinionForm),
        stored=lambda ctx: {"comment": Proposal.objects.get(pk=ctx.submitted.pk).opinion_comment},
        shows=lambda ctx: [reverse("candidatures:detail", args=[ctx.submitted.pk])],
    ),
    FormCase(
        "proposal-return", "inspector_maths_grenoble", ("submitted",),
        url=lambda ctx: reverse("candidatures:return_for_completion", args=[ctx.submitted.pk]),
        data=lambda ctx: {"reason": "Ajoutez le calendrier."},
        fields=fields_of(proposal_forms.ReturnForm),
        shows=lambda ctx: [reverse("candidatures:detail", args=[ctx.submitted.pk])],
    ),
    FormCase(
        "proposal-decision", "inspector_maths_grenoble", ("submitted", "inspector_maths_grenoble"),
        url=lambda ctx: reverse("candidatures:decide", args=[ctx.submitted.pk]),
        data=lambda ctx: {"decision": proposal_forms.DecisionForm.RETAIN, "comment": "Bravo."},
        fields=fields_of(proposal_forms.DecisionForm),
        shows=lambda ctx: [reverse("candidatures:detail", args=[ctx.submitted.pk])],
        prepare=_opinion_given,
    ),
    FormCase(
        "synthesis-compose", "dan_grenoble", ("retained", "call"),
        url=_synthesis_url,
        data=_synthesis_data,
        fields=fields_of(proposal_forms.SynthesisForm) + management_fields("items") + fields_of(proposal_forms.SynthesisItemForm, "items-0"),
        stored=_synthesis_stored,
        shows=lambda ctx: [_synthesis_url(ctx, "synthesis")],
        prepare=lambda ctx: open_window(ctx.call),
    ),
    FormCase(
        "synthesis-send", "dan_grenoble", ("retained", "call", "dan_grenoble"),
        url=lambda ctx: _synthesis_url(ctx, "synthesis_send"),
        data=lambda ctx: {"confirm": "on"},
        fields=fields_of(proposal_forms.SendSynthesisForm),
        shows=lambda ctx: [_synthesis_url(ctx, "synthesis")],
        prepare=_composed,
    ),
    FormCase(
        "deadline-extension", "pilot", ("call",),
        url=lambda ctx: reverse("candidatures:extension", args=[YEAR, "grenoble"]),
        data=lambda ctx: {"deadline": "2026-04-15", "reason": "Inondation du rectorat."},
        fields=fields_of(proposal_forms.ExtensionForm),
        stored=_extension_stored,
        shows=lambda ctx: [reverse("candidatures:syntheses", args=[YEAR])],
    ),
    # --- Selection: the pilot ---
    FormCase(
        "criterion-edit", "pilot", ("grid",),
        url=lambda ctx: reverse("selection:pilot_criterion_edit", args=[YEAR, _criterion(ctx).pk]),
        data=_criterion_data,
        fields=_criterion_fields(),
        stored=_criterion_stored,
        shows=lambda ctx: [reverse("selection:grid", args=[YEAR])],
    ),
    FormCase(
        "criterion-add", "pilot", ("grid",),
        url=lambda ctx: reverse("selection:pilot_criterion_add", args=[YEAR]),
        data=lambda ctx: {"new-label": "Originalité", "new-description": "", "new-weight": "1", "new-scale_min": "0", "new-scale_max": "4"},
        fields=fields_of(forms_pilot.NewCriterionForm, "new"),
        stored=_new_criterion_stored,
        shows=lambda ctx: [reverse("selection:grid", args=[YEAR])],
    ),
    FormCase(
        "review-due", "pilot", ("grid",),
        url=lambda ctx: reverse("selection:pilot_review_due", args=[YEAR]),
        data=lambda ctx: {"review_due": "2026-05-15"},
        fields=fields_of(forms_pilot.ReviewDueForm),
        shows=lambda ctx: [reverse("selection:grid", args=[YEAR])],
    ),
    FormCase(
        "assign-entry", "pilot", ("sent_grenoble", "sent_lyon", "reviewer_national", "grid"),
        url=_entry_url("pilot_assign_entry"),
        data=lambda ctx: {"reviewer": str(ctx.reviewer_national.pk), "due_on": "2026-05-15"},
        fields=fields_of(forms_pilot.AssignEntryForm),
        shows=lambda ctx: [reverse("selection:entry", args=[YEAR, "mathematiques"])],
    ),
    FormCase(
        "assign-proposal", "pilot", ("sent_grenoble", "reviewer_national", "grid"),
        url=_entry_url("pilot_assign", lambda ctx: ctx.sent_grenoble.pk),
        data=lambda ctx: {"reviewer": str(ctx.reviewer_national.pk)},
        fields=fields_of(forms_pilot.AssignProposalForm),
        shows=lambda ctx: [reverse("selection:entry", args=[YEAR, "mathematiques"])],
    ),
    FormCase(
        "empty-seats", "pilot", ("sent_grenoble", "grid", "call"),
        url=_entry_url("pilot_empty_seats"),
        data=lambda ctx: {"reason": "Un seul projet solide."},
        fields=fields_of(forms_pilot.EmptySeatReasonForm),
        stored=lambda ctx: {"reason": EmptySeatReason.objects.filter(entry__call=ctx.call, entry__code="mathematiques")
                            .values_list("reason", flat=True).first()},
        shows=lambda ctx: [reverse("selection:entry", args=[YEAR, "mathematiques"])],
    ),
    FormCase(
        "publish-results", "pilot", ("sent_grenoble", "grid"),
        url=lambda ctx: reverse("selection:pilot_publish", args=[YEAR]),
        data=lambda ctx: {"confirm": "on"},
        fields=fields_of(forms_pilot.PublishForm),
        shows=lambda ctx: [reverse("selection:pilot", args=[YEAR])],
    ),
    # --- Selection: the reviewer ---
    FormCase(
        "review", "reviewer_national", ("assignment", "sent_grenoble", "grid"),
        url=lambda ctx: reverse("selection:review", args=[ctx.sent_grenoble.pk]),
        data=_review_data,
        fields=fields_of(forms_reviewer.ReviewForm) + (("criterion_PK", CHOICE), ("submit", BOOL)),
        stored=_review_stored,
        shows=lambda ctx: [reverse("selection:review", args=[ctx.sent_grenoble.pk])],
    ),
    FormCase(
        "conflict", "reviewer_national", ("assignment", "sent_grenoble"),
        url=lambda ctx: reverse("selection:declare_conflict", args=[ctx.sent_grenoble.pk]),
        data=lambda ctx: {"reason": "J'ai travaillé avec l'équipe."},
        fields=fields_of(forms_reviewer.ConflictForm),
        shows=lambda ctx: [reverse("selection:reviewer_list")],
    ),
    # --- Productions: groups ---
    FormCase(
        "member-add", "inspector_maths_grenoble", ("group",),
        url=lambda ctx: reverse("productions:member_add", args=[ctx.group.pk]),
        data=lambda ctx: {
            "member-first_name": "Léa", "member-last_name": "Roux", "member-email": "lea.roux@ac-grenoble.fr",
            "member-uai": "0380023U", "member-role": TeamRole.TEACHER,
        },
        fields=fields_of(forms_groups.MemberForm, "member"),
        stored=lambda ctx: {
            "member-first_name": GroupMember.objects.filter(group=ctx.group).order_by("-pk").values_list("first_name", flat=True).first(),
            "member-last_name": GroupMember.objects.filter(group=ctx.group).order_by("-pk").values_list("last_name", flat=True).first(),
        },
        shows=lambda ctx: [reverse("productions:group", args=[ctx.group.pk])],
    ),
    FormCase(
        "member-role", "inspector_maths_grenoble", ("group", "colleague_grenoble"),
        url=lambda ctx: reverse("productions:member_role", args=[ctx.group.pk, _member(ctx).pk]),
        data=lambda ctx: {"role": TeamRole.REFERENT},
        fields=fields_of(forms_groups.MemberRoleForm),
        shows=lambda ctx: [reverse("productions:group", args=[ctx.group.pk])],
    ),
    FormCase(
        "national-members", "pilot", ("groups", "call", "maths"),
        url=lambda ctx: reverse("productions:national_group", args=[_national(ctx).pk]),
        data=lambda ctx: {"national-igesr": str(ctx.igesr.pk), "national-expert": str(ctx.expert.pk), "national-second_expert": ""},
        fields=fields_of(forms_groups.NationalMembersForm, "national"),
        shows=lambda ctx: [reverse("productions:national_group", args=[_national(ctx).pk])],
        prepare=_national_people,
    ),
    # --- Productions: scenarios ---
    FormCase(
        "scenario-create", "teacher_grenoble", ("group",),
        url=lambda ctx: reverse("productions:scenario_create", args=[ctx.group.pk]),
        data=lambda ctx: {"title": "Fractions en 6e"},
        fields=fields_of(forms_groups.ScenarioCreateForm),
        stored=lambda ctx: {"title": Scenario.objects.filter(group=ctx.group).order_by("-pk").values_list("title", flat=True).first()},
        shows=lambda ctx: [reverse("productions:group", args=[ctx.group.pk])],
    ),
    FormCase(
        "scenario-edit", "teacher_grenoble", ("scenario",),
        url=lambda ctx: reverse("productions:scenario_edit", args=[ctx.scenario.pk]),
        data=_scenario_edit_data,
        fields=fields_of(forms_groups.ScenarioForm),
        stored=_scenario_stored(lambda ctx: ctx.scenario),
        shows=lambda ctx: [reverse("productions:scenario", args=[ctx.scenario.pk]), reverse("productions:scenario_versions", args=[ctx.scenario.pk])],
    ),
    FormCase(
        "scenario-validate", "inspector_maths_grenoble", ("submitted_scenario",),
        url=lambda ctx: reverse("productions:scenario_validate", args=[ctx.submitted_scenario.pk]),
        data=lambda ctx: {"comment": "Très clair."},
        fields=fields_of(forms_groups.ValidateForm),
        shows=lambda ctx: [reverse("productions:scenario", args=[ctx.submitted_scenario.pk])],
    ),
    FormCase(
        "scenario-return", "inspector_maths_grenoble", ("submitted_scenario",),
        url=lambda ctx: reverse("productions:scenario_return", args=[ctx.submitted_scenario.pk]),
        data=lambda ctx: {"comment": "Ajoutez la fiche élève."},
        fields=fields_of(forms_groups.ReturnForm),
        shows=lambda ctx: [reverse("productions:scenario", args=[ctx.submitted_scenario.pk])],
    ),
    FormCase(
        "scenario-publish", "inspector_maths_grenoble", ("validated",),
        url=lambda ctx: reverse("productions:scenario_publish", args=[ctx.validated.pk]),
        data=lambda ctx: {"edubase_url": "https://edubase.eduscol.education.fr/fiche/12345"},
        fields=fields_of(forms_groups.PublishForm),
        stored=lambda ctx: {"edubase_url": Scenario.objects.get(pk=ctx.validated.pk).edubase_url},
        shows=lambda ctx: [reverse("productions:scenario", args=[ctx.validated.pk])],
    ),
    FormCase(
        "scenario-edubase", "inspector_maths_grenoble", ("published_scenario",),
        url=lambda ctx: reverse("productions:scenario_edubase", args=[ctx.published_scenario.pk]),
        data=lambda ctx: {"edubase_url": "https://edubase.eduscol.education.fr/fiche/54321"},
        fields=fields_of(forms_groups.EdubaseForm),
        stored=lambda ctx: {"edubase_url": Scenario.objects.get(pk=ctx.published_scenario.pk).edubase_url},
        shows=lambda ctx: [reverse("productions:scenario", args=[ctx.published_scenario.pk])],
    ),
    # --- Productions: calendar and hours ---
    FormCase(
        "milestone-add", "pilot", ("groups", "call", "monkeypatch"),
        url=lambda ctx: reverse("productions:milestone_add", args=[YEAR]),
        data=lambda ctx: {
            "new-label": "Dépôt des fiches", "new-kind": MilestoneKind.STEP, "new-due_on": "2027-02-26", "new-expected_scenarios": "2",
            "new-expected_state": ScenarioState.SUBMITTED,
        },
        fields=fields_of(forms_progress.NewMilestoneForm, "new"),
        stored=lambda ctx: {"new-label": Milestone.objects.filter(call=ctx.call).order_by("-pk").values_list("label", flat=True).first()},
        shows=lambda ctx: [reverse("productions:calendar", args=[YEAR])],
        prepare=_clock,
    ),
    FormCase(
        "milestone-edit", "pilot", ("groups", "call", "monkeypatch"),
        url=lambda ctx: reverse("productions:milestone_edit", args=[YEAR, _milestone(ctx).pk]),
        data=_milestone_data,
        fields=fields_of(forms_progress.MilestoneForm, "milestone-PK"),
        stored=lambda ctx: {f"milestone-{_milestone(ctx).pk}-label": _milestone(ctx).label},
        shows=lambda ctx: [reverse("productions:calendar", args=[YEAR])],
        prepare=_milestone_prepare,
    ),
    FormCase(
        "hours-declare", "teacher_grenoble", ("group", "monkeypatch"),
        url=lambda ctx: reverse("productions:hours_declare"),
        data=lambda ctx: {"hours-group": str(ctx.group.pk), "hours-month": "2026-10", "hours-hours": "2,5", "hours-description": "Conception"},
        fields=fields_of(forms_progress.HoursForm, "hours", hours=NUMBER),
        stored=_declared_stored,
        shows=lambda ctx: [reverse("productions:hours")],
        prepare=_clock,
    ),
    FormCase(
        "hours-refuse", "inspector_maths_grenoble", ("group", "teacher_grenoble", "monkeypatch"),
        url=lambda ctx: reverse("productions:hours_refuse", args=[ctx.declaration.pk]),
        data=lambda ctx: {f"refuse-{ctx.declaration.pk}-comment": "Réunion déjà rémunérée."},
        fields=(("refuse-PK-comment", TEXT),),
        stored=_refuse_stored,
        shows=lambda ctx: [reverse("productions:hours")],
        prepare=_declaration_prepare,
    ),
    FormCase(
        "hours-cap", "pilot", ("groups", "monkeypatch"),
        url=lambda ctx: reverse("productions:hours_cap", args=[YEAR]),
        data=lambda ctx: {"max_hours": "36,5"},
        fields=fields_of(forms_progress.HoursCapForm, max_hours=NUMBER),
        shows=lambda ctx: [reverse("productions:hours") + f"?appel={YEAR}"],
        prepare=_clock,
    ),
    # --- Bilans ---
    FormCase(
        "bilan-request", "pilot", ("call",),
        url=lambda ctx: reverse("bilans:request", args=[YEAR]),
        # A valid choice would render a PDF: every value posted here is refused before that.
        data=lambda ctx: {},
        fields=fields_of(RequestBilanForm),
        shows=lambda ctx: [reverse("bilans:pilot", args=[YEAR])],
    ),
    # --- Roles granted by the academy ---
    FormCase(
        "academy-roles", "dan_grenoble", ("grenoble",),
        url=lambda ctx: reverse("academy_roles"),
        data=lambda ctx: {
            "email": "nouvelle.prof@ac-grenoble.fr", "first_name": "Zoé", "last_name": "Blanc", "role": Role.TEACHER,
            "academy": str(ctx.grenoble.pk),
        },
        fields=fields_of(GrantRoleForm),
        stored=lambda ctx: dict(zip(
            ("first_name", "last_name"),
            User.objects.filter(email="nouvelle.prof@ac-grenoble.fr").values_list("first_name", "last_name").first() or (None, None),
        )),
        shows=lambda ctx: [reverse("academy_roles")],
    ),
    # --- Forms read from the address (GET): filters and the comparison of versions ---
    FormCase(
        "inspector-filter", "inspector_maths_grenoble", ("submitted",),
        url=lambda ctx: reverse("candidatures:inspector_list"),
        data=lambda ctx: {"q": "MathALÉA", "page": "1"},
        fields=filters_of(InspectorProposalFilter) + (("page", NUMBER),),
        method="get",
    ),
    FormCase(
        "group-filter", "inspector_maths_grenoble", ("group",),
        url=lambda ctx: reverse("productions:group_list"),
        data=lambda ctx: {},
        fields=filters_of(forms_groups.GroupFilter),
        method="get",
    ),
    FormCase(
        "progress-filter", "inspector_maths_grenoble", ("group", "monkeypatch"),
        url=lambda ctx: reverse("productions:progress", args=[YEAR]),
        data=lambda ctx: {"entry": "mathematiques"},
        fields=fields_of(forms_progress.ProgressFilterForm),
        method="get",
        prepare=_clock,
    ),
    FormCase(
        "versions-compare", "teacher_grenoble", ("written",),
        url=lambda ctx: reverse("productions:scenario_versions", args=[ctx.written.pk]),
        data=lambda ctx: {"a": "1", "b": "2", "vue": forms_groups.CompareForm.CHANGES},
        fields=fields_of(forms_groups.CompareForm),
        method="get",
    ),
    # --- Accounts (django-allauth) ---
    FormCase(
        "login", None, ("teacher_grenoble",),
        url=lambda ctx: reverse("account_login"),
        data=lambda ctx: {"login": ctx.teacher_grenoble.email, "password": PASSWORD},
        fields=(("login", TEXT),) + fields_of(account_forms.LoginForm),
    ),
    FormCase(
        "password-reset", None, ("teacher_grenoble",),
        url=lambda ctx: reverse("account_reset_password"),
        data=lambda ctx: {"email": ctx.teacher_grenoble.email},
        fields=fields_of(account_forms.ResetPasswordForm),
    ),
    FormCase(
        "password-change", "teacher_grenoble", (),
        url=lambda ctx: reverse("account_change_password"),
        data=lambda ctx: {"oldpassword": PASSWORD, "password1": "Un-nouveau-mot-de-passe-42", "password2": "Un-nouveau-mot-de-passe-42"},
        fields=fields_of(account_forms.ChangePasswordForm),
    ),
]



def _resolve(ctx, name):
    """A field named with « PK » (its object is created by the fixtures) → its real POST name."""
    if "PK" not in name:
        return name
    if name.startswith("criterion-PK"):
        return name.replace("PK", str(_criterion(ctx).pk))
    if name == "criterion_PK":
        return f"criterion_{_criterion(ctx).pk}"
    if name.startswith("milestone-PK"):
        return name.replace("PK", str(_milestone(ctx).pk))
    if name.startswith("refuse-PK"):
        return name.replace("PK", str(ctx.declaration.pk))
    raise AssertionError(name)


# --- The checks -------------------------------------------------------------------------------------


def error_texts(html: str) -> list[str]:
    """The texts of the page's error blocks (beside a field, on top of a form, or a message)."""
    if not html.strip():
        return []
    tree = lxml.html.fromstring(html)
    found = []
    for name in ERROR_CLASSES:
        found += [" ".join(element.text_content().split()) for element in tree.find_class(name)]
    return [text for text in found if text]


def assert_escaped(html: str, where: str):
    for markup in RAW_MARKUP:
        assert markup not in html, f"{where}: « {markup} » shown raw"


def assert_french_error(html: str, where: str):
    errors = error_texts(html)
    assert errors, f"{where}: the page came back without an error message"
    english = [text for text in errors if ENGLISH.search(text)]
    assert not english, f"{where}: English error message {english}"


class _Rollback(Exception):
    pass


def post_and_check(client, case, ctx, field, value):
    """Post ``value`` in ``field`` (the other fields valid) and check the
    outcome; everything the request wrote is rolled back afterwards."""
    cache.clear()  # rate limits
    try:
        with transaction.atomic():
            key = _resolve(ctx, field)
            data = {**case.data(ctx), key: value}
            before = case.stored(ctx)
            where = f"{case.name} · {field} ← {value!r:.60}"
            response = getattr(client, case.method)(case.url(ctx), data)
            assert response.status_code != 500, f"{where}: server error"
            html = response.content.decode(errors="replace")
            assert_escaped(html, where)
            if case.method == "get":
                # A filter or a comparison: unknown values are ignored or refused, the page always answers.
                assert response.status_code == 200, f"{where}: status {response.status_code}"
                if error_texts(html):
                    assert_french_error(html, where)
            elif response.status_code == 200:
                assert_french_error(html, where)
                assert case.stored(ctx) == before, f"{where}: refused, yet something was stored"
            else:
                assert response.status_code == 302, f"{where}: status {response.status_code}"
                after = case.stored(ctx)
                shown = client.get(response.url)
                assert shown.status_code == 200, f"{where}: the page after saving answers {shown.status_code}"
                shown_html = shown.content.decode()
                assert_escaped(shown_html, where)
                refusal = error_texts(shown_html)
                if refusal:
                    # Refused after all (the message travels with the redirect): in French.
                    assert_french_error(shown_html, where)
                if key in after and not (refusal and after[key] == before.get(key)):
                    # Saved: exactly what was typed.
                    assert after[key] == expected_text(value), f"{where}: stored {after[key]!r:.80}"
                # The pages showing what was saved, when it could carry markup.
                for address in case.shows(ctx) if "<" in str(value) else ():
                    page = client.get(address)
                    assert page.status_code == 200, f"{where}: {address} answers {page.status_code}"
                    assert_escaped(page.content.decode(), f"{where} ({address})")
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_in_every_field(db, request, client, subtests, case):
    """Every field of the form, each with the values that can mean something to it."""
    ctx = _ctx(request, case)
    if ctx.user is not None:
        client.force_login(ctx.user)
    for field, kind in case.fields:
        for label, value, kinds in CORPUS:
            if kind in kinds:
                with subtests.test(msg=f"{case.name} · {field} ← {label}"):
                    post_and_check(client, case, ctx, field, value)


def test_every_form_field_is_covered():
    """The corpus reaches each field through a kind that has values."""
    for case in CASES:
        assert case.fields, case.name
        for field, kind in case.fields:
            assert sum(kind in kinds for _label, _value, kinds in CORPUS) >= 7, (case.name, field, kind)


# --- Uploaded files ---------------------------------------------------------------------------------
#
# The type of a file comes from its content, never from its name (DESIGN.md): a disguised, empty or
# oversize file is refused with a French message and nothing is stored; a well-formed PDF or PNG
# whatever its name is kept under a random storage name, and its name for download is made harmless
# (no folder, no control or bidirectional character, 200 characters at most, ending with the extension
# of what the file really is).

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _oversize():
    # Built when the test runs (20 Mo and one byte), never stored in the repository.
    return b"%PDF-" + b"0" * (attachments.MAX_SIZE + 1 - 5)


REFUSED = "refused"
FILES = [
    # (name, file name, content or a function making it, expected: REFUSED or the name offered for download)
    ("exe-renamed-pdf", "rapport.pdf", EXE_BYTES, REFUSED),
    ("empty", "vide.pdf", b"", REFUSED),
    ("oversize", "gros.pdf", _oversize, REFUSED),
    ("script-renamed-png", "<script>alert(1)</script>.png", SCRIPT.encode(), REFUSED),
    ("png-renamed-pdf", "schema.pdf", PNG_BYTES, "schema.pdf.png"),
    ("pdf-named-exe", "rapport.exe", PDF_BYTES, "rapport.exe.pdf"),
    ("path-traversal", "../../etc/passwd.pdf", PDF_BYTES, "passwd.pdf"),
    ("rtl-override", "facture\u202efdp.exe", PDF_BYTES, "facturefdp.exe.pdf"),
    ("markup-name", '"><img src=x onerror=alert(1)>.pdf', PDF_BYTES, '"><img src=x onerror=alert(1)>.pdf'),
    ("very-long-name", "x" * 300 + ".pdf", PDF_BYTES, "x" * 196 + ".pdf"),
]
UPLOADS = [
    # (name, fixture of the object, url name, the object's attachments, page showing them)
    ("proposal", "draft", "candidatures:attachment_upload", lambda obj: Attachment.objects.filter(proposal=obj), "candidatures:detail"),
    ("scenario", "scenario", "productions:scenario_attachment_upload", lambda obj: ScenarioAttachment.objects.filter(scenario=obj),
     "productions:scenario"),
]
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|png)")


@pytest.fixture
def stored_files(monkeypatch):
    """The files written to the private storage by the test, removed afterwards."""
    storage = Attachment._meta.get_field("file").storage
    saved = []
    original_save = storage.save

    def recording_save(name, content, *args, **kwargs):
        saved.append(original_save(name, content, *args, **kwargs))
        return saved[-1]

    monkeypatch.setattr(storage, "save", recording_save)
    yield saved
    for name in saved:
        storage.delete(name)


@pytest.mark.parametrize(("target", "owner", "url_name", "attached", "page_name"), UPLOADS, ids=[upload[0] for upload in UPLOADS])
@pytest.mark.parametrize(("label", "file_name", "content", "expected"), FILES, ids=[file[0] for file in FILES])
def test_a_bad_file(request, client, stored_files, teacher_grenoble, target, owner, url_name, attached, page_name, label, file_name,
                    content, expected):
    obj = request.getfixturevalue(owner)
    client.force_login(teacher_grenoble)
    content = content() if callable(content) else content
    response = client.post(reverse(url_name, args=[obj.pk]), {"file": SimpleUploadedFile(file_name, content)})
    assert response.status_code == 302
    page = client.get(response.url)
    html = page.content.decode()
    assert_escaped(html, f"{target} ← {label}")
    if expected == REFUSED:
        assert_french_error(html, f"{target} ← {label}")
        assert not attached(obj).exists() and stored_files == []
        return
    attachment = attached(obj).get()
    assert attachment.original_name == expected
    assert attachment.content_type == ("image/png" if content == PNG_BYTES else "application/pdf")
    assert RANDOM_NAME.fullmatch(attachment.file.name.rsplit("/", 1)[1]), attachment.file.name
    assert not any(unicodedata.category(char) in ("Cc", "Cf") for char in attachment.original_name)
    assert "/" not in attachment.original_name and len(attachment.original_name) <= attachments.MAX_NAME_LENGTH
    download = client.get(reverse(url_name.replace("upload", "download"), args=[obj.pk, attachment.pk]))
    assert download["Content-Disposition"].startswith("attachment;") and download["X-Content-Type-Options"] == "nosniff"
