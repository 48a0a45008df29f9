import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from traam import services
from traam.audit import history
from traam.enums import AuditAction, Role
from traam.models import Call, OutgoingEmail, RoleAssignment, Theme, User

DATES = {
    "opens_on": datetime.date(2027, 1, 11),
    "synthesis_deadline": datetime.date(2027, 3, 31),
    "results_on": datetime.date(2027, 6, 15),
    "production_starts_on": datetime.date(2027, 9, 1),
    "production_ends_on": datetime.date(2028, 4, 30),
}


@pytest.fixture
def call(db):
    return Call.objects.get(year="2026-2027")


def test_clone_copies_entries_themes_and_seats(call, pilot):
    new = services.clone_call(call, year="2027-2028", title="Appel à projet 2027-2028", dates=DATES, acting_user=pilot)
    assert not new.is_published
    assert new.cloned_from == call
    assert new.entries.count() == 21
    assert Theme.objects.filter(entry__call=new).count() == 22
    old_theme = Theme.objects.get(entry__call=call, entry__code="svt-annee-2")
    new_theme = Theme.objects.get(entry__call=new, entry__code="svt-annee-2")
    assert new_theme.pk != old_theme.pk
    assert (new_theme.description_html, new_theme.eligibility_rule) == (old_theme.description_html, old_theme.eligibility_rule)
    # The source is untouched.
    assert call.entries.count() == 21
    assert [e.action for e in history(new)] == [AuditAction.CLONED]


def test_clone_refuses_an_existing_year(call, pilot):
    with pytest.raises(ValidationError):
        services.clone_call(call, year="2026-2027", title="Doublon", dates=DATES, acting_user=pilot)


def test_clone_refuses_dates_out_of_order(call, pilot):
    with pytest.raises(ValidationError):
        services.clone_call(call, year="2027-2028", title="X", dates={**DATES, "results_on": datetime.date(2027, 1, 1)}, acting_user=pilot)
    assert not Call.objects.filter(year="2027-2028").exists()


def test_only_a_pilot_clones(call, dan_grenoble):
    with pytest.raises(PermissionDenied):
        services.clone_call(call, year="2027-2028", title="X", dates=DATES, acting_user=dan_grenoble)


def test_dan_invites_a_new_teacher(dan_grenoble, grenoble, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.grant_role(
            acting_user=dan_grenoble, email="Nouvelle.Prof@ac-grenoble.fr", role=Role.TEACHER, academy=grenoble,
            first_name="Nora", last_name="Nouvelle",
        )
    user = assignment.user
    assert user.email == "nouvelle.prof@ac-grenoble.fr"
    assert not user.has_usable_password()
    assert assignment.granted_by == dan_grenoble
    assert [(e.action, e.to_state, e.actor) for e in history(user)] == [(AuditAction.ROLE_GRANTED, Role.TEACHER, dan_grenoble)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle.prof@ac-grenoble.fr"]
    assert "Enseignant·e" in mail.outbox[0].subject
    assert "/comptes/password/reset/" in mail.outbox[0].body
    assert OutgoingEmail.objects.get().sent_at is not None


def test_granting_twice_is_harmless(dan_grenoble, teacher_grenoble, grenoble):
    services.grant_role(acting_user=dan_grenoble, email=teacher_grenoble.email, role=Role.TEACHER, academy=grenoble)
    assert RoleAssignment.objects.filter(user=teacher_grenoble).count() == 1


def test_dan_cannot_grant_outside_their_academy_or_other_roles(dan_grenoble, lyon, grenoble):
    with pytest.raises(PermissionDenied):
        services.grant_role(acting_user=dan_grenoble, email="x@ac-lyon.fr", role=Role.TEACHER, academy=lyon)
    with pytest.raises(PermissionDenied):
        services.grant_role(acting_user=dan_grenoble, email="x@ac-grenoble.fr", role=Role.INSPECTOR, academy=grenoble)
    assert not User.objects.filter(email__startswith="x@").exists()


def test_revoke_is_audited(dan_grenoble, teacher_grenoble):
    assignment = RoleAssignment.objects.get(user=teacher_grenoble)
    services.revoke_role(assignment, acting_user=dan_grenoble)
    assert not RoleAssignment.objects.filter(user=teacher_grenoble).exists()
    assert history(teacher_grenoble).first().action == AuditAction.ROLE_REVOKED


def test_revoke_outside_scope_is_refused(dan_lyon, teacher_grenoble):
    with pytest.raises(PermissionDenied):
        services.revoke_role(RoleAssignment.objects.get(user=teacher_grenoble), acting_user=dan_lyon)
    assert RoleAssignment.objects.filter(user=teacher_grenoble).exists()
