import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from candidatures import services
from candidatures.enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from candidatures.models import Proposal, TeamMember
from candidatures.services import ProposalError
from tests.candidatures.conftest import CONTENT, IN_WINDOW, member
from traam.audit import history
from traam.enums import AuditAction
from traam.models import PARIS, Call, ClassLevel, CrcnCompetence, DigitalCommon, OutgoingEmail, Theme

STALE = (
    "Cette candidature a été modifiée ailleurs (dans un autre onglet ou par un membre de l'équipe) : "
    "rechargez la page pour voir la dernière version, puis reportez vos modifications."
)
NOT_OPEN = "Cet appel à projets n'est pas ouvert aux candidatures."
PAST_DEADLINE = "La date limite de dépôt des candidatures est passée (le 31 mars 2026 à 23 h 59, heure de Paris)."
# Signed-in people who are not in the Grenoble maths team.
OUTSIDERS = ["teacher_lyon", "inspector_maths_grenoble", "dan_grenoble", "pilot", "reviewer_maths", "stranger"]
# Everyone but the inspector of Grenoble × mathematics.
NOT_THE_INSPECTOR = [
    "inspector_maths_lyon", "inspector_nsi_grenoble", "dan_grenoble", "teacher_grenoble", "pilot", "reviewer_maths", "stranger",
]


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def states(proposal):
    """The proposal's history, oldest first, as (action, from, to, actor)."""
    return [(e.action, e.from_state, e.to_state, e.actor) for e in reversed(history(proposal))]


def refused(service, *args, **kwargs):
    """Run a service expected to refuse with a ProposalError; return its messages."""
    with pytest.raises(ProposalError) as error:
        service(*args, **kwargs)
    return error.value.messages


def reload(proposal):
    return Proposal.objects.get(pk=proposal.pk)


# --- start_proposal -----------------------------------------------------------


def test_teacher_starts_a_draft_in_their_academy_and_joins_its_team(maths_theme, teacher_grenoble, grenoble):
    proposal = reload(services.start_proposal(maths_theme, acting_user=teacher_grenoble, now=IN_WINDOW))
    assert (proposal.state, proposal.academy, proposal.lead, proposal.version) == (ProposalState.DRAFT, grenoble, teacher_grenoble, 1)
    assert (proposal.call.year, proposal.entry.code, proposal.discipline.code) == ("2026-2027", "mathematiques", "mathematiques")
    assert list(proposal.team.values_list("email", "role", "user", "uai")) == [
        (teacher_grenoble.email, TeamRole.TEACHER, teacher_grenoble.pk, "")
    ]
    assert states(proposal) == [(AuditAction.CREATED, "", ProposalState.DRAFT, teacher_grenoble)]


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "cardie_grenoble", "dan_grenoble", "pilot", "reviewer_maths", "stranger"])
def test_only_a_teacher_starts_a_proposal(request, maths_theme, who):
    with pytest.raises(PermissionDenied):
        services.start_proposal(maths_theme, acting_user=request.getfixturevalue(who), now=IN_WINDOW)
    assert not Proposal.objects.exists()


def test_a_teacher_cannot_start_in_another_academy(maths_theme, teacher_grenoble, lyon):
    with pytest.raises(PermissionDenied):
        services.start_proposal(maths_theme, acting_user=teacher_grenoble, academy=lyon, now=IN_WINDOW)


def test_start_follows_the_call_window(maths_theme, teacher_grenoble, call):
    assert refused(services.start_proposal, maths_theme, acting_user=teacher_grenoble, now=paris(2026, 1, 11, 23, 59)) == [NOT_OPEN]
    assert refused(services.start_proposal, maths_theme, acting_user=teacher_grenoble, now=paris(2026, 4, 1, 0, 0)) == [PAST_DEADLINE]
    # Without ``now`` the server's clock decides, and November 2026 is after the deadline.
    assert refused(services.start_proposal, maths_theme, acting_user=teacher_grenoble) == [PAST_DEADLINE]
    Call.objects.filter(pk=call.pk).update(is_published=False)
    unpublished = Theme.objects.get(pk=maths_theme.pk)
    assert refused(services.start_proposal, unpublished, acting_user=teacher_grenoble, now=IN_WINDOW) == [NOT_OPEN]
    assert not Proposal.objects.exists()


