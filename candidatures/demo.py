"""Demo proposals (DESIGN.md demo contract), built through the services so that
each has its real history: in the open demo call, Grenoble and Lyon proposals at
every state; in 2026-2027, Grenoble's synthesis sent to the DNE."""

import datetime

from traam.demo import DEMO_CALL_YEAR
from traam.models import PARIS, ClassLevel, DigitalCommon, Theme

from . import services
from .enums import AcademicOpinion, AIUsage, TeamRole
from .models import Proposal

# Inside the 2026-2027 proposal window.
PAST_WINDOW = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=PARIS)
SYNTHESIS_SENT = datetime.datetime(2026, 3, 27, 16, 30, tzinfo=PARIS)

SCHOOLS = {"grenoble": ["0380023U", "0380089R", "0381234K"], "lyon": ["0690026D", "0691234S", "0692866R"]}


def team(users, academy_code, colleagues):
    schools = SCHOOLS[academy_code]
    lead, cardie, inspector = users["lead"], users.get("cardie"), users["inspector"]
    members = [
        {"first_name": lead.first_name, "last_name": lead.last_name, "email": lead.email, "role": TeamRole.TEACHER, "uai": schools[0]},
        {"first_name": colleagues[0][0], "last_name": colleagues[0][1], "email": colleagues[0][2], "role": TeamRole.TEACHER, "uai": schools[1]},
        {"first_name": colleagues[1][0], "last_name": colleagues[1][1], "email": colleagues[1][2], "role": TeamRole.REFERENT, "uai": schools[2]},
        {"first_name": inspector.first_name, "last_name": inspector.last_name, "email": inspector.email, "role": TeamRole.INSPECTOR, "uai": schools[0]},
    ]
    if cardie:
        members.append({"first_name": cardie.first_name, "last_name": cardie.last_name, "email": cardie.email, "role": TeamRole.CARDIE, "uai": schools[1]})
    else:
        members.append({"first_name": "Karim", "last_name": "Benali", "email": f"cardie.{academy_code}@ac-{academy_code}.example", "role": TeamRole.CARDIE, "uai": schools[1]})
    return members


def write(proposal, lead, content, members):
    levels = list(ClassLevel.objects.filter(code__in=content.pop("levels")).values_list("pk", flat=True))
    commons = list(DigitalCommon.objects.filter(code__in=content.pop("commons", [])).values_list("pk", flat=True))
    services.save_draft(proposal, {**content, "class_levels": levels, "commons": commons}, acting_user=lead, expected_version=proposal.version)
    services.replace_team(proposal, members, acting_user=lead, expected_version=proposal.version)
    return proposal


def proposal(theme, people, academy_code, content, colleagues, now=None, complete=True):
    lead = people["lead"]
    created = services.start_proposal(theme, acting_user=lead, now=now)
    members = team(people, academy_code, colleagues) if complete else team(people, academy_code, colleagues)[:2]
    return write(created, lead, dict(content), members)


MATHS = [
    {
        "title": "Parcours différenciés en calcul mental avec MathALÉA",
        "summary": "Des parcours d'automatismes générés par MathALÉA, adaptés au profil de chaque élève de 6e et 5e.",
        "objectives": "Consolider les automatismes de calcul et rendre visibles les progrès de chacun.",
        "problem": "Comment différencier les entraînements sans multiplier les supports pour l'enseignant ?",
        "digital_tools": "MathALÉA, Capytale, ENT",
        "ai_usage": AIUsage.NONE,
        "levels": ["college"], "commons": ["mathalea", "capytale"],
    },
    {
        "title": "Des exerciseurs Éléa pour la remédiation en seconde",
        "summary": "Des parcours Éléa avec rétroaction immédiate pour les élèves en difficulté en début de seconde.",
        "objectives": "Repérer les besoins et proposer une remédiation ciblée en autonomie.",
        "problem": "Comment outiller la remédiation en classe entière ?",
        "digital_tools": "Éléa (Moodle), tableurs",
        "ai_usage": AIUsage.TEACHER_PRACTICE,
        "ai_tools": "Assistant de génération d'exercices validés par l'enseignant",
        "ai_precautions": "Aucune donnée d'élève n'est transmise à l'outil.",
        "levels": ["lycee-gt"], "commons": ["elea"],
    },
    {
        "title": "Géométrie dynamique et tutorat entre pairs",
        "summary": "Des activités de géométrie dynamique où les élèves avancés guident leurs pairs.",
        "objectives": "Développer l'argumentation et l'autonomie.",
        "problem": "Comment organiser une différenciation par les pairs outillée par le numérique ?",
        "digital_tools": "GeoGebra, Capytale",
        "ai_usage": AIUsage.NONE,
        "levels": ["college", "lycee-gt"], "commons": ["capytale"],
    },
]

