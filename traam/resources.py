"""Import-export resources for the reference data (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from .models import Academy, Call, Discipline, Entry, Region, RoleAssignment, Theme, User


class RegionResource(resources.ModelResource):
    class Meta:
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name"]


class AcademyResource(resources.ModelResource):
    region = fields.Field(attribute="region", column_name="region", widget=ForeignKeyWidget(Region, field="code"))

    class Meta:
        model = Academy
        import_id_fields = ["code"]
        fields = ["code", "name", "region"]


class DisciplineResource(resources.ModelResource):
    class Meta:
        model = Discipline
        import_id_fields = ["code"]
        fields = ["code", "name"]


class CallResource(resources.ModelResource):
    class Meta:
        model = Call
        import_id_fields = ["year"]
        fields = ["year", "title", "tagline", "opens_on", "synthesis_deadline", "results_on", "production_starts_on", "production_ends_on", "is_published"]


class EntryResource(resources.ModelResource):
    call = fields.Field(attribute="call", column_name="call", widget=ForeignKeyWidget(Call, field="year"))
    discipline = fields.Field(attribute="discipline", column_name="discipline", widget=ForeignKeyWidget(Discipline, field="code"))

    class Meta:
        model = Entry
        import_id_fields = ["call", "code"]
        fields = ["call", "code", "discipline", "name", "order", "seats"]


class ThemeResource(resources.ModelResource):
    call = fields.Field(attribute="entry__call__year", column_name="call", readonly=True)
    entry = fields.Field(attribute="entry", column_name="entry_id", widget=ForeignKeyWidget(Entry))

    class Meta:
        model = Theme
        fields = ["id", "call", "entry", "order", "title", "full_title", "description_html", "eligibility_rule", "eligibility_text"]


class RoleAssignmentResource(resources.ModelResource):
    user = fields.Field(attribute="user", column_name="email", widget=ForeignKeyWidget(User, field="email"))
    academy = fields.Field(attribute="academy", column_name="academy", widget=ForeignKeyWidget(Academy, field="code"))
    region = fields.Field(attribute="region", column_name="region", widget=ForeignKeyWidget(Region, field="code"))
    disciplines = fields.Field(attribute="disciplines", column_name="disciplines", widget=ManyToManyWidget(Discipline, field="code", separator="|"))

    class Meta:
        model = RoleAssignment
        import_id_fields = ["user", "role", "academy", "region"]
        fields = ["user", "role", "academy", "region", "disciplines"]
        skip_unchanged = True