# --- save_draft -----------------------------------------------------------------


def test_the_lead_saves_content_and_choices(draft, teacher_grenoble):
    levels = list(ClassLevel.objects.filter(code__in=["college", "lycee-gt"]).values_list("pk", flat=True))
    commons = list(DigitalCommon.objects.filter(code__in=["mathalea", "capytale"]).values_list("pk", flat=True))
    competences = list(CrcnCompetence.objects.filter(code__in=["1.1", "3.4"]).values_list("pk", flat=True))
    assert len(levels) == len(commons) == len(competences) == 2
    services.save_draft(
        draft,
        {**CONTENT, "title": "  Différencier avec MathALÉA  ", "class_levels": levels, "commons": commons, "crcn_competences": competences},
        acting_user=teacher_grenoble, expected_version=1,
    )
    saved = reload(draft)
    assert (saved.title, saved.problem, saved.ai_usage, saved.version) == (CONTENT["title"], CONTENT["problem"], AIUsage.NONE, 2)
    assert sorted(saved.class_levels.values_list("pk", flat=True)) == sorted(levels)
    assert sorted(saved.commons.values_list("pk", flat=True)) == sorted(commons)
    assert sorted(saved.crcn_competences.values_list("pk", flat=True)) == sorted(competences)
    latest = history(saved).first()
    assert (latest.action, latest.actor, latest.data) == (
        AuditAction.UPDATED, teacher_grenoble,
        {"fields": ["ai_usage", "class_levels", "commons", "crcn_competences", "digital_tools", "objectives", "problem", "summary", "title"]},
    )


def test_a_partial_save_leaves_other_fields_alone(draft, teacher_grenoble):
    services.save_draft(draft, {"title": "Premier titre", "summary": "Résumé"}, acting_user=teacher_grenoble, expected_version=1)
    services.save_draft(draft, {"title": "Second titre"}, acting_user=teacher_grenoble, expected_version=2)
    saved = reload(draft)
    assert (saved.title, saved.summary, saved.version) == ("Second titre", "Résumé", 3)


def test_a_team_member_with_an_account_saves_too(complete, colleague_grenoble, cardie_grenoble):
    services.save_draft(complete, {"title": "Titre revu par un collègue"}, acting_user=colleague_grenoble, expected_version=complete.version)
    services.save_draft(complete, {"summary": "Résumé revu par la CARDIE"}, acting_user=cardie_grenoble, expected_version=complete.version)
    saved = reload(complete)
    assert (saved.title, saved.summary) == ("Titre revu par un collègue", "Résumé revu par la CARDIE")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_save(request, draft, who):
    with pytest.raises(PermissionDenied):
        services.save_draft(draft, {"title": "Intrusion"}, acting_user=request.getfixturevalue(who), expected_version=1)
    assert reload(draft).title == ""


def test_a_stale_version_is_refused_and_changes_nothing(draft, teacher_grenoble, colleague_grenoble):
    # Two tabs opened at version 1: the first save wins, the second is told to reload.
    services.save_draft(draft, {"title": "Onglet 1"}, acting_user=teacher_grenoble, expected_version=1)
    assert refused(services.save_draft, draft, {"title": "Onglet 2"}, acting_user=teacher_grenoble, expected_version=1) == [STALE]
    assert refused(services.save_draft, draft, {"title": "Onglet 2"}, acting_user=teacher_grenoble, expected_version="abc") == [STALE]
    saved = reload(draft)
    assert (saved.title, saved.version) == ("Onglet 1", 2)


def test_workflow_fields_cannot_be_saved_as_content(draft, teacher_grenoble):
    messages = refused(
        services.save_draft, draft, {"title": "X", "state": "selected", "opinion": "favourable"},
        acting_user=teacher_grenoble, expected_version=1,
    )
    assert messages == ["Champs inconnus : opinion, state."]
    assert (reload(draft).state, reload(draft).title) == (ProposalState.DRAFT, "")


