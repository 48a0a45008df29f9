"""French spacing in the bilans (bilans/typography.py)."""

import pytest

from bilans.typography import NBSP, NNBSP, french, french_html


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("Pourquoi?", f"Pourquoi{NNBSP}?"),
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Attention ; ici !", f"Attention{NNBSP}; ici{NNBSP}!"),
        ("Titre: suite", f"Titre{NBSP}: suite"),
        ("Titre : suite", f"Titre{NBSP}: suite"),
        ("«citation»", f"«{NBSP}citation{NBSP}»"),
        ("à 10:30", "à 10:30"),
        ("voir https://edubase.eduscol.education.fr/fiche/1?x=1 !", f"voir https://edubase.eduscol.education.fr/fiche/1?x=1{NNBSP}!"),
    ],
)
def test_french_spacing(typed, printed):
    assert french(typed) == printed
    assert french(printed) == printed  # twice changes nothing


def test_markup_and_character_references_are_left_alone():
    html = '<a href="https://a.example/?q=1;x">L&#x27;élève ?</a><p title="a : b">Fin&nbsp;:</p>'
    assert french_html(html) == f'<a href="https://a.example/?q=1;x">L&#x27;élève{NNBSP}?</a><p title="a : b">Fin&nbsp;:</p>'
