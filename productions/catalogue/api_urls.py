"""Routes of the catalogue (api_urls)."""

from django.urls import path  # noqa: F401

app_name = "api"

urlpatterns = []
