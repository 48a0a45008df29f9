"""The Proposals stage in Debian's Chromium, through the interface only: a
teacher fills and submits a proposal with an attachment; the inspector gives
the academic opinion and retains it; the DAN composes and sends the synthesis;
the national pilot sees it received."""

import re

import pytest
from playwright.sync_api import expect

from candidatures.enums import ProposalState
from candidatures.models import AcademicSynthesis, Proposal
from tests.candidatures.conftest import open_window
from tests.factories import PASSWORD, make_user
from traam.enums import Role
from traam.models import Academy, Call, Discipline

pytestmark = pytest.mark.browser

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(transactional_db):
    grenoble = Academy.objects.get(code="grenoble")
    maths = Discipline.objects.get(code="mathematiques")
    return {
        "teacher": make_user("lea.martin@example.test", Role.TEACHER, academy=grenoble, first_name="Léa", last_name="Martin"),
        "inspector": make_user("nadia.ipr@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[maths], first_name="Nadia", last_name="Bernard"),
        "dan": make_user("sophie.dan@example.test", Role.DAN, academy=grenoble, first_name="Sophie", last_name="Durand"),
        "pilot": make_user("camille.pilote@example.test", Role.PILOT, first_name="Camille", last_name="Petit"),
    }


def sign_in(browser, live_server, user):
    """A fresh browser context per person, signed in through the login form."""
    context = browser.new_context(locale="fr-FR")
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


def fill_member(page, index, first, last, email, uai, role):
    page.locator(f"#id_team-{index}-first_name").fill(first)
    page.locator(f"#id_team-{index}-last_name").fill(last)
    page.locator(f"#id_team-{index}-email").fill(email)
    page.locator(f"#id_team-{index}-uai").fill(uai)
    page.locator(f"#id_team-{index}-role").select_option(label=role)


def test_a_proposal_goes_from_the_teacher_to_the_dne(live_server, browser, people, tmp_path):
    call = open_window(Call.objects.get(year="2026-2027"))

    # The teacher starts from the theme page, writes the proposal, builds the team and attaches a file.
    page, errors = sign_in(browser, live_server, people["teacher"])
    page.goto(live_server.url + f"/appels/{call.year}/mathematiques/thematique-1/")
    page.get_by_role("button", name="Déposer une candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la candidature")
    page.get_by_label("Titre du projet").fill("Différencier le calcul mental avec MathALÉA")
    page.get_by_label("Résumé").fill("Des parcours d'automatismes adaptés à chaque élève de 5e.")
    page.get_by_label("Objectifs").fill("Consolider les automatismes de calcul.")
    page.get_by_label("Problématique").fill("Comment différencier sans multiplier les supports ?")
    page.get_by_label("Collège").check(force=True)
    page.get_by_label("Outils numériques envisagés").fill("MathALÉA, Capytale")
    page.get_by_label("aucun", exact=True).check(force=True)
    page.locator("#id_team-0-uai").fill("0380023U")  # the lead, first row
    fill_member(page, 1, "Thomas", "Girard", "thomas.girard@example.test", "0380089R", "enseignant·e")
    fill_member(page, 2, "Inès", "Morel", "ines.morel@example.test", "0381234K", "enseignant·e référent·e")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("main")).to_contain_text("Le brouillon est enregistré")
    fill_member(page, 3, "Karim", "Benali", "karim.benali@example.test", "0380023U", "représentant·e CARDIE")
    fill_member(page, 4, "Nadia", "Bernard", people["inspector"].email, "0381234K", "inspecteur·rice pilote")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("main")).to_contain_text("Le brouillon est enregistré")
    proposal = Proposal.objects.get(title="Différencier le calcul mental avec MathALÉA")
    assert proposal.team.count() == 5
    page.goto(live_server.url + f"/candidatures/{proposal.pk}/")
    attachment = tmp_path / "projet.pdf"
    attachment.write_bytes(MINIMAL_PDF)
    page.locator('input[type="file"]').set_input_files(str(attachment))
    page.get_by_role("button", name="Joindre le fichier").click()
    expect(page.locator("#pieces-jointes")).to_contain_text("projet.pdf")

    page.goto(live_server.url + f"/candidatures/{proposal.pk}/modifier/")
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("main")).to_contain_text("Votre candidature est déposée")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED

    # The inspector finds it in the academy's list, gives the opinion and retains it.
    page, inspector_errors = sign_in(browser, live_server, people["inspector"])
    page.get_by_role("link", name="Candidatures de l'académie").first.click()
    page.get_by_role("link", name="Différencier le calcul mental avec MathALÉA").click()
    page.get_by_label("favorable", exact=True).check(force=True)
    page.locator("#review-opinion-comment").fill("Équipe solide, projet transférable.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.locator("main")).to_contain_text("L'avis académique est enregistré")
    page.get_by_label("Retenir", exact=True).check(force=True)
    page.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.locator("main")).to_contain_text("La décision de l'académie est enregistrée")

    # The DAN composes the synthesis, reads it and sends it after confirming.
    page, dan_errors = sign_in(browser, live_server, people["dan"])
    page.get_by_role("link", name="Suivi de l'académie").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi de l'académie de Grenoble")
    page.get_by_role("link", name="Composer la synthèse").click()
    page.get_by_label("Inclure dans la synthèse").check(force=True)
    page.get_by_label("Priorité").fill("1")
    page.get_by_label("Commentaire de l'académie").fill("Projet prioritaire de l'académie.")
    page.get_by_label("Note d'accompagnement").fill("Un projet au collège, porté par une équipe expérimentée.")
    page.get_by_role("button", name="Enregistrer et relire").click()
    expect(page.locator("main")).to_contain_text("Aperçu avant envoi")
    expect(page.locator("main")).to_contain_text("Projet prioritaire de l'académie.")
    page.get_by_role("button", name="Envoyer à la DNE").click()
    expect(page.locator("main")).to_contain_text("Cochez la case de confirmation")
    page.get_by_label(re.compile("Je confirme l'envoi définitif")).check(force=True)
    page.get_by_role("button", name="Envoyer à la DNE").click()
    expect(page.locator("main")).to_contain_text("La synthèse est envoyée à la DNE")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la synthèse (PDF)").click()
    assert download.value.suggested_filename == f"synthese-grenoble-{call.year}.pdf"

    # The national pilot sees it received.
    page, pilot_errors = sign_in(browser, live_server, people["pilot"])
    page.get_by_role("button", name="Pilotage national").click()
    page.get_by_role("link", name="Synthèses académiques").first.click()
    row = page.get_by_role("row").filter(has_text="Grenoble")
    expect(row).to_contain_text("reçue")
    row.get_by_role("link", name=re.compile("1 candidature")).click()
    expect(page.locator("main")).to_contain_text("Envoyée à la DNE")
    expect(page.locator("main")).to_contain_text("Différencier le calcul mental avec MathALÉA")

    assert AcademicSynthesis.objects.get(academy__code="grenoble").is_sent
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SENT
    assert not (errors or inspector_errors or dan_errors or pilot_errors)
