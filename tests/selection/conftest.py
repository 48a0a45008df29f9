"""Fixtures of the national selection: a Grenoble and a Lyon mathematics
proposal sent to the DNE through the Proposals services, the call's grid, and
reviewers with and without a home academy."""

import datetime

import pytest

from candidatures import services as proposals
from candidatures.enums import AcademicOpinion, ProposalState
from candidatures.models import Proposal
from selection import services
from selection.models import Criterion
from tests.candidatures.conftest import (  # noqa: F401 (fixtures)
    IN_WINDOW, call, colleague_grenoble, fill, full_team, inspector_maths_lyon, inspector_nsi_grenoble, maths_theme, nsi_theme,
    retained, submitted, complete, draft, teacher_lyon,
)
from tests.factories import make_user
from traam.enums import Role
from traam.models import PARIS, Entry

# After the 2026-2027 synthesis deadline (31 March 2026, Paris).
AFTER_DEADLINE = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)
SENT_ON = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=PARIS)


def send_alone(proposal, dan, academy):
    """The academy's synthesis with this one proposal, sent before the deadline."""
    synthesis = proposals.compose_synthesis(
        proposal.theme.entry.call, academy, acting_user=dan, cover_note="", items=[(proposal, 1, "Priorité de l'académie.")], now=SENT_ON,
    )
    proposals.send_synthesis(synthesis, acting_user=dan, now=SENT_ON)
    return Proposal.objects.get(pk=proposal.pk)


def make_sent(theme, academy, title, lead=None):
    """A proposal already « transmise à la DNE » (a shortcut for counting tests)."""
    lead = lead or make_user(f"porteur.{Proposal.objects.count() + 1}@example.test", Role.TEACHER, academy=academy)
    return Proposal.objects.create(theme=theme, academy=academy, lead=lead, title=title, state=ProposalState.SENT)


def criteria(grid):
    return list(Criterion.objects.filter(grid=grid).order_by("order", "pk"))


def scores_of(grid, *values):
    """{criterion id: value} for the grid's criteria in order."""
    return {criterion.pk: value for criterion, value in zip(criteria(grid), values)}


@pytest.fixture
def colleague_lyon(lyon):
    return make_user("collegue.lyon@example.test", Role.TEACHER, academy=lyon)


@pytest.fixture
def cardie_lyon(lyon):
    return make_user("cardie.lyon@example.test", Role.CARDIE, academy=lyon)


@pytest.fixture
def sent_grenoble(retained, dan_grenoble, grenoble):  # noqa: F811
    """The Grenoble maths proposal (« Différencier avec MathALÉA »), sent in Grenoble's synthesis."""
    return send_alone(retained, dan_grenoble, grenoble)


@pytest.fixture
def sent_lyon(maths_theme, teacher_lyon, colleague_lyon, cardie_lyon, inspector_maths_lyon, dan_lyon, lyon):  # noqa: F811
    """A Lyon maths proposal, sent in Lyon's synthesis."""
    draft = proposals.start_proposal(maths_theme, acting_user=teacher_lyon, now=IN_WINDOW)
    fill(draft, teacher_lyon, full_team(teacher_lyon, colleague_lyon, cardie_lyon, inspector_maths_lyon), title="Plans de travail au collège")
    proposals.submit(draft, acting_user=teacher_lyon, now=IN_WINDOW)
    proposals.give_opinion(draft, acting_user=inspector_maths_lyon, opinion=AcademicOpinion.FAVOURABLE)
    proposals.decide(draft, acting_user=inspector_maths_lyon, retained=True)
    return send_alone(draft, dan_lyon, lyon)


@pytest.fixture
def maths_entry(call):  # noqa: F811
    return Entry.objects.get(call=call, code="mathematiques")


@pytest.fixture
def nsi_entry(call):  # noqa: F811
    return Entry.objects.get(call=call, code="nsi")


@pytest.fixture
def grid(call, pilot):  # noqa: F811
    return services.ensure_grid(call, acting_user=pilot)


@pytest.fixture
def reviewer_national(maths):
    """A mathematics reviewer with no academy: no conflict anywhere."""
    return make_user("evaluatrice.nationale@example.test", Role.REVIEWER, disciplines=[maths])


@pytest.fixture
def reviewer_lyon(lyon, maths):
    """A mathematics reviewer who belongs to Lyon."""
    return make_user("evaluateur.lyon@example.test", Role.REVIEWER, academy=lyon, disciplines=[maths])


@pytest.fixture
def reviewer_nsi(nsi):
    return make_user("evaluateur.nsi@example.test", Role.REVIEWER, disciplines=[nsi])


@pytest.fixture
def assignment(sent_grenoble, reviewer_national, pilot, grid):
    """The Grenoble proposal confided to the national reviewer."""
    return services.assign_reviewer(sent_grenoble, reviewer_national, acting_user=pilot)


@pytest.fixture
def peer_assignment(sent_grenoble, reviewer_lyon, pilot, grid):
    """The same proposal confided to the Lyon reviewer too."""
    return services.assign_reviewer(sent_grenoble, reviewer_lyon, acting_user=pilot)


def justify_other_entries(call, pilot, *keep):  # noqa: F811
    """A reason for the empty seats of every entry but ``keep`` (entry codes)."""
    for entry in Entry.objects.filter(call=call).exclude(code__in=keep):
        services.set_empty_seat_reason(entry, "Aucune candidature transmise.", acting_user=pilot)
