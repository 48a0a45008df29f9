import datetime

import pytest
from django.core.exceptions import PermissionDenied

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from candidatures.services import grant_extension
from selection import services
from selection.enums import Recommendation, ReviewState
from selection.models import ConflictDeclaration, Criterion, EmptySeatReason, Publication, Review, ReviewAssignment, Score, Selection
from selection.services import SelectionError
from selection.signals import results_published
from tests.selection.conftest import AFTER_DEADLINE, criteria, justify_other_entries, make_sent, scores_of
from traam.audit import history
from traam.enums import AuditAction, Role
from traam.models import PARIS, Academy, Entry, OutgoingEmail

GRID_LOCKED = "La grille d'évaluation ne peut plus être modifiée : une évaluation a déjà été soumise."
PUBLISHED = "Les résultats de l'appel 2026-2027 ont été publiés le 15 juin 2026 à 10:00 : la sélection est définitive."
# Signed-in people who are not national pilots.
NOT_PILOTS = ["reviewer_national", "reviewer_maths", "dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "stranger"]


def refused(service, *args, **kwargs):
    """Run a service expected to refuse with a SelectionError; return its messages."""
    with pytest.raises(SelectionError) as error:
        service(*args, **kwargs)
    return error.value.messages


def refused_by_field(service, *args, **kwargs):
    with pytest.raises(SelectionError) as error:
        service(*args, **kwargs)
    return error.value.message_dict


def emails(template_subject_part):
    return [(sorted(e.to), e.subject) for e in OutgoingEmail.objects.filter(subject__contains=template_subject_part).order_by("pk")]


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


# --- The grid -------------------------------------------------------------------------


def test_the_default_grid_has_six_weighted_criteria(call, pilot):
    grid = services.ensure_grid(call, acting_user=pilot)
    assert [(c.order, c.label, c.weight, c.scale_min, c.scale_max) for c in criteria(grid)] == [
        (1, "Adéquation à la thématique", 2, 0, 4),
        (2, "Qualité pédagogique", 2, 0, 4),
        (3, "Compétences numériques et CRCN", 1, 0, 4),
        (4, "Réutilisabilité et transfert", 1, 0, 4),
        (5, "Équipe et accompagnement académique", 1, 0, 4),
        (6, "Usage des communs numériques", 1, 0, 4),
    ]
    assert grid.review_due == datetime.date(2026, 5, 25)  # three weeks before the results (15 June)
    assert not grid.is_locked
    assert services.ensure_grid(call, acting_user=pilot) == grid
    assert Criterion.objects.count() == 6
    assert [(e.action, e.actor) for e in history(grid)] == [(AuditAction.CREATED, pilot)]


@pytest.mark.parametrize("who", NOT_PILOTS)
def test_only_the_pilot_manages_the_grid(request, call, grid, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.ensure_grid(call, acting_user=person)
    with pytest.raises(PermissionDenied):
        services.add_criterion(grid, acting_user=person, label="Intrus")
    with pytest.raises(PermissionDenied):
        services.update_criterion(criteria(grid)[0], acting_user=person, weight=5)
    with pytest.raises(PermissionDenied):
        services.remove_criterion(criteria(grid)[0], acting_user=person)
    assert Criterion.objects.count() == 6


def test_the_pilot_edits_criteria(grid, pilot):
    added = services.add_criterion(grid, acting_user=pilot, label="  Caractère innovant ", description="Originalité", weight="3", scale_min=1, scale_max=5)
    assert (added.label, added.weight, added.scale_min, added.scale_max, added.order) == ("Caractère innovant", 3, 1, 5, 7)
    first = criteria(grid)[0]
    services.update_criterion(first, acting_user=pilot, weight=4, label="Adéquation au thème")
    first.refresh_from_db()
    assert (first.label, first.weight) == ("Adéquation au thème", 4)
    services.remove_criterion(added, acting_user=pilot)
    assert len(criteria(grid)) == 6
    assert [e.comment for e in history(grid)][:3] == [
        "Critère retiré : Caractère innovant", "Critère modifié : Adéquation au thème", "Critère ajouté : Caractère innovant",
    ]


def test_bad_criteria_are_refused_in_french(grid, pilot):
    assert refused_by_field(services.add_criterion, grid, acting_user=pilot, label=" ", weight=0, scale_min="un", scale_max=4) == {
        "label": ["Indiquez l'intitulé du critère."],
        "weight": ["Le coefficient doit être un nombre entier de 1 à 100."],
        "scale_min": ["La note doit être un nombre entier de 0 à 100."],
    }
    assert refused_by_field(services.add_criterion, grid, acting_user=pilot, label="Ok", weight=1.5, scale_min=4, scale_max=4) == {
        "weight": ["Le coefficient doit être un nombre entier de 1 à 100."],
        "scale_max": ["La note maximale doit être supérieure à la note minimale."],
    }
    first = criteria(grid)[0]
    assert refused_by_field(services.update_criterion, first, acting_user=pilot, scale_min=5) == {
        "scale_max": ["La note maximale doit être supérieure à la note minimale."],
    }
    assert refused_by_field(services.update_criterion, first, acting_user=pilot, state="x") == {"__all__": ["Champs inconnus : state."]}
    assert Criterion.objects.count() == 6


def test_the_grid_keeps_one_criterion(grid, pilot):
    *others, last = criteria(grid)
    for criterion in others:
        services.remove_criterion(criterion, acting_user=pilot)
    assert refused(services.remove_criterion, last, acting_user=pilot) == ["La grille d'évaluation doit garder au moins un critère."]


def test_removing_a_criterion_drops_its_draft_scores(assignment, grid, pilot, reviewer_national):
    first, second, *_ = criteria(grid)
    services.save_review(assignment, acting_user=reviewer_national, scores={first.pk: 3, second.pk: 2})
    services.remove_criterion(first, acting_user=pilot)
    assert list(Score.objects.values_list("criterion_id", "value")) == [(second.pk, 2)]


def test_the_grid_freezes_with_the_first_submitted_review(assignment, grid, pilot, reviewer_national):
    services.save_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, 3, 3, 3, 3, 3, 3))
    services.update_criterion(criteria(grid)[0], acting_user=pilot, weight=3)  # a draft does not freeze it
    services.submit_review(assignment, acting_user=reviewer_national, recommendation=Recommendation.SELECT)
    grid.refresh_from_db()
    assert grid.is_locked
    first = criteria(grid)[0]
    assert refused(services.update_criterion, first, acting_user=pilot, weight=1) == [GRID_LOCKED]
    assert refused(services.add_criterion, grid, acting_user=pilot, label="Nouveau") == [GRID_LOCKED]
    assert refused(services.remove_criterion, first, acting_user=pilot) == [GRID_LOCKED]
    assert first.weight == 3


