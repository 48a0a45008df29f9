"""National-size history for performance work (``seed_demo --scale N``).

N past calls (2016-2017 … 2025-2026 for N=10), each cloned from 2026-2027's
entries and themes and published, each lived to its end: proposals from most of
the 30 academies in every entry (about 150 to 250 a call), the academies'
opinions, decisions and syntheses, two submitted reviews of every proposal sent
to the DNE, the published selection (the entry's seats, or a written reason),
the working groups with their members, the national groups, 2 to 4 scenarios a
group (most of them published, with class levels and CRCN competences), the
teachers' validated hours and the audit trail of all that.

The rows are written with ``bulk_create`` (the services, one object at a time,
would take hours at this size) but hold every constraint of the models: the
people are background accounts without a usable password, except the demo
teachers of Grenoble and Lyon, who lead a mathematics proposal every year, and
the demo reviewers, who review the mathematics proposals. The data is the same
on every machine (a random generator seeded by the year).

Idempotent: a year whose call exists is skipped; each year is written in its
own transaction. Run ``seed_demo`` first (the generator needs its pilot and the
2026-2027 call); the catalogue's full-text index is refreshed at the end."""

import datetime
import random
import unicodedata
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from candidatures.enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from candidatures.models import AcademicSynthesis, Proposal, SynthesisItem, TeamMember
from candidatures.validators import uai_check_letter
from productions.catalogue.search import index_scenarios
from productions.enums import HoursState, NationalRole, ScenarioState
from productions.models import (
    GroupMember, HoursCap, HoursDeclaration, Milestone, NationalGroup, NationalMember, Scenario, ScenarioVersion, WorkingGroup,
)
from productions.services.calendar import default_milestones
from selection.demo import COMMENTS, recommendation_for
from selection.enums import ReviewState
from selection.models import Criterion, EmptySeatReason, Publication, Review, ReviewAssignment, Score, ScoringGrid, Selection
from selection.ranking import mean, review_score
from selection.services import DEFAULT_CRITERIA, DEFAULT_SCALE

from . import services
from .enums import AuditAction, Role
from .models import PARIS, Academy, AuditEntry, Call, ClassLevel, CrcnCompetence, DigitalCommon, Discipline, RoleAssignment, User

SOURCE_YEAR = "2026-2027"
FIRST_YEAR_AFTER = 2026  # N=10: 2016-2017 … 2025-2026
PILOT = "pilote@demo.traam.example"
DEMO_TEACHERS = {"grenoble": "enseignant.grenoble@demo.traam.example", "lyon": "enseignant.lyon@demo.traam.example"}
DEMO_ENTRY = "mathematiques"
TEACHERS_PER_ACADEMY = 40
REVIEWERS_PER_DISCIPLINE = 4
HOURS_CAP = 36
BATCH = 1000

# Grenoble and Lyon first: a smaller run (``academies=3``) keeps the demo accounts' academies.
FIRST_ACADEMIES = ("grenoble", "lyon")

# A department of each academy: the first three digits of its schools' UAI codes.
DEPARTMENTS = {
    "aix-marseille": "013", "amiens": "080", "besancon": "025", "bordeaux": "033", "clermont-ferrand": "063", "corse": "620",
    "creteil": "093", "dijon": "021", "grenoble": "038", "guadeloupe": "971", "guyane": "973", "la-reunion": "974", "lille": "059",
    "limoges": "087", "lyon": "069", "martinique": "972", "mayotte": "976", "montpellier": "034", "nancy-metz": "054", "nantes": "044",
    "nice": "006", "normandie": "014", "orleans-tours": "045", "paris": "075", "poitiers": "086", "reims": "051", "rennes": "035",
    "strasbourg": "067", "toulouse": "031", "versailles": "078",
}

FIRST_NAMES = [
    "Camille", "Julien", "Sophie", "Nicolas", "Claire", "Thomas", "Émilie", "Mathieu", "Aurélie", "Romain", "Céline", "Antoine",
    "Laure", "Guillaume", "Marion", "Sébastien", "Pauline", "Vincent", "Hélène", "Jérôme", "Nathalie", "François", "Élodie", "Olivier",
    "Sandrine", "Maxime", "Caroline", "Benoît", "Anaïs", "Fabrice", "Lucie", "Damien", "Charlotte", "Xavier", "Manon", "Frédéric",
    "Inès", "Karim", "Léa", "Yannick",
]
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
    "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
    "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller",
    "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson",
]

