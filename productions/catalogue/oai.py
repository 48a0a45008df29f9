"""OAI-PMH 2.0 data provider of the published scenarios, so that Édubase and
other catalogues harvest them (https://www.openarchives.org/OAI/openarchivesprotocol.html).

- Records: published scenarios only; an unpublished scenario does not exist for
  the protocol (``deletedRecord`` is ``no``: a scenario is never unpublished by
  the portal's workflow, and one removed by an administrator simply disappears).
- Identifiers ``oai:<TRAAM_OAI_REPOSITORY_IDENTIFIER>:scenario/<slug>``,
  datestamps = publication time (UTC, seconds).
- Formats ``oai_dc`` and ``scolomfr`` (``productions.catalogue.scolomfr``).
- Sets: ``annee``, ``annee:<année>`` (the call), ``annee:<année>:discipline:<code>``,
  ``discipline`` and ``discipline:<code>``.
- Lists are paged by ``TRAAM_OAI_PAGE_SIZE`` in (published_at, pk) order, with
  stateless resumption tokens signed by ``django.core.signing`` that carry the
  request and the last key seen; they expire after ``TRAAM_OAI_TOKEN_MAX_AGE``
  seconds. Each page costs a fixed number of queries."""

import datetime
import re
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core import signing
from django.db.models import Min, Prefetch, Q
from django.utils import timezone
from lxml import etree

from traam.models import ClassLevel, CrcnCompetence

from . import scolomfr
from .search import public_scenarios

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
REPOSITORY_NAME = "Portail TraAM — séquences pédagogiques"
TOKEN_SALT = "traam.oai.resumption"

FORMATS = {
    "oai_dc": (scolomfr.OAI_DC_SCHEMA_URL, scolomfr.OAI_DC, scolomfr.scenario_to_oai_dc),
    "scolomfr": (scolomfr.SCOLOMFR_SCHEMA_URL, scolomfr.LOM, scolomfr.scenario_to_scolomfr),
}
LIST_ARGUMENTS = {"metadataPrefix", "from", "until", "set"}
# verb → (required arguments, optional arguments); resumptionToken is exclusive where listed.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


# What the OAI-PMH schema accepts for the arguments the answer echoes.
SYNTAX = {
    "metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+"),
    "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*"),
    "identifier": re.compile(r"[^\s<>\"{}|\\^`]+"),
}


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def page_size() -> int:
    return max(1, int(getattr(settings, "TRAAM_OAI_PAGE_SIZE", 50)))


def token_max_age() -> int:
    return int(getattr(settings, "TRAAM_OAI_TOKEN_MAX_AGE", 24 * 3600))


def admin_email() -> str:
    address = getattr(settings, "TRAAM_OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    # DEFAULT_FROM_EMAIL may read « Portail TraAM <adresse> »: keep the address.
    return address.rsplit("<", 1)[-1].rstrip(">").strip()


# --- Queries ------------------------------------------------------------------------------------


def harvestable():
    """Published scenarios with everything a record shows, in harvest order."""
    return (
        public_scenarios()
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("class_levels", queryset=ClassLevel.objects.order_by("order", "name")),
            Prefetch("crcn_competences", queryset=CrcnCompetence.objects.select_related("domain").order_by("code")),
            "commons",
        )
        .order_by("published_at", "pk")
    )


def scenario_by_identifier(identifier):
    prefix = f"oai:{scolomfr.repository_identifier()}:scenario/"
    if not identifier.startswith(prefix):
        raise OAIError("idDoesNotExist", f"Identifiant inconnu : {identifier}")
    scenario = harvestable().filter(slug=identifier[len(prefix):]).first()
    if scenario is None:
        raise OAIError("idDoesNotExist", f"Identifiant inconnu : {identifier}")
    return scenario


def set_filter(spec):
    """The scenarios of a set, or None when no such set exists."""
    parts = spec.split(":")
    if parts == ["annee"] or parts == ["discipline"]:
        return Q()
    if len(parts) == 2 and parts[0] == "annee":
        return Q(group__call__year=parts[1])
    if len(parts) == 2 and parts[0] == "discipline":
        return Q(group__entry__discipline__code=parts[1])
    if len(parts) == 4 and parts[0] == "annee" and parts[2] == "discipline":
        return Q(group__call__year=parts[1], group__entry__discipline__code=parts[3])
    return None


def set_specs(scenario) -> list[str]:
    year, discipline = scenario.group.call.year, scenario.group.entry.discipline.code
    return [f"annee:{year}", f"annee:{year}:discipline:{discipline}", f"discipline:{discipline}"]


