"""The national pilots' view of proposals and syntheses. Proposals and
syntheses change only through ``candidatures.services`` (audit, e-mails), so
they are read-only here; extensions go through the services too."""

from django import forms
from django.contrib import admin

from traam.admin import PilotAdmin, ReadOnlyPilotAdmin
from traam.rules import is_pilot

from . import services
from .models import AcademicSynthesis, Attachment, DeadlineExtension, Proposal, SynthesisItem, TeamMember


class ReadOnlyPilotInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return is_pilot(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TeamMemberInline(ReadOnlyPilotInline):
    model = TeamMember
    fields = ["role", "first_name", "last_name", "email", "uai", "user"]


class AttachmentInline(ReadOnlyPilotInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyPilotAdmin):
    list_display = ["title", "academy", "theme", "state", "opinion", "submitted_at"]
    list_filter = ["state", "opinion", "theme__entry__call", "theme__entry__discipline", "academy"]
    list_select_related = ["academy", "theme"]
    search_fields = ["title", "lead__email", "lead__last_name"]
    inlines = [TeamMemberInline, AttachmentInline]


class SynthesisItemInline(ReadOnlyPilotInline):
    model = SynthesisItem
    fields = ["priority", "proposal", "comment"]


@admin.register(AcademicSynthesis)
class AcademicSynthesisAdmin(ReadOnlyPilotAdmin):
    list_display = ["academy", "call", "sent_at", "sent_by"]
    list_filter = ["call", "academy__region"]
    list_select_related = ["academy", "call", "sent_by"]
    inlines = [SynthesisItemInline]


class DeadlineExtensionForm(forms.ModelForm):
    class Meta:
        model = DeadlineExtension
        fields = ["call", "academy", "deadline", "reason"]

    def clean(self):
        cleaned = super().clean()
        call = cleaned.get("call") or getattr(self.instance, "call", None)
        if call is not None:
            for field, errors in services.extension_errors(call, cleaned.get("deadline"), cleaned.get("reason")).items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(PilotAdmin):
    form = DeadlineExtensionForm
    list_display = ["academy", "call", "deadline", "granted_by", "created_at"]
    list_filter = ["call"]
    list_select_related = ["academy", "call", "granted_by"]
    fields = ["call", "academy", "deadline", "reason"]

    def has_import_permission(self, request):
        return False  # an import would bypass the service and its audit

    def get_readonly_fields(self, request, obj=None):
        return ["call", "academy"] if obj else []

    def save_model(self, request, obj, form, change):
        extension = services.grant_extension(obj.call, obj.academy, acting_user=request.user, deadline=obj.deadline, reason=obj.reason)
        obj.pk = extension.pk

    def delete_model(self, request, obj):
        services.withdraw_extension(obj.call, obj.academy, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for extension in queryset.select_related("call", "academy"):
            services.withdraw_extension(extension.call, extension.academy, acting_user=request.user)