def test_the_pilot_sets_the_review_due_date(grid, pilot, reviewer_national):
    services.set_review_due(grid, datetime.date(2026, 5, 18), acting_user=pilot)
    grid.refresh_from_db()
    assert grid.review_due == datetime.date(2026, 5, 18)
    assert history(grid).first().comment == "Évaluations attendues le 18 mai 2026"
    assert refused_by_field(services.set_review_due, grid, "18/05/2026", acting_user=pilot) == {"review_due": ["Indiquez une date valide."]}
    with pytest.raises(PermissionDenied):
        services.set_review_due(grid, datetime.date(2026, 5, 1), acting_user=reviewer_national)


# --- Assignments ------------------------------------------------------------------------


def test_the_pilot_assigns_a_proposal_to_a_reviewer(sent_grenoble, reviewer_national, pilot, call):
    assignment = services.assign_reviewer(sent_grenoble, reviewer_national, acting_user=pilot, due_on=datetime.date(2026, 5, 20))
    assert (assignment.proposal, assignment.reviewer, assignment.assigned_by, assignment.due_on) == (
        sent_grenoble, reviewer_national, pilot, datetime.date(2026, 5, 20),
    )
    assert call.scoring_grid.criteria.count() == 6  # the grid exists from the first assignment
    assert [(e.action, e.actor, e.data) for e in history(assignment)] == [
        (AuditAction.CREATED, pilot, {"proposal": sent_grenoble.pk, "reviewer": reviewer_national.pk}),
    ]
    assert emails("à évaluer") == [([reviewer_national.email], "TraAM 2026-2027 : 1 candidature à évaluer")]


