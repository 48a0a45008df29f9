import pytest
from django.urls import reverse

from tests.utils import text_of


def test_anonymous_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "heading", "expected"),
    [
        ("teacher_grenoble", "Enseignant·e", "documentez vos séquences pédagogiques"),
        ("inspector_maths_grenoble", "Inspecteur·rice", "validez les scénarios et les heures"),
        ("dan_grenoble", "Délégation académique au numérique (DAN)", "exportez les heures validées"),
        ("reviewer_maths", "Évaluateur·rice national·e", "groupe de travail national"),
        ("pilot", "Pilote national (DNE TN3)", "Suivez l'avancement des groupes"),
        ("cardie_grenoble", "Représentant·e CARDIE", "groupes de travail académiques"),
    ],
)
def test_each_role_sees_what_the_phase_expects_and_the_next_deadline(client, request, who, heading, expected):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = text_of(response)
    assert heading in html
    assert expected in html
    assert "Prochaine échéance" in html and "30 avril 2027" in html


def test_a_person_without_role_is_told_whom_to_ask(client, stranger):
    client.force_login(stranger)
    html = text_of(client.get(reverse("dashboard")))
    assert "Aucun rôle ne vous est encore attribué" in html


def test_dashboard_query_count_is_bounded(client, pilot, django_assert_max_num_queries):
    client.force_login(pilot)
    with django_assert_max_num_queries(10):
        client.get(reverse("dashboard"))
