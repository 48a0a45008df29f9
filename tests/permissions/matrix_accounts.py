"""The matrix of the accounts (django-allauth under /comptes/, ProConnect),
and the rules that cover the site administration (/administration/).

Accounts: the same answer for every signed-in role (allauth knows no roles);
the second factor's own pages are checked in tests/traam/test_accounts.py.
A signed-in person is sent on from the sign-in and sign-up pages; pages that
need a recent authentication send to the re-authentication page
(``force_login`` records none).

Administration (rules, not one entry per URL: 300 names, one per model and
action): anonymous visitors and every signed-in person who is neither a
national pilot nor a superuser go to the administration's sign-in page
(``admin:login`` itself answers them, ``admin:logout`` sends them to the
index); the pilot and the superuser get the index, each application's index
and each model's list. Their other pages (add, change, delete, history,
import, export) are checked by tests/*/test_admin.py: ``SKIP`` here, as are
the roles left out of the sample (see ``SAMPLE``). A staff
member without the pilot role is refused too (``test_matrix.test_staff_without_the_pilot_role``)."""

import re

from .matrix import (
    ADMIN, ADMIN_LOGIN, ANON, DAN, FORBIDDEN, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, PILOT, REDIRECT, SKIP, UNAUTHORIZED, Url,
    roles, signed_in, url_patterns,
)

everyone = roles(OK)
# Signed-in people are sent on (to their dashboard, or to the re-authentication page).
anonymous_only = roles(REDIRECT, **{ANON: OK})
signed_in_ok = signed_in(OK)
signed_in_redirect = signed_in(REDIRECT)
# Pages about a second factor the person has not set up: 404.
no_factor = signed_in(NOT_FOUND)

ACCOUNTS = [
    Url("account_login", get=anonymous_only),
    # Signed in: the confirmation page (the sign-out itself is a POST); anonymous: sent home.
    Url("account_logout", get=roles(OK, **{ANON: REDIRECT})),
    Url("account_inactive", get=everyone),
    # Sign-up is closed: the page says so (tests/traam/test_accounts.py).
    Url("account_signup", get=anonymous_only),
    Url("account_reauthenticate", get=signed_in_ok),
    Url("account_email", get=signed_in_ok),
    Url("account_email_verification_sent", get=everyone),
    Url("account_change_password", get=signed_in_ok),
    # Everyone here has a password: sent to the change page.
    Url("account_set_password", get=signed_in_redirect),
    Url("account_reset_password", get=everyone),
    # No code was asked for: back to the sign-in page, or the dashboard.
    Url("account_confirm_login_code", get=roles(REDIRECT, **{ANON: LOGIN})),
    # A wrong key: the page says the link is not valid.
    Url("account_confirm_email", objects={"-": lambda w: {"key": "cle-inconnue"}}, get=everyone),
    Url("account_reset_password_from_key_done", get=everyone),
    Url("account_reset_password_from_key", objects={"-": lambda w: {"uidb36": "1", "key": "cle-inconnue"}}, get=everyone),
    Url("account_reset_password_done", get=everyone),
    Url("mfa_index", get=signed_in_ok),
    # No sign-in waiting for a second factor: back to the sign-in page, or the dashboard.
    Url("mfa_authenticate", get=roles(REDIRECT, **{ANON: LOGIN})),
    Url("mfa_reauthenticate", get=signed_in_redirect),
    Url("mfa_activate_totp", get=signed_in_redirect),
    Url("mfa_deactivate_totp", get=no_factor),
    Url("mfa_view_recovery_codes", get=no_factor),
    Url("mfa_generate_recovery_codes", get=signed_in_redirect),
    Url("mfa_download_recovery_codes", get=no_factor),
    Url("socialaccount_connections", get=signed_in_ok),
    Url("socialaccount_login_cancelled", get=everyone),
    Url("socialaccount_login_error", get=roles(UNAUTHORIZED)),
    # No third-party sign-up under way: back to the sign-in page.
    Url("socialaccount_signup", get=roles(LOGIN)),
    # ProConnect is not configured in the tests: 404 (tests/traam/test_proconnect.py configures it).
    Url("proconnect_login", get=roles(NOT_FOUND)),
    Url("proconnect_callback", get=roles(NOT_FOUND)),
]

# --- The site administration --------------------------------------------------------------

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
DUMMY = {"object_id": "1", "content_type_id": "1", "app_label": "traam", "pk": "1", "id": "1"}
# Every role is checked on the index. On each model's list, the anonymous
# visitor, a DAN (who manages roles in the portal, not in the administration),
# the pilot and the superuser; on the other pages (add, change, delete,
# history, import, export), the anonymous visitor: the same wrapper
# (``AdminSite.admin_view`` and ``traam.access_admin``) guards them all.
SAMPLE = (ANON, DAN, PILOT, ADMIN)
ENTERED = ("admin:index", "admin:app_list", "admin:jsi18n")
SUPERUSER_ONLY = ("admin:auth_group_", "admin:account_", "admin:mfa_", "admin:socialaccount_", "admin:dsfr_")


def admin_rule(name, route):
    kwargs = {key: DUMMY[key] for groups in PARAMETER.findall(route) for key in groups if key}
    if name == "admin:login":
        table = roles(OK, **{PILOT: REDIRECT, ADMIN: REDIRECT})
    elif name == "admin:logout":
        # Signing out is a POST; those who are not in are sent to the index.
        table = roles(REDIRECT, **{PILOT: NOT_ALLOWED, ADMIN: NOT_ALLOWED})
    else:
        entered = OK if name in ENTERED or name.endswith("_changelist") else SKIP
        # The models of the libraries (groups, e-mail addresses, second factors,
        # third-party accounts, the design system's settings) are the superuser's.
        pilot = FORBIDDEN if entered == OK and name.startswith(SUPERUSER_ONLY) else entered
        table = roles(ADMIN_LOGIN, **{PILOT: pilot, ADMIN: entered})
    if name != "admin:index":
        sampled = SAMPLE if name in ENTERED or name.endswith("_changelist") or name in ("admin:login", "admin:logout") else (ANON,)
        table = {role: (outcome if role in sampled else SKIP) for role, outcome in table.items()}
    return Url(name, objects={"-": lambda w, kwargs=kwargs: dict(kwargs)}, get=table)


ADMINISTRATION = [admin_rule(name, route) for name, route in sorted(url_patterns().items()) if name.startswith("admin:")]

ENTRIES = ACCOUNTS + ADMINISTRATION
