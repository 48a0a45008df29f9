"""The academy's side of the Proposals stage, through HTTP: the inspector's
list « Candidatures de l'académie » (scope, filters, pagination) and the three
actions on the detail page (opinion, return for completion, decision)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import AcademicOpinion, ProposalState
from candidatures.models import Proposal
from tests.utils import text_of

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"
LIST_URL = "/candidatures/academie/"


def reload(proposal):
    return Proposal.objects.get(pk=proposal.pk)


def detail_url(proposal):
    return reverse("candidatures:detail", args=[proposal.pk])


def make(theme, academy, lead, title, state=ProposalState.SUBMITTED, **fields):
    """A proposal in a given state, written directly (the list only reads them)."""
    submitted_at = None if state == ProposalState.DRAFT else timezone.now()
    return Proposal.objects.create(theme=theme, academy=academy, lead=lead, title=title, state=state, submitted_at=submitted_at, **fields)


@pytest.fixture
def others(maths_theme, nsi_theme, grenoble, lyon, teacher_grenoble, teacher_lyon):
    """Proposals the Grenoble maths inspector must not find in the list."""
    return [
        make(maths_theme, grenoble, teacher_grenoble, "Brouillon grenoblois", state=ProposalState.DRAFT),
        make(maths_theme, lyon, teacher_lyon, "Projet lyonnais"),
        make(nsi_theme, grenoble, teacher_grenoble, "Projet NSI grenoblois"),
    ]


# --- The list -------------------------------------------------------------------------------


def test_url_and_nav_item(client, inspector_maths_grenoble, teacher_grenoble):
    assert reverse("candidatures:inspector_list") == LIST_URL
    client.force_login(inspector_maths_grenoble)
    assert "Candidatures de l'académie" in text_of(client.get(reverse("home")))
    client.force_login(teacher_grenoble)
    assert "Candidatures de l'académie" not in text_of(client.get(reverse("home")))


def test_the_inspector_sees_their_academy_and_discipline_past_draft(client, maths_theme, grenoble, teacher_grenoble, others, inspector_maths_grenoble):
    mine = [
        make(maths_theme, grenoble, teacher_grenoble, "Projet déposé"),
        make(maths_theme, grenoble, teacher_grenoble, "Projet retenu", state=ProposalState.RETAINED, opinion=AcademicOpinion.FAVOURABLE),
        make(maths_theme, grenoble, teacher_grenoble, "Projet retiré", state=ProposalState.WITHDRAWN),
    ]
    client.force_login(inspector_maths_grenoble)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    for proposal in mine:
        assert proposal.title in page and detail_url(proposal) in page
    for proposal in others:
        assert proposal.title not in page
    assert "3 candidatures" in page
    assert "retenue par l'académie" in page and "favorable" in page
    assert '<label class="fr-label" for="id_q">' in page


def test_filters_narrow_the_list(client, maths_theme, call, grenoble, teacher_grenoble, inspector_maths_grenoble):
    from traam.models import Theme

    other_theme = Theme.objects.filter(entry=maths_theme.entry).exclude(pk=maths_theme.pk).first()
    submitted = make(maths_theme, grenoble, teacher_grenoble, "Géométrie dynamique", summary="Avec GeoGebra en classe")
    returned = make(maths_theme, grenoble, teacher_grenoble, "Calcul mental", state=ProposalState.RETURNED)
    client.force_login(inspector_maths_grenoble)

    page = text_of(client.get(LIST_URL, {"state": "returned"}))
    assert returned.title in page and submitted.title not in page and "1 candidature" in page

    page = text_of(client.get(LIST_URL, {"q": "geogebra"}))
    assert submitted.title in page and returned.title not in page

    page = text_of(client.get(LIST_URL, {"q": teacher_grenoble.last_name}))
    assert submitted.title in page and returned.title in page

    page = text_of(client.get(LIST_URL, {"call": call.pk, "theme": maths_theme.pk}))
    assert submitted.title in page and returned.title in page
    if other_theme is not None:
        # Only the themes of visible proposals are offered: another theme is not a valid choice.
        response = client.get(LIST_URL, {"theme": other_theme.pk})
        assert response.status_code == 200
        assert f'value="{other_theme.pk}"' not in text_of(response)
        moved = make(other_theme, grenoble, teacher_grenoble, "Sur une autre thématique")
        page = text_of(client.get(LIST_URL, {"theme": other_theme.pk}))
        assert moved.title in page and submitted.title not in page


def test_the_list_is_paginated_with_bounded_queries(client, maths_theme, grenoble, teacher_grenoble, inspector_maths_grenoble):
    for number in range(25):
        make(maths_theme, grenoble, teacher_grenoble, f"Projet numéro {number:02d}")
    client.force_login(inspector_maths_grenoble)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(queries) <= 12, [query["sql"] for query in queries]
    page = text_of(response)
    assert "25 candidatures" in page and "1 / 2" in page
    assert page.count('href="/candidatures/') - page.count('href="/candidatures/academie/') == 20

    second = text_of(client.get(LIST_URL, {"page": 2, "state": "submitted"}))
    assert "2 / 2" in second
    assert second.count("Projet numéro") == 5
    assert "state=submitted&page=1" in second  # the filters are kept across pages


def test_the_list_is_for_inspectors_only(client, teacher_grenoble, dan_grenoble, stranger):
    for person in (teacher_grenoble, dan_grenoble, stranger):
        client.force_login(person)
        assert client.get(LIST_URL).status_code == 403
    client.logout()
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


# --- The actions -----------------------------------------------------------------------------


def test_the_inspector_sees_the_review_section_the_team_does_not(client, submitted, inspector_maths_grenoble, teacher_grenoble):
    client.force_login(inspector_maths_grenoble)
    page = text_of(client.get(detail_url(submitted)))
    assert "Avis et décision de l'académie" in page
    for name in ("give_opinion", "return_for_completion", "decide"):
        assert f'action="{reverse(f"candidatures:{name}", args=[submitted.pk])}"' in page
    assert '<label class="fr-label" for="review-return-reason">' in page
    assert page.count("<h1") == 1
    client.force_login(teacher_grenoble)
    assert "Avis et décision de l'académie" not in text_of(client.get(detail_url(submitted)))


def test_the_inspector_gives_an_opinion(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    url = reverse("candidatures:give_opinion", args=[submitted.pk])
    assert url == f"/candidatures/{submitted.pk}/avis/"
    response = client.post(url, {"opinion": AcademicOpinion.RESERVED, "comment": "Préciser l'évaluation."}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(submitted)
    assert "L'avis académique est enregistré." in text_of(response)
    saved = reload(submitted)
    assert (saved.opinion, saved.opinion_comment, saved.opinion_by) == (AcademicOpinion.RESERVED, "Préciser l'évaluation.", inspector_maths_grenoble)


def test_a_reserved_opinion_without_comment_is_refused_in_french(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(reverse("candidatures:give_opinion", args=[submitted.pk]), {"opinion": AcademicOpinion.RESERVED}, follow=True)
    assert "Un avis réservé ou défavorable doit être motivé" in text_of(response)
    assert "fr-alert--error" in text_of(response)
    assert reload(submitted).opinion == ""


def test_the_inspector_returns_the_proposal_and_the_team_is_told(
    client, submitted, inspector_maths_grenoble, teacher_grenoble, django_capture_on_commit_callbacks
):
    client.force_login(inspector_maths_grenoble)
    url = reverse("candidatures:return_for_completion", args=[submitted.pk])
    assert url == f"/candidatures/{submitted.pk}/retour/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Ajoutez le code UAI du référent."})
    assert response.status_code == 302 and response.url == detail_url(submitted)
    saved = reload(submitted)
    assert (saved.state, saved.return_reason) == (ProposalState.RETURNED, "Ajoutez le code UAI du référent.")
    assert mail.outbox and teacher_grenoble.email in {address for message in mail.outbox for address in message.to + message.bcc}


def test_a_return_without_reason_shows_the_french_error_and_changes_nothing(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    version = reload(submitted).version
    response = client.post(reverse("candidatures:return_for_completion", args=[submitted.pk]), {"reason": "   "})
    assert response.status_code == 200  # the detail page again, with the error beside the field
    page = text_of(response)
    assert "Indiquez à l'équipe ce qu'elle doit compléter." in page and "fr-alert--error" in page
    saved = reload(submitted)
    assert (saved.state, saved.return_reason, saved.version) == (ProposalState.SUBMITTED, "", version)


def test_a_refused_opinion_keeps_what_the_inspector_typed(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(reverse("candidatures:give_opinion", args=[submitted.pk]), {"opinion": "", "comment": f"Mon analyse {SCRIPT}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez un avis : favorable, réservé ou défavorable." in text_of(response)
    assert "Mon analyse &lt;script&gt;" in html and SCRIPT not in html
    assert reload(submitted).opinion == ""


def test_a_refused_decision_keeps_the_comment(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(reverse("candidatures:decide", args=[submitted.pk]), {"decision": "retain", "comment": "Beau projet, à retenir."})
    assert response.status_code == 200
    assert "Donnez d'abord l'avis académique" in text_of(response)
    assert "Beau projet, à retenir." in response.content.decode()
    assert reload(submitted).state == ProposalState.SUBMITTED


def test_the_inspector_decides_and_the_team_is_told(client, submitted, inspector_maths_grenoble, teacher_grenoble, django_capture_on_commit_callbacks):
    client.force_login(inspector_maths_grenoble)
    url = reverse("candidatures:decide", args=[submitted.pk])
    assert url == f"/candidatures/{submitted.pk}/decision/"
    # No opinion yet: the service refuses, in French.
    page = text_of(client.post(url, {"decision": "retain"}, follow=True))
    assert "Donnez d'abord l'avis académique" in page
    assert reload(submitted).state == ProposalState.SUBMITTED

    client.post(reverse("candidatures:give_opinion", args=[submitted.pk]), {"opinion": AcademicOpinion.FAVOURABLE})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "retain", "comment": "Beau projet."})
    assert response.status_code == 302 and response.url == detail_url(submitted)
    assert reload(submitted).state == ProposalState.RETAINED
    assert mail.outbox and teacher_grenoble.email in {address for message in mail.outbox for address in message.to + message.bcc}


def test_the_inspector_may_not_retain(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    client.post(reverse("candidatures:give_opinion", args=[submitted.pk]), {"opinion": AcademicOpinion.UNFAVOURABLE, "comment": "Trop flou."})
    client.post(reverse("candidatures:decide", args=[submitted.pk]), {"decision": "not_retain"})
    assert reload(submitted).state == ProposalState.NOT_RETAINED


@pytest.mark.parametrize("name", ["give_opinion", "return_for_completion", "decide"])
def test_the_actions_are_refused_to_others(client, submitted, name, teacher_grenoble, inspector_maths_lyon):
    url = reverse(f"candidatures:{name}", args=[submitted.pk])
    data = {"opinion": AcademicOpinion.FAVOURABLE, "reason": "Compléter.", "decision": "retain"}
    client.force_login(teacher_grenoble)
    assert client.post(url, data).status_code == 403
    client.force_login(inspector_maths_lyon)
    assert client.post(url, data).status_code == 404
    client.logout()
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    saved = reload(submitted)
    assert (saved.state, saved.opinion) == (ProposalState.SUBMITTED, "")


def test_the_actions_are_post_only(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    for name in ("give_opinion", "return_for_completion", "decide"):
        assert client.get(reverse(f"candidatures:{name}", args=[submitted.pk])).status_code == 405


def test_a_script_typed_in_a_comment_is_escaped(client, submitted, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    client.post(reverse("candidatures:give_opinion", args=[submitted.pk]), {"opinion": AcademicOpinion.RESERVED, "comment": SCRIPT})
    client.post(reverse("candidatures:return_for_completion", args=[submitted.pk]), {"reason": SCRIPT})
    raw = client.get(detail_url(submitted)).content.decode()
    assert SCRIPT not in raw
    assert "&lt;script&gt;" in raw
