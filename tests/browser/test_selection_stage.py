"""The National selection in Debian's Chromium: the pilot assigns the
Mathématiques proposals to two reviewers, both score them, the pilot selects
five (a sixth is refused) and publishes, the DAN sees the academy's results."""

import re

import pytest
from playwright.sync_api import expect

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from selection.models import Publication, Review
from tests.browser.test_proposals_stage import sign_in
from tests.factories import make_user
from tests.selection.conftest import justify_other_entries, make_sent
from traam.enums import Role
from traam.models import Academy, Call, Discipline, Theme

pytestmark = pytest.mark.browser

TITLES = {  # title → (academy, the score both reviewers give on every criterion)
    "Automatismes en 6e avec MathALÉA": ("grenoble", "4"),
    "Géométrie dynamique au lycée": ("grenoble", "3"),
    "Plans de travail différenciés": ("lyon", "4"),
    "Remédiation avec Éléa": ("nantes", "3"),
    "Tutorat entre pairs": ("lille", "2"),
    "Calcul mental en ligne": ("bordeaux", "1"),
}


@pytest.fixture
def setting(transactional_db):
    call = Call.objects.get(year="2026-2027")  # its synthesis deadline has passed: it may be published
    maths = Discipline.objects.get(code="mathematiques")
    theme = Theme.objects.get(entry__call=call, entry__code="mathematiques")
    people = {
        "pilot": make_user("camille.pilote@example.test", Role.PILOT, first_name="Camille", last_name="Petit"),
        "first": make_user("helene.igesr@example.test", Role.REVIEWER, disciplines=[maths], first_name="Hélène", last_name="Roussel"),
        "second": make_user("yanis.tn3@example.test", Role.REVIEWER, disciplines=[maths], first_name="Yanis", last_name="Faure"),
        "dan": make_user("sophie.dan@example.test", Role.DAN, academy=Academy.objects.get(code="grenoble"), first_name="Sophie", last_name="Durand"),
    }
    for title, (academy, _score) in TITLES.items():
        make_sent(theme, Academy.objects.get(code=academy), title)
    justify_other_entries(call, people["pilot"], "mathematiques")
    return call, people


def review_everything(browser, live_server, reviewer):
    page, errors = sign_in(browser, live_server, reviewer)
    for title, (_academy, score) in TITLES.items():
        page.get_by_role("link", name="Mes évaluations").first.click()
        page.get_by_role("link", name=title).click()
        radios = page.locator(f'input[type="radio"][name^="criterion"][value="{score}"]')
        expect(radios.first).to_be_attached()
        for index in range(radios.count()):
            radios.nth(index).check(force=True)
        page.locator('input[name="recommendation"]').first.check(force=True)
        page.get_by_label("Commentaire").fill(f"Évaluation de « {title} ».")
        page.get_by_label(re.compile("Je confirme la soumission")).check(force=True)
        page.get_by_role("button", name="Soumettre l'évaluation").click()
        expect(page.locator("main")).to_contain_text("Votre évaluation est soumise")
    return errors


def test_the_pilot_selects_five_and_the_academy_sees_its_results(live_server, browser, setting):
    call, people = setting

    # The pilot opens the grid (created on the first visit) and assigns the entry to both reviewers.
    page, pilot_errors = sign_in(browser, live_server, people["pilot"])
    page.get_by_role("button", name="Pilotage national").click()
    page.get_by_role("link", name="Sélection nationale").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sélection nationale")
    page.goto(live_server.url + f"/selection/pilotage/{call.year}/grille/")
    page.goto(live_server.url + f"/selection/pilotage/{call.year}/mathematiques/")
    for reviewer in (people["first"], people["second"]):
        page.get_by_label("Assigner toutes les candidatures à").select_option(value=str(reviewer.pk))
        page.get_by_role("button", name="Assigner toutes les candidatures").click()
        expect(page.locator("main")).to_contain_text("Automatismes en 6e avec MathALÉA")

    # Both reviewers score every proposal; each sees the other's review once theirs is in.
    first_errors = review_everything(browser, live_server, people["first"])
    second_errors = review_everything(browser, live_server, people["second"])
    assert Review.objects.filter(state="submitted").count() == 12

    # The pilot selects the five best, a sixth is refused, then publishes after confirming.
    page.goto(live_server.url + f"/selection/pilotage/{call.year}/mathematiques/")
    def ranking_row(title):
        return page.locator(f"#proposal-{Proposal.objects.get(title=title).pk}")

    for title in list(TITLES)[:5]:
        ranking_row(title).get_by_role("button", name="Sélectionner").click()
        expect(ranking_row(title)).to_contain_text("sélectionnée")
    ranking_row("Calcul mental en ligne").get_by_role("button", name="Sélectionner").click()
    expect(page.locator("main")).to_contain_text("Les 5 places de « Mathématiques » sont pourvues")
    assert not Proposal.objects.filter(title="Calcul mental en ligne", selection__isnull=False).exists()

    page.goto(live_server.url + f"/selection/pilotage/{call.year}/")
    page.get_by_label(re.compile("Je confirme la publication")).check(force=True)
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.locator("main")).to_contain_text("Résultats publiés")
    assert Publication.objects.filter(call=call).count() == 1

    # The DAN of Grenoble sees its two selected proposals, and nothing of Lyon's.
    page, dan_errors = sign_in(browser, live_server, people["dan"])
    page.get_by_role("link", name="Résultats de la sélection").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Automatismes en 6e avec MathALÉA")
    expect(main).to_contain_text("Géométrie dynamique au lycée")
    expect(main).not_to_contain_text("Plans de travail différenciés")

    assert set(Proposal.objects.filter(title__in=list(TITLES)[:5]).values_list("state", flat=True)) == {ProposalState.SELECTED}
    assert Proposal.objects.get(title="Calcul mental en ligne").state == ProposalState.NOT_SELECTED
    assert not (pilot_errors or first_errors or second_errors or dan_errors)
