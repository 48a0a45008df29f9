"""The portal's URLs with the bilans mounted at /bilans/, for the tests of
the bilans' pages (``@pytest.mark.urls("tests.bilans.urls")``) until
traam/urls.py mounts them itself."""

from django.urls import include, path

from traam.urls import handler403, handler404, handler500, urlpatterns as portal  # noqa: F401

urlpatterns = [*(pattern for pattern in portal if str(pattern.pattern) != "bilans/"), path("bilans/", include("bilans.urls"))]
