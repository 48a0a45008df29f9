"""Demo of the national selection (DESIGN.md demo contract), played through the
services on whatever proposals ``candidatures.demo`` sent to the DNE.

- 2026-2027, as it stood in November 2026: the default grid; every entry with
  proposals is assigned to the reviewers of its discipline (the two demo
  reviewers in mathematics and NSI, background reviewers elsewhere, some of them
  from an academy whose proposals they are therefore not given); every review
  is submitted; the pilot selects the best-ranked proposals up to the seats
  (none scored under 10 out of 20), writes the reason of every empty seat and publishes the results on 15 June
  2026. The audit trail carries those dates.
- The open demo call: reviews in progress in mathematics and NSI (one submitted,
  drafts, one not started, one conflict of interest declared), nothing selected.
  If ``candidatures.demo`` sent nothing to the DNE in that call, Nantes and
  Versailles send their syntheses here first (not Grenoble and Lyon, whose DANs
  send theirs live).

Scores are not random: each proposal's level derives from its title and its
priority in the academy's synthesis, so the data is the same on every machine;
the first priority of a demo teacher is among the best.

Background people (reviewers, and the people of the academies that send in the
open call when nobody plays the part yet) have no usable password."""

import datetime
import hashlib
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max

from candidatures import services as proposals
from candidatures.enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from candidatures.models import AcademicSynthesis, Proposal
from candidatures.validators import uai_check_letter
from traam.demo import DEMO_CALL_YEAR
from traam.enums import Role
from traam.models import PARIS, Academy, AuditEntry, Call, ClassLevel, DigitalCommon, Discipline, Entry, RoleAssignment, Theme, User

from . import services
from .enums import Recommendation
from .models import Publication, Review, ReviewAssignment, ScoringGrid
from .ranking import rank_entry, review_score
from .selectors import reviewers_for

YEAR = "2026-2027"
PILOT = "pilote@demo.traam.example"
IGESR = "igesr.maths@demo.traam.example"
EXPERT = "expert.tn3@demo.traam.example"


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


GRID_READY = paris(2026, 4, 2, 9, 30)
ASSIGNED = paris(2026, 4, 7, 9, 0)
FIRST_REVIEW = paris(2026, 4, 20, 18, 0)
SELECTED_ON = paris(2026, 6, 10, 15, 0)
PUBLISHED = paris(2026, 6, 15, 10, 0)

# Reviewers beside the two demo accounts: first name, last name, e-mail, home
# academy (None: national, no conflict anywhere), disciplines.
REVIEWERS = [
    ("Didier", "Roche", "didier.roche@ac-lille.example", "lille", ["mathematiques"]),
    ("Sophie", "Garnier", "sophie.garnier@igesr.example", None, ["nsi"]),
    ("Françoise", "Aubert", "francoise.aubert@igesr.example", None, ["histoire-geographie"]),
    ("Karim", "Saïdi", "karim.saidi@ac-bordeaux.example", "bordeaux", ["histoire-geographie"]),
    ("Marianne", "Leclerc", "marianne.leclerc@igesr.example", None, ["lettres"]),
    ("Thomas", "Nguyen", "thomas.nguyen@ac-creteil.example", "creteil", ["lettres"]),
    ("Bernard", "Morin", "bernard.morin@igesr.example", None, ["svt"]),
    ("Aurélie", "Petitjean", "aurelie.petitjean@ac-montpellier.example", "montpellier", ["svt"]),
]

COMMENTS = {
    Recommendation.PRIORITY: [
        "Projet remarquable, en pleine adéquation avec la thématique ; équipe solide et démarche très transférable.",
        "Un projet moteur pour la discipline : objectifs clairs, usage raisonné du numérique, productions attendues bien identifiées.",
    ],
    Recommendation.SELECT: [
        "Projet solide et bien construit ; quelques points à préciser pour la phase de production.",
        "Bonne adéquation à la thématique ; la place des communs numériques pourrait être renforcée.",
        "Démarche cohérente et équipe engagée ; les compétences du CRCN visées gagneraient à être explicitées.",
    ],
    Recommendation.RESERVED: [
        "Projet intéressant, mais la démarche pédagogique et le calendrier restent à préciser.",
        "Les compétences du CRCN visées sont peu explicites et la transférabilité des scénarios n'est pas démontrée.",
    ],
    Recommendation.REJECT: [
        "Le lien avec la thématique n'est pas établi ; le projet gagnerait à être retravaillé pour un prochain appel.",
        "Projet trop peu détaillé pour juger des productions attendues.",
    ],
}


