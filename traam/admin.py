from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from . import resources, services
from .models import (
    Academy, AuditEntry, Call, ClassLevel, CrcnCompetence, CrcnDomain, DigitalCommon, Discipline, Entry,
    OutgoingEmail, Region, RoleAssignment, Theme, User,
)
from .rules import is_pilot

admin.site.has_permission = lambda request: request.user.is_active and request.user.has_perm("traam.access_admin")


class PilotAdmin(ImportExportModelAdmin):
    """Reference data is managed by the national pilots (and superusers)."""

    def has_module_permission(self, request):
        return is_pilot(request.user)

    def has_view_permission(self, request, obj=None):
        return is_pilot(request.user)

    def has_add_permission(self, request):
        return is_pilot(request.user)

    def has_change_permission(self, request, obj=None):
        return is_pilot(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_pilot(request.user)

    def has_import_permission(self, request):
        # Imports go through /imports/ (traam.imports): content sniffed, formulas
        # refused, all or nothing, roles granted by the audited services.
        return False

    def has_export_permission(self, request):
        return is_pilot(request.user)


class ReadOnlyPilotAdmin(PilotAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False


@admin.register(Region)
class RegionAdmin(PilotAdmin):
    resource_classes = [resources.RegionResource]
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Academy)
class AcademyAdmin(PilotAdmin):
    resource_classes = [resources.AcademyResource]
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(Discipline)
class DisciplineAdmin(PilotAdmin):
    resource_classes = [resources.DisciplineResource]
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(ClassLevel)
class ClassLevelAdmin(PilotAdmin):
    list_display = ["name", "code", "order"]


class CrcnCompetenceInline(admin.TabularInline):
    model = CrcnCompetence
    extra = 0


@admin.register(CrcnDomain)
class CrcnDomainAdmin(PilotAdmin):
    list_display = ["number", "name"]
    inlines = [CrcnCompetenceInline]


@admin.register(DigitalCommon)
class DigitalCommonAdmin(PilotAdmin):
    list_display = ["name", "url"]


class ThemeInline(admin.StackedInline):
    model = Theme
    extra = 0


@admin.register(Entry)
class EntryAdmin(PilotAdmin):
    resource_classes = [resources.EntryResource]
    list_display = ["name", "call", "discipline", "seats", "order"]
    list_filter = ["call", "discipline"]
    list_editable = ["seats"]
    list_select_related = ["call", "discipline"]
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(PilotAdmin):
    resource_classes = [resources.ThemeResource]
    list_display = ["title", "entry", "order", "eligibility_rule"]
    list_filter = ["entry__call", "entry__discipline"]
    list_select_related = ["entry", "entry__call"]
    search_fields = ["title", "description_html"]


class CloneCallForm(forms.Form):
    year = forms.CharField(label=_("Année du nouvel appel"), max_length=20, help_text=_("Par exemple 2027-2028."))
    title = forms.CharField(label=_("Titre"), max_length=200)
    opens_on = forms.DateField(label=_("Ouverture des candidatures"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    synthesis_deadline = forms.DateField(label=_("Date limite des synthèses académiques"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    results_on = forms.DateField(label=_("Publication des résultats"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    production_starts_on = forms.DateField(label=_("Début de la production"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    production_ends_on = forms.DateField(label=_("Fin de la production"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def shifted_year(year: str) -> str:
    try:
        start, end = (int(part) for part in year.split("-"))
    except ValueError:
        return ""
    return f"{start + 1}-{end + 1}"


def shifted(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@admin.register(Call)
class CallAdmin(PilotAdmin):
    resource_classes = [resources.CallResource]
    list_display = ["title", "year", "opens_on", "synthesis_deadline", "results_on", "production_ends_on", "is_published"]
    list_filter = ["is_published"]
    readonly_fields = ["cloned_from"]
    change_form_template = "admin/traam/call/change_form.html"

    def get_urls(self):
        return [path("<int:pk>/copier/", self.admin_site.admin_view(self.clone_view), name="traam_call_clone")] + super().get_urls()

    def clone_view(self, request, pk):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        source = get_object_or_404(Call, pk=pk)
        initial = {"year": shifted_year(source.year), "title": source.title.replace(source.year, shifted_year(source.year))}
        for name in CloneCallForm.base_fields:
            if name.endswith(("_on", "_deadline")):
                initial[name] = shifted(getattr(source, name))
        form = CloneCallForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                new = services.clone_call(source, year=data.pop("year"), title=data.pop("title"), dates=data, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("L'appel a été copié avec ses disciplines et thématiques. Il n'est pas encore publié."), messages.SUCCESS)
                return redirect(reverse("admin:traam_call_change", args=[new.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "source": source, "opts": self.model._meta, "title": _("Copier l'appel dans une nouvelle année")}
        return render(request, "admin/traam/call/clone.html", context)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["academy", "region"]
    filter_horizontal = ["disciplines"]
    readonly_fields = ["granted_by", "created_at"]


@admin.register(User)
class UserAdmin(PilotAdmin, DjangoUserAdmin):
    ordering = ["last_name", "email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (_("Accès"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleAssignmentInline]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser or staff flags.
        extra = [] if request.user.is_superuser else ["is_staff", "is_superuser"]
        return [*self.readonly_fields, *extra]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(PilotAdmin):
    resource_classes = [resources.RoleAssignmentResource]
    list_display = ["user", "role", "academy", "region", "created_at"]
    list_filter = ["role", "academy__region", "academy", "disciplines"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "academy", "region"]
    filter_horizontal = ["disciplines"]
    list_select_related = ["user", "academy", "region"]
    readonly_fields = ["granted_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyPilotAdmin):
    list_display = ["created_at", "actor", "content_type", "object_id", "action", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyPilotAdmin):
    list_display = ["created_at", "subject", "sent_at", "attempts"]
    list_filter = ["sent_at"]
