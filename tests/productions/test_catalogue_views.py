"""The public catalogue's pages through HTTP: the search (anonymous and
signed in, shareable addresses, refused criteria, empty states, pagination,
a fixed number of queries), each published scenario's page and its
attachments (404 for anything unpublished, whoever asks), the links to the
bilans that cite it, the group page sending outsiders to the public page,
the call and home pages' links, ``sitemap.xml`` and ``robots.txt``.

The corpus is ``test_catalogue_search``'s (see its docstring)."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bilans.enums import BilanKind, RunState
from bilans.models import BilanRun
from candidatures.enums import AIUsage, TeamRole
from productions.catalogue.search import index_scenarios
from productions.catalogue.views import PER_PAGE
from productions.enums import Licence, ScenarioState
from productions.models import GroupMember, ScenarioAttachment
from tests.factories import make_user
from tests.productions.test_catalogue_search import build_corpus, make_group, make_scenario
from tests.utils import text_of
from traam.enums import Role
from traam.models import Call, DigitalCommon, Entry

SEARCH = "/catalogue/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PUBLISHED_TITLES = ["Évaluation par compétences en 5e", "Rituels de calcul mental", "Réécrire une fable avec l'IA", "Statistiques en seconde"]
HIDDEN_TITLES = ["Évaluation en brouillon", "Évaluation validée, pas encore publiée"]


@pytest.fixture
def corpus(db):
    return build_corpus()


@pytest.fixture
def member(corpus):
    """A teacher of the Grenoble group (which wrote the draft and the validated scenario)."""
    group = corpus["eval_title"].group
    user = make_user("membre.grenoble@example.test", Role.TEACHER, academy=group.academy)
    GroupMember.objects.create(group=group, first_name="Lina", last_name="Membre", email=user.email, role=TeamRole.TEACHER, user=user)
    return user


@pytest.fixture
def files(corpus):
    """A PDF joined to a published scenario and one to the validated one; the stored files go after the test."""
    made = []
    for name in ("eval_title", "validated"):
        attachment = ScenarioAttachment(
            scenario=corpus[name], original_name=f"fiche-{name}.pdf", content_type="application/pdf", size=len(PDF_BYTES),
        )
        attachment.file.save(f"catalogue-test-{name}.pdf", ContentFile(PDF_BYTES), save=False)
        attachment.save()
        made.append(attachment)
    yield {"published": made[0], "unpublished": made[1]}
    for attachment in made:
        attachment.file.storage.delete(attachment.file.name)


def page_url(scenario):
    return reverse("catalogue:scenario", args=[scenario.slug])


def result_titles(response) -> list:
    return re.findall(r'<h3 class="fr-card__title"><a href="[^"]+">([^<]+)</a></h3>', text_of(response))


# --- The search page --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "member", "pilot"])
def test_the_search_page_is_open_to_everyone(client, corpus, member, pilot, who):
    if who != "anonymous":
        client.force_login(member if who == "member" else pilot)
    response = client.get(SEARCH)
    assert response.status_code == 200
    page = text_of(response)
    assert "4 séquences" in page
    assert sorted(result_titles(response)) == sorted(PUBLISHED_TITLES)
    for title in HIDDEN_TITLES:
        assert title not in page


def test_a_result_shows_what_a_teacher_sorts_by(client, corpus):
    page = text_of(client.get(SEARCH, {"q": "rituels"}))
    assert result_titles(client.get(SEARCH, {"q": "rituels"})) == ["Rituels de calcul mental"]
    card = page[page.index("fr-card__title"):]
    for text in ("Une évaluation formative à chaque séance", "Mathématiques", "Lycée général et technologique", "Grenoble",
                 "appel 2026-2027", "IA : pratique de l'enseignant", "sans écran", "4 séances"):
        assert text in card, text
    assert page_url(corpus["eval_body"]) in page


def test_every_search_is_its_own_address(client, corpus):
    """The filters come back checked from the address, with their counts, and each can be removed from the tags."""
    response = client.get(SEARCH, {"q": "evaluation", "niveau": "college", "tri": "titre"})
    page = text_of(response)
    assert result_titles(response) == ["Évaluation par compétences en 5e"]
    assert "1 séquence" in page and "pour « evaluation »" in page
    assert 'value="evaluation"' in page
    assert re.search(r'name="niveau" value="college" checked', page)
    assert re.search(r'name="niveau" value="lycee-gt" >', page)
    assert re.search(r'Lycée général et technologique <span class="traam-facet-count">\(1', page)
    assert '<option value="titre" selected>' in page
    # The tags remove one criterion and keep the others.
    assert 'href="/catalogue/?q=evaluation&tri=titre"' in page
    assert 'href="/catalogue/?niveau=college&tri=titre"' in page
    assert "Niveau de classe : Collège" in page


def test_every_facet_is_offered_with_its_counts(client, corpus):
    page = text_of(client.get(SEARCH))
    for name, value, count in (("discipline", "mathematiques", 3), ("discipline", "lettres", 1), ("academie", "rennes", 1), ("crcn", "1.3", 1),
                               ("ia", "student_learning", 1), ("annee", "2025-2026", 1), ("ecran", "sans", 1), ("ecran", "avec", 3)):
        checkbox = rf'name="{name}" value="{re.escape(value)}"\s*>\s*'
        match = re.search(checkbox + r'<label class="fr-label" for="[^"]+">[^<]+<span class="traam-facet-count">\((\d+)', page)
        assert match and int(match.group(1)) == count, (name, value)


@pytest.mark.parametrize(
    ("params", "refused"),
    [
        ({"niveau": "inconnu", "discipline": "lettres"}, "Niveau de classe"),
        ({"tri": "hasard", "discipline": "lettres"}, "Trier par"),
        ({"ecran": "peut-être", "discipline": "lettres"}, "Écran"),
        ({"annee": "1999-2000", "discipline": "lettres"}, "Année"),
        ({"crcn": "<script>alert(1)</script>", "discipline": "lettres"}, "Compétence du CRCN"),
        ({"q": "x" * 300, "discipline": "lettres"}, "Rechercher"),
    ],
)
def test_a_refused_criterion_gets_a_french_message_and_the_others_still_apply(client, corpus, params, refused):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    page = text_of(response)
    assert f"Le critère « {refused} » n'a pas été pris en compte" in page
    assert result_titles(response) == ["Réécrire une fable avec l'IA"]
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("number", ["abc", "0", "-1", "999", ""])
def test_an_odd_page_number_still_answers(client, corpus, number):
    response = client.get(SEARCH, {"page": number})
    assert response.status_code == 200
    assert result_titles(response)


def test_a_search_that_finds_nothing_says_what_to_try(client, corpus):
    page = text_of(client.get(SEARCH, {"q": "zèbre", "niveau": "college"}))
    assert "0 séquence" in page
    assert "Aucune séquence ne correspond à votre recherche" in page
    assert "Vérifiez l'orthographe" in page
    assert 'href="/catalogue/?niveau=college"' in page  # remove the words, keep the level
    assert "Voir toutes les séquences" in page


def test_an_empty_catalogue_says_so(client, db):
    page = text_of(client.get(SEARCH))
    assert "Aucune séquence n'est encore publiée" in page
    assert "Aucune séquence ne correspond" not in page


def test_results_come_twenty_a_page_and_the_pages_keep_the_search(client, corpus):
    group = corpus["eval_title"].group
    for number in range(PER_PAGE + 3):
        make_scenario(group, f"Séquence d'essai {number:02d}", levels=["college"])
    index_scenarios()
    first = client.get(SEARCH, {"niveau": "college", "tri": "titre"})
    assert "25 séquences" in text_of(first)
    assert len(result_titles(first)) == PER_PAGE
    assert 'href="?niveau=college&amp;tri=titre&amp;page=2"' in first.content.decode()
    second = client.get(SEARCH, {"niveau": "college", "tri": "titre", "page": 2})
    assert len(result_titles(second)) == 5
    assert not set(result_titles(first)) & set(result_titles(second))
    assert "Résultats 21 à 25" in text_of(second)


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "params", [{}, {"q": "séquence", "niveau": "college", "crcn": ["1.3", "2.3"], "discipline": "mathematiques", "tri": "titre"}],
)
def test_the_search_does_the_same_queries_for_3_or_30_scenarios(client, db, params):
    call = Call.objects.get(year="2026-2027")
    groups = [make_group(Entry.objects.get(call=call, code=code), academy, f"Groupe {code}") for code, academy in (
        ("mathematiques", "grenoble"), ("lettres", "rennes"), ("nsi", "lyon"))]

    def add(count, start):
        for number in range(start, start + count):
            make_scenario(
                groups[number % 3], f"Séquence {number}", levels=["college", "lycee-gt", "ecole"][: 1 + number % 3],
                crcn=["1.3", "2.3", "3.4", "5.2"][: 1 + number % 4], commons=["mathalea", "capytale"][: number % 3],
                ai_usage=[AIUsage.NONE, AIUsage.TEACHER_PRACTICE, AIUsage.STUDENT_LEARNING][number % 3], with_screen=number % 2 == 0,
            )
        index_scenarios()

    add(3, 0)
    few = _count_queries(client, params)
    add(27, 3)
    many = _count_queries(client, params)
    assert few == many
    assert many <= 22
    assert result_titles(client.get(SEARCH, params))


# --- The scenario's public page --------------------------------------------------------------


def test_the_scenario_page_has_what_a_teacher_needs(client, corpus):
    scenario = corpus["eval_body"]
    scenario.problem = "Comment automatiser le calcul sans lasser ?"
    scenario.disciplinary_competences = "Calculer mentalement."
    scenario.digital_tools = "Tableur, minuteur"
    scenario.ai_tools = "Un générateur d'exercices"
    scenario.ai_precautions = "Aucune donnée d'élève n'est saisie."
    scenario.sessions, scenario.session_minutes = 6, 50
    scenario.licence = Licence.CC_BY_4
    scenario.edubase_url = "https://edubase.eduscol.education.fr/fiche/777"
    scenario.save()
    scenario.commons.set(DigitalCommon.objects.filter(code="capytale"))
    response = client.get(page_url(scenario))
    assert response.status_code == 200
    page = text_of(response)
    for text in (
        '<h1 id="scenario-title">Rituels de calcul mental</h1>', "Une évaluation formative à chaque séance",
        "Comment automatiser le calcul sans lasser ?",
        "Lycée général et technologique", "Calculer mentalement.", "5.2", "Tableur, minuteur", "Capytale", "Pratique de l'enseignant",
        "Un générateur d'exercices", "Aucune donnée d'élève n'est saisie.", "6 séances de 50 minutes (300 minutes en tout)", "sans écran",
        "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.fr", "https://edubase.eduscol.education.fr/fiche/777",
        "Différencier avec MathALÉA", "Grenoble", "Appel à projets", 'href="/appels/2026-2027/"', "Publiée le 2 janvier 2027",
        "Mathématiques",
    ):
        assert text in page, text
    # The group's theme, and the scenario's other published scenario (never its draft).
    assert corpus["eval_title"].group.proposal.theme.get_absolute_url() in page
    assert "Du même groupe de travail" in page and page_url(corpus["eval_title"]) in page
    for title in HIDDEN_TITLES:
        assert title not in page
    # Nothing of the group's workspace.
    assert "/groupes/" not in page and "Historique" not in page


def test_a_scenario_without_ai_says_so(client, corpus):
    page = text_of(client.get(page_url(corpus["old"])))
    assert "Cette séquence ne fait pas appel à l'intelligence artificielle." in page
    assert 'href="/appels/2025-2026/"' in page


def test_the_scenario_page_escapes_what_the_group_wrote(client, corpus):
    scenario = corpus["fable"]
    scenario.summary = '<script>alert("x")</script>'
    scenario.problem = '<img src=x onerror="alert(1)">'
    scenario.save()
    body = client.get(page_url(scenario)).content.decode()
    assert '<script>alert("x")</script>' not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


@pytest.mark.parametrize("who", ["anonymous", "member", "pilot"])
@pytest.mark.parametrize("name", ["draft", "validated"])
def test_an_unpublished_scenario_has_no_public_page_even_for_its_group(client, corpus, member, pilot, who, name):
    if who != "anonymous":
        client.force_login(member if who == "member" else pilot)
    assert client.get(page_url(corpus[name])).status_code == 404


def test_an_unknown_slug_is_not_found(client, corpus):
    assert client.get("/catalogue/nexiste-pas/").status_code == 404


def test_the_scenario_page_does_a_fixed_number_of_queries(client, corpus, files, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(page_url(corpus["eval_title"])).status_code == 200


# --- Attachments -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_a_published_scenario_s_attachment_downloads_for_everyone(client, corpus, files, member, who):
    if who == "member":
        client.force_login(member)
    attachment = files["published"]
    url = reverse("catalogue:attachment", args=[corpus["eval_title"].slug, attachment.pk])
    assert url in text_of(client.get(page_url(corpus["eval_title"])))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fiche-eval_title.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_an_unpublished_scenario_s_attachment_is_not_found_here(client, corpus, files, member, who):
    """Its group downloads it from the group's pages."""
    if who == "member":
        client.force_login(member)
    hidden = files["unpublished"]
    assert client.get(reverse("catalogue:attachment", args=[corpus["validated"].slug, hidden.pk])).status_code == 404
    # Nor through a published scenario's address.
    assert client.get(reverse("catalogue:attachment", args=[corpus["eval_title"].slug, hidden.pk])).status_code == 404
    # And a published attachment is not served under another scenario's slug.
    assert client.get(reverse("catalogue:attachment", args=[corpus["fable"].slug, files["published"].pk])).status_code == 404


