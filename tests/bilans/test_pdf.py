"""What a bilan's PDF says (bilans/content.py, templates/bilans/bilan_pdf.html),
read back with pdftotext: only published scenarios, each under its problem,
its CRCN competences and its class levels; the focus grouped by AI usage;
user text escaped; a tagged PDF with a table of contents and numbered pages."""

import logging
import re
import shutil
import subprocess

import pytest

from bilans import content, rendering, services
from bilans.enums import RunState
from tests.bilans.conftest import FOCUS, HOSTILE_SUMMARY, HOSTILE_TITLE, P_FABLE, P_FRACTIONS, P_STATS, between, pdf_text
from tests.conftest import require
from traam.models import Theme


def rendered(call, entry=None, *, kind=None, user=None):
    run, _ = services.request_bilan(call, entry, kind=kind, acting_user=user)
    assert rendering.render_run(run.pk) == "done"
    run.refresh_from_db()
    return run


def poppler(tool, run, tmp_path, *options):
    require(shutil.which(tool), f"{tool} (poppler-utils) is not installed")
    path = tmp_path / "bilan.pdf"
    with run.file.open("rb") as handle:
        path.write_bytes(handle.read())
    command = [tool, *options, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def maths_text(corpus, call, maths_entry, pilot, tmp_path):
    return pdf_text(rendered(call, maths_entry, user=pilot), tmp_path)


def test_it_covers_the_entry_and_its_theme(maths_text, maths_entry):
    theme = Theme.objects.filter(entry=maths_entry).first()
    assert "Bilan national Mathématiques" in maths_text
    assert "appel à projets 2026-2027" in maths_text.casefold()
    assert theme.title.split(":")[0].strip() in maths_text
    figures = between(maths_text, "Chiffres clés", "Séquences publiées par niveau")
    assert "4 / 16" in figures and "compétences du CRCN" in figures
    assert "Académies participantes : Grenoble, Lyon." in figures


def test_key_figures(corpus, call, maths_entry, pilot):
    run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    context = content.bilan_context(run)
    # 4 published scenarios (of 6), 2 groups in 2 academies, CRCN 1.2, 1.3, 4.2, 5.2; collège and lycée; 3 on Édubase.
    assert context["figures"] == {
        "scenarios": 4, "groups": 2, "groups_publishing": 2, "academies": 2, "crcn_covered": 4, "crcn_total": 16, "levels_covered": 2,
        "with_edubase": 3,
    }
    assert [chart["id"] for chart in context["charts"]] == ["chart-levels", "chart-crcn"]
    assert "Séquences publiées par niveau de classe. École : 0 séquences; Collège : 2 séquences; " in context["charts"][0]["svg"]


def test_only_published_scenarios_appear(maths_text, corpus):
    for name in ("fractions", "rituels", "stats"):
        assert corpus[name].title in maths_text
    for name in ("draft", "validated"):
        assert corpus[name].title not in maths_text
    for name in ("fable", "voix"):  # another entry
        assert corpus[name].title not in maths_text


def test_scenarios_are_grouped_by_the_problem_they_address(maths_text, corpus):
    part = between(maths_text, "Les séquences par problématique abordée", "Les séquences par compétence numérique travaillée")
    fractions = between(part, P_FRACTIONS, P_STATS) if part.index(P_FRACTIONS) < part.index(P_STATS) else between(part, P_FRACTIONS)
    stats = between(part, P_STATS, P_FRACTIONS) if part.index(P_STATS) < part.index(P_FRACTIONS) else between(part, P_STATS)
    # « comment différencier le calcul sur les fractions » is the same problem, typed differently.
    assert part.count("Comment différencier le calcul sur les fractions") == 1
    assert "2 séquences" in fractions and "Fractions en 6e" in fractions and "Rituels de calcul mental" in fractions
    assert "2 séquences" in stats and "Statistiques en seconde" in stats and "Séquence <script>" in stats
    assert "Statistiques en seconde" not in fractions
    assert "Académie de Grenoble" in fractions and "Académie de Lyon" in stats


def test_scenarios_are_listed_by_crcn_competence_with_their_number(maths_text):
    part = between(maths_text, "Les séquences par compétence numérique travaillée", "Les séquences par niveau de classe")
    assert "Domaine 1 — Information et données" in part
    gerer = between(part, "1.2 Gérer des données (2)", "1.3 Traiter des données")
    traiter = between(part, "1.3 Traiter des données", "Domaine 4")
    assert "Statistiques en seconde" in gerer and "Fractions en 6e" not in gerer
    # Numbered in the order of their descriptions: the fractions problem (two scenarios) comes first.
    assert "n° 1 Fractions en 6e — Grenoble • n° 2 Rituels de calcul mental — Grenoble" in traiter
    assert "n° 1 Fractions en 6e" in between(maths_text, "Les séquences par problématique abordée", "Les séquences par compétence")
    assert "Domaine 3" not in part  # no maths scenario works on it
    assert "4.2 Protéger les données personnelles et la vie privée (1)" in part


def test_scenarios_are_listed_by_class_level(maths_text):
    part = between(maths_text, "Les séquences par niveau de classe", "Fiches citées à consulter")
    college = between(part, "Collège (2)", "Lycée général et technologique")
    lycee = between(part, "Lycée général et technologique (2)")
    assert "Séquence <script>" in lycee
    assert "Fractions en 6e" in college and "Rituels de calcul mental" in college and "Statistiques" not in college
    assert "Statistiques en seconde" in lycee
    assert "École" not in part


def test_the_cited_scenarios_list_gives_academy_and_edubase_address(maths_text, corpus):
    part = between(maths_text, "Fiches citées à consulter")
    assert f"1 Fractions en 6e Grenoble {corpus['fractions'].edubase_url}" in part
    assert "2 Rituels de calcul mental Grenoble à venir" in part  # published without its Édubase record yet
    assert f"Statistiques en seconde Lyon {corpus['stats'].edubase_url}" in part


def test_user_text_is_escaped_and_fetches_nothing(corpus, call, maths_entry, pilot, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="traam.pdf"):
        text = pdf_text(rendered(call, maths_entry, user=pilot), tmp_path)
    assert " ".join(HOSTILE_TITLE.split()) in text  # the characters, shown as typed
    assert " ".join(HOSTILE_SUMMARY.split()) in text
    assert "<i>Raisonner</i>" in text
    assert "PDF resource refused" not in caplog.text  # escaped: no <img> ever reached the renderer


def test_the_renderer_refuses_files_and_network_addresses(corpus, call, maths_entry, pilot, tmp_path, caplog):
    # The call's own HTML is trusted as sanitized when saved; even so, a theme
    # written past the sanitizer cannot make the renderer read a file or the network.
    Theme.objects.filter(entry=maths_entry).update(
        description_html='<p>Texte</p><img src="file:///etc/passwd" alt="a"><img src="http://127.0.0.1:9/x.png" alt="b">'
    )
    with caplog.at_level(logging.WARNING, logger="traam.pdf"):
        run = rendered(call, maths_entry, user=pilot)
    assert run.state == RunState.DONE
    assert "PDF resource refused: file:///etc/passwd" in caplog.text
    assert "PDF resource refused: http://127.0.0.1:9/x.png" in caplog.text
    assert "root:" not in pdf_text(run, tmp_path)


def test_the_focus_groups_every_entry_by_ai_usage(corpus, call, pilot, tmp_path):
    text = pdf_text(rendered(call, kind=FOCUS, user=pilot), tmp_path)
    assert "Bilans nationaux Focus sur les usages de l'intelligence artificielle" in text
    teacher = between(text, "Les démarches centrées sur la pratique des enseignants", "Les démarches centrées sur les apprentissages des élèves")
    students = between(text, "Les démarches centrées sur les apprentissages des élèves", "Les séquences par niveau de classe")
    assert "Mathématiques (1)" in teacher and "Rituels de calcul mental" in teacher
    assert "Statistiques en seconde" not in teacher and "Réécrire une fable" not in teacher
    assert "Lettres (1)" in students and "Mathématiques (1)" in students
    assert "Statistiques en seconde" in students and "Réécrire une fable avec l'IA" in students
    assert students.index("Lettres") < students.index("Réécrire une fable") < students.index("Mathématiques")  # the call's order
    assert P_FABLE in students  # the problem is shown beside each scenario of the focus
    assert "Comptes anonymes, aucune donnée personnelle." in students
    for absent in ("Fractions en 6e", "Lire à voix haute", "Brouillon jamais publié", "Validée mais pas encore publiée", "Séquence <script>"):
        assert absent not in text
    cited = between(text, "Fiches citées à consulter")
    # By discipline, each scenario with the number of its description (the teacher's practice first).
    assert cited.index("2 Lettres Réécrire une fable") < cited.index("1 Mathématiques Rituels de calcul mental Grenoble à venir") \
        < cited.index(f"3 Mathématiques Statistiques en seconde Lyon {corpus['stats'].edubase_url}")
    assert f"Rennes {corpus['fable'].edubase_url}" in cited


def test_a_tagged_pdf_with_a_table_of_contents_and_numbered_pages(corpus, call, maths_entry, pilot, tmp_path):
    run = rendered(call, maths_entry, user=pilot)
    info = poppler("pdfinfo", run, tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           Bilan national TraAM 2026-2027 — Mathématiques" in info
    assert f"Pages:           {run.pages}" in info
    text = " ".join(poppler("pdftotext", run, tmp_path, "-layout").split())
    assert f"Page 1 sur {run.pages}" in text and f"Page {run.pages} sur {run.pages}" in text
    # The contents give each part's page: dot leaders, then the number of the page where the part begins.
    pages = [" ".join(page.split()) for page in poppler("pdftotext", run, tmp_path, "-layout").split("\f")]
    toc = next(page for page in pages if "Sommaire" in page)
    for heading in ("Chiffres clés", "Les séquences par problématique abordée", "Les séquences par niveau de classe", "Fiches citées à consulter"):
        number = int(re.search(re.escape(heading) + r" ?\.{3,} ?(\d+)", toc).group(1))
        assert heading in pages[number - 1] and pages[number - 1] != toc, heading
    assert run.size > 10_000 and run.scenario_count == 4
    structure = poppler("pdfinfo", run, tmp_path, "-struct")
    assert "Figure" in structure and "H1" in structure and "Table" in structure


def test_french_typography(maths_text):
    # pdftotext renders the no-break spaces; the text reads « Comment … ? » with one space.
    assert "Comment différencier le calcul sur les fractions ?" in maths_text
    assert "fractions?" not in maths_text
