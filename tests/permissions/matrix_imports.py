"""The matrix of the imports: the national pilot's (/imports/: academies,
entries and themes, people) and a DAN/DRAN's import of the teachers of their
academies (/academie/enseignants/import/). Without an import under way, the
confirmation is refused by the form and the result page sends back to the form."""

from .matrix import ADMIN, ALLOWED, DAN, DRAN, FORBIDDEN, OK, PILOT, REDIRECT, Url, pilot_only, post_only_get, signed_in

# The pilot grants anything; a DAN/DRAN imports teachers into their academies.
DELEGATIONS = (DAN, DRAN, PILOT, ADMIN)


def delegations(outcome):
    return signed_in(FORBIDDEN, **{role: outcome for role in DELEGATIONS})


ENTRIES = [
    Url("imports", get=pilot_only(), post=pilot_only(ALLOWED)),
    Url("imports_template", objects={
        "academies": lambda w: {"kind": "academies", "fmt": "csv"},
        "unknown": lambda w: {"kind": "inconnu", "fmt": "csv"},
    }, get=signed_in(FORBIDDEN, **{PILOT: {"academies": OK, "unknown": "404"}, ADMIN: {"academies": OK, "unknown": "404"}})),
    Url("imports_confirm", get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("imports_result", get=pilot_only(REDIRECT)),
    Url("academy_teachers_import", get=delegations(OK), post=delegations(ALLOWED)),
    Url("academy_teachers_import_template", objects={"-": lambda w: {"fmt": "xlsx"}}, get=delegations(OK)),
    Url("academy_teachers_import_confirm", get=post_only_get(), post=delegations(ALLOWED)),
    Url("academy_teachers_import_result", get=delegations(REDIRECT)),
]