def test_invalid_values_are_refused_field_by_field(draft, teacher_grenoble):
    with pytest.raises(ProposalError) as error:
        services.save_draft(
            draft, {"title": "x" * 301, "ai_usage": "beaucoup", "class_levels": [999999], "commons": ["abc"]},
            acting_user=teacher_grenoble, expected_version=1,
        )
    assert error.value.message_dict == {
        "title": ["Assurez-vous que cette valeur comporte au plus 300 caractères (actuellement 301)."],
        "ai_usage": ["Choix inconnu."],
        "class_levels": ["Choix inconnu."],
        "commons": ["Choix inconnu."],
    }
    assert reload(draft).version == 1


def test_content_is_frozen_once_submitted_and_open_again_when_returned(submitted, teacher_grenoble, inspector_maths_grenoble):
    assert refused(services.save_draft, submitted, {"title": "Trop tard"}, acting_user=teacher_grenoble, expected_version=submitted.version) == [
        "Cette candidature ne peut plus être modifiée : elle est « déposée »."
    ]
    services.return_for_completion(submitted, acting_user=inspector_maths_grenoble, reason="Précisez les niveaux.")
    services.save_draft(submitted, {"title": "Titre complété"}, acting_user=teacher_grenoble, expected_version=submitted.version)
    assert reload(submitted).title == "Titre complété"


# --- replace_team ----------------------------------------------------------------


def test_the_team_is_replaced_with_accounts_linked_and_codes_normalised(draft, teacher_grenoble, colleague_grenoble):
    services.replace_team(
        draft,
        [
            member(teacher_grenoble, teacher_grenoble.email, TeamRole.REFERENT, "0380023U"),
            member(colleague_grenoble, "Collegue.Grenoble@Example.TEST ", TeamRole.TEACHER, " 0380 089r "),
            member("Inès Morel", "ines.morel@ac-grenoble.fr", TeamRole.TEACHER, ""),
        ],
        acting_user=teacher_grenoble, expected_version=1,
    )
    assert sorted(TeamMember.objects.filter(proposal=draft).values_list("email", "role", "uai", "user")) == [
        ("collegue.grenoble@example.test", TeamRole.TEACHER, "0380089R", colleague_grenoble.pk),
        ("ines.morel@ac-grenoble.fr", TeamRole.TEACHER, "", None),
        (teacher_grenoble.email, TeamRole.REFERENT, "0380023U", teacher_grenoble.pk),
    ]
    assert reload(draft).version == 2
    latest = history(draft).first()
    assert (latest.action, latest.comment, latest.data) == (AuditAction.UPDATED, "Équipe modifiée", {"team_size": 3})


def test_team_errors_are_listed_member_by_member(draft, teacher_grenoble):
    lead = member(teacher_grenoble, teacher_grenoble.email, TeamRole.TEACHER, "")
    messages = refused(
        services.replace_team, draft,
        [
            lead,
            member("Ana Roux", "ana.roux@ac-grenoble.fr", TeamRole.TEACHER, "0750654A"),
            member("Paul Vidal", "paul.vidal@", TeamRole.CARDIE, "075065"),
            member("Léa Blanc", "ANA.ROUX@ac-grenoble.fr", "chef", ""),
            {"first_name": "", "last_name": "Seul", "email": "seul@ac-grenoble.fr", "role": TeamRole.TEACHER, "uai": "", "age": 40},
        ],
        acting_user=teacher_grenoble, expected_version=1,
    )
    assert messages == [
        "Membre 2 (Ana Roux) : La lettre de contrôle du code UAI 0750654A devrait être D.",
        "Membre 3 (Paul Vidal) : l'adresse électronique « paul.vidal@ » n'est pas valide.",
        "Membre 3 (Paul Vidal) : « 075065 » n'est pas un code UAI : il faut 7 chiffres suivis d'une lettre, par exemple 0750654D.",
        "Membre 4 (Léa Blanc) : l'adresse ana.roux@ac-grenoble.fr figure déjà dans l'équipe.",
        "Membre 4 (Léa Blanc) : choisissez son rôle dans l'équipe.",
        "Membre 5 (Seul) : champs inconnus : age.",
        "Membre 5 (Seul) : indiquez le prénom et le nom.",
    ]
    assert list(draft.team.values_list("email", flat=True)) == [teacher_grenoble.email]
    assert reload(draft).version == 1