def _byte(*parts) -> int:
    """A stable number 0..255 from the parts (the same on every machine, unlike ``hash``)."""
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()[0]


def person(first_name, last_name, email):
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first_name, "last_name": last_name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def ensure_reviewers():
    for first_name, last_name, email, academy_code, discipline_codes in REVIEWERS:
        user = person(first_name, last_name, email)
        academy = Academy.objects.get(code=academy_code) if academy_code else None
        assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=Role.REVIEWER, academy=academy, region=None)
        assignment.disciplines.add(*Discipline.objects.filter(code__in=discipline_codes))


def ensure_reviewer_for(discipline):
    """A background reviewer for a discipline nobody reviews (entries the demo may add later)."""
    if RoleAssignment.objects.filter(role=Role.REVIEWER, disciplines=discipline).exists():
        return
    user = person("Évaluation", discipline.name[:150], f"evaluation.{discipline.code}@dne.example")
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=Role.REVIEWER, academy=None, region=None)
    assignment.disciplines.add(discipline)


# --- Scores ------------------------------------------------------------------------------


def level(proposal) -> float:
    """How good the demo says the proposal is, on the 0..4 scale."""
    item = getattr(proposal, "synthesis_item", None)
    priority = item.priority if item else 9
    if priority == 1 and proposal.lead.email.endswith("@demo.traam.example"):
        return 3.6
    return min(3.6, 1.5 + _byte(proposal.title) / 255 * 1.9 + {1: 0.4, 2: 0.1}.get(priority, -0.2))


def marks(proposal, reviewer, criteria) -> list[int]:
    """One reviewer's values: the proposal's level, the reviewer's severity (−0.3,
    0 or +0.3) and a criterion-by-criterion nuance."""
    severity = (_byte(reviewer.email) % 3 - 1) * 0.3
    values = []
    for criterion in criteria:
        nuance = (_byte(proposal.title, reviewer.email, criterion.order) % 3 - 1) * 0.6
        values.append(max(criterion.scale_min, min(criterion.scale_max, round(level(proposal) + severity + nuance))))
    return values


def recommendation_for(score) -> str:
    if score >= 16:
        return Recommendation.PRIORITY
    if score >= 12:
        return Recommendation.SELECT
    if score >= 9:
        return Recommendation.RESERVED
    return Recommendation.REJECT


def write_review(assignment, criteria, *, submit, now=None, partial=None):
    proposal, reviewer = assignment.proposal, assignment.reviewer
    values = marks(proposal, reviewer, criteria)[:partial]
    score = review_score((c.weight, v, c.scale_min, c.scale_max) for c, v in zip(criteria, values))
    recommendation = recommendation_for(score)
    bank = COMMENTS[recommendation]
    comment = bank[_byte(proposal.title, reviewer.email) % len(bank)]
    scores = {criterion.pk: value for criterion, value in zip(criteria, values)}
    if submit:
        return services.submit_review(assignment, acting_user=reviewer, scores=scores, comment=comment, recommendation=recommendation, now=now)
    return services.save_review(assignment, acting_user=reviewer, scores=scores, comment=comment if partial is None else "")


# --- 2026-2027 -----------------------------------------------------------------------------


# The pilot does not select a proposal its reviewers scored under this (out of 20).
SELECTION_THRESHOLD = 10


def empty_seat_reason(sent, selected, seats):
    if sent == 0:
        return "Aucune candidature n'a été transmise par les académies pour cette discipline."
    if selected == sent:
        if sent == 1:
            return "Une seule candidature a été transmise par les académies ; elle est sélectionnée."
        return f"{sent} candidatures seulement ont été transmises par les académies pour {seats} places ; toutes sont sélectionnées."
    kept = "aucune n'atteint" if selected == 0 else ("une seule atteint" if selected == 1 else f"{selected} seulement atteignent")
    return f"{sent} candidatures transmises pour {seats} places : {kept} le niveau attendu par les évaluateurs (10 sur 20)."


