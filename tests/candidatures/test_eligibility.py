"""SVT « Année 2 »: the academy must have taken part in year 1 of the
« bases de données et systèmes d'information géographique » theme."""

import datetime

import pytest

from candidatures import services
from candidatures.enums import ProposalState
from candidatures.models import Proposal
from candidatures.services import ProposalError
from tests.candidatures.conftest import IN_WINDOW, fill, full_team
from traam.enums import EligibilityRule
from traam.models import Call, Discipline, Entry, Theme

REFUSAL = (
    "Votre académie doit avoir participé aux TraAM en année 1 sur la thématique "
    "« bases de données et systèmes d'information géographique » pour candidater."
)
YEAR_ONE_TITLE = "Bases de données et systèmes d'information géographique"


@pytest.fixture
def svt_year_two(call):
    theme = Theme.objects.get(entry__call=call, entry__code="svt-annee-2")
    assert theme.eligibility_rule == EligibilityRule.PRIOR_PARTICIPATION
    return theme


@pytest.fixture
def previous_call(db):
    return Call.objects.create(
        year="2025-2026", title="Appel à projet 2025-2026", is_published=True,
        opens_on=datetime.date(2025, 1, 13), synthesis_deadline=datetime.date(2025, 3, 31), results_on=datetime.date(2025, 6, 16),
        production_starts_on=datetime.date(2025, 9, 1), production_ends_on=datetime.date(2026, 4, 30),
    )


def year_one_theme(call, discipline_code, title, full_title=""):
    entry = Entry.objects.create(
        call=call, discipline=Discipline.objects.get(code=discipline_code), code=f"{discipline_code}-annee-1", name="Année 1",
    )
    return Theme.objects.create(entry=entry, order=1, title=title, full_title=full_title, description_html="<p>Année 1</p>")


def past_proposal(theme, academy, lead, state=ProposalState.SELECTED):
    # The national selection is a later stage: only the outcome matters here.
    return Proposal.objects.create(theme=theme, academy=academy, lead=lead, title="Cartographier la biodiversité", state=state)


@pytest.fixture
def svt_proposal(svt_year_two, teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble):
    proposal = services.start_proposal(svt_year_two, acting_user=teacher_grenoble, now=IN_WINDOW)
    return fill(proposal, teacher_grenoble, full_team(teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble))


def test_without_year_one_the_academy_cannot_apply(svt_proposal, teacher_grenoble):
    assert services.missing_for_submission(svt_proposal) == [REFUSAL]
    with pytest.raises(ProposalError) as error:
        services.submit(svt_proposal, acting_user=teacher_grenoble, now=IN_WINDOW)
    assert error.value.messages == [REFUSAL]


@pytest.mark.parametrize(
    "title, full_title",
    [
        (YEAR_ONE_TITLE, ""),
        ("BASES DE DONNEES ET SYSTEMES D’INFORMATION  GEOGRAPHIQUE", ""),  # case, accents, apostrophe, spaces
        ("SIG en SVT", "bases de données et systèmes d'information géographique"),  # the full title matches
    ],
)
def test_a_selected_year_one_proposal_of_the_academy_opens_year_two(
    svt_proposal, previous_call, grenoble, teacher_grenoble, title, full_title,
):
    past_proposal(year_one_theme(previous_call, "svt", title, full_title), grenoble, teacher_grenoble)
    assert services.missing_for_submission(svt_proposal) == []
    services.submit(svt_proposal, acting_user=teacher_grenoble, now=IN_WINDOW)
    assert Proposal.objects.get(pk=svt_proposal.pk).state == ProposalState.SUBMITTED


@pytest.mark.parametrize("case", ["not_selected", "sent", "other_academy", "other_discipline", "other_theme", "same_call"])
def test_other_participations_do_not_count(svt_proposal, svt_year_two, previous_call, grenoble, lyon, teacher_grenoble, case):
    if case in ("not_selected", "sent"):
        past_proposal(year_one_theme(previous_call, "svt", YEAR_ONE_TITLE), grenoble, teacher_grenoble, state=case)
    elif case == "other_academy":
        past_proposal(year_one_theme(previous_call, "svt", YEAR_ONE_TITLE), lyon, teacher_grenoble)
    elif case == "other_discipline":
        past_proposal(year_one_theme(previous_call, "physique-chimie", YEAR_ONE_TITLE), grenoble, teacher_grenoble)
    elif case == "other_theme":
        past_proposal(year_one_theme(previous_call, "svt", "Numérique et approche « Une seule santé »"), grenoble, teacher_grenoble)
    else:
        # Year 2's own theme carries the same title: a proposal of this call is not a past participation.
        past_proposal(svt_year_two, grenoble, teacher_grenoble)
    assert services.missing_for_submission(svt_proposal) == [REFUSAL]


def test_themes_without_a_rule_need_no_past_participation(complete):
    assert complete.theme.eligibility_rule == EligibilityRule.NONE
    assert services.missing_for_submission(complete) == []
