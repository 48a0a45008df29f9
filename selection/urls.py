"""The National selection's pages: the reviewers' and the academies' side
(``urls_reviewer``) and the national pilot's (``urls_pilot``)."""

from . import urls_pilot, urls_reviewer

app_name = "selection"

urlpatterns = urls_reviewer.urlpatterns + urls_pilot.urlpatterns