def seed_past_call(users):
    """Grid, assignments, reviews, selection and publication of 2026-2027."""
    call = Call.objects.get(year=YEAR)
    if Publication.objects.filter(call=call).exists():
        return
    sent = Proposal.objects.filter(theme__entry__call=call, state=ProposalState.SENT)
    if not sent.exists():
        return  # nothing reached the DNE: nothing to select
    pilot = users[PILOT]
    mark = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    ensure_reviewers()

    grid = services.ensure_grid(call, acting_user=pilot)
    criteria = list(grid.criteria.order_by("order", "pk"))
    entries = list(Entry.objects.filter(call=call).select_related("discipline").order_by("order", "pk"))
    with_proposals = set(sent.values_list("theme__entry_id", flat=True))
    for entry in entries:
        if entry.pk in with_proposals:
            ensure_reviewer_for(entry.discipline)
            for reviewer in reviewers_for(entry):
                services.assign_entry(entry, reviewer, acting_user=pilot, now=ASSIGNED)
    assignments = ReviewAssignment.objects.filter(proposal__theme__entry__call=call).select_related(
        "proposal__synthesis_item", "proposal__lead", "reviewer"
    ).order_by("proposal__theme__entry__order", "proposal__pk", "reviewer__email")
    for number, assignment in enumerate(assignments):
        moment = FIRST_REVIEW + datetime.timedelta(days=number % 30, hours=number % 7)
        write_review(assignment, criteria, submit=True, now=moment)

    for entry in entries:
        ranking = rank_entry(entry) if entry.pk in with_proposals else []
        chosen = [row for row in ranking if row.score is not None and row.score >= SELECTION_THRESHOLD][: entry.seats]
        for row in chosen:
            services.select(row.proposal, acting_user=pilot, now=SELECTED_ON)
        if len(chosen) < entry.seats:
            reason = empty_seat_reason(len(ranking), len(chosen), entry.seats)
            services.set_empty_seat_reason(entry, reason, acting_user=pilot, now=SELECTED_ON)
    services.publish_results(call, acting_user=pilot, now=PUBLISHED)
    backdate(call, mark)


def backdate(call, mark):
    """The services stamp the audit trail (and a few dates) with the real clock:
    give 2026-2027's selection its 2026 dates."""
    ScoringGrid.objects.filter(call=call).update(created_at=GRID_READY, updated_at=GRID_READY)
    submitted = dict(Review.objects.filter(assignment__proposal__theme__entry__call=call).values_list("pk", "submitted_at"))
    for pk, moment in submitted.items():
        Review.objects.filter(pk=pk).update(created_at=moment - datetime.timedelta(days=1), updated_at=moment)
    by_type = {ContentType.objects.get_for_model(model).pk: moment for model, moment in (
        (ScoringGrid, GRID_READY), (ReviewAssignment, ASSIGNED), (Entry, SELECTED_ON), (Proposal, PUBLISHED), (Call, PUBLISHED),
        (Publication, PUBLISHED),
    )}
    review_type = ContentType.objects.get_for_model(Review).pk
    entries = list(AuditEntry.objects.filter(pk__gt=mark))
    for entry in entries:
        if entry.content_type_id == review_type:
            moment = submitted.get(int(entry.object_id))
            entry.created_at = moment if entry.to_state == "submitted" else moment - datetime.timedelta(days=1)
        elif entry.content_type_id in by_type:
            entry.created_at = by_type[entry.content_type_id]
    AuditEntry.objects.bulk_update(entries, ["created_at"], batch_size=500)


# --- The open demo call ----------------------------------------------------------------------

