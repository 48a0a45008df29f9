"""The matrix of ``productions`` (/groupes/): working groups and their
members, scenarios and their transitions, national groups, progress,
calendar, hours.

Groups: ``grenoble`` (the teacher, the CARDIE representative and the
inspector are members; the inspector pilots it) and ``rennes`` (another
academy, another region). Scenarios of the Grenoble group: ``draft``,
``submitted``, ``published``; of the Rennes group: ``rennes`` (a draft).
A group or scenario the person may not see answers 404; one they see but may
not act on, 403. A published scenario is readable by anyone signed in here
(the public catalogue is elsewhere), but its versions stay with the group's circle."""

from .matrix import (
    ADMIN, ALLOWED, CARDIE, DAN, DRAN, FORBIDDEN, INSPECTOR, NOT_FOUND, OK, PILOT, REDIRECT, REVIEWER, STRANGER, TEACHER, Url,
    pilot_only, post_only_get, signed_in,
)

CALL = "2026-2027"

MEMBERS = (TEACHER, CARDIE, INSPECTOR)
# Who sees the Grenoble group without being a member.
FOLLOWERS = (DAN, DRAN)
NATIONAL = (PILOT, ADMIN)
OUTSIDERS = (REVIEWER, STRANGER)


def by_role(members, followers, national, outsiders=NOT_FOUND, **exceptions):
    """Outcomes of signed-in roles by their relation to the Grenoble group."""
    table = signed_in(outsiders)
    for roles, outcome in ((MEMBERS, members), (FOLLOWERS, followers), (NATIONAL, national)):
        for role in roles:
            table[role] = outcome
    table.update(exceptions)
    return table


def attr_kwargs(**attrs):
    """kwargs of ``reverse`` from attributes of the world's objects (their pk)."""
    return lambda w: {key: getattr(w.objects, attr).pk for key, attr in attrs.items()}


GROUPS = {"grenoble": attr_kwargs(pk="group"), "rennes": attr_kwargs(pk="group_rennes")}
MEMBERS_OF = {"grenoble": attr_kwargs(pk="group", member_pk="member"), "rennes": attr_kwargs(pk="group_rennes", member_pk="member_rennes")}

# The piloting inspector and the pilot manage the members; the others who see the group get 403.
manage = by_role(FORBIDDEN, FORBIDDEN, ALLOWED, **{INSPECTOR: ALLOWED})


def per_group(grenoble_table, rennes_national, rennes_admin=None):
    """``grenoble_table`` on the Grenoble group; on the Rennes group, 404 for
    all but the pilot, who gets ``rennes_national``, and the superuser
    (``rennes_admin``, the same by default)."""
    outside = {PILOT: rennes_national, ADMIN: rennes_national if rennes_admin is None else rennes_admin}
    table = {}
    for role, value in grenoble_table.items():
        if role == "anonymous":
            table[role] = value
        else:
            table[role] = {"grenoble": value, "rennes": outside.get(role, NOT_FOUND)}
    return table


view_group = per_group(by_role(OK, OK, OK), OK)
manage_members = per_group(manage, ALLOWED)
add_scenario = per_group(by_role(ALLOWED, FORBIDDEN, FORBIDDEN), FORBIDDEN, rennes_admin=ALLOWED)

SCENARIOS = {
    "draft": attr_kwargs(pk="scenario_draft"),
    "submitted": attr_kwargs(pk="scenario_submitted"),
    "published": attr_kwargs(pk="scenario_published"),
    "rennes": attr_kwargs(pk="scenario_rennes"),
}


def on_scenarios(variants, *, draft, submitted=None, published=None, rennes_national=NOT_FOUND, rennes_admin=None):
    """Per role, per scenario variant (among ``variants``): ``draft``,
    ``submitted``, ``published`` are tables by role for the Grenoble
    scenarios; on the Rennes draft, 404 but for the pilot (``rennes_national``)
    and the superuser (``rennes_admin``, the same by default)."""
    tables = {"draft": draft, "submitted": submitted, "published": published}
    outside = {PILOT: rennes_national, ADMIN: rennes_national if rennes_admin is None else rennes_admin}
    result = {}
    for role in draft:
        if role == "anonymous":
            result[role] = draft[role]
            continue
        result[role] = {}
        for variant in variants:
            if variant == "rennes":
                result[role][variant] = outside.get(role, NOT_FOUND)
            else:
                result[role][variant] = tables[variant][role]
    return result


def variants(*names):
    return {name: SCENARIOS[name] for name in names}


