"""Fixtures of the Proposals stage: people around a Grenoble maths proposal,
and the proposal itself at each step, built through the services."""

import datetime

import pytest
from django.utils import timezone

from candidatures import services
from candidatures.enums import AcademicOpinion, AIUsage, TeamRole
from tests.factories import make_user
from traam.enums import Role
from traam.models import PARIS, Call, ClassLevel, Theme

# Inside the 2026-2027 proposal window (2026-01-12 → 2026-03-31, Paris).
IN_WINDOW = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=PARIS)

CONTENT = {
    "title": "Différencier avec MathALÉA",
    "summary": "Des parcours d'exercices adaptés au niveau de chaque élève.",
    "objectives": "Réduire les écarts de maîtrise du calcul en classe de 5e.",
    "problem": "Comment le numérique aide-t-il à différencier sans isoler l'élève ?",
    "digital_tools": "MathALÉA, Capytale",
    "ai_usage": AIUsage.NONE,
}


def member(user_or_name, email, role, uai):
    if isinstance(user_or_name, str):
        first_name, last_name = user_or_name.split(" ", 1)
    else:
        first_name, last_name = user_or_name.first_name, user_or_name.last_name
    return {"first_name": first_name, "last_name": last_name, "email": email, "role": role, "uai": uai}


def full_team(lead, colleague, cardie, inspector):
    """2 teachers + 1 referent (3 who teach), a CARDIE representative, the piloting inspector."""
    return [
        member(lead, lead.email, TeamRole.TEACHER, "0380023U"),
        member(colleague, colleague.email, TeamRole.TEACHER, "0380089R"),
        member("Inès Morel", "ines.morel@ac-grenoble.fr", TeamRole.REFERENT, "0381234K"),
        member(cardie, cardie.email, TeamRole.CARDIE, "0380023U"),
        member(inspector, inspector.email, TeamRole.INSPECTOR, "0381234K"),
    ]


def fill(proposal, user, members, **content):
    """Write the content and the team as the team's form would."""
    levels = list(ClassLevel.objects.filter(code__in=["college", "lycee-gt"]).values_list("pk", flat=True))
    services.save_draft(proposal, {**CONTENT, "class_levels": levels, **content}, acting_user=user, expected_version=proposal.version)
    services.replace_team(proposal, members, acting_user=user, expected_version=proposal.version)
    return proposal


def open_window(call):
    """The real clock is past the 2026-2027 window: move it around today (called
    after the fixtures that start proposals at ``IN_WINDOW``)."""
    today = timezone.localdate()
    Call.objects.filter(pk=call.pk).update(
        opens_on=today - datetime.timedelta(days=30),
        synthesis_deadline=today + datetime.timedelta(days=30),
        results_on=today + datetime.timedelta(days=60),
        production_starts_on=today + datetime.timedelta(days=90),
        production_ends_on=today + datetime.timedelta(days=300),
    )
    call.refresh_from_db()
    return call


@pytest.fixture
def call(db):
    return Call.objects.get(year="2026-2027")


@pytest.fixture
def maths_theme(call):
    return Theme.objects.get(entry__call=call, entry__code="mathematiques")


@pytest.fixture
def nsi_theme(call):
    return Theme.objects.get(entry__call=call, entry__code="nsi", order=1)


@pytest.fixture
def colleague_grenoble(grenoble):
    return make_user("collegue.grenoble@example.test", Role.TEACHER, academy=grenoble)


@pytest.fixture
def teacher_lyon(lyon):
    return make_user("prof.lyon@example.test", Role.TEACHER, academy=lyon)


@pytest.fixture
def inspector_maths_lyon(lyon, maths):
    return make_user("ia-ipr.maths.lyon@example.test", Role.INSPECTOR, academy=lyon, disciplines=[maths])


@pytest.fixture
def inspector_nsi_grenoble(grenoble, nsi):
    return make_user("ia-ipr.nsi@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[nsi])


@pytest.fixture
def draft(maths_theme, teacher_grenoble):
    return services.start_proposal(maths_theme, acting_user=teacher_grenoble, now=IN_WINDOW)


@pytest.fixture
def complete(draft, teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble):
    return fill(draft, teacher_grenoble, full_team(teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble))


@pytest.fixture
def submitted(complete, teacher_grenoble):
    return services.submit(complete, acting_user=teacher_grenoble, now=IN_WINDOW)


@pytest.fixture
def retained(submitted, inspector_maths_grenoble):
    services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.FAVOURABLE)
    return services.decide(submitted, acting_user=inspector_maths_grenoble, retained=True)
