"""Metadata of a published scenario for the catalogues that index it (Édubase
and others): a ScoLOMFR record (the French application profile of IEEE LOM,
through LOM-FR) and a simple Dublin Core record (``oai_dc``), as lxml elements.

Which field goes where, and which vocabulary identifier it carries, is in
``MAPPING`` and the tables below it (documented in ``docs/scolomfr.md``). The
records name the academic group and its academy (vCard ORG) and the ministry
(DNE) as publisher, never a teacher: people's names and addresses stay in the
portal.

The schemas the output is checked against are the official ScoLOMFR XSD
package kept in ``tests/schemas/scolomfr/`` (see its README)."""

import re
from datetime import UTC

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from lxml import etree

from candidatures.enums import AIUsage

from ..licences import info as licence_info

LOM = "http://ltsc.ieee.org/xsd/LOM"
LOMFR = "http://www.lom-fr.fr/xsd/LOMFR"
SCOLOMFR = "http://www.lom-fr.fr/xsd/SCOLOMFR"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {None: LOM, "lomfr": LOMFR, "scolomfr": SCOLOMFR, "xsi": XSI}
DC_NSMAP = {"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}

# Where the schemas live for a harvester (xsi:schemaLocation, ListMetadataFormats).
SCOLOMFR_SCHEMA_URL = getattr(
    settings, "TRAAM_SCOLOMFR_SCHEMA_URL", "http://www.lom-fr.fr/scolomfr/fileadmin/user_upload/xsd/scolomfrv3.0/scolomfr.xsd",
)
OAI_DC_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

LANGUAGE = "fre"  # ISO 639-2/B, as LOM-FR records write French
SOURCE = "SCOLOMFRv3.0"  # the <source> of every ScoLOMFR vocabulary value
CONCEPT = "http://data.education.fr/voc/scolomfr/concept/"
VOCABULARY = "http://data.education.fr/voc/scolomfr/"
PUBLISHER = "Ministère de l'Éducation nationale — Direction du numérique pour l'éducation (DNE)"
CATALOG = "URI"

# --- The mapping (one table; docs/scolomfr.md shows it) ------------------------------------------
# element (LOM number), ScoLOMFR vocabulary, value written, label written, where it comes from.
MAPPING = (
    ("1.1 general/identifier", None, "adresse publique /catalogue/<slug>/ (catalog URI); adresse Édubase si publiée", None, "slug, edubase_url"),
    ("1.2 general/title", None, "titre", None, "Scenario.title"),
    ("1.3 general/language", None, LANGUAGE, None, "—"),
    ("1.4 general/description", None, "résumé, puis problématique", None, "summary, problem"),
    ("1.5 general/keyword", None, "discipline, niveaux, communs numériques, outils numériques (une ligne = un mot clé)", None,
     "entry.discipline, class_levels, commons, digital_tools"),
    ("2.2 lifeCycle/status", "scolomfr-voc-002", CONCEPT + "final", "final", "état publiée"),
    ("2.3 lifeCycle/contribute (auteur)", "scolomfr-voc-003", CONCEPT + "author", "auteur",
     "le groupe de travail académique et son académie (vCard ORG), date de publication"),
    ("2.3 lifeCycle/contribute (éditeur)", "scolomfr-voc-003", CONCEPT + "publisher", "éditeur", "le ministère (DNE), vCard ORG"),
    ("3.1 metaMetadata/identifier", None, "identifiant OAI oai:<hôte>:scenario/<slug>", None, "slug"),
    ("3.2 metaMetadata/contribute", "scolomfr-voc-013", CONCEPT + "creator", "créateur", "le portail TraAM (DNE)"),
    ("3.3 metaMetadata/metadataSchema", None, "LOMv1.0, LOMFRv1.0, SCOLOMFRv3.0", None, "—"),
    ("4.1 technical/format", None, "text/html", None, "la page publique"),
    ("4.3 technical/location", None, "adresse publique", None, "slug"),
    ("5.2 educational/learningResourceType", "scolomfr-voc-010", "séquence pédagogique", "séquence pédagogique", "—"),
    ("5.5 educational/intendedEndUserRole", "scolomfr-voc-011", CONCEPT + "teacher", "enseignant", "—"),
    ("5.6 educational/context", "scolomfr-voc-012", "voir CONTEXTS", None, "class_levels"),
    ("5.9 educational/typicalLearningTime", None, "durée ISO 8601 (séances × minutes)", None, "sessions, session_minutes"),
    ("5.10 educational/description", None, "compétences disciplinaires, outils, communs, usage de l'IA, écran", None,
     "disciplinary_competences, digital_tools, commons, ai_usage, ai_tools, with_screen"),
    ("6.1 rights/cost", "scolomfr-voc-026", CONCEPT + "no", "non", "—"),
    ("6.2 rights/copyrightAndOtherRestrictions", "scolomfr-voc-027", CONCEPT + "yes_2", "oui", "—"),
    ("6.3 rights/description", None, "licence (nom court, SPDX, adresse)", None, "Scenario.licence"),
    ("9 classification (discipline)", "scolomfr-voc-028 / scolomfr-voc-015", CONCEPT + "discipline", "discipline", "entry.discipline"),
    ("9 classification (niveau)", "scolomfr-voc-028 / scolomfr-voc-022", CONCEPT + "educational_level", "niveau éducatif détaillé",
     "class_levels"),
    ("9 classification (compétences)", "scolomfr-voc-028 / CRCN", CONCEPT + "competency", "compétence", "crcn_competences"),
)

STATUS = (CONCEPT + "final", "final")
ROLE_AUTHOR = (CONCEPT + "author", "auteur")
ROLE_PUBLISHER = (CONCEPT + "publisher", "éditeur")
ROLE_META_CREATOR = (CONCEPT + "creator", "créateur")
# No concept URI for "séquence pédagogique" was found in the material consulted; the
# official value list accepts its preferred label, written as the value.
LEARNING_RESOURCE_TYPE = ("séquence pédagogique", "séquence pédagogique")
END_USER = (CONCEPT + "teacher", "enseignant")
COST = (CONCEPT + "no", "non")
COPYRIGHT = (CONCEPT + "yes_2", "oui")
PURPOSE_DISCIPLINE = (CONCEPT + "discipline", "discipline")
PURPOSE_LEVEL = (CONCEPT + "educational_level", "niveau éducatif détaillé")
PURPOSE_COMPETENCY = (CONCEPT + "competency", "compétence")

# ClassLevel.code → 5.6 context (scolomfr-voc-012).
CONTEXTS = {
    "ecole": (CONCEPT + "school", "enseignement scolaire"),
    "college": (CONCEPT + "school", "enseignement scolaire"),
    "lycee-gt": (CONCEPT + "school", "enseignement scolaire"),
    "lycee-pro": (CONCEPT + "school", "enseignement scolaire"),
    "post-bac": (CONCEPT + "higher_education", "enseignement supérieur"),
}
# ClassLevel.code → taxon of scolomfr-voc-022 (niveau éducatif détaillé): (concept id or None, label).
# None where the identifier could not be confirmed: the taxon then carries its label only.
LEVELS = {
    "ecole": (None, "école"),
    "college": ("scolomfr-voc-022-num-016", "collège"),
    "lycee-gt": ("scolomfr-voc-022-num-024", "lycée"),
    "lycee-pro": ("scolomfr-voc-022-num-087", "lycée professionnel"),
    "post-bac": (None, "post-baccalauréat"),
}
# Discipline.code → taxon of scolomfr-voc-015 (domaine d'enseignement), under its parent concept.
DISCIPLINE_PARENT = ("scolomfr-voc-015-num-008", "domaines d'enseignement du second degré")
DISCIPLINES = {
    "histoire-geographie": ("scolomfr-voc-015-num-042", "histoire et géographie"),
}
# No CRCN vocabulary exists in the ScoLOMFR material consulted: the competences are classified
# under this source, the domain then the competence, their CRCN codes as identifiers.
CRCN_SOURCE = "CRCN — Cadre de référence des compétences numériques"

# Characters XML 1.0 forbids (C0 controls except tab, LF, CR; surrogates; U+FFFE/FFFF).
_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text) -> str:
    """``text`` as a string XML 1.0 can hold: forbidden characters removed."""
    return _FORBIDDEN.sub("", str(text or ""))


