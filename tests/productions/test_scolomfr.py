"""The ScoLOMFR (LOM-FR) and Dublin Core records of a published scenario
(``productions.catalogue.scolomfr``) and its public ``scolomfr.xml`` address:
valid against the official ScoLOMFR schemas kept in ``tests/schemas/``, with
the vocabularies' identifiers, no teacher's name or address, hostile text kept
well-formed, and nothing for an unpublished scenario."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from productions.catalogue import scolomfr
from productions.enums import ScenarioState
from productions.models import Scenario
from traam.models import PARIS, ClassLevel, CrcnCompetence

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
NS = {"lom": scolomfr.LOM, "dc": scolomfr.DC, "oai_dc": scolomfr.OAI_DC}
# Control characters XML 1.0 forbids (NUL aside: PostgreSQL refuses to store it; ``clean`` is tested with it).
HOSTILE = "<script>alert('x')</script> & \x01\x08\x0b\x0c\x1f\ufffe fin"


def _schema(*parts):
    return etree.XMLSchema(etree.parse(str(SCHEMAS.joinpath(*parts))))


SCOLOMFR_SCHEMA = _schema("scolomfr", "scolomfr.xsd")
OAI_DC_SCHEMA = _schema("oai", "oai_dc.xsd")


def assert_valid(schema, element):
    # Validate the serialized bytes, as a harvester receives them.
    document = etree.fromstring(etree.tostring(element))
    assert schema.validate(document), schema.error_log


def texts(element, path):
    return [node.text for node in element.xpath(path, namespaces=NS)]


@pytest.fixture
def rich(published_scenario):
    """The published Grenoble scenario with every field filled in."""
    Scenario.objects.filter(pk=published_scenario.pk).update(
        summary="Des parcours d'automatismes.", problem="Comment différencier ?", digital_tools="MathALÉA\nGeoGebra",
        ai_usage="student_learning", ai_tools="Un assistant conversationnel", sessions=4, session_minutes=55,
        published_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=PARIS),
    )
    scenario = Scenario.objects.get(pk=published_scenario.pk)
    scenario.class_levels.set(ClassLevel.objects.filter(code__in=["college", "post-bac"]))
    scenario.crcn_competences.set(CrcnCompetence.objects.filter(code__in=["1.3", "3.4"]))
    return scenario


def test_the_schema_rejects_what_it_should():
    """The vendored schema is not a rubber stamp: an unknown vocabulary value fails."""
    document = etree.fromstring(
        f'<lom xmlns="{scolomfr.LOM}"><lifeCycle><status><source>SCOLOMFRv3.0</source>'
        "<value>publiée</value></status></lifeCycle></lom>".encode()
    )
    assert not SCOLOMFR_SCHEMA.validate(document)


def test_record_validates_against_the_official_schema(rich):
    assert_valid(SCOLOMFR_SCHEMA, scolomfr.scenario_to_scolomfr(rich))


def test_minimal_record_validates(published_scenario):
    Scenario.objects.filter(pk=published_scenario.pk).update(summary="", problem="", digital_tools="", sessions=None, ai_usage="")
    scenario = Scenario.objects.get(pk=published_scenario.pk)
    scenario.class_levels.clear()
    scenario.crcn_competences.clear()
    scenario.commons.clear()
    assert_valid(SCOLOMFR_SCHEMA, scolomfr.scenario_to_scolomfr(scenario))


def test_record_content(rich, settings):
    settings.PORTAL_URL = "https://traam.example.fr"
    lom = scolomfr.scenario_to_scolomfr(rich)
    assert texts(lom, "lom:general/lom:title/lom:string") == ["Fractions en 6e"]
    assert texts(lom, "lom:general/lom:identifier/lom:entry") == [
        f"https://traam.example.fr/catalogue/{rich.slug}/", "https://edubase.eduscol.education.fr/fiche/12345",
    ]
    assert texts(lom, "lom:general/lom:language") == ["fre"]
    assert texts(lom, "lom:general/lom:description/lom:string") == ["Des parcours d'automatismes.", "Problématique : Comment différencier ?"]
    assert texts(lom, "lom:general/lom:keyword/lom:string") == ["Mathématiques", "Collège", "Post-bac", "MathALÉA", "GeoGebra"]
    assert texts(lom, "lom:lifeCycle/lom:status/lom:value") == ["http://data.education.fr/voc/scolomfr/concept/final"]
    assert texts(lom, "lom:lifeCycle/lom:contribute/lom:role/lom:value") == [
        "http://data.education.fr/voc/scolomfr/concept/author", "http://data.education.fr/voc/scolomfr/concept/publisher",
    ]
    assert texts(lom, "lom:lifeCycle/lom:contribute/lom:date/lom:dateTime") == ["2026-12-01T08:30:00.0Z"] * 2
    assert texts(lom, "lom:educational/lom:learningResourceType/lom:value") == ["séquence pédagogique"]
    assert texts(lom, "lom:educational/lom:context/lom:value") == [
        "http://data.education.fr/voc/scolomfr/concept/school", "http://data.education.fr/voc/scolomfr/concept/higher_education",
    ]
    assert texts(lom, "lom:educational/lom:typicalLearningTime/lom:duration") == ["PT3H40M"]
    assert "Usage de l'intelligence artificielle : apprentissages des élèves (Un assistant conversationnel)" in texts(
        lom, "lom:educational/lom:description/lom:string")
    assert texts(lom, "lom:rights/lom:copyrightAndOtherRestrictions/lom:value") == ["http://data.education.fr/voc/scolomfr/concept/yes_2"]
    assert texts(lom, "lom:rights/lom:description/lom:string") == [
        "CC BY-SA 4.0 (CC-BY-SA-4.0) — https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    ]
    purposes = texts(lom, "lom:classification/lom:purpose/lom:value")
    assert purposes == [scolomfr.CONCEPT + "discipline"] + [scolomfr.CONCEPT + "educational_level"] * 2 + [scolomfr.CONCEPT + "competency"] * 2
    assert texts(lom, "lom:classification/lom:taxonPath/lom:taxon/lom:id") == [
        scolomfr.CONCEPT + "scolomfr-voc-015-num-008",  # the discipline's parent concept
        scolomfr.CONCEPT + "scolomfr-voc-022-num-016",  # collège; post-bac has no confirmed identifier
        "crcn-domaine-1", "crcn-1.3", "crcn-domaine-3", "crcn-3.4",
    ]
    assert texts(lom, "lom:classification[3]/lom:taxonPath/lom:taxon/lom:entry/lom:string") == ["post-baccalauréat"]


def test_no_teacher_is_named(rich, teacher_grenoble, colleague_grenoble):
    data = scolomfr.scenario_to_scolomfr_bytes(rich).decode() + etree.tostring(scolomfr.scenario_to_oai_dc(rich)).decode()
    for member in rich.group.members.all():
        assert member.email not in data
        assert member.last_name not in data
    assert teacher_grenoble.email not in data and colleague_grenoble.last_name not in data
    assert "ORG:Académie de Grenoble;Groupe de travail académique TraAM" in data


def test_oai_dc_validates_and_carries_the_essentials(rich):
    dc = scolomfr.scenario_to_oai_dc(rich)
    assert_valid(OAI_DC_SCHEMA, dc)
    assert texts(dc, "dc:title") == ["Fractions en 6e"]
    assert texts(dc, "dc:date") == ["2026-12-01"]
    assert texts(dc, "dc:subject") == ["Mathématiques", "Collège", "Post-bac", "CRCN 1.3 Traiter des données", "CRCN 3.4 Programmer"]
    assert texts(dc, "dc:creator") == ["Groupe de travail académique TraAM Mathématiques — académie de Grenoble"]
    assert texts(dc, "dc:rights") == ["CC BY-SA 4.0 — https://creativecommons.org/licenses/by-sa/4.0/deed.fr"]


def test_hostile_text_stays_well_formed_and_valid(rich):
    Scenario.objects.filter(pk=rich.pk).update(title=HOSTILE, summary=HOSTILE, digital_tools=HOSTILE, ai_tools=HOSTILE)
    scenario = Scenario.objects.get(pk=rich.pk)
    data = scolomfr.scenario_to_scolomfr_bytes(scenario)
    lom = etree.fromstring(data)  # well-formed
    assert texts(lom, "lom:general/lom:title/lom:string") == ["<script>alert('x')</script> &  fin"]
    assert b"<script>" not in data and b"&lt;script&gt;" in data
    assert_valid(SCOLOMFR_SCHEMA, lom)
    assert_valid(OAI_DC_SCHEMA, scolomfr.scenario_to_oai_dc(scenario))


def test_clean_keeps_what_xml_allows():
    assert scolomfr.clean("a\tb\nc\rd\x00e\x1ff\ud7ffg\ufffeh\U0001f600") == "a\tb\nc\rdef\ud7ffgh\U0001f600"


def test_public_address_serves_the_record(client, rich):
    response = client.get(reverse("exchange:scolomfr", kwargs={"slug": rich.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert SCOLOMFR_SCHEMA.validate(etree.fromstring(response.content))
    assert reverse("exchange:scolomfr", kwargs={"slug": rich.slug}) == f"/catalogue/{rich.slug}/scolomfr.xml"


@pytest.mark.parametrize("state", [s for s in ScenarioState.values if s != ScenarioState.PUBLISHED])
def test_unpublished_scenario_has_no_record(client, scenario, state):
    Scenario.objects.filter(pk=scenario.pk).update(state=state)
    response = client.get(reverse("exchange:scolomfr", kwargs={"slug": scenario.slug}))
    assert response.status_code == 404


def test_unknown_slug_is_404(client, db):
    assert client.get("/catalogue/inconnue/scolomfr.xml").status_code == 404


def test_the_record_costs_a_fixed_number_of_queries(client, rich, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(reverse("exchange:scolomfr", kwargs={"slug": rich.slug}))
