"""The bilans' services (bilans/services.py): requests, one active run per
bilan, versions, publication, permissions, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from bilans import services
from bilans.enums import BilanKind, RunState
from bilans.models import BilanRun
from bilans.services import BilanError
from tests.bilans.conftest import FOCUS
from traam.audit import history
from traam.services import clone_call
from traam.models import Entry, OutgoingEmail


def later_dates(call):
    year = datetime.timedelta(days=365)
    return {name: getattr(call, name) + year for name in ("opens_on", "synthesis_deadline", "results_on", "production_starts_on", "production_ends_on")}


def states(call):
    return sorted((run.entry.code if run.entry else "ia", run.version, run.state) for run in BilanRun.objects.filter(call=call).select_related("entry"))


def test_a_request_records_a_queued_version_and_hands_it_over_after_commit(corpus, call, maths_entry, pilot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run, created = services.request_bilan(call, maths_entry, acting_user=pilot)
    assert created
    assert (run.kind, run.version, run.state, run.progress, run.requested_by) == (BilanKind.ENTRY, 1, RunState.QUEUED, 0, pilot)
    assert run.enqueued_at is None
    assert len(callbacks) == 1  # nothing reaches the broker before the commit
    assert [(entry.action, entry.to_state, entry.actor) for entry in history(run)] == [("created", "queued", pilot)]


def test_a_second_request_joins_the_active_run(corpus, call, maths_entry, pilot, other_pilot):
    first, created = services.request_bilan(call, maths_entry, acting_user=pilot)
    again, joined_created = services.request_bilan(call, maths_entry, acting_user=other_pilot)
    assert created and not joined_created
    assert again.pk == first.pk
    BilanRun.objects.filter(pk=first.pk).update(state=RunState.RUNNING)
    assert services.request_bilan(call, maths_entry, acting_user=pilot) == (first, False)
    assert BilanRun.objects.count() == 1


def test_a_finished_bilan_is_run_again_as_a_new_version(corpus, call, maths_entry, pilot):
    first, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    BilanRun.objects.filter(pk=first.pk).update(state=RunState.FAILED)
    second, created = services.request_bilan(call, maths_entry, acting_user=pilot)
    BilanRun.objects.filter(pk=second.pk).update(state=RunState.DONE)
    third, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    assert created
    assert states(call) == [("mathematiques", 1, "failed"), ("mathematiques", 2, "done"), ("mathematiques", 3, "queued")]


def test_the_database_refuses_a_second_active_run_of_a_bilan(corpus, call, maths_entry, pilot):
    run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    with pytest.raises(IntegrityError), transaction.atomic():
        BilanRun.objects.create(call=call, entry=maths_entry, kind=BilanKind.ENTRY, version=2, state=RunState.RUNNING)
    focus, _ = services.request_bilan(call, kind=FOCUS, acting_user=pilot)
    with pytest.raises(IntegrityError), transaction.atomic():
        BilanRun.objects.create(call=call, entry=None, kind=FOCUS, version=2, state=RunState.QUEUED)


def test_bilans_of_different_entries_and_the_focus_run_side_by_side(corpus, call, maths_entry, lettres_entry, pilot):
    services.request_bilan(call, maths_entry, acting_user=pilot)
    services.request_bilan(call, lettres_entry, acting_user=pilot)
    services.request_bilan(call, kind=FOCUS, acting_user=pilot)
    assert states(call) == [("ia", 1, "queued"), ("lettres", 1, "queued"), ("mathematiques", 1, "queued")]


def test_only_the_pilot_or_the_system_requests(corpus, call, maths_entry, teacher_grenoble, dan_grenoble, stranger):
    for person in (teacher_grenoble, dan_grenoble, stranger):
        with pytest.raises(PermissionDenied):
            services.request_bilan(call, maths_entry, acting_user=person)
        with pytest.raises(PermissionDenied):
            services.request_all(call, acting_user=person)
    run, created = services.request_bilan(call, maths_entry, acting_user=None)  # the command
    assert created and run.requested_by is None
    assert [(entry.actor, entry.to_state) for entry in history(run)] == [(None, "queued")]


def test_a_bilan_without_published_scenarios_is_refused(call, pilot):
    entry = Entry.objects.get(call=call, code="philosophie")
    with pytest.raises(BilanError) as error:
        services.request_bilan(call, entry, acting_user=pilot)
    assert error.value.messages == ["Aucune séquence publiée en Philosophie pour l'appel 2026-2027 : le bilan serait vide."]
    with pytest.raises(BilanError) as error:
        services.request_bilan(call, kind=FOCUS, acting_user=pilot)
    assert error.value.messages == [
        "Aucune séquence publiée de l'appel 2026-2027 n'utilise l'intelligence artificielle : le focus serait vide."
    ]
    with pytest.raises(BilanError):
        services.request_all(call, acting_user=pilot)
    assert not BilanRun.objects.exists()


def test_the_entry_must_belong_to_the_call_and_match_the_kind(corpus, call, maths_entry, pilot):
    later = clone_call(call, year="2027-2028", title="Appel 2027-2028", dates=later_dates(call), acting_user=pilot)
    with pytest.raises(BilanError) as error:
        services.request_bilan(call, later.entries.get(code="mathematiques"), acting_user=pilot)
    assert error.value.messages == ["Cette discipline n'appartient pas à l'appel 2026-2027."]
    with pytest.raises(BilanError):
        services.request_bilan(call, maths_entry, kind=FOCUS, acting_user=pilot)
    with pytest.raises(BilanError):
        services.request_bilan(call, None, kind=BilanKind.ENTRY, acting_user=pilot)


def test_request_all_covers_the_entries_with_published_scenarios_and_the_focus(corpus, call, maths_entry, pilot):
    services.request_bilan(call, maths_entry, acting_user=pilot)
    results = services.request_all(call, acting_user=pilot)
    assert [(run.code, created) for run, created in results] == [("lettres", True), ("mathematiques", False), ("ia", True)]
    assert states(call) == [("ia", 1, "queued"), ("lettres", 1, "queued"), ("mathematiques", 1, "queued")]


# --- Publication ------------------------------------------------------------------------------


def done(run):
    BilanRun.objects.filter(pk=run.pk).update(state=RunState.DONE, progress=100, file=f"bilans/2026-2027/essai-v{run.version}.pdf")
    run.refresh_from_db()
    return run


def test_only_a_finished_version_is_published(corpus, call, maths_entry, pilot):
    run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    with pytest.raises(BilanError) as error:
        services.publish_bilan(run, acting_user=pilot)
    assert error.value.messages == ["Seule une version terminée peut être publiée ; celle-ci est « en file d'attente »."]
    BilanRun.objects.filter(pk=run.pk).update(state=RunState.FAILED)
    with pytest.raises(BilanError):
        services.publish_bilan(run, acting_user=pilot)
    assert not BilanRun.objects.filter(is_published=True).exists()


def test_publishing_a_version_makes_it_the_public_one(corpus, call, maths_entry, pilot):
    first = done(services.request_bilan(call, maths_entry, acting_user=pilot)[0])
    services.publish_bilan(first, acting_user=pilot)
    second = done(services.request_bilan(call, maths_entry, acting_user=pilot)[0])
    assert services.published_run(call, "mathematiques") == first  # a new version is not public by itself
    services.publish_bilan(second, acting_user=pilot)
    assert services.published_run(call, "mathematiques") == second
    first.refresh_from_db()
    assert not first.is_published
    assert [(e.from_state, e.to_state, e.comment) for e in history(first)][:1] == [("published", "unpublished", "Remplacée par la version 2.")]
    assert [(e.from_state, e.to_state, e.actor) for e in history(second)][:1] == [("done", "published", pilot)]
    second.refresh_from_db()
    assert second.published_by == pilot and second.published_at is not None


def test_the_database_keeps_one_public_version_per_bilan(corpus, call, maths_entry, pilot):
    first = done(services.request_bilan(call, maths_entry, acting_user=pilot)[0])
    second = done(services.request_bilan(call, maths_entry, acting_user=pilot)[0])
    BilanRun.objects.filter(pk=first.pk).update(is_published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        BilanRun.objects.filter(pk=second.pk).update(is_published=True)


def test_withdrawing_the_public_version(corpus, call, maths_entry, pilot):
    run = services.publish_bilan(done(services.request_bilan(call, maths_entry, acting_user=pilot)[0]), acting_user=pilot)
    services.unpublish_bilan(run, acting_user=pilot)
    assert services.published_run(call, "mathematiques") is None
    with pytest.raises(BilanError):
        services.unpublish_bilan(run, acting_user=pilot)


def test_only_the_pilot_publishes(corpus, call, maths_entry, pilot, dan_grenoble, teacher_grenoble):
    run = done(services.request_bilan(call, maths_entry, acting_user=pilot)[0])
    for person in (dan_grenoble, teacher_grenoble):
        with pytest.raises(PermissionDenied):
            services.publish_bilan(run, acting_user=person)
    services.publish_bilan(run, acting_user=pilot)
    with pytest.raises(PermissionDenied):
        services.unpublish_bilan(run, acting_user=dan_grenoble)


def test_the_focus_has_its_public_address(corpus, call, pilot):
    run = services.publish_bilan(done(services.request_bilan(call, kind=FOCUS, acting_user=pilot)[0]), acting_user=pilot)
    assert services.published_run(call, "ia") == run
    assert services.published_run(call, "mathematiques") is None
    assert not OutgoingEmail.objects.exists()  # publishing e-mails nobody