APPROACHES = [
    ("Différencier {topic} avec {tool}", "Comment différencier {topic} sans multiplier les supports pour l'enseignant ?"),
    ("Des parcours personnalisés pour {topic}", "Comment proposer à chaque élève un parcours adapté à ses besoins pour {topic} ?"),
    ("Coopérer en ligne pour {topic}", "Comment un espace de travail partagé peut-il soutenir la coopération entre élèves pour {topic} ?"),
    ("Évaluer par compétences {topic}", "Comment rendre visibles les progrès des élèves dans {topic} grâce au numérique ?"),
    ("Classe inversée et {topic}", "Comment libérer du temps de classe pour {topic} avec des capsules préparées à la maison ?"),
    ("L'intelligence artificielle au service de {topic}", "Que peut apporter une IA générative, utilisée avec discernement, à {topic} ?"),
    ("Créer et publier : {topic}", "Comment la production d'un objet numérique publié motive-t-elle les élèves dans {topic} ?"),
    ("Rétroaction immédiate pour {topic}", "Comment des exerciseurs à rétroaction immédiate aident-ils les élèves fragiles dans {topic} ?"),
    ("Données de la classe et {topic}", "Comment des données produites par les élèves donnent-elles du sens à {topic} ?"),
    ("Esprit critique et {topic}", "Comment former les élèves à évaluer l'information numérique dans {topic} ?"),
]
TOPICS = [
    "la résolution de problèmes", "la lecture de documents", "l'argumentation à l'oral", "la production d'écrits", "la démarche d'investigation",
    "la mémorisation des notions", "le travail en autonomie", "la remédiation en début d'année", "la liaison collège-lycée",
    "la pratique de l'oral", "le projet interdisciplinaire", "l'entraînement aux automatismes", "l'analyse d'œuvres",
    "la modélisation", "la prise de notes",
]
TOOLS = [
    "Capytale", "Éléa", "MathALÉA", "Vittascience", "M@gistère", "l'ENT", "des tablettes", "un mur collaboratif", "des capsules vidéo",
    "un podcast de classe", "des cartes mentales", "un exerciseur en ligne",
]
COMMON_CODES = {"Capytale": "capytale", "Éléa": "elea", "MathALÉA": "mathalea", "Vittascience": "vittascience", "M@gistère": "magistere"}
OPINION_COMMENTS = {
    AcademicOpinion.FAVOURABLE: "Équipe engagée, projet cohérent avec la thématique et transférable.",
    AcademicOpinion.RESERVED: "Projet intéressant ; la démarche et le calendrier restent à préciser.",
    AcademicOpinion.UNFAVOURABLE: "Le lien avec la thématique n'est pas établi.",
}
HOURS_MONTHS = (9, 10, 11, 1, 3)


def _slug(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("'", " ").split())


def name_of(number):
    return FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)]


def person_email(number, domain):
    first_name, last_name = name_of(number)
    return f"{_slug(first_name)}.{_slug(last_name)}{number}@{domain}"


def uai(academy_code, number):
    digits = f"{DEPARTMENTS.get(academy_code, '075')}{number % 10000:04d}"
    return digits + uai_check_letter(digits)


def past_years(count):
    """The ``count`` school years before 2026-2027, oldest first."""
    return [f"{year}-{year + 1}" for year in range(FIRST_YEAR_AFTER - count, FIRST_YEAR_AFTER)]


def call_dates(start):
    """The calendar of 2026-2027, moved to the school year that starts in ``start``'s January."""
    return {
        "opens_on": datetime.date(start, 1, 12), "synthesis_deadline": datetime.date(start, 3, 31),
        "results_on": datetime.date(start, 6, 15), "production_starts_on": datetime.date(start, 9, 1),
        "production_ends_on": datetime.date(start + 1, 4, 30),
    }


