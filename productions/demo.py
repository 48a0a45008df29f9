"""Demo of the production year (DESIGN.md demo contract), played through the
services on the groups of the published 2026-2027 selection, as they stand on
20 November 2026.

- The groups open on the day the results were published (15 June 2026). The
  piloting inspectors change a few memberships: in Grenoble (mathematics) a
  fourth teacher joins; in Lyon (lettres) the referent changes, and the
  national group follows; in Toulouse (NSI) the CARDIE representative leaves, so
  that group shows a composition problem.
- The national group of each entry: an IGÉSR member and one or two TN3 experts
  (igesr.maths@ and expert.tn3@ in mathematics and NSI), beside the referents.
- Scenarios at every state (``demo_content``): 16 published with their
  Édubase record across the five entries, others validated, submitted,
  returned, tested or drafts. enseignant.grenoble@ writes in both Grenoble
  mathematics groups, which inspecteur.maths.grenoble@ pilots: a scenario waits
  for their validation, another for publication.
- The calendar: the default milestones, two intermediate steps (one past, which
  some groups missed; one on 4 December, before which the groups behind were
  reminded on 20 November) and a cap of 36 hours per person.
- Hours: each group's teachers with an account declare September to November;
  September and October are validated (one refused in Grenoble, declared again),
  November waits for the inspector.

Idempotent: each part creates only what is missing."""

import datetime

from candidatures.enums import TeamRole
from selection.demo import PUBLISHED as RESULTS_PUBLISHED
from selection.demo import person
from selection.models import Publication
from traam.models import PARIS, Call, ClassLevel, CrcnCompetence, DigitalCommon, User

from . import services
from .demo_content import SCENARIOS
from .enums import MilestoneKind, NationalRole, ScenarioState
from .models import HoursCap, HoursDeclaration, Milestone, NationalGroup, Scenario, WorkingGroup

YEAR = "2026-2027"
PILOT = "pilote@demo.traam.example"
IGESR_MATHS = "igesr.maths@demo.traam.example"
EXPERT = "expert.tn3@demo.traam.example"
# The demo's "today": the reminders and the hours of November are computed on it.
TODAY = datetime.date(2026, 11, 20)
HOURS_CAP = 36

# Entry code → (IGÉSR member, TN3 experts): demo accounts or background people
# (first name, last name, e-mail) who cannot sign in.
NATIONAL_MEMBERS = {
    "mathematiques": (IGESR_MATHS, [EXPERT, ("Julien", "Marchetti", "julien.marchetti@dne.example")]),
    "nsi": (("Sophie", "Garnier", "sophie.garnier@igesr.example"), [EXPERT]),
    "histoire-geographie": (("Françoise", "Aubert", "francoise.aubert@igesr.example"), [("Nora", "Haddad", "nora.haddad@dne.example")]),
    "lettres": (("Marianne", "Leclerc", "marianne.leclerc@igesr.example"), [("Nora", "Haddad", "nora.haddad@dne.example")]),
    "svt-annee-1": (("Bernard", "Morin", "bernard.morin@igesr.example"), [("Olivier", "Reynaud", "olivier.reynaud@dne.example")]),
}

# Intermediate steps the pilot adds to the default calendar: (label, due on, expected scenarios, at least).
STEPS = [
    ("Première séquence expérimentée en classe", datetime.date(2026, 11, 13), 1, ScenarioState.TESTED),
    ("Une séquence prête pour la validation avant les congés d'hiver", datetime.date(2026, 12, 4), 1, ScenarioState.SUBMITTED),
]

# Hours of each group's teachers with an account: month → (hours, what they did).
HOURS = {
    9: (5, "Réunion de lancement du groupe et conception de la première séquence."),
    10: (7, "Expérimentation en classe et rédaction de la fiche enseignant."),
    11: (4, "Analyse des productions d'élèves et reprise de la séquence."),
}
# Where October's hours are refused, then declared again.
REFUSED_IN = "Des exerciseurs Éléa pour la remédiation en seconde"
REFUSED = "Les heures de la réunion académique du 14 octobre sont déjà rémunérées par ailleurs : déclarez-les sans cette réunion."


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


GROUPS_OPENED = RESULTS_PUBLISHED
CALENDAR_SET = paris(2026, 9, 1, 9, 0)


def account(users, spec):
    """A demo account by address, or a background person (first name, last name, e-mail)."""
    if isinstance(spec, str):
        return users.get(spec) or User.objects.get(email=spec)
    return person(*spec)


