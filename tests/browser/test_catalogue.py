"""The public catalogue in Debian's Chromium, without an account: a teacher
searches without accents, narrows the results with a filter, opens a
scenario and downloads its attachment; no console error (the CSP allows no
inline script) and no axe-core violation on either page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from productions.models import ScenarioAttachment
from tests.productions.test_catalogue_search import build_corpus

pytestmark = pytest.mark.browser

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def corpus(transactional_db):
    corpus = build_corpus()
    attachment = ScenarioAttachment(
        scenario=corpus["eval_title"], original_name="grille-evaluation.pdf", content_type="application/pdf", size=len(PDF_BYTES),
    )
    attachment.file.save("catalogue-browser-test.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    yield corpus
    attachment.file.storage.delete(attachment.file.name)


def axe_violations(page):
    return [
        (violation["id"], [" ".join(map(str, node["target"])) for node in violation["nodes"]])
        for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]
    ]


def test_an_anonymous_teacher_searches_filters_opens_and_downloads(live_server, page, corpus, tmp_path):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Parcourir tout le catalogue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des séquences")
    expect(page.locator("#results-title")).to_contain_text("4 séquences")

    # A search without accents finds the accented words, in the title first.
    page.get_by_label("Rechercher une séquence").fill("evaluation")
    page.locator("#catalogue-search").get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/catalogue/\?q=evaluation"))
    expect(page.locator("#results-title")).to_contain_text("2 séquences")
    cards = page.locator(".fr-card__title")
    expect(cards).to_have_text(["Évaluation par compétences en 5e", "Rituels de calcul mental"])
    assert axe_violations(page) == []

    # A filter, with its count, narrows the results; the address keeps both.
    college = page.get_by_label(re.compile(r"^Collège"))
    expect(page.locator("label", has_text=re.compile(r"^Collège"))).to_contain_text("(1")
    college.check(force=True)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"q=evaluation.*niveau=college"))
    expect(page.locator("#results-title")).to_contain_text("1 séquence")
    expect(cards).to_have_text(["Évaluation par compétences en 5e"])
    expect(page.get_by_role("link", name="Niveau de classe : Collège")).to_be_visible()

    # The address is shareable: opened afresh, it gives the same page.
    shared = page.url
    page.goto(shared)
    expect(cards).to_have_text(["Évaluation par compétences en 5e"])

    # The scenario's public page, then its attachment.
    page.get_by_role("link", name="Évaluation par compétences en 5e").click()
    expect(page).to_have_url(re.compile(r"/catalogue/evaluation-par-competences-en-5e-\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation par compétences en 5e")
    expect(page.locator("main")).to_contain_text("Différencier avec MathALÉA")
    expect(page.locator("main")).to_contain_text("CC BY-SA 4.0")
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger « grille-evaluation.pdf »")).click()
    download = download_info.value
    assert download.suggested_filename == "grille-evaluation.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes() == PDF_BYTES

    # Back to the search, from the breadcrumb.
    page.get_by_role("navigation", name=re.compile("vous êtes ici", re.IGNORECASE)).get_by_role("link", name="Catalogue des séquences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des séquences")
