import pytest
from django.contrib.auth.models import AnonymousUser

from candidatures import services
from candidatures.enums import ProposalState, TeamRole
from candidatures.models import AcademicSynthesis, Proposal
from candidatures.selectors import visible_proposals
from tests.candidatures.conftest import member
from tests.factories import make_user
from traam.enums import Role
from traam.models import Academy

EVERYONE = [
    "teacher_grenoble", "colleague_grenoble", "cardie_grenoble", "teacher_lyon", "inspector_maths_grenoble", "inspector_maths_lyon",
    "inspector_nsi_grenoble", "dan_grenoble", "dan_lyon", "dran_ara", "pilot", "reviewer_maths", "stranger",
]


@pytest.fixture
def team_draft(draft, teacher_grenoble, colleague_grenoble):
    """A Grenoble maths draft led by teacher_grenoble, with colleague_grenoble in the team."""
    return services.replace_team(
        draft,
        [
            member(teacher_grenoble, teacher_grenoble.email, TeamRole.TEACHER, ""),
            member(colleague_grenoble, colleague_grenoble.email, TeamRole.TEACHER, ""),
        ],
        acting_user=teacher_grenoble, expected_version=1,
    )


def allowed(request, perm, obj, users=EVERYONE):
    return sorted(who for who in users if request.getfixturevalue(who).has_perm(perm, obj))


# --- view_proposal and visible_proposals ---------------------------------------------


def test_who_sees_a_proposal(request, team_draft):
    assert allowed(request, "candidatures.view_proposal", team_draft) == [
        "colleague_grenoble", "dan_grenoble", "dran_ara", "inspector_maths_grenoble", "pilot", "teacher_grenoble",
    ]
    assert not AnonymousUser().has_perm("candidatures.view_proposal", team_draft)


def test_joining_the_team_lets_a_person_see_it(team_draft, teacher_grenoble, colleague_grenoble, cardie_grenoble):
    assert not cardie_grenoble.has_perm("candidatures.view_proposal", team_draft)
    services.replace_team(
        team_draft,
        [
            member(teacher_grenoble, teacher_grenoble.email, TeamRole.TEACHER, ""),
            member(cardie_grenoble, cardie_grenoble.email, TeamRole.CARDIE, ""),
        ],
        acting_user=teacher_grenoble, expected_version=team_draft.version,
    )
    assert cardie_grenoble.has_perm("candidatures.view_proposal", team_draft)
    assert not colleague_grenoble.has_perm("candidatures.view_proposal", team_draft)


@pytest.fixture
def proposals(team_draft, nsi_theme, maths_theme, grenoble, lyon, teacher_lyon, cardie_grenoble):
    nsi_lead = make_user("prof.nsi@example.test", Role.TEACHER, academy=grenoble)
    nsi_grenoble = Proposal.objects.create(theme=nsi_theme, academy=grenoble, lead=nsi_lead, title="NSI Grenoble")
    maths_lyon = Proposal.objects.create(theme=maths_theme, academy=lyon, lead=teacher_lyon, title="Maths Lyon", state=ProposalState.SUBMITTED)
    paris = Academy.objects.get(code="paris")
    paris_lead = make_user("prof.paris@example.test", Role.TEACHER, academy=paris)
    maths_paris = Proposal.objects.create(theme=maths_theme, academy=paris, lead=paris_lead, title="Maths Paris")
    maths_lyon.team.create(first_name="Camille", last_name="Cardie", email=cardie_grenoble.email, role=TeamRole.CARDIE, user=cardie_grenoble)
    return {"maths_grenoble": team_draft, "nsi_grenoble": nsi_grenoble, "maths_lyon": maths_lyon, "maths_paris": maths_paris}


