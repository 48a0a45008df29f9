"""The bilans' pages (bilans/views.py): the pilot's list with its live
refresh, starting, downloading, publishing; the public list and PDFs. Each
view as the pilot, as someone else signed in, and anonymously."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from bilans import rendering, services
from bilans.enums import RunState
from bilans.models import BilanRun
from tests.bilans.conftest import FOCUS, make_group, make_scenario

pytestmark = pytest.mark.urls("tests.bilans.urls")

PAGE = "/bilans/pilotage/2026-2027/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def finished(call, entry=None, kind=None, user=None):
    run, _ = services.request_bilan(call, entry, kind=kind, acting_user=user)
    rendering.render_run(run.pk)
    run.refresh_from_db()
    return run


def pdf_bytes(response):
    return b"".join(response.streaming_content)


# --- The pilot's page ---------------------------------------------------------------------------


def test_the_pilot_sees_each_bilan_with_its_published_scenarios(client, corpus, pilot):
    client.force_login(pilot)
    response = client.get(PAGE)
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["rows"]}
    assert len(rows) == 22  # 21 entries and the focus
    assert (rows["mathematiques"]["count"], rows["lettres"]["count"], rows["ia"]["count"], rows["philosophie"]["count"]) == (4, 2, 3, 0)
    body = response.content.decode()
    assert "Générer tous les bilans" in body
    assert 'name="bilan" value="mathematiques"' in body and 'name="bilan" value="philosophie"' not in body
    assert "hx-trigger" not in body  # nothing under way: no refresh
    assert "django_htmx/htmx-2.min.js" in body and 'nonce="' in body


@pytest.mark.parametrize("who", ["stranger", "dan_grenoble", "teacher_grenoble", "inspector_maths_grenoble"])
def test_others_are_refused_the_pilots_pages(client, corpus, call, maths_entry, pilot, who, request):
    run = finished(call, maths_entry, user=pilot)
    client.force_login(request.getfixturevalue(who))
    for url in (PAGE, PAGE + "suivi/", f"/bilans/pilotage/versions/{run.pk}/pdf/"):
        assert client.get(url).status_code == 403
    for url in (PAGE + "generer/", PAGE + "generer-tout/", f"/bilans/pilotage/versions/{run.pk}/publier/"):
        assert client.post(url, {"bilan": "mathematiques"}).status_code == 403
    assert BilanRun.objects.count() == 1 and not BilanRun.objects.filter(is_published=True).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, corpus, call, maths_entry, pilot):
    run = finished(call, maths_entry, user=pilot)
    for url in (PAGE, PAGE + "suivi/", f"/bilans/pilotage/versions/{run.pk}/pdf/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
    response = client.post(PAGE + "generer/", {"bilan": "mathematiques"})
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
    assert BilanRun.objects.count() == 1


def test_the_page_does_a_bounded_number_of_queries(client, corpus, call, maths_entry, lettres_entry, pilot):
    client.force_login(pilot)
    finished(call, maths_entry, user=pilot)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for number in range(3):
        finished(call, maths_entry, user=pilot)
        group = make_group(lettres_entry, "nantes", f"Groupe {number}")
        make_scenario(group, f"Séquence {number}", levels=["college"], crcn=["2.1"])
    finished(call, kind=FOCUS, user=pilot)
    with CaptureQueriesContext(connection) as more:
        client.get(PAGE)
    assert len(more) == len(few)


def test_starting_a_bilan(client, corpus, pilot, django_capture_on_commit_callbacks):
    client.force_login(pilot)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE + "generer/", {"bilan": "mathematiques"}, follow=True)
    assert messages_of(response) == ["Le bilan « Mathématiques » (version 1) est demandé ; la page suit son avancement."]
    assert response.redirect_chain[-1][0] == PAGE + "#bilans"
    run = BilanRun.objects.get()
    # Once committed, the run is handed over; no broker in the tests: it rendered inline, as in the local demo.
    assert (run.entry.code, run.state, run.requested_by) == ("mathematiques", RunState.DONE, pilot)
    body = client.get(PAGE).content.decode()
    assert f"/bilans/pilotage/versions/{run.pk}/pdf/" in body and "Publier" in body


def test_a_bilan_under_way_is_joined_and_the_page_refreshes_itself(client, corpus, call, maths_entry, pilot):
    client.force_login(pilot)
    response = client.post(PAGE + "generer/", {"bilan": "mathematiques"}, follow=True)  # commit hooks not run: stays queued
    assert messages_of(response) == ["Le bilan « Mathématiques » (version 1) est demandé ; la page suit son avancement."]
    body = response.content.decode()
    assert f'hx-get="{PAGE}suivi/" hx-trigger="every 2s" hx-swap="outerHTML"' in body
    response = client.post(PAGE + "generer/", {"bilan": "mathematiques"}, follow=True)
    assert messages_of(response) == ["Le bilan « Mathématiques » est déjà en cours (version 1) : votre demande le rejoint."]
    assert BilanRun.objects.count() == 1
    run = services.claim_run(BilanRun.objects.get().pk)
    services.report_progress(run, 40, "Mise en page du document (4 séquences)")
    fragment = client.get(PAGE + "suivi/", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.lstrip().startswith("<div id=\"bilans\"") and "<html" not in text
    assert 'value="40"' in text and "40&nbsp;%" in text and "Mise en page du document (4 séquences)" in text
    assert 'hx-trigger="every 2s"' in text
    assert rendering.render_run(run.pk) == "skipped"  # a second message for the run finds it held
    services.complete_run(run, name="bilans/2026-2027/essai.pdf", pages=7, size=12_345, scenario_count=4)
    text = client.get(PAGE + "suivi/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in text  # nothing under way: the refresh stops
    assert "Terminé".casefold() in text.casefold()
    # Opened directly (a bookmark, a new tab), the fragment's address gives the whole page.
    response = client.get(PAGE + "suivi/")
    assert response.status_code == 302 and response["Location"] == PAGE


def test_a_failed_run_shows_its_reason(client, corpus, call, maths_entry, pilot):
    run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    claimed = services.claim_run(run.pk)
    services.fail_run(claimed, "Le rendu du PDF a échoué : <b>raison</b>")
    client.force_login(pilot)
    body = client.get(PAGE).content.decode()
    assert "Le rendu du PDF a échoué : &lt;b&gt;raison&lt;/b&gt;" in body


def test_an_unknown_or_empty_bilan_is_refused(client, corpus, pilot):
    client.force_login(pilot)
    response = client.post(PAGE + "generer/", {"bilan": "inconnue"}, follow=True)
    assert messages_of(response) == ["Ce bilan n'existe pas pour cet appel."]
    response = client.post(PAGE + "generer/", {"bilan": "philosophie"}, follow=True)
    assert messages_of(response) == ["Aucune séquence publiée en Philosophie pour l'appel 2026-2027 : le bilan serait vide."]
    assert client.get(PAGE + "generer/").status_code == 405
    assert not BilanRun.objects.exists()


def test_starting_all_bilans(client, corpus, call, maths_entry, pilot):
    services.request_bilan(call, maths_entry, acting_user=pilot)
    client.force_login(pilot)
    response = client.post(PAGE + "generer-tout/", follow=True)
    assert messages_of(response) == ["2 bilans demandés, 1 déjà en cours. La page suit leur avancement."]
    assert sorted(run.code for run in BilanRun.objects.select_related("entry")) == ["ia", "lettres", "mathematiques"]


def test_the_pilot_downloads_any_finished_version(client, corpus, call, maths_entry, pilot):
    first = finished(call, maths_entry, user=pilot)
    queued, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    client.force_login(pilot)
    response = client.get(f"/bilans/pilotage/versions/{first.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bilan-traam-2026-2027-mathematiques-v1.pdf"'
    assert pdf_bytes(response).startswith(b"%PDF-")
    assert client.get(f"/bilans/pilotage/versions/{queued.pk}/pdf/").status_code == 404


def test_publishing_and_withdrawing(client, corpus, call, maths_entry, pilot):
    run = finished(call, maths_entry, user=pilot)
    client.force_login(pilot)
    response = client.post(f"/bilans/pilotage/versions/{run.pk}/publier/", follow=True)
    assert messages_of(response) == ["La version 1 du bilan « Mathématiques » est publiée : c'est désormais la version publique."]
    assert services.published_run(call, "mathematiques") == run
    response = client.post(f"/bilans/pilotage/versions/{run.pk}/retirer/", follow=True)
    assert messages_of(response) == ["Le bilan « Mathématiques » n'est plus public."]
    queued, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    response = client.post(f"/bilans/pilotage/versions/{queued.pk}/publier/", follow=True)
    assert messages_of(response) == ["Seule une version terminée peut être publiée ; celle-ci est « en file d'attente »."]
    assert not BilanRun.objects.filter(is_published=True).exists()


# --- Public pages ---------------------------------------------------------------------------


@pytest.fixture
def published(corpus, call, maths_entry, pilot):
    run = finished(call, maths_entry, user=pilot)
    return services.publish_bilan(run, acting_user=pilot)


def test_anyone_downloads_a_published_bilan(client, published):
    response = client.get("/bilans/2026-2027/mathematiques/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bilan-traam-2026-2027-mathematiques-v1.pdf"'
    assert pdf_bytes(response).startswith(b"%PDF-")


def test_a_bilan_without_a_public_version_is_not_found(client, published, call, lettres_entry, pilot, stranger):
    finished(call, lettres_entry, user=pilot)  # finished, never published
    finished(call, kind=FOCUS, user=pilot)
    for person in (None, stranger):
        if person:
            client.force_login(person)
        for url in ("/bilans/2026-2027/lettres/", "/bilans/2026-2027/ia/", "/bilans/2026-2027/inconnue/", "/bilans/1999-2000/mathematiques/"):
            assert client.get(url).status_code == 404


def test_the_public_version_is_the_published_one(client, published, call, maths_entry, pilot):
    newer = finished(call, maths_entry, user=pilot)
    response = client.get("/bilans/2026-2027/mathematiques/")
    assert 'filename="bilan-traam-2026-2027-mathematiques-v1.pdf"' in response["Content-Disposition"]
    services.publish_bilan(newer, acting_user=pilot)
    response = client.get("/bilans/2026-2027/mathematiques/")
    assert 'filename="bilan-traam-2026-2027-mathematiques-v2.pdf"' in response["Content-Disposition"]


def test_the_public_list_shows_published_bilans_only(client, published, call, pilot):
    focus = finished(call, kind=FOCUS, user=pilot)
    response = client.get("/bilans/2026-2027/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/bilans/2026-2027/mathematiques/"' in body and "Bilan national — Mathématiques" in body
    assert "/bilans/2026-2027/ia/" not in body
    services.publish_bilan(focus, acting_user=pilot)
    assert 'href="/bilans/2026-2027/ia/"' in client.get("/bilans/2026-2027/").content.decode()


def test_bilans_home_leads_each_to_their_page(client, published, pilot, stranger):
    assert client.get("/bilans/")["Location"] == "/bilans/2026-2027/"
    client.force_login(stranger)
    assert client.get("/bilans/")["Location"] == "/bilans/2026-2027/"
    client.force_login(pilot)
    assert client.get("/bilans/")["Location"] == PAGE


def test_the_call_page_snippet_lists_the_published_bilans(published, call):
    html = Template("{% load bilans_tags %}{% published_bilans call %}").render(Context({"call": call}))
    assert 'href="/bilans/2026-2027/mathematiques/"' in html and "Bilans nationaux 2026-2027" in html
    BilanRun.objects.update(is_published=False)
    assert Template("{% load bilans_tags %}{% published_bilans call %}").render(Context({"call": call})).strip() == ""