def inspector_of(group):
    member = group.members.filter(role=TeamRole.INSPECTOR, user__isnull=False).select_related("user").order_by("pk").first()
    return member.user if member else None


def teachers_of(group):
    """The group's teachers with an account, the proposal's lead first."""
    members = group.members.filter(role__in=TeamRole.runs_sequences, user__isnull=False).select_related("user")
    lead_id = group.proposal.lead_id
    return sorted((member.user for member in members), key=lambda user: (user.pk != lead_id, user.pk))


# --- Groups ----------------------------------------------------------------------------------


def seed_memberships(groups):
    """A few changes by the piloting inspectors, each once."""
    grenoble = groups.get("Parcours différenciés en calcul mental avec MathALÉA")
    if grenoble and not grenoble.members.filter(email="julien.bernard@ac-grenoble.example").exists():
        services.add_member(
            grenoble, acting_user=inspector_of(grenoble), first_name="Julien", last_name="Bernard",
            email="julien.bernard@ac-grenoble.example", role=TeamRole.TEACHER, uai="0382780R", now=paris(2026, 9, 8, 17, 0),
        )
    lyon = groups.get("Écrire avec et contre l'IA : réécrire des fables au collège")
    if lyon:
        new_referent = lyon.members.filter(email="remi.chapuis@ac-lyon.example").first()
        if new_referent and new_referent.role != TeamRole.REFERENT:
            services.change_member_role(new_referent, TeamRole.REFERENT, acting_user=inspector_of(lyon), now=paris(2026, 9, 15, 12, 0))
    toulouse = groups.get("Mentorat entre lycéennes de NSI et collégiennes de 3e")
    if toulouse:
        cardie = toulouse.members.filter(role=TeamRole.CARDIE).first()
        if cardie:
            services.remove_member(cardie, acting_user=inspector_of(toulouse), now=paris(2026, 10, 2, 10, 0))


def seed_national_groups(call, users):
    pilot = users[PILOT]
    for national in NationalGroup.objects.filter(call=call).select_related("entry"):
        if national.entry.code not in NATIONAL_MEMBERS or national.members.filter(role=NationalRole.IGESR).exists():
            continue
        igesr, experts = NATIONAL_MEMBERS[national.entry.code]
        services.set_national_members(
            national, acting_user=pilot, igesr=account(users, igesr), experts=[account(users, expert) for expert in experts],
            now=paris(2026, 6, 29, 10, 0),
        )


def seed_calendar(call, pilot):
    services.ensure_milestones(call, acting_user=pilot, now=CALENDAR_SET)
    existing = set(Milestone.objects.filter(call=call).values_list("label", flat=True))
    for label, due_on, expected, state in STEPS:
        if label not in existing:
            services.add_milestone(
                call, acting_user=pilot, kind=MilestoneKind.STEP, label=label, due_on=due_on, expected_scenarios=expected,
                expected_state=state, now=CALENDAR_SET,
            )
    if not HoursCap.objects.filter(call=call).exists():
        services.set_hours_cap(call, HOURS_CAP, acting_user=pilot, now=CALENDAR_SET)


# --- Scenarios ------------------------------------------------------------------------------


class References:
    def __init__(self):
        self.levels = dict(ClassLevel.objects.values_list("code", "pk"))
        self.crcn = dict(CrcnCompetence.objects.values_list("code", "pk"))
        self.commons = dict(DigitalCommon.objects.values_list("code", "pk"))

    def data(self, plan):
        return {
            **plan["content"],
            "class_levels": [self.levels[code] for code in plan["levels"]],
            "crcn_competences": [self.crcn[code] for code in plan["crcn"]],
            "commons": [self.commons[code] for code in plan["commons"]],
        }


def timeline(group_number, scenario_number):
    """When the steps of a group's scenario happened, between September and 20 November."""
    start = paris(2026, 9, 10, 16, 0) + datetime.timedelta(days=group_number % 9 + 6 * scenario_number, hours=group_number % 4)
    return {
        "created": start,
        "written": start + datetime.timedelta(days=3),
        "tested": start + datetime.timedelta(days=21),
        "reviewed": start + datetime.timedelta(days=24),
        "submitted": start + datetime.timedelta(days=30),
        "decided": start + datetime.timedelta(days=36),
        "published": start + datetime.timedelta(days=42, hours=2),
    }


