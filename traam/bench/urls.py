"""The project's addresses plus the bench's reference pages (bench settings only):
``/bench/minimal/``, a page of the portal's layout with one paragraph, and
``/bench/bare/``, a few bytes of text; both through the same middleware."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from traam.urls import handler403, handler404, handler500, urlpatterns as project_urlpatterns  # noqa: F401

MINIMAL = engines["django"].from_string(
    '{% extends "base.html" %}{% block main %}<h1>Page minimale</h1><p>Page de référence des mesures.</p>{% endblock main %}'
)


def minimal(request):
    return HttpResponse(MINIMAL.render({}, request))


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), path("bench/bare/", bare), *project_urlpatterns]