# When nothing of the open call has reached the DNE: who sends what.
OPEN_CALL_SENDERS = {
    "nantes": {
        "department": "044",
        "people": {"dan": ("Gwenaëlle", "Le Goff"), "cardie": ("Yann", "Guérin"), ("inspector", "mathematiques"): ("François", "Bouchet")},
        "proposals": [("mathematiques", 1, ("Pauline", "Le Roux"), ("Damien", "Cormier"), ("Lucie", "Brochard"), {
            "title": "Automatismes et parcours différenciés en seconde",
            "summary": "Un test de positionnement sur Capytale, puis des parcours MathALÉA adaptés aux besoins repérés.",
            "objectives": "Installer les automatismes attendus en seconde et réduire les écarts dès la rentrée.",
            "problem": "Comment transformer un diagnostic en parcours différenciés gérables en classe entière ?",
            "digital_tools": "Capytale, MathALÉA",
            "ai_usage": AIUsage.NONE,
            "levels": ["lycee-gt"], "commons": ["capytale", "mathalea"],
        })],
    },
    "versailles": {
        "department": "078",
        "people": {"dan": ("Nathalie", "Besson"), "cardie": ("Mehdi", "Haddad"), ("inspector", "mathematiques"): ("Karine", "Moreau"),
                   ("inspector", "nsi"): ("Laurent", "Bazin")},
        "proposals": [
            ("mathematiques", 1, ("Émilie", "Roussel"), ("Nathalie", "Bertin"), ("Julien", "Robin"), {
                "title": "Coups de pouce numériques gradués en résolution de problèmes",
                "summary": "Des aides graduées (indices, vidéos, exemples) proposées à la demande pendant la résolution de problèmes.",
                "objectives": "Permettre à chaque élève de chercher un même problème avec l'aide dont il a besoin.",
                "problem": "Comment différencier l'étayage sans réduire l'exigence de la tâche ?",
                "digital_tools": "Éléa, capsules vidéo, GeoGebra",
                "ai_usage": AIUsage.TEACHER_PRACTICE,
                "ai_tools": "Génération de premières versions d'indices, relues et reprises par l'enseignant",
                "ai_precautions": "Aucune production d'élève n'est transmise à l'outil ; usage sur le poste de l'enseignant.",
                "levels": ["college", "lycee-gt"], "commons": ["elea"],
            }),
            ("nsi", 2, ("Vincent", "Noël"), ("Camille", "Fournier"), ("Hugo", "Lambert"), {
                "title": "Codeuses et codeurs : un club NSI ouvert à toutes",
                "summary": "Les élèves de seconde et de NSI programment des portraits interactifs de femmes de l'informatique.",
                "objectives": "Déconstruire les stéréotypes et encourager les filles à choisir la spécialité NSI.",
                "problem": "Comment le projet de programmation peut-il faire évoluer les représentations de l'informatique ?",
                "digital_tools": "Capytale, Vittascience",
                "ai_usage": AIUsage.NONE,
                "levels": ["lycee-gt"], "commons": ["capytale", "vittascience"],
            }),
        ],
    },
}


def academy_person(academy, role, name, discipline=None):
    """Whoever already plays ``role`` in the academy (for ``discipline``), else a background account."""
    held = RoleAssignment.objects.filter(role=role, academy=academy)
    if discipline is not None:
        held = held.filter(disciplines=discipline)
    existing = held.select_related("user").order_by("pk").first()
    if existing:
        return existing.user
    first_name, last_name = name
    user = person(first_name, last_name, address(first_name, last_name, academy.code))
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, academy=academy, region=None)
    if discipline is not None:
        assignment.disciplines.add(discipline)
    return user


def _slug(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("'", " ").split())


def address(first_name, last_name, academy_code):
    """prenom.nom@ac-<academy>.example, the convention of ``candidatures.demo``."""
    return f"{_slug(first_name)}.{_slug(last_name)}@ac-{academy_code}.example"


def member(first_name, last_name, email, role, school):
    return {"first_name": first_name, "last_name": last_name, "email": email, "role": role, "uai": school}


