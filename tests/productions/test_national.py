"""The national working group of an entry: its IGÉSR member and TN3 experts,
named by the pilot, and the referents of the academic groups, kept in step."""

import pytest
from django.core.exceptions import PermissionDenied

from productions import services
from productions.enums import NationalRole
from productions.models import NationalGroup
from tests.factories import make_user
from tests.productions.conftest import REFERENT, REFERENT_ROLE, member_of, refused_by_field
from traam.audit import history
from traam.enums import AuditAction, Role


def national_lines(national):
    return sorted(national.members.values_list("role", "email", "academy__code"))


@pytest.fixture
def national(groups):
    return NationalGroup.objects.get(entry__code="mathematiques")


@pytest.fixture
def igesr(maths):
    return make_user("igesr@example.test", Role.REVIEWER, disciplines=[maths])


@pytest.fixture
def expert(maths):
    return make_user("expert@example.test", Role.REVIEWER, disciplines=[maths])


def test_the_national_group_opens_with_the_referents(national, call):
    # Both teams share their referent: one line, with the first group by academy.
    assert (national.call, national.entry.code) == (call, "mathematiques")
    assert national_lines(national) == [(NationalRole.REFERENT, REFERENT, "grenoble")]
    assert [entry.action for entry in history(national)] == [AuditAction.UPDATED, AuditAction.CREATED]


def test_referents_are_kept_in_step(national, group, group_lyon, inspector_maths_grenoble, inspector_maths_lyon, colleague_grenoble, teacher_lyon):
    services.change_member_role(member_of(group, colleague_grenoble.email), REFERENT_ROLE, acting_user=inspector_maths_grenoble)
    assert national_lines(national) == [
        (NationalRole.REFERENT, colleague_grenoble.email, "grenoble"),
        (NationalRole.REFERENT, REFERENT, "lyon"),  # still Lyon's referent
    ]
    assert national.members.get(email=colleague_grenoble.email).user == colleague_grenoble
    services.add_member(
        group_lyon, acting_user=inspector_maths_lyon, first_name="Zoé", last_name="Roux", email="zoe.roux@ac-lyon.fr", role=REFERENT_ROLE,
    )
    assert national_lines(national) == [
        (NationalRole.REFERENT, colleague_grenoble.email, "grenoble"),
        (NationalRole.REFERENT, "zoe.roux@ac-lyon.fr", "lyon"),
    ]
    entry = history(national).first()
    assert (entry.comment, entry.data) == (
        "Enseignant·es référent·es mis·es à jour", {"added": ["zoe.roux@ac-lyon.fr"], "removed": [REFERENT]},
    )
    assert member_of(group_lyon, REFERENT).role == "teacher"


def test_the_pilot_names_the_igesr_member_and_the_experts(national, pilot, igesr, expert, stranger):
    services.set_national_members(national, acting_user=pilot, igesr=igesr, experts=[expert, stranger])
    assert national_lines(national) == sorted([
        (NationalRole.IGESR, igesr.email, None),
        (NationalRole.TN3_EXPERT, expert.email, None),
        (NationalRole.TN3_EXPERT, stranger.email, None),
        (NationalRole.REFERENT, REFERENT, "grenoble"),
    ])
    # Named again: the previous ones are replaced, the referents stay.
    services.set_national_members(national, acting_user=pilot, igesr=stranger, experts=[expert])
    assert national_lines(national) == sorted([
        (NationalRole.IGESR, stranger.email, None), (NationalRole.TN3_EXPERT, expert.email, None), (NationalRole.REFERENT, REFERENT, "grenoble"),
    ])
    assert history(national).first().actor == pilot


def test_the_national_group_is_checked(national, pilot, igesr, expert, stranger):
    assert refused_by_field(services.set_national_members, national, acting_user=pilot, igesr=None, experts=[]) == {
        "igesr": ["Choisissez le ou la membre de l'IGÉSR du groupe national."],
        "experts": ["Le groupe national compte un·e ou deux expert·es de la DNE (TN3)."],
    }
    assert refused_by_field(services.set_national_members, national, acting_user=pilot, igesr=igesr, experts=[expert, stranger, pilot]) == {
        "experts": ["Le groupe national compte un·e ou deux expert·es de la DNE (TN3)."],
    }
    assert refused_by_field(services.set_national_members, national, acting_user=pilot, igesr=igesr, experts=[igesr]) == {
        "experts": ["Une même personne ne peut pas occuper deux places du groupe national."],
    }
    assert national_lines(national) == [(NationalRole.REFERENT, REFERENT, "grenoble")]


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "dan_grenoble", "teacher_grenoble", "reviewer_maths"])
def test_only_the_pilot_names_the_national_group(request, national, who, igesr, expert):
    with pytest.raises(PermissionDenied):
        services.set_national_members(national, acting_user=request.getfixturevalue(who), igesr=igesr, experts=[expert])
