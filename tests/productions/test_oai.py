"""The OAI-PMH 2.0 endpoint (``/oai/``, ``productions.catalogue.oai``): every
verb and every error code, answers valid against the OAI-PMH schema (records
included, in both formats), paging with signed resumption tokens, from/until,
sets, and unpublished scenarios never harvested."""

import datetime
from urllib.parse import urlencode

import pytest
from django.core import signing
from lxml import etree

from productions import services
from productions.catalogue import oai, scolomfr
from productions.enums import ScenarioState
from productions.models import Scenario
from tests.productions.conftest import IN_PRODUCTION
from tests.productions.test_scolomfr import HOSTILE, SCHEMAS
from datetime import UTC

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
NS = {"o": OAI_NS, "oai_dc": scolomfr.OAI_DC, "dc": scolomfr.DC, "lom": scolomfr.LOM}
URL = "/oai/"
# One schema for whole answers: the envelope and both metadata formats (metadata is checked strictly).
RESPONSE_SCHEMA = etree.XMLSchema(etree.XML(f"""
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:traam:test:oai">
  <xs:import namespace="{OAI_NS}" schemaLocation="{(SCHEMAS / 'oai' / 'OAI-PMH.xsd').as_uri()}"/>
  <xs:import namespace="{scolomfr.OAI_DC}" schemaLocation="{(SCHEMAS / 'oai' / 'oai_dc.xsd').as_uri()}"/>
  <xs:import namespace="{scolomfr.LOM}" schemaLocation="{(SCHEMAS / 'scolomfr' / 'scolomfr.xsd').as_uri()}"/>
</xs:schema>""".encode()))


