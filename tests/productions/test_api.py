"""The read-only JSON API (``/api/v1/``): published scenarios filtered like the
catalogue, published calls with their entries and themes, the OpenAPI
description and its documentation page. Nothing unpublished, nothing personal,
nothing written."""

import datetime
import io
import json
import re
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.throttling import AnonRateThrottle

from candidatures.enums import AIUsage, ProposalState
from candidatures.models import Proposal
from productions import attachments, services
from productions.catalogue.search import ScenarioFilter, index_scenarios, public_scenarios
from productions.enums import ScenarioState
from productions.models import GroupMember, Scenario, ScenarioAttachment, WorkingGroup
from tests.candidatures.test_attachments import PDF_BYTES
from tests.factories import make_user
from tests.productions.conftest import complete_content, ids
from tests.utils import text_of
from traam.enums import Role
from traam.models import PARIS, Academy, Call, ClassLevel, CrcnCompetence, DigitalCommon, Entry, Theme, User

API = "/api/v1/"
PUBLISHED_ON = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=PARIS)
EDUBASE = "https://edubase.eduscol.education.fr/fiche/12345"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Keys that would carry a person or a non-public state.
PRIVATE_KEYS = {
    "email", "emails", "contacts", "members", "lead", "created_by", "validated_by", "published_by", "uploaded_by", "state",
    "return_comment", "version", "first_name", "last_name",
}


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response


def results(client, path=API + "sequences/", **params):
    """Every item of a paginated list, all pages followed."""
    response = get(client, path, page_size=100, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        items += body["results"]
    return items


def slugs(client, **params):
    return [item["slug"] for item in results(client, **params)]


def keys_of(value):
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_of(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_of(v) for v in value)) if value else set()
    return set()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def publish_through_services(scenario, member, inspector, *, now, file=None):
    if file:
        attachments.add_attachment(scenario, upload(*file), acting_user=member)
        scenario.refresh_from_db()
    scenario = services.mark_tested(scenario, acting_user=member, now=now)
    scenario = services.submit_for_validation(scenario, acting_user=member, now=now)
    scenario = services.validate(scenario, acting_user=inspector, now=now)
    return services.publish(scenario, acting_user=inspector, edubase_url=EDUBASE, now=now)


@pytest.fixture
def fractions(written, teacher_grenoble, inspector_maths_grenoble):
    """Grenoble's mathematics scenario « Fractions en 6e » (collège, CRCN 1.3, MathALÉA, no AI), published with a file."""
    return publish_through_services(
        written, teacher_grenoble, inspector_maths_grenoble, now=PUBLISHED_ON, file=("fiche élève.pdf", PDF_BYTES),
    )


@pytest.fixture
def robots(group_lyon, teacher_lyon, inspector_maths_lyon):
    """Lyon's scenario (lycée, CRCN 3.4, AI for the students, without screen), published a day later."""
    scenario = services.create_scenario(group_lyon, acting_user=teacher_lyon, title="Programmer un robot sans écran", now=PUBLISHED_ON)
    content = complete_content(
        summary="Des robots débranchés pour comprendre les algorithmes.", class_levels=ids(ClassLevel, "lycee-gt"),
        crcn_competences=ids(CrcnCompetence, "3.4"), commons=ids(DigitalCommon, "capytale", "elea"), ai_usage=AIUsage.STUDENT_LEARNING,
        ai_tools="Un assistant de programmation local", ai_precautions="Aucune donnée d'élève saisie.", with_screen=False,
    )
    scenario = services.save_scenario(scenario, content, acting_user=teacher_lyon, expected_version=scenario.version)
    return publish_through_services(scenario, teacher_lyon, inspector_maths_lyon, now=PUBLISHED_ON + datetime.timedelta(days=1))