@pytest.mark.parametrize("who", NOT_PILOTS)
def test_only_the_pilot_assigns(request, sent_grenoble, maths_entry, reviewer_national, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.assign_reviewer(sent_grenoble, reviewer_national, acting_user=person)
    with pytest.raises(PermissionDenied):
        services.assign_entry(maths_entry, reviewer_national, acting_user=person)
    assert not ReviewAssignment.objects.exists()


def test_a_reviewer_never_gets_a_proposal_from_their_own_academy(sent_grenoble, reviewer_maths, pilot):
    # reviewer_maths belongs to Grenoble.
    assert refused(services.assign_reviewer, sent_grenoble, reviewer_maths, acting_user=pilot) == [
        f"Alex {reviewer_maths.last_name} appartient à l'académie de Grenoble : conflit d'intérêts pour « Différencier avec MathALÉA »."
    ]
    assert not ReviewAssignment.objects.exists()


def test_only_reviewers_of_the_discipline_are_assigned(sent_grenoble, reviewer_nsi, teacher_grenoble, pilot):
    for person in (reviewer_nsi, teacher_grenoble, pilot):
        assert refused(services.assign_reviewer, sent_grenoble, person, acting_user=pilot) == [
            f"Alex {person.last_name} n'est pas évaluateur·rice national·e pour « Mathématiques »."
        ]


def test_only_proposals_sent_to_the_dne_are_assigned(retained, reviewer_national, pilot):
    assert refused(services.assign_reviewer, retained, reviewer_national, acting_user=pilot) == [
        "« Différencier avec MathALÉA » n'est pas en cours de sélection : elle est « retenue par l'académie »."
    ]


def test_a_proposal_is_assigned_once_to_a_reviewer(assignment, sent_grenoble, reviewer_national, pilot):
    assert refused(services.assign_reviewer, sent_grenoble, reviewer_national, acting_user=pilot) == [
        f"« Différencier avec MathALÉA » est déjà confiée à Alex {reviewer_national.last_name}."
    ]
    assert ReviewAssignment.objects.count() == 1


def test_assigning_a_whole_entry_skips_conflicts_with_reasons(sent_grenoble, sent_lyon, maths_entry, reviewer_maths, reviewer_national, pilot):
    report = services.assign_entry(maths_entry, reviewer_maths, acting_user=pilot)
    assert [a.proposal for a in report.assigned] == [sent_lyon]
    assert [(p, reason) for p, reason in report.skipped] == [
        (sent_grenoble, f"Alex {reviewer_maths.last_name} appartient à l'académie de Grenoble : conflit d'intérêts pour « Différencier avec MathALÉA ».")
    ]
    assert (report.assigned_count, report.skipped_count) == (1, 1)
    again = services.assign_entry(maths_entry, reviewer_maths, acting_user=pilot)
    assert again.assigned_count == 0
    assert [reason for _p, reason in again.skipped][1] == f"« Plans de travail au collège » est déjà confiée à Alex {reviewer_maths.last_name}."

    everything = services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    assert sorted(a.proposal_id for a in everything.assigned) == sorted([sent_grenoble.pk, sent_lyon.pk])
    assert ReviewAssignment.objects.count() == 3
    # One e-mail per action, listing what was assigned.
    assert emails("à évaluer") == [
        ([reviewer_maths.email], "TraAM 2026-2027 : 1 candidature à évaluer"),
        ([reviewer_national.email], "TraAM 2026-2027 : 2 candidatures à évaluer"),
    ]


def test_assigning_an_entry_needs_a_reviewer_of_its_discipline(sent_grenoble, nsi_entry, maths_entry, reviewer_nsi, pilot):
    assert refused(services.assign_entry, maths_entry, reviewer_nsi, acting_user=pilot) == [
        f"Alex {reviewer_nsi.last_name} n'est pas évaluateur·rice national·e pour « Mathématiques »."
    ]
    assert services.assign_entry(nsi_entry, reviewer_nsi, acting_user=pilot).assigned_count == 0  # nothing sent in NSI


def test_the_pilot_unassigns_with_the_draft(assignment, grid, pilot, reviewer_national):
    services.save_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, 3))
    services.unassign(assignment, acting_user=pilot)
    assert not ReviewAssignment.objects.exists() and not Review.objects.exists() and not Score.objects.exists()
    assert history(assignment).first().data["draft_dropped"] is True


def test_a_submitted_review_cannot_be_unassigned(assignment, grid, pilot, reviewer_national):
    services.submit_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, *[3] * 6), recommendation=Recommendation.SELECT)
    assert refused(services.unassign, assignment, acting_user=pilot) == [
        f"Alex {reviewer_national.last_name} a déjà soumis son évaluation de « Différencier avec MathALÉA » : elle ne peut plus lui être retirée."
    ]
    with pytest.raises(PermissionDenied):
        services.unassign(assignment, acting_user=reviewer_national)
    assert ReviewAssignment.objects.count() == 1