def test_a_file_missing_from_the_storage_is_not_found(client, corpus, files):
    attachment = files["published"]
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(reverse("catalogue:attachment", args=[corpus["eval_title"].slug, attachment.pk])).status_code == 404


# --- Bilans that cite the scenario ----------------------------------------------------------


def make_run(call, entry=None, *, published=True, version=1):
    return BilanRun.objects.create(
        call=call, entry=entry, kind=BilanKind.ENTRY if entry else BilanKind.FOCUS_AI, version=version, state=RunState.DONE, progress=100,
        pages=8, size=90_000, scenario_count=3, is_published=published, published_at=timezone.now() if published else None,
    )


@pytest.fixture
def bilans(corpus):
    call = Call.objects.get(year="2026-2027")
    return {
        "maths": make_run(call, Entry.objects.get(call=call, code="mathematiques")),
        "maths_draft": make_run(call, Entry.objects.get(call=call, code="mathematiques"), published=False, version=2),
        "focus": make_run(call),
    }


ENTRY_BILAN = "/bilans/2026-2027/mathematiques/"
FOCUS_BILAN = "/bilans/2026-2027/ia/"


def test_a_scenario_using_ai_links_to_its_entry_s_bilan_and_the_ai_focus(client, corpus, bilans):
    page = text_of(client.get(page_url(corpus["eval_body"])))  # AI for the teacher's practice
    assert "Bilans nationaux qui citent cette séquence" in page
    assert f'href="{ENTRY_BILAN}"' in page and f'href="{FOCUS_BILAN}"' in page
    assert "Bilan national 2026-2027 — Mathématiques" in page
    assert page.count(f'href="{ENTRY_BILAN}"') == 1  # the published version only