def test_the_lead_stays_in_the_team(draft, teacher_grenoble):
    assert refused(
        services.replace_team, draft, [member("Ana Roux", "ana.roux@ac-grenoble.fr", TeamRole.TEACHER, "")],
        acting_user=teacher_grenoble, expected_version=1,
    ) == [f"La personne qui porte la candidature ({teacher_grenoble.email}) doit rester dans l'équipe."]


def test_replacing_the_team_refuses_a_stale_version_and_outsiders(draft, teacher_grenoble, teacher_lyon):
    team = [member(teacher_grenoble, teacher_grenoble.email, TeamRole.TEACHER, "")]
    assert refused(services.replace_team, draft, team, acting_user=teacher_grenoble, expected_version=7) == [STALE]
    with pytest.raises(PermissionDenied):
        services.replace_team(draft, team, acting_user=teacher_lyon, expected_version=1)


# --- missing_for_submission ------------------------------------------------------


def test_a_new_draft_lists_everything_still_missing(draft, teacher_grenoble):
    assert services.missing_for_submission(draft) == [
        "Indiquez le titre du projet.",
        "Rédigez le résumé du projet.",
        "Précisez les objectifs du projet.",
        "Formulez la problématique du projet.",
        "Choisissez au moins un niveau de classe.",
        "Indiquez l'usage prévu de l'intelligence artificielle.",
        "L'équipe doit compter au moins 3 enseignant·es qui mènent des séquences en classe, référent·e compris·e (actuellement : 1).",
        "L'équipe doit compter exactement un·e enseignant·e référent·e (actuellement : 0).",
        "L'équipe doit compter exactement un·e représentant·e CARDIE (actuellement : 0).",
        "L'équipe doit compter exactement un·e inspecteur·rice pilote (actuellement : 0).",
        f"{teacher_grenoble.first_name} {teacher_grenoble.last_name} : indiquez le code UAI de son établissement.",
    ]


def test_a_complete_proposal_misses_nothing(complete):
    assert services.missing_for_submission(complete) == []


@pytest.mark.parametrize(
    "usage, expected",
    [
        (AIUsage.NONE, []),
        (AIUsage.TEACHER_PRACTICE, [
            "Indiquez les outils d'intelligence artificielle envisagés.",
            "Décrivez les précautions prises pour protéger les données personnelles.",
        ]),
        (AIUsage.STUDENT_LEARNING, [
            "Indiquez les outils d'intelligence artificielle envisagés.",
            "Décrivez les précautions prises pour protéger les données personnelles.",
        ]),
    ],
)
def test_ai_tools_and_precautions_are_required_when_ai_is_used(complete, teacher_grenoble, usage, expected):
    services.save_draft(
        complete, {"ai_usage": usage, "ai_tools": "  ", "ai_precautions": ""}, acting_user=teacher_grenoble, expected_version=complete.version,
    )
    assert services.missing_for_submission(reload(complete)) == expected
    services.save_draft(
        complete, {"ai_tools": "Un assistant conversationnel hébergé en France", "ai_precautions": "Aucune donnée d'élève saisie."},
        acting_user=teacher_grenoble, expected_version=complete.version,
    )
    assert services.missing_for_submission(reload(complete)) == []


def test_the_team_composition_is_counted_role_by_role(draft, teacher_grenoble):
    services.replace_team(
        draft,
        [
            member(teacher_grenoble, teacher_grenoble.email, TeamRole.REFERENT, "0380023U"),
            member("Ana Roux", "ana.roux@ac-grenoble.fr", TeamRole.REFERENT, "0380089R"),
            member("Paul Vidal", "paul.vidal@ac-grenoble.fr", TeamRole.INSPECTOR, "0381234K"),
            member("Léa Blanc", "lea.blanc@ac-grenoble.fr", TeamRole.INSPECTOR, "0381234K"),
        ],
        acting_user=teacher_grenoble, expected_version=1,
    )
    team_messages = [message for message in services.missing_for_submission(draft) if message.startswith("L'équipe")]
    assert team_messages == [
        "L'équipe doit compter au moins 3 enseignant·es qui mènent des séquences en classe, référent·e compris·e (actuellement : 2).",
        "L'équipe doit compter exactement un·e enseignant·e référent·e (actuellement : 2).",
        "L'équipe doit compter exactement un·e représentant·e CARDIE (actuellement : 0).",
        "L'équipe doit compter exactement un·e inspecteur·rice pilote (actuellement : 2).",
    ]


