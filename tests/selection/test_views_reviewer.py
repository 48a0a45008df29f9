"""The national reviewers' pages, through HTTP: « Mes évaluations », the review
of a proposal (draft, submission, the other reviews, conflict of interest) and
its attachments. Every page as each role: the assigned reviewer, an unassigned
reviewer of the same discipline, a reviewer of another discipline, a reviewer
from the proposal's academy, the pilot, the DAN, the team, anonymous."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from candidatures import attachments
from selection import services
from selection.enums import Recommendation, ReviewState
from selection.models import ConflictDeclaration, Review, ReviewAssignment, Score
from tests.candidatures.test_attachments import PDF_BYTES, _private_media, upload  # noqa: F401 (fixture)
from tests.selection.conftest import AFTER_DEADLINE, criteria, justify_other_entries, make_sent, scores_of
from tests.utils import text_of
from traam.services import clone_call

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"
LIST_URL = "/selection/evaluations/"

# Who may see the Grenoble proposal confided to the national reviewer: only
# that reviewer and the pilot; the others are not told it exists.
HIDDEN_FROM = ["reviewer_lyon", "reviewer_nsi", "reviewer_maths", "dan_grenoble", "teacher_grenoble", "stranger"]


def review_url(proposal):
    return reverse("selection:review", args=[proposal.pk])


def conflict_url(proposal):
    return reverse("selection:declare_conflict", args=[proposal.pk])


def field(criterion):
    return f"criterion_{criterion.pk}"


def form_data(grid, *values, comment="", recommendation="", action="save", confirm=False):
    """What the review form posts: one value per criterion in the grid's order."""
    data = {field(criterion): value for criterion, value in zip(criteria(grid), values)}
    data.update(comment=comment, recommendation=recommendation)
    data[action] = ""
    if confirm:
        data["confirm"] = "on"
    return data


def submit(proposal, reviewer, grid, *values, comment="", recommendation=Recommendation.SELECT):
    return services.submit_review(
        proposal, acting_user=reviewer, scores=scores_of(grid, *values), comment=comment, recommendation=recommendation,
    )


def review_of(reviewer):
    return Review.objects.filter(assignment__reviewer=reviewer).first()


# --- URLs --------------------------------------------------------------------------------------


def test_urls():
    assert reverse("selection:reviewer_list") == LIST_URL
    assert reverse("selection:review", args=[7]) == "/selection/evaluations/7/"
    assert reverse("selection:declare_conflict", args=[7]) == "/selection/evaluations/7/conflit/"
    assert reverse("selection:attachment", args=[7, 3]) == "/selection/evaluations/7/pieces-jointes/3/"


# --- « Mes évaluations » ----------------------------------------------------------------------------