@pytest.fixture
def unpublished(group, teacher_grenoble, inspector_maths_grenoble):
    """A validated scenario and a draft of Grenoble: not public yet."""
    validated = services.create_scenario(group, acting_user=teacher_grenoble, title="Séquence validée pas encore publiée")
    validated = services.save_scenario(validated, complete_content(), acting_user=teacher_grenoble, expected_version=validated.version)
    services.mark_tested(validated, acting_user=teacher_grenoble)
    services.submit_for_validation(validated, acting_user=teacher_grenoble)
    validated = services.validate(validated, acting_user=inspector_maths_grenoble)
    draft = services.create_scenario(group, acting_user=teacher_grenoble, title="Brouillon confidentiel")
    return [validated, draft]


@pytest.fixture
def hidden_call(db, maths):
    """A call not published yet (being prepared by the pilot), with a theme and a
    published scenario in it: the API knows none of them."""
    call = Call.objects.create(
        year="2099-2100", title="Appel en préparation", opens_on="2099-01-01", synthesis_deadline="2099-03-31",
        results_on="2099-06-15", production_starts_on="2099-09-01", production_ends_on="2100-04-30", is_published=False,
    )
    entry = Entry.objects.create(call=call, discipline=maths, code="mathematiques", name="Mathématiques 2099", order=1)
    theme = Theme.objects.create(entry=entry, order=1, title="Thématique secrète", description_html="<p>Pas encore publiée.</p>")
    academy = Academy.objects.get(code="nantes")
    lead = make_user("porteur.nantes@example.test", Role.TEACHER, academy=academy)
    proposal = Proposal.objects.create(theme=theme, academy=academy, lead=lead, title="Projet caché", state=ProposalState.SELECTED)
    group = WorkingGroup.objects.create(proposal=proposal, call=call, entry=entry, academy=academy, title="Groupe caché")
    scenario = Scenario.objects.create(
        group=group, slug="sequence-cachee", title="Séquence cachée de Nantes", summary="Fractions secrètes", ai_usage=AIUsage.NONE,
        state=ScenarioState.PUBLISHED, published_at=PUBLISHED_ON,
    )
    scenario.class_levels.set(ids(ClassLevel, "college"))
    index_scenarios(Scenario.objects.filter(pk=scenario.pk))
    return call


def add_published(groups, count, *, start=0):
    """``count`` more published scenarios spread over ``groups`` (a shortcut for counting queries)."""
    levels, competences = list(ClassLevel.objects.order_by("order")[:2]), list(CrcnCompetence.objects.order_by("code")[:2])
    for number in range(start, start + count):
        scenario = Scenario.objects.create(
            group=groups[number % len(groups)], slug=f"volume-{number:03d}", title=f"Séquence {number:03d}", ai_usage=AIUsage.NONE,
            state=ScenarioState.PUBLISHED, published_at=PUBLISHED_ON - datetime.timedelta(hours=number + 1),
        )
        scenario.class_levels.set(levels)
        scenario.crcn_competences.set(competences)
    index_scenarios()


# --- Scenarios ------------------------------------------------------------------------------------


def test_the_list_holds_the_published_scenarios_of_published_calls_only(client, fractions, robots, unpublished, hidden_call):
    response = get(client, API + "sequences/")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    # The most recent first, as in the catalogue.
    assert [item["slug"] for item in body["results"]] == [robots.slug, fractions.slug]
    assert Scenario.objects.filter(state=ScenarioState.PUBLISHED).count() == 3  # the hidden call's is not listed