def test_an_invalid_code_stored_earlier_is_reported(complete):
    # Codes are checked on entry; one stored by other means is still caught before submission.
    TeamMember.objects.filter(proposal=complete, email="ines.morel@ac-grenoble.fr").update(uai="0381234A")
    assert services.missing_for_submission(complete) == ["Inès Morel : La lettre de contrôle du code UAI 0381234A devrait être K."]


# --- submit ----------------------------------------------------------------------------


def test_the_lead_submits_the_team_gets_a_receipt_and_the_inspector_is_told(
    complete, teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble,
    inspector_maths_lyon, inspector_nsi_grenoble, django_capture_on_commit_callbacks,
):
    version = complete.version
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(complete, acting_user=teacher_grenoble, now=IN_WINDOW)
    saved = reload(complete)
    assert (saved.state, saved.submitted_at, saved.version) == (ProposalState.SUBMITTED, IN_WINDOW, version + 1)
    assert states(saved)[-1] == (AuditAction.STATE_CHANGED, ProposalState.DRAFT, ProposalState.SUBMITTED, teacher_grenoble)
    receipt, request = mail.outbox
    # Team members with an account get the receipt; Inès Morel has none.
    assert receipt.to == sorted([teacher_grenoble.email, colleague_grenoble.email, cardie_grenoble.email, inspector_maths_grenoble.email])
    assert receipt.subject == "Candidature TraAM déposée : Différencier avec MathALÉA"
    assert "dans l'académie de Grenoble" in receipt.body
    # Only the inspector of Grenoble × mathematics is asked for an opinion.
    assert request.to == [inspector_maths_grenoble.email]
    assert request.subject == "Candidature TraAM à examiner : Différencier avec MathALÉA"