# --- Conflicts of interest --------------------------------------------------------------


def test_a_reviewer_declares_a_conflict(assignment, grid, sent_grenoble, reviewer_national, pilot):
    services.save_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, 2, 2), comment="Début")
    conflict = services.declare_conflict(sent_grenoble, acting_user=reviewer_national, reason="  J'ai formé cette équipe.  ")
    assert (conflict.proposal, conflict.reviewer, conflict.reason) == (sent_grenoble, reviewer_national, "J'ai formé cette équipe.")
    assert not ReviewAssignment.objects.exists() and not Review.objects.exists()
    assert [(e.action, e.comment) for e in history(conflict)] == [(AuditAction.CREATED, "J'ai formé cette équipe.")]
    assert emails("Conflit") == [([pilot.email], f"Conflit d'intérêts déclaré par Alex {reviewer_national.last_name} : Différencier avec MathALÉA")]
    # Never again to this reviewer, alone or with the whole entry.
    assert refused(services.assign_reviewer, sent_grenoble, reviewer_national, acting_user=pilot) == [
        f"Alex {reviewer_national.last_name} a déclaré un conflit d'intérêts sur « Différencier avec MathALÉA »."
    ]
    report = services.assign_entry(sent_grenoble.theme.entry, reviewer_national, acting_user=pilot)
    assert (report.assigned_count, report.skipped_count) == (0, 1)


@pytest.mark.parametrize("who", ["reviewer_lyon", "pilot", "dan_grenoble", "teacher_grenoble"])
def test_only_the_assigned_reviewer_declares_a_conflict(request, assignment, sent_grenoble, who):
    with pytest.raises(PermissionDenied):
        services.declare_conflict(sent_grenoble, acting_user=request.getfixturevalue(who), reason="Motif")
    assert not ConflictDeclaration.objects.exists()


def test_a_conflict_needs_a_reason_and_comes_before_submitting(assignment, grid, sent_grenoble, reviewer_national):
    assert refused_by_field(services.declare_conflict, sent_grenoble, acting_user=reviewer_national, reason="  ") == {
        "reason": ["Indiquez la nature du conflit d'intérêts."]
    }
    services.submit_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, *[3] * 6), recommendation=Recommendation.SELECT)
    assert refused(services.declare_conflict, sent_grenoble, acting_user=reviewer_national, reason="Tardif") == [
        "Vous avez déjà soumis votre évaluation de cette candidature : signalez le conflit d'intérêts à l'équipe nationale de pilotage."
    ]
    assert ReviewAssignment.objects.count() == 1 and not ConflictDeclaration.objects.exists()


# --- Reviews -------------------------------------------------------------------------------


def test_the_reviewer_saves_a_draft_in_steps(assignment, grid, sent_grenoble, reviewer_national):
    first, second, third, *_ = criteria(grid)
    review = services.save_review(sent_grenoble, acting_user=reviewer_national, scores={str(first.pk): "3", second.pk: 4})
    review = services.save_review(assignment, acting_user=reviewer_national, scores={second.pk: "", third.pk: 1}, comment="  Bien  ")
    assert (review.state, review.comment, review.recommendation) == (ReviewState.DRAFT, "Bien", "")
    assert dict(review.scores.values_list("criterion_id", "value")) == {first.pk: 3, third.pk: 1}
    assert [(e.action, e.data.get("fields")) for e in reversed(history(review))] == [
        (AuditAction.CREATED, ["scores"]), (AuditAction.UPDATED, ["scores", "comment"]),
    ]


def test_scores_out_of_the_scale_or_not_integers_are_refused_in_french(assignment, grid, reviewer_national):
    first, second, third, fourth, fifth, sixth = criteria(grid)
    errors = refused_by_field(
        services.save_review, assignment, acting_user=reviewer_national,
        scores={first.pk: 5, second.pk: -1, third.pk: "trois", fourth.pk: 2.5, fifth.pk: "2,5", sixth.pk: True, 999999: 1},
        recommendation="excellent",
    )
    assert errors == {
        f"criterion_{first.pk}": ["« Adéquation à la thématique » : la note doit être comprise entre 0 et 4."],
        f"criterion_{second.pk}": ["« Qualité pédagogique » : la note doit être comprise entre 0 et 4."],
        f"criterion_{third.pk}": ["« Compétences numériques et CRCN » : la note doit être un nombre entier."],
        f"criterion_{fourth.pk}": ["« Réutilisabilité et transfert » : la note doit être un nombre entier."],
        f"criterion_{fifth.pk}": ["« Équipe et accompagnement académique » : la note doit être un nombre entier."],
        f"criterion_{sixth.pk}": ["« Usage des communs numériques » : la note doit être un nombre entier."],
        "scores": ["Critère inconnu : 999999."],
        "recommendation": ["Choisissez une recommandation dans la liste."],
    }
    assert not Review.objects.exists() and not Score.objects.exists()