def test_an_item_of_the_list(client, fractions):
    [item] = get(client, API + "sequences/").json()["results"]
    assert item == {
        "slug": "fractions-en-6e",
        "url": "http://testserver/api/v1/sequences/fractions-en-6e/",
        "page_url": "http://testserver/catalogue/fractions-en-6e/",
        "title": "Fractions en 6e",
        "summary": "Des parcours d'automatismes adaptés à chaque élève.",
        "call_year": "2026-2027",
        "discipline": {"code": "mathematiques", "name": "Mathématiques"},
        "entry": {"code": "mathematiques", "name": "Mathématiques"},
        "academy": {"code": "grenoble", "name": "Grenoble"},
        "class_levels": [{"code": "college", "name": "Collège"}],
        "crcn_competences": [{"code": "1.3", "name": "Traiter des données"}],
        "ai_usage": "none",
        "ai_usage_label": "aucun",
        "with_screen": True,
        "licence": {
            "code": "cc-by-sa-4.0", "label": "Creative Commons BY-SA 4.0", "spdx": "CC-BY-SA-4.0",
            "url": "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        },
        "published_at": "2026-11-20T10:00:00+01:00",
    }


def test_the_detail_gives_every_public_metadata(client, fractions, group, maths_theme):
    response = get(client, API + "sequences/fractions-en-6e/")
    assert response.status_code == 200
    detail = response.json()
    attachment = ScenarioAttachment.objects.get(scenario=fractions)
    assert {key: detail[key] for key in (
        "problem", "disciplinary_competences", "digital_tools", "commons", "ai_tools", "ai_precautions", "sessions", "session_minutes",
        "total_minutes", "group_title", "theme", "edubase_url", "attachments", "published_at",
    )} == {
        "problem": "Comment différencier sans multiplier les supports ?",
        "disciplinary_competences": "Calculer avec des fractions.",
        "digital_tools": "MathALÉA",
        "commons": [{"code": "mathalea", "name": "MathALÉA", "url": DigitalCommon.objects.get(code="mathalea").url}],
        "ai_tools": "",
        "ai_precautions": "",
        "sessions": 4,
        "session_minutes": 55,
        "total_minutes": 220,
        "group_title": group.title,
        "theme": {
            "order": maths_theme.order, "title": maths_theme.title,
            "page_url": f"http://testserver/appels/2026-2027/mathematiques/thematique-{maths_theme.order}/",
        },
        "edubase_url": EDUBASE,
        "attachments": [{
            "id": attachment.pk, "name": "fiche élève.pdf", "content_type": "application/pdf", "size": len(PDF_BYTES),
            "download_url": f"http://testserver/catalogue/fractions-en-6e/fichiers/{attachment.pk}/",
        }],
        "published_at": "2026-11-20T10:00:00+01:00",
    }
    # The list's fields are there too.
    listed = get(client, API + "sequences/").json()["results"][0]
    assert {key: detail[key] for key in listed} == listed


def test_the_public_addresses_are_the_catalogues(client, fractions):
    """The page and the file addresses are the catalogue's routes, and the file downloads."""
    detail = get(client, API + "sequences/fractions-en-6e/").json()
    assert resolve(urlsplit(detail["page_url"]).path).view_name == "catalogue:scenario"
    download = urlsplit(detail["attachments"][0]["download_url"]).path
    assert resolve(download).view_name == "catalogue:attachment"
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content if response.streaming else [response.content]) == PDF_BYTES
    assert resolve(urlsplit(detail["theme"]["page_url"]).path).view_name == "theme_detail"


@pytest.mark.parametrize("slug", ["sequence-validee-pas-encore-publiee", "brouillon-confidentiel", "sequence-cachee", "inconnue"])
def test_an_unpublished_or_unknown_scenario_is_not_found(client, unpublished, hidden_call, slug):
    if slug != "inconnue":
        assert Scenario.objects.filter(slug=slug).exists()
    response = get(client, API + f"sequences/{slug}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune séquence publiée ne porte cet identifiant."}


CATALOGUE_SEARCHES = [
    {},
    {"discipline": "mathematiques"},
    {"discipline": "nsi"},
    {"academie": "lyon"},
    {"academie": ["lyon", "grenoble"]},
    {"niveau": "college"},
    {"niveau": ["college", "lycee-gt"]},
    {"crcn": "3.4"},
    {"ia": "student_learning"},
    {"ia": ["none", "student_learning"]},
    {"annee": "2026-2027"},
    {"ecran": "sans"},
    {"ecran": "avec", "niveau": "college"},
    {"q": "fractions"},
    {"q": "ROBOT écran"},
    {"q": "Séquence 007"},
    {"tri": "titre"},
    {"tri": "anciennes"},
    {"q": "séquence", "tri": "pertinence"},
]