def test_the_list_shows_the_reviewers_proposals_with_their_progress(
    client, assignment, sent_grenoble, sent_lyon, make_third, grid, pilot, reviewer_national, call,
):
    lyon = services.assign_reviewer(sent_lyon, reviewer_national, acting_user=pilot)
    third = make_third()
    services.assign_reviewer(third, reviewer_national, acting_user=pilot)
    submit(sent_grenoble, reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    services.save_review(lyon, acting_user=reviewer_national, comment="En cours")
    client.force_login(reviewer_national)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    assert "1 évaluation soumise sur 3" in page
    for proposal in (sent_grenoble, sent_lyon, third):
        assert proposal.title in page and f'href="{review_url(proposal)}"' in page
    assert "Grenoble" in page and "Lyon" in page and "Mathématiques" in page
    assert call.title in page
    assert page.count(">soumise<") == 1 and page.count(">brouillon<") == 1 and page.count(">non commencée<") == 1
    due = call.scoring_grid.review_due
    assert f'datetime="{due:%Y-%m-%d}"' in page


def test_an_overdue_review_is_flagged(client, sent_grenoble, sent_lyon, grid, pilot, reviewer_national):
    services.assign_reviewer(sent_grenoble, reviewer_national, acting_user=pilot, due_on=datetime.date(2026, 5, 1))
    services.assign_reviewer(sent_lyon, reviewer_national, acting_user=pilot, due_on=datetime.date(2099, 5, 1))
    client.force_login(reviewer_national)
    page = text_of(client.get(LIST_URL))
    assert "Aucune évaluation soumise sur 2" in page
    assert "1 en retard" in page and page.count(">en retard<") == 1
    assert "1 mai 2026" in page and "1 mai 2099" in page


def test_the_list_groups_and_filters_by_call_most_recent_first(client, assignment, maths_theme, grenoble, call, pilot, reviewer_national):
    dates = {
        "opens_on": datetime.date(2026, 11, 2), "synthesis_deadline": datetime.date(2027, 3, 31), "results_on": datetime.date(2027, 6, 15),
        "production_starts_on": datetime.date(2027, 9, 1), "production_ends_on": datetime.date(2028, 4, 30),
    }
    next_call = clone_call(call, year="2027-2028", title="Appel à projet 2027-2028", dates=dates, acting_user=pilot)
    theme = next_call.entries.get(code="mathematiques").themes.first()
    later = make_sent(theme, grenoble, "Un projet de l'année suivante")
    services.assign_reviewer(later, reviewer_national, acting_user=pilot)
    client.force_login(reviewer_national)

    page = text_of(client.get(LIST_URL))
    assert page.index("Appel à projet 2027-2028") < page.index(assignment.proposal.title)
    assert page.index(later.title) < page.index(assignment.proposal.title)
    assert page.count("Aucune évaluation soumise sur 1") == 2
    assert '<option value="2027-2028">' in page

    page = text_of(client.get(LIST_URL, {"appel": call.year}))
    assert assignment.proposal.title in page and later.title not in page
    assert f'<option value="{call.year}" selected>' in page


@pytest.mark.parametrize("who", ["pilot", "dan_grenoble", "teacher_grenoble", "inspector_maths_grenoble", "stranger"])
def test_the_list_is_for_reviewers_only(request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST_URL).status_code == 403


def test_anonymous_people_are_sent_to_the_login_page(client, assignment, sent_grenoble):
    for url in (LIST_URL, review_url(sent_grenoble)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    response = client.post(review_url(sent_grenoble), {"save": ""})
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    response = client.post(conflict_url(sent_grenoble), {"reason": "Collègue"})
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not Review.objects.exists() and not ConflictDeclaration.objects.exists()


def test_a_reviewer_without_assignments_sees_an_empty_list(client, reviewer_nsi, assignment):
    client.force_login(reviewer_nsi)
    page = text_of(client.get(LIST_URL))
    assert "Aucune candidature ne vous est confiée pour le moment." in page
    assert assignment.proposal.title not in page


def test_the_list_leaves_out_other_reviewers_assignments_and_conflicts(client, assignment, peer_assignment, sent_grenoble, reviewer_lyon, sent_lyon):
    client.force_login(reviewer_lyon)
    page = text_of(client.get(LIST_URL))
    assert sent_grenoble.title in page and sent_lyon.title not in page


def test_the_list_is_paginated_with_bounded_queries(client, maths_theme, grid, pilot, reviewer_national, django_assert_max_num_queries):
    from traam.models import Academy

    academies = list(Academy.objects.exclude(code__in=["grenoble", "lyon"]).order_by("code")[:6])
    for number in range(55):
        proposal = make_sent(maths_theme, academies[number % len(academies)], f"Projet numéro {number:02d}")
        services.assign_reviewer(proposal, reviewer_national, acting_user=pilot)
    client.force_login(reviewer_national)
    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "Aucune évaluation soumise sur 55" in page and "1 / 2" in page
    assert page.count("Projet numéro") == 50
    second = text_of(client.get(LIST_URL, {"page": 2}))
    assert second.count("Projet numéro") == 5 and "2 / 2" in second


# --- The review page: who sees it -----------------------------------------------------------------


def test_the_assigned_reviewer_sees_the_proposal_the_academys_opinion_and_the_form(client, assignment, sent_grenoble, grid, reviewer_national):
    client.force_login(reviewer_national)
    response = client.get(review_url(sent_grenoble))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    for text in (
        "Différencier avec MathALÉA", "Des parcours d'exercices adaptés au niveau de chaque élève.",
        "Réduire les écarts de maîtrise du calcul en classe de 5e.", "Comment le numérique aide-t-il à différencier sans isoler l'élève ?",
        "MathALÉA, Capytale", "Inès Morel", "enseignant·e référent·e", "0381234K",
        # the academic opinion, the synthesis priority and the academy's comment
        "favorable", "1 sur 1", "Priorité de l'académie.",
    ):
        assert text in page, text
    # The team's e-mail addresses are not the reviewer's business.
    assert "ines.morel@ac-grenoble.fr" not in page
    for criterion in criteria(grid):
        assert criterion.label in page and criterion.description in page
        assert f'name="{field(criterion)}" value="0"' in page and f'name="{field(criterion)}" value="4"' in page
    assert "Coefficient 2 ; note de 0 à 4." in page and "4 — excellent" in page
    assert "Enregistrer le brouillon" in page and "Soumettre l'évaluation" in page
    assert f'action="{conflict_url(sent_grenoble)}"' in page and "Déclarer un conflit d'intérêts" in page
    assert "Pas encore commencée." in page


@pytest.mark.parametrize("who", HIDDEN_FROM)
def test_others_are_not_told_the_proposal_exists(request, client, assignment, forced_conflict, sent_grenoble, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(review_url(sent_grenoble)).status_code == 404
    assert client.post(review_url(sent_grenoble), {"save": ""}).status_code == 404
    assert client.post(conflict_url(sent_grenoble), {"reason": "Collègue"}).status_code == 404
    assert not Review.objects.exists() and not ConflictDeclaration.objects.exists()


def test_an_unknown_proposal_is_not_found(client, reviewer_national):
    client.force_login(reviewer_national)
    assert client.get(reverse("selection:review", args=[999999])).status_code == 404


def test_the_pilot_reads_the_proposal_and_every_review_but_does_not_review(
    client, assignment, peer_assignment, sent_grenoble, grid, pilot, reviewer_national, reviewer_lyon,
):
    submit(sent_grenoble, reviewer_lyon, grid, 2, 2, 2, 2, 2, 2, comment="Analyse lyonnaise")
    services.save_review(sent_grenoble, acting_user=reviewer_national, comment="Brouillon national")
    client.force_login(pilot)
    response = client.get(review_url(sent_grenoble))
    assert response.status_code == 200
    page = text_of(response)
    assert sent_grenoble.title in page and "Analyse lyonnaise" in page and "Brouillon national" in page
    assert "Enregistrer le brouillon" not in page and f'action="{conflict_url(sent_grenoble)}"' not in page
    # Seeing is not acting.
    assert client.post(review_url(sent_grenoble), form_data(grid, 3, 3, 3, 3, 3, 3)).status_code == 403
    assert client.post(conflict_url(sent_grenoble), {"reason": "Aucun"}).status_code == 403
    assert Score.objects.filter(review__assignment__reviewer=pilot).count() == 0


# --- The review form ------------------------------------------------------------------------------


def test_the_reviewer_saves_a_draft_and_finds_it_again(client, assignment, sent_grenoble, grid, reviewer_national):
    client.force_login(reviewer_national)
    first, second, *_rest = criteria(grid)
    data = form_data(grid, "3", "4", "", "", "", "", comment="Première lecture", recommendation=Recommendation.SELECT)
    response = client.post(review_url(sent_grenoble), data, follow=True)
    assert response.redirect_chain[-1][0] == review_url(sent_grenoble)
    page = text_of(response)
    assert "Votre brouillon est enregistré." in page
    review = review_of(reviewer_national)
    assert review.state == ReviewState.DRAFT
    assert {score.criterion_id: score.value for score in review.scores.all()} == {first.pk: 3, second.pk: 4}
    assert (review.comment, review.recommendation) == ("Première lecture", Recommendation.SELECT)
    # The form shows the draft again.
    assert f'name="{field(first)}" value="3" checked' in page and f'name="{field(second)}" value="4" checked' in page
    assert f'value="{Recommendation.SELECT}" checked' in page
    assert ">Première lecture</textarea>" in page
    assert "Brouillon enregistré, pas encore soumis." in page


def test_a_missing_criterion_refuses_the_submission_in_french_and_keeps_what_was_typed(client, assignment, sent_grenoble, grid, reviewer_national):
    client.force_login(reviewer_national)
    data = form_data(grid, "3", "3", "3", "3", "3", "", comment="Mon avis", recommendation=Recommendation.SELECT, action="submit", confirm=True)
    response = client.post(review_url(sent_grenoble), data)
    assert response.status_code == 200
    page = text_of(response)
    last = criteria(grid)[-1]
    assert "« Usage des communs numériques » : donnez une note." in page
    assert f'id="review-{field(last)}-error"' in page and "fr-alert--error" in page
    assert "Rien n'a été enregistré." in page and 'href="#evaluation"' in page
    assert f'name="{field(criteria(grid)[0])}" value="3" checked' in page and ">Mon avis</textarea>" in page
    # A refused submission changes nothing.
    assert not Review.objects.exists()


def test_non_numeric_and_out_of_range_scores_are_refused_in_french_and_nothing_is_saved(client, assignment, sent_grenoble, grid, reviewer_national):
    client.force_login(reviewer_national)
    services.save_review(sent_grenoble, acting_user=reviewer_national, scores=scores_of(grid, 2, 2), comment="Avant")
    for action in ("save", "submit"):
        data = form_data(grid, "abc", "9", "3", "3", "3", "3", comment="Après", recommendation=Recommendation.SELECT, action=action, confirm=True)
        response = client.post(review_url(sent_grenoble), data)
        assert response.status_code == 200
        page = text_of(response)
        assert "« Adéquation à la thématique » : la note doit être un nombre entier." in page
        assert "« Qualité pédagogique » : la note doit être comprise entre 0 et 4." in page
        review = review_of(reviewer_national)
        assert review.state == ReviewState.DRAFT and review.comment == "Avant"
        assert sorted(review.scores.values_list("value", flat=True)) == [2, 2]


def test_comment_and_recommendation_errors_sit_beside_their_fields(client, assignment, sent_grenoble, grid, reviewer_national):
    client.force_login(reviewer_national)
    response = client.post(review_url(sent_grenoble), form_data(grid, "3", comment="x" * 10_001, recommendation="tout"))
    page = text_of(response)
    assert "Le commentaire compte 10 000 caractères au plus." in page and 'id="review-comment-error"' in page
    assert "Choisissez une recommandation dans la liste." in page and 'id="review-recommendation-error"' in page
    assert not Review.objects.exists()
    data = form_data(grid, *["1"] * 6, recommendation=Recommendation.REJECT, action="submit", confirm=True)
    page = text_of(client.post(review_url(sent_grenoble), data))
    assert "Une recommandation « à ne pas sélectionner » doit être motivée : ajoutez un commentaire." in page
    assert 'id="review-comment-error"' in page and not Review.objects.exists()


def test_a_scale_wider_than_eleven_values_is_a_bounded_number_input(client, assignment, sent_grenoble, grid, pilot, reviewer_national):
    wide = services.add_criterion(grid, acting_user=pilot, label="Ambition", weight=1, scale_min=0, scale_max=20)
    client.force_login(reviewer_national)
    page = text_of(client.get(review_url(sent_grenoble)))
    assert f'type="number" id="review-{field(wide)}" name="{field(wide)}" value="" min="0" max="20" step="1"' in page
    response = client.post(review_url(sent_grenoble), {field(wide): "21", "save": ""})
    assert "« Ambition » : la note doit être comprise entre 0 et 20." in text_of(response)
    assert not Score.objects.exists()


def test_submitting_needs_the_confirmation(client, assignment, sent_grenoble, grid, reviewer_national):
    client.force_login(reviewer_national)
    data = form_data(grid, *["3"] * 6, recommendation=Recommendation.SELECT, action="submit")
    response = client.post(review_url(sent_grenoble), data)
    assert response.status_code == 200
    assert "Cochez la case de confirmation pour soumettre votre évaluation." in text_of(response)
    assert not Review.objects.exists()


def test_the_reviewer_submits_and_then_reads_the_others_submitted_reviews(
    client, assignment, peer_assignment, sent_grenoble, grid, reviewer_national, reviewer_lyon, reviewer_nsi,
):
    submit(sent_grenoble, reviewer_lyon, grid, 1, 1, 1, 1, 1, 1, comment="Analyse lyonnaise", recommendation=Recommendation.RESERVED)
    client.force_login(reviewer_national)
    page = text_of(client.get(review_url(sent_grenoble)))
    assert "Analyse lyonnaise" not in page and reviewer_lyon.last_name not in page
    assert "Les évaluations des autres évaluateur·rices" not in page

    data = form_data(grid, *["3"] * 6, comment="Projet solide", recommendation=Recommendation.SELECT, action="submit", confirm=True)
    response = client.post(review_url(sent_grenoble), data, follow=True)
    assert response.redirect_chain[-1][0] == review_url(sent_grenoble)
    page = text_of(response)
    assert "Votre évaluation est soumise." in page
    review = review_of(reviewer_national)
    assert review.state == ReviewState.SUBMITTED and review.comment == "Projet solide"
    # Read-only now: no form, no conflict declaration; its score out of 20.
    assert "Enregistrer le brouillon" not in page and f'action="{conflict_url(sent_grenoble)}"' not in page
    assert "Projet solide" in page and "note globale : 15,00 / 20" in page
    # The other submitted review, with its author.
    assert "Les évaluations des autres évaluateur·rices" in page
    assert "Analyse lyonnaise" in page and reviewer_lyon.last_name in page and "note globale : 5,00 / 20" in page
    assert "recommandation : réservé" in page
    # A submitted review is final.
    assert client.post(review_url(sent_grenoble), form_data(grid, *["1"] * 6)).status_code == 403
    assert review_of(reviewer_national).comment == "Projet solide"


def test_other_drafts_stay_private_after_submitting(client, assignment, peer_assignment, sent_grenoble, grid, reviewer_national, reviewer_lyon):
    services.save_review(sent_grenoble, acting_user=reviewer_lyon, comment="Brouillon lyonnais")
    submit(sent_grenoble, reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    client.force_login(reviewer_national)
    page = text_of(client.get(review_url(sent_grenoble)))
    assert "Brouillon lyonnais" not in page and "Les évaluations des autres évaluateur·rices" not in page


def test_script_in_comments_is_escaped(client, assignment, peer_assignment, sent_grenoble, grid, reviewer_national, reviewer_lyon):
    submit(sent_grenoble, reviewer_lyon, grid, 2, 2, 2, 2, 2, 2, comment=f"Lyon {SCRIPT}")
    client.force_login(reviewer_national)
    # Typed and refused: shown again, escaped.
    response = client.post(review_url(sent_grenoble), form_data(grid, "abc", comment=f"Mon avis {SCRIPT}"))
    html = response.content.decode()
    assert "Mon avis &lt;script&gt;" in html and SCRIPT not in html
    # Saved, submitted, read back beside the other review: escaped.
    submit(sent_grenoble, reviewer_national, grid, 3, 3, 3, 3, 3, 3, comment=f"Mon avis {SCRIPT}")
    html = client.get(review_url(sent_grenoble)).content.decode()
    assert "Mon avis &lt;script&gt;" in html and "Lyon &lt;script&gt;" in html and SCRIPT not in html


def test_after_the_publication_the_review_is_closed(client, assignment, sent_grenoble, grid, call, pilot, reviewer_national):
    services.save_review(sent_grenoble, acting_user=reviewer_national, comment="Trop tard")
    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    client.force_login(reviewer_national)
    page = text_of(client.get(review_url(sent_grenoble)))
    assert "La sélection nationale de cette candidature est close" in page and "Enregistrer le brouillon" not in page
    assert client.post(review_url(sent_grenoble), form_data(grid, *["3"] * 6)).status_code == 403
    assert client.post(conflict_url(sent_grenoble), {"reason": "Collègue"}).status_code == 403


# --- Conflict of interest --------------------------------------------------------------------------


def test_the_reviewer_declares_a_conflict_and_the_proposal_leaves_their_list(
    client, assignment, sent_grenoble, grid, pilot, reviewer_national, django_capture_on_commit_callbacks,
):
    services.save_review(sent_grenoble, acting_user=reviewer_national, comment="Brouillon")
    client.force_login(reviewer_national)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(conflict_url(sent_grenoble), {"reason": "J'ai travaillé avec la porteuse."}, follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    page = text_of(response)
    assert "Votre conflit d'intérêts est déclaré" in page and f"« {sent_grenoble.title} » ne vous est plus confiée" in page
    assert sent_grenoble.title in page  # in the message only
    assert f'href="{review_url(sent_grenoble)}"' not in page
    assert not ReviewAssignment.objects.exists() and not Review.objects.exists()
    assert ConflictDeclaration.objects.get().reason == "J'ai travaillé avec la porteuse."
    assert any(pilot.email in message.to + message.bcc for message in mail.outbox)
    assert client.get(review_url(sent_grenoble)).status_code == 404


def test_a_conflict_without_reason_is_refused_in_french(client, assignment, sent_grenoble, reviewer_national):
    client.force_login(reviewer_national)
    response = client.post(conflict_url(sent_grenoble), {"reason": "   "})
    assert response.status_code == 200
    page = text_of(response)
    assert "Indiquez la nature du conflit d'intérêts." in page and 'id="conflict-reason-error"' in page
    assert "Rien n'a été enregistré." in page and 'href="#conflit"' in page
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists() and not ConflictDeclaration.objects.exists()


def test_pages_are_get_or_post_only(client, assignment, sent_grenoble, reviewer_national):
    client.force_login(reviewer_national)
    assert client.get(conflict_url(sent_grenoble)).status_code == 405
    assert client.post(LIST_URL).status_code == 405
    assert client.put(review_url(sent_grenoble)).status_code == 405


# --- Attachments -----------------------------------------------------------------------------------------


@pytest.fixture
def with_file(complete, teacher_grenoble):
    """A file joined by the team while the proposal was a draft."""
    return attachments.add_attachment(complete, upload("Projet MathALÉA.pdf", PDF_BYTES), acting_user=teacher_grenoble)


@pytest.fixture
def file_under_review(with_file, assignment):
    return with_file


def attachment_url(attachment):
    return reverse("selection:attachment", args=[attachment.proposal_id, attachment.pk])


@pytest.mark.parametrize("who", ["reviewer_national", "pilot"])
def test_the_assigned_reviewer_and_the_pilot_download_attachments(request, client, file_under_review, who):
    client.force_login(request.getfixturevalue(who))
    page = text_of(client.get(review_url(file_under_review.proposal)))
    assert f'href="{attachment_url(file_under_review)}"' in page and "Télécharger « Projet MathALÉA.pdf »" in page
    response = client.get(attachment_url(file_under_review))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("who", HIDDEN_FROM)
def test_others_may_not_download_attachments(request, client, file_under_review, forced_conflict, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(attachment_url(file_under_review)).status_code == 404


def test_attachments_for_anonymous_and_of_other_proposals(client, file_under_review, sent_lyon, reviewer_national, pilot):
    response = client.get(attachment_url(file_under_review))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    client.force_login(pilot)
    assert client.get(reverse("selection:attachment", args=[sent_lyon.pk, file_under_review.pk])).status_code == 404
    client.force_login(reviewer_national)
    assert client.post(attachment_url(file_under_review)).status_code == 405


# --- Fixtures --------------------------------------------------------------------------------------------


@pytest.fixture
def forced_conflict(sent_grenoble, reviewer_maths, grid):
    """An assignment made before the rule existed: reviewer_maths belongs to Grenoble."""
    return ReviewAssignment.objects.create(proposal=sent_grenoble, reviewer=reviewer_maths)


@pytest.fixture
def make_third(maths_theme):
    from traam.models import Academy

    def make():
        return make_sent(maths_theme, Academy.objects.get(code="paris"), "Un projet parisien")

    return make



def test_the_review_page_runs_a_bounded_number_of_queries(
    client, assignment, sent_grenoble, grid, pilot, maths, reviewer_national, django_assert_max_num_queries,
):
    from tests.factories import make_user
    from traam.enums import Role

    for number in range(4):
        peer = make_user(f"pair.{number}@example.test", Role.REVIEWER, disciplines=[maths])
        services.assign_reviewer(sent_grenoble, peer, acting_user=pilot)
        submit(sent_grenoble, peer, grid, 2, 2, 2, 2, 2, 2, comment=f"Avis {number}")
    submit(sent_grenoble, reviewer_national, grid, 3, 3, 3, 3, 3, 3)
    client.force_login(reviewer_national)
    with django_assert_max_num_queries(30):
        response = client.get(review_url(sent_grenoble))
    page = text_of(response)
    assert all(f"Avis {number}" in page for number in range(4))
