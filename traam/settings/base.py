"""Settings read from the environment.

The defaults give the local demo: SQLite beside the code, no broker (Celery
tasks run inline), e-mails printed on the console. Production overrides live in
``traam.settings.production``.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-traam-portal-0123456789")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "traam",
    "candidatures",
    "selection",
    "productions",
    "bilans",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # the catalogue's French full-text search (SQLite ignores it)
    "dsfr",
    "widget_tweaks",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "traam.proconnect",  # ProConnect, an allauth OpenID Connect provider
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "import_export",
    "django_htmx",
    "health_check",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "traam.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "traam.urls"
WSGI_APPLICATION = "traam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "traam.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (web + inline tasks) on one file: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "traam.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded attachments: never under MEDIA_URL, only served through views that
# check permissions.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME"):
    # Shared storage for several web/worker machines (S3-compatible).
    _s3 = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
        "region_name": env("AWS_S3_REGION_NAME"),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "public"}}
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "private"}}

# --- Cache (rate limits need a shared one in production) ---
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    "send-pending-emails": {"task": "traam.tasks.send_pending_emails", "schedule": 60.0},
    "worker-heartbeat": {"task": "traam.tasks.record_worker_heartbeat", "schedule": 60.0},
    # Groups that are behind are reminded before each milestone (once per milestone × group).
    # A bilan run whose worker died or whose broker message was lost is queued again.
    "bilans-requeue-stale-runs": {"task": "bilans.tasks.requeue_stale_runs", "schedule": 60.0},
    "productions-milestone-reminders": {"task": "productions.tasks.send_milestone_reminders", "schedule": crontab(hour=7, minute=30)},
}

# --- E-mail ---


def mailers(default_backend):
    """Django 6.1's MAILERS, from EMAIL_* variables (SMTP options only for SMTP)."""
    backend = env("EMAIL_BACKEND", default_backend)
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": env("EMAIL_HOST", "localhost"),
            "port": int(env("EMAIL_PORT", "25")),
            "username": env("EMAIL_HOST_USER", ""),
            "password": env("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 30,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Portail TraAM <ne-pas-repondre@traam.education.gouv.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth) ---
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "traam.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "traam.adapters.SocialAccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[TraAM] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portail TraAM"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False

# ProConnect (the State's identity federation for civil servants), configured
# only when its client is given. The provider (traam/proconnect/) lives at
# /comptes/proconnect/login/ and answers 404 while no app is configured.
# PROCONNECT_SERVER_URL is the issuer base: discovery is read from
# <server_url>/.well-known/openid-configuration.
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SERVER_URL = env("PROCONNECT_SERVER_URL", "https://auth.agentconnect.gouv.fr/api/v2")
SOCIALACCOUNT_PROVIDERS = {}
if PROCONNECT_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["proconnect"] = {
        "APPS": [
            {
                "provider_id": "proconnect",
                "name": "ProConnect",
                "client_id": PROCONNECT_CLIENT_ID,
                "secret": PROCONNECT_CLIENT_SECRET,
                "settings": {
                    "server_url": PROCONNECT_SERVER_URL,
                    # Scopes "openid email given_name usual_name uid siret
                    # idp_id", PKCE, client_secret_post and the nonce are the
                    # provider's defaults.
                    "token_auth_method": "client_secret_post",
                    "oauth_pkce_enabled": True,
                    # ProConnect only hands out verified e-mail addresses.
                    "verified_email": True,
                },
            }
        ],
    }

# Portal rule: reviewers and national pilots must use a second factor.
TRAAM_REQUIRE_MFA = env_bool("TRAAM_REQUIRE_MFA", False)

# --- Security (strict everywhere; production adds HTTPS-only settings) ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, "https:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- JSON API (Django REST framework + drf-spectacular), /api/v1/ ---
# Anonymous and read-only: no authentication (so no session, no CSRF), every
# person allowed, and the API's views answer only GET, HEAD and OPTIONS (405
# otherwise). JSON only: the browsable API needs inline scripts the CSP forbids.
# Pages of 20 (the views accept ``page_size`` up to 100). 120 requests a minute
# per client address, counted in the default cache (Redis in production);
# API_TRUSTED_PROXIES is the number of reverse proxies in front of the portal
# whose X-Forwarded-For is trusted (0: the connection's address).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min"},
    "NUM_PROXIES": int(env("API_TRUSTED_PROXIES", "0")),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du catalogue TraAM",
    "DESCRIPTION": (
        "Interface en lecture seule, sans authentification, des données publiques du portail des Travaux Académiques "
        "Mutualisés (DNE) : les séquences pédagogiques publiées, filtrables comme le catalogue, et les appels à projets "
        "publiés avec leurs disciplines et leurs thématiques. Réponses en JSON, paginées par 20 (page_size jusqu'à 100), "
        "120 requêtes par minute au plus. Aucune donnée personnelle. Les métadonnées sont diffusées sous Licence Ouverte "
        "2.0 ; chaque séquence indique sa propre licence."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "Licence Ouverte 2.0 (Etalab)", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "TAGS": [
        {"name": "sequences", "description": "Séquences pédagogiques publiées."},
        {"name": "appels", "description": "Appels à projets publiés, leurs disciplines ou enseignements et leurs thématiques."},
        {"name": "thematiques", "description": "Thématiques des appels publiés."},
    ],
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = None
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Each PDF render logs its steps at INFO; keep their warnings only.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
PORTAL_URL = env("PORTAL_URL", "http://127.0.0.1:8000")

# --- Metadata exchange (productions.catalogue.oai / scolomfr) ---
TRAAM_OAI_REPOSITORY_IDENTIFIER = env("TRAAM_OAI_REPOSITORY_IDENTIFIER", "traam.education.gouv.fr")
TRAAM_OAI_PAGE_SIZE = int(env("TRAAM_OAI_PAGE_SIZE", "50"))
TRAAM_SCOLOMFR_SCHEMA_URL = env(
    "TRAAM_SCOLOMFR_SCHEMA_URL", "http://www.lom-fr.fr/scolomfr/fileadmin/user_upload/xsd/scolomfrv3.0/scolomfr.xsd"
)
