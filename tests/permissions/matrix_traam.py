"""The matrix of ``traam``: the public pages, the dashboard, the academy's
roles, the health check."""

from .matrix import (
    ADMIN, ALLOWED, DAN, DRAN, FORBIDDEN, NOT_FOUND, OK, PILOT, Url, post_only_get, roles, signed_in,
)

CALL = "2026-2027"
everyone = roles(OK)
GRENOBLE_ONLY = {"grenoble": ALLOWED, "rennes": NOT_FOUND}

ENTRIES = [
    Url("home", get=everyone),
    Url("call_detail", get=roles({"published": OK, "unknown": NOT_FOUND}), objects={
        "published": lambda w: {"year": CALL},
        "unknown": lambda w: {"year": "1999-2000"},
    }),
    Url("theme_detail", get=everyone, objects={"-": lambda w: {"year": CALL, "entry": "mathematiques", "order": 1}}),
    Url("dashboard", get=signed_in(OK)),
    # The DAN/DRAN grant the teacher and CARDIE roles in their academies; the pilot grants anything.
    Url(
        "academy_roles",
        get=signed_in(FORBIDDEN, **{DAN: OK, DRAN: OK, PILOT: OK, ADMIN: OK}),
        post=signed_in(FORBIDDEN, **{DAN: ALLOWED, DRAN: ALLOWED, PILOT: ALLOWED, ADMIN: ALLOWED}),
    ),
    # A role of a Grenoble teacher, and one of a Rennes teacher (outside the DAN's and DRAN's scope).
    Url(
        "revoke_role",
        objects={"grenoble": lambda w: {"pk": w.objects.role_grenoble.pk}, "rennes": lambda w: {"pk": w.objects.role_rennes.pk}},
        get=post_only_get(),
        post=signed_in(
            NOT_FOUND,
            **{DAN: GRENOBLE_ONLY, DRAN: GRENOBLE_ONLY, PILOT: ALLOWED, ADMIN: ALLOWED},
        ),
    ),
    Url("footer-accessibility-status", get=everyone),
    Url("footer-legal-notice", get=everyone),
    Url("footer-personal-data", get=everyone),
    Url("footer-sitemap", get=everyone),
    # The broker and the worker are checked in tests/traam/test_health.py and test_celery_worker.py.
    Url("health", get=everyone, settings={"CELERY_BROKER_URL": "memory://"}),
]
