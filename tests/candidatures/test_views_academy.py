"""The academy's follow-up through HTTP: the DAN/DRAN dashboard, composing,
previewing and sending the synthesis, its PDF, the export of the academy's
proposals, and the national pilot's view of the syntheses and extensions."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidatures import services
from candidatures.enums import AcademicOpinion, ProposalState
from candidatures.models import AcademicSynthesis, DeadlineExtension, Proposal
from tests.candidatures.conftest import open_window
from tests.utils import text_of
from traam.models import Academy, Call

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"


def dashboard_url(call, academy):
    return reverse("candidatures:academy", args=[call.year, academy.code])


def edit_url(call, academy):
    return reverse("candidatures:synthesis_edit", args=[call.year, academy.code])


def synthesis_url(call, academy):
    return reverse("candidatures:synthesis", args=[call.year, academy.code])


def make(theme, academy, lead, title, state=ProposalState.SUBMITTED, **fields):
    submitted_at = None if state == ProposalState.DRAFT else timezone.now()
    return Proposal.objects.create(theme=theme, academy=academy, lead=lead, title=title, state=state, submitted_at=submitted_at, **fields)


def compose_data(rows, cover_note="Note de l'académie"):
    """The composition form's POST: rows of (proposal, include, priority, comment)."""
    data = {
        "items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": str(len(rows)),
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000", "cover_note": cover_note,
    }
    for index, (proposal, include, priority, comment) in enumerate(rows):
        data[f"items-{index}-proposal"] = str(proposal.pk)
        if include:
            data[f"items-{index}-include"] = "on"
        data[f"items-{index}-priority"] = "" if priority is None else str(priority)
        data[f"items-{index}-comment"] = comment
    return data


@pytest.fixture
def open_call(retained, call):
    """A retained Grenoble proposal, and the call's window moved around today."""
    return open_window(call)


@pytest.fixture
def second_retained(maths_theme, grenoble, teacher_grenoble):
    return make(maths_theme, grenoble, teacher_grenoble, "Deuxième projet retenu", state=ProposalState.RETAINED, opinion=AcademicOpinion.FAVOURABLE)


# --- Dashboard --------------------------------------------------------------------------


def test_the_dan_dashboard_counts_by_discipline_and_state(client, call, maths_theme, nsi_theme, grenoble, lyon, teacher_grenoble, teacher_lyon, dan_grenoble):
    make(maths_theme, grenoble, teacher_grenoble, "Maths déposée 1")
    make(maths_theme, grenoble, teacher_grenoble, "Maths déposée 2", opinion=AcademicOpinion.RESERVED, opinion_comment="À préciser")
    make(maths_theme, grenoble, teacher_grenoble, "Maths retenue", state=ProposalState.RETAINED, opinion=AcademicOpinion.FAVOURABLE)
    make(nsi_theme, grenoble, teacher_grenoble, "NSI brouillon", state=ProposalState.DRAFT)
    make(maths_theme, lyon, teacher_lyon, "Projet lyonnais")
    client.force_login(dan_grenoble)
    response = client.get(dashboard_url(call, grenoble))
    assert response.status_code == 200
    text = text_of(response)
    rows = {row["entry"].code: row["cells"] for row in response.context["rows"]}
    # Columns: draft, submitted, returned, retained, not retained, withdrawn, sent, selected, not selected.
    assert rows == {"mathematiques": [0, 2, 0, 1, 0, 0, 0, 0, 0], "nsi": [1, 0, 0, 0, 0, 0, 0, 0, 0]}
    assert response.context["total"] == 4
    assert [p.title for p in response.context["waiting"]] == ["Maths déposée 1"]
    assert response.context["undecided"] == 1
    assert "Projet lyonnais" not in text
    assert "Maths déposée 1" in text
    assert "Composer la synthèse" in text


def test_the_dashboard_query_count_does_not_grow_with_proposals(client, call, maths_theme, grenoble, teacher_grenoble, dan_grenoble, django_assert_max_num_queries):
    for index in range(30):
        make(maths_theme, grenoble, teacher_grenoble, f"Projet {index}")
    client.force_login(dan_grenoble)
    with django_assert_max_num_queries(20):
        assert client.get(dashboard_url(call, grenoble)).status_code == 200


