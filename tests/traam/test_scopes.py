from django.contrib.auth.models import AnonymousUser

from traam import scopes
from traam.enums import Role
from traam.models import Academy


def test_inspector_acts_for_one_academy_and_their_disciplines(inspector_maths_grenoble, grenoble, lyon, maths, nsi):
    scope = scopes.scope(inspector_maths_grenoble, Role.INSPECTOR)
    assert scope.academy_ids == {grenoble.pk}
    assert scope.discipline_ids == {maths.pk}
    assert scope.covers(academy_id=grenoble.pk, discipline_id=maths.pk)
    assert not scope.covers(academy_id=grenoble.pk, discipline_id=nsi.pk)
    assert not scope.covers(academy_id=lyon.pk, discipline_id=maths.pk)


def test_dan_acts_for_every_discipline_of_their_academy(dan_grenoble, grenoble, lyon, nsi):
    scope = scopes.scope(dan_grenoble, Role.DAN)
    assert scope.covers(academy_id=grenoble.pk, discipline_id=nsi.pk)
    assert not scope.covers(academy_id=lyon.pk)


def test_dran_acts_for_the_academies_of_the_region(dran_ara):
    names = set(Academy.objects.filter(pk__in=scopes.scope(dran_ara, Role.DRAN).academy_ids).values_list("name", flat=True))
    assert names == {"Clermont-Ferrand", "Grenoble", "Lyon"}


def test_reviewer_is_national_but_remembers_their_academy(reviewer_maths, grenoble, lyon, maths, nsi):
    scope = scopes.scope(reviewer_maths, Role.REVIEWER)
    assert scope.national
    assert scope.covers(academy_id=lyon.pk, discipline_id=maths.pk)
    assert not scope.covers(academy_id=lyon.pk, discipline_id=nsi.pk)
    assert scopes.home_academy_ids(reviewer_maths) == {grenoble.pk}


def test_pilot_is_national_for_every_discipline(pilot, lyon, nsi):
    scope = scopes.scope(pilot, Role.PILOT)
    assert scope.national and scope.discipline_ids is None
    assert scope.covers(academy_id=lyon.pk, discipline_id=nsi.pk)


def test_a_role_not_held_covers_nothing(teacher_grenoble, grenoble):
    scope = scopes.scope(teacher_grenoble, Role.DAN)
    assert scope.is_empty
    assert not scope.covers(academy_id=grenoble.pk)


def test_stranger_and_anonymous_have_no_roles(stranger):
    assert scopes.roles(stranger) == set()
    assert scopes.roles(AnonymousUser()) == set()
    assert scopes.scope(AnonymousUser(), Role.PILOT).is_empty


def test_roles_are_loaded_once(teacher_grenoble, django_assert_num_queries):
    scopes.forget(teacher_grenoble)
    with django_assert_num_queries(2):  # assignments + their disciplines
        scopes.roles(teacher_grenoble)
        scopes.scope(teacher_grenoble, Role.TEACHER)
        scopes.has_role(teacher_grenoble, Role.PILOT)
