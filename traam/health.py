"""Health endpoint: database, broker (Redis) and a live Celery worker."""

import datetime

from health_check.views import HealthCheckView

from django.conf import settings


def health_checks():
    checks = ["health_check.checks.Database", "health_check.checks.Cache"]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        from redis.asyncio import Redis as RedisClient

        url = settings.CELERY_BROKER_URL
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": lambda: RedisClient.from_url(url)}))
        checks.append(("health_check.contrib.celery.Ping", {"timeout": datetime.timedelta(seconds=2)}))
    return checks


class PortalHealthCheckView(HealthCheckView):
    """Reads the configuration at each request (tests change it)."""

    def get_checks(self):
        self.checks = health_checks()
        return super().get_checks()