def test_who_may_open_the_dashboard(client, call, grenoble, dan_grenoble, dan_lyon, dran_ara, pilot, inspector_maths_grenoble, teacher_grenoble, stranger):
    url = dashboard_url(call, grenoble)
    assert client.get(url).url.startswith(LOGIN)
    for allowed in (dan_grenoble, dran_ara, pilot):
        client.force_login(allowed)
        assert client.get(url).status_code == 200, allowed
    for refused in (dan_lyon, inspector_maths_grenoble, teacher_grenoble, stranger):
        client.force_login(refused)
        assert client.get(url).status_code == 403, refused
    client.force_login(dan_grenoble)
    assert client.get(reverse("candidatures:academy", args=[call.year, "atlantide"])).status_code == 404
    assert client.get(reverse("candidatures:academy", args=["1999-2000", grenoble.code])).status_code == 404


def test_the_pilot_follows_but_does_not_compose(client, call, grenoble, pilot):
    client.force_login(pilot)
    response = client.get(dashboard_url(call, grenoble))
    assert "Composer la synthèse" not in text_of(response)
    assert client.get(edit_url(call, grenoble)).status_code == 403


def test_the_dran_switches_between_the_academies_of_its_region(client, call, dran_ara):
    client.force_login(dran_ara)
    response = client.get(reverse("candidatures:academy_home"))
    first = Academy.objects.filter(region__code="auvergne-rhone-alpes").order_by("name").first()
    assert response.url == dashboard_url(call.__class__.objects.current(), first)
    page = client.get(dashboard_url(call, first))
    assert {a.code for a in page.context["academies"]} == {"clermont-ferrand", "grenoble", "lyon"}


def test_nav_item_for_the_delegation_and_the_pilot(client, dan_grenoble, pilot, teacher_grenoble):
    client.force_login(dan_grenoble)
    home = text_of(client.get(reverse("home")))
    assert "Suivi de l'académie" in home and "Synthèses académiques" not in home
    client.force_login(pilot)
    assert "Synthèses académiques" in text_of(client.get(reverse("home")))
    client.force_login(teacher_grenoble)
    home = text_of(client.get(reverse("home")))
    assert "Suivi de l'académie" not in home and "Synthèses académiques" not in home


# --- Composing, previewing and sending the synthesis -------------------------------------


def test_the_dan_composes_previews_and_sends_the_synthesis(client, django_capture_on_commit_callbacks, open_call, retained, second_retained, grenoble, dan_grenoble, pilot):
    client.force_login(dan_grenoble)
    page = client.get(edit_url(open_call, grenoble))
    assert page.status_code == 200
    assert {p.pk for p, _form in page.context["rows"]} == {retained.pk, second_retained.pk}

    response = client.post(edit_url(open_call, grenoble), compose_data([
        (retained, True, 2, "Équipe solide"), (second_retained, True, 1, f"Très pertinent {SCRIPT}"),
    ], cover_note=f"Deux projets. {SCRIPT}"))
    assert response.status_code == 302 and response.url == synthesis_url(open_call, grenoble)
    synthesis = AcademicSynthesis.objects.get(call=open_call, academy=grenoble)
    assert [(i.proposal_id, i.priority) for i in synthesis.items.all()] == [(second_retained.pk, 1), (retained.pk, 2)]

    preview = client.get(synthesis_url(open_call, grenoble))
    html = preview.content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "Aperçu avant envoi" in text_of(preview)
    assert html.index("Deuxième projet retenu") < html.index(retained.title)

    # Without the confirmation nothing is sent.
    refused = client.post(reverse("candidatures:synthesis_send", args=[open_call.year, grenoble.code]), follow=True)
    assert "Cochez la case de confirmation" in text_of(refused)
    assert AcademicSynthesis.objects.get(pk=synthesis.pk).sent_at is None

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("candidatures:synthesis_send", args=[open_call.year, grenoble.code]), {"confirm": "on"}, follow=True)
    assert "La synthèse est envoyée à la DNE" in text_of(sent)
    assert "Envoyée à la DNE" in text_of(sent)
    assert set(Proposal.objects.filter(pk__in=[retained.pk, second_retained.pk]).values_list("state", flat=True)) == {ProposalState.SENT}
    assert any(pilot.email in m.to for m in mail.outbox)

    # Locked: no more composition, a second send is refused.
    assert client.get(edit_url(open_call, grenoble)).url == synthesis_url(open_call, grenoble)
    again = client.post(reverse("candidatures:synthesis_send", args=[open_call.year, grenoble.code]), {"confirm": "on"}, follow=True)
    assert "ne peut plus être modifiée ni renvoyée" in text_of(again)


def test_an_included_proposal_needs_a_priority(client, open_call, retained, grenoble, dan_grenoble):
    client.force_login(dan_grenoble)
    response = client.post(edit_url(open_call, grenoble), compose_data([(retained, True, None, "")]))
    assert response.status_code == 200
    assert "Indiquez la priorité de cette candidature" in text_of(response)
    assert not AcademicSynthesis.objects.exists()


