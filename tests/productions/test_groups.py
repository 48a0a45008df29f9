"""Academic working groups: opened from the published selection, their
composition rules, and the membership services of the piloting inspector."""

import pytest
from django.core.exceptions import PermissionDenied

from candidatures.enums import TeamRole
from candidatures.models import Proposal
from productions import services
from productions.models import GroupMember, Milestone, NationalGroup, NationalMember, WorkingGroup
from productions.selectors import with_composition
from selection import services as selection
from tests.factories import make_user
from tests.productions.conftest import (
    AFTER_DEADLINE, CARDIE, INSPECTOR, REFERENT, REFERENT_ROLE, TEACHER, justify_other_entries, member_of, refused,
    refused_by_field, roles,
)
from traam.audit import history
from traam.enums import AuditAction, Role
from traam.models import AuditEntry

INCOMPLETE_TEACHERS = "Le groupe doit compter au moins 3 enseignant·es qui mènent des séquences en classe, référent·e compris·e (actuellement : 2)."


# --- Opening ------------------------------------------------------------------------------------


def test_publishing_the_results_opens_the_groups(sent_grenoble, sent_lyon, call, pilot, django_capture_on_commit_callbacks):
    """The receiver of ``results_published`` is wired: the selected proposal gets its group, the other none."""
    selection.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    with django_capture_on_commit_callbacks(execute=True):
        selection.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    group = WorkingGroup.objects.get()
    assert (group.proposal, group.call, group.entry.code, group.academy.code, group.title) == (
        sent_grenoble, call, "mathematiques", "grenoble", "Différencier avec MathALÉA",
    )
    assert not WorkingGroup.objects.filter(proposal=sent_lyon).exists()
    assert [(e.action, e.actor) for e in history(group)] == [(AuditAction.CREATED, pilot)]
    # The national group of mathematics and the default calendar come with it.
    assert NationalGroup.objects.get().entry.code == "mathematiques"
    assert Milestone.objects.filter(call=call).count() == 3


def test_the_team_is_carried_over(group, teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble):
    assert sorted(group.members.values_list("email", "role", "uai", "user")) == [
        (cardie_grenoble.email, CARDIE, "0380023U", cardie_grenoble.pk),
        (colleague_grenoble.email, TEACHER, "0380089R", colleague_grenoble.pk),
        (inspector_maths_grenoble.email, INSPECTOR, "0381234K", inspector_maths_grenoble.pk),
        (REFERENT, REFERENT_ROLE, "0381234K", None),
        (teacher_grenoble.email, TEACHER, "0380023U", teacher_grenoble.pk),
    ]
    assert services.composition_problems(group) == []


def test_members_are_linked_to_accounts_whatever_the_case(published, call, pilot, sent_grenoble, grenoble):
    ines = make_user("Ines.Morel@AC-Grenoble.fr", Role.TEACHER, academy=grenoble)
    services.open_groups(call, acting_user=pilot)
    assert member_of(WorkingGroup.objects.get(proposal=sent_grenoble), REFERENT).user == ines


def test_opening_twice_does_nothing(groups, call, pilot):
    counts = (WorkingGroup.objects.count(), GroupMember.objects.count(), NationalMember.objects.count(), Milestone.objects.count(),
              AuditEntry.objects.count())
    assert len(groups) == 2
    assert services.open_groups(call, acting_user=pilot) == []
    assert (WorkingGroup.objects.count(), GroupMember.objects.count(), NationalMember.objects.count(), Milestone.objects.count(),
            AuditEntry.objects.count()) == counts


def test_a_second_signal_does_nothing(published, call, pilot):
    from selection.signals import results_published

    results_published.send(sender=None, call=call, publication=published)
    counts = (WorkingGroup.objects.count(), GroupMember.objects.count(), AuditEntry.objects.count())
    results_published.send(sender=None, call=call, publication=published)
    assert counts[0] == 2
    assert (WorkingGroup.objects.count(), GroupMember.objects.count(), AuditEntry.objects.count()) == counts


def test_a_lead_missing_from_the_team_joins_as_a_teacher(published, call, pilot, sent_grenoble, teacher_grenoble):
    sent_grenoble.team.filter(email=teacher_grenoble.email).delete()
    group = services.open_groups(call, acting_user=pilot)[0]
    assert member_of(group, teacher_grenoble.email).role == TEACHER


# --- Composition -------------------------------------------------------------------------------