def harvest(client, method="get", **params):
    """The parsed answer, checked against the OAI-PMH schema and the protocol's HTTP conventions."""
    if method == "post":
        response = client.post(URL, urlencode(params, doseq=True), content_type="application/x-www-form-urlencoded")
    else:
        response = client.get(URL + "?" + urlencode(params, doseq=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert RESPONSE_SCHEMA.validate(root), RESPONSE_SCHEMA.error_log
    return root


def error_codes(root):
    return [error.get("code") for error in root.findall(f"{{{OAI_NS}}}error")]


def xp(root, path):
    return root.xpath(path, namespaces=NS)


def identifier(scenario):
    return f"oai:traam.education.gouv.fr:scenario/{scenario.slug}"


def publish_copy(group, number, moment, **fields):
    """A further published scenario (data for paging: the services are tested elsewhere)."""
    return Scenario.objects.create(
        group=group, slug=f"sequence-{number}", title=f"Séquence {number}", state=ScenarioState.PUBLISHED, published_at=moment,
        summary="Résumé.", **fields,
    )


START = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def catalogue(published_scenario, group, group_lyon, teacher_grenoble):
    """The published Grenoble scenario (Nov. 2026), unpublished ones of the same group (a
    draft written through the services, a draft and a validated one), and nine more published:
    five from Grenoble, four from Lyon, one a day from 4 January 2027."""
    Scenario.objects.filter(pk=published_scenario.pk).update(published_at=datetime.datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    written = services.create_scenario(group, acting_user=teacher_grenoble, title="Autre séquence", now=IN_PRODUCTION)
    draft = Scenario.objects.create(group=group, slug="brouillon", title="Brouillon", state=ScenarioState.DRAFT)
    validated = Scenario.objects.create(group=group_lyon, slug="validee", title="Validée", state=ScenarioState.VALIDATED)
    others = [publish_copy(group if n < 5 else group_lyon, n, START + datetime.timedelta(days=n)) for n in range(9)]
    return {"first": Scenario.objects.get(pk=published_scenario.pk), "draft": draft, "unpublished": [written, draft, validated],
            "others": others}


def test_identify(client, catalogue, settings):
    settings.DEFAULT_FROM_EMAIL = "Portail TraAM <ne-pas-repondre@traam.education.gouv.fr>"
    root = harvest(client, verb="Identify")
    assert xp(root, "string(o:Identify/o:repositoryName)") == "Portail TraAM — séquences pédagogiques"
    assert xp(root, "string(o:Identify/o:baseURL)") == "http://testserver/oai/"
    assert xp(root, "string(o:Identify/o:protocolVersion)") == "2.0"
    assert xp(root, "string(o:Identify/o:adminEmail)") == "ne-pas-repondre@traam.education.gouv.fr"
    assert xp(root, "string(o:Identify/o:earliestDatestamp)") == "2026-11-20T10:00:00Z"
    assert xp(root, "string(o:Identify/o:deletedRecord)") == "no"
    assert xp(root, "string(o:Identify/o:granularity)") == "YYYY-MM-DDThh:mm:ssZ"
    assert xp(root, "o:request/@verb") == ["Identify"]


def test_identify_by_post(client, catalogue):
    root = harvest(client, "post", verb="Identify")
    assert xp(root, "string(o:Identify/o:repositoryName)") == "Portail TraAM — séquences pédagogiques"


def test_identify_with_an_argument_is_bad_argument(client, db):
    root = harvest(client, verb="Identify", metadataPrefix="oai_dc")
    assert error_codes(root) == ["badArgument"]
    assert xp(root, "o:request/@*") == []  # a request not understood is echoed without arguments


@pytest.mark.parametrize("params", [{}, {"verb": "Harvest"}, {"verb": ["Identify", "Identify"]}])
def test_bad_verb(client, db, params):
    assert error_codes(harvest(client, **params)) == ["badVerb"]


def test_list_metadata_formats(client, catalogue):
    root = harvest(client, verb="ListMetadataFormats")
    assert xp(root, "o:ListMetadataFormats/o:metadataFormat/o:metadataPrefix/text()") == ["oai_dc", "scolomfr"]
    assert xp(root, "o:ListMetadataFormats/o:metadataFormat/o:metadataNamespace/text()") == [scolomfr.OAI_DC, scolomfr.LOM]
    root = harvest(client, verb="ListMetadataFormats", identifier=identifier(catalogue["first"]))
    assert len(xp(root, "o:ListMetadataFormats/o:metadataFormat")) == 2


def test_list_metadata_formats_of_unknown_or_unpublished(client, catalogue):
    for unknown in ("oai:traam.education.gouv.fr:scenario/inconnue", identifier(catalogue["draft"]), "oai:ailleurs.fr:scenario/x"):
        assert error_codes(harvest(client, verb="ListMetadataFormats", identifier=unknown)) == ["idDoesNotExist"]


def test_list_sets(client, catalogue):
    root = harvest(client, verb="ListSets")
    assert xp(root, "o:ListSets/o:set/o:setSpec/text()") == [
        "annee", "annee:2026-2027", "annee:2026-2027:discipline:mathematiques", "discipline", "discipline:mathematiques",
    ]
    assert xp(root, "o:ListSets/o:set[o:setSpec='annee:2026-2027']/o:setName/text()") == ["Année scolaire 2026-2027"]


def test_list_sets_without_published_scenario(client, db):
    assert error_codes(harvest(client, verb="ListSets")) == ["noSetHierarchy"]


def test_list_sets_refuses_a_token(client, catalogue):
    assert error_codes(harvest(client, verb="ListSets", resumptionToken="x")) == ["badResumptionToken"]


@pytest.mark.parametrize("prefix", ["oai_dc", "scolomfr"])
def test_get_record(client, catalogue, prefix):
    first = catalogue["first"]
    root = harvest(client, verb="GetRecord", identifier=identifier(first), metadataPrefix=prefix)
    assert xp(root, "string(o:GetRecord/o:record/o:header/o:identifier)") == identifier(first)
    assert xp(root, "string(o:GetRecord/o:record/o:header/o:datestamp)") == "2026-11-20T10:00:00Z"
    assert xp(root, "o:GetRecord/o:record/o:header/o:setSpec/text()") == [
        "annee:2026-2027", "annee:2026-2027:discipline:mathematiques", "discipline:mathematiques",
    ]
    title = "string(o:GetRecord/o:record/o:metadata/oai_dc:dc/dc:title)" if prefix == "oai_dc" else \
        "string(o:GetRecord/o:record/o:metadata/lom:lom/lom:general/lom:title/lom:string)"
    assert xp(root, title) == "Fractions en 6e"


def test_get_record_errors(client, catalogue):
    first = identifier(catalogue["first"])
    assert error_codes(harvest(client, verb="GetRecord", identifier=first)) == ["badArgument"]
    assert error_codes(harvest(client, verb="GetRecord", metadataPrefix="oai_dc")) == ["badArgument"]
    assert error_codes(harvest(client, verb="GetRecord", identifier=first, metadataPrefix="marc21")) == ["cannotDisseminateFormat"]
    assert error_codes(harvest(client, verb="GetRecord", identifier=first, metadataPrefix="oai dc")) == ["badArgument"]
    assert error_codes(harvest(client, verb="GetRecord", identifier=[first, first], metadataPrefix="oai_dc")) == ["badArgument"]
    assert error_codes(harvest(client, verb="GetRecord", identifier=first, metadataPrefix="oai_dc", set="annee")) == ["badArgument"]


@pytest.mark.parametrize("state", [s for s in ScenarioState.values if s != ScenarioState.PUBLISHED])
def test_get_record_of_an_unpublished_scenario(client, catalogue, state):
    Scenario.objects.filter(pk=catalogue["draft"].pk).update(state=state)
    root = harvest(client, verb="GetRecord", identifier=identifier(catalogue["draft"]), metadataPrefix="oai_dc")
    assert error_codes(root) == ["idDoesNotExist"]


def _all_pages(client, verb, **params):
    """Every page of a list, following the tokens; returns (identifiers, resumptionToken elements)."""
    root = harvest(client, verb=verb, **params)
    seen, tokens = [], []
    while True:
        seen += xp(root, f"o:{verb}//o:header/o:identifier/text()")
        token = xp(root, f"o:{verb}/o:resumptionToken")
        if not token:
            return seen, tokens
        tokens.append(token[0])
        if not token[0].text:
            return seen, tokens
        root = harvest(client, verb=verb, resumptionToken=token[0].text)


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_paging_through_more_than_one_page(client, catalogue, settings, verb):
    settings.TRAAM_OAI_PAGE_SIZE = 4
    seen, tokens = _all_pages(client, verb, metadataPrefix="scolomfr")
    expected = [identifier(catalogue["first"])] + [identifier(s) for s in catalogue["others"]]
    assert seen == expected  # ten records, published_at order, each once
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [("0", "10"), ("4", "10"), ("8", "10")]
    assert tokens[-1].text is None  # the last page closes the list with an empty token
    assert all(identifier(s) not in seen for s in catalogue["unpublished"])


def test_a_single_page_has_no_token(client, catalogue):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(xp(root, "o:ListIdentifiers/o:header")) == 10
    assert xp(root, "o:ListIdentifiers/o:resumptionToken") == []


def test_list_records_carry_valid_metadata_in_both_formats(client, catalogue):
    for prefix, path in (("oai_dc", "o:ListRecords/o:record/o:metadata/oai_dc:dc"), ("scolomfr", "o:ListRecords/o:record/o:metadata/lom:lom")):
        assert len(xp(harvest(client, verb="ListRecords", metadataPrefix=prefix), path)) == 10


def test_list_records_costs_a_fixed_number_of_queries(client, catalogue, settings, django_assert_max_num_queries):
    settings.TRAAM_OAI_PAGE_SIZE = 3
    with django_assert_max_num_queries(6):
        small = harvest(client, verb="ListRecords", metadataPrefix="scolomfr")
    settings.TRAAM_OAI_PAGE_SIZE = 50
    with django_assert_max_num_queries(6):
        large = harvest(client, verb="ListRecords", metadataPrefix="scolomfr")
    assert (len(xp(small, "//o:record")), len(xp(large, "//o:record"))) == (3, 10)


def test_from_and_until(client, catalogue):
    def listed(**params):
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return error_codes(root) or xp(root, "o:ListIdentifiers/o:header/o:identifier/text()")

    others = [identifier(s) for s in catalogue["others"]]
    assert listed(**{"from": "2027-01-06"}) == others[2:]
    assert listed(until="2027-01-05") == [identifier(catalogue["first"])] + others[:2]  # a day is inclusive
    assert listed(**{"from": "2027-01-05T08:00:00Z", "until": "2027-01-06T08:00:00Z"}) == others[1:3]
    assert listed(**{"from": "2027-01-05T08:00:01Z", "until": "2027-01-06T07:59:59Z"}) == ["noRecordsMatch"]
    assert listed(**{"from": "2030-01-01"}) == ["noRecordsMatch"]
    assert listed(**{"from": "2027-01-06", "until": "2027-01-05"}) == ["badArgument"]
    assert listed(**{"from": "2027-01-05", "until": "2027-01-06T08:00:00Z"}) == ["badArgument"]  # mixed granularity
    assert listed(**{"from": "05/01/2027"}) == ["badArgument"]
    assert listed(**{"from": "2027-01-05T08:00:00+01:00"}) == ["badArgument"]


def test_sets(client, catalogue, group_lyon):
    def listed(spec):
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        return error_codes(root) or len(xp(root, "o:ListIdentifiers/o:header"))

    assert listed("annee") == 10
    assert listed("annee:2026-2027") == 10
    assert listed("annee:2026-2027:discipline:mathematiques") == 10
    assert listed("discipline:mathematiques") == 10
    assert listed("annee:2031-2032") == ["noRecordsMatch"]
    assert listed("discipline:nsi") == ["noRecordsMatch"]
    assert listed("ailleurs:x") == ["noRecordsMatch"]
    assert listed("annee:") == ["badArgument"]


def test_list_arguments_errors(client, catalogue):
    def codes(**params):
        return error_codes(harvest(client, **params))

    assert codes(verb="ListRecords") == ["badArgument"]
    assert codes(verb="ListIdentifiers", metadataPrefix="marc21") == ["cannotDisseminateFormat"]
    assert codes(verb="ListRecords", metadataPrefix="oai_dc", identifier="x") == ["badArgument"]
    assert codes(verb="ListRecords", metadataPrefix=["oai_dc", "scolomfr"]) == ["badArgument"]


def test_list_with_nothing_published(client, db):
    assert error_codes(harvest(client, verb="ListRecords", metadataPrefix="oai_dc")) == ["noRecordsMatch"]


def _first_token(client, settings, verb="ListRecords"):
    settings.TRAAM_OAI_PAGE_SIZE = 4
    root = harvest(client, verb=verb, metadataPrefix="oai_dc")
    return xp(root, f"string(o:{verb}/o:resumptionToken)")


def test_token_is_exclusive(client, catalogue, settings):
    token = _first_token(client, settings)
    assert error_codes(harvest(client, verb="ListRecords", resumptionToken=token, metadataPrefix="oai_dc")) == ["badArgument"]


def test_tampered_token(client, catalogue, settings):
    token = _first_token(client, settings)
    assert error_codes(harvest(client, verb="ListRecords", resumptionToken=token[:-2] + "xx")) == ["badResumptionToken"]
    assert error_codes(harvest(client, verb="ListRecords", resumptionToken="n'importe quoi")) == ["badResumptionToken"]
    forged = signing.dumps({"v": "ListRecords", "p": "oai_dc"}, salt="autre chose", compress=True)
    assert error_codes(harvest(client, verb="ListRecords", resumptionToken=forged)) == ["badResumptionToken"]


def test_token_of_another_verb(client, catalogue, settings):
    token = _first_token(client, settings, verb="ListIdentifiers")
    assert error_codes(harvest(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]


def test_expired_token(client, catalogue, settings):
    token = _first_token(client, settings)
    settings.TRAAM_OAI_TOKEN_MAX_AGE = -1
    assert error_codes(harvest(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]


def test_token_is_stateless_and_keeps_the_request(client, catalogue, settings):
    settings.TRAAM_OAI_PAGE_SIZE = 2
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="annee:2026-2027", **{"from": "2027-01-05"})
    data = signing.loads(xp(root, "string(o:ListIdentifiers/o:resumptionToken)"), salt=oai.TOKEN_SALT)
    assert (data["v"], data["p"], data["s"], data["c"]) == ("ListIdentifiers", "oai_dc", "annee:2026-2027", 2)
    seen, _tokens = _all_pages(client, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2027-01-05"})
    assert seen == [identifier(s) for s in catalogue["others"][1:]]


def test_unpublished_never_listed(client, catalogue):
    for verb in ("ListIdentifiers", "ListRecords"):
        root = harvest(client, verb=verb, metadataPrefix="scolomfr")
        listed = xp(root, f"o:{verb}//o:header/o:identifier/text()")
        assert not {identifier(s) for s in catalogue["unpublished"]} & set(listed)
        assert len(listed) == 10


def test_hostile_text_in_records_and_arguments(client, catalogue):
    Scenario.objects.filter(pk=catalogue["first"].pk).update(title=HOSTILE, summary=HOSTILE, problem=HOSTILE)
    root = harvest(client, verb="GetRecord", identifier=identifier(catalogue["first"]), metadataPrefix="scolomfr")
    assert xp(root, "string(//lom:general/lom:title/lom:string)") == "<script>alert('x')</script> &  fin"
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert "<script>alert('x')</script> &  fin" in xp(root, "//dc:title/text()")
    # Hostile arguments are refused, and the answer stays valid (harvest checks it).
    assert error_codes(harvest(client, verb="GetRecord", identifier="<script>&\x01", metadataPrefix="oai_dc")) == ["badArgument"]
    assert error_codes(harvest(client, verb="<script>\x01")) == ["badVerb"]


def test_only_get_and_post(client, db):
    assert client.put(URL).status_code == 405
