"""The two first journeys, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from traam.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


def test_anonymous_visitor_browses_the_call_and_its_themes(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Travaux Académiques Mutualisés")
    page.get_by_role("link", name="Lire l'appel et ses thématiques").click()
    expect(page).to_have_url(re.compile(r"/appels/2026-2027/$"))
    cards = page.locator(".fr-card")
    expect(cards).to_have_count(22)
    page.get_by_label("Discipline ou enseignement").select_option(label="Numérique et sciences informatiques (NSI) / Informatique")
    page.get_by_role("button", name="Filtrer").click()
    expect(cards).to_have_count(2)
    page.get_by_role("link", name=re.compile("thématique 2")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Égalité filles-garçons")
    expect(page.locator("main")).to_contain_text("Deuxième thématique : L'égalité filles-garçons en informatique")
    expect(page.locator("main")).to_contain_text("Concernant les deux thématiques")


def test_demo_account_signs_in_through_the_form_and_sees_its_dashboard(live_server, page):
    seed_demo()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").click()
    page.locator('input[name="login"]').fill("dan.grenoble@demo.traam.example")
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sophie")
    expect(page.locator("main")).to_contain_text("Délégation académique au numérique (DAN)")
    expect(page.locator("main")).to_contain_text("Prochaine échéance")
    # The DAN's own page is one click away.
    page.get_by_role("link", name="Équipes de l'académie").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipes de l'académie")