def test_composition_problems_list_every_gap(group, pilot, teacher_grenoble):
    services.remove_member(member_of(group, teacher_grenoble.email), acting_user=pilot)
    services.remove_member(group.members.get(role=CARDIE), acting_user=pilot)
    services.add_member(group, acting_user=pilot, first_name="Paul", last_name="Second", email="paul@example.test", role=INSPECTOR)
    assert services.composition_problems(group) == [
        INCOMPLETE_TEACHERS,
        "Le groupe doit compter exactement un·e représentant·e CARDIE (actuellement : 0).",
        "Le groupe doit compter exactement un·e inspecteur·rice pilote (actuellement : 2).",
    ]


def test_lists_read_the_composition_in_one_query(groups, group, pilot, teacher_grenoble, django_assert_num_queries):
    services.remove_member(member_of(group, teacher_grenoble.email), acting_user=pilot)
    with django_assert_num_queries(1):
        rows = [(g.academy.code, g.composition_ok, services.composition_problems(g))
                for g in with_composition(WorkingGroup.objects.select_related("academy").order_by("academy__code"))]
    assert rows == [("grenoble", False, [INCOMPLETE_TEACHERS]), ("lyon", True, [])]
    assert list(with_composition(WorkingGroup.objects.all()).filter(composition_ok=False)) == [group]


# --- Membership -------------------------------------------------------------------------------


MANAGERS = ["inspector_maths_grenoble", "other_inspector_grenoble", "pilot"]
NOT_MANAGERS = ["teacher_grenoble", "cardie_grenoble", "dan_grenoble", "inspector_maths_lyon", "inspector_nsi_grenoble", "stranger"]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_inspectors_and_the_pilot_manage_members(request, group, who, colleague_grenoble):
    person = request.getfixturevalue(who)
    before = roles(group)
    with pytest.raises(PermissionDenied):
        services.add_member(group, acting_user=person, first_name="A", last_name="B", email="a.b@example.test", role=TEACHER)
    with pytest.raises(PermissionDenied):
        services.remove_member(member_of(group, colleague_grenoble.email), acting_user=person)
    with pytest.raises(PermissionDenied):
        services.change_member_role(member_of(group, colleague_grenoble.email), REFERENT_ROLE, acting_user=person)
    assert roles(group) == before


@pytest.mark.parametrize("who", MANAGERS)
def test_the_inspectors_and_the_pilot_add_members(request, group, who):
    person = request.getfixturevalue(who)
    member = services.add_member(
        group, acting_user=person, first_name=" Julien ", last_name="Bernard", email=" Julien.Bernard@AC-grenoble.fr ",
        role=TEACHER, uai="0382780 r",
    )
    assert (member.full_name, member.email, member.uai, member.role, member.user) == (
        "Julien Bernard", "julien.bernard@ac-grenoble.fr", "0382780R", TEACHER, None,
    )
    entry = history(group).first()
    assert (entry.actor, entry.action, entry.comment) == (person, AuditAction.UPDATED, "Membre ajouté : Julien Bernard, enseignant·e")


def test_a_new_member_with_an_account_is_linked(group, inspector_maths_grenoble):
    account = make_user("nouvelle@example.test")
    member = services.add_member(
        group, acting_user=inspector_maths_grenoble, first_name="N", last_name="V", email="NOUVELLE@example.test", role=TEACHER,
    )
    assert member.user == account


def test_bad_members_are_refused_in_french(group, inspector_maths_grenoble, colleague_grenoble):
    assert refused_by_field(
        services.add_member, group, acting_user=inspector_maths_grenoble, first_name="", last_name="B" * 151, email="pas-une-adresse",
        role="chef", uai="0380023A",
    ) == {
        "first_name": ["Indiquez le prénom."],
        "last_name": ["150 caractères au plus."],
        "email": ["L'adresse électronique « pas-une-adresse » n'est pas valide."],
        "role": ["Choisissez son rôle dans le groupe."],
        "uai": ["La lettre de contrôle du code UAI 0380023A devrait être U."],
    }
    assert refused_by_field(
        services.add_member, group, acting_user=inspector_maths_grenoble, first_name="A", last_name="B", email=colleague_grenoble.email.upper(),
        role=TEACHER,
    ) == {"email": [f"{colleague_grenoble.email} fait déjà partie du groupe."]}
    assert group.members.count() == 5


