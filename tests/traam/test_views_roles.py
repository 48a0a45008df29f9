import pytest
from django.core import mail
from django.urls import reverse

from tests.utils import text_of

from traam.enums import Role
from traam.models import RoleAssignment


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("academy_roles"))
    assert response.status_code == 302 and "/comptes/login/" in response.url


@pytest.mark.parametrize("who", ["teacher_grenoble", "inspector_maths_grenoble", "cardie_grenoble", "reviewer_maths", "stranger"])
def test_other_roles_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("academy_roles"))
    assert response.status_code == 403
    assert "Accès refusé" in text_of(response)


def test_dan_sees_only_their_academy(client, dan_grenoble, teacher_grenoble, dan_lyon, lyon):
    from tests.factories import make_user

    make_user("prof.lyon@example.test", Role.TEACHER, academy=lyon)
    client.force_login(dan_grenoble)
    html = text_of(client.get(reverse("academy_roles")))
    assert teacher_grenoble.email in html
    assert "prof.lyon@example.test" not in html
    assert '<option value="' in html and "Lyon</option>" not in html


def test_dan_grants_a_role_through_the_form(client, dan_grenoble, grenoble, django_capture_on_commit_callbacks):
    client.force_login(dan_grenoble)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("academy_roles"), {
            "email": "nouveau@ac-grenoble.fr", "first_name": "Nina", "last_name": "Nouveau", "role": Role.CARDIE, "academy": grenoble.pk,
        })
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user__email="nouveau@ac-grenoble.fr", role=Role.CARDIE, academy=grenoble).exists()
    assert len(mail.outbox) == 1


def test_dan_cannot_post_another_academy(client, dan_grenoble, lyon):
    client.force_login(dan_grenoble)
    response = client.post(reverse("academy_roles"), {"email": "x@ac-lyon.fr", "role": Role.TEACHER, "academy": lyon.pk})
    assert response.status_code == 200  # the form refuses the academy
    assert "Sélectionnez un choix valide" in text_of(response)
    assert not RoleAssignment.objects.filter(user__email="x@ac-lyon.fr").exists()


def test_dan_cannot_post_the_inspector_role(client, dan_grenoble, grenoble):
    client.force_login(dan_grenoble)
    client.post(reverse("academy_roles"), {"email": "x@ac-grenoble.fr", "role": Role.INSPECTOR, "academy": grenoble.pk})
    assert not RoleAssignment.objects.filter(user__email="x@ac-grenoble.fr").exists()


def test_revoke_in_scope(client, dan_grenoble, teacher_grenoble):
    assignment = RoleAssignment.objects.get(user=teacher_grenoble)
    client.force_login(dan_grenoble)
    assert client.post(reverse("revoke_role", args=[assignment.pk])).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_revoke_outside_scope_is_not_found(client, dan_lyon, teacher_grenoble):
    assignment = RoleAssignment.objects.get(user=teacher_grenoble)
    client.force_login(dan_lyon)
    assert client.post(reverse("revoke_role", args=[assignment.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_revoke_requires_post(client, dan_grenoble, teacher_grenoble):
    client.force_login(dan_grenoble)
    assert client.get(reverse("revoke_role", args=[RoleAssignment.objects.get(user=teacher_grenoble).pk])).status_code == 405


def test_anonymous_cannot_revoke(client, teacher_grenoble):
    response = client.post(reverse("revoke_role", args=[RoleAssignment.objects.get(user=teacher_grenoble).pk]))
    assert response.status_code == 302 and "/comptes/login/" in response.url
