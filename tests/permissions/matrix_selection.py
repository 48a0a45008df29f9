"""The matrix of ``selection`` (/selection/): the reviewers' pages, the
academies' results, the national pilot's pages.

The reviewer belongs to Grenoble and reviews mathematics: the Rennes proposal
is confided to them (``rennes``); the Grenoble one is too, through an
assignment from before they joined Grenoble (``grenoble``) — a conflict of
interest: never shown to them (404). Both proposals are selected now (the
results are published), so nobody may change a review any more."""

from .matrix import (
    ADMIN, ALLOWED, DAN, DRAN, FORBIDDEN, INSPECTOR, NOT_FOUND, OK, PILOT, REDIRECT, REVIEWER, Url, pilot_only, post_only_get,
    signed_in,
)

CALL = "2026-2027"
ENTRY = "mathematiques"


def proposal(attr, attachment=None):
    def kwargs(world):
        values = {"pk": getattr(world.objects, attr).pk}
        if attachment:
            values["att_pk"] = getattr(world.objects, attachment).pk
        return values

    return kwargs


UNDER_REVIEW = {"rennes": proposal("proposal_rennes"), "grenoble": proposal("proposal_grenoble")}
# The pilot sees every proposal under review; the reviewer the one confided to them without conflict.
view = signed_in(NOT_FOUND, **{REVIEWER: {"rennes": OK, "grenoble": NOT_FOUND}, PILOT: OK, ADMIN: OK})
# Reviews are closed once the proposals are selected: 403 to those who see the proposal.
# (A superuser passes every ``has_perm``: the view lets them post; the services refuse.)
change = signed_in(NOT_FOUND, **{REVIEWER: {"rennes": FORBIDDEN, "grenoble": NOT_FOUND}, PILOT: FORBIDDEN, ADMIN: ALLOWED})

year = {"-": lambda w: {"year": CALL}}
entry = {"-": lambda w: {"year": CALL, "entry_code": ENTRY}}
entry_proposal = {"-": lambda w: {"year": CALL, "entry_code": ENTRY, "pk": w.objects.proposal_rennes.pk}}
pilot_post = pilot_only(ALLOWED)

ENTRIES = [
    Url("selection:reviewer_list", get=signed_in(FORBIDDEN, **{REVIEWER: OK})),
    Url("selection:review", objects=UNDER_REVIEW, get=view, post=change),
    Url("selection:declare_conflict", objects=UNDER_REVIEW, get=post_only_get(), post=change),
    Url("selection:attachment", objects={
        "rennes": proposal("proposal_rennes", "attachment_rennes"), "grenoble": proposal("proposal_grenoble", "attachment_grenoble"),
    }, get=view),
    # Two routes: without a year (sends to the latest published results), and with one.
    Url(
        "selection:results",
        objects={"latest": lambda w: {}, "year": lambda w: {"year": CALL}},
        get=signed_in(FORBIDDEN, **{role: {"latest": REDIRECT, "year": OK} for role in (DAN, DRAN, INSPECTOR, PILOT, ADMIN)}),
    ),
    Url("selection:pilot_home", get=pilot_only(REDIRECT)),
    Url("selection:pilot", objects=year, get=pilot_only()),
    Url("selection:pilot_publish", objects=year, get=post_only_get(), post=pilot_post),
    Url("selection:grid", objects=year, get=pilot_only()),
    Url("selection:pilot_criterion_add", objects=year, get=post_only_get(), post=pilot_post),
    Url("selection:pilot_criterion_edit", objects={"-": lambda w: {"year": CALL, "criterion_pk": w.objects.criterion.pk}},
        get=post_only_get(), post=pilot_post),
    Url("selection:pilot_criterion_remove", objects={"-": lambda w: {"year": CALL, "criterion_pk": w.objects.criterion.pk}},
        get=post_only_get(), post=pilot_post),
    Url("selection:pilot_review_due", objects=year, get=post_only_get(), post=pilot_post),
    Url("selection:workload", objects=year, get=pilot_only()),
    Url("selection:pilot_remind_all", objects=year, get=post_only_get(), post=pilot_post),
    Url("selection:pilot_remind", objects={"-": lambda w: {"year": CALL, "user_pk": w.user(REVIEWER).pk}}, get=post_only_get(),
        post=pilot_post),
    Url("selection:export", objects={
        kind: (lambda kind: lambda w: {"year": CALL, "kind": kind, "fmt": "csv"})(kind) for kind in ("reviews", "ranking", "results")
    }, get=pilot_only()),
    Url("selection:entry", objects=entry, get=pilot_only()),
    Url("selection:pilot_assign_entry", objects=entry, get=post_only_get(), post=pilot_post),
    Url("selection:pilot_empty_seats", objects=entry, get=post_only_get(), post=pilot_post),
    Url("selection:entry_proposal", objects=entry_proposal, get=pilot_only()),
    Url("selection:pilot_select", objects=entry_proposal, get=post_only_get(), post=pilot_post),
    Url("selection:pilot_unselect", objects=entry_proposal, get=post_only_get(), post=pilot_post),
    Url("selection:pilot_assign", objects=entry_proposal, get=post_only_get(), post=pilot_post),
    Url("selection:pilot_unassign", objects={"-": lambda w: {
        "year": CALL, "entry_code": ENTRY, "pk": w.objects.proposal_rennes.pk, "assignment_pk": w.objects.assignment.pk,
    }}, get=post_only_get(), post=pilot_post),
]