def test_a_new_referent_takes_over(group, inspector_maths_grenoble, colleague_grenoble):
    services.change_member_role(member_of(group, colleague_grenoble.email), REFERENT_ROLE, acting_user=inspector_maths_grenoble)
    assert (member_of(group, colleague_grenoble.email).role, member_of(group, REFERENT).role) == (REFERENT_ROLE, TEACHER)
    name = colleague_grenoble.get_full_name()
    assert history(group).first().comment == f"{name} : enseignant·e → enseignant·e référent·e (Inès Morel devient enseignant·e)"
    # Added as referent: the same hand-over.
    services.add_member(
        group, acting_user=inspector_maths_grenoble, first_name="Zoé", last_name="Roux", email="zoe@example.test", role=REFERENT_ROLE,
    )
    assert group.members.filter(role=REFERENT_ROLE).get().email == "zoe@example.test"
    assert member_of(group, colleague_grenoble.email).role == TEACHER
    assert services.composition_problems(group) == []


def test_the_referent_cannot_be_removed_nor_demoted(group, inspector_maths_grenoble):
    referent = member_of(group, REFERENT)
    message = (
        "Inès Morel est l'enseignant·e référent·e du groupe : désignez d'abord la personne qui lui succède "
        "(Inès Morel restera alors enseignant·e du groupe)."
    )
    assert refused(services.remove_member, referent, acting_user=inspector_maths_grenoble) == [message]
    assert refused(services.change_member_role, referent, TEACHER, acting_user=inspector_maths_grenoble) == [message]
    assert member_of(group, REFERENT).role == REFERENT_ROLE


def test_the_group_keeps_a_piloting_inspector(group, inspector_maths_grenoble, other_inspector_grenoble):
    inspector = member_of(group, inspector_maths_grenoble.email)
    message = (
        f"{inspector.full_name} est l'inspecteur·rice pilote du groupe : ajoutez d'abord la personne qui lui succède, "
        "le groupe ne peut pas rester sans pilote."
    )
    assert refused(services.remove_member, inspector, acting_user=inspector_maths_grenoble) == [message]
    assert refused(services.change_member_role, inspector, TEACHER, acting_user=inspector_maths_grenoble) == [message]
    # A hand-over: the successor joins (two inspectors, reported), then the first one leaves.
    services.add_member(
        group, acting_user=inspector_maths_grenoble, first_name="Marc", last_name="Suivant", email=other_inspector_grenoble.email, role=INSPECTOR,
    )
    assert services.composition_problems(group) == ["Le groupe doit compter exactement un·e inspecteur·rice pilote (actuellement : 2)."]
    services.remove_member(inspector, acting_user=other_inspector_grenoble)
    assert services.composition_problems(group) == []


def test_removing_and_changing_roles_are_audited(group, inspector_maths_grenoble, colleague_grenoble, cardie_grenoble):
    services.change_member_role(member_of(group, cardie_grenoble.email), TEACHER, acting_user=inspector_maths_grenoble)
    services.remove_member(member_of(group, colleague_grenoble.email), acting_user=inspector_maths_grenoble)
    comments = [entry.comment for entry in history(group)][:2]
    colleague = colleague_grenoble.get_full_name()
    assert comments == [
        f"Membre retiré : {colleague}, enseignant·e",
        f"{cardie_grenoble.get_full_name()} : représentant·e CARDIE → enseignant·e",
    ]
    assert refused_by_field(services.change_member_role, member_of(group, cardie_grenoble.email), "chef", acting_user=inspector_maths_grenoble) == {
        "role": ["Choisissez son rôle dans le groupe."],
    }
    # The same role again changes nothing.
    before = AuditEntry.objects.count()
    services.change_member_role(member_of(group, cardie_grenoble.email), TEACHER, acting_user=inspector_maths_grenoble)
    assert AuditEntry.objects.count() == before


def test_a_member_of_another_group_is_not_reached_through_this_one(group, group_lyon, inspector_maths_grenoble, teacher_lyon):
    with pytest.raises(PermissionDenied):
        services.remove_member(member_of(group_lyon, teacher_lyon.email), acting_user=inspector_maths_grenoble)
    assert Proposal.objects.count() == 2 and group_lyon.members.count() == 5
    assert TeamRole.REFERENT in set(group_lyon.members.values_list("role", flat=True))


def test_a_member_who_signs_in_later_is_linked(group, client, grenoble):
    from productions.models import NationalMember

    assert member_of(group, REFERENT).user is None
    ines = make_user("Ines.Morel@ac-grenoble.fr", Role.TEACHER, academy=grenoble)
    client.force_login(ines)  # a sign-in, after the address was verified
    assert member_of(group, REFERENT).user == ines
    assert NationalMember.objects.get(email=REFERENT).user == ines
    assert ines.has_perm("productions.view_group", group)
    assert services.link_member_accounts(ines) == 0
