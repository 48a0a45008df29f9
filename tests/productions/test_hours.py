"""Teachers' hours: declared per month by the group's teachers, validated or
refused by the piloting inspector within the call's cap, exported by the
DAN/DRAN for payment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from productions import services
from productions.enums import HoursState
from productions.models import HoursDeclaration
from productions.selectors import hours_for_payment, hours_to_decide
from tests.productions.conftest import TODAY, TEACHER, emails, refused, refused_by_field
from traam.audit import history
from traam.enums import AuditAction

D = datetime.date


def declare(group, person, month, hours, description="Conception de la séquence", today=TODAY):
    return services.declare_hours(group, acting_user=person, month=month, hours=hours, description=description, today=today)


@pytest.fixture
def october(group, teacher_grenoble):
    return declare(group, teacher_grenoble, D(2026, 10, 15), "6,5")


def test_a_teacher_declares_a_month(october, teacher_grenoble, group):
    assert (october.member, october.group, october.month, october.hours, october.state) == (
        teacher_grenoble, group, D(2026, 10, 1), Decimal("6.5"), HoursState.DECLARED,
    )
    assert [(e.action, e.to_state, e.actor) for e in history(october)] == [(AuditAction.CREATED, HoursState.DECLARED, teacher_grenoble)]


@pytest.mark.parametrize("who", ["cardie_grenoble", "inspector_maths_grenoble", "teacher_lyon", "dan_grenoble", "pilot"])
def test_only_the_groups_teachers_declare(request, group, who):
    with pytest.raises(PermissionDenied):
        declare(group, request.getfixturevalue(who), D(2026, 10, 1), 2)


def test_a_declaration_is_checked(group, teacher_grenoble):
    assert refused_by_field(declare, group, teacher_grenoble, D(2026, 12, 1), "0", "") == {
        "month": ["Les heures de décembre 2026 ne peuvent pas encore être déclarées."],
        "hours": ["Indiquez un nombre d'heures supérieur à 0 et d'au plus 40 pour un mois (deux décimales au plus)."],
        "description": ["Décrivez en quelques mots le travail effectué."],
    }
    assert refused_by_field(declare, group, teacher_grenoble, D(2026, 8, 1), "41", "x" * 501) == {
        "month": ["Les heures se déclarent pour un mois de la production, de septembre 2026 à avril 2027."],
        "hours": ["Indiquez un nombre d'heures supérieur à 0 et d'au plus 40 pour un mois (deux décimales au plus)."],
        "description": ["La description compte 500 caractères au plus."],
    }
    for bad in ("1.255", "deux", True, None, "NaN", "-3"):
        assert "hours" in refused_by_field(declare, group, teacher_grenoble, D(2026, 10, 1), bad)
    assert "month" in refused_by_field(declare, group, teacher_grenoble, "2026-10", 3)
    assert not HoursDeclaration.objects.exists()


def test_one_declaration_per_month_until_refused(october, group, teacher_grenoble, inspector_maths_grenoble):
    assert refused(declare, group, teacher_grenoble, D(2026, 10, 1), 2) == [
        "Vous avez déjà déclaré des heures pour octobre 2026 dans ce groupe (6,5 h, déclarées)."
    ]
    services.refuse_hours(october, acting_user=inspector_maths_grenoble, comment="Réunion déjà rémunérée.")
    again = declare(group, teacher_grenoble, D(2026, 10, 1), 4)
    assert list(HoursDeclaration.objects.order_by("pk").values_list("state", "hours")) == [
        (HoursState.REFUSED, Decimal("6.5")), (HoursState.DECLARED, Decimal("4")),
    ]
    assert again.month == D(2026, 10, 1)


def test_the_piloting_inspector_validates(october, inspector_maths_grenoble):
    services.validate_hours(october, acting_user=inspector_maths_grenoble)
    october.refresh_from_db()
    assert (october.state, october.decided_by, october.decided_at is not None) == (HoursState.VALIDATED, inspector_maths_grenoble, True)
    assert refused(services.validate_hours, october, acting_user=inspector_maths_grenoble) == ["Ces heures ont déjà été validées."]
    assert refused(services.refuse_hours, october, acting_user=inspector_maths_grenoble, comment="Non") == ["Ces heures ont déjà été validées."]


def test_a_refusal_is_explained_to_the_member(october, teacher_grenoble, inspector_maths_grenoble):
    assert refused_by_field(services.refuse_hours, october, acting_user=inspector_maths_grenoble, comment="") == {
        "comment": ["Indiquez le motif du refus."],
    }
    services.refuse_hours(october, acting_user=inspector_maths_grenoble, comment="Réunion déjà rémunérée.")
    october.refresh_from_db()
    assert (october.state, october.refusal_comment) == (HoursState.REFUSED, "Réunion déjà rémunérée.")
    assert emails("refusées") == [([teacher_grenoble.email], "TraAM : heures de octobre 2026 refusées")]


@pytest.mark.parametrize("who", ["teacher_grenoble", "other_inspector_grenoble", "inspector_maths_lyon", "dan_grenoble", "pilot"])
def test_only_the_piloting_inspector_decides(request, october, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.validate_hours(october, acting_user=person)
    with pytest.raises(PermissionDenied):
        services.refuse_hours(october, acting_user=person, comment="Non")
    assert HoursDeclaration.objects.get().state == HoursState.DECLARED


def test_hours_to_decide(october, group, inspector_maths_grenoble, other_inspector_grenoble, inspector_maths_lyon):
    assert list(hours_to_decide(inspector_maths_grenoble)) == [october]
    assert list(hours_to_decide(other_inspector_grenoble)) == []  # the group's inspector has an account
    assert list(hours_to_decide(inspector_maths_lyon)) == []
    group.members.filter(role="inspector").update(user=None)
    assert list(hours_to_decide(other_inspector_grenoble)) == [october]


# --- The cap ---------------------------------------------------------------------------------------------


@pytest.fixture
def in_both_groups(group_lyon, teacher_grenoble, inspector_maths_lyon):
    """teacher_grenoble also teaches in the Lyon group."""
    services.add_member(
        group_lyon, acting_user=inspector_maths_lyon, first_name="Alex", last_name="Grenoble", email=teacher_grenoble.email, role=TEACHER,
    )
    return group_lyon


def test_the_cap_counts_every_group_of_the_call(group, in_both_groups, teacher_grenoble, call, pilot, inspector_maths_lyon):
    services.set_hours_cap(call, "20", acting_user=pilot)
    declare(group, teacher_grenoble, D(2026, 9, 1), 12)
    lyon = declare(in_both_groups, teacher_grenoble, D(2026, 9, 1), 8)
    assert refused(declare, group, teacher_grenoble, D(2026, 10, 1), "0.5") == [
        "Ces heures dépasseraient le plafond de 20 h par personne pour l'appel 2026-2027 (déjà déclarées ou validées : 20 h)."
    ]
    # A refusal frees the hours.
    services.refuse_hours(lyon, acting_user=inspector_maths_lyon, comment="Doublon")
    declare(group, teacher_grenoble, D(2026, 10, 1), "7.5")


def test_a_lower_cap_stops_validations(october, group, teacher_grenoble, call, pilot, inspector_maths_grenoble):
    september = declare(group, teacher_grenoble, D(2026, 9, 1), 4)
    services.validate_hours(september, acting_user=inspector_maths_grenoble)
    services.set_hours_cap(call, 10, acting_user=pilot)
    assert refused(services.validate_hours, october, acting_user=inspector_maths_grenoble) == [
        "Ces heures dépasseraient le plafond de 10 h par personne pour l'appel 2026-2027 (déjà validées : 4 h)."
    ]
    assert HoursDeclaration.objects.get(pk=october.pk).state == HoursState.DECLARED


def test_the_cap_is_set_by_the_pilot(call, pilot, inspector_maths_grenoble):
    with pytest.raises(PermissionDenied):
        services.set_hours_cap(call, 10, acting_user=inspector_maths_grenoble)
    for bad in ("0", "-2", "dix", "501"):
        assert refused_by_field(services.set_hours_cap, call, bad, acting_user=pilot) == {
            "max_hours": ["Indiquez un nombre d'heures supérieur à 0 et d'au plus 500."],
        }
    cap = services.set_hours_cap(call, "36", acting_user=pilot)
    assert (cap.max_hours, history(call).first().comment) == (Decimal("36"), "Plafond d'heures : 36 h par personne")
    assert services.set_hours_cap(call, None, acting_user=pilot) is None
    assert history(call).first().comment == "Plafond d'heures supprimé"


# --- Payment export ---------------------------------------------------------------------------------------


@pytest.fixture
def validated_hours(group, group_lyon, in_both_groups, teacher_grenoble, colleague_grenoble, teacher_lyon, inspector_maths_grenoble,
                    inspector_maths_lyon):
    for person, month, hours in ((teacher_grenoble, 9, 6), (teacher_grenoble, 10, "4.5"), (colleague_grenoble, 9, 3)):
        services.validate_hours(declare(group, person, D(2026, month, 1), hours), acting_user=inspector_maths_grenoble)
    declare(group, colleague_grenoble, D(2026, 10, 1), 5)  # not validated: not paid
    refused_one = declare(group, colleague_grenoble, D(2026, 11, 1), 2)
    services.refuse_hours(refused_one, acting_user=inspector_maths_grenoble, comment="Non")
    for person in (teacher_grenoble, teacher_lyon):
        services.validate_hours(declare(group_lyon, person, D(2026, 9, 1), 2), acting_user=inspector_maths_lyon)


def test_the_payment_export_totals(validated_hours, grenoble, lyon, call, teacher_grenoble, colleague_grenoble, teacher_lyon):
    export = hours_for_payment(grenoble, call)
    assert [(row.person, row.uai, row.month, row.hours) for row in export.rows] == sorted([
        (teacher_grenoble, "0380023U", D(2026, 9, 1), Decimal("6")),
        (teacher_grenoble, "0380023U", D(2026, 10, 1), Decimal("4.5")),
        (colleague_grenoble, "0380089R", D(2026, 9, 1), Decimal("3")),
    ], key=lambda row: (row[0].last_name, row[0].first_name, row[0].pk, row[2]))
    assert sorted(((total.person, total.hours, len(total.groups)) for total in export.people), key=lambda row: row[0].pk) == sorted([
        (teacher_grenoble, Decimal("10.5"), 1), (colleague_grenoble, Decimal("3"), 1),
    ], key=lambda row: row[0].pk)
    assert [(total.group.academy.code, total.hours, total.people) for total in export.groups] == [("grenoble", Decimal("13.5"), 2)]
    assert export.total == Decimal("13.5")
    # Lyon's export holds the Lyon group only, teacher_grenoble included.
    lyon_export = hours_for_payment(lyon, call)
    assert (lyon_export.total, sorted(row.person.pk for row in lyon_export.rows)) == (Decimal("4"), sorted([teacher_grenoble.pk, teacher_lyon.pk]))


def test_the_export_takes_two_queries(validated_hours, grenoble, call, django_assert_num_queries):
    with django_assert_num_queries(2):
        export = hours_for_payment(grenoble, call)
        assert [row.group.entry.code for row in export.rows] == ["mathematiques"] * 3
