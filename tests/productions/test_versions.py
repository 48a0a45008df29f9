"""A scenario's versions: its content kept at each saved change, readable and
comparable field by field."""

from productions import services
from productions.versions import FieldChange, diff
from tests.productions.conftest import complete_content, ids
from traam.models import ClassLevel


def test_each_saved_change_is_a_version(written, teacher_grenoble, colleague_grenoble):
    services.mark_tested(written, acting_user=teacher_grenoble)
    services.save_scenario(
        written, {"summary": "Expérimentée dans deux classes.", "sessions": 5, "class_levels": ids(ClassLevel, "college", "lycee-gt")},
        acting_user=colleague_grenoble, expected_version=written.version,
    )
    versions = list(written.versions.order_by("number"))
    assert [(v.number, v.state, v.author) for v in versions] == [
        (1, "draft", teacher_grenoble), (2, "draft", teacher_grenoble), (3, "tested", colleague_grenoble),
    ]
    first, second, third = versions
    assert first.content["summary"] == "" and first.content["class_levels"] == []
    assert second.content == {
        "title": "Fractions en 6e",
        "summary": "Des parcours d'automatismes adaptés à chaque élève.",
        "problem": "Comment différencier sans multiplier les supports ?",
        "disciplinary_competences": "Calculer avec des fractions.",
        "digital_tools": "MathALÉA",
        "ai_usage": "none",
        "ai_tools": "",
        "ai_precautions": "",
        "licence": "cc-by-sa-4.0",
        "sessions": 4,
        "session_minutes": 55,
        "with_screen": True,
        "class_levels": ["Collège"],
        "crcn_competences": ["1.3 Traiter des données"],
        "commons": ["MathALÉA"],
        "attachments": [],
    }
    assert diff(second, third) == [
        FieldChange("summary", "résumé", "Des parcours d'automatismes adaptés à chaque élève.", "Expérimentée dans deux classes."),
        FieldChange("class_levels", "niveaux de classe", ["Collège"], ["Collège", "Lycée général et technologique"],
                    added=("Lycée général et technologique",)),
        FieldChange("sessions", "nombre de séances", 4, 5),
    ]
    assert diff(third, third) == []


def test_changes_read_in_french(written, teacher_grenoble):
    services.save_scenario(
        written, {"ai_usage": "teacher_practice", "with_screen": False, "licence": "etalab-2.0", "commons": []},
        acting_user=teacher_grenoble, expected_version=written.version,
    )
    before, after = written.versions.order_by("number")[1:3]
    changes = {change.field: (change.before_text, change.after_text, change.removed) for change in diff(before, after)}
    assert changes == {
        "commons": ("MathALÉA", "—", ("MathALÉA",)),
        "ai_usage": ("aucun", "pratique de l'enseignant", ()),
        "with_screen": ("avec écran", "sans écran", ()),
        "licence": ("Creative Commons BY-SA 4.0", "Licence Ouverte 2.0 (Etalab)", ()),
    }


def test_an_old_version_reads_as_it_was_written(written, teacher_grenoble):
    ClassLevel.objects.filter(code="college").update(name="Collège (cycle 4)")
    assert written.versions.get(number=2).content["class_levels"] == ["Collège"]
    services.save_scenario(written, complete_content(summary="Autre"), acting_user=teacher_grenoble, expected_version=written.version)
    assert [c.field for c in diff(written.versions.get(number=2), written.versions.get(number=3))] == ["summary", "class_levels"]
