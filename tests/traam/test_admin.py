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


def test_pilot_imports_academies_with_a_preview(client, pilot):
    client.force_login(pilot)
    response = client.get(reverse("admin:traam_academy_import"))
    assert response.status_code == 200


def test_pilot_imports_role_assignments_after_a_preview(client, pilot):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_user
    from traam.models import RoleAssignment

    make_user("nouvel.inspecteur@ac-lyon.fr")
    client.force_login(pilot)
    csv = "email,role,academy,region,disciplines\nnouvel.inspecteur@ac-lyon.fr,inspector,lyon,,mathematiques|nsi\n"
    page = client.get(reverse("admin:traam_roleassignment_import")).content.decode()
    csv_format = re.search(r'<option value="(\d+)"[^>]*>csv</option>', page).group(1)
    response = client.post(reverse("admin:traam_roleassignment_import"), {
        "format": csv_format, "resource": "0", "import_file": SimpleUploadedFile("roles.csv", csv.encode(), content_type="text/csv"),
    })
    preview = response.content.decode()
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user__email="nouvel.inspecteur@ac-lyon.fr").exists()  # preview only
    confirm = {name: value for name, value in re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', preview) if name != "csrfmiddlewaretoken"}
    client.post(reverse("admin:traam_roleassignment_process_import"), confirm)
    assignment = RoleAssignment.objects.get(user__email="nouvel.inspecteur@ac-lyon.fr")
    assert assignment.role == "inspector" and assignment.academy.code == "lyon"
    assert sorted(assignment.disciplines.values_list("code", flat=True)) == ["mathematiques", "nsi"]