seen = by_role(OK, OK, OK)
# Outside the group's circle, its page sends to the public catalogue's page.
seen_published = by_role(OK, OK, OK, outsiders=REDIRECT)
# Editing: the group's members while the scenario is editable.
edit_draft = by_role(OK, FORBIDDEN, FORBIDDEN)
edit_published = by_role(FORBIDDEN, FORBIDDEN, FORBIDDEN, outsiders=FORBIDDEN)
edit_post_draft = by_role(ALLOWED, FORBIDDEN, FORBIDDEN)
# The versions: the group's circle only, even once published.
versions_published = by_role(OK, OK, OK, outsiders=FORBIDDEN)
# Transitions of the group (mark tested, submit): its members.
member_post = by_role(ALLOWED, FORBIDDEN, FORBIDDEN)
# Validate / return: the piloting inspector.
inspector_post = by_role(FORBIDDEN, FORBIDDEN, FORBIDDEN, **{INSPECTOR: ALLOWED})
# Publish / Édubase address: the piloting inspector or the national pilot.
publisher_post = by_role(FORBIDDEN, FORBIDDEN, ALLOWED, **{INSPECTOR: ALLOWED})

# A superuser passes every ``has_perm`` (Django's rule): the views that ask
# ``has_perm`` let them through; those that call a predicate (member of the
# group, piloting inspector) do not.
add_scenario[ADMIN] = ALLOWED
edit_draft[ADMIN] = OK
edit_published[ADMIN] = OK
edit_post_draft[ADMIN] = ALLOWED
edit_post_published = dict(edit_published, **{ADMIN: ALLOWED})

ATTACHMENTS = {
    "draft": attr_kwargs(pk="scenario_draft", att_pk="scenario_attachment"),
    "rennes": attr_kwargs(pk="scenario_rennes", att_pk="scenario_attachment_rennes"),
}

# Follow-up pages: inspectors, DAN/DRAN, members of a national group, the pilot.
progress = signed_in(FORBIDDEN, **{INSPECTOR: OK, DAN: OK, DRAN: OK, PILOT: OK, ADMIN: OK})
# The calendar: whoever sees one of the call's groups, and the pilot.
calendar = signed_in(FORBIDDEN, **{TEACHER: OK, CARDIE: OK, INSPECTOR: OK, DAN: OK, DRAN: OK, PILOT: OK, ADMIN: OK})
# Hours: those who declare (teachers of a group), decide (inspectors), follow an academy (DAN/DRAN), pilot.
hours = signed_in(FORBIDDEN, **{TEACHER: OK, INSPECTOR: OK, DAN: OK, DRAN: OK, PILOT: OK, ADMIN: OK})
# Deciding on hours: the piloting inspector of the declaration's group (403 for anyone else, the pilot too).
DECLARATIONS = {"grenoble": attr_kwargs(pk="hours_waiting"), "rennes": attr_kwargs(pk="hours_rennes_waiting")}
decide_hours = signed_in(FORBIDDEN, **{INSPECTOR: {"grenoble": ALLOWED, "rennes": FORBIDDEN}, ADMIN: ALLOWED})
# An academy's hours: its DAN/DRAN and the pilot (403 for anyone else).
ACADEMY = {"grenoble": lambda w: {"year": CALL, "academy_code": "grenoble"}, "rennes": lambda w: {"year": CALL, "academy_code": "rennes"}}
ACADEMY_EXPORT = {
    "grenoble": lambda w: {"year": CALL, "academy_code": "grenoble", "fmt": "csv"},
    "rennes": lambda w: {"year": CALL, "academy_code": "rennes", "fmt": "csv"},
}
GRENOBLE_ONLY = {"grenoble": OK, "rennes": FORBIDDEN}
academy_hours = signed_in(FORBIDDEN, **{DAN: GRENOBLE_ONLY, DRAN: GRENOBLE_ONLY, PILOT: OK, ADMIN: OK})
year = {"-": lambda w: {"year": CALL}}
milestone = {"-": lambda w: {"year": CALL, "pk": w.objects.milestone.pk}}