@pytest.mark.parametrize("params", CATALOGUE_SEARCHES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "tout")
def test_the_filters_give_the_catalogues_results(client, fractions, robots, unpublished, group, group_lyon, params):
    add_published([group, group_lyon], 12)
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    expected = [scenario.slug for scenario in ScenarioFilter(query, queryset=public_scenarios()).qs]
    assert slugs(client, **params) == expected


def test_the_filters_select_what_they_say(client, fractions, robots):
    assert slugs(client, discipline="mathematiques") == [robots.slug, fractions.slug]
    assert slugs(client, academie="lyon") == [robots.slug]
    assert slugs(client, niveau="college") == [fractions.slug]
    assert slugs(client, crcn="1.3") == [fractions.slug]
    assert slugs(client, ia="student_learning") == [robots.slug]
    assert slugs(client, ecran="sans") == [robots.slug]
    assert slugs(client, q="robots") == [robots.slug]
    assert slugs(client, tri="titre") == [fractions.slug, robots.slug]
    assert slugs(client, discipline="nsi") == []


def test_filters_never_reach_an_unpublished_scenario(client, fractions, unpublished, hidden_call):
    assert slugs(client, q="confidentiel") == []
    assert slugs(client, q="validée") == []
    assert slugs(client, q="cachée") == []
    assert slugs(client, q="secrètes") == []
    assert slugs(client, academie="nantes") == []
    # The unpublished call's year is not even a choice: refused, nothing listed.
    response = get(client, API + "sequences/", annee="2099-2100")
    assert response.status_code == 400 and "2099-2100" not in str(response.json().get("results", ""))
    assert slugs(client, niveau="college") == [fractions.slug]


def test_a_wrong_parameter_is_refused_in_french(client, fractions):
    response = get(client, API + "sequences/", niveau="maternelle")
    assert response.status_code == 400
    assert response.json() == {"niveau": ["Sélectionnez un choix valide. maternelle n’en fait pas partie."]}
    response = get(client, API + "sequences/", ecran="peut-etre")
    assert response.status_code == 400 and list(response.json()) == ["ecran"]


# --- Pagination and queries -----------------------------------------------------------------------