def test_huge_or_malformed_numbers_get_the_same_messages(assignment, grid, reviewer_national):
    first, second, third, *_ = criteria(grid)
    errors = refused_by_field(
        services.save_review, assignment, acting_user=reviewer_national, scores={first.pk: "9" * 5000, second.pk: "+-3", third.pk: " 3 "},
    )
    assert errors == {
        f"criterion_{first.pk}": ["« Adéquation à la thématique » : la note doit être comprise entre 0 et 4."],
        f"criterion_{second.pk}": ["« Qualité pédagogique » : la note doit être un nombre entier."],
    }


def test_a_criterion_on_another_scale_has_its_own_bounds(assignment, grid, pilot, reviewer_national):
    criterion = services.add_criterion(grid, acting_user=pilot, label="Originalité", scale_min=1, scale_max=5)
    assert refused(services.save_review, assignment, acting_user=reviewer_national, scores={criterion.pk: 0}) == [
        "« Originalité » : la note doit être comprise entre 1 et 5."
    ]
    services.save_review(assignment, acting_user=reviewer_national, scores={criterion.pk: 5})


def test_submitting_needs_every_score_and_a_recommendation(assignment, grid, reviewer_national):
    first, second, *rest = criteria(grid)
    errors = refused_by_field(services.submit_review, assignment, acting_user=reviewer_national, scores={first.pk: 3})
    assert errors == {
        f"criterion_{second.pk}": ["« Qualité pédagogique » : donnez une note."],
        **{f"criterion_{c.pk}": [f"« {c.label} » : donnez une note."] for c in rest},
        "recommendation": ["Choisissez une recommandation."],
    }
    assert not Review.objects.exists()  # refused: the save in the same call is rolled back too


def test_a_reserved_or_negative_recommendation_must_be_explained(assignment, grid, reviewer_national):
    for recommendation, label in ((Recommendation.RESERVED, "réservé"), (Recommendation.REJECT, "à ne pas sélectionner")):
        assert refused_by_field(
            services.submit_review, assignment, acting_user=reviewer_national, scores=scores_of(grid, *[1] * 6), recommendation=recommendation,
        ) == {"comment": [f"Une recommandation « {label} » doit être motivée : ajoutez un commentaire."]}
    review = services.submit_review(
        assignment, acting_user=reviewer_national, scores=scores_of(grid, *[1] * 6), recommendation=Recommendation.REJECT, comment="Hors sujet.",
    )
    assert review.state == ReviewState.SUBMITTED


def test_a_submitted_review_is_final(assignment, grid, reviewer_national):
    services.save_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, 4, 4, 3, 3, 2, 2), comment="Solide.")
    review = services.submit_review(
        assignment, acting_user=reviewer_national, recommendation=Recommendation.PRIORITY, now=paris(2026, 5, 12, 18, 30),
    )
    assert (review.state, review.submitted_at, review.recommendation) == (ReviewState.SUBMITTED, paris(2026, 5, 12, 18, 30), "priority")
    final = "Votre évaluation a été soumise le 12 mai 2026 à 18:30 : elle ne peut plus être modifiée."
    assert refused(services.save_review, assignment, acting_user=reviewer_national, comment="Changement") == [final]
    assert refused(services.submit_review, assignment, acting_user=reviewer_national) == [final]
    assert Review.objects.get().comment == "Solide."
    assert [(e.action, e.from_state, e.to_state) for e in history(review)][0] == (AuditAction.STATE_CHANGED, "draft", "submitted")


@pytest.mark.parametrize("who", ["reviewer_lyon", "reviewer_nsi", "pilot", "dan_grenoble", "teacher_grenoble", "stranger"])
def test_only_the_assigned_reviewer_writes_the_review(request, assignment, grid, sent_grenoble, who):
    person = request.getfixturevalue(who)
    for target in (assignment, sent_grenoble):
        with pytest.raises(PermissionDenied):
            services.save_review(target, acting_user=person, scores=scores_of(grid, 3))
        with pytest.raises(PermissionDenied):
            services.submit_review(target, acting_user=person, scores=scores_of(grid, *[3] * 6), recommendation="select")
    assert not Review.objects.exists()


