"""Views of the metadata exchanged with other catalogues: each published
scenario's ScoLOMFR record and the OAI-PMH endpoint. Public, read-only; an
unpublished scenario answers 404 (ScoLOMFR) or idDoesNotExist (OAI-PMH)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import oai, scolomfr

XML = "text/xml; charset=utf-8"


@require_GET
def scolomfr_record(request, slug):
    scenario = get_object_or_404(oai.harvestable(), slug=slug)
    response = HttpResponse(scolomfr.scenario_to_scolomfr_bytes(scenario), content_type=XML)
    response["Content-Disposition"] = f'inline; filename="{scenario.slug}-scolomfr.xml"'
    return response


# Harvesters POST form-encoded requests without any session: no CSRF token to check.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_pmh(request):
    params = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(reverse("exchange:oai"))
    return HttpResponse(oai.respond(params, base_url), content_type=XML)