def play(group, plan, refs, when, pilot, publisher_is_pilot):
    """Walk one scenario through the services to its planned state."""
    author = teachers_of(group)[0]
    inspector = inspector_of(group)
    state = plan["state"]
    scenario = services.create_scenario(group, acting_user=author, title=plan["title"], now=when["created"])
    services.save_scenario(scenario, refs.data(plan), acting_user=author, expected_version=scenario.version, now=when["written"])
    if state == ScenarioState.DRAFT:
        return scenario
    services.mark_tested(scenario, acting_user=author, now=when["tested"])
    # What the test in class taught: one more session, and a word in the summary (a second version to compare).
    sessions = (plan["content"]["sessions"] or 0) + 1
    summary = plan["content"]["summary"] + " Expérimentée en classe à l'automne 2026 : une séance a été ajoutée pour la mise en commun."
    services.save_scenario(
        scenario, {"summary": summary, "sessions": sessions}, acting_user=author, expected_version=scenario.version, now=when["reviewed"],
    )
    if state == ScenarioState.TESTED:
        return scenario
    services.submit_for_validation(scenario, acting_user=author, now=when["submitted"])
    if state == ScenarioState.SUBMITTED:
        return scenario
    if state == ScenarioState.RETURNED:
        services.return_scenario(scenario, acting_user=inspector, comment=plan["comment"], now=when["decided"])
        return scenario
    services.validate(scenario, acting_user=inspector, comment="Séquence claire et transférable.", now=when["decided"])
    if state == ScenarioState.VALIDATED:
        return scenario
    edubase = f"https://edubase.eduscol.education.fr/fiche/{plan['edubase']}" if plan["edubase"] else ""
    services.publish(scenario, acting_user=pilot if publisher_is_pilot else inspector, edubase_url=edubase, now=when["published"])
    return scenario


def seed_scenarios(groups, pilot):
    refs = References()
    for group_number, (title, plans) in enumerate(SCENARIOS.items()):
        group = groups.get(title)
        if group is None or not teachers_of(group) or inspector_of(group) is None:
            continue
        existing = set(Scenario.objects.filter(group=group).values_list("title", flat=True))
        for scenario_number, plan in enumerate(plans):
            if plan["title"] not in existing:
                play(group, plan, refs, timeline(group_number, scenario_number), pilot, publisher_is_pilot=group_number % 3 == 2)


# --- Hours -------------------------------------------------------------------------------------


def seed_hours(groups):
    for number, group in enumerate(groups.values()):
        inspector = inspector_of(group)
        if inspector is None:
            continue
        for teacher in teachers_of(group)[:2]:
            for month_number, (hours, description) in HOURS.items():
                month = datetime.date(2026, month_number, 1)
                if HoursDeclaration.objects.filter(group=group, member=teacher, month=month).exists():
                    continue
                declared_at = paris(2026, month_number, 28, 18, 0) if month_number < 11 else paris(2026, 11, 19, 18, 0)
                hours -= number % 3
                declaration = services.declare_hours(
                    group, acting_user=teacher, month=month, hours=hours, description=description, today=TODAY, now=declared_at,
                )
                if month_number == 11:
                    continue  # waits for the inspector
                decided_at = declared_at + datetime.timedelta(days=5)
                if month_number == 10 and group.title == REFUSED_IN:
                    services.refuse_hours(declaration, acting_user=inspector, comment=REFUSED, now=decided_at)
                    services.declare_hours(
                        group, acting_user=teacher, month=month, hours=hours - 2, description=description + " (sans la réunion académique)",
                        today=TODAY, now=decided_at + datetime.timedelta(days=1),
                    )
                else:
                    services.validate_hours(declaration, acting_user=inspector, now=decided_at)


def seed(users):
    """Idempotent: each part creates only what is missing."""
    call = Call.objects.filter(year=YEAR).first()
    if call is None or not Publication.objects.filter(call=call).exists():
        return  # the selection demo has not published 2026-2027
    pilot = users[PILOT]
    # The publication's receiver runs once seed_demo commits: open the groups now (it will find them).
    services.open_groups(call, acting_user=pilot, now=GROUPS_OPENED)
    groups = {
        group.title: group
        for group in WorkingGroup.objects.filter(call=call)
        .select_related("proposal", "academy", "entry", "call")
        .order_by("entry__order", "academy__name", "pk")
    }
    seed_memberships(groups)
    seed_national_groups(call, users)
    seed_calendar(call, pilot)
    seed_scenarios(groups, pilot)
    seed_hours(groups)
    services.send_milestone_reminders(call, today=TODAY, now=paris(2026, 11, 20, 7, 30))
