import pytest
from django.urls import reverse

from tests.utils import text_of

from traam.models import Call, Discipline


def test_home_shows_the_current_call_to_anyone(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="fr"' in html
    assert "Appel à projet 2026-2027" in html
    assert "Production des scénarios" in html  # today is in the production phase
    assert "fr-header" in html and "fr-footer" in html and "fr-skiplinks" in html
    assert "Accessibilité : non conforme" in html


def test_call_page_lists_22_themes_with_dates(client, db):
    response = client.get(reverse("call_detail", args=["2026-2027"]))
    assert response.status_code == 200
    html = text_of(response)
    assert html.count('class="fr-card fr-enlarge-link"') == 22
    assert "31 mars 2026" in html and "30 avril 2027" in html
    assert "dne-tn3.traam@education.gouv.fr" in html
    assert "fr-breadcrumb" in html


def test_call_page_filters_by_discipline(client, db):
    svt = Discipline.objects.get(code="svt")
    response = client.get(reverse("call_detail", args=["2026-2027"]), {"discipline": svt.pk})
    html = text_of(response)
    assert html.count('class="fr-card fr-enlarge-link"') == 2
    assert "Une seule santé" in html and "Bases de données et systèmes d'information géographique" in html
    assert "Différencier en mathématiques" not in html


def test_call_page_rejects_an_unknown_discipline_gracefully(client, db):
    response = client.get(reverse("call_detail", args=["2026-2027"]), {"discipline": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_call_page_query_count_is_bounded(client, db, django_assert_max_num_queries):
    # 8, and the count of the call's published scenarios (the catalogue's link).
    with django_assert_max_num_queries(9):
        client.get(reverse("call_detail", args=["2026-2027"]))


def test_theme_page_shows_the_full_description(client, db):
    response = client.get(reverse("theme_detail", args=["2026-2027", "svt-annee-2", 1]))
    assert response.status_code == 200
    html = text_of(response)
    assert "Condition pour candidater" in html
    assert "Les élèves comme leurs familles baignent" in html


def test_nsi_has_two_themes_each_with_its_page(client, db):
    first = text_of(client.get(reverse("theme_detail", args=["2026-2027", "nsi", 1])))
    second = text_of(client.get(reverse("theme_detail", args=["2026-2027", "nsi", 2])))
    assert "Cybersécurité" in first and "Première thématique" in first
    assert "Égalité filles-garçons" in second and "Deuxième thématique" in second
    assert "Concernant les deux thématiques" in first and "Concernant les deux thématiques" in second


def test_unpublished_call_is_not_found(client, db):
    Call.objects.filter(year="2026-2027").update(is_published=False)
    assert client.get(reverse("call_detail", args=["2026-2027"])).status_code == 404
    response = client.get(reverse("theme_detail", args=["2026-2027", "nsi", 1]))
    assert response.status_code == 404
    assert "Page non trouvée" in text_of(response)


@pytest.mark.parametrize("name", ["footer-accessibility-status", "footer-legal-notice", "footer-personal-data", "footer-sitemap"])
def test_footer_pages_exist(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_accessibility_statement_says_what_is_checked(client, db):
    html = text_of(client.get(reverse("footer-accessibility-status")))
    assert "non conforme" in html and "RGAA" in html
