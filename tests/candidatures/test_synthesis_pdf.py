"""The academic synthesis as a PDF (candidatures/pdf.py)."""

import shutil
import subprocess

import pytest

from candidatures import services
from candidatures.enums import AcademicOpinion
from candidatures.pdf import synthesis_pdf
from tests.candidatures.conftest import IN_WINDOW, fill, full_team
from tests.conftest import require

HOSTILE_TITLE = "Pirater la synthèse <script>alert(1)</script> en <b>x</b>"
HOSTILE_COMMENT = "Avis <b>x</b> & <script>alert(1)</script>"


def text_of(pdf, tmp_path):
    """What a reader of the PDF sees, page after page."""
    require(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "synthese.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def one_line(text):
    return " ".join(text.split())


@pytest.fixture
def hostile(maths_theme, colleague_grenoble, teacher_grenoble, cardie_grenoble, inspector_maths_grenoble):
    """A second retained proposal whose author and inspector typed markup."""
    proposal = services.start_proposal(maths_theme, acting_user=colleague_grenoble, now=IN_WINDOW)
    team = full_team(colleague_grenoble, teacher_grenoble, cardie_grenoble, inspector_maths_grenoble)
    fill(proposal, colleague_grenoble, team, title=HOSTILE_TITLE, summary="Résumé <i>piégé</i>")
    services.submit(proposal, acting_user=colleague_grenoble, now=IN_WINDOW)
    services.give_opinion(proposal, acting_user=inspector_maths_grenoble, opinion=AcademicOpinion.RESERVED, comment=HOSTILE_COMMENT)
    return services.decide(proposal, acting_user=inspector_maths_grenoble, retained=True)


@pytest.fixture
def synthesis(retained, hostile, call, grenoble, dan_grenoble):
    return services.compose_synthesis(
        call, grenoble, acting_user=dan_grenoble, cover_note="Deux projets complémentaires.\nLe premier est prioritaire.",
        items=[(retained, 1, "Équipe expérimentée"), (hostile, 2, HOSTILE_COMMENT)], now=IN_WINDOW,
    )


def test_it_shows_the_synthesis_in_priority_order(synthesis, retained, teacher_grenoble, tmp_path):
    pdf = synthesis_pdf(synthesis)
    assert pdf.startswith(b"%PDF-")
    text = one_line(text_of(pdf, tmp_path))
    assert "Document de synthèse académique" in text
    assert "Académie de Grenoble" in text
    assert "appel à projets traam 2026-2027" in text.casefold()  # set in capitals
    assert "brouillon — non envoyée" in text.casefold()
    assert "Deux projets complémentaires. Le premier est prioritaire." in text
    assert text.index("Priorité 1 Différencier avec MathALÉA") < text.index("Priorité 2 Pirater la synthèse")
    assert "Équipe expérimentée" in text
    # Label and value sit side by side: pdftotext reads them column by column.
    assert "Porteur·se" in text and teacher_grenoble.get_full_name() in text
    assert "Discipline ou enseignement" in text and retained.theme.entry.name in text
    assert "Thématique" in text and retained.theme.title in text
    assert "Inès Morel enseignant·e référent·e 0381234K" in text
    assert "Des parcours d'exercices adaptés au niveau de chaque élève." in text
    assert "Page 1 sur" in text


def test_user_text_is_printed_as_typed(synthesis, tmp_path):
    text = one_line(text_of(synthesis_pdf(synthesis), tmp_path))
    assert "Pirater la synthèse <script>alert(1)</script> en <b>x</b>" in text
    assert "Résumé <i>piégé</i>" in text
    # In the inspector's opinion and in the academy's comment.
    assert text.count("Avis <b>x</b> & <script>alert(1)</script>") == 2


def test_a_sent_synthesis_says_when_and_by_whom(synthesis, dan_grenoble, tmp_path):
    services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
    text = one_line(text_of(synthesis_pdf(synthesis), tmp_path))
    assert f"Envoyée le 2 février 2026 à 10:00 (heure de Paris) par {dan_grenoble.get_full_name()}." in text
    assert "non envoyée" not in text.lower()


def test_it_reads_the_synthesis_in_a_bounded_number_of_queries(synthesis, django_assert_num_queries):
    with django_assert_num_queries(3):
        synthesis_pdf(synthesis)
