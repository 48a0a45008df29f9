"""The matrix of ``bilans`` (/bilans/): the pilot's pages and the public
bilans. Versions: ``published`` (version 1 of mathematics, public) and
``unpublished`` (version 2)."""

from .matrix import ALLOWED, NOT_FOUND, OK, REDIRECT, Url, pilot_only, post_only_get, roles

CALL = "2026-2027"
year = {"-": lambda w: {"year": CALL}}
RUNS = {"published": lambda w: {"pk": w.objects.bilan_published.pk}, "unpublished": lambda w: {"pk": w.objects.bilan_unpublished.pk}}

ENTRIES = [
    # The pilot's page of the current call for the pilot, the public list for everyone else.
    Url("bilans:home", get=roles(REDIRECT)),
    Url("bilans:pilot", objects=year, get=pilot_only()),
    Url("bilans:pilot_runs", objects=year, get=pilot_only(REDIRECT)),  # opened without htmx: the whole page
    Url("bilans:request", objects=year, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("bilans:request_all", objects=year, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("bilans:download", objects=RUNS, get=pilot_only()),
    Url("bilans:publish", objects=RUNS, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("bilans:unpublish", objects=RUNS, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("bilans:public_list", objects=year, get=roles(OK)),
    # The public version of a bilan, for anyone; 404 for a bilan with no public version.
    Url("bilans:public_download", objects={
        "mathematiques": lambda w: {"year": CALL, "code": "mathematiques"},
        "nsi": lambda w: {"year": CALL, "code": "nsi"},
    }, get=roles({"mathematiques": OK, "nsi": NOT_FOUND})),
]
