"""Fixtures of the production year: the 2026-2027 results published with a
Grenoble and a Lyon mathematics proposal selected (through the selection
services), their working groups opened, and scenarios at each state, built
through the services."""

import datetime

import pytest

from candidatures.enums import TeamRole
from productions import services
from productions.models import WorkingGroup
from selection import services as selection
from tests.candidatures.conftest import (  # noqa: F401 (fixtures)
    call, colleague_grenoble, complete, draft, inspector_maths_lyon, inspector_nsi_grenoble, maths_theme, nsi_theme, retained,
    submitted, teacher_lyon,
)
from tests.factories import make_user
from tests.selection.conftest import (  # noqa: F401 (fixtures)
    AFTER_DEADLINE, cardie_lyon, colleague_lyon, justify_other_entries, maths_entry, sent_grenoble, sent_lyon,
)
from traam.enums import Role
from traam.models import PARIS, ClassLevel, CrcnCompetence, DigitalCommon, OutgoingEmail

# During the production (1 September 2026 → 30 April 2027).
IN_PRODUCTION = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=PARIS)
TODAY = datetime.date(2026, 11, 20)
REFERENT = "ines.morel@ac-grenoble.fr"  # the referent of both teams (no account)


def refused(service, *args, **kwargs):
    """Run a service expected to refuse with a ProductionError; return its messages."""
    with pytest.raises(services.ProductionError) as error:
        service(*args, **kwargs)
    return error.value.messages


def refused_by_field(service, *args, **kwargs):
    with pytest.raises(services.ProductionError) as error:
        service(*args, **kwargs)
    return error.value.message_dict


def emails(subject_part):
    return [(sorted(e.to), e.subject) for e in OutgoingEmail.objects.filter(subject__contains=subject_part).order_by("pk")]


def ids(model, *codes, field="code"):
    return list(model.objects.filter(**{f"{field}__in": codes}).values_list("pk", flat=True))


def complete_content(**extra):
    """Everything ``missing_for_validation`` asks for."""
    return {
        "summary": "Des parcours d'automatismes adaptés à chaque élève.",
        "problem": "Comment différencier sans multiplier les supports ?",
        "disciplinary_competences": "Calculer avec des fractions.",
        "digital_tools": "MathALÉA",
        "ai_usage": "none",
        "sessions": 4,
        "class_levels": ids(ClassLevel, "college"),
        "crcn_competences": ids(CrcnCompetence, "1.3"),
        "commons": ids(DigitalCommon, "mathalea"),
        **extra,
    }


@pytest.fixture
def published(sent_grenoble, sent_lyon, call, pilot):  # noqa: F811
    """Both mathematics proposals selected, every entry explained, results published on 15 June 2026."""
    selection.select(sent_grenoble, acting_user=pilot)
    selection.select(sent_lyon, acting_user=pilot)
    justify_other_entries(call, pilot)
    return selection.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)


@pytest.fixture
def groups(published, call, pilot):  # noqa: F811
    """The groups opened as the receiver would (tests do not run the commit hooks)."""
    return services.open_groups(call, acting_user=pilot, now=AFTER_DEADLINE)


@pytest.fixture
def group(groups, sent_grenoble):  # noqa: F811
    """The Grenoble group: teacher_grenoble, colleague_grenoble, Inès Morel (referent, no account),
    cardie_grenoble, inspector_maths_grenoble."""
    return WorkingGroup.objects.get(proposal=sent_grenoble)


@pytest.fixture
def group_lyon(groups, sent_lyon):  # noqa: F811
    return WorkingGroup.objects.get(proposal=sent_lyon)


@pytest.fixture
def other_inspector_grenoble(grenoble, maths):
    """Another mathematics inspector of Grenoble, not a member of the group."""
    return make_user("ia-ipr.maths.2@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[maths])


@pytest.fixture
def scenario(group, teacher_grenoble):
    return services.create_scenario(group, acting_user=teacher_grenoble, title="Fractions en 6e", now=IN_PRODUCTION)


@pytest.fixture
def written(scenario, teacher_grenoble):
    return services.save_scenario(scenario, complete_content(), acting_user=teacher_grenoble, expected_version=scenario.version)


@pytest.fixture
def tested(written, teacher_grenoble):
    return services.mark_tested(written, acting_user=teacher_grenoble)


@pytest.fixture
def submitted_scenario(tested, teacher_grenoble):
    return services.submit_for_validation(tested, acting_user=teacher_grenoble)


@pytest.fixture
def validated(submitted_scenario, inspector_maths_grenoble):
    return services.validate(submitted_scenario, acting_user=inspector_maths_grenoble)


@pytest.fixture
def returned(submitted_scenario, inspector_maths_grenoble):
    return services.return_scenario(submitted_scenario, acting_user=inspector_maths_grenoble, comment="Ajoutez la fiche élève.")


@pytest.fixture
def published_scenario(validated, inspector_maths_grenoble):
    return services.publish(validated, acting_user=inspector_maths_grenoble, edubase_url="https://edubase.eduscol.education.fr/fiche/12345")


def member_of(group, email):
    return group.members.get(email=email)


def roles(group):
    return sorted(group.members.values_list("email", "role"))


TEACHER, REFERENT_ROLE, CARDIE, INSPECTOR = TeamRole.TEACHER, TeamRole.REFERENT, TeamRole.CARDIE, TeamRole.INSPECTOR
