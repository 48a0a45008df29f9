"""The national pilots' view of the bilans' runs: read-only (runs change
through ``bilans.services`` and the worker), from the bilans' pages."""

from django.contrib import admin

from traam.admin import ReadOnlyPilotAdmin

from .models import BilanRun


@admin.register(BilanRun)
class BilanRunAdmin(ReadOnlyPilotAdmin):
    list_display = ["__str__", "kind", "state", "progress", "attempts", "requested_at", "finished_at", "pages", "size", "is_published"]
    list_filter = ["call", "kind", "state", "is_published"]
    list_select_related = ["call", "entry"]
    date_hierarchy = "requested_at"
