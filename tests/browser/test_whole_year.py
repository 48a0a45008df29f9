"""The whole TraAM year in Debian's Chromium, through the interface only, each
step signed in as its own person: a teacher submits a proposal; the
inspector retains it; the DAN sends the academy's synthesis; two national
reviewers score it; the pilot selects it and publishes the results (which
opens the working group); the group writes a scenario; the piloting inspector
validates and publishes it; the pilot generates and publishes the bilan; an
anonymous visitor finds the scenario in the catalogue and reaches the bilan.

Only the calendar moves outside the browser (the call's dates, as the weeks
pass), and the 21 other entries of the call are given their empty-seat reason
beforehand through the service the pilot's page uses (their pages are the
same as the one this test fills for Mathématiques)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bilans.models import BilanRun
from candidatures.enums import ProposalState
from candidatures.models import Proposal
from productions.enums import ScenarioState
from productions.models import Scenario, WorkingGroup
from tests.browser.test_bilans import download_pdf
from tests.browser.test_proposals_stage import MINIMAL_PDF, fill_member
from tests.browser.test_proposals_stage import sign_in as sign_in_page
from tests.factories import make_user
from tests.selection.conftest import justify_other_entries
from traam.enums import Role
from traam.models import Academy, Call, Discipline

pytestmark = pytest.mark.browser

TITLE = "Parcours différenciés sur les fractions avec MathALÉA"
SCENARIO = "Fractions en 6e : trois parcours d'automatismes"
EDUBASE = "https://edubase.eduscol.education.fr/fiche/24680"


@pytest.fixture
def people(transactional_db):
    grenoble = Academy.objects.get(code="grenoble")
    maths = Discipline.objects.get(code="mathematiques")
    return {
        "teacher": make_user("lea.martin@example.test", Role.TEACHER, academy=grenoble, first_name="Léa", last_name="Martin"),
        "inspector": make_user("nadia.ipr@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[maths], first_name="Nadia", last_name="Bernard"),
        "dan": make_user("sophie.dan@example.test", Role.DAN, academy=grenoble, first_name="Sophie", last_name="Durand"),
        "first": make_user("helene.igesr@example.test", Role.REVIEWER, disciplines=[maths], first_name="Hélène", last_name="Roussel"),
        "second": make_user("yanis.tn3@example.test", Role.REVIEWER, disciplines=[maths], first_name="Yanis", last_name="Faure"),
        "pilot": make_user("camille.pilote@example.test", Role.PILOT, first_name="Camille", last_name="Petit"),
    }


def set_calendar(call, **days_from_today):
    """The weeks pass: the call's dates, counted from today."""
    today = timezone.localdate()
    Call.objects.filter(pk=call.pk).update(**{field: today + datetime.timedelta(days=days) for field, days in days_from_today.items()})
    call.refresh_from_db()


class Journey:
    """One browser context per person; every page's console errors kept."""

    def __init__(self, browser, live_server):
        self.browser, self.live_server, self.errors = browser, live_server, []

    def sign_in(self, user):
        page, errors = sign_in_page(self.browser, self.live_server, user)
        self.errors.append((user.email, errors))
        return page

    def visitor(self):
        context = self.browser.new_context(locale="fr-FR", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        self.errors.append(("anonyme", errors))
        return page

    def url(self, path):
        return self.live_server.url + path


def submit_proposal(journey, people, call, tmp_path):
    page = journey.sign_in(people["teacher"])
    page.goto(journey.url(f"/appels/{call.year}/"))
    page.get_by_role("link", name="Mathématiques", exact=True).first.click()
    page.get_by_role("button", name="Déposer une candidature").click()
    page.get_by_label("Titre du projet").fill(TITLE)
    page.get_by_label("Résumé").fill("Des parcours d'automatismes adaptés à chaque élève de 6e.")
    page.get_by_label("Objectifs").fill("Consolider le sens des fractions.")
    page.get_by_label("Problématique").fill("Comment différencier sans multiplier les supports ?")
    page.get_by_label("Collège").check(force=True)
    page.get_by_label("Outils numériques envisagés").fill("MathALÉA, Capytale")
    page.get_by_label("aucun", exact=True).check(force=True)
    page.locator("#id_team-0-uai").fill("0380023U")
    fill_member(page, 1, "Thomas", "Girard", "thomas.girard@example.test", "0380089R", "enseignant·e")
    fill_member(page, 2, "Inès", "Morel", "ines.morel@example.test", "0381234K", "enseignant·e référent·e")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("main")).to_contain_text("Le brouillon est enregistré")
    fill_member(page, 3, "Karim", "Benali", "karim.benali@example.test", "0380023U", "représentant·e CARDIE")
    fill_member(page, 4, "Nadia", "Bernard", people["inspector"].email, "0381234K", "inspecteur·rice pilote")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("main")).to_contain_text("Le brouillon est enregistré")
    proposal = Proposal.objects.get(title=TITLE)
    page.goto(journey.url(f"/candidatures/{proposal.pk}/"))
    attachment = tmp_path / "projet.pdf"
    attachment.write_bytes(MINIMAL_PDF)
    page.locator('input[type="file"]').set_input_files(str(attachment))
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.locator("#pieces-jointes")).to_contain_text("projet.pdf")
    page.goto(journey.url(f"/candidatures/{proposal.pk}/modifier/"))
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("main")).to_contain_text("Votre candidature est déposée")
    return proposal