def test_emails_leave_only_after_the_commit(complete, teacher_grenoble, inspector_maths_grenoble, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit(complete, acting_user=teacher_grenoble, now=IN_WINDOW)
    assert mail.outbox == []
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 2
    assert len(callbacks) == 2


@pytest.mark.parametrize("who", ["colleague_grenoble", "cardie_grenoble", *OUTSIDERS])
def test_only_the_lead_submits(request, complete, who):
    with pytest.raises(PermissionDenied):
        services.submit(complete, acting_user=request.getfixturevalue(who), now=IN_WINDOW)
    assert reload(complete).state == ProposalState.DRAFT


def test_an_incomplete_proposal_is_refused_with_what_is_missing(draft, teacher_grenoble):
    with pytest.raises(ProposalError) as error:
        services.submit(draft, acting_user=teacher_grenoble, now=IN_WINDOW)
    assert error.value.messages == services.missing_for_submission(draft)
    assert len(error.value.messages) == 11
    assert (reload(draft).state, reload(draft).submitted_at) == (ProposalState.DRAFT, None)
    assert OutgoingEmail.objects.count() == 0


def test_a_proposal_is_submitted_once(submitted, teacher_grenoble):
    assert refused(services.submit, submitted, acting_user=teacher_grenoble, now=IN_WINDOW) == [
        "Cette candidature ne peut pas être déposée : elle est « déposée »."
    ]


@pytest.mark.parametrize(
    "now, refusal",
    [
        (paris(2026, 3, 31, 23, 59, 59), None),
        (paris(2026, 4, 1, 0, 0, 0), PAST_DEADLINE),
        # Summer time began on 29 March 2026: midnight in Paris is 22:00 UTC, not 23:00.
        (utc(2026, 3, 31, 21, 59, 59), None),
        (utc(2026, 3, 31, 22, 0, 0), PAST_DEADLINE),
        (paris(2026, 1, 12, 0, 0, 0), None),
        (paris(2026, 1, 11, 23, 59, 59), NOT_OPEN),
    ],
)
def test_the_deadline_is_the_end_of_the_day_in_paris(complete, teacher_grenoble, now, refusal):
    if refusal is None:
        services.submit(complete, acting_user=teacher_grenoble, now=now)
        assert reload(complete).submitted_at == now
    else:
        assert refused(services.submit, complete, acting_user=teacher_grenoble, now=now) == [refusal]
        assert reload(complete).state == ProposalState.DRAFT


def test_a_winter_deadline_ends_at_23_utc(complete, teacher_grenoble, call):
    Call.objects.filter(pk=call.pk).update(synthesis_deadline=datetime.date(2026, 3, 20))
    complete = reload(complete)
    assert refused(services.submit, complete, acting_user=teacher_grenoble, now=utc(2026, 3, 20, 23, 0, 0)) == [
        "La date limite de dépôt des candidatures est passée (le 20 mars 2026 à 23 h 59, heure de Paris)."
    ]
    services.submit(complete, acting_user=teacher_grenoble, now=utc(2026, 3, 20, 22, 59, 59))
    assert reload(complete).state == ProposalState.SUBMITTED


def test_an_extension_keeps_submission_open_for_that_academy_only(complete, teacher_grenoble, pilot, call, grenoble):
    late = paris(2026, 4, 10, 23, 59, 59)
    assert refused(services.submit, complete, acting_user=teacher_grenoble, now=late) == [PAST_DEADLINE]
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Panne du réseau académique")
    assert services.deadline_for(call, grenoble) == paris(2026, 4, 10, 23, 59, 59, 999999)
    assert refused(services.submit, complete, acting_user=teacher_grenoble, now=paris(2026, 4, 11, 0, 0)) == [
        "La date limite de dépôt des candidatures est passée (le 10 avril 2026 à 23 h 59, heure de Paris)."
    ]
    services.submit(complete, acting_user=teacher_grenoble, now=late)
    assert reload(complete).state == ProposalState.SUBMITTED


def test_an_extension_for_grenoble_does_not_reopen_lyon(call, grenoble, lyon, pilot, maths_theme, teacher_lyon):
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Panne")
    assert services.proposals_open(call, grenoble, paris(2026, 4, 5, 12, 0))
    assert not services.proposals_open(call, lyon, paris(2026, 4, 5, 12, 0))
    assert refused(services.start_proposal, maths_theme, acting_user=teacher_lyon, now=paris(2026, 4, 5, 12, 0)) == [PAST_DEADLINE]


# --- withdraw ----------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["draft", "submitted"])
def test_the_lead_withdraws_before_the_academy_decides(request, fixture, teacher_grenoble):
    proposal = request.getfixturevalue(fixture)
    old_state = proposal.state
    services.withdraw(proposal, acting_user=teacher_grenoble, reason=" Équipe dispersée ")
    assert reload(proposal).state == ProposalState.WITHDRAWN
    assert states(proposal)[-1] == (AuditAction.STATE_CHANGED, old_state, ProposalState.WITHDRAWN, teacher_grenoble)
    assert history(proposal).first().comment == "Équipe dispersée"


def test_a_returned_proposal_can_be_withdrawn(submitted, teacher_grenoble, inspector_maths_grenoble):
    services.return_for_completion(submitted, acting_user=inspector_maths_grenoble, reason="Ajoutez la CARDIE.")
    services.withdraw(submitted, acting_user=teacher_grenoble)
    assert reload(submitted).state == ProposalState.WITHDRAWN


def test_no_withdrawal_after_the_decision(retained, teacher_grenoble):
    assert refused(services.withdraw, retained, acting_user=teacher_grenoble) == [
        "Cette candidature ne peut plus être retirée : elle est « retenue par l'académie »."
    ]


@pytest.mark.parametrize("who", ["colleague_grenoble", *OUTSIDERS])
def test_only_the_lead_withdraws(request, submitted, who):
    with pytest.raises(PermissionDenied):
        services.withdraw(submitted, acting_user=request.getfixturevalue(who))
    assert reload(submitted).state == ProposalState.SUBMITTED


# --- return_for_completion -----------------------------------------------------


def test_the_inspector_returns_a_proposal_and_the_whole_team_is_told(
    submitted, inspector_maths_grenoble, teacher_grenoble, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_completion(submitted, acting_user=inspector_maths_grenoble, reason="  Précisez la problématique.  ")
    saved = reload(submitted)
    assert (saved.state, saved.return_reason) == (ProposalState.RETURNED, "Précisez la problématique.")
    assert states(saved)[-1] == (AuditAction.STATE_CHANGED, ProposalState.SUBMITTED, ProposalState.RETURNED, inspector_maths_grenoble)
    assert history(saved).first().comment == "Précisez la problématique."
    (email,) = mail.outbox
    assert email.to == sorted(saved.team.values_list("email", flat=True))
    assert "ines.morel@ac-grenoble.fr" in email.to  # no account, but a member
    assert email.subject == "Candidature TraAM à compléter : Différencier avec MathALÉA"
    assert "Précisez la problématique." in email.body


def test_a_returned_proposal_is_submitted_again(submitted, inspector_maths_grenoble, teacher_grenoble):
    services.return_for_completion(submitted, acting_user=inspector_maths_grenoble, reason="Ajoutez un niveau.")
    services.submit(submitted, acting_user=teacher_grenoble, now=paris(2026, 3, 1, 9, 0))
    saved = reload(submitted)
    assert (saved.state, saved.return_reason, saved.submitted_at) == (ProposalState.SUBMITTED, "", paris(2026, 3, 1, 9, 0))
    assert [(to_state, actor) for _action, _from, to_state, actor in states(saved)] == [
        (ProposalState.DRAFT, teacher_grenoble),
        ("", teacher_grenoble), ("", teacher_grenoble),  # content, then team
        (ProposalState.SUBMITTED, teacher_grenoble),
        (ProposalState.RETURNED, inspector_maths_grenoble),
        (ProposalState.SUBMITTED, teacher_grenoble),
    ]


def test_returning_needs_a_reason_and_a_submitted_proposal(submitted, draft, inspector_maths_grenoble):
    with pytest.raises(ProposalError) as error:
        services.return_for_completion(submitted, acting_user=inspector_maths_grenoble, reason="   ")
    assert error.value.message_dict == {"reason": ["Indiquez à l'équipe ce qu'elle doit compléter."]}
    assert reload(submitted).state == ProposalState.SUBMITTED


def test_a_draft_cannot_be_returned(draft, inspector_maths_grenoble):
    assert refused(services.return_for_completion, draft, acting_user=inspector_maths_grenoble, reason="?") == [
        "Seule une candidature déposée peut être renvoyée pour complément ; celle-ci est « brouillon »."
    ]


@pytest.mark.parametrize("who", NOT_THE_INSPECTOR)
def test_only_the_inspector_of_the_academy_and_discipline_returns(request, submitted, who):
    with pytest.raises(PermissionDenied):
        services.return_for_completion(submitted, acting_user=request.getfixturevalue(who), reason="Non")
    assert reload(submitted).state == ProposalState.SUBMITTED


# --- give_opinion and decide ------------------------------------------------------


def test_the_inspector_gives_an_opinion(submitted, inspector_maths_grenoble):
    services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.RESERVED, comment=" Projet ambitieux. ")
    saved = reload(submitted)
    assert (saved.opinion, saved.opinion_comment, saved.opinion_by, saved.state) == (
        AcademicOpinion.RESERVED, "Projet ambitieux.", inspector_maths_grenoble, ProposalState.SUBMITTED,
    )
    assert saved.opinion_at is not None
    latest = history(saved).first()
    assert (latest.action, latest.comment, latest.data) == (
        AuditAction.UPDATED, "Projet ambitieux.", {"opinion": "reserved", "previous_opinion": ""},
    )


@pytest.mark.parametrize("opinion", [AcademicOpinion.RESERVED, AcademicOpinion.UNFAVOURABLE])
def test_a_reserved_or_unfavourable_opinion_is_explained(submitted, inspector_maths_grenoble, opinion):
    with pytest.raises(ProposalError) as error:
        services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion=opinion, comment=" ")
    assert error.value.message_dict == {"comment": ["Un avis réservé ou défavorable doit être motivé : ajoutez un commentaire."]}
    assert reload(submitted).opinion == ""