def send_open_call_syntheses(call):
    """Nantes and Versailles write, retain and send proposals in the open call
    (each only if it has no synthesis there yet)."""
    for code, spec in OPEN_CALL_SENDERS.items():
        academy = Academy.objects.get(code=code)
        if AcademicSynthesis.objects.filter(call=call, academy=academy).exists():
            continue
        people = spec["people"]
        dan = academy_person(academy, Role.DAN, people["dan"])
        cardie_name = people["cardie"]
        items = []
        for number, (entry_code, order, lead_name, colleague, referent, content) in enumerate(spec["proposals"]):
            discipline = Discipline.objects.get(code=entry_code)
            inspector = academy_person(academy, Role.INSPECTOR, people[("inspector", entry_code)], discipline)
            lead = person(*lead_name, address(*lead_name, code))
            RoleAssignment.objects.get_or_create(user=lead, role=Role.TEACHER, academy=academy, region=None)
            schools = [f"{spec['department']}{3100 + 10 * number + k:04d}" for k in range(3)]
            schools = [digits + uai_check_letter(digits) for digits in schools]
            team = [
                member(lead.first_name, lead.last_name, lead.email, TeamRole.TEACHER, schools[0]),
                member(*colleague, address(*colleague, code), TeamRole.TEACHER, schools[1]),
                member(*referent, address(*referent, code), TeamRole.REFERENT, schools[2]),
                member(*cardie_name, address(*cardie_name, code), TeamRole.CARDIE, schools[1]),
                member(inspector.first_name, inspector.last_name, inspector.email, TeamRole.INSPECTOR, schools[0]),
            ]
            content = dict(content)
            data = {
                **{key: value for key, value in content.items() if key not in {"levels", "commons"}},
                "class_levels": list(ClassLevel.objects.filter(code__in=content["levels"]).values_list("pk", flat=True)),
                "commons": list(DigitalCommon.objects.filter(code__in=content["commons"]).values_list("pk", flat=True)),
            }
            theme = Theme.objects.get(entry__call=call, entry__code=entry_code, order=order)
            proposal = proposals.start_proposal(theme, acting_user=lead, academy=academy)
            proposals.save_draft(proposal, data, acting_user=lead, expected_version=proposal.version)
            proposals.replace_team(proposal, team, acting_user=lead, expected_version=proposal.version)
            proposals.submit(proposal, acting_user=lead)
            proposals.give_opinion(proposal, acting_user=inspector, opinion=AcademicOpinion.FAVOURABLE, comment="Projet cohérent, équipe engagée.")
            proposals.decide(proposal, acting_user=inspector, retained=True)
            items.append((proposal, number + 1, ""))
        synthesis = proposals.compose_synthesis(call, academy, acting_user=dan, cover_note="Projets retenus après l'avis des corps d'inspection.",
                                                items=items)
        proposals.send_synthesis(synthesis, acting_user=dan)


def seed_open_call(users):
    """Reviews under way in mathematics and NSI; nothing selected."""
    call = Call.objects.get(year=DEMO_CALL_YEAR)
    if ReviewAssignment.objects.filter(proposal__theme__entry__call=call).exists():
        return
    pilot, igesr, expert = users[PILOT], users[IGESR], users[EXPERT]
    entries = {entry.code: entry for entry in Entry.objects.filter(call=call, code__in=["mathematiques", "nsi"])}

    def sent_in(code):
        return list(Proposal.objects.filter(theme__entry=entries[code], state=ProposalState.SENT).order_by("pk"))

    if not sent_in("mathematiques") and not sent_in("nsi"):
        send_open_call_syntheses(call)
    grid = services.ensure_grid(call, acting_user=pilot)
    criteria = list(grid.criteria.order_by("order", "pk"))
    services.assign_entry(entries["mathematiques"], igesr, acting_user=pilot)
    services.assign_entry(entries["mathematiques"], expert, acting_user=pilot)
    services.assign_entry(entries["nsi"], expert, acting_user=pilot)

    def assignment_of(proposal, reviewer):
        return ReviewAssignment.objects.select_related("proposal__synthesis_item", "proposal__lead").get(proposal=proposal, reviewer=reviewer)

    maths = sent_in("mathematiques")
    if maths:
        write_review(assignment_of(maths[0], igesr), criteria, submit=True)  # submitted
        write_review(assignment_of(maths[0], expert), criteria, submit=False, partial=2)  # a draft begun
    if len(maths) > 1:
        write_review(assignment_of(maths[1], igesr), criteria, submit=False, partial=4)  # a draft well under way
        services.declare_conflict(maths[1], acting_user=expert, reason="J'ai accompagné cette équipe lors d'une formation académique l'an dernier.")
    # The NSI proposals wait for the expert: not started.


def seed(users):
    """Idempotent: each part does nothing once its data exists."""
    seed_past_call(users)
    seed_open_call(users)