def test_a_reviewer_who_joins_the_proposals_academy_can_no_longer_review(assignment, grid, reviewer_national, grenoble):
    reviewer_national.role_assignments.create(role=Role.TEACHER, academy=grenoble)
    reviewer_national = type(reviewer_national).objects.get(pk=reviewer_national.pk)  # roles are cached per object
    with pytest.raises(PermissionDenied):
        services.save_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, 3))


# --- Reminders ------------------------------------------------------------------------------


def test_the_pilot_reminds_a_reviewer_of_pending_reviews(sent_grenoble, sent_lyon, maths_entry, grid, reviewer_national, pilot, call):
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    lyon_assignment = ReviewAssignment.objects.get(proposal=sent_lyon)
    ReviewAssignment.objects.filter(pk=lyon_assignment.pk).update(due_on=datetime.date(2026, 6, 10))
    email = services.send_reminder(reviewer_national, call, acting_user=pilot, today=datetime.date(2026, 6, 1))
    assert (email.to, email.subject) == ([reviewer_national.email], "Rappel TraAM 2026-2027 : 2 évaluations en attente")
    assert "- Différencier avec MathALÉA (Mathématiques) — attendue le 25 mai 2026, en retard" in email.body
    assert "- Plans de travail au collège (Mathématiques) — à soumettre avant le 10 juin 2026" in email.body
    assert history(grid).first().data == {"reviewer": reviewer_national.pk, "pending": 2}

    services.submit_review(sent_grenoble, acting_user=reviewer_national, scores=scores_of(grid, *[2] * 6), recommendation="select")
    services.submit_review(sent_lyon, acting_user=reviewer_national, scores=scores_of(grid, *[2] * 6), recommendation="select")
    assert refused(services.send_reminder, reviewer_national, call, acting_user=pilot) == [
        f"Alex {reviewer_national.last_name} n'a aucune évaluation en attente pour l'appel 2026-2027."
    ]
    with pytest.raises(PermissionDenied):
        services.send_reminder(reviewer_national, call, acting_user=reviewer_national)


def test_reminders_go_to_everyone_with_pending_reviews(sent_grenoble, sent_lyon, maths_entry, grid, reviewer_national, reviewer_lyon, pilot, call):
    services.assign_entry(maths_entry, reviewer_national, acting_user=pilot)
    services.assign_entry(maths_entry, reviewer_lyon, acting_user=pilot)  # gets Grenoble only
    services.submit_review(sent_grenoble, acting_user=reviewer_lyon, scores=scores_of(grid, *[2] * 6), recommendation="select")
    assert services.send_reminders(call, acting_user=pilot) == 1
    assert emails("Rappel") == [([reviewer_national.email], "Rappel TraAM 2026-2027 : 2 évaluations en attente")]


# --- Selection ---------------------------------------------------------------------------


@pytest.fixture
def six_sent(maths_theme, grenoble, lyon):
    academies = [grenoble, lyon, *Academy.objects.filter(code__in=["paris", "lille", "nantes", "rennes"]).order_by("code")]
    return [make_sent(maths_theme, academy, f"Projet {number}") for number, academy in enumerate(academies[:6], start=1)]


def test_the_pilot_selects_up_to_the_entrys_seats(six_sent, maths_entry, pilot):
    for proposal in six_sent[:5]:
        services.select(proposal, acting_user=pilot)
    assert refused(services.select, six_sent[5], acting_user=pilot) == [
        "Les 5 places de « Mathématiques » sont pourvues : retirez d'abord une candidature de la sélection."
    ]
    assert Selection.objects.filter(entry=maths_entry).count() == 5
    services.unselect(six_sent[0], acting_user=pilot)
    services.select(six_sent[5], acting_user=pilot)
    assert sorted(Selection.objects.values_list("proposal__title", flat=True)) == ["Projet 2", "Projet 3", "Projet 4", "Projet 5", "Projet 6"]
    assert [e.comment for e in history(maths_entry)][:2] == [
        "Candidature sélectionnée : Projet 6 (Rennes)", "Candidature retirée de la sélection : Projet 1",
    ]


