"""The production stage in Debian's Chromium, through the interface only: a
member of the Grenoble mathematics group writes a scenario, marks it tested
and submits it; the piloting inspector returns it with a comment; the member
reworks and resubmits it; the inspector validates it and publishes it with
its Édubase address. The group is opened through the services, as the
publication of the selection does."""

import re

import pytest
from playwright.sync_api import expect

from productions.enums import ScenarioState
from productions.models import Scenario
from tests.browser.test_proposals_stage import sign_in
from tests.productions.conftest import *  # noqa: F403 (the fixtures of the production stage)

pytestmark = pytest.mark.browser

TITLE = "Fractions en 6e : trois parcours d'automatismes"
EDUBASE = "https://edubase.eduscol.education.fr/fiche/24680"


@pytest.fixture
def setting(transactional_db, groups, group, teacher_grenoble, inspector_maths_grenoble):
    """The selection published and the groups opened (``tests/productions/conftest.py``)."""
    return group, teacher_grenoble, inspector_maths_grenoble


def open_scenario(page, live_server, group, title):
    """From the list of groups, through the group's page."""
    page.goto(live_server.url + "/groupes/")
    page.get_by_role("link", name=group.title).first.click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_scenario_goes_from_draft_to_published(live_server, browser, setting):
    group, teacher, inspector = setting

    # The member starts the scenario from the group's page and writes it.
    page, teacher_errors = sign_in(browser, live_server, teacher)
    page.goto(live_server.url + "/groupes/")
    expect(page.locator("main")).to_contain_text("Mes groupes")
    page.get_by_role("link", name=group.title).click()
    expect(page.locator("#composition-title")).to_be_visible()
    page.get_by_label("Titre de la nouvelle séquence").fill(TITLE)
    page.get_by_role("button", name="Créer la séquence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la séquence")
    page.get_by_label("Résumé").fill("Trois parcours MathALÉA, du plus guidé au plus autonome.")
    page.get_by_label("Problématique").fill("Comment différencier sans multiplier les supports ?")
    page.get_by_label("Compétences disciplinaires travaillées").fill("Comparer et additionner des fractions.")
    page.get_by_label("Collège", exact=True).check(force=True)
    page.get_by_label("1.3 — Traiter des données").check(force=True)
    page.get_by_label("MathALÉA", exact=True).check(force=True)
    page.get_by_label("aucun", exact=True).check(force=True)
    page.get_by_label("Nombre de séances").fill("4")
    page.get_by_role("button", name="Enregistrer la séquence").click()
    expect(page.locator("main")).to_contain_text("La séquence est enregistrée.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Tried in class, then submitted.
    page.get_by_role("button", name="Marquer comme testée en classe").click()
    expect(page.locator("main")).to_contain_text("La séquence est marquée comme expérimentée en classe")
    page.get_by_role("button", name="Soumettre pour validation").click()
    expect(page.locator("main")).to_contain_text("La séquence est soumise pour validation")
    expect(page.locator("main")).to_contain_text("soumise pour validation")
    scenario = Scenario.objects.get(title=TITLE)
    assert scenario.state == ScenarioState.SUBMITTED

    # The piloting inspector finds it waiting and returns it with a comment (refused without).
    page, inspector_errors = sign_in(browser, live_server, inspector)
    page.goto(live_server.url + "/groupes/")
    expect(page.locator("main")).to_contain_text("Séquences à valider")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Renvoyer").click()
    expect(page.locator("main")).to_contain_text("Indiquez au groupe ce qu'il doit reprendre.")
    page.get_by_label("Ce que le groupe doit reprendre").fill("Ajoutez la fiche élève du deuxième parcours.")
    page.get_by_role("button", name="Renvoyer").click()
    expect(page.locator("main")).to_contain_text("La séquence est renvoyée au groupe pour reprise")
    scenario.refresh_from_db()
    assert scenario.state == ScenarioState.RETURNED

    # The member reads why, reworks it and submits it again.
    page, teacher_errors_2 = sign_in(browser, live_server, teacher)
    open_scenario(page, live_server, group, TITLE)
    expect(page.locator("main")).to_contain_text("Ajoutez la fiche élève du deuxième parcours.")
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Résumé").fill("Trois parcours MathALÉA, du plus guidé au plus autonome, avec leur fiche élève.")
    page.get_by_role("button", name="Enregistrer la séquence").click()
    expect(page.locator("main")).to_contain_text("La séquence est enregistrée.")
    page.get_by_role("button", name="Soumettre pour validation").click()
    expect(page.locator("main")).to_contain_text("La séquence est soumise pour validation")

    # The inspector validates it, then publishes it with its Édubase address.
    page, inspector_errors_2 = sign_in(browser, live_server, inspector)
    open_scenario(page, live_server, group, TITLE)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("main")).to_contain_text("La séquence est validée")
    page.get_by_label(re.compile("Adresse de la fiche sur Édubase")).fill("https://exemple.org/fiche/1")
    page.get_by_role("button", name="Publier").click()
    expect(page.locator("main")).to_contain_text("L'adresse Édubase doit être celle d'une fiche")
    page.get_by_label(re.compile("Adresse de la fiche sur Édubase")).fill(EDUBASE)
    page.get_by_role("button", name="Publier").click()
    expect(page.locator("main")).to_contain_text("La séquence est publiée")
    expect(page.locator("main p .fr-badge").first).to_have_text(re.compile("publiée", re.IGNORECASE))
    expect(page.get_by_role("link", name="La fiche sur Édubase")).to_have_attribute("href", EDUBASE)

    # The versions keep the rework, compared field by field.
    page.get_by_role("link", name=re.compile("Versions de la séquence")).click()
    page.get_by_label("Liste des champs modifiés").check(force=True)
    page.get_by_role("button", name="Comparer").click()
    expect(page.locator("main")).to_contain_text("avec leur fiche élève")

    scenario.refresh_from_db()
    assert (scenario.state, scenario.edubase_url, scenario.published_by) == (ScenarioState.PUBLISHED, EDUBASE, inspector)
    assert not (teacher_errors or teacher_errors_2 or inspector_errors or inspector_errors_2)