def test_priorities_must_run_from_one(client, open_call, retained, second_retained, grenoble, dan_grenoble):
    client.force_login(dan_grenoble)
    response = client.post(edit_url(open_call, grenoble), compose_data([(retained, True, 1, ""), (second_retained, True, 3, "")]))
    assert response.status_code == 200
    assert "Les priorités doivent aller de 1 à 2" in text_of(response)
    # What was typed is still there.
    assert 'value="3"' in response.content.decode()


def test_composing_after_the_deadline_is_refused_with_the_date(client, retained, call, grenoble, dan_grenoble):
    client.force_login(dan_grenoble)  # 2026-2027's deadline (31 March 2026) has passed
    response = client.post(edit_url(call, grenoble), compose_data([(retained, True, 1, "")]))
    assert response.status_code == 200
    assert "date limite" in text_of(response).lower()
    assert not AcademicSynthesis.objects.exists()
    assert "La date limite est dépassée" in text_of(client.get(dashboard_url(call, grenoble)))


def test_a_proposal_of_another_academy_cannot_be_slipped_in(client, open_call, retained, maths_theme, lyon, teacher_lyon, grenoble, dan_grenoble):
    foreign = make(maths_theme, lyon, teacher_lyon, "Projet lyonnais retenu", state=ProposalState.RETAINED, opinion=AcademicOpinion.FAVOURABLE)
    client.force_login(dan_grenoble)
    data = compose_data([(retained, True, 1, ""), (foreign, True, 2, "")])
    data["items-TOTAL_FORMS"] = data["items-INITIAL_FORMS"] = "2"
    client.post(edit_url(open_call, grenoble), data)
    synthesis = AcademicSynthesis.objects.get(academy=grenoble)
    assert list(synthesis.items.values_list("proposal_id", flat=True)) == [retained.pk]


def test_who_may_see_and_send_the_synthesis(client, open_call, retained, grenoble, dan_grenoble, dan_lyon, pilot, inspector_maths_grenoble, teacher_grenoble):
    synthesis = services.compose_synthesis(open_call, grenoble, acting_user=dan_grenoble, cover_note="", items=[(retained, 1, "")])
    url, send = synthesis_url(open_call, grenoble), reverse("candidatures:synthesis_send", args=[open_call.year, grenoble.code])
    assert client.get(url).url.startswith(LOGIN)
    client.force_login(pilot)
    page = client.get(url)
    assert page.status_code == 200 and "Envoyer à la DNE" not in text_of(page)
    assert client.post(send, {"confirm": "on"}).status_code == 403
    for refused in (dan_lyon, inspector_maths_grenoble, teacher_grenoble):
        client.force_login(refused)
        assert client.get(url).status_code == 403
        assert client.post(send, {"confirm": "on"}).status_code == 403
    client.force_login(dan_grenoble)
    assert client.get(send).status_code == 405
    assert AcademicSynthesis.objects.get(pk=synthesis.pk).sent_at is None


# --- PDF and export ----------------------------------------------------------------------


def test_the_synthesis_pdf_is_a_download_for_those_who_follow_the_academy(client, open_call, retained, grenoble, dan_grenoble, dan_lyon, pilot):
    services.compose_synthesis(open_call, grenoble, acting_user=dan_grenoble, cover_note="Note", items=[(retained, 1, "")])
    url = reverse("candidatures:synthesis_pdf", args=[open_call.year, grenoble.code])
    for allowed in (dan_grenoble, pilot):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF")
    client.force_login(dan_lyon)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).url.startswith(LOGIN)


def test_no_pdf_before_a_synthesis_exists(client, call, grenoble, dan_grenoble):
    client.force_login(dan_grenoble)
    assert client.get(reverse("candidatures:synthesis_pdf", args=[call.year, grenoble.code])).status_code == 404