def test_lists_are_paginated_by_twenty_up_to_a_hundred(client, group):
    add_published([group], 105)
    first = get(client, API + "sequences/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (105, 20, None)
    assert first["next"] == "http://testserver/api/v1/sequences/?page=2"
    assert [item["slug"] for item in first["results"]] == [f"volume-{n:03d}" for n in range(20)]
    last = get(client, API + "sequences/", page=6).json()
    assert ([item["slug"] for item in last["results"]], last["next"]) == ([f"volume-{n}" for n in range(100, 105)], None)
    assert last["previous"] == "http://testserver/api/v1/sequences/?page=5"
    assert len(get(client, API + "sequences/", page_size=7).json()["results"]) == 7
    assert len(get(client, API + "sequences/", page_size=500).json()["results"]) == 100
    # The filters stay in the next page's address.
    assert get(client, API + "sequences/", niveau="ecole", page_size=50).json()["next"] == (
        "http://testserver/api/v1/sequences/?niveau=ecole&page=2&page_size=50"
    )
    response = get(client, API + "sequences/", page=99)
    assert (response.status_code, response.json()) == (404, {"detail": "Page non valide."})


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_3_and_30_scenarios(client, group, group_lyon):
    add_published([group, group_lyon], 3)
    few = {path: count_queries(client, path) for path in (API + "sequences/", API + "sequences/?niveau=ecole&crcn=1.1&q=séquence")}
    add_published([group, group_lyon], 27, start=3)
    many = {path: count_queries(client, path) for path in few}
    assert many == few
    assert few[API + "sequences/"] <= 4  # count, page, class levels, CRCN competences


def test_the_detail_runs_a_fixed_number_of_queries(client, fractions, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the scenario, its levels, competences, commons and files
        assert client.get(API + "sequences/fractions-en-6e/").status_code == 200


def test_the_call_lists_run_a_bounded_number_of_queries(client, call, hidden_call, django_assert_max_num_queries):
    for path, most in (
        (API + "appels/", 3), (API + "appels/2026-2027/", 2), (API + "appels/2026-2027/entrees/?page_size=100", 4),
        (API + "thematiques/?page_size=100", 2), (API + "thematiques/?annee=2026-2027&discipline=nsi", 4),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(path).status_code == 200, path


# --- Calls, entries and themes ------------------------------------------------------------------


def test_the_published_calls_with_their_dates_and_entries(client, call, hidden_call):
    body = get(client, API + "appels/").json()
    assert [item["year"] for item in body["results"]] == ["2026-2027"]
    item = body["results"][0]
    assert {key: item[key] for key in (
        "year", "title", "url", "entries_url", "page_url", "opens_on", "synthesis_deadline", "results_on", "production_starts_on",
        "production_ends_on",
    )} == {
        "year": "2026-2027", "title": call.title,
        "url": "http://testserver/api/v1/appels/2026-2027/",
        "entries_url": "http://testserver/api/v1/appels/2026-2027/entrees/",
        "page_url": "http://testserver/appels/2026-2027/",
        "opens_on": call.opens_on.isoformat(), "synthesis_deadline": "2026-03-31", "results_on": call.results_on.isoformat(),
        "production_starts_on": "2026-09-01", "production_ends_on": "2027-04-30",
    }
    assert len(item["entries"]) == 21
    nsi = next(entry for entry in item["entries"] if entry["code"] == "nsi")
    assert (nsi["discipline"]["code"], nsi["theme_count"], nsi["seats"]) == ("nsi", 2, 5)
    # The call's contacts name people: never in the API.
    assert call.contacts and "contacts" not in item


def test_a_call_in_detail(client, call):
    detail = get(client, API + "appels/2026-2027/").json()
    assert detail["introduction_html"] == call.introduction_html and detail["organisation_html"] == call.organisation_html
    assert "contacts" not in detail and len(detail["entries"]) == 21


@pytest.mark.parametrize("path", ["appels/2099-2100/", "appels/2099-2100/entrees/", "appels/1999-2000/", "appels/1999-2000/entrees/"])
def test_an_unpublished_or_unknown_call_is_not_found(client, hidden_call, path):
    response = get(client, API + path)
    assert (response.status_code, response.json()) == (404, {"detail": "Aucun appel à projets publié pour cette année."})


def test_the_entries_of_a_call_with_their_themes(client, call):
    entries = results(client, API + "appels/2026-2027/entrees/")
    assert [entry["code"] for entry in entries] == list(call.entries.order_by("order", "name").values_list("code", flat=True))
    nsi = next(entry for entry in entries if entry["code"] == "nsi")
    themes = Theme.objects.filter(entry__call=call, entry__code="nsi").order_by("order")
    assert [theme["title"] for theme in nsi["themes"]] == [theme.title for theme in themes]
    first = nsi["themes"][0]
    assert first == {
        "order": 1, "title": themes[0].title, "full_title": themes[0].full_title, "keywords": themes[0].keywords,
        "description_html": themes[0].description_html, "eligibility_text": themes[0].eligibility_text,
        "page_url": "http://testserver/appels/2026-2027/nsi/thematique-1/",
    }
    svt = next(entry for entry in entries if entry["themes"] and entry["themes"][0]["eligibility_text"])
    assert svt["code"].startswith("svt")


def test_the_themes_of_the_published_calls(client, call, hidden_call):
    themes = results(client, API + "thematiques/")
    assert len(themes) == Theme.objects.filter(entry__call=call).count() == 22
    assert "Thématique secrète" not in {theme["title"] for theme in themes}
    nsi = results(client, API + "thematiques/", discipline="nsi")
    assert [(theme["call_year"], theme["entry"]["code"], theme["discipline"]["code"], theme["order"]) for theme in nsi] == [
        ("2026-2027", "nsi", "nsi", 1), ("2026-2027", "nsi", "nsi", 2),
    ]
    assert len(results(client, API + "thematiques/", annee="2026-2027", discipline=["nsi", "mathematiques"])) == 3
    # The year of a call not published is not a value the filter knows.
    response = get(client, API + "thematiques/", annee="2099-2100")
    assert response.status_code == 400 and list(response.json()) == ["annee"]


# --- Nothing personal, nothing written ----------------------------------------------------------------


def every_answer(client):
    paths = [API + "sequences/?page_size=100", API + "appels/", API + "thematiques/?page_size=100"]
    paths += [urlsplit(item["url"]).path for item in results(client)]
    for call in results(client, API + "appels/"):
        paths += [urlsplit(call["url"]).path, urlsplit(call["entries_url"]).path + "?page_size=100"]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        answers[path] = response.json()
    return answers


def test_no_personal_data_in_any_answer(client, fractions, robots, unpublished, group, group_lyon, teacher_grenoble):
    answers = every_answer(client)
    assert len(answers) >= 7
    text = json.dumps(answers, ensure_ascii=False)
    assert not EMAIL.search(text)
    # The only « @ » is in a digital common's name, quoted by the call's text.
    assert "M@gistère" in text and "@" not in text.replace("M@gistère", "")
    people = [(m.first_name, m.last_name) for m in group.members.all()] + [(m.first_name, m.last_name) for m in group_lyon.members.all()]
    for first_name, last_name in people:
        assert f"{first_name} {last_name}" not in text and last_name not in text
    assert not keys_of(answers) & PRIVATE_KEYS


def test_a_signed_in_person_reads_exactly_what_anyone_reads(client, fractions, unpublished, pilot, teacher_grenoble):
    anonymous = every_answer(client)
    for person in (pilot, teacher_grenoble):
        client.force_login(person)
        assert every_answer(client) == anonymous
        assert get(client, API + "sequences/brouillon-confidentiel/").status_code == 404


WRITES = ["post", "put", "patch", "delete"]


@pytest.mark.parametrize("path", [
    "sequences/", "sequences/fractions-en-6e/", "appels/", "appels/2026-2027/", "appels/2026-2027/entrees/", "thematiques/", "schema/",
])
def test_writes_are_refused(client, fractions, pilot, path):
    before = (Scenario.objects.count(), Call.objects.count(), Theme.objects.count(), Scenario.objects.get(pk=fractions.pk).title)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(pilot)
        for method in WRITES:
            response = getattr(client, method)(API + path, data={"title": "Pirate"}, content_type="application/json")
            assert response.status_code == 405, (method, path)
            assert response.json() == {"detail": f"Méthode «\N{NO-BREAK SPACE}{method.upper()}\N{NO-BREAK SPACE}» non autorisée."}
    assert (Scenario.objects.count(), Call.objects.count(), Theme.objects.count(), Scenario.objects.get(pk=fractions.pk).title) == before


def test_head_and_options_are_answered(client, fractions):
    assert client.head(API + "sequences/fractions-en-6e/").status_code == 200
    options = client.options(API + "sequences/")
    assert options.status_code == 200
    assert (options.json()["name"], options.json()["renders"]) == ("Séquences publiées", ["application/json"])


def test_json_only_no_browsable_api(client, fractions):
    """The browsable API needs inline scripts the CSP forbids."""
    response = client.get(API + "sequences/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response["Content-Type"] == "application/json"
    assert client.get(API + "sequences/", {"format": "api"}).status_code == 404


def test_too_many_requests_are_slowed_down_in_french(client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    for _ in range(3):
        assert client.get(API + "appels/").status_code == 200
    response = client.get(API + "appels/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Requête ralentie.")
    assert int(response["Retry-After"]) > 0


# --- OpenAPI description and documentation ------------------------------------------------------

ENDPOINTS = {
    "/api/v1/sequences/", "/api/v1/sequences/{slug}/", "/api/v1/appels/", "/api/v1/appels/{year}/", "/api/v1/appels/{year}/entrees/",
    "/api/v1/thematiques/",
}


def test_the_schema_is_valid_openapi_and_lists_every_endpoint(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert (schema["info"]["title"], schema["info"]["version"]) == ("API du catalogue TraAM", "1.0.0")
    assert set(schema["paths"]) == ENDPOINTS
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    parameters = {p["name"] for p in schema["paths"]["/api/v1/sequences/"]["get"]["parameters"]}
    assert parameters == set(ScenarioFilter.base_filters) | {"page", "page_size"}
    assert {p["name"] for p in schema["paths"]["/api/v1/thematiques/"]["get"]["parameters"]} == {"annee", "discipline", "page", "page_size"}
    detail = schema["components"]["schemas"]["ScenarioDetail"]["properties"]
    assert {"licence", "attachments", "crcn_competences", "edubase_url", "page_url"} <= set(detail)
    assert not set(detail) & PRIVATE_KEYS
    assert "404" in schema["paths"]["/api/v1/sequences/{slug}/"]["get"]["responses"]


def test_the_schema_is_served_in_json_and_in_yaml(client):
    response = client.get(API + "schema/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    as_json = json.loads(response.content)
    assert set(as_json["paths"]) == ENDPOINTS
    response = client.get(API + "schema/", {"format": "yaml"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(response.content) == as_json


def test_the_documentation_page(client, db):
    response = client.get(API)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = text_of(response)
    assert "<h1>API des séquences et des appels</h1>" in page
    assert f'href="{reverse("api:schema")}"' in page and f'href="{reverse("api:schema")}?format=yaml"' in page
    for name in ScenarioFilter.base_filters:
        assert f"<code>{name}</code>" in page
    for path in ("sequences/", "sequences/{slug}/", "appels/", "appels/{année}/", "appels/{année}/entrees/", "thematiques/"):
        assert f"<code>GET /api/v1/{path}</code>" in page
    assert "Licence Ouverte 2.0" in page and "20 résultats" in page and "jusqu'à 100" in page
    # The strict CSP: no inline style, no script without a source.
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert client.post(API).status_code == 405


def test_the_urls_are_named_in_the_api_namespace():
    assert reverse("api:sequence-detail", kwargs={"slug": "une-sequence"}) == "/api/v1/sequences/une-sequence/"
    assert reverse("api:call-entries", kwargs={"year": "2026-2027"}) == "/api/v1/appels/2026-2027/entrees/"
    assert resolve("/api/v1/").view_name == "api:documentation"


def test_no_personal_data_in_the_demo(client, db):
    """The demo's national picture (16 published scenarios, two calls with their contacts, files, hundreds of people)."""
    call_command("seed_demo", stdout=io.StringIO())
    answers = every_answer(client)
    assert len(results(client)) == Scenario.objects.filter(state=ScenarioState.PUBLISHED, group__call__is_published=True).count() >= 16
    text = json.dumps(answers, ensure_ascii=False)
    assert not EMAIL.search(text)
    assert "@" not in text.replace("M@gistère", "")
    people = {f"{first} {last}" for first, last in GroupMember.objects.values_list("first_name", "last_name")}
    people |= {f"{first} {last}" for first, last in User.objects.values_list("first_name", "last_name")}
    assert len(people) > 100 and not {person for person in people if person in text}
    assert not keys_of(answers) & PRIVATE_KEYS