def concept(identifier) -> str:
    return CONCEPT + identifier


def public_path(scenario) -> str:
    """The scenario's public page in the catalogue (``/catalogue/<slug>/``)."""
    try:
        return reverse("catalogue:scenario", kwargs={"slug": scenario.slug})
    except NoReverseMatch:  # the catalogue's pages are not mounted: same address, built here
        return f"/catalogue/{scenario.slug}/"


def absolute(path) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def public_url(scenario) -> str:
    return absolute(public_path(scenario))


def oai_identifier(scenario) -> str:
    return f"oai:{repository_identifier()}:scenario/{scenario.slug}"


def repository_identifier() -> str:
    return getattr(settings, "TRAAM_OAI_REPOSITORY_IDENTIFIER", "traam.education.gouv.fr")


def datestamp(moment) -> str:
    """OAI datestamp, seconds granularity, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def lom_datetime(moment) -> str:
    # The LOM DateTime pattern only accepts a time zone after fractional seconds.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0Z")


def _vcard_value(text) -> str:
    return clean(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r", "").replace("\n", "\\n")


def vcard(name, *organisation) -> str:
    """A vCard 3.0 naming an organisation (FN and ORG), never a person."""
    org = ";".join(_vcard_value(unit) for unit in organisation)
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{_vcard_value(name)}\nORG:{org}\nEND:VCARD"


def group_label(group) -> str:
    return f"Groupe de travail académique TraAM {group.entry.name} — académie de {group.academy.name}"


def keywords(scenario) -> list[str]:
    words = [scenario.group.entry.discipline.name, *(level.name for level in scenario.class_levels.all()),
             *(common.name for common in scenario.commons.all())]
    words += [line.strip(" -•\t") for line in clean(scenario.digital_tools).splitlines()]
    seen, result = set(), []
    for word in words:
        word = clean(word).strip()
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            result.append(word)
    return result


def educational_description(scenario) -> list[str]:
    parts = []
    if scenario.disciplinary_competences:
        parts.append(f"Compétences disciplinaires : {scenario.disciplinary_competences}")
    if scenario.digital_tools:
        parts.append(f"Outils numériques : {scenario.digital_tools}")
    commons = ", ".join(common.name for common in scenario.commons.all())
    if commons:
        parts.append(f"Communs numériques : {commons}")
    if scenario.ai_usage:
        usage = f"Usage de l'intelligence artificielle : {AIUsage(scenario.ai_usage).label}"
        if scenario.ai_tools:
            usage += f" ({scenario.ai_tools})"
        parts.append(usage)
    parts.append("Séquence avec écran." if scenario.with_screen else "Séquence sans écran.")
    return [clean(part) for part in parts]


def duration(scenario) -> str | None:
    minutes = scenario.total_minutes
    if not minutes:
        return None
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


# --- ScoLOMFR ---------------------------------------------------------------------------------


def _sub(parent, tag, text=None, ns=LOM, **attributes):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", **attributes)
    if text is not None:
        element.text = clean(text)
    return element


def _langstring(parent, tag, text, ns=LOM):
    element = _sub(parent, tag, ns=ns)
    _sub(element, "string", text, language=LANGUAGE)
    return element


def _vocab(parent, tag, value_label, ns=LOM):
    value, label = value_label
    element = _sub(parent, tag, ns=ns)
    _sub(element, "source", SOURCE)
    _sub(element, "value", value)
    _sub(element, "label", label)
    return element


def _contribute(parent, role, entity, moment):
    contribute = _sub(parent, "contribute")
    _vocab(contribute, "role", role)
    _sub(contribute, "entity", entity)
    if moment:
        _sub(_sub(contribute, "date"), "dateTime", lom_datetime(moment))
    return contribute


def _classification(parent, purpose, source, taxons):
    classification = _sub(parent, "classification")
    _vocab(classification, "purpose", purpose)
    path = _sub(classification, "taxonPath")
    _langstring(path, "source", source)
    for identifier, label in taxons:
        taxon = _sub(path, "taxon")
        if identifier:
            _sub(taxon, "id", identifier)
        _langstring(taxon, "entry", label)
    return classification


def scenario_to_scolomfr(scenario):
    """The ScoLOMFR (LOM-FR) record of a published scenario, as an lxml element
    ``<lom>`` in the LOM namespace."""
    group = scenario.group
    lom = etree.Element(f"{{{LOM}}}lom", nsmap=NSMAP)
    lom.set(f"{{{XSI}}}schemaLocation", f"{LOM} {SCOLOMFR_SCHEMA_URL}")

    general = _sub(lom, "general")
    identifier = _sub(general, "identifier")
    _sub(identifier, "catalog", CATALOG)
    _sub(identifier, "entry", public_url(scenario))
    if scenario.edubase_url:
        identifier = _sub(general, "identifier")
        _sub(identifier, "catalog", "Édubase")
        _sub(identifier, "entry", scenario.edubase_url)
    _langstring(general, "title", scenario.title)
    _sub(general, "language", LANGUAGE)
    for text in (scenario.summary, scenario.problem and f"Problématique : {scenario.problem}"):
        if text:
            _langstring(general, "description", text)
    for word in keywords(scenario):
        _langstring(general, "keyword", word)

    life_cycle = _sub(lom, "lifeCycle")
    _vocab(life_cycle, "status", STATUS)
    _contribute(life_cycle, ROLE_AUTHOR,
                vcard(group_label(group), f"Académie de {group.academy.name}", group_label(group)), scenario.published_at)
    _contribute(life_cycle, ROLE_PUBLISHER, vcard(PUBLISHER, PUBLISHER), scenario.published_at)

    meta = _sub(lom, "metaMetadata")
    identifier = _sub(meta, "identifier")
    _sub(identifier, "catalog", "OAI")
    _sub(identifier, "entry", oai_identifier(scenario))
    contribute = _sub(meta, "contribute")
    _vocab(contribute, "role", ROLE_META_CREATOR)
    _sub(contribute, "entity", vcard("Portail TraAM", PUBLISHER, "Portail TraAM"))
    _sub(_sub(contribute, "date"), "dateTime", lom_datetime(scenario.published_at))
    for schema in ("LOMv1.0", "LOMFRv1.0", SOURCE):
        _sub(meta, "metadataSchema", schema)
    _sub(meta, "language", LANGUAGE)

    technical = _sub(lom, "technical")
    _sub(technical, "format", "text/html")
    _sub(technical, "location", public_url(scenario))

    levels = list(scenario.class_levels.all())
    educational = _sub(lom, "educational")
    _vocab(educational, "learningResourceType", LEARNING_RESOURCE_TYPE)
    _vocab(educational, "intendedEndUserRole", END_USER)
    for context in dict.fromkeys(CONTEXTS[level.code] for level in levels if level.code in CONTEXTS):
        _vocab(educational, "context", context)
    iso_duration = duration(scenario)
    if iso_duration:
        learning_time = _sub(educational, "typicalLearningTime")
        _sub(learning_time, "duration", iso_duration)
        _langstring(learning_time, "description", f"{scenario.sessions} séance(s) de {scenario.session_minutes} minutes")
    for text in educational_description(scenario):
        _langstring(educational, "description", text)
    _sub(educational, "language", LANGUAGE)

    licence = licence_info(scenario.licence)
    rights = _sub(lom, "rights")
    _vocab(rights, "cost", COST)
    _vocab(rights, "copyrightAndOtherRestrictions", COPYRIGHT)
    _langstring(rights, "description", f"{licence.short} ({licence.spdx}) — {licence.url}")

    discipline = group.entry.discipline
    known = DISCIPLINES.get(discipline.code)
    discipline_taxon = (concept(known[0]), known[1]) if known else (None, discipline.name)
    _classification(lom, PURPOSE_DISCIPLINE, VOCABULARY + "scolomfr-voc-015",
                    [(concept(DISCIPLINE_PARENT[0]), DISCIPLINE_PARENT[1]), discipline_taxon])
    for level in levels:
        identifier, label = LEVELS.get(level.code, (None, level.name))
        _classification(lom, PURPOSE_LEVEL, VOCABULARY + "scolomfr-voc-022", [(identifier and concept(identifier), label)])
    for competence in scenario.crcn_competences.all():
        domain = competence.domain
        _classification(lom, PURPOSE_COMPETENCY, CRCN_SOURCE,
                        [(f"crcn-domaine-{domain.number}", f"{domain.number}. {domain.name}"),
                         (f"crcn-{competence.code}", f"{competence.code} {competence.name}")])
    return lom


def scenario_to_scolomfr_bytes(scenario) -> bytes:
    return etree.tostring(scenario_to_scolomfr(scenario), xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- Dublin Core (oai_dc) ---------------------------------------------------------------------


def scenario_to_oai_dc(scenario):
    """The simple Dublin Core record (``oai_dc:dc``) every OAI-PMH harvester reads."""
    group = scenario.group
    dc = etree.Element(f"{{{OAI_DC}}}dc", nsmap=DC_NSMAP)
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {OAI_DC_SCHEMA_URL}")

    def add(tag, text):
        if text:
            element = etree.SubElement(dc, f"{{{DC}}}{tag}")
            element.text = clean(text)

    add("title", scenario.title)
    add("creator", group_label(group))
    add("subject", group.entry.discipline.name)
    for level in scenario.class_levels.all():
        add("subject", level.name)
    for competence in scenario.crcn_competences.all():
        add("subject", f"CRCN {competence.code} {competence.name}")
    add("description", scenario.summary)
    add("description", scenario.problem and f"Problématique : {scenario.problem}")
    add("publisher", PUBLISHER)
    add("contributor", f"Académie de {group.academy.name}")
    add("date", scenario.published_at.astimezone(UTC).strftime("%Y-%m-%d"))
    add("type", "séquence pédagogique")
    add("type", "Text")
    add("format", "text/html")
    add("identifier", public_url(scenario))
    add("identifier", scenario.edubase_url)
    add("language", LANGUAGE)
    licence = licence_info(scenario.licence)
    add("rights", f"{licence.short} — {licence.url}")
    return dc
