"""The matrix of ``candidatures`` (/candidatures/): the teams' proposals, the
inspectors' review, the DAN/DRAN's follow-up and synthesis, the pilot's
extensions.

Proposals (``objects``): ``mine`` — a Grenoble mathematics draft led by the
teacher (the CARDIE representative and the inspector are in its team);
``nsi`` — a Grenoble NSI proposal of another team (another discipline for the
inspector, another team for the teacher); ``rennes`` — a Rennes proposal
(another academy, another region). Academies: ``grenoble`` (the DAN's, in the
DRAN's region) and ``rennes``.

A proposal the person may not see answers 404 (its existence is not told);
one they see but may not act on, 403."""

from .matrix import (
    ADMIN, ALLOWED, CARDIE, DAN, DRAN, FORBIDDEN, INSPECTOR, NOT_FOUND, OK, PILOT, REDIRECT, TEACHER, Url,
    post_only_get, signed_in,
)

CALL = "2026-2027"


def proposal(attr, attachment=None):
    def kwargs(world):
        values = {"pk": getattr(world.objects, attr).pk}
        if attachment:
            values["att_pk"] = getattr(world.objects, attachment).pk
        return values

    return kwargs


PROPOSALS = {"mine": proposal("proposal_mine"), "nsi": proposal("proposal_nsi"), "rennes": proposal("proposal_rennes")}
ATTACHMENTS = {
    "mine": proposal("proposal_mine", "attachment_mine"),
    "nsi": proposal("proposal_nsi", "attachment_nsi"),
    "rennes": proposal("proposal_rennes", "attachment_rennes"),
}
ACADEMIES = {
    "grenoble": lambda w: {"year": CALL, "academy_code": "grenoble"},
    "rennes": lambda w: {"year": CALL, "academy_code": "rennes"},
}

# Who sees each proposal (``candidatures.view_proposal``): its team, the
# inspectors of its academy × discipline, its DAN/DRAN, the national pilot.
MINE, NSI, RENNES = "mine", "nsi", "rennes"


def on_proposals(mine_team, academy_delegation, pilot, *, nsi_delegation=None):
    """Outcomes for the three proposals: ``mine_team`` for the team of ``mine``
    (teacher, CARDIE, inspector), ``academy_delegation`` for the Grenoble
    DAN/DRAN on ``mine`` and ``nsi`` (``nsi_delegation`` if it differs),
    ``pilot`` everywhere; 404 whenever the proposal is out of sight."""
    nsi_delegation = academy_delegation if nsi_delegation is None else nsi_delegation
    team = {MINE: mine_team, NSI: NOT_FOUND, RENNES: NOT_FOUND}
    delegation = {MINE: academy_delegation, NSI: nsi_delegation, RENNES: NOT_FOUND}
    return signed_in(
        NOT_FOUND,
        **{TEACHER: team, CARDIE: team, INSPECTOR: team, DAN: delegation, DRAN: delegation, PILOT: pilot, ADMIN: pilot},
    )


view = on_proposals(OK, OK, OK)
# The team edits its draft; those who see it without being in the team get 403.
change = on_proposals(OK, FORBIDDEN, FORBIDDEN)
change_post = on_proposals(ALLOWED, FORBIDDEN, FORBIDDEN)
# Only the lead withdraws.
withdraw = on_proposals(FORBIDDEN, FORBIDDEN, FORBIDDEN)
withdraw[TEACHER] = {MINE: ALLOWED, NSI: NOT_FOUND, RENNES: NOT_FOUND}
# The inspector of the academy × discipline gives the opinion and decides.
review = on_proposals(FORBIDDEN, FORBIDDEN, FORBIDDEN)
review[INSPECTOR] = {MINE: ALLOWED, NSI: NOT_FOUND, RENNES: NOT_FOUND}