def test_a_scenario_without_ai_links_to_its_entry_s_bilan_only(client, corpus, bilans):
    page = text_of(client.get(page_url(corpus["eval_title"])))
    assert f'href="{ENTRY_BILAN}"' in page and FOCUS_BILAN not in page


def test_no_bilan_section_without_a_published_bilan_of_the_scenario_s_call_and_entry(client, corpus, bilans):
    # Lettres has no bilan; the focus cites it (AI for the students' learning).
    page = text_of(client.get(page_url(corpus["fable"])))
    assert ENTRY_BILAN not in page and f'href="{FOCUS_BILAN}"' in page
    # The 2025-2026 scenario: no bilan of its call at all.
    page = text_of(client.get(page_url(corpus["old"])))
    assert "Bilans nationaux qui citent" not in page and "/bilans/" not in page


def test_an_unpublished_bilan_is_never_linked(client, corpus):
    call = Call.objects.get(year="2026-2027")
    make_run(call, Entry.objects.get(call=call, code="mathematiques"), published=False)
    page = text_of(client.get(page_url(corpus["eval_body"])))
    assert "Bilans nationaux qui citent" not in page and "/bilans/" not in page


# --- The group's page sends outsiders to the public page ------------------------------------------


def test_an_outsider_opening_a_published_scenario_s_group_page_lands_on_the_public_page(client, corpus, stranger):
    client.force_login(stranger)
    response = client.get(reverse("productions:scenario", args=[corpus["eval_title"].pk]))
    assert response.status_code == 302 and response.url == page_url(corpus["eval_title"])