def test_an_unknown_opinion_is_refused(submitted, inspector_maths_grenoble):
    with pytest.raises(ProposalError) as error:
        services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion="enthousiaste")
    assert error.value.message_dict == {"opinion": ["Choisissez un avis : favorable, réservé ou défavorable."]}


def test_the_opinion_may_be_revised_until_the_synthesis_is_sent(retained, inspector_maths_grenoble, dan_grenoble, call, grenoble):
    services.give_opinion(retained, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.RESERVED, comment="Calendrier serré.")
    assert reload(retained).opinion == AcademicOpinion.RESERVED
    synthesis = services.compose_synthesis(call, grenoble, acting_user=dan_grenoble, cover_note="", items=[(retained, 1, "")], now=IN_WINDOW)
    services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
    assert refused(services.give_opinion, retained, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.FAVOURABLE) == [
        "L'avis académique ne peut pas être donné sur une candidature « transmise à la DNE »."
    ]


def test_no_opinion_on_a_draft(draft, inspector_maths_grenoble):
    assert refused(services.give_opinion, draft, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.FAVOURABLE) == [
        "L'avis académique ne peut pas être donné sur une candidature « brouillon »."
    ]


@pytest.mark.parametrize("who", NOT_THE_INSPECTOR)
def test_only_the_inspector_gives_the_opinion(request, submitted, who):
    with pytest.raises(PermissionDenied):
        services.give_opinion(submitted, acting_user=request.getfixturevalue(who), opinion=AcademicOpinion.FAVOURABLE)
    assert reload(submitted).opinion == ""