# The academy's follow-up: its DAN/DRAN and the pilot (403 for anyone else).
GRENOBLE_ONLY = {"grenoble": OK, "rennes": FORBIDDEN}
follow = signed_in(FORBIDDEN, **{DAN: GRENOBLE_ONLY, DRAN: GRENOBLE_ONLY, PILOT: OK, ADMIN: OK})
# Composing and sending: the DAN/DRAN only (the pilot follows, does not compose).
# Grenoble's synthesis is already sent: its composition page sends back to it.
manage_get = signed_in(FORBIDDEN, **{DAN: {"grenoble": REDIRECT, "rennes": FORBIDDEN}, DRAN: {"grenoble": REDIRECT, "rennes": FORBIDDEN}})
manage_post = signed_in(FORBIDDEN, **{DAN: {"grenoble": ALLOWED, "rennes": FORBIDDEN}, DRAN: {"grenoble": ALLOWED, "rennes": FORBIDDEN}})
# A superuser passes every ``has_perm`` (Django's rule, before django-rules is
# asked): the views that ask ``has_perm`` let them through, as the site's
# administrator; those that check a role (``scopes``) or call a predicate do not.
change[ADMIN] = OK
change_post[ADMIN] = ALLOWED
withdraw[ADMIN] = ALLOWED
review[ADMIN] = ALLOWED
manage_get[ADMIN] = REDIRECT  # both syntheses are sent
manage_post[ADMIN] = ALLOWED
pilot_get = signed_in(FORBIDDEN, **{PILOT: OK, ADMIN: OK})
pilot_post = signed_in(FORBIDDEN, **{PILOT: ALLOWED, ADMIN: ALLOWED})

ENTRIES = [
    Url("candidatures:list", get=signed_in(OK)),
    # Only a teacher starts a proposal (the window of 2026-2027 is closed: the teacher is sent back with a message).
    Url(
        "candidatures:start", objects={"-": lambda w: {"theme_id": w.objects.proposal_mine.theme_id}},
        get=post_only_get(), post=signed_in(FORBIDDEN, **{TEACHER: ALLOWED}),
    ),
    Url("candidatures:detail", objects=PROPOSALS, get=view),
    Url("candidatures:edit", objects=PROPOSALS, get=change, post=change_post),
    Url("candidatures:withdraw", objects=PROPOSALS, get=post_only_get(), post=withdraw),
    Url("candidatures:inspector_list", get=signed_in(FORBIDDEN, **{INSPECTOR: OK})),
    Url("candidatures:give_opinion", objects=PROPOSALS, get=post_only_get(), post=review),
    Url("candidatures:return_for_completion", objects=PROPOSALS, get=post_only_get(), post=review),
    Url("candidatures:decide", objects=PROPOSALS, get=post_only_get(), post=review),
    Url("candidatures:attachment_upload", objects=PROPOSALS, get=post_only_get(), post=change_post),
    Url("candidatures:attachment_download", objects=ATTACHMENTS, get=view),
    Url("candidatures:attachment_delete", objects=ATTACHMENTS, get=post_only_get(), post=change_post),
    # The first academy the person follows, for the current call.
    Url("candidatures:academy_home", get=signed_in(FORBIDDEN, **{DAN: REDIRECT, DRAN: REDIRECT, PILOT: REDIRECT, ADMIN: REDIRECT})),
    Url("candidatures:academy", objects=ACADEMIES, get=follow),
    Url("candidatures:academy_export", objects={
        "grenoble": lambda w: {"year": CALL, "academy_code": "grenoble", "fmt": "csv"},
        "rennes": lambda w: {"year": CALL, "academy_code": "rennes", "fmt": "csv"},
    }, get=follow),
    Url("candidatures:synthesis", objects=ACADEMIES, get=follow),
    Url("candidatures:synthesis_edit", objects=ACADEMIES, get=manage_get, post=manage_post),
    Url("candidatures:synthesis_send", objects=ACADEMIES, get=post_only_get(), post=manage_post),
    Url("candidatures:synthesis_pdf", objects=ACADEMIES, get=follow),
    Url("candidatures:syntheses_home", get=signed_in(FORBIDDEN, **{PILOT: REDIRECT, ADMIN: REDIRECT})),
    Url("candidatures:syntheses", objects={"-": lambda w: {"year": CALL}}, get=pilot_get),
    Url("candidatures:extension", objects={"-": lambda w: {"year": CALL, "academy_code": "rennes"}}, get=pilot_get, post=pilot_post),
    Url("candidatures:extension_withdraw", objects={"-": lambda w: {"year": CALL, "academy_code": "rennes"}}, get=post_only_get(),
        post=pilot_post),
]
