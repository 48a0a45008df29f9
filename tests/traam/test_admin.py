import pytest
from django.urls import reverse

from tests.utils import text_of

from traam.models import Call, Theme


def test_pilot_opens_the_admin_without_being_superuser(client, pilot):
    assert not pilot.is_superuser and not pilot.is_staff
    client.force_login(pilot)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Appels à projets" in text_of(response)


@pytest.mark.parametrize("who", ["dan_grenoble", "teacher_grenoble", "reviewer_maths", "stranger"])
def test_others_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response.url
    assert client.get(reverse("admin:traam_call_changelist")).status_code == 302


def test_pilot_clones_a_call_from_the_admin(client, pilot):
    source = Call.objects.get(year="2026-2027")
    client.force_login(pilot)
    url = reverse("admin:traam_call_clone", args=[source.pk])
    page = text_of(client.get(url))
    assert 'value="2027-2028"' in page  # proposed year
    assert 'value="2027-03-31"' in page  # dates shifted by a year, in the date input's format
    response = client.post(url, {
        "year": "2027-2028", "title": "Appel à projet 2027-2028",
        "opens_on": "2027-01-11", "synthesis_deadline": "2027-03-31", "results_on": "2027-06-15",
        "production_starts_on": "2027-09-01", "production_ends_on": "2028-04-30",
    })
    new = Call.objects.get(year="2027-2028")
    assert response.status_code == 302
    assert Theme.objects.filter(entry__call=new).count() == 22


def test_pilot_exports_themes(client, pilot):
    client.force_login(pilot)
    response = client.post(reverse("admin:traam_theme_export"), {"format": "0", "resource": "0", "themeresource_id": "on", "themeresource_title": "on"})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("model", ["academy", "roleassignment", "theme", "user"])
def test_the_admin_offers_no_import_the_checked_imports_page_does(client, pilot, model):
    """One import path: /imports/ (preview, formulas refused, all or nothing, roles
    granted by the services); the admin's own import, without those checks, is off."""
    client.force_login(pilot)
    assert client.get(reverse(f"admin:traam_{model}_import")).status_code == 403
    changelist = client.get(reverse(f"admin:traam_{model}_changelist")).content.decode()
    assert reverse(f"admin:traam_{model}_import") not in changelist
    assert client.get(reverse("imports")).status_code == 200