GRENOBLE_COLLEAGUES = [("Thomas", "Girard", "thomas.girard@ac-grenoble.example"), ("Inès", "Morel", "ines.morel@ac-grenoble.example")]
LYON_COLLEAGUES = [("Julie", "Perrin", "julie.perrin@ac-lyon.example"), ("Malik", "Roux", "malik.roux@ac-lyon.example")]


def seed(users):
    """Idempotent: does nothing once the demo proposals exist."""
    if Proposal.objects.filter(lead__email__endswith="@demo.traam.example").exists():
        return
    grenoble = {"lead": users["enseignant.grenoble@demo.traam.example"], "cardie": users["cardie.grenoble@demo.traam.example"], "inspector": users["inspecteur.maths.grenoble@demo.traam.example"]}
    lyon = {"lead": users["enseignant.lyon@demo.traam.example"], "inspector": users["inspecteur.maths.lyon@demo.traam.example"]}
    dan_grenoble = users["dan.grenoble@demo.traam.example"]

    # 2026-2027: two Grenoble maths proposals retained and sent in the synthesis; one Lyon proposal not retained.
    maths_2026 = Theme.objects.get(entry__call__year="2026-2027", entry__code="mathematiques")
    sent = []
    for content in MATHS[:2]:
        done = proposal(maths_2026, grenoble, "grenoble", content, GRENOBLE_COLLEAGUES, now=PAST_WINDOW)
        services.submit(done, acting_user=grenoble["lead"], now=PAST_WINDOW)
        services.give_opinion(done, acting_user=grenoble["inspector"], opinion=AcademicOpinion.FAVOURABLE, comment="Équipe solide, projet transférable.")
        services.decide(done, acting_user=grenoble["inspector"], retained=True)
        sent.append(done)
    late = proposal(maths_2026, lyon, "lyon", MATHS[2], LYON_COLLEAGUES, now=PAST_WINDOW)
    services.submit(late, acting_user=lyon["lead"], now=PAST_WINDOW)
    services.give_opinion(late, acting_user=lyon["inspector"], opinion=AcademicOpinion.UNFAVOURABLE, comment="Le lien avec la thématique reste à préciser.")
    services.decide(late, acting_user=lyon["inspector"], retained=False)
    synthesis = services.compose_synthesis(
        maths_2026.entry.call, sent[0].academy, acting_user=dan_grenoble,
        cover_note="Deux projets complémentaires, au collège et au lycée.",
        items=[(sent[0], 1, "Projet prioritaire de l'académie."), (sent[1], 2, "")], now=SYNTHESIS_SENT,
    )
    services.send_synthesis(synthesis, acting_user=dan_grenoble, now=SYNTHESIS_SENT)

    # The open demo call: every state of the academic stage.
    maths_demo = Theme.objects.get(entry__call__year=DEMO_CALL_YEAR, entry__code="mathematiques")
    proposal(maths_demo, grenoble, "grenoble", MATHS[0], GRENOBLE_COLLEAGUES, complete=False)  # draft
    submitted = proposal(maths_demo, grenoble, "grenoble", MATHS[1], GRENOBLE_COLLEAGUES)
    services.submit(submitted, acting_user=grenoble["lead"])
    returned = proposal(maths_demo, lyon, "lyon", MATHS[2], LYON_COLLEAGUES)
    services.submit(returned, acting_user=lyon["lead"])
    services.return_for_completion(returned, acting_user=lyon["inspector"], reason="Précisez les niveaux de classe concernés et le calendrier des séances.")
    retained = proposal(maths_demo, lyon, "lyon", MATHS[0], LYON_COLLEAGUES)
    services.submit(retained, acting_user=lyon["lead"])
    services.give_opinion(retained, acting_user=lyon["inspector"], opinion=AcademicOpinion.FAVOURABLE)
    services.decide(retained, acting_user=lyon["inspector"], retained=True)