def test_the_decision_needs_an_opinion_first(submitted, inspector_maths_grenoble):
    assert refused(services.decide, submitted, acting_user=inspector_maths_grenoble, retained=True) == [
        "Donnez d'abord l'avis académique sur cette candidature."
    ]
    assert reload(submitted).state == ProposalState.SUBMITTED


@pytest.mark.parametrize(
    "retained, state, subject",
    [
        (True, ProposalState.RETAINED, "Candidature TraAM retenue par l'académie : Différencier avec MathALÉA"),
        (False, ProposalState.NOT_RETAINED, "Candidature TraAM non retenue par l'académie : Différencier avec MathALÉA"),
    ],
)
def test_the_inspector_decides_and_the_team_is_told(
    submitted, inspector_maths_grenoble, django_capture_on_commit_callbacks, retained, state, subject,
):
    services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.FAVOURABLE)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(submitted, acting_user=inspector_maths_grenoble, retained=retained, comment="Bel équilibre des niveaux.")
    saved = reload(submitted)
    assert saved.state == state
    assert saved.decided_at is not None
    assert states(saved)[-1] == (AuditAction.STATE_CHANGED, ProposalState.SUBMITTED, state, inspector_maths_grenoble)
    (email,) = mail.outbox
    assert email.to == sorted(saved.team.values_list("email", flat=True))
    assert email.subject == subject
    assert "Bel équilibre des niveaux." in email.body


def test_a_decision_is_taken_once(retained, inspector_maths_grenoble):
    assert refused(services.decide, retained, acting_user=inspector_maths_grenoble, retained=False) == [
        "La décision académique porte sur une candidature déposée ; celle-ci est « retenue par l'académie »."
    ]


@pytest.mark.parametrize("who", NOT_THE_INSPECTOR)
def test_only_the_inspector_decides(request, submitted, inspector_maths_grenoble, who):
    services.give_opinion(submitted, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.FAVOURABLE)
    with pytest.raises(PermissionDenied):
        services.decide(submitted, acting_user=request.getfixturevalue(who), retained=True)
    assert reload(submitted).state == ProposalState.SUBMITTED
