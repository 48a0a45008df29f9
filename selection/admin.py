"""The national pilots' view of the selection. Everything changes through
``selection.services`` (audit, locks, e-mails): the records are read-only here,
except the grid's criteria, edited through the services until the first review
is submitted."""

from django import forms
from django.contrib import admin

from candidatures.admin import ReadOnlyPilotInline
from traam.admin import PilotAdmin, ReadOnlyPilotAdmin

from . import services
from .models import (
    ConflictDeclaration, Criterion, EmptySeatReason, Publication, Review, ReviewAssignment, Score, ScoringGrid, Selection,
)


class CriterionInline(ReadOnlyPilotInline):
    model = Criterion
    fields = ["order", "label", "weight", "scale_min", "scale_max", "description"]


@admin.register(ScoringGrid)
class ScoringGridAdmin(ReadOnlyPilotAdmin):
    list_display = ["call", "review_due", "locked"]
    list_select_related = ["call"]
    inlines = [CriterionInline]

    @admin.display(boolean=True, description="verrouillée")
    def locked(self, obj):
        return obj.is_locked


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["grid", "label", "description", "weight", "scale_min", "scale_max", "order"]

    def clean(self):
        cleaned = super().clean()
        grid = cleaned.get("grid") or getattr(self.instance, "grid", None)
        if grid is not None and grid.is_locked:
            raise forms.ValidationError(services.GRID_LOCKED)
        values = {name: cleaned[name] for name in services.CRITERION_FIELDS if cleaned.get(name) is not None}
        _values, errors = services.criterion_errors(values)
        for name, messages in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)
        return cleaned


@admin.register(Criterion)
class CriterionAdmin(PilotAdmin):
    """Criteria go through the services: refused once a review is submitted, audited."""

    form = CriterionForm
    list_display = ["label", "grid", "weight", "scale_min", "scale_max", "order"]
    list_filter = ["grid__call"]
    list_select_related = ["grid__call"]

    def has_import_permission(self, request):
        return False  # an import would bypass the service and its audit

    def get_readonly_fields(self, request, obj=None):
        return ["grid"] if obj else []

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.grid.is_locked)

    def has_delete_permission(self, request, obj=None):
        # A locked grid, or its last criterion, cannot lose a criterion (the service would refuse).
        if obj is not None and (obj.grid.is_locked or obj.grid.criteria.count() <= 1):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, through the service
        return actions

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in ("label", "description", "weight", "scale_min", "scale_max")}
        if change:
            saved = services.update_criterion(obj, acting_user=request.user, order=obj.order, **values)
        else:
            saved = services.add_criterion(obj.grid, acting_user=request.user, **values)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_criterion(obj, acting_user=request.user)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyPilotAdmin):
    list_display = ["proposal", "reviewer", "assigned_at", "due_on"]
    list_filter = ["proposal__theme__entry__call", "proposal__theme__entry__discipline"]
    list_select_related = ["proposal", "reviewer"]
    search_fields = ["proposal__title", "reviewer__email", "reviewer__last_name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyPilotAdmin):
    list_display = ["proposal", "reviewer", "declared_at"]
    list_filter = ["proposal__theme__entry__call"]
    list_select_related = ["proposal", "reviewer"]


class ScoreInline(ReadOnlyPilotInline):
    model = Score
    fields = ["criterion", "value"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyPilotAdmin):
    list_display = ["assignment", "state", "recommendation", "submitted_at"]
    list_filter = ["state", "recommendation", "assignment__proposal__theme__entry__call"]
    list_select_related = ["assignment__proposal", "assignment__reviewer"]
    inlines = [ScoreInline]


@admin.register(Selection)
class SelectionAdmin(ReadOnlyPilotAdmin):
    list_display = ["proposal", "entry", "selected_by", "selected_at"]
    list_filter = ["entry__call"]
    list_select_related = ["proposal", "entry", "selected_by"]


@admin.register(EmptySeatReason)
class EmptySeatReasonAdmin(ReadOnlyPilotAdmin):
    list_display = ["entry", "reason", "written_by", "written_at"]
    list_filter = ["entry__call"]
    list_select_related = ["entry", "written_by"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyPilotAdmin):
    list_display = ["call", "published_at", "published_by", "selected_count", "not_selected_count"]
    list_select_related = ["call", "published_by"]
