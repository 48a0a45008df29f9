"""The academic synthesis (document de synthèse) and deadline extensions."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from candidatures import services
from candidatures.enums import ProposalState
from candidatures.models import AcademicSynthesis, DeadlineExtension, Proposal
from candidatures.services import ProposalError
from tests.candidatures.conftest import IN_WINDOW
from traam.audit import history
from traam.enums import AuditAction
from traam.models import PARIS, OutgoingEmail
from traam.services import clone_call

SYNTHESIS_DEADLINE_PASSED = "La date limite d'envoi de la synthèse académique est passée (le 31 mars 2026 à 23 h 59, heure de Paris)."
ALREADY_SENT = "Cette synthèse a été envoyée à la DNE le 2 février 2026 à 10:00 : elle ne peut plus être modifiée ni renvoyée."
NOT_THE_DELEGATION = ["dan_lyon", "inspector_maths_grenoble", "teacher_grenoble", "pilot", "reviewer_maths", "stranger"]


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def make_retained(theme, academy, lead, title):
    # The academy's decision is tested in test_services: here only the state matters.
    return Proposal.objects.create(theme=theme, academy=academy, lead=lead, title=title, state=ProposalState.RETAINED)


@pytest.fixture
def second(maths_theme, grenoble, colleague_grenoble):
    return make_retained(maths_theme, grenoble, colleague_grenoble, "Des exerciseurs pour la remédiation")


@pytest.fixture
def synthesis(retained, second, call, grenoble, dan_grenoble):
    return services.compose_synthesis(
        call, grenoble, acting_user=dan_grenoble, cover_note=" Deux projets complémentaires. ",
        items=[(retained, 2, "Équipe expérimentée"), (second, 1, " Priorité de l'académie ")], now=IN_WINDOW,
    )


def compose_refused(call, academy, user, items, now=IN_WINDOW):
    with pytest.raises(ProposalError) as error:
        services.compose_synthesis(call, academy, acting_user=user, cover_note="", items=items, now=now)
    return error.value.messages


def state_of(proposal):
    return Proposal.objects.get(pk=proposal.pk).state


# --- compose_synthesis ------------------------------------------------------------


def test_the_dan_composes_the_synthesis_in_priority_order(synthesis, retained, second, dan_grenoble):
    assert synthesis.cover_note == "Deux projets complémentaires."
    assert [(item.priority, item.proposal, item.comment) for item in synthesis.items.all()] == [
        (1, second, "Priorité de l'académie"),
        (2, retained, "Équipe expérimentée"),
    ]
    assert synthesis.sent_at is None
    entry = history(synthesis).get()
    assert (entry.action, entry.actor, entry.data) == (AuditAction.CREATED, dan_grenoble, {"proposals": [second.pk, retained.pk]})


def test_recomposing_replaces_the_items(synthesis, retained, second, call, grenoble, dan_grenoble):
    services.compose_synthesis(call, grenoble, acting_user=dan_grenoble, cover_note="Revue", items=[(retained, 1, "")], now=IN_WINDOW)
    synthesis = AcademicSynthesis.objects.get()
    assert [(item.priority, item.proposal) for item in synthesis.items.all()] == [(1, retained)]
    assert synthesis.cover_note == "Revue"
    assert [e.action for e in history(synthesis)] == [AuditAction.UPDATED, AuditAction.CREATED]


def test_the_dran_composes_for_an_academy_of_its_region(retained, call, grenoble, dran_ara):
    synthesis = services.compose_synthesis(call, grenoble, acting_user=dran_ara, cover_note="", items=[(retained, 1, "")], now=IN_WINDOW)
    assert synthesis.academy == grenoble


@pytest.mark.parametrize("who", NOT_THE_DELEGATION)
def test_only_the_dan_or_dran_of_the_academy_composes(request, retained, call, grenoble, who):
    with pytest.raises(PermissionDenied):
        services.compose_synthesis(
            call, grenoble, acting_user=request.getfixturevalue(who), cover_note="", items=[(retained, 1, "")], now=IN_WINDOW,
        )
    assert not AcademicSynthesis.objects.exists()


@pytest.fixture
def submitted_elsewhere(maths_theme, grenoble, colleague_grenoble):
    return Proposal.objects.create(
        theme=maths_theme, academy=grenoble, lead=colleague_grenoble, title="Une candidature déposée", state=ProposalState.SUBMITTED,
    )


@pytest.fixture
def lyon_proposal(maths_theme, lyon, teacher_lyon):
    return make_retained(maths_theme, lyon, teacher_lyon, "Un projet lyonnais")


@pytest.fixture
def previous_call_proposal(call, grenoble, teacher_grenoble, pilot):
    dates = {
        "opens_on": datetime.date(2025, 1, 13), "synthesis_deadline": datetime.date(2025, 3, 31), "results_on": datetime.date(2025, 6, 16),
        "production_starts_on": datetime.date(2025, 9, 1), "production_ends_on": datetime.date(2026, 4, 30),
    }
    previous = clone_call(call, year="2025-2026", title="Appel à projet 2025-2026", dates=dates, acting_user=pilot)
    theme = previous.entries.get(code="mathematiques").themes.get()
    return make_retained(theme, grenoble, teacher_grenoble, "Un projet de l'an dernier")


def test_only_retained_proposals_of_the_academy_and_call_with_priorities_1_to_n(
    retained, submitted_elsewhere, lyon_proposal, previous_call_proposal, call, grenoble, dan_grenoble,
):
    with pytest.raises(ProposalError) as error:
        services.compose_synthesis(
            call, grenoble, acting_user=dan_grenoble, cover_note="",
            items=[(retained, 1, ""), (retained, 1, ""), (submitted_elsewhere, 3, ""), (lyon_proposal, 5, ""), (previous_call_proposal, 6, "")],
            now=IN_WINDOW,
        )
    assert error.value.messages == [
        "Une candidature figure plusieurs fois dans la synthèse.",
        "Les priorités doivent aller de 1 à 5, chacune une seule fois.",
        "« Une candidature déposée » ne peut pas figurer dans la synthèse : elle est « déposée ».",
        "« Un projet lyonnais » n'est pas une candidature de l'académie pour cet appel.",
        "« Un projet de l'an dernier » n'est pas une candidature de l'académie pour cet appel.",
    ]
    assert not AcademicSynthesis.objects.exists()


def test_priorities_must_be_numbers(retained, call, grenoble, dan_grenoble):
    assert compose_refused(call, grenoble, dan_grenoble, [(retained, "premier", "")]) == [
        "Les priorités doivent aller de 1 à 1, chacune une seule fois."
    ]


@pytest.mark.parametrize("now, accepted", [(paris(2026, 3, 31, 23, 59, 59), True), (paris(2026, 4, 1, 0, 0, 0), False)])
def test_the_synthesis_is_composed_before_the_deadline(retained, call, grenoble, dan_grenoble, now, accepted):
    if accepted:
        services.compose_synthesis(call, grenoble, acting_user=dan_grenoble, cover_note="", items=[(retained, 1, "")], now=now)
        assert AcademicSynthesis.objects.get().items.count() == 1
    else:
        assert compose_refused(call, grenoble, dan_grenoble, [(retained, 1, "")], now=now) == [SYNTHESIS_DEADLINE_PASSED]
        assert not AcademicSynthesis.objects.exists()


# --- send_synthesis ------------------------------------------------------------------


def test_the_dan_sends_the_synthesis_once_and_the_dne_receives_it(
    synthesis, retained, second, dan_grenoble, pilot, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
    synthesis.refresh_from_db()
    assert (synthesis.sent_at, synthesis.sent_by) == (IN_WINDOW, dan_grenoble)
    assert (state_of(retained), state_of(second)) == (ProposalState.SENT, ProposalState.SENT)
    for proposal, priority in ((second, 1), (retained, 2)):
        latest = history(proposal).first()
        assert (latest.action, latest.from_state, latest.to_state, latest.actor, latest.comment) == (
            AuditAction.STATE_CHANGED, ProposalState.RETAINED, ProposalState.SENT, dan_grenoble,
            f"Priorité {priority} dans la synthèse académique",
        )
    assert (history(synthesis).first().action, history(synthesis).first().to_state) == (AuditAction.STATE_CHANGED, "sent")
    received, receipt = mail.outbox
    assert (received.to, received.subject) == ([pilot.email], "Synthèse académique reçue : académie de Grenoble (2026-2027)")
    assert (
        "1. Des exerciseurs pour la remédiation — Priorité de l'académie\n"
        "2. Différencier avec MathALÉA — Équipe expérimentée"
    ) in received.body
    assert "Deux projets complémentaires." in received.body
    assert (receipt.to, receipt.subject) == ([dan_grenoble.email], "Accusé de réception : synthèse académique TraAM 2026-2027")
    assert "envoyée le 2 février 2026 à 10:00 (heure de Paris), avec 2 candidature(s)" in receipt.body


def test_a_second_send_is_refused_and_changes_nothing(synthesis, dan_grenoble, dran_ara, retained):
    # Both requests loaded the synthesis before either sent it.
    first, second_request = AcademicSynthesis.objects.get(), AcademicSynthesis.objects.get()
    services.send_synthesis(first, acting_user=dan_grenoble, now=IN_WINDOW)
    emails = OutgoingEmail.objects.count()
    with pytest.raises(ProposalError) as error:
        services.send_synthesis(second_request, acting_user=dran_ara, now=paris(2026, 2, 3, 9, 0))
    assert error.value.messages == [ALREADY_SENT]
    synthesis.refresh_from_db()
    assert (synthesis.sent_at, synthesis.sent_by) == (IN_WINDOW, dan_grenoble)
    assert [e.to_state for e in history(retained)].count(ProposalState.SENT) == 1
    assert OutgoingEmail.objects.count() == emails


def test_a_sent_synthesis_is_not_recomposed(synthesis, retained, call, grenoble, dan_grenoble):
    services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
    assert compose_refused(call, grenoble, dan_grenoble, [(retained, 1, "")]) == [ALREADY_SENT]


def test_an_empty_synthesis_is_not_sent(call, grenoble, dan_grenoble):
    synthesis = services.compose_synthesis(call, grenoble, acting_user=dan_grenoble, cover_note="Rien cette année", items=[], now=IN_WINDOW)
    with pytest.raises(ProposalError) as error:
        services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
    assert error.value.messages == ["Ajoutez au moins une candidature retenue à la synthèse avant de l'envoyer."]
    assert AcademicSynthesis.objects.get().sent_at is None


def test_a_proposal_no_longer_retained_blocks_the_sending(synthesis, retained, second, dan_grenoble):
    Proposal.objects.filter(pk=second.pk).update(state=ProposalState.WITHDRAWN)
    with pytest.raises(ProposalError) as error:
        services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
    assert error.value.messages == ["Une candidature de la synthèse n'est plus retenue : recomposez la synthèse."]
    assert AcademicSynthesis.objects.get().sent_at is None
    assert state_of(retained) == ProposalState.RETAINED


@pytest.mark.parametrize("who", NOT_THE_DELEGATION)
def test_only_the_dan_or_dran_of_the_academy_sends(request, synthesis, who):
    with pytest.raises(PermissionDenied):
        services.send_synthesis(synthesis, acting_user=request.getfixturevalue(who), now=IN_WINDOW)
    assert AcademicSynthesis.objects.get().sent_at is None


def test_a_late_synthesis_is_refused_unless_the_academy_has_an_extension(synthesis, retained, call, grenoble, dan_grenoble, pilot):
    late = paris(2026, 4, 8, 15, 0)
    with pytest.raises(ProposalError) as error:
        services.send_synthesis(synthesis, acting_user=dan_grenoble, now=late)
    assert error.value.messages == [SYNTHESIS_DEADLINE_PASSED]
    assert AcademicSynthesis.objects.get().sent_at is None

    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Inspecteur absent")
    services.send_synthesis(synthesis, acting_user=dan_grenoble, now=late)
    assert AcademicSynthesis.objects.get().sent_at == late
    assert state_of(retained) == ProposalState.SENT


def test_the_extension_ends_at_the_end_of_its_day_in_paris(synthesis, call, grenoble, dan_grenoble, pilot):
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Inspecteur absent")
    with pytest.raises(ProposalError) as error:
        services.send_synthesis(synthesis, acting_user=dan_grenoble, now=paris(2026, 4, 11, 0, 0))
    assert error.value.messages == ["La date limite d'envoi de la synthèse académique est passée (le 10 avril 2026 à 23 h 59, heure de Paris)."]
    services.send_synthesis(synthesis, acting_user=dan_grenoble, now=paris(2026, 4, 10, 23, 59, 59))
    assert AcademicSynthesis.objects.get().sent_at == paris(2026, 4, 10, 23, 59, 59)


# --- grant_extension / withdraw_extension --------------------------------------------


def test_the_pilot_grants_changes_and_withdraws_an_extension(call, grenoble, pilot):
    assert services.deadline_for(call, grenoble) == call.synthesis_deadline_at
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 7), reason=" Panne ")
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Panne prolongée")
    extension = DeadlineExtension.objects.get()
    assert (extension.deadline, extension.reason, extension.granted_by) == (datetime.date(2026, 4, 10), "Panne prolongée", pilot)
    assert services.deadline_for(call, grenoble) == paris(2026, 4, 10, 23, 59, 59, 999999)
    services.withdraw_extension(call, grenoble, acting_user=pilot)
    assert not DeadlineExtension.objects.exists()
    assert services.deadline_for(call, grenoble) == call.synthesis_deadline_at
    assert [(e.action, e.comment) for e in reversed(history(call))] == [
        (AuditAction.UPDATED, "Date limite reportée au 7 avril 2026 pour l'académie de Grenoble : Panne"),
        (AuditAction.UPDATED, "Date limite reportée au 10 avril 2026 pour l'académie de Grenoble : Panne prolongée"),
        (AuditAction.UPDATED, "Report de date limite retiré pour l'académie de Grenoble"),
    ]


@pytest.mark.parametrize(
    "deadline, reason, errors",
    [
        (datetime.date(2026, 3, 31), "Panne", {"deadline": ["La nouvelle date limite doit suivre celle de l'appel (31 mars 2026)."]}),
        (datetime.date(2026, 6, 15), "Panne", {"deadline": ["La nouvelle date limite doit précéder la publication des résultats (15 juin 2026)."]}),
        (datetime.date(2026, 4, 10), "  ", {"reason": ["Indiquez le motif du report."]}),
    ],
)
def test_an_extension_goes_past_the_deadline_before_the_results_with_a_reason(call, grenoble, pilot, deadline, reason, errors):
    with pytest.raises(ProposalError) as error:
        services.grant_extension(call, grenoble, acting_user=pilot, deadline=deadline, reason=reason)
    assert error.value.message_dict == errors
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize("who", ["dan_grenoble", "dran_ara", "inspector_maths_grenoble", "teacher_grenoble", "reviewer_maths", "stranger"])
def test_only_the_pilot_grants_or_withdraws_extensions(request, call, grenoble, pilot, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.grant_extension(call, grenoble, acting_user=user, deadline=datetime.date(2026, 4, 10), reason="Panne")
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Panne")
    with pytest.raises(PermissionDenied):
        services.withdraw_extension(call, grenoble, acting_user=user)
    assert DeadlineExtension.objects.count() == 1


def test_withdrawing_a_missing_extension_is_refused(call, lyon, pilot):
    with pytest.raises(ProposalError) as error:
        services.withdraw_extension(call, lyon, acting_user=pilot)
    assert error.value.messages == ["Aucun report de date limite n'est accordé à cette académie pour cet appel."]