ENTRIES = [
    Url("productions:group_list", get=signed_in(OK)),
    Url("productions:group", objects=GROUPS, get=view_group),
    Url("productions:member_add", objects=GROUPS, get=post_only_get(), post=manage_members),
    Url("productions:member_role", objects=MEMBERS_OF, get=post_only_get(), post=manage_members),
    Url("productions:member_remove", objects=MEMBERS_OF, get=post_only_get(), post=manage_members),
    Url("productions:scenario_create", objects=GROUPS, get=post_only_get(), post=add_scenario),
    Url("productions:national_group_list", get=signed_in(OK)),
    # The national group of mathematics has no member with an account: the pilot only.
    Url("productions:national_group", objects={"-": attr_kwargs(pk="national_group")},
        get=pilot_only(refused=NOT_FOUND), post=pilot_only(ALLOWED, refused=NOT_FOUND)),
    Url("productions:scenario", objects=variants("draft", "published", "rennes"),
        get=on_scenarios(("draft", "published", "rennes"), draft=seen, published=seen_published, rennes_national=OK)),
    Url("productions:scenario_edit", objects=variants("draft", "published", "rennes"),
        get=on_scenarios(("draft", "published", "rennes"), draft=edit_draft, published=edit_published, rennes_national=FORBIDDEN,
                         rennes_admin=OK),
        post=on_scenarios(("draft", "published", "rennes"), draft=edit_post_draft, published=edit_post_published, rennes_national=FORBIDDEN,
                          rennes_admin=ALLOWED)),
    Url("productions:scenario_versions", objects=variants("draft", "published", "rennes"),
        get=on_scenarios(("draft", "published", "rennes"), draft=seen, published=versions_published, rennes_national=OK)),
    Url("productions:scenario_mark_tested", objects=variants("draft", "rennes"), get=post_only_get(),
        post=on_scenarios(("draft", "rennes"), draft=member_post, rennes_national=FORBIDDEN)),
    Url("productions:scenario_submit", objects=variants("draft", "rennes"), get=post_only_get(),
        post=on_scenarios(("draft", "rennes"), draft=member_post, rennes_national=FORBIDDEN)),
    Url("productions:scenario_validate", objects=variants("submitted", "rennes"), get=post_only_get(),
        post=on_scenarios(("submitted", "rennes"), draft=inspector_post, submitted=inspector_post, rennes_national=FORBIDDEN)),
    Url("productions:scenario_return", objects=variants("submitted", "rennes"), get=post_only_get(),
        post=on_scenarios(("submitted", "rennes"), draft=inspector_post, submitted=inspector_post, rennes_national=FORBIDDEN)),
    Url("productions:scenario_publish", objects=variants("submitted", "rennes"), get=post_only_get(),
        post=on_scenarios(("submitted", "rennes"), draft=publisher_post, submitted=publisher_post, rennes_national=ALLOWED)),
    Url("productions:scenario_edubase", objects=variants("submitted", "rennes"), get=post_only_get(),
        post=on_scenarios(("submitted", "rennes"), draft=publisher_post, submitted=publisher_post, rennes_national=ALLOWED)),
    Url("productions:scenario_attachment_upload", objects=variants("draft", "rennes"), get=post_only_get(),
        post=on_scenarios(("draft", "rennes"), draft=edit_post_draft, rennes_national=FORBIDDEN, rennes_admin=ALLOWED)),
    Url("productions:scenario_attachment_download", objects=ATTACHMENTS,
        get=on_scenarios(("draft", "rennes"), draft=seen, rennes_national=OK)),
    Url("productions:scenario_attachment_delete", objects=ATTACHMENTS, get=post_only_get(),
        post=on_scenarios(("draft", "rennes"), draft=edit_post_draft, rennes_national=FORBIDDEN, rennes_admin=ALLOWED)),
    # Two routes: the call at work, and a given call.
    Url("productions:progress", objects={"current": lambda w: {}, "year": lambda w: {"year": CALL}}, get=progress),
    Url("productions:calendar_home", get=signed_in(REDIRECT)),
    Url("productions:calendar", objects=year, get=calendar),
    Url("productions:milestone_add", objects=year, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("productions:milestone_edit", objects=milestone, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("productions:milestone_remove", objects=milestone, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("productions:hours", get=hours),
    Url("productions:hours_declare", get=post_only_get(), post=signed_in(FORBIDDEN, **{TEACHER: ALLOWED})),
    Url("productions:hours_cap", objects=year, get=post_only_get(), post=pilot_only(ALLOWED)),
    Url("productions:hours_validate", objects=DECLARATIONS, get=post_only_get(), post=decide_hours),
    Url("productions:hours_refuse", objects=DECLARATIONS, get=post_only_get(), post=decide_hours),
    Url("productions:hours_academy", objects=ACADEMY, get=academy_hours),
    Url("productions:hours_export", objects=ACADEMY_EXPORT, get=academy_hours),
]