def test_selection_refusals(six_sent, retained, pilot):
    services.select(six_sent[0], acting_user=pilot)
    assert refused(services.select, six_sent[0], acting_user=pilot) == ["« Projet 1 » est déjà sélectionnée."]
    assert refused(services.unselect, six_sent[1], acting_user=pilot) == ["« Projet 2 » n'est pas sélectionnée."]
    assert refused(services.select, retained, acting_user=pilot) == [
        "Seules les candidatures transmises à la DNE sont en cours de sélection ; « Différencier avec MathALÉA » est « retenue par l'académie »."
    ]


@pytest.mark.parametrize("who", NOT_PILOTS)
def test_only_the_pilot_selects(request, six_sent, maths_entry, pilot, who):
    services.select(six_sent[0], acting_user=pilot)
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.select(six_sent[1], acting_user=person)
    with pytest.raises(PermissionDenied):
        services.unselect(six_sent[0], acting_user=person)
    with pytest.raises(PermissionDenied):
        services.set_empty_seat_reason(maths_entry, "Motif", acting_user=person)
    with pytest.raises(PermissionDenied):
        services.publish_results(maths_entry.call, acting_user=person, now=AFTER_DEADLINE)
    assert Selection.objects.count() == 1


def test_the_pilot_writes_and_withdraws_an_empty_seat_reason(maths_entry, pilot):
    reason = services.set_empty_seat_reason(maths_entry, "  Trois candidatures seulement.  ", acting_user=pilot)
    assert (reason.entry, reason.reason, reason.written_by) == (maths_entry, "Trois candidatures seulement.", pilot)
    services.set_empty_seat_reason(maths_entry, "Trois candidatures transmises.", acting_user=pilot)
    assert EmptySeatReason.objects.get().reason == "Trois candidatures transmises."
    assert services.set_empty_seat_reason(maths_entry, "", acting_user=pilot) is None
    assert not EmptySeatReason.objects.exists()
    assert [e.comment for e in history(maths_entry)][:3] == [
        "Motif des places vacantes retiré", "Motif des places vacantes : Trois candidatures transmises.",
        "Motif des places vacantes : Trois candidatures seulement.",
    ]


# --- Publication ----------------------------------------------------------------------------


def test_blockers_list_each_entry_neither_full_nor_explained(six_sent, call, pilot):
    for proposal in six_sent[:3]:
        services.select(proposal, acting_user=pilot)
    blockers = services.publication_blockers(call, now=AFTER_DEADLINE)
    assert len(blockers) == 21
    assert "« Mathématiques » : 3 places pourvues sur 5 ; indiquez pourquoi les autres restent vacantes." in blockers
    assert "« Numérique et sciences informatiques (NSI) / Informatique » : aucune place pourvue sur 5 ; indiquez pourquoi les places restent vacantes." in blockers
    justify_other_entries(call, pilot, "mathematiques")
    assert services.publication_blockers(call, now=AFTER_DEADLINE) == [
        "« Mathématiques » : 3 places pourvues sur 5 ; indiquez pourquoi les autres restent vacantes."
    ]
    services.set_empty_seat_reason(Entry.objects.get(call=call, code="mathematiques"), "Trois projets solides seulement.", acting_user=pilot)
    assert services.publication_blockers(call, now=AFTER_DEADLINE) == []
    # Before the synthesis deadline the academies may still send.
    assert services.publication_blockers(call, now=paris(2026, 3, 31, 23, 0)) == [
        "Les académies peuvent envoyer leur synthèse jusqu'au 31 mars 2026 à 23 h 59 (heure de Paris) : publiez les résultats après cette date."
    ]


def test_an_extension_delays_the_publication(call, pilot, lyon):
    grant_extension(call, lyon, acting_user=pilot, deadline=datetime.date(2026, 4, 10), reason="Panne informatique")
    assert services.publication_blockers(call, now=paris(2026, 4, 5, 12, 0))[0] == (
        "Les académies peuvent envoyer leur synthèse jusqu'au 10 avril 2026 à 23 h 59 (heure de Paris) : publiez les résultats après cette date."
    )


def test_publishing_is_refused_while_blockers_remain(six_sent, call, pilot):
    messages = refused(services.publish_results, call, acting_user=pilot, now=AFTER_DEADLINE)
    assert len(messages) == 21
    assert not Publication.objects.exists()
    assert set(Proposal.objects.values_list("state", flat=True)) == {ProposalState.SENT}


@pytest.fixture
def published(sent_grenoble, sent_lyon, call, pilot):
    """Grenoble selected, Lyon not; every entry explained."""
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    return services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)