def test_the_export_holds_the_academy_s_proposals_only(client, call, maths_theme, grenoble, lyon, teacher_grenoble, teacher_lyon, dan_grenoble, dan_lyon):
    make(maths_theme, grenoble, teacher_grenoble, '=HYPERLINK("http://evil.example")')
    make(maths_theme, lyon, teacher_lyon, "Projet lyonnais")
    client.force_login(dan_grenoble)
    response = client.get(reverse("candidatures:academy_export", args=[call.year, grenoble.code, "csv"]))
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "HYPERLINK" in body and "Projet lyonnais" not in body
    assert '\n=HYPERLINK' not in body and ',=HYPERLINK' not in body and ';=HYPERLINK' not in body
    xlsx = client.get(reverse("candidatures:academy_export", args=[call.year, grenoble.code, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get(reverse("candidatures:academy_export", args=[call.year, grenoble.code, "exe"])).status_code == 404
    client.force_login(dan_lyon)
    assert client.get(reverse("candidatures:academy_export", args=[call.year, grenoble.code, "csv"])).status_code == 403


# --- The national pilot ------------------------------------------------------------------


def test_the_pilot_sees_which_academies_sent_their_synthesis(client, open_call, retained, grenoble, lyon, dan_grenoble, pilot):
    synthesis = services.compose_synthesis(open_call, grenoble, acting_user=dan_grenoble, cover_note="", items=[(retained, 1, "")])
    services.send_synthesis(synthesis, acting_user=dan_grenoble)
    client.force_login(pilot)
    assert client.get(reverse("candidatures:syntheses_home")).url == reverse("candidatures:syntheses", args=[Call.objects.current().year])
    response = client.get(reverse("candidatures:syntheses", args=[open_call.year]))
    assert response.status_code == 200
    rows = {row["academy"].code: row for row in response.context["rows"]}
    assert len(rows) == Academy.objects.count()
    assert rows["grenoble"]["synthesis"].is_sent and rows["grenoble"]["retained"] == 1
    assert rows["lyon"]["synthesis"] is None
    assert response.context["sent"] == 1
    assert "1 académie a envoyé sa synthèse" in text_of(response)
    assert synthesis_url(open_call, grenoble) in response.content.decode()


def test_only_the_pilot_sees_the_syntheses(client, call, dan_grenoble, reviewer_maths, teacher_grenoble):
    url = reverse("candidatures:syntheses", args=[call.year])
    assert client.get(url).url.startswith(LOGIN)
    for refused in (dan_grenoble, reviewer_maths, teacher_grenoble):
        client.force_login(refused)
        assert client.get(url).status_code == 403
        assert client.get(reverse("candidatures:extension", args=[call.year, "grenoble"])).status_code == 403


def test_the_pilot_grants_then_withdraws_an_extension(client, call, grenoble, pilot):
    client.force_login(pilot)
    url = reverse("candidatures:extension", args=[call.year, grenoble.code])
    too_early = client.post(url, {"deadline": call.synthesis_deadline.isoformat(), "reason": "Panne"})
    assert "doit suivre celle de l'appel" in text_of(too_early)
    missing = client.post(url, {"deadline": "", "reason": ""})
    assert "Indiquez la nouvelle date limite" in text_of(missing) and "Indiquez le motif du report" in text_of(missing)
    new_deadline = call.synthesis_deadline + datetime.timedelta(days=7)
    response = client.post(url, {"deadline": new_deadline.isoformat(), "reason": f"Panne informatique {SCRIPT}"})
    assert response.url == reverse("candidatures:syntheses", args=[call.year])
    assert DeadlineExtension.objects.get(call=call, academy=grenoble).deadline == new_deadline
    overview = client.get(response.url)
    assert SCRIPT not in overview.content.decode() and "Panne informatique" in text_of(overview)
    edit_page = client.get(url)
    assert edit_page.context["form"].initial["deadline"] == new_deadline
    assert f'value="{new_deadline.isoformat()}"' in edit_page.content.decode()  # the date field opens filled

    withdrawn = client.post(reverse("candidatures:extension_withdraw", args=[call.year, grenoble.code]), follow=True)
    assert "est retiré" in text_of(withdrawn)
    assert not DeadlineExtension.objects.exists()
    again = client.post(reverse("candidatures:extension_withdraw", args=[call.year, grenoble.code]), follow=True)
    assert "Aucun report de date limite" in text_of(again)


def test_an_extension_lets_the_academy_send_after_the_common_deadline(client, retained, call, grenoble, dan_grenoble, pilot):
    open_window(call)
    today = timezone.localdate()
    Call.objects.filter(pk=call.pk).update(synthesis_deadline=today - datetime.timedelta(days=1))
    call.refresh_from_db()
    services.grant_extension(call, grenoble, acting_user=pilot, deadline=today + datetime.timedelta(days=2), reason="Panne")
    client.force_login(dan_grenoble)
    response = client.post(edit_url(call, grenoble), compose_data([(retained, True, 1, "")]))
    assert response.status_code == 302
    sent = client.post(reverse("candidatures:synthesis_send", args=[call.year, grenoble.code]), {"confirm": "on"}, follow=True)
    assert "La synthèse est envoyée à la DNE" in text_of(sent)
