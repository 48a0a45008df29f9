import json

from django.urls import reverse


def test_health_reports_database_and_cache(client, db, settings):
    settings.CELERY_BROKER_URL = "memory://"  # the broker and worker are checked in test_celery_worker
    response = client.get(reverse("health"), {"format": "json"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert any("Database" in key for key in body), body
    assert all(value == "OK" for value in body.values()), body


def test_health_includes_broker_and_worker_when_configured(settings):
    from traam.health import health_checks

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    names = [c if isinstance(c, str) else c[0] for c in health_checks()]
    assert "health_check.contrib.redis.Redis" in names
    assert "health_check.contrib.celery.Ping" in names