def test_publishing_sets_every_proposal_and_tells_everyone(
    sent_grenoble, sent_lyon, call, pilot, dan_grenoble, dan_lyon, dran_ara, inspector_maths_grenoble, inspector_maths_lyon,
    inspector_nsi_grenoble, teacher_grenoble, teacher_lyon, django_capture_on_commit_callbacks,
):
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    received = []

    def receiver(sender, call, publication, **kwargs):
        received.append((call, publication))

    results_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publication = services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    finally:
        results_published.disconnect(receiver)
    assert received == [(call, publication)]
    assert (publication.published_at, publication.published_by, publication.selected_count, publication.not_selected_count) == (
        AFTER_DEADLINE, pilot, 1, 1,
    )
    grenoble_proposal, lyon_proposal = Proposal.objects.get(pk=sent_grenoble.pk), Proposal.objects.get(pk=sent_lyon.pk)
    assert (grenoble_proposal.state, lyon_proposal.state) == (ProposalState.SELECTED, ProposalState.NOT_SELECTED)
    assert [(e.from_state, e.to_state, e.actor) for e in history(grenoble_proposal)][0] == ("sent", "selected", pilot)
    assert [(e.from_state, e.to_state) for e in history(lyon_proposal)][0] == ("sent", "not_selected")
    assert history(call).first().to_state == "results_published"

    # The DRAN of Auvergne-Rhône-Alpes covers both academies; NSI's inspector hears nothing.
    assert emails("Résultats") == [
        (sorted([dan_grenoble.email, dran_ara.email]), "Résultats de la sélection nationale TraAM 2026-2027 : académie de Grenoble"),
        ([inspector_maths_grenoble.email], "Résultats de la sélection nationale TraAM 2026-2027 : académie de Grenoble, Mathématiques"),
        (sorted([dan_lyon.email, dran_ara.email]), "Résultats de la sélection nationale TraAM 2026-2027 : académie de Lyon"),
        ([inspector_maths_lyon.email], "Résultats de la sélection nationale TraAM 2026-2027 : académie de Lyon, Mathématiques"),
    ]
    team_emails = emails("Projet TraAM")
    assert [subject for _to, subject in team_emails] == [
        "Projet TraAM sélectionné : Différencier avec MathALÉA", "Projet TraAM non sélectionné : Plans de travail au collège",
    ]
    assert teacher_grenoble.email in team_emails[0][0] and "ines.morel@ac-grenoble.fr" in team_emails[0][0]
    assert teacher_lyon.email in team_emails[1][0]
    body = OutgoingEmail.objects.get(subject__endswith="académie de Grenoble").body
    assert "- Différencier avec MathALÉA (Mathématiques) : sélectionnée" in body


def test_the_publication_is_final(published, sent_grenoble, sent_lyon, call, pilot, maths_entry, reviewer_national):
    assert refused(services.publish_results, call, acting_user=pilot, now=AFTER_DEADLINE) == [PUBLISHED]
    assert refused(services.unselect, sent_grenoble, acting_user=pilot) == [PUBLISHED]
    assert refused(services.select, sent_lyon, acting_user=pilot) == [PUBLISHED]
    assert refused(services.set_empty_seat_reason, maths_entry, "Motif", acting_user=pilot) == [PUBLISHED]
    assert refused(services.assign_reviewer, sent_lyon, reviewer_national, acting_user=pilot) == [PUBLISHED]
    assert services.publication_blockers(call) == ["Les résultats de l'appel 2026-2027 ont été publiés le 15 juin 2026 à 10:00."]
    assert Publication.objects.count() == 1


def test_reviews_stop_with_the_publication(assignment, grid, sent_grenoble, call, pilot, reviewer_national):
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    assert refused(services.save_review, assignment, acting_user=reviewer_national, scores=scores_of(grid, 3)) == [
        "Seules les candidatures transmises à la DNE sont en cours de sélection ; « Différencier avec MathALÉA » est « sélectionnée »."
    ]


def test_a_failing_receiver_does_not_undo_the_publication(sent_grenoble, call, pilot, django_capture_on_commit_callbacks):
    services.select(sent_grenoble, acting_user=pilot)
    justify_other_entries(call, pilot)

    def broken(sender, **kwargs):
        raise RuntimeError("productions down")

    results_published.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    finally:
        results_published.disconnect(broken)
    assert Publication.objects.filter(call=call).exists()