def retain(journey, people):
    page = journey.sign_in(people["inspector"])
    page.get_by_role("link", name="Candidatures de l'académie").first.click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("favorable", exact=True).check(force=True)
    page.locator("#review-opinion-comment").fill("Équipe solide, projet transférable.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.locator("main")).to_contain_text("L'avis académique est enregistré")
    page.get_by_label("Retenir", exact=True).check(force=True)
    page.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.locator("main")).to_contain_text("La décision de l'académie est enregistrée")


def send_synthesis(journey, people):
    page = journey.sign_in(people["dan"])
    page.get_by_role("link", name="Suivi de l'académie").first.click()
    page.get_by_role("link", name="Composer la synthèse").click()
    page.get_by_label("Inclure dans la synthèse").check(force=True)
    page.get_by_label("Priorité").fill("1")
    page.get_by_label("Commentaire de l'académie").fill("Projet prioritaire de l'académie.")
    page.get_by_label("Note d'accompagnement").fill("Un projet au collège, porté par une équipe expérimentée.")
    page.get_by_role("button", name="Enregistrer et relire").click()
    page.get_by_label(re.compile("Je confirme l'envoi définitif")).check(force=True)
    page.get_by_role("button", name="Envoyer à la DNE").click()
    expect(page.locator("main")).to_contain_text("La synthèse est envoyée à la DNE")


def assign_reviewers(journey, people, call):
    page = journey.sign_in(people["pilot"])
    page.get_by_role("button", name="Pilotage national").click()
    page.get_by_role("link", name="Sélection nationale").first.click()
    page.goto(journey.url(f"/selection/pilotage/{call.year}/mathematiques/"))
    for reviewer in (people["first"], people["second"]):
        page.get_by_label("Assigner toutes les candidatures à").select_option(value=str(reviewer.pk))
        page.get_by_role("button", name="Assigner toutes les candidatures").click()
        expect(page.locator("main")).to_contain_text(TITLE)
    return page


def score(journey, reviewer, value):
    page = journey.sign_in(reviewer)
    page.get_by_role("link", name="Mes évaluations").first.click()
    page.get_by_role("link", name=TITLE).click()
    radios = page.locator(f'input[type="radio"][name^="criterion"][value="{value}"]')
    expect(radios.first).to_be_attached()
    for index in range(radios.count()):
        radios.nth(index).check(force=True)
    page.locator('input[name="recommendation"]').first.check(force=True)
    page.get_by_label("Commentaire").fill("Projet clair, transférable, bien outillé.")
    page.get_by_label(re.compile("Je confirme la soumission")).check(force=True)
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.locator("main")).to_contain_text("Votre évaluation est soumise")


def select_and_publish(journey, page, call, proposal):
    page.goto(journey.url(f"/selection/pilotage/{call.year}/mathematiques/"))
    row = page.locator(f"#proposal-{proposal.pk}")
    row.get_by_role("button", name="Sélectionner").click()
    expect(row).to_contain_text("sélectionnée")
    page.get_by_label("Motif des places vacantes").fill("Une seule candidature transmise pour cette discipline.")
    page.get_by_role("button", name="Enregistrer le motif").click()
    page.goto(journey.url(f"/selection/pilotage/{call.year}/"))
    page.get_by_label(re.compile("Je confirme la publication")).check(force=True)
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.locator("main")).to_contain_text("Résultats publiés")


