"""The demo contract (DESIGN.md): ten accounts with the password ``traam-demo``
and, beside the real 2026-2027 call, an open demo call where every stage can be
tried live. Later stages add their data here."""

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from . import services
from .enums import Role
from .models import Academy, Call, Discipline, RoleAssignment, User
from .reference import load_reference

DEMO_PASSWORD = "traam-demo"
DEMO_CALL_YEAR = "2027-2028"

# email, first name, last name, role, academy code, discipline codes
ACCOUNTS = [
    ("pilote@demo.traam.example", "Camille", "Pilote", Role.PILOT, None, []),
    ("igesr.maths@demo.traam.example", "Hélène", "Inspectrice-Générale", Role.REVIEWER, None, ["mathematiques"]),
    ("expert.tn3@demo.traam.example", "Yanis", "Expert", Role.REVIEWER, None, ["mathematiques", "nsi"]),
    ("dan.grenoble@demo.traam.example", "Sophie", "Délégation-Grenoble", Role.DAN, "grenoble", []),
    ("dan.lyon@demo.traam.example", "Marc", "Délégation-Lyon", Role.DAN, "lyon", []),
    ("inspecteur.maths.grenoble@demo.traam.example", "Nadia", "Inspectrice-Grenoble", Role.INSPECTOR, "grenoble", ["mathematiques"]),
    ("inspecteur.maths.lyon@demo.traam.example", "Paul", "Inspecteur-Lyon", Role.INSPECTOR, "lyon", ["mathematiques"]),
    ("enseignant.grenoble@demo.traam.example", "Léa", "Enseignante-Grenoble", Role.TEACHER, "grenoble", []),
    ("enseignant.lyon@demo.traam.example", "Hugo", "Enseignant-Lyon", Role.TEACHER, "lyon", []),
    ("cardie.grenoble@demo.traam.example", "Inès", "Cardie-Grenoble", Role.CARDIE, "grenoble", []),
]


def ensure_account(email, first_name, last_name):
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first_name, "last_name": last_name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_call_dates(today=None):
    """The demo call's calendar: its own dates, stretched so that its proposal
    phase is open whenever the demo is loaded."""
    today = today or timezone.localdate()
    day = datetime.timedelta(days=1)
    opens_on = min(datetime.date(2026, 11, 2), today - 21 * day)
    synthesis_deadline = max(datetime.date(2027, 3, 31), today + 120 * day)
    results_on = max(datetime.date(2027, 6, 15), synthesis_deadline + 60 * day)
    production_starts_on = max(datetime.date(2027, 9, 1), results_on + 60 * day)
    production_ends_on = max(datetime.date(2028, 4, 30), production_starts_on + 240 * day)
    return {
        "opens_on": opens_on, "synthesis_deadline": synthesis_deadline, "results_on": results_on,
        "production_starts_on": production_starts_on, "production_ends_on": production_ends_on,
    }


@transaction.atomic
def seed_demo(stdout=None):
    load_reference()
    users = {}
    for email, first_name, last_name, role, academy_code, discipline_codes in ACCOUNTS:
        user = ensure_account(email, first_name, last_name)
        academy = Academy.objects.get(code=academy_code) if academy_code else None
        assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role, academy=academy, region=None)
        if discipline_codes:
            assignment.disciplines.set(Discipline.objects.filter(code__in=discipline_codes))
        users[email] = user
    pilot = users["pilote@demo.traam.example"]
    if not Call.objects.filter(year=DEMO_CALL_YEAR).exists():
        source = Call.objects.get(year="2026-2027")
        demo = services.clone_call(
            source,
            year=DEMO_CALL_YEAR,
            title="Appel à projet 2027-2028 (démonstration)",
            dates=demo_call_dates(),
            acting_user=pilot,
        )
        demo.is_published = True
        demo.save(update_fields=["is_published"])
    return users