def all_sets() -> list[tuple[str, str]]:
    """Every set with at least one published scenario: (setSpec, setName)."""
    rows = (
        public_scenarios().prefetch_related(None)
        .values_list("group__call__year", "group__entry__discipline__code", "group__entry__discipline__name")
        .distinct().order_by("group__call__year", "group__entry__discipline__code")
    )
    years, disciplines, pairs = {}, {}, []
    for year, code, name in rows:
        years[year] = f"Année scolaire {year}"
        disciplines[code] = name
        pairs.append((f"annee:{year}:discipline:{code}", f"{name} — {year}"))
    sets = [("annee", "Par année scolaire"), *((f"annee:{y}", n) for y, n in years.items()), *pairs,
            ("discipline", "Par discipline"), *((f"discipline:{c}", n) for c, n in sorted(disciplines.items()))]
    return sets if years else []


# --- Arguments ----------------------------------------------------------------------------------


@dataclass
class ListRequest:
    prefix: str
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None  # exclusive
    set_spec: str | None = None
    cursor: int = 0
    after: tuple | None = None  # (published_at ISO, pk) of the last record sent


def parse_datestamp(value, name):
    """(moment, granularity) of a from/until argument; badArgument when malformed."""
    for pattern, granularity in (("%Y-%m-%d", "day"), ("%Y-%m-%dT%H:%M:%SZ", "seconds")):
        try:
            moment = datetime.datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        return moment, granularity
    raise OAIError("badArgument", f"L'argument {name} doit être une date AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ssZ.")


def list_request(arguments) -> ListRequest:
    prefix = arguments["metadataPrefix"]
    request = ListRequest(prefix=prefix, set_spec=arguments.get("set"))
    granularities = set()
    if "from" in arguments:
        request.start, granularity = parse_datestamp(arguments["from"], "from")
        granularities.add(granularity)
    if "until" in arguments:
        until, granularity = parse_datestamp(arguments["until"], "until")
        granularities.add(granularity)
        request.end = until + (datetime.timedelta(days=1) if granularity == "day" else datetime.timedelta(seconds=1))
    if len(granularities) > 1:
        raise OAIError("badArgument", "Les arguments from et until doivent avoir la même granularité.")
    if request.start and request.end and request.start >= request.end:
        raise OAIError("badArgument", "L'argument from est postérieur à until.")
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"Format de métadonnées non disponible : {prefix}")
    return request


def dump_token(verb, request: ListRequest, last) -> str:
    return signing.dumps({
        "v": verb, "p": request.prefix, "f": request.start and request.start.isoformat(),
        "u": request.end and request.end.isoformat(), "s": request.set_spec,
        "c": request.cursor, "a": [last.published_at.isoformat(), last.pk],
    }, salt=TOKEN_SALT, compress=True)


def load_token(verb, token) -> ListRequest:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=token_max_age())
        if data["v"] != verb or data["p"] not in FORMATS:
            raise ValueError
        return ListRequest(
            prefix=data["p"], start=data["f"] and datetime.datetime.fromisoformat(data["f"]),
            end=data["u"] and datetime.datetime.fromisoformat(data["u"]), set_spec=data["s"], cursor=int(data["c"]),
            after=(datetime.datetime.fromisoformat(data["a"][0]), int(data["a"][1])),
        )
    except (signing.BadSignature, ValueError, KeyError, TypeError, IndexError):
        raise OAIError("badResumptionToken", "Jeton de reprise invalide ou expiré.") from None