def test_the_group_keeps_its_own_page_of_a_published_scenario(client, corpus, member, pilot):
    for person in (member, pilot):
        client.force_login(person)
        response = client.get(reverse("productions:scenario", args=[corpus["eval_title"].pk]))
        assert response.status_code == 200, person
        assert "Versions de la séquence" in text_of(response)


def test_an_outsider_still_gets_404_for_an_unpublished_scenario_s_group_page(client, corpus, stranger):
    client.force_login(stranger)
    assert client.get(reverse("productions:scenario", args=[corpus["validated"].pk])).status_code == 404


# --- The call and home pages -----------------------------------------------------------------


def test_the_call_page_links_to_its_published_scenarios(client, corpus):
    page = text_of(client.get("/appels/2026-2027/"))
    assert 'href="/catalogue/?annee=2026-2027"' in page
    assert "Voir les 3 séquences publiées" in page
    page = text_of(client.get("/appels/2025-2026/"))
    assert 'href="/catalogue/?annee=2025-2026"' in page and "Voir la séquence publiée" in page
    # The filtered catalogue holds what the link says.
    assert len(result_titles(client.get(SEARCH, {"annee": "2026-2027"}))) == 3


def test_a_call_without_published_scenarios_has_no_catalogue_link(client, corpus):
    corpus["old"].state, corpus["old"].published_at = ScenarioState.VALIDATED, None
    corpus["old"].save(update_fields=["state", "published_at"])
    response = client.get("/appels/2025-2026/")
    assert response.status_code == 200
    assert "/catalogue/?annee=" not in text_of(response)


