"""The team's side of the Proposals stage, through HTTP: start, edit (save,
stale version, submit), detail, withdraw and « Mes candidatures »."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidatures import services
from candidatures.enums import AIUsage, ProposalState
from candidatures.models import Proposal
from tests.candidatures.conftest import CONTENT, IN_WINDOW, full_team, open_window
from tests.factories import make_user
from tests.utils import text_of
from traam.enums import Role
from traam.models import Call, ClassLevel

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def open_call(call):
    return open_window(call)


def form_data(proposal, members, *, version=None, **content):
    """The POST of the edit page, as the browser would send it."""
    levels = [str(pk) for pk in ClassLevel.objects.filter(code__in=["college", "lycee-gt"]).values_list("pk", flat=True)]
    data = {"version": str(proposal.version if version is None else version), **CONTENT, "class_levels": levels, **content}
    data.update({
        "team-TOTAL_FORMS": str(len(members)), "team-INITIAL_FORMS": "0", "team-MIN_NUM_FORMS": "0", "team-MAX_NUM_FORMS": "1000",
    })
    for index, member in enumerate(members):
        data.update({f"team-{index}-{key}": value for key, value in member.items()})
    return data


def reload(proposal):
    return Proposal.objects.get(pk=proposal.pk)


def edit_url(proposal):
    return reverse("candidatures:edit", args=[proposal.pk])


def detail_url(proposal):
    return reverse("candidatures:detail", args=[proposal.pk])


@pytest.fixture
def team(teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble):
    return full_team(teacher_grenoble, colleague_grenoble, cardie_grenoble, inspector_maths_grenoble)


# --- Start -----------------------------------------------------------------------


def test_a_teacher_starts_a_proposal_from_the_theme_page(client, open_call, maths_theme, teacher_grenoble):
    client.force_login(teacher_grenoble)
    page = client.get(maths_theme.get_absolute_url())
    start_url = reverse("candidatures:start", args=[maths_theme.pk])
    assert f'action="{start_url}"' in text_of(page)
    assert "Déposer une candidature" in text_of(page)

    response = client.post(start_url)
    proposal = Proposal.objects.get(lead=teacher_grenoble)
    assert response.status_code == 302 and response.url == edit_url(proposal)
    assert (proposal.theme, proposal.academy.code, proposal.state) == (maths_theme, "grenoble", ProposalState.DRAFT)


def test_start_is_refused_when_the_window_is_closed(client, call, maths_theme, teacher_grenoble):
    client.force_login(teacher_grenoble)
    assert "Déposer une candidature" not in text_of(client.get(maths_theme.get_absolute_url()))

    response = client.post(reverse("candidatures:start", args=[maths_theme.pk]), follow=True)
    assert response.redirect_chain[-1][0] == maths_theme.get_absolute_url()
    assert "La date limite de dépôt des candidatures est passée" in text_of(response)
    assert not Proposal.objects.exists()


def test_start_needs_a_teacher(client, open_call, maths_theme, stranger, inspector_maths_grenoble):
    url = reverse("candidatures:start", args=[maths_theme.pk])
    for person in (stranger, inspector_maths_grenoble):
        client.force_login(person)
        assert "Déposer une candidature" not in text_of(client.get(maths_theme.get_absolute_url()))
        assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).url.startswith(LOGIN)
    assert not Proposal.objects.exists()


def test_start_is_post_only(client, open_call, maths_theme, teacher_grenoble):
    client.force_login(teacher_grenoble)
    assert client.get(reverse("candidatures:start", args=[maths_theme.pk])).status_code == 405
    assert not Proposal.objects.exists()


# --- Who sees what -------------------------------------------------------------------


def test_the_lead_sees_the_detail_edit_and_list(client, draft, teacher_grenoble):
    client.force_login(teacher_grenoble)
    for url in (detail_url(draft), edit_url(draft), reverse("candidatures:list")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert text_of(response).count("<h1") == 1


def test_others_do_not_even_learn_the_proposal_exists(client, draft, teacher_lyon, stranger, inspector_maths_lyon):
    for person in (teacher_lyon, stranger, inspector_maths_lyon):
        client.force_login(person)
        assert client.get(detail_url(draft)).status_code == 404
        assert client.get(edit_url(draft)).status_code == 404
        assert client.post(reverse("candidatures:withdraw", args=[draft.pk])).status_code == 404
        assert draft.title not in text_of(client.get(reverse("candidatures:list"))) or not draft.title
    assert reload(draft).state == ProposalState.DRAFT


def test_the_academy_inspector_reads_but_does_not_edit(client, draft, teacher_grenoble, inspector_maths_grenoble):
    services.save_draft(draft, {"title": CONTENT["title"]}, acting_user=teacher_grenoble, expected_version=draft.version)
    client.force_login(inspector_maths_grenoble)
    detail = client.get(detail_url(draft))
    assert detail.status_code == 200
    assert CONTENT["title"] in text_of(detail)
    assert edit_url(draft) not in text_of(detail)
    assert client.get(edit_url(draft)).status_code == 403
    assert client.post(edit_url(draft), {"version": reload(draft).version}).status_code == 403
    assert client.post(reverse("candidatures:withdraw", args=[draft.pk])).status_code == 403
    # Not in the team: « Mes candidatures » does not list it.
    assert CONTENT["title"] not in text_of(client.get(reverse("candidatures:list")))


def test_team_members_find_the_proposal_in_their_list(client, complete, colleague_grenoble):
    client.force_login(colleague_grenoble)
    assert CONTENT["title"] in text_of(client.get(reverse("candidatures:list")))


def test_anonymous_people_are_sent_to_the_login_page(client, draft):
    for url in (detail_url(draft), edit_url(draft), reverse("candidatures:list")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN), url


def test_a_submitted_proposal_is_no_longer_editable(client, submitted, teacher_grenoble):
    client.force_login(teacher_grenoble)
    assert client.get(edit_url(submitted)).status_code == 403
    detail = text_of(client.get(detail_url(submitted)))
    assert "déposée" in detail and edit_url(submitted) not in detail


# --- Saving -------------------------------------------------------------------------------


def test_saving_the_draft_stores_content_and_team(client, draft, teacher_grenoble, team):
    client.force_login(teacher_grenoble)
    version = draft.version
    response = client.post(edit_url(draft), form_data(draft, team, ai_usage=AIUsage.NONE, save=""))
    assert response.status_code == 302 and response.url == edit_url(draft)
    saved = reload(draft)
    assert saved.title == CONTENT["title"]
    assert saved.class_levels.count() == 2
    assert saved.team.count() == 5
    assert saved.version == version + 2  # save_draft, then replace_team
    assert "Le brouillon est enregistré." in text_of(client.get(response.url))


def test_the_edit_page_shows_the_sections_and_labelled_fields(client, complete, teacher_grenoble):
    client.force_login(teacher_grenoble)
    page = text_of(client.get(edit_url(complete)))
    for section in ("Le projet", "Outils, communs et IA", "L'équipe"):
        assert f"<h2>{section}</h2>" in page
    assert 'name="version" value="%s"' % complete.version in page
    assert '<label class="fr-label" for="id_title">' in page
    assert 'value="Différencier avec MathALÉA"' in page
    assert 'for="id_team-0-email"' in page
    assert "Enregistrer le brouillon" in page and "Déposer la candidature" in page


def test_a_stale_version_is_refused_and_what_was_typed_is_kept(client, draft, teacher_grenoble, team):
    client.force_login(teacher_grenoble)
    stale = draft.version
    # Someone else saved meanwhile (another tab, a colleague).
    services.save_draft(draft, {"title": "Version d'un collègue"}, acting_user=teacher_grenoble, expected_version=stale)
    current = reload(draft).version

    response = client.post(edit_url(draft), form_data(draft, team, version=stale, title="Mon titre tapé", save=""))
    assert response.status_code == 200
    page = text_of(response)
    assert "a été modifiée ailleurs" in page
    assert 'value="Mon titre tapé"' in page
    assert CONTENT["summary"] in page  # textareas keep their input too
    saved = reload(draft)
    assert (saved.title, saved.version, saved.team.count()) == ("Version d'un collègue", current, 1)


def test_an_altered_version_reads_as_stale(client, draft, teacher_grenoble, team):
    client.force_login(teacher_grenoble)
    response = client.post(edit_url(draft), form_data(draft, team, version="abc", save=""))
    assert response.status_code == 200
    assert "a été modifiée ailleurs" in text_of(response)
    assert reload(draft).version == draft.version


def test_a_refused_team_saves_nothing(client, draft, teacher_grenoble, team):
    client.force_login(teacher_grenoble)
    version = draft.version
    without_lead = team[1:]
    response = client.post(edit_url(draft), form_data(draft, without_lead, title="Nouveau titre", save=""))
    assert response.status_code == 200
    assert "doit rester dans l'équipe" in text_of(response)
    saved = reload(draft)
    assert (saved.title, saved.version) == ("", version)


def test_field_errors_are_in_french(client, draft, teacher_grenoble, team):
    client.force_login(teacher_grenoble)
    members = [dict(team[0]), {**team[1], "email": "pas-une-adresse"}]
    response = client.post(edit_url(draft), form_data(draft, members, save=""))
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide." in text_of(response)
    assert reload(draft).version == draft.version


# --- Submitting ---------------------------------------------------------------------------


def test_submitting_an_incomplete_proposal_lists_what_is_missing(client, call, draft, teacher_grenoble, team):
    open_window(call)
    client.force_login(teacher_grenoble)
    response = client.post(edit_url(draft), form_data(draft, team[:2], summary="", submit=""))
    assert response.status_code == 200
    page = text_of(response)
    assert "ne peut pas encore être déposée" in page
    assert "Rédigez le résumé du projet." in page
    assert "exactement un·e représentant·e CARDIE" in page
    saved = reload(draft)
    assert saved.state == ProposalState.DRAFT
    assert saved.team.count() == 2  # the draft itself was saved
    assert f'name="version" value="{saved.version}"' in page


def test_a_complete_submission_moves_to_submitted_and_sends_the_receipt(
    client, call, draft, teacher_grenoble, team, django_capture_on_commit_callbacks,
):
    open_window(call)
    client.force_login(teacher_grenoble)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(draft), form_data(draft, team, submit=""))
    assert response.status_code == 302 and response.url == detail_url(draft)
    assert reload(draft).state == ProposalState.SUBMITTED
    receipt = next(message for message in mail.outbox if teacher_grenoble.email in message.to)
    assert receipt.subject == f"Candidature TraAM déposée : {CONTENT['title']}"


def test_only_the_lead_may_submit(client, call, complete, colleague_grenoble, team):
    open_window(call)
    client.force_login(colleague_grenoble)
    assert client.get(edit_url(complete)).status_code == 200
    assert "Déposer la candidature" not in text_of(client.get(edit_url(complete)))
    assert client.post(edit_url(complete), form_data(complete, team, submit="")).status_code == 403
    assert reload(complete).state == ProposalState.DRAFT


# --- Detail and withdrawal -----------------------------------------------------------------


def test_the_detail_page_shows_everything_and_what_is_missing(client, draft, teacher_grenoble):
    client.force_login(teacher_grenoble)
    page = text_of(client.get(detail_url(draft)))
    assert "brouillon" in page
    assert "Avant de déposer la candidature" in page and "Indiquez le titre du projet." in page
    assert teacher_grenoble.email in page  # the team table
    assert "Historique" in page
    assert edit_url(draft) in page
    assert reverse("candidatures:withdraw", args=[draft.pk]) in page


def test_the_lead_withdraws_with_a_reason(client, submitted, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.post(reverse("candidatures:withdraw", args=[submitted.pk]), {"reason": "Équipe dispersée"}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(submitted)
    assert reload(submitted).state == ProposalState.WITHDRAWN
    page = text_of(response)
    assert "La candidature est retirée." in page and "Équipe dispersée" in page
    assert reverse("candidatures:withdraw", args=[submitted.pk]) not in page


def test_a_team_member_may_not_withdraw(client, complete, colleague_grenoble):
    client.force_login(colleague_grenoble)
    assert reverse("candidatures:withdraw", args=[complete.pk]) not in text_of(client.get(detail_url(complete)))
    assert client.post(reverse("candidatures:withdraw", args=[complete.pk])).status_code == 403
    assert reload(complete).state == ProposalState.DRAFT


# --- Escaping --------------------------------------------------------------------------------


def test_html_typed_in_the_title_is_escaped(client, draft, teacher_grenoble):
    services.save_draft(draft, {"title": SCRIPT}, acting_user=teacher_grenoble, expected_version=draft.version)
    client.force_login(teacher_grenoble)
    for url in (detail_url(draft), reverse("candidatures:list"), edit_url(draft)):
        raw = client.get(url).content.decode()
        assert SCRIPT not in raw, url
        assert "&lt;script&gt;" in raw, url


# --- Mes candidatures --------------------------------------------------------------------------


def test_the_list_shows_own_and_team_proposals_only(client, draft, maths_theme, teacher_grenoble, colleague_grenoble, grenoble):
    other_teacher = make_user("autre.prof@example.test", Role.TEACHER, academy=grenoble)
    other = services.start_proposal(maths_theme, acting_user=other_teacher, now=IN_WINDOW)
    services.save_draft(other, {"title": "Projet d'une autre équipe"}, acting_user=other_teacher, expected_version=other.version)
    services.save_draft(draft, {"title": "Notre projet"}, acting_user=teacher_grenoble, expected_version=draft.version)
    client.force_login(teacher_grenoble)
    page = text_of(client.get(reverse("candidatures:list")))
    assert "Notre projet" in page and "Projet d'une autre équipe" not in page
    assert "Grenoble" in page and "brouillon" in page


def test_the_list_is_paginated_with_bounded_queries(client, maths_theme, teacher_grenoble, django_assert_max_num_queries):
    for _number in range(23):
        services.start_proposal(maths_theme, acting_user=teacher_grenoble, now=IN_WINDOW)
    client.force_login(teacher_grenoble)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("candidatures:list"))
    assert text_of(first).count("Candidature sans titre") == 20
    second = client.get(reverse("candidatures:list"), {"page": 2})
    assert text_of(second).count("Candidature sans titre") == 3
