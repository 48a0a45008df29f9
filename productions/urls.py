"""The production stage's pages: groups and scenarios (``urls_groups``), and
progress, calendar and hours (``urls_progress``)."""

from . import urls_groups, urls_progress

app_name = "productions"

urlpatterns = urls_groups.urlpatterns + urls_progress.urlpatterns
