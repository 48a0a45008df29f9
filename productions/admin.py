"""The national pilots' view of the production year. Groups, scenarios and
hours change only through ``productions.services`` (audit, locks, e-mails), so
they are read-only here; the calendar's milestones and the hours cap are edited
through the services too."""

from django import forms
from django.contrib import admin

from candidatures.admin import ReadOnlyPilotInline
from traam.admin import PilotAdmin, ReadOnlyPilotAdmin

from . import services
from .models import (
    GroupMember, HoursCap, HoursDeclaration, Milestone, MilestoneReminder, NationalGroup, NationalMember, Scenario, ScenarioAttachment,
    ScenarioVersion, WorkingGroup,
)
from .selectors import with_composition


class GroupMemberInline(ReadOnlyPilotInline):
    model = GroupMember
    fields = ["role", "first_name", "last_name", "email", "uai", "user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyPilotAdmin):
    list_display = ["title", "academy", "entry", "call", "members", "complete"]
    list_filter = ["call", "entry__discipline", "academy"]
    list_select_related = ["academy", "entry", "call"]
    search_fields = ["title", "members__email", "members__last_name"]
    inlines = [GroupMemberInline]

    def get_queryset(self, request):
        return with_composition(super().get_queryset(request))

    @admin.display(description="membres")
    def members(self, obj):
        return obj.member_count

    @admin.display(boolean=True, description="composition conforme")
    def complete(self, obj):
        return obj.composition_ok


class NationalMemberInline(ReadOnlyPilotInline):
    model = NationalMember
    fields = ["role", "first_name", "last_name", "email", "academy", "user"]


@admin.register(NationalGroup)
class NationalGroupAdmin(ReadOnlyPilotAdmin):
    list_display = ["entry", "call", "created_at"]
    list_filter = ["call"]
    list_select_related = ["entry", "call"]
    inlines = [NationalMemberInline]


class ScenarioAttachmentInline(ReadOnlyPilotInline):
    model = ScenarioAttachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


class ScenarioVersionInline(ReadOnlyPilotInline):
    model = ScenarioVersion
    fields = ["number", "state", "author", "created_at", "comment"]


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyPilotAdmin):
    list_display = ["title", "group", "state", "version", "updated_at", "published_at"]
    list_filter = ["state", "ai_usage", "licence", "group__call", "group__entry__discipline", "group__academy"]
    list_select_related = ["group__academy"]
    search_fields = ["title", "summary", "slug"]
    inlines = [ScenarioAttachmentInline, ScenarioVersionInline]


@admin.register(HoursDeclaration)
class HoursDeclarationAdmin(ReadOnlyPilotAdmin):
    list_display = ["member", "group", "month", "hours", "state", "decided_by"]
    list_filter = ["state", "group__call", "group__academy"]
    list_select_related = ["member", "group__academy", "decided_by"]
    search_fields = ["member__email", "member__last_name"]


@admin.register(MilestoneReminder)
class MilestoneReminderAdmin(ReadOnlyPilotAdmin):
    list_display = ["milestone", "group", "sent_at", "scenarios_then"]
    list_filter = ["milestone__call"]
    list_select_related = ["milestone", "group__academy"]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["call", "kind", "label", "due_on", "expected_scenarios", "expected_state"]

    def clean(self):
        cleaned = super().clean()
        call = cleaned.get("call") or getattr(self.instance, "call", None)
        if call is not None:
            values = {name: cleaned.get(name) for name in services.MILESTONE_FIELDS if name in cleaned}
            _values, errors = services.milestone_errors(call, values)
            for name, messages in errors.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return cleaned


@admin.register(Milestone)
class MilestoneAdmin(PilotAdmin):
    """Milestones go through the services: checked against the production period, audited."""

    form = MilestoneForm
    list_display = ["label", "call", "kind", "due_on", "expected_scenarios", "expected_state"]
    list_filter = ["call", "kind"]
    list_select_related = ["call"]

    def has_import_permission(self, request):
        return False  # an import would bypass the services and their audit

    def get_readonly_fields(self, request, obj=None):
        return ["call"] if obj else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, through the service
        return actions

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in ("kind", "label", "due_on", "expected_scenarios", "expected_state")}
        if change:
            saved = services.update_milestone(obj, acting_user=request.user, **values)
        else:
            saved = services.add_milestone(obj.call, acting_user=request.user, **values)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_milestone(obj, acting_user=request.user)


class HoursCapForm(forms.ModelForm):
    class Meta:
        model = HoursCap
        fields = ["call", "max_hours"]


@admin.register(HoursCap)
class HoursCapAdmin(PilotAdmin):
    """The cap per person goes through the service (audited)."""

    form = HoursCapForm
    list_display = ["call", "max_hours", "set_by", "set_at"]
    list_select_related = ["call", "set_by"]

    def has_import_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["call"] if obj else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        saved = services.set_hours_cap(obj.call, obj.max_hours, acting_user=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.set_hours_cap(obj.call, None, acting_user=request.user)