def test_the_call_page_keeps_its_bilans(client, corpus, bilans):
    page = text_of(client.get("/appels/2026-2027/"))
    assert "Bilans nationaux 2026-2027" in page and 'href="/catalogue/?annee=2026-2027"' in page


def test_the_home_page_has_an_entry_to_the_catalogue(client, corpus):
    page = text_of(client.get("/"))
    assert "Catalogue des séquences" in page
    assert 'action="/catalogue/"' in page and 'href="/catalogue/"' in page
    assert "4 séquences pédagogiques" in page


# --- sitemap.xml and robots.txt ----------------------------------------------------------------


def test_the_sitemap_lists_the_public_pages_and_no_unpublished_scenario(client, corpus):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    locations = set(re.findall(r"<loc>([^<]+)</loc>", body))
    base = "http://testserver"
    assert {f"{base}/", f"{base}/catalogue/", f"{base}/appels/2026-2027/", f"{base}/appels/2025-2026/"} <= locations
    assert f"{base}/appels/2026-2027/mathematiques/thematique-1/" in locations
    for name in ("eval_title", "eval_body", "fable", "old"):
        assert base + page_url(corpus[name]) in locations, name
    for name in ("draft", "validated"):
        assert corpus[name].slug not in body
    assert not any("/groupes/" in location or "/comptes/" in location for location in locations)


def test_the_sitemap_leaves_out_unpublished_calls_and_their_themes(client, corpus):
    Call.objects.filter(year="2025-2026").update(is_published=False)
    body = client.get("/sitemap.xml").content.decode()
    assert "/appels/2025-2026/" not in body


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /administration/" in body and "Disallow: /catalogue/" not in body