@pytest.mark.parametrize(
    "who, expected",
    [
        ("teacher_grenoble", ["maths_grenoble"]),
        ("colleague_grenoble", ["maths_grenoble"]),
        ("cardie_grenoble", ["maths_lyon"]),  # a team member of a Lyon proposal
        ("teacher_lyon", ["maths_lyon"]),
        ("inspector_maths_grenoble", ["maths_grenoble"]),
        ("inspector_nsi_grenoble", ["nsi_grenoble"]),
        ("inspector_maths_lyon", ["maths_lyon"]),
        ("dan_grenoble", ["maths_grenoble", "nsi_grenoble"]),
        ("dan_lyon", ["maths_lyon"]),
        ("dran_ara", ["maths_grenoble", "maths_lyon", "nsi_grenoble"]),
        ("pilot", ["maths_grenoble", "maths_lyon", "maths_paris", "nsi_grenoble"]),
        ("reviewer_maths", []),
        ("stranger", []),
    ],
)
def test_lists_show_exactly_what_the_rule_allows(request, proposals, who, expected):
    user = request.getfixturevalue(who)
    names = {proposal.pk: name for name, proposal in proposals.items()}
    assert sorted(names[p.pk] for p in visible_proposals(user)) == expected
    # The list and the object rule never disagree.
    assert sorted(name for name, p in proposals.items() if user.has_perm("candidatures.view_proposal", p)) == expected


def test_anonymous_lists_nothing(proposals):
    assert list(visible_proposals(AnonymousUser())) == []


def test_the_list_is_one_query_whatever_its_length(proposals, dran_ara, django_assert_num_queries):
    visible_proposals(dran_ara).count()  # loads the person's roles once
    with django_assert_num_queries(1):
        rows = list(visible_proposals(dran_ara))
        assert [p.theme.entry.discipline.code for p in rows]  # joined, not fetched one by one


# --- change / submit / withdraw -----------------------------------------------------


def test_the_team_changes_a_proposal_while_it_is_editable(request, team_draft, inspector_maths_grenoble):
    assert allowed(request, "candidatures.change_proposal", team_draft) == ["colleague_grenoble", "teacher_grenoble"]
    assert allowed(request, "candidatures.submit_proposal", team_draft) == ["teacher_grenoble"]
    assert allowed(request, "candidatures.withdraw_proposal", team_draft) == ["teacher_grenoble"]
    for state, editable, withdrawable in [
        (ProposalState.SUBMITTED, False, True),
        (ProposalState.RETURNED, True, True),
        (ProposalState.RETAINED, False, False),
        (ProposalState.SENT, False, False),
        (ProposalState.WITHDRAWN, False, False),
    ]:
        team_draft.state = state
        assert allowed(request, "candidatures.change_proposal", team_draft) == (["colleague_grenoble", "teacher_grenoble"] if editable else [])
        assert allowed(request, "candidatures.submit_proposal", team_draft) == (["teacher_grenoble"] if editable else [])
        assert allowed(request, "candidatures.withdraw_proposal", team_draft) == (["teacher_grenoble"] if withdrawable else [])


def test_only_teachers_may_start_proposals(request):
    assert allowed(request, "candidatures.add_proposal", None) == ["colleague_grenoble", "teacher_grenoble", "teacher_lyon"]


# --- review / synthesis / extensions -----------------------------------------------


def test_only_the_inspector_of_the_academy_and_discipline_reviews(request, proposals):
    assert allowed(request, "candidatures.review_proposal", proposals["maths_grenoble"]) == ["inspector_maths_grenoble"]
    assert allowed(request, "candidatures.review_proposal", proposals["nsi_grenoble"]) == ["inspector_nsi_grenoble"]
    assert allowed(request, "candidatures.review_proposal", proposals["maths_lyon"]) == ["inspector_maths_lyon"]


def test_the_academic_delegation_manages_the_synthesis(request, call, grenoble, lyon):
    synthesis = AcademicSynthesis.objects.create(call=call, academy=grenoble)
    assert allowed(request, "candidatures.manage_synthesis", synthesis) == ["dan_grenoble", "dran_ara"]
    assert allowed(request, "candidatures.manage_synthesis", grenoble) == ["dan_grenoble", "dran_ara"]
    assert allowed(request, "candidatures.manage_synthesis", lyon) == ["dan_lyon", "dran_ara"]
    assert allowed(request, "candidatures.manage_synthesis", None) == []


def test_only_the_pilot_manages_extensions(request):
    assert allowed(request, "candidatures.manage_extensions", None) == ["pilot"]


def test_nothing_for_anonymous(team_draft, grenoble):
    anonymous = AnonymousUser()
    for perm in ["view_proposal", "change_proposal", "submit_proposal", "withdraw_proposal", "review_proposal"]:
        assert not anonymous.has_perm(f"candidatures.{perm}", team_draft)
    assert not anonymous.has_perm("candidatures.manage_synthesis", grenoble)
    assert not anonymous.has_perm("candidatures.add_proposal")
