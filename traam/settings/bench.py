"""Settings of ``make bench`` (``python -m traam.bench``): production's, served
over plain HTTP on 127.0.0.1 only. Relaxed, and only for that: no HTTPS
redirect nor secure cookies, no second factor for the demo accounts, no
sign-in rate limit (the load run signs in once per account), e-mails dropped,
Celery tasks inline unless the runner gives a broker (its bilan workers).
It adds the bench's minimal pages (``traam.bench.urls``)."""

import os

# Production refuses to start without them; the bench is never reachable from outside.
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789-traam-bench-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("STATIC_ROOT", "/tmp/traam-bench/static")
os.environ.setdefault("MEDIA_ROOT", "/tmp/traam-bench/media")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", "/tmp/traam-bench/private-media")

from .production import *  # noqa: E402,F403
from .production import env  # noqa: E402

DEBUG = False
ROOT_URLCONF = "traam.bench.urls"

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
TRAAM_REQUIRE_MFA = False
ACCOUNT_RATE_LIMITS = False

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}

# Inline tasks for the web server; the bilan workers' run sets CELERY_BROKER_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "celery")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
