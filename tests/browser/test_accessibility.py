"""Accessibility in Debian's Chromium: axe-core (bundled by
axe-playwright-python) runs the WCAG 2.1 A and AA rules and its best
practices on every page type of the portal, signed in as each role of the
demo, including forms shown again with their errors and the 403 and 404
pages; at 320 px wide, scrolling tables must stay reachable with the
keyboard; the PDFs the pages hand out are tagged (PDF/UA-1). A second test
walks the main path with the keyboard alone.

The demo is seeded once (about a minute): one test visits every role in turn,
each role a subtest, so that a failure names the role, the page, the rule,
its impact and the elements at fault."""

import re
import shutil
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from bilans.models import BilanRun
from candidatures.enums import ProposalState
from candidatures.models import AcademicSynthesis, Proposal
from productions.enums import ScenarioState
from productions.models import NationalGroup, Scenario, WorkingGroup
from selection.models import ReviewAssignment
from tests.conftest import require
from tests.factories import PASSWORD, make_user
from traam.demo import DEMO_CALL_YEAR, DEMO_PASSWORD
from traam.enums import Role
from traam.models import Academy, User

pytestmark = pytest.mark.browser

PAST = "2026-2027"  # the demo's past year: syntheses, selection, groups, scenarios, bilans
AXE = Axe()
# WCAG 2.1 levels A and AA (what the RGAA 4.1 is built on), plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
# At 320 CSS px (WCAG 1.4.10, reflow) the layout changes: wide tables and charts scroll and must
# then be reachable with the keyboard. The full set above runs at desktop width; this rule, the one
# that depends on the layout, runs again on the same page at the narrow width.
NARROW_WIDTH = 320
NARROW_OPTIONS = {"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]}, "resultTypes": ["violations"]}
# Violations the project cannot fix: {(rule id, CSS selector of the element): why}. Keep it empty
# unless django-dsfr itself is at fault, and never exclude a whole rule. Empty today.
KNOWN_EXCEPTIONS = {}

TEACHER = "enseignant.grenoble@demo.traam.example"
INSPECTOR = "inspecteur.maths.grenoble@demo.traam.example"
DAN = "dan.grenoble@demo.traam.example"
CARDIE = "cardie.grenoble@demo.traam.example"
REVIEWER = "igesr.maths@demo.traam.example"
PILOT = "pilote@demo.traam.example"


# --- the pages of each role --------------------------------------------------------------------


def url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def optional_page(name, url_name):
    """A page another stage is adding: checked once its address exists."""
    url = url_or_none(url_name)
    return [(name, url)] if url else []


def public_pages():
    pages = [
        ("accueil", "/"),
        ("appel à projets", f"/appels/{PAST}/"),
        ("thématique", f"/appels/{PAST}/nsi/thematique-2/"),
        ("connexion", reverse("account_login")),
        ("mot de passe oublié", reverse("account_reset_password")),
        ("déclaration d'accessibilité", reverse("footer-accessibility-status")),
        ("mentions légales", reverse("footer-legal-notice")),
        ("données personnelles", reverse("footer-personal-data")),
        ("plan du site", reverse("footer-sitemap")),
        ("bilans publiés", reverse("bilans:public_list", args=[PAST])),
        ("page introuvable (404)", "/cette-page-n-existe-pas/"),
    ]
    # The public catalogue and the API's documentation, once they are mounted.
    pages += optional_page("documentation de l'API", "api:documentation")
    pages += optional_page("catalogue", "catalogue:search")
    published = Scenario.objects.filter(state=ScenarioState.PUBLISHED).order_by("pk").first()
    if published and url_or_none("catalogue:scenario", published.slug):
        pages.append(("catalogue : séquence", reverse("catalogue:scenario", args=[published.slug])))
    return pages


def login_with_errors(page, base):
    page.goto(base + reverse("account_login"))
    page.locator('input[name="login"]').fill("personne@example.test")
    page.locator('input[name="password"]').fill("pas-le-bon-mot-de-passe")
    page.locator('form button[type="submit"]').first.click()
    expect(page.locator(".fr-alert--error, .fr-error-text, .fr-message--error").first).to_be_visible()


def teacher_pages():
    teacher = User.objects.get(email=TEACHER)
    draft = Proposal.objects.get(lead=teacher, state=ProposalState.DRAFT)
    submitted = Proposal.objects.filter(lead=teacher, state=ProposalState.SUBMITTED).first()
    group = WorkingGroup.objects.filter(members__user=teacher, scenarios__state=ScenarioState.DRAFT).first()
    scenario = group.scenarios.filter(state=ScenarioState.DRAFT).first()

    def proposal_with_errors(page, base):
        # An invalid address in the team: the form comes back with its errors.
        page.goto(base + reverse("candidatures:edit", args=[draft.pk]))
        page.locator("#id_team-0-email").fill("pas-une-adresse")
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(page.get_by_role("alert").first).to_contain_text("La candidature n'a pas été enregistrée")
        expect(page.locator("#id_team-0-email")).to_have_attribute("aria-describedby", "id_team-0-email-error")

    def scenario_with_errors(page, base):
        page.goto(base + reverse("productions:group", args=[group.pk]))
        page.get_by_role("button", name="Créer la séquence").click()
        expect(page.locator(".fr-error-text, .fr-message--error").first).to_be_visible()

    return [
        ("tableau de bord", reverse("dashboard")),
        ("mes candidatures", reverse("candidatures:list")),
        ("candidature déposée", reverse("candidatures:detail", args=[submitted.pk])),
        ("formulaire de candidature", reverse("candidatures:edit", args=[draft.pk])),
        ("formulaire de candidature avec erreurs", proposal_with_errors),
        ("groupes", reverse("productions:group_list")),
        ("groupe", reverse("productions:group", args=[group.pk])),
        ("nouvelle séquence avec erreurs", scenario_with_errors),
        ("séquence", reverse("productions:scenario", args=[scenario.pk])),
        ("formulaire de séquence", reverse("productions:scenario_edit", args=[scenario.pk])),
        ("versions de la séquence", reverse("productions:scenario_versions", args=[scenario.pk])),
        ("calendrier", reverse("productions:calendar", args=[PAST])),
        ("heures", reverse("productions:hours")),
        ("compte : adresses", reverse("account_email")),
        ("compte : mot de passe", reverse("account_change_password")),
        ("compte : double authentification", reverse("mfa_index")),
        ("accès refusé (403)", reverse("selection:pilot", args=[PAST])),
    ]


def inspector_pages():
    inspector = User.objects.get(email=INSPECTOR)
    to_review = Proposal.objects.filter(
        theme__entry__call__year=DEMO_CALL_YEAR, academy__code="grenoble", state=ProposalState.SUBMITTED,
        theme__entry__discipline__code="mathematiques",
    ).first()
    group = WorkingGroup.objects.filter(members__user=inspector, scenarios__state=ScenarioState.SUBMITTED).first()
    scenario = group.scenarios.filter(state=ScenarioState.SUBMITTED).first()
    return [
        ("tableau de bord", reverse("dashboard")),
        ("candidatures de l'académie", reverse("candidatures:inspector_list")),
        ("candidature à examiner", reverse("candidatures:detail", args=[to_review.pk])),
        ("résultats de la sélection", reverse("selection:results", args=[PAST])),
        ("groupes", reverse("productions:group_list")),
        ("groupe", reverse("productions:group", args=[group.pk])),
        ("séquence à valider", reverse("productions:scenario", args=[scenario.pk])),
        ("avancement", reverse("productions:progress", args=[PAST])),
        ("heures", reverse("productions:hours")),
    ]


def dan_pages():
    grenoble = Academy.objects.get(code="grenoble")
    sent = AcademicSynthesis.objects.get(call__year=PAST, academy=grenoble)
    proposal = Proposal.objects.filter(academy=grenoble, theme__entry__call__year=DEMO_CALL_YEAR).first()
    return [
        ("tableau de bord", reverse("dashboard")),
        ("suivi de l'académie", reverse("candidatures:academy_home")),
        ("académie", reverse("candidatures:academy", args=[DEMO_CALL_YEAR, "grenoble"])),
        ("candidature", reverse("candidatures:detail", args=[proposal.pk])),
        ("synthèse en cours", reverse("candidatures:synthesis", args=[DEMO_CALL_YEAR, "grenoble"])),
        ("composer la synthèse", reverse("candidatures:synthesis_edit", args=[DEMO_CALL_YEAR, "grenoble"])),
        ("synthèse envoyée", reverse("candidatures:synthesis", args=[sent.call.year, "grenoble"])),
        ("résultats de la sélection", reverse("selection:results", args=[PAST])),
        ("groupes", reverse("productions:group_list")),
        ("heures de l'académie", reverse("productions:hours_academy", args=[PAST, "grenoble"])),
        ("équipes de l'académie", reverse("academy_roles")),
        *optional_page("import des enseignant·es", "academy_teachers_import"),
    ]


def cardie_pages():
    cardie = User.objects.get(email=CARDIE)
    group = WorkingGroup.objects.filter(members__user=cardie).first()
    return [
        ("tableau de bord", reverse("dashboard")),
        ("groupes", reverse("productions:group_list")),
        ("groupe", reverse("productions:group", args=[group.pk])),
    ]


def reviewer_pages():
    assignments = ReviewAssignment.objects.filter(reviewer__email=REVIEWER).select_related("proposal")
    draft = assignments.filter(proposal__theme__entry__call__year=DEMO_CALL_YEAR).first().proposal
    done = assignments.filter(proposal__theme__entry__call__year=PAST).first().proposal

    def review_with_errors(page, base):
        page.goto(base + reverse("selection:review", args=[draft.pk]))
        page.get_by_role("button", name="Soumettre l'évaluation").click()
        expect(page.locator(".fr-alert--error, .fr-error-text, .fr-message--error").first).to_be_visible()

    return [
        ("tableau de bord", reverse("dashboard")),
        ("mes évaluations", reverse("selection:reviewer_list")),
        ("formulaire d'évaluation", reverse("selection:review", args=[draft.pk])),
        ("formulaire d'évaluation avec erreurs", review_with_errors),
        ("évaluation soumise", reverse("selection:review", args=[done.pk])),
    ]


def pilot_pages():
    ranked = Proposal.objects.filter(theme__entry__call__year=PAST, theme__entry__code="mathematiques", selection__isnull=False).first()
    national = NationalGroup.objects.filter(call__year=PAST).first()
    return [
        ("tableau de bord", reverse("dashboard")),
        ("synthèses reçues", reverse("candidatures:syntheses", args=[DEMO_CALL_YEAR])),
        ("report d'échéance", reverse("candidatures:extension", args=[DEMO_CALL_YEAR, "lyon"])),
        ("sélection : vue d'ensemble", reverse("selection:pilot", args=[PAST])),
        ("sélection : grille", reverse("selection:grid", args=[PAST])),
        ("sélection : classement d'une entrée", reverse("selection:entry", args=[PAST, "mathematiques"])),
        ("sélection : candidature", reverse("selection:entry_proposal", args=[PAST, "mathematiques", ranked.pk])),
        ("sélection : charge des évaluateurs", reverse("selection:workload", args=[PAST])),
        ("groupes", reverse("productions:group_list")),
        ("groupes nationaux", reverse("productions:national_group_list")),
        ("groupe national", reverse("productions:national_group", args=[national.pk])),
        ("avancement", reverse("productions:progress", args=[PAST])),
        ("calendrier", reverse("productions:calendar", args=[PAST])),
        ("heures", reverse("productions:hours")),
        ("bilans : pilotage", reverse("bilans:pilot", args=[PAST])),
        ("équipes des académies", reverse("academy_roles")),
        *optional_page("imports", "imports"),
    ]


ROLES = [
    ("anonyme", None, lambda: [*public_pages(), ("connexion avec erreurs", login_with_errors)]),
    ("enseignante", TEACHER, teacher_pages),
    ("inspectrice", INSPECTOR, inspector_pages),
    ("DAN", DAN, dan_pages),
    ("CARDIE", CARDIE, cardie_pages),
    ("évaluatrice nationale", REVIEWER, reviewer_pages),
    ("pilote national", PILOT, pilot_pages),
]


# --- checking ----------------------------------------------------------------------------------


def axe_violations(page):
    """axe's violations on the page as shown at desktop width, then those of the
    layout rule at the narrow width, minus the documented exceptions."""
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    desktop = page.viewport_size
    page.set_viewport_size({"width": NARROW_WIDTH, "height": desktop["height"]})
    try:
        # axe is already in the page: run it again, on the layout rule only.
        narrow = page.evaluate("options => axe.run(document, options)", NARROW_OPTIONS)["violations"]
    finally:
        page.set_viewport_size(desktop)
    for violation in narrow:
        violation["help"] += f" (à {NARROW_WIDTH} px de large)"
    found = []
    for violation in violations + narrow:
        targets = [
            " ".join(map(str, node["target"])) for node in violation["nodes"]
            if (violation["id"], " ".join(map(str, node["target"]))) not in KNOWN_EXCEPTIONS
        ]
        if targets:
            found.append((violation["id"], violation["impact"], violation["help"], targets))
    return found


def report(role, problems):
    lines = [f"{len(problems)} page(s) with accessibility problems as « {role} »:"]
    for page_name, url, items in problems:
        lines.append(f"- {page_name} ({url})")
        for rule, impact, help_text, targets in items:
            lines.append(f"    {rule} [{impact}] {help_text}: {', '.join(targets[:8])}")
    return "\n".join(lines)


def new_page(browser, base, email):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    if email:
        page.goto(base + reverse("account_login"))
        page.locator('input[name="login"]').fill(email)
        page.locator('input[name="password"]').fill(DEMO_PASSWORD)
        page.locator('form button[type="submit"]').first.click()
        expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    return context, page, errors


def check_role(browser, base, email, pages):
    context, page, errors = new_page(browser, base, email)
    problems, statuses = [], {}
    try:
        for name, target in pages:
            errors.clear()
            if callable(target):
                target(page, base)
                url = page.url.removeprefix(base)
            else:
                response = page.goto(base + target)
                url = target
                statuses[name] = response.status
            items = axe_violations(page)
            # A CSP refusal or a script error is a problem a user meets too; the 403 and 404 pages log their own status.
            expected_status = re.search(r"\((40[34])\)", name)
            items += [
                ("console", "error", message, [url]) for message in errors
                if not (expected_status and f"status of {expected_status.group(1)}" in message)
            ]
            if items:
                problems.append((name, url, items))
    finally:
        context.close()
    return problems, statuses


def pdf_report(pdf, tmp_path):
    """pdfinfo's summary, XMP metadata and structure tree of ``pdf``."""
    require(shutil.which("pdfinfo"), "pdfinfo (poppler-utils) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return [subprocess.run(["pdfinfo", *option, str(path)], check=True, capture_output=True, text=True).stdout for option in ([], ["-meta"], ["-struct"])]


def check_pdfs(browser, base, tmp_path):
    """The academic synthesis (for the DAN) and a published bilan (for anyone) are tagged PDF/UA-1 documents."""
    context, page, _errors = new_page(browser, base, DAN)
    bilan = BilanRun.objects.filter(call__year=PAST, is_published=True, entry__isnull=False).select_related("entry").first()
    # The synthesis is rendered on request (WeasyPrint): give it time on a busy machine.
    pdfs = {
        "synthèse académique": page.request.get(base + reverse("candidatures:synthesis_pdf", args=[PAST, "grenoble"]), timeout=120_000),
        "bilan national": page.request.get(base + reverse("bilans:public_download", args=[PAST, bilan.entry.code]), timeout=120_000),
    }
    problems = []
    for name, response in pdfs.items():
        if response.status != 200 or response.headers["content-type"] != "application/pdf":
            problems.append(f"{name}: {response.status} {response.headers.get('content-type')}")
            continue
        info, meta, structure = pdf_report(response.body(), tmp_path)
        if "Tagged:          yes" not in info or 'pdfuaid:part="1"' not in meta or not structure.startswith("Document\n"):
            problems.append(f"{name}: not a tagged PDF/UA-1 document")
        if not re.search(r"^Title: +\S", info, re.MULTILINE):
            problems.append(f"{name}: no title")
    context.close()
    return problems


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_every_page_type_passes_axe_for_every_role(live_server, browser, demo, subtests, tmp_path):
    for role, email, pages in ROLES:
        with subtests.test(msg=role):
            problems, statuses = check_role(browser, live_server.url, email, pages())
            assert not problems, report(role, problems)
            expected = {name: 200 for name in statuses}
            expected.update({name: 404 for name in statuses if "404" in name})
            expected.update({name: 403 for name in statuses if "403" in name})
            assert statuses == expected
    with subtests.test(msg="PDF"):
        assert check_pdfs(browser, live_server.url, tmp_path) == []


def test_the_main_path_works_with_the_keyboard_alone(live_server, browser, transactional_db):
    """From the home page to the dashboard and the groups with the keyboard
    only: the skip link comes first and reaches the content, the sign-in link
    and the form are reached with Tab, the form is sent with Enter, focus is
    visible, and the navigation's menus open with Enter."""
    teacher = make_user("lea.martin@example.test", Role.TEACHER, academy=Academy.objects.get(code="grenoble"), first_name="Léa")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/")

    def tab_to(locator, limit=40):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{locator} is not reachable with Tab")

    def focused_is_inside(selector):
        return page.evaluate(f"document.activeElement.closest({selector!r}) !== null")

    # The first Tab reaches the skip link to the content; after it, the next Tab lands in <main>.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", "#content")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused_is_inside("main")

    page.goto(live_server.url + "/")
    tab_to(page.get_by_role("link", name="Se connecter"))
    assert page.locator(":focus").evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/comptes/login/"))
    tab_to(page.locator('input[name="login"]'))
    page.keyboard.type(teacher.email)
    tab_to(page.locator('input[name="password"]'))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Léa")

    # The navigation's menus open with the keyboard and lead on.
    menu = page.get_by_role("button", name="Groupes de travail")
    tab_to(menu)
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    # The menu unfolds with a transition: its links count once they are shown.
    link = page.locator("nav a.fr-nav__link", has_text="Groupes et séquences")
    expect(link).to_be_visible()
    tab_to(link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/groupes/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
    assert not errors, errors