def check_arguments(params):
    """(verb, {argument: value}) from the request's QueryDict, or OAIError
    (badVerb, badArgument) as the protocol says."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "Verbe absent, répété ou inconnu.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    arguments = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if name not in required | optional:
            raise OAIError("badArgument", f"Argument non permis pour {verb} : {name}")
        if len(values) != 1:
            raise OAIError("badArgument", f"Argument répété : {name}")
        arguments[name] = values[0]
    for name, pattern in SYNTAX.items():
        if name in arguments and not pattern.fullmatch(arguments[name]):
            raise OAIError("badArgument", f"Valeur non valide pour {name}.")
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", "Le jeton de reprise exclut tout autre argument.")
        return verb, arguments
    missing = required - arguments.keys()
    if missing:
        raise OAIError("badArgument", "Argument manquant : " + ", ".join(sorted(missing)))
    return verb, arguments


# --- Responses ----------------------------------------------------------------------------------


def _sub(parent, tag, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{OAI}}}{tag}", **attributes)
    if text is not None:
        element.text = scolomfr.clean(text)
    return element


def envelope(base_url, verb=None, arguments=None):
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA_URL}")
    _sub(root, "responseDate", scolomfr.datestamp(timezone.now()))
    request = _sub(root, "request", base_url)
    if verb:  # badVerb and badArgument answers echo no argument
        request.set("verb", verb)
        for name, value in (arguments or {}).items():
            request.set(name, scolomfr.clean(value))
    return root


def header(parent, scenario):
    element = _sub(parent, "header")
    _sub(element, "identifier", scolomfr.oai_identifier(scenario))
    _sub(element, "datestamp", scolomfr.datestamp(scenario.published_at))
    for spec in set_specs(scenario):
        _sub(element, "setSpec", spec)
    return element


def record(parent, scenario, prefix):
    element = _sub(parent, "record")
    header(element, scenario)
    _sub(element, "metadata").append(FORMATS[prefix][2](scenario))


def identify(root, base_url):
    earliest = public_scenarios().prefetch_related(None).aggregate(first=Min("published_at"))["first"] or timezone.now()
    element = _sub(root, "Identify")
    _sub(element, "repositoryName", REPOSITORY_NAME)
    _sub(element, "baseURL", base_url)
    _sub(element, "protocolVersion", "2.0")
    _sub(element, "adminEmail", admin_email())
    _sub(element, "earliestDatestamp", scolomfr.datestamp(earliest))
    _sub(element, "deletedRecord", "no")
    _sub(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def list_metadata_formats(root, arguments):
    if "identifier" in arguments:
        scenario_by_identifier(arguments["identifier"])
    element = _sub(root, "ListMetadataFormats")
    for prefix, (schema, namespace, _build) in FORMATS.items():
        metadata_format = _sub(element, "metadataFormat")
        _sub(metadata_format, "metadataPrefix", prefix)
        _sub(metadata_format, "schema", schema)
        _sub(metadata_format, "metadataNamespace", namespace)


def list_sets(root, arguments):
    if "resumptionToken" in arguments:  # the list of sets always fits in one answer
        raise OAIError("badResumptionToken", "Jeton de reprise invalide ou expiré.")
    sets = all_sets()
    if not sets:
        raise OAIError("noSetHierarchy", "Aucune séquence publiée : pas encore d'ensembles.")
    element = _sub(root, "ListSets")
    for spec, name in sets:
        item = _sub(element, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)


def get_record(root, arguments):
    prefix = arguments["metadataPrefix"]
    scenario = scenario_by_identifier(arguments["identifier"])
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"Format de métadonnées non disponible : {prefix}")
    record(_sub(root, "GetRecord"), scenario, prefix)


def list_items(root, verb, arguments):
    if "resumptionToken" in arguments:
        request = load_token(verb, arguments["resumptionToken"])
    else:
        request = list_request(arguments)
    queryset = harvestable()
    if request.set_spec is not None:
        condition = set_filter(request.set_spec)
        if condition is None:
            raise OAIError("noRecordsMatch", "Aucun enregistrement ne correspond à cette demande.")
        queryset = queryset.filter(condition)
    if request.start:
        queryset = queryset.filter(published_at__gte=request.start)
    if request.end:
        queryset = queryset.filter(published_at__lt=request.end)
    total = queryset.count()
    page = queryset
    if request.after:
        moment, pk = request.after
        page = page.filter(Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk))
    size = page_size()
    scenarios = list(page[: size + 1])
    if not scenarios:
        if request.after:  # the list shrank since the token was given
            raise OAIError("badResumptionToken", "Jeton de reprise invalide ou expiré.")
        raise OAIError("noRecordsMatch", "Aucun enregistrement ne correspond à cette demande.")
    more = len(scenarios) > size
    scenarios = scenarios[:size]
    element = _sub(root, verb)
    for scenario in scenarios:
        if verb == "ListIdentifiers":
            header(element, scenario)
        else:
            record(element, scenario, request.prefix)
    if request.after or more:
        attributes = {"completeListSize": str(total), "cursor": str(request.cursor)}
        if more:
            following = ListRequest(**{**request.__dict__, "cursor": request.cursor + len(scenarios)})
            expires = timezone.now() + datetime.timedelta(seconds=token_max_age())
            attributes["expirationDate"] = scolomfr.datestamp(expires)
            _sub(element, "resumptionToken", dump_token(verb, following, scenarios[-1]), **attributes)
        else:  # the last part of an incomplete list: an empty token closes it
            _sub(element, "resumptionToken", **attributes)


def respond(params, base_url) -> bytes:
    """The OAI-PMH answer (XML bytes) to a request's parameters (GET or POST QueryDict)."""
    verb, arguments = None, {}
    try:
        verb, arguments = check_arguments(params)
        root = envelope(base_url, verb, arguments)
        if verb == "Identify":
            identify(root, base_url)
        elif verb == "ListMetadataFormats":
            list_metadata_formats(root, arguments)
        elif verb == "ListSets":
            list_sets(root, arguments)
        elif verb == "GetRecord":
            get_record(root, arguments)
        else:
            list_items(root, verb, arguments)
    except OAIError as error:
        # badVerb and badArgument answers echo no argument (the request was not understood).
        understood = error.code not in ("badVerb", "badArgument")
        root = envelope(base_url, verb if understood else None, arguments if understood else None)
        _sub(root, "error", error.message, code=error.code)
    return _serialize(root)


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