def write_scenario(journey, people, group):
    page = journey.sign_in(people["teacher"])
    page.goto(journey.url("/groupes/"))
    page.get_by_role("link", name=group.title).first.click()
    page.get_by_label("Titre de la nouvelle séquence").fill(SCENARIO)
    page.get_by_role("button", name="Créer la séquence").click()
    page.get_by_label("Résumé").fill("Trois parcours MathALÉA, du plus guidé au plus autonome, avec leur fiche élève.")
    page.get_by_label("Problématique").fill("Comment différencier sans multiplier les supports ?")
    page.get_by_label("Compétences disciplinaires travaillées").fill("Comparer et additionner des fractions.")
    page.get_by_label("Collège", exact=True).check(force=True)
    page.get_by_label("1.3 — Traiter des données").check(force=True)
    page.get_by_label("MathALÉA", exact=True).check(force=True)
    page.get_by_label("aucun", exact=True).check(force=True)
    page.get_by_label("Nombre de séances").fill("4")
    page.get_by_role("button", name="Enregistrer la séquence").click()
    expect(page.locator("main")).to_contain_text("La séquence est enregistrée.")
    page.get_by_role("button", name="Marquer comme testée en classe").click()
    page.get_by_role("button", name="Soumettre pour validation").click()
    expect(page.locator("main")).to_contain_text("La séquence est soumise pour validation")


def validate_and_publish(journey, people):
    page = journey.sign_in(people["inspector"])
    page.goto(journey.url("/groupes/"))
    expect(page.locator("main")).to_contain_text("Séquences à valider")
    page.get_by_role("link", name=SCENARIO).click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("main")).to_contain_text("La séquence est validée")
    page.get_by_label(re.compile("Adresse de la fiche sur Édubase")).fill(EDUBASE)
    page.get_by_role("button", name="Publier").click()
    expect(page.locator("main")).to_contain_text("La séquence est publiée")


def generate_and_publish_bilan(journey, people, call, tmp_path):
    page = journey.sign_in(people["pilot"])
    page.goto(journey.url(f"/bilans/pilotage/{call.year}/"))
    row = page.locator("tr#bilan-mathematiques")
    expect(row.locator("td").first).to_have_text("1")
    row.get_by_role("button", name="Générer — Mathématiques").click()
    # No broker in the tests: the run renders inline, as in the local demo.
    expect(page.locator("tr#bilan-mathematiques")).to_contain_text("terminé")
    versions = page.locator("section", has=page.get_by_role("heading", name="Versions — Mathématiques"))
    path = download_pdf(page, versions.get_by_role("link", name=re.compile("Télécharger")), tmp_path)
    assert path.read_bytes().startswith(b"%PDF-")
    versions.get_by_role("button", name=re.compile("^Publier")).click()
    expect(page.locator(".fr-alert--success")).to_contain_text("c'est désormais la version publique")


def find_in_catalogue(journey, call):
    page = journey.visitor()
    page.goto(journey.url("/"))
    page.get_by_role("link", name=re.compile("Catalogue des séquences")).first.click()
    page.get_by_label("Rechercher").fill("fractions parcours automatismes")
    page.get_by_label("Rechercher").press("Enter")
    page.get_by_role("link", name=SCENARIO).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SCENARIO)
    main = page.locator("main")
    expect(main).to_contain_text("Grenoble")
    expect(page.get_by_role("link", name=re.compile("Édubase"))).to_have_attribute("href", EDUBASE)
    bilan = page.get_by_role("link", name=re.compile(f"Bilan national {call.year} — Mathématiques"))
    response = page.request.get(journey.url(bilan.get_attribute("href")))
    assert response.status == 200 and response.body().startswith(b"%PDF-")


def test_the_whole_year_through_the_interface(live_server, browser, people, tmp_path):
    journey = Journey(browser, live_server)
    call = Call.objects.get(year="2026-2027")

    # October to March: the call is open.
    set_calendar(call, opens_on=-30, synthesis_deadline=30, results_on=60, production_starts_on=90, production_ends_on=300)
    proposal = submit_proposal(journey, people, call, tmp_path)
    retain(journey, people)
    send_synthesis(journey, people)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SENT

    # April to June: the syntheses are in, the national selection.
    set_calendar(call, opens_on=-120, synthesis_deadline=-10, results_on=20, production_starts_on=60, production_ends_on=270)
    justify_other_entries(call, people["pilot"], "mathematiques")
    pilot_page = assign_reviewers(journey, people, call)
    score(journey, people["first"], "4")
    score(journey, people["second"], "3")
    select_and_publish(journey, pilot_page, call, proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SELECTED
    group = WorkingGroup.objects.get(proposal=proposal)

    # September to April: the group at work, the inspector's follow-up.
    set_calendar(call, opens_on=-300, synthesis_deadline=-190, results_on=-160, production_starts_on=-60, production_ends_on=150)
    write_scenario(journey, people, group)
    validate_and_publish(journey, people)
    assert Scenario.objects.get(title=SCENARIO).state == ScenarioState.PUBLISHED

    # May: the national bilan, then anyone finds the scenario.
    generate_and_publish_bilan(journey, people, call, tmp_path)
    assert BilanRun.objects.get(entry__code="mathematiques").is_published
    find_in_catalogue(journey, call)

    assert all(not errors for _person, errors in journey.errors), journey.errors