def moment(day, hour=10, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


# --- People ----------------------------------------------------------------------------------


class People:
    """The background accounts the history needs, created once (in bulk) and
    reused by every year: a pool of teachers, a DAN, a CARDIE representative and
    an inspector per discipline in each academy (the existing holders of a role
    first: the demo accounts and the demo's background people), and national
    reviewers per discipline."""

    def __init__(self, academies, disciplines):
        self.academies = academies
        self.disciplines = disciplines
        self.users_by_email = {}
        self.teachers, self.dan, self.cardie, self.inspector, self.reviewers = {}, {}, {}, {}, {}
        self._load()

    def _holders(self, role):
        """(academy id, discipline id or None) → the first holder (by assignment) of ``role``."""
        holders = {}
        assignments = RoleAssignment.objects.filter(role=role).select_related("user").prefetch_related("disciplines").order_by("pk")
        for assignment in assignments:
            keys = [(assignment.academy_id, d.pk) for d in assignment.disciplines.all()] or [(assignment.academy_id, None)]
            for key in keys:
                holders.setdefault(key, assignment.user)
        return holders

    def _load(self):
        wanted = {}  # email → (first, last, role, academy, disciplines)
        dans, cardies, inspectors = self._holders(Role.DAN), self._holders(Role.CARDIE), self._holders(Role.INSPECTOR)
        for index, academy in enumerate(self.academies):
            domain = f"ac-{academy.code}.example"
            base = 1000 * (index + 1)
            self.teachers[academy.pk] = [person_email(base + n, domain) for n in range(TEACHERS_PER_ACADEMY)]
            for n, email in enumerate(self.teachers[academy.pk]):
                wanted[email] = (*name_of(base + n), Role.TEACHER, academy, ())
            self.dan[academy.pk] = dans.get((academy.pk, None)) or person_email(base + 900, domain)
            self.cardie[academy.pk] = cardies.get((academy.pk, None)) or person_email(base + 901, domain)
            for key, role in ((self.dan, Role.DAN), (self.cardie, Role.CARDIE)):
                if isinstance(key[academy.pk], str):
                    wanted[key[academy.pk]] = (*name_of(base + (900 if role == Role.DAN else 901)), role, academy, ())
            for d_index, discipline in enumerate(self.disciplines):
                holder = inspectors.get((academy.pk, discipline.pk))
                if holder is None:
                    number = base + 700 + d_index
                    holder = person_email(number, domain)
                    wanted[holder] = (*name_of(number), Role.INSPECTOR, academy, (discipline,))
                self.inspector[(academy.pk, discipline.pk)] = holder
        reviewers = defaultdict(list)
        for assignment in RoleAssignment.objects.filter(role=Role.REVIEWER).select_related("user").prefetch_related("disciplines").order_by("pk"):
            for discipline in assignment.disciplines.all():
                reviewers[discipline.pk].append((assignment.user, assignment.academy_id))
        for d_index, discipline in enumerate(self.disciplines):
            pool = reviewers[discipline.pk]
            for n in range(max(0, REVIEWERS_PER_DISCIPLINE - len(pool))):
                number = 90000 + 10 * d_index + n
                email = person_email(number, "evaluation.dne.example")
                # Every other one belongs to an academy: the conflicts of interest are real.
                home = self.academies[(d_index + n) % len(self.academies)] if n % 2 else None
                wanted[email] = (*name_of(number), Role.REVIEWER, home, (discipline,))
                pool.append((email, home.pk if home else None))
            self.reviewers[discipline.pk] = pool
        self._create(wanted)
        resolve = self.user
        self.teachers = {k: [resolve(e) for e in v] for k, v in self.teachers.items()}
        self.dan = {k: resolve(v) for k, v in self.dan.items()}
        self.cardie = {k: resolve(v) for k, v in self.cardie.items()}
        self.inspector = {k: resolve(v) for k, v in self.inspector.items()}
        self.reviewers = {k: [(resolve(u), home) for u, home in v] for k, v in self.reviewers.items()}
        for code, email in DEMO_TEACHERS.items():
            self.users_by_email.setdefault(email, User.objects.filter(email=email).first())

    def _create(self, wanted):
        existing = {user.email: user for user in User.objects.filter(email__in=list(wanted))}
        missing = [email for email in wanted if email not in existing]
        password = make_password(None)  # unusable: background people cannot sign in
        created = _bulk(User, [
            User(email=email, first_name=wanted[email][0], last_name=wanted[email][1], password=password) for email in missing
        ])
        self.created_users = len(created)
        existing.update({user.email: user for user in created})
        self.users_by_email.update(existing)
        held = set(RoleAssignment.objects.filter(user__email__in=list(wanted)).values_list("user_id", "role", "academy_id"))
        new = []
        for email, (_first, _last, role, academy, disciplines) in wanted.items():
            user = existing[email]
            if (user.pk, role, academy.pk if academy else None) not in held:
                new.append((RoleAssignment(user=user, role=role, academy=academy), disciplines))
        assignments = _bulk(RoleAssignment, [assignment for assignment, _d in new])
        Through = RoleAssignment.disciplines.through
        _bulk(Through, [
            Through(roleassignment_id=assignment.pk, discipline_id=discipline.pk)
            for assignment, (_a, disciplines) in zip(assignments, new) for discipline in disciplines
        ])

    def user(self, value):
        return value if isinstance(value, User) else self.users_by_email[value]


# --- One year --------------------------------------------------------------------------------


class Year:
    """Everything of one past call, collected in memory, then written in bulk."""

    def __init__(self, year, source, pilot, people, academies, refs, ref_names):
        self.year = year
        self.ref_names = ref_names
        self.start = int(year[:4])
        self.rng = random.Random(f"traam-scale-{year}")
        self.source, self.pilot, self.people, self.academies, self.refs = source, pilot, people, academies, refs
        self.audit = []
        self.types = {model: ContentType.objects.get_for_model(model) for model in (
            Call, Proposal, AcademicSynthesis, ScoringGrid, Review, ReviewAssignment, Publication, WorkingGroup, NationalGroup, Scenario,
            HoursDeclaration, Milestone,
        )}
        self.counts = defaultdict(int)

    def log(self, subject, actor, when, action, from_state="", to_state="", comment="", **data):
        self.audit.append(AuditEntry(
            actor=actor, content_type=self.types[type(subject)], object_id=str(subject.pk), action=action, from_state=str(from_state),
            to_state=str(to_state), comment=comment, data=data, created_at=when,
        ))

    def day(self, month, day, year_offset=0):
        return datetime.date(self.start + year_offset, month, day)

    def write(self):
        dates = call_dates(self.start)
        call = services.clone_call(
            self.source, year=self.year, title=f"Appel à projet {self.year}", dates=dates, acting_user=self.pilot,
        )
        Call.objects.filter(pk=call.pk).update(is_published=True)
        AuditEntry.objects.filter(content_type=self.types[Call], object_id=str(call.pk)).update(created_at=moment(self.day(1, 5)))
        self.call = call
        self.entries = list(call.entries.select_related("discipline").prefetch_related("themes").order_by("order"))
        proposals = self.proposals()
        self.syntheses(proposals)
        selected = self.selection(proposals)
        groups = self.groups(selected)
        self.scenarios(groups)
        self.hours(groups)
        _bulk(AuditEntry, self.audit)
        self.counts["audit entries"] = len(self.audit)
        self.counts["calls"] = 1
        return self.counts

    # Proposals, opinions, decisions.

    def proposals(self):
        rng, people = self.rng, self.people
        plans = []  # (entry, theme, academy, lead, outcome)
        for entry in self.entries:
            themes = list(entry.themes.all())
            share = rng.uniform(0.18, 0.34)
            chosen = rng.sample(self.academies, max(1, min(len(self.academies), round(len(self.academies) * share))))
            if entry.code == DEMO_ENTRY:
                chosen += [a for a in self.academies if a.code in DEMO_TEACHERS and a not in chosen]
            for academy in chosen:
                for copy in range(2 if rng.random() < 0.15 else 1):
                    lead = rng.choice(people.teachers[academy.pk])
                    demo = entry.code == DEMO_ENTRY and academy.code in DEMO_TEACHERS and copy == 0
                    if demo:
                        lead = people.users_by_email[DEMO_TEACHERS[academy.code]]
                    draw = rng.random()
                    outcome = ProposalState.SENT if demo or draw >= 0.38 else (
                        ProposalState.NOT_RETAINED if draw >= 0.10 else ProposalState.WITHDRAWN if draw >= 0.04 else ProposalState.DRAFT
                    )
                    plans.append((entry, rng.choice(themes), academy, lead, outcome))
        objects, teams, extras = [], [], []
        for number, (entry, theme, academy, lead, outcome) in enumerate(plans):
            approach, problem = rng.choice(APPROACHES)
            topic, tool = rng.choice(TOPICS), rng.choice(TOOLS)
            discipline = entry.discipline.name.lower()
            created = moment(self.day(1, 13) + datetime.timedelta(days=rng.randint(0, 30)), rng.randint(8, 18))
            submitted = created + datetime.timedelta(days=15, hours=2)
            opinion_at = submitted + datetime.timedelta(days=10)
            decided = opinion_at + datetime.timedelta(days=3)
            inspector = people.inspector[(academy.pk, entry.discipline_id)]
            ai_usage = rng.choices(AIUsage.values, weights=(6, 2, 2))[0]
            proposal = Proposal(
                theme=theme, academy=academy, lead=lead, title=approach.format(topic=topic, tool=tool) + f" en {discipline}",
                summary=f"Une équipe de l'académie de {academy.name} conçoit des séquences de {discipline} autour de {topic}, "
                f"avec {tool}, et les expérimente dans plusieurs établissements.",
                objectives=f"Faire progresser chaque élève dans {topic} ; produire des scénarios réutilisables par d'autres équipes.",
                problem=problem.format(topic=topic), digital_tools=tool, ai_usage=ai_usage,
                ai_tools="" if ai_usage == AIUsage.NONE else "Assistant d'IA générative institutionnel",
                ai_precautions="" if ai_usage == AIUsage.NONE else "Aucune donnée personnelle d'élève n'est saisie dans l'outil.",
                state=ProposalState.DRAFT if outcome == ProposalState.DRAFT else outcome, created_at=created,
                submitted_at=None if outcome == ProposalState.DRAFT else submitted,
            )
            if outcome in (ProposalState.SENT, ProposalState.NOT_RETAINED):
                opinion = AcademicOpinion.FAVOURABLE if outcome == ProposalState.SENT else rng.choice(
                    [AcademicOpinion.RESERVED, AcademicOpinion.UNFAVOURABLE])
                proposal.opinion, proposal.opinion_comment = opinion, OPINION_COMMENTS[opinion]
                proposal.opinion_by, proposal.opinion_at, proposal.decided_at = inspector, opinion_at, decided
            proposal.steps = (created, submitted, opinion_at, decided, inspector)
            proposal.tool = tool
            objects.append(proposal)
        _bulk(Proposal, objects)
        self.counts["proposals"] = len(objects)

        levels, crcn, commons = self.refs
        level_rows, crcn_rows, common_rows = [], [], []
        for number, proposal in enumerate(objects):
            academy, lead = proposal.academy, proposal.lead
            colleagues = [t for t in people.teachers[academy.pk] if t.pk != lead.pk]
            colleagues = rng.sample(colleagues, 2)
            members = [(lead, TeamRole.TEACHER), (colleagues[0], TeamRole.TEACHER), (colleagues[1], TeamRole.REFERENT),
                       (people.cardie[academy.pk], TeamRole.CARDIE), (proposal.steps[4], TeamRole.INSPECTOR)]
            seen = set()
            for k, (user, role) in enumerate(members):
                if user.email in seen:
                    continue
                seen.add(user.email)
                teams.append(TeamMember(
                    proposal=proposal, first_name=user.first_name, last_name=user.last_name, email=user.email,
                    uai=uai(academy.code, 3 * number + k if role in TeamRole.runs_sequences else 9000 + k), role=role, user=user,
                ))
            proposal.members = members
            level_rows += [Proposal.class_levels.through(proposal_id=proposal.pk, classlevel_id=pk) for pk in rng.sample(levels, rng.randint(1, 2))]
            crcn_rows += [Proposal.crcn_competences.through(proposal_id=proposal.pk, crcncompetence_id=pk)
                          for pk in rng.sample(crcn, rng.randint(1, 3))]
            if proposal.tool in COMMON_CODES:
                common_rows.append(Proposal.commons.through(proposal_id=proposal.pk, digitalcommon_id=commons[COMMON_CODES[proposal.tool]]))
            created, submitted, opinion_at, decided, inspector = proposal.steps
            self.log(proposal, lead, created, AuditAction.CREATED, to_state=ProposalState.DRAFT)
            self.log(proposal, lead, created + datetime.timedelta(days=4), AuditAction.UPDATED, comment="Équipe modifiée", team_size=len(seen))
            if proposal.state == ProposalState.DRAFT:
                continue
            self.log(proposal, lead, submitted, AuditAction.STATE_CHANGED, ProposalState.DRAFT, ProposalState.SUBMITTED)
            if proposal.state == ProposalState.WITHDRAWN:
                self.log(proposal, lead, submitted + datetime.timedelta(days=9), AuditAction.STATE_CHANGED, ProposalState.SUBMITTED,
                         ProposalState.WITHDRAWN, comment="L'équipe ne pourra pas mener le projet cette année.")
                continue
            self.log(proposal, inspector, opinion_at, AuditAction.UPDATED, comment=proposal.opinion_comment, opinion=proposal.opinion)
            retained = proposal.state == ProposalState.SENT
            self.log(proposal, inspector, decided, AuditAction.STATE_CHANGED, ProposalState.SUBMITTED,
                     ProposalState.RETAINED if retained else ProposalState.NOT_RETAINED)
        _bulk(TeamMember, teams)
        _bulk(Proposal.class_levels.through, level_rows)
        _bulk(Proposal.crcn_competences.through, crcn_rows)
        _bulk(Proposal.commons.through, common_rows)
        self.counts["team members"] = len(teams)
        return objects

    def syntheses(self, proposals):
        by_academy = defaultdict(list)
        for proposal in proposals:
            if proposal.state == ProposalState.SENT:
                by_academy[proposal.academy].append(proposal)
        syntheses, items = [], []
        for academy, sent in by_academy.items():
            sent_at = moment(self.day(3, self.rng.randint(16, 31)), self.rng.randint(9, 17))
            synthesis = AcademicSynthesis(
                call=self.call, academy=academy, sent_at=sent_at, sent_by=self.people.dan[academy.pk], created_at=sent_at - datetime.timedelta(days=2),
                cover_note=f"L'académie de {academy.name} transmet {len(sent)} projet(s) retenu(s) après l'avis des corps d'inspection.",
            )
            synthesis.proposals = sent
            syntheses.append(synthesis)
        _bulk(AcademicSynthesis, syntheses)
        for synthesis in syntheses:
            dan = synthesis.sent_by
            for priority, proposal in enumerate(synthesis.proposals, start=1):
                items.append(SynthesisItem(synthesis=synthesis, proposal=proposal, priority=priority,
                                           comment="Projet prioritaire de l'académie." if priority == 1 else ""))
                self.log(proposal, dan, synthesis.sent_at, AuditAction.STATE_CHANGED, ProposalState.RETAINED, ProposalState.SENT,
                         comment="Transmise à la DNE dans la synthèse académique")
            self.log(synthesis, dan, synthesis.created_at, AuditAction.CREATED, proposals=[p.pk for p in synthesis.proposals])
            self.log(synthesis, dan, synthesis.sent_at, AuditAction.STATE_CHANGED, to_state="sent")
        _bulk(SynthesisItem, items)
        AcademicSynthesis.objects.filter(call=self.call).update(updated_at=F("sent_at"))
        self.counts["syntheses"] = len(syntheses)

    # The national selection.

    def selection(self, proposals):
        rng, call = self.rng, self.call
        results_on = call.results_on
        grid_at = moment(self.day(4, 2), 9, 30)
        grid = ScoringGrid.objects.create(call=call, review_due=results_on - datetime.timedelta(weeks=3), created_at=grid_at)
        low, high = DEFAULT_SCALE
        criteria = _bulk(Criterion, [
            Criterion(grid=grid, label=label, description=description, weight=weight, scale_min=low, scale_max=high, order=order)
            for order, (label, description, weight) in enumerate(DEFAULT_CRITERIA, start=1)
        ])
        ScoringGrid.objects.filter(pk=grid.pk).update(updated_at=grid_at)
        self.log(grid, self.pilot, grid_at, AuditAction.CREATED, criteria=[c.label for c in criteria])
        sent = [p for p in proposals if p.state == ProposalState.SENT]
        assigned_at = moment(self.day(4, 7), 9)
        assignments = []
        for proposal in sent:
            pool = [(user, home) for user, home in self.people.reviewers[proposal.theme.entry.discipline_id] if home != proposal.academy_id]
            demo = [(u, h) for u, h in pool if u.email.endswith("@demo.traam.example")]
            chosen = (demo + rng.sample([p for p in pool if p not in demo], max(0, 2 - len(demo))))[:2] if len(pool) >= 2 else pool
            for reviewer, _home in chosen:
                assignments.append(ReviewAssignment(proposal=proposal, reviewer=reviewer, assigned_by=self.pilot, assigned_at=assigned_at))
        _bulk(ReviewAssignment, assignments)
        reviews, scores = [], []
        for number, assignment in enumerate(assignments):
            level = rng.uniform(1.2, 3.8)
            values = [max(low, min(high, round(level + rng.uniform(-0.8, 0.8)))) for _c in criteria]
            score = review_score((c.weight, v, c.scale_min, c.scale_max) for c, v in zip(criteria, values))
            recommendation = recommendation_for(score)
            submitted_at = moment(self.day(4, 20) + datetime.timedelta(days=number % 30), 18)
            review = Review(
                assignment=assignment, state=ReviewState.SUBMITTED, comment=rng.choice(COMMENTS[recommendation]),
                recommendation=recommendation, created_at=submitted_at - datetime.timedelta(days=1), submitted_at=submitted_at,
            )
            review.values, review.score = values, score
            reviews.append(review)
            self.log(assignment, self.pilot, assigned_at, AuditAction.CREATED, proposal=assignment.proposal_id, reviewer=assignment.reviewer_id)
        _bulk(Review, reviews)
        scored = defaultdict(list)
        for review in reviews:
            scores += [Score(review=review, criterion=c, value=v) for c, v in zip(criteria, review.values)]
            scored[review.assignment.proposal_id].append(review.score)
            self.log(review, review.assignment.reviewer, review.submitted_at, AuditAction.STATE_CHANGED, ReviewState.DRAFT, ReviewState.SUBMITTED)
        _bulk(Score, scores)
        Review.objects.filter(assignment__proposal__theme__entry__call=call).update(updated_at=F("submitted_at"))
        self.counts["reviews"] = len(reviews)

        selected_on, published_at = moment(self.day(6, 10), 15), moment(results_on, 10)
        by_entry = defaultdict(list)
        for proposal in sent:
            by_entry[proposal.theme.entry_id].append(proposal)
        selections, reasons, chosen_all = [], [], []
        for entry in self.entries:
            ranked = sorted(by_entry[entry.pk], key=lambda p: (-(mean(scored[p.pk]) or 0), p.pk))
            chosen = ranked[: entry.seats]
            for proposal in chosen:
                selections.append(Selection(proposal=proposal, entry=entry, selected_by=self.pilot, selected_at=selected_on))
                self.log(proposal, self.pilot, published_at, AuditAction.STATE_CHANGED, ProposalState.SENT, ProposalState.SELECTED)
            for proposal in ranked[entry.seats:]:
                self.log(proposal, self.pilot, published_at, AuditAction.STATE_CHANGED, ProposalState.SENT, ProposalState.NOT_SELECTED)
            if len(chosen) < entry.seats:
                reasons.append(EmptySeatReason(
                    entry=entry, written_by=self.pilot, written_at=selected_on,
                    reason=f"{len(ranked)} candidature(s) transmise(s) par les académies pour {entry.seats} places ; toutes sont sélectionnées."
                    if ranked else "Aucune candidature n'a été transmise par les académies pour cette discipline.",
                ))
            chosen_all += chosen
        _bulk(Selection, selections)
        _bulk(EmptySeatReason, reasons)
        chosen_ids = {p.pk for p in chosen_all}
        Proposal.objects.filter(pk__in=chosen_ids).update(state=ProposalState.SELECTED)
        Proposal.objects.filter(pk__in=[p.pk for p in sent if p.pk not in chosen_ids]).update(state=ProposalState.NOT_SELECTED)
        Proposal.objects.filter(theme__entry__call=call).update(
            updated_at=Coalesce(F("decided_at"), F("submitted_at"), F("created_at")),
        )
        publication = Publication.objects.create(
            call=call, published_at=published_at, published_by=self.pilot, selected_count=len(chosen_ids),
            not_selected_count=len(sent) - len(chosen_ids),
        )
        self.log(publication, self.pilot, published_at, AuditAction.CREATED)
        self.log(call, self.pilot, published_at, AuditAction.STATE_CHANGED, to_state="results_published",
                 selected=len(chosen_ids), not_selected=len(sent) - len(chosen_ids))
        self.counts["selections"] = len(selections)
        return chosen_all

    # The production year.

    def groups(self, selected):
        opened = moment(self.call.results_on, 10)
        groups = _bulk(WorkingGroup, [
            WorkingGroup(proposal=p, call=self.call, entry=p.theme.entry, academy=p.academy, title=p.title, created_at=opened) for p in selected
        ])
        members = []
        for group, proposal in zip(groups, selected):
            group.members_of = []
            for k, (user, role) in enumerate(proposal.members):
                if any(user.pk == other.pk for other, _r in group.members_of):
                    continue
                group.members_of.append((user, role))
                members.append(GroupMember(
                    group=group, first_name=user.first_name, last_name=user.last_name, email=user.email.lower(), role=role, user=user,
                    uai=uai(group.academy.code, 500 + k), added_at=opened,
                ))
            group.inspector = proposal.steps[4]
            self.log(group, self.pilot, opened, AuditAction.CREATED, comment="Groupe constitué à partir de la candidature sélectionnée",
                     proposal=proposal.pk, members=len(group.members_of))
        _bulk(GroupMember, members)
        by_entry = defaultdict(list)
        for group in groups:
            by_entry[group.entry].append(group)
        nationals, national_members = [], []
        for entry, entry_groups in by_entry.items():
            national = NationalGroup(call=self.call, entry=entry, created_at=opened)
            national.groups = entry_groups
            nationals.append(national)
        _bulk(NationalGroup, nationals)
        for national in nationals:
            pool = self.people.reviewers[national.entry.discipline_id]
            reviewers = [user for user, home in pool if home is None] or [user for user, _home in pool]
            people = [(NationalRole.IGESR, reviewers[0])] + [(NationalRole.TN3_EXPERT, user) for user in reviewers[1:2]]
            for role, user in people:
                national_members.append(NationalMember(national_group=national, role=role, first_name=user.first_name, last_name=user.last_name,
                                                       email=user.email.lower(), user=user))
            seen = set()
            for group in sorted(national.groups, key=lambda g: (g.academy.name, g.pk)):
                for user, role in group.members_of:
                    if role == TeamRole.REFERENT and user.email.lower() not in seen:
                        seen.add(user.email.lower())
                        national_members.append(NationalMember(
                            national_group=national, role=NationalRole.REFERENT, first_name=user.first_name, last_name=user.last_name,
                            email=user.email.lower(), user=user, group=group, academy=group.academy,
                        ))
            self.log(national, self.pilot, opened, AuditAction.CREATED)
        _bulk(NationalMember, national_members)
        milestones = _bulk(Milestone, [Milestone(call=self.call, **values) for values in default_milestones(self.call)])
        for milestone in milestones:
            self.log(milestone, self.pilot, opened, AuditAction.CREATED, comment="Calendrier de production par défaut")
        HoursCap.objects.create(call=self.call, max_hours=HOURS_CAP, set_by=self.pilot, set_at=moment(self.call.production_starts_on, 9))
        self.counts["working groups"] = len(groups)
        self.counts["group members"] = len(members)
        return groups

    def scenarios(self, groups):
        rng = self.rng
        levels, crcn, commons = self.refs
        names = self.ref_names
        scenarios = []
        for group in groups:
            teachers = [user for user, role in group.members_of if role in TeamRole.runs_sequences]
            for number in range(rng.randint(2, 4)):
                approach, problem = rng.choice(APPROACHES)
                topic, tool = rng.choice(TOPICS), rng.choice(TOOLS)
                created = moment(self.call.production_starts_on + datetime.timedelta(days=10 + rng.randint(0, 40)), 16)
                state = rng.choices([ScenarioState.PUBLISHED, ScenarioState.VALIDATED, ScenarioState.DRAFT], weights=(85, 10, 5))[0]
                ai_usage = rng.choices(AIUsage.values, weights=(11, 5, 4))[0]
                title = approach.format(topic=topic, tool=tool) + f" : séquence {number + 1}"
                scenario = Scenario(
                    group=group, slug=f"{slugify(title)[:60]}-{self.year}-{group.pk}-{number + 1}", title=title,
                    summary=f"Séquence de {group.entry.name.lower()} conçue par le groupe de l'académie de {group.academy.name} : {topic} "
                    f"avec {tool}, expérimentée dans trois classes.",
                    problem=problem.format(topic=topic), disciplinary_competences=f"Compétences travaillées : {topic}, raisonner, communiquer.",
                    digital_tools=tool, ai_usage=ai_usage,
                    ai_tools="" if ai_usage == AIUsage.NONE else "Assistant d'IA générative institutionnel",
                    ai_precautions="" if ai_usage == AIUsage.NONE else "Aucune donnée personnelle saisie ; usage encadré en classe.",
                    sessions=rng.randint(2, 8), with_screen=rng.random() < 0.8, state=state, created_by=rng.choice(teachers), created_at=created,
                    updated_at=created + datetime.timedelta(days=3),
                )
                if state != ScenarioState.DRAFT:
                    scenario.tested_at = created + datetime.timedelta(days=21)
                    scenario.submitted_at = created + datetime.timedelta(days=30)
                    scenario.validated_at, scenario.validated_by = created + datetime.timedelta(days=36), group.inspector
                    scenario.updated_at = scenario.validated_at
                if state == ScenarioState.PUBLISHED:
                    scenario.published_at = min(created + datetime.timedelta(days=42), moment(self.call.production_ends_on, 12))
                    scenario.published_by = group.inspector
                    scenario.updated_at = scenario.published_at
                    scenario.edubase_url = f"https://edubase.eduscol.education.fr/fiche/{self.start * 100000 + len(scenarios)}"
                scenario.levels = rng.sample(levels, rng.randint(1, 2))
                scenario.crcn = rng.sample(crcn, rng.randint(1, 3))
                scenario.common_ids = [commons[COMMON_CODES[tool]]] if tool in COMMON_CODES else []
                scenarios.append(scenario)
        _bulk(Scenario, scenarios)
        level_rows, crcn_rows, common_rows, versions = [], [], [], []
        for scenario in scenarios:
            level_rows += [Scenario.class_levels.through(scenario_id=scenario.pk, classlevel_id=pk) for pk in scenario.levels]
            crcn_rows += [Scenario.crcn_competences.through(scenario_id=scenario.pk, crcncompetence_id=pk) for pk in scenario.crcn]
            common_rows += [Scenario.commons.through(scenario_id=scenario.pk, digitalcommon_id=pk) for pk in scenario.common_ids]
            content = {name: getattr(scenario, name) for name in (
                "title", "summary", "problem", "disciplinary_competences", "digital_tools", "ai_usage", "ai_tools", "ai_precautions", "licence",
                "sessions", "session_minutes", "with_screen",
            )}
            content.update(class_levels=[names["levels"][pk] for pk in sorted(scenario.levels, key=names["level_order"].get)],
                           crcn_competences=sorted(names["crcn"][pk] for pk in scenario.crcn),
                           commons=sorted(names["commons"][pk] for pk in scenario.common_ids), attachments=[])
            versions.append(ScenarioVersion(scenario=scenario, number=scenario.version, state=scenario.state, content=content,
                                            author=scenario.created_by, comment="", created_at=scenario.updated_at))
            self.log(scenario, scenario.created_by, scenario.created_at, AuditAction.CREATED, to_state=ScenarioState.DRAFT)
            if scenario.state != ScenarioState.DRAFT:
                self.log(scenario, scenario.created_by, scenario.tested_at, AuditAction.STATE_CHANGED, ScenarioState.DRAFT, ScenarioState.TESTED)
                self.log(scenario, scenario.created_by, scenario.submitted_at, AuditAction.STATE_CHANGED, ScenarioState.TESTED,
                         ScenarioState.SUBMITTED)
                self.log(scenario, scenario.validated_by, scenario.validated_at, AuditAction.STATE_CHANGED, ScenarioState.SUBMITTED,
                         ScenarioState.VALIDATED, comment="Séquence claire et transférable.")
            if scenario.state == ScenarioState.PUBLISHED:
                self.log(scenario, scenario.published_by, scenario.published_at, AuditAction.STATE_CHANGED, ScenarioState.VALIDATED,
                         ScenarioState.PUBLISHED, edubase_url=scenario.edubase_url)
        _bulk(Scenario.class_levels.through, level_rows)
        _bulk(Scenario.crcn_competences.through, crcn_rows)
        _bulk(Scenario.commons.through, common_rows)
        _bulk(ScenarioVersion, versions)
        self.counts["scenarios"] = len(scenarios)
        self.counts["published scenarios"] = sum(s.state == ScenarioState.PUBLISHED for s in scenarios)

    def hours(self, groups):
        declarations, used = [], defaultdict(int)
        for group in groups:
            teachers = [user for user, role in group.members_of if role in TeamRole.runs_sequences]
            for teacher in teachers:
                for month in HOURS_MONTHS:
                    first = self.day(month, 1, year_offset=0 if month >= 9 else 1)
                    declared_at = moment(first + datetime.timedelta(days=26), 18)
                    hours = self.rng.randint(2, 6)
                    if used[teacher.pk] + hours > HOURS_CAP:
                        continue  # the cap counts all of a person's groups
                    used[teacher.pk] += hours
                    declarations.append(HoursDeclaration(
                        group=group, member=teacher, month=first, hours=hours,
                        description="Conception, expérimentation en classe et reprise des séquences.", state=HoursState.VALIDATED,
                        declared_at=declared_at, decided_by=group.inspector, decided_at=declared_at + datetime.timedelta(days=5),
                    ))
        _bulk(HoursDeclaration, declarations)
        for declaration in declarations:
            self.log(declaration, declaration.member, declaration.declared_at, AuditAction.CREATED, to_state=HoursState.DECLARED)
            self.log(declaration, declaration.decided_by, declaration.decided_at, AuditAction.STATE_CHANGED, HoursState.DECLARED,
                     HoursState.VALIDATED)
        self.counts["hours declarations"] = len(declarations)


# --- Entry point -------------------------------------------------------------------------------


def chosen_academies(count=None):
    academies = list(Academy.objects.order_by("name"))
    academies.sort(key=lambda a: (a.code not in FIRST_ACADEMIES, FIRST_ACADEMIES.index(a.code) if a.code in FIRST_ACADEMIES else 0, a.name))
    return academies[:count] if count else academies


def generate(years=10, academies=None, stdout=None) -> dict:
    """Add ``years`` past calls of national-size history (``academies``: only
    the first n academies, Grenoble and Lyon first, for a smaller run). Years
    already there are skipped. Returns the rows created, by kind."""
    def say(text):
        if stdout is not None:
            stdout.write(text)

    pilot = User.objects.filter(email=PILOT).first()
    source = Call.objects.filter(year=SOURCE_YEAR).first()
    if pilot is None or source is None:
        raise RuntimeError("Chargez d'abord la démonstration (seed_demo) : le pilote et l'appel 2026-2027 sont nécessaires.")
    wanted = past_years(years)
    existing = set(Call.objects.filter(year__in=wanted).values_list("year", flat=True))
    totals = defaultdict(int)
    todo = [year for year in wanted if year not in existing]
    for year in sorted(existing):
        say(f"  {year} : déjà présent, ignoré")
    if not todo:
        return dict(totals)
    academies = chosen_academies(academies)
    disciplines = list(Discipline.objects.filter(entries__call=source).distinct().order_by("name"))
    levels = list(ClassLevel.objects.order_by("order").values_list("pk", flat=True))
    crcn = list(CrcnCompetence.objects.order_by("code").values_list("pk", flat=True))
    commons = dict(DigitalCommon.objects.values_list("code", "pk"))
    ref_names = {
        "levels": dict(ClassLevel.objects.values_list("pk", "name")),
        "level_order": dict(ClassLevel.objects.values_list("pk", "order")),
        "crcn": {c.pk: str(c) for c in CrcnCompetence.objects.all()},
        "commons": dict(DigitalCommon.objects.values_list("pk", "name")),
    }
    with transaction.atomic():
        people = People(academies, disciplines)
    totals["background accounts"] = people.created_users
    for year in todo:
        with transaction.atomic():
            generator = Year(year, source, pilot, people, academies, (levels, crcn, commons), ref_names)
            counts = generator.write()
        for kind, count in counts.items():
            totals[kind] += count
        say(f"  {year} : {counts['proposals']} candidatures, {counts['reviews']} évaluations, {counts['working groups']} groupes, "
            f"{counts['scenarios']} séquences ({counts['published scenarios']} publiées)")
    indexed = index_scenarios()
    totals["indexed scenarios"] = indexed
    return dict(totals)
