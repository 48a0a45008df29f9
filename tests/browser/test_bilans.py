"""The national bilans in Debian's Chromium: the pilot starts a bilan, the page
follows it by itself (htmx, no inline script under the CSP) until it is done,
and the pilot downloads the PDF, then publishes it for everyone."""

import re

import pytest
from playwright.sync_api import expect

from bilans.enums import RunState
from bilans.models import BilanRun
from tests.bilans.conftest import (  # noqa: F401 (fixtures)
    call, corpus, lettres_entry, many, maths_entry, worker, worker_queue,
)
from tests.factories import PASSWORD, make_user
from traam.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.bilans.urls")]

PAGE = "/bilans/pilotage/2026-2027/"


@pytest.fixture
def pilot_person(transactional_db):
    return make_user("camille.pilote@example.test", Role.PILOT, first_name="Camille", last_name="Petit")


def sign_in(browser, live_server, user):
    """A fresh browser context, signed in through the login form; console errors collected."""
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/comptes/login/")
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    return page, errors


def bilan_row(page, code):
    return page.locator(f"tr#bilan-{code}")


def download_pdf(page, link, tmp_path):
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def test_the_pilot_generates_downloads_and_publishes_a_bilan(browser, live_server, pilot_person, corpus, tmp_path):
    page, errors = sign_in(browser, live_server, pilot_person)
    page.goto(live_server.url + PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilans nationaux 2026-2027")
    row = bilan_row(page, "mathematiques")
    expect(row.locator("td").first).to_have_text("4")
    row.get_by_role("button", name="Générer — Mathématiques").click()
    # No broker here: the run renders inline, as in the local demo.
    expect(page.locator(".fr-alert--success")).to_contain_text("Le bilan « Mathématiques » (version 1)")
    expect(bilan_row(page, "mathematiques")).to_contain_text("terminé")
    versions = page.locator("section", has=page.get_by_role("heading", name="Versions — Mathématiques"))
    path = download_pdf(page, versions.get_by_role("link", name=re.compile("Télécharger")), tmp_path)
    assert path.name == "bilan-traam-2026-2027-mathematiques-v1.pdf" and path.read_bytes().startswith(b"%PDF-")
    versions.get_by_role("button", name=re.compile("^Publier")).click()
    expect(page.locator(".fr-alert--success")).to_contain_text("c'est désormais la version publique")
    # Anyone now finds it in the call's published bilans.
    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(live_server.url + "/bilans/2026-2027/")
    expect(visitor.get_by_role("link", name=re.compile("Bilan national — Mathématiques"))).to_be_visible()
    response = visitor.request.get(live_server.url + "/bilans/2026-2027/mathematiques/")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert visitor.request.get(live_server.url + "/bilans/2026-2027/lettres/").status == 404
    assert not errors, errors


@pytest.mark.services
def test_the_page_follows_a_run_of_a_real_worker(browser, live_server, pilot_person, many, worker, tmp_path):
    worker.start()
    page, errors = sign_in(browser, live_server, pilot_person)
    page.goto(live_server.url + PAGE)
    bilan_row(page, "mathematiques").get_by_role("button", name="Générer — Mathématiques").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("la page suit son avancement")
    row = bilan_row(page, "mathematiques")
    # The page refreshes itself every 2 seconds: the run goes from the queue to its progress, then done.
    expect(row.locator("progress")).to_be_visible(timeout=60_000)
    expect(row).to_contain_text(re.compile(r"\d+\s%"))
    expect(row).to_contain_text("terminé", timeout=90_000)
    expect(page.locator("#bilans")).not_to_have_attribute("hx-trigger", re.compile("."))  # the refresh stopped
    assert BilanRun.objects.get().state == RunState.DONE
    versions = page.locator("section", has=page.get_by_role("heading", name="Versions — Mathématiques"))
    path = download_pdf(page, versions.get_by_role("link", name=re.compile("Télécharger")), tmp_path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert not errors, errors
