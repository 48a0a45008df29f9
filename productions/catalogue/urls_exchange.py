"""Routes of the catalogue (urls_exchange)."""

from django.urls import path  # noqa: F401

app_name = "exchange"

urlpatterns = []
