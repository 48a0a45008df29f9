"""The scenarios' pages, through HTTP: the scenario with the transitions open
to each person, the edit page (all fields, stale version, bad input), the
transitions allowed and refused, the attachments and the versions compared.
Every page as each role: a member teacher, the piloting inspector, another
inspector of the academy, an inspector of another academy, the academy's
CARDIE representative and DAN, other teachers, a reviewer, the pilot,
anonymous."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions import attachments, services
from productions.enums import ScenarioState
from productions.models import Scenario, ScenarioAttachment
from tests.candidatures.test_attachments import EXE_BYTES, PDF_BYTES, _private_media  # noqa: F401 (fixture)
from tests.factories import make_user
from tests.productions.conftest import complete_content, ids
from tests.utils import text_of
from traam.enums import Role
from traam.models import ClassLevel, CrcnCompetence, DigitalCommon

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"
EDUBASE = "https://edubase.eduscol.education.fr/fiche/12345"

MEMBERS = ["teacher_grenoble", "colleague_grenoble", "cardie_grenoble", "inspector_maths_grenoble"]
READERS = ["other_inspector_grenoble", "other_cardie_grenoble", "dan_grenoble", "pilot"]
HIDDEN_FROM = ["inspector_maths_lyon", "dan_lyon", "teacher_lyon", "other_teacher_grenoble", "reviewer_maths", "stranger"]


@pytest.fixture
def other_teacher_grenoble(grenoble):
    return make_user("autre.prof@example.test", Role.TEACHER, academy=grenoble)


@pytest.fixture
def other_cardie_grenoble(grenoble):
    return make_user("cardie.2@example.test", Role.CARDIE, academy=grenoble)


def url(name, scenario, *args):
    return reverse(f"productions:{name}", args=[scenario.pk, *args])


def reload(scenario):
    return Scenario.objects.get(pk=scenario.pk)


def edit_data(scenario, *, version=None, **values):
    """What the edit page posts, as the browser would send it."""
    data = {
        "version": str(scenario.version if version is None else version),
        "title": "Fractions en 6e : trois parcours",
        "summary": "Des parcours d'automatismes adaptés à chaque élève.",
        "class_levels": [str(pk) for pk in ids(ClassLevel, "college", "lycee-gt")],
        "problem": "Comment différencier sans multiplier les supports ?",
        "disciplinary_competences": "Calculer avec des fractions.",
        "crcn_competences": [str(pk) for pk in ids(CrcnCompetence, "1.3", "3.1")],
        "digital_tools": "MathALÉA, tableur",
        "commons": [str(pk) for pk in ids(DigitalCommon, "mathalea")],
        "ai_usage": "student_learning",
        "ai_tools": "Un assistant d'écriture",
        "ai_precautions": "Comptes pseudonymes, aucune donnée d'élève.",
        "sessions": "4",
        "session_minutes": "50",
        "with_screen": "sans",
        "licence": "cc-by-4.0",
    }
    data.update(values)
    return data


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- URLs ------------------------------------------------------------------------------------------


def test_urls():
    assert reverse("productions:scenario", args=[7]) == "/groupes/sequences/7/"
    assert reverse("productions:scenario_edit", args=[7]) == "/groupes/sequences/7/modifier/"
    assert reverse("productions:scenario_versions", args=[7]) == "/groupes/sequences/7/versions/"
    assert reverse("productions:scenario_mark_tested", args=[7]) == "/groupes/sequences/7/experimentee/"
    assert reverse("productions:scenario_submit", args=[7]) == "/groupes/sequences/7/soumettre/"
    assert reverse("productions:scenario_validate", args=[7]) == "/groupes/sequences/7/valider/"
    assert reverse("productions:scenario_return", args=[7]) == "/groupes/sequences/7/renvoyer/"
    assert reverse("productions:scenario_publish", args=[7]) == "/groupes/sequences/7/publier/"
    assert reverse("productions:scenario_edubase", args=[7]) == "/groupes/sequences/7/edubase/"
    assert reverse("productions:scenario_attachment_upload", args=[7]) == "/groupes/sequences/7/pieces-jointes/"
    assert reverse("productions:scenario_attachment_download", args=[7, 3]) == "/groupes/sequences/7/pieces-jointes/3/"
    assert reverse("productions:scenario_attachment_delete", args=[7, 3]) == "/groupes/sequences/7/pieces-jointes/3/supprimer/"


# --- Who sees what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MEMBERS + READERS)
def test_the_groups_circle_reads_the_scenario(request, client, written, who, other_inspector_grenoble, other_cardie_grenoble):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("scenario", written))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1 and "Fractions en 6e" in page and "brouillon" in page
    assert "Des parcours d'automatismes adaptés à chaque élève." in page and "1.3 Traiter des données" in page
    assert "Creative Commons BY-SA 4.0" in page and "4 séances de 55 minutes (220 minutes en tout)" in page
    assert "Historique" in page and url("scenario_versions", written) in page
    member = who in MEMBERS
    assert (url("scenario_edit", written) in page, "Marquer comme testée en classe" in page) == (member, member)
    assert (url("scenario_attachment_upload", written) in page) == member
    assert client.get(url("scenario_versions", written)).status_code == 200


@pytest.mark.parametrize("who", HIDDEN_FROM)
def test_others_do_not_learn_the_scenario_exists(request, client, written, who, other_teacher_grenoble):
    client.force_login(request.getfixturevalue(who))
    for name in ("scenario", "scenario_edit", "scenario_versions"):
        assert client.get(url(name, written)).status_code == 404, name
    for name in ("scenario_edit", "scenario_mark_tested", "scenario_submit", "scenario_validate", "scenario_return", "scenario_publish"):
        assert client.post(url(name, written), {"comment": "x", "title": "x"}).status_code == 404, name
    assert reload(written).state == ScenarioState.DRAFT


def test_anonymous_people_are_sent_to_the_login_page(client, written):
    for name in ("scenario", "scenario_edit", "scenario_versions"):
        response = client.get(url(name, written))
        assert response.status_code == 302 and response.url.startswith(LOGIN), name
    response = client.post(url("scenario_mark_tested", written))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert reload(written).state == ScenarioState.DRAFT


def test_a_published_scenario_is_readable_but_its_drafts_are_not(client, published_scenario, stranger):
    """Anyone may read a published scenario (the catalogue: its group page sends
    there); its versions and history stay with the group's circle."""
    client.force_login(stranger)
    response = client.get(url("scenario", published_scenario), follow=True)
    assert response.redirect_chain == [(reverse("catalogue:scenario", args=[published_scenario.slug]), 302)]
    page = text_of(response)
    assert "Publiée le" in page and EDUBASE in page
    assert "Historique" not in page and url("scenario_versions", published_scenario) not in page
    assert reverse("productions:group", args=[published_scenario.group_id]) not in page
    assert client.get(url("scenario_versions", published_scenario)).status_code == 403
    assert client.post(url("scenario_edubase", published_scenario), {"edubase_url": ""}).status_code == 403
    assert reload(published_scenario).edubase_url == EDUBASE


def test_the_detail_lists_what_is_missing_before_submitting(client, scenario, teacher_grenoble, inspector_maths_grenoble, dan_grenoble):
    client.force_login(teacher_grenoble)
    page = text_of(client.get(url("scenario", scenario)))
    assert "Avant de soumettre la séquence pour validation" in page and "Rédigez le résumé de la séquence." in page
    # Readers are not told what the group still has to write.
    client.force_login(dan_grenoble)
    assert "Avant de soumettre la séquence" not in text_of(client.get(url("scenario", scenario)))


# --- Editing ------------------------------------------------------------------------------------------


def test_a_member_writes_every_field(client, scenario, colleague_grenoble):
    client.force_login(colleague_grenoble)
    page = text_of(client.get(url("scenario_edit", scenario)))
    for section in ("La séquence", "Compétences, outils et communs", "Intelligence artificielle", "Déroulement et diffusion"):
        assert f"<h2>{section}</h2>" in page
    assert f'name="version" value="{scenario.version}"' in page
    assert '<option value="cc-by-sa-4.0" selected>' in page  # the default licence
    version = scenario.version
    response = client.post(url("scenario_edit", scenario), edit_data(scenario), follow=True)
    assert response.redirect_chain[-1][0] == url("scenario", scenario)
    assert "La séquence est enregistrée." in text_of(response)
    saved = reload(scenario)
    assert (saved.title, saved.sessions, saved.session_minutes, saved.with_screen, saved.licence, saved.ai_usage) == (
        "Fractions en 6e : trois parcours", 4, 50, False, "cc-by-4.0", "student_learning",
    )
    assert sorted(saved.class_levels.values_list("code", flat=True)) == ["college", "lycee-gt"]
    assert sorted(saved.crcn_competences.values_list("code", flat=True)) == ["1.3", "3.1"]
    assert list(saved.commons.values_list("code", flat=True)) == ["mathalea"]
    assert saved.version == version + 1 and saved.versions.count() == 2
    page = text_of(response)
    assert "sans écran" in page and "4 séances de 50 minutes (200 minutes en tout)" in page and "apprentissages des élèves" in page


def test_the_edit_page_shows_what_is_stored(client, written, teacher_grenoble):
    client.force_login(teacher_grenoble)
    page = text_of(client.get(url("scenario_edit", written)))
    assert 'value="Fractions en 6e"' in page
    assert "Comment différencier sans multiplier les supports ?</textarea>" in page
    assert 'name="sessions" value="4"' in page and 'name="session_minutes" value="55"' in page
    assert 'name="with_screen" value="avec" checked' in page and 'name="ai_usage" value="none" checked' in page


def test_a_stale_version_is_refused_and_what_was_typed_is_kept(client, written, teacher_grenoble, colleague_grenoble):
    client.force_login(teacher_grenoble)
    stale = written.version
    # A colleague saved meanwhile.
    services.save_scenario(written, {"title": "Version d'un collègue"}, acting_user=colleague_grenoble, expected_version=stale)
    current = reload(written).version
    response = client.post(url("scenario_edit", written), edit_data(written, version=stale, title="Mon titre tapé", summary="Mon résumé tapé"))
    assert response.status_code == 200
    page = text_of(response)
    assert "La séquence n'a pas été enregistrée" in page
    assert "Cette séquence a été modifiée ailleurs (dans un autre onglet ou par un membre du groupe)" in page
    assert 'value="Mon titre tapé"' in page and "Mon résumé tapé</textarea>" in page
    saved = reload(written)
    assert (saved.title, saved.version) == ("Version d'un collègue", current)


def test_an_altered_version_reads_as_stale(client, written, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_edit", written), edit_data(written, version="abc"))
    assert "a été modifiée ailleurs" in text_of(response)
    assert reload(written).version == written.version


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": ""}, "Indiquez le titre de la séquence."),
        ({"title": "x" * 301}, "Le titre compte 300 caractères au plus."),
        ({"summary": "x" * 20_001}, "Ce texte compte 20000 caractères au plus (actuellement 20001)."),
        ({"sessions": "0"}, "Indiquez un nombre entier de 1 à 60."),
        ({"sessions": "deux"}, "Indiquez un nombre entier de 1 à 60."),
        ({"session_minutes": "500"}, "Indiquez un nombre entier de 10 à 240."),
        ({"session_minutes": ""}, "Indiquez un nombre entier de 10 à 240."),
        ({"licence": "copyright"}, "Choisissez une licence de la liste."),
        ({"with_screen": ""}, "Indiquez si la séquence se déroule avec ou sans écran."),
        ({"ai_usage": "beaucoup"}, "Sélectionnez un choix valide. beaucoup n’en fait pas partie."),
        ({"class_levels": ["999999"]}, "Sélectionnez un choix valide. 999999 n’en fait pas partie."),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_changes(client, written, teacher_grenoble, values, message):
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_edit", written), edit_data(written, **values))
    assert response.status_code == 200
    page = text_of(response)
    assert "Corrigez les champs signalés ci-dessous." in page or "La séquence n'a pas été enregistrée" in page
    field = next(iter(values))
    assert f'id="id_{field}-error"' in page or f'id="id_{field}-error" aria-live' in page
    assert message in page
    saved = reload(written)
    assert (saved.title, saved.version, saved.licence) == ("Fractions en 6e", written.version, "cc-by-sa-4.0")


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "dan_grenoble", "pilot", "other_inspector_grenoble"])
def test_only_members_edit(request, client, written, who, other_inspector_grenoble):
    client.force_login(request.getfixturevalue(who))
    expected = 403 if who != "inspector_maths_grenoble" else 200  # the piloting inspector is a member of the group
    assert client.get(url("scenario_edit", written)).status_code == expected


def test_a_submitted_scenario_is_frozen(client, submitted_scenario, teacher_grenoble):
    client.force_login(teacher_grenoble)
    assert client.get(url("scenario_edit", submitted_scenario)).status_code == 403
    assert client.post(url("scenario_edit", submitted_scenario), edit_data(submitted_scenario)).status_code == 403
    page = text_of(client.get(url("scenario", submitted_scenario)))
    assert url("scenario_edit", submitted_scenario) not in page and "Soumettre pour validation" not in page
    assert reload(submitted_scenario).title == "Fractions en 6e"


def test_html_typed_in_the_content_is_escaped(client, scenario, teacher_grenoble, pilot):
    services.save_scenario(scenario, {"title": SCRIPT, "summary": SCRIPT}, acting_user=teacher_grenoble, expected_version=scenario.version)
    for person in (teacher_grenoble, pilot):
        client.force_login(person)
        for page_url in (
            url("scenario", scenario), url("scenario_edit", scenario) if person == teacher_grenoble else url("scenario", scenario),
            url("scenario_versions", scenario), reverse("productions:group", args=[scenario.group_id]),
        ):
            raw = client.get(page_url).content.decode()
            assert SCRIPT not in raw, page_url
            assert "&lt;script&gt;" in raw, page_url


# --- Transitions ----------------------------------------------------------------------------------------


def test_a_member_marks_the_draft_tested(client, written, colleague_grenoble):
    client.force_login(colleague_grenoble)
    response = client.post(url("scenario_mark_tested", written), follow=True)
    assert response.redirect_chain[-1][0] == url("scenario", written)
    assert "La séquence est marquée comme expérimentée en classe." in text_of(response)
    assert reload(written).state == ScenarioState.TESTED
    # Twice: refused in French, nothing changes.
    again = client.post(url("scenario_mark_tested", written))
    assert again.status_code == 200
    assert "Seul un brouillon peut être marqué comme expérimenté en classe ; cette séquence est « expérimentée en classe »." in text_of(again)


def test_an_incomplete_scenario_is_not_submitted(client, scenario, teacher_grenoble):
    services.mark_tested(scenario, acting_user=teacher_grenoble)
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_submit", scenario))
    assert response.status_code == 200
    page = text_of(response)
    assert "L'action n'a pas été effectuée" in page
    assert "Rédigez le résumé de la séquence." in page and "Choisissez au moins un niveau de classe." in page
    assert reload(scenario).state == ScenarioState.TESTED


def test_a_draft_is_tested_before_it_is_submitted(client, written, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_submit", written))
    assert "Expérimentez d'abord la séquence en classe avant de la soumettre pour validation." in text_of(response)
    assert reload(written).state == ScenarioState.DRAFT


def test_submitting_tells_the_piloting_inspector(client, tested, teacher_grenoble, inspector_maths_grenoble, django_capture_on_commit_callbacks):
    client.force_login(teacher_grenoble)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("scenario_submit", tested), follow=True)
    assert "La séquence est soumise pour validation." in text_of(response)
    assert reload(tested).state == ScenarioState.SUBMITTED
    assert any(inspector_maths_grenoble.email in message.to for message in mail.outbox)


def test_the_piloting_inspector_sees_the_decisions(client, submitted_scenario, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    page = text_of(client.get(url("scenario", submitted_scenario)))
    assert "Validation et publication" in page
    assert url("scenario_validate", submitted_scenario) in page and url("scenario_return", submitted_scenario) in page
    assert url("scenario_publish", submitted_scenario) not in page


@pytest.mark.parametrize("who", ["teacher_grenoble", "other_inspector_grenoble", "dan_grenoble", "pilot", "cardie_grenoble"])
def test_only_the_piloting_inspector_validates_and_returns(request, client, submitted_scenario, who, other_inspector_grenoble):
    client.force_login(request.getfixturevalue(who))
    assert "Validation et publication" not in text_of(client.get(url("scenario", submitted_scenario)))
    assert client.post(url("scenario_validate", submitted_scenario)).status_code == 403
    assert client.post(url("scenario_return", submitted_scenario), {"comment": "Reprenez"}).status_code == 403
    assert reload(submitted_scenario).state == ScenarioState.SUBMITTED


def test_the_piloting_inspector_validates(client, submitted_scenario, inspector_maths_grenoble, teacher_grenoble, django_capture_on_commit_callbacks):
    client.force_login(inspector_maths_grenoble)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("scenario_validate", submitted_scenario), {"comment": "Très clair."}, follow=True)
    assert "La séquence est validée." in text_of(response)
    saved = reload(submitted_scenario)
    assert (saved.state, saved.validated_by) == (ScenarioState.VALIDATED, inspector_maths_grenoble)
    assert any(teacher_grenoble.email in message.to for message in mail.outbox)
    # Twice: refused in French.
    again = text_of(client.post(url("scenario_validate", submitted_scenario)))
    assert "Seule une séquence soumise pour validation peut être validée ; celle-ci est « validée »." in again


def test_returning_needs_a_comment(client, submitted_scenario, inspector_maths_grenoble, teacher_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(url("scenario_return", submitted_scenario), {"comment": "  "})
    assert response.status_code == 200
    page = text_of(response)
    assert "Indiquez au groupe ce qu'il doit reprendre." in page and 'id="return-comment-error"' in page
    assert reload(submitted_scenario).state == ScenarioState.SUBMITTED
    response = client.post(url("scenario_return", submitted_scenario), {"comment": "Ajoutez la fiche élève."}, follow=True)
    assert "La séquence est renvoyée au groupe pour reprise." in text_of(response)
    assert reload(submitted_scenario).state == ScenarioState.RETURNED
    # The group reads why, and may edit and submit again.
    client.force_login(teacher_grenoble)
    page = text_of(client.get(url("scenario", submitted_scenario)))
    assert "À reprendre selon l'inspecteur·rice pilote" in page and "Ajoutez la fiche élève." in page
    assert url("scenario_edit", submitted_scenario) in page and "Soumettre pour validation" in page
    assert "Ajoutez la fiche élève." in text_of(client.get(url("scenario_edit", submitted_scenario)))


def test_publishing_with_a_bad_edubase_address_keeps_what_was_typed(client, validated, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(url("scenario_publish", validated), {"edubase_url": "https://example.org/fiche/1"})
    assert response.status_code == 200
    page = text_of(response)
    assert "L'adresse Édubase doit être celle d'une fiche" in page
    assert 'value="https://example.org/fiche/1"' in page and 'id="publish-edubase_url-error"' in page
    assert reload(validated).state == ScenarioState.VALIDATED


def test_the_piloting_inspector_publishes_with_the_edubase_address(client, validated, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(url("scenario_publish", validated), {"edubase_url": EDUBASE}, follow=True)
    assert "La séquence est publiée" in text_of(response)
    saved = reload(validated)
    assert (saved.state, saved.edubase_url, saved.published_by) == (ScenarioState.PUBLISHED, EDUBASE, inspector_maths_grenoble)
    page = text_of(response)
    assert "Renseigner l'adresse Édubase" in page and f'href="{EDUBASE}"' in page


def test_the_pilot_publishes_without_an_address_then_records_it(client, validated, pilot):
    client.force_login(pilot)
    client.post(url("scenario_publish", validated), {"edubase_url": ""})
    assert (reload(validated).state, reload(validated).edubase_url) == (ScenarioState.PUBLISHED, "")
    response = client.post(url("scenario_edubase", validated), {"edubase_url": EDUBASE}, follow=True)
    assert "L'adresse Édubase de la séquence est enregistrée." in text_of(response)
    assert reload(validated).edubase_url == EDUBASE
    refused = text_of(client.post(url("scenario_edubase", validated), {"edubase_url": "javascript:alert(1)"}))
    assert "L'adresse Édubase doit être celle d'une fiche" in refused
    assert reload(validated).edubase_url == EDUBASE


@pytest.mark.parametrize("who", ["teacher_grenoble", "other_inspector_grenoble", "dan_grenoble"])
def test_others_do_not_publish(request, client, validated, who, other_inspector_grenoble):
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("scenario_publish", validated), {"edubase_url": ""}).status_code == 403
    assert reload(validated).state == ScenarioState.VALIDATED


def test_a_member_does_not_mark_anothers_state(client, submitted_scenario, teacher_grenoble, dan_grenoble):
    """Transitions a role may not make answer 403, those made at the wrong time a French message."""
    client.force_login(dan_grenoble)
    assert client.post(url("scenario_mark_tested", submitted_scenario)).status_code == 403
    assert client.post(url("scenario_submit", submitted_scenario)).status_code == 403
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_publish", submitted_scenario), {"edubase_url": ""})
    assert response.status_code == 403
    assert reload(submitted_scenario).state == ScenarioState.SUBMITTED


def test_transitions_are_post_only(client, written, teacher_grenoble):
    client.force_login(teacher_grenoble)
    for name in ("scenario_mark_tested", "scenario_submit", "scenario_validate", "scenario_return", "scenario_publish", "scenario_edubase"):
        assert client.get(url(name, written)).status_code == 405, name


# --- Attachments -------------------------------------------------------------------------------------------


def test_a_member_joins_downloads_and_removes_a_file(client, scenario, teacher_grenoble, dan_grenoble):
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_attachment_upload", scenario), {"file": upload("fiche élève.pdf", PDF_BYTES)}, follow=True)
    assert "La pièce jointe « fiche élève.pdf » est ajoutée." in text_of(response)
    attachment = ScenarioAttachment.objects.get(scenario=scenario)
    download = url("scenario_attachment_download", scenario, attachment.pk)
    assert download in text_of(response)
    # A reader of the group downloads it too.
    client.force_login(dan_grenoble)
    served = client.get(download)
    assert served.status_code == 200 and served["Content-Disposition"].startswith("attachment;")
    assert b"".join(served.streaming_content) == PDF_BYTES
    assert client.post(url("scenario_attachment_delete", scenario, attachment.pk)).status_code == 403
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_attachment_delete", scenario, attachment.pk), follow=True)
    assert "La pièce jointe « fiche élève.pdf » est supprimée." in text_of(response)
    assert not ScenarioAttachment.objects.exists()


def test_a_renamed_executable_is_refused(client, scenario, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.post(url("scenario_attachment_upload", scenario), {"file": upload("sequence.pdf", EXE_BYTES)}, follow=True)
    assert "Ce fichier n'est pas un PDF, ODT, DOCX, PNG ou JPEG : son contenu ne correspond à aucun de ces formats." in text_of(response)
    assert not ScenarioAttachment.objects.exists()
    missing = client.post(url("scenario_attachment_upload", scenario), {}, follow=True)
    assert "Choisissez le fichier à joindre." in text_of(missing)


def test_attachments_are_hidden_and_frozen_like_the_scenario(client, scenario, teacher_grenoble, stranger, dan_grenoble):
    attachment = attachments.add_attachment(scenario, upload("fiche.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    client.force_login(stranger)
    assert client.get(url("scenario_attachment_download", scenario, attachment.pk)).status_code == 404
    assert client.post(url("scenario_attachment_upload", scenario), {"file": upload("x.pdf", PDF_BYTES)}).status_code == 404
    client.force_login(dan_grenoble)
    assert client.post(url("scenario_attachment_upload", scenario), {"file": upload("x.pdf", PDF_BYTES)}).status_code == 403
    services.save_scenario(scenario, complete_content(), acting_user=teacher_grenoble, expected_version=reload(scenario).version)
    services.mark_tested(scenario, acting_user=teacher_grenoble)
    services.submit_for_validation(scenario, acting_user=teacher_grenoble)
    client.force_login(teacher_grenoble)
    assert client.post(url("scenario_attachment_upload", scenario), {"file": upload("x.pdf", PDF_BYTES)}).status_code == 403
    assert client.post(url("scenario_attachment_delete", scenario, attachment.pk)).status_code == 403
    assert ScenarioAttachment.objects.count() == 1


def test_an_attachment_of_another_scenario_is_not_found(client, scenario, group, teacher_grenoble):
    other = services.create_scenario(group, acting_user=teacher_grenoble, title="Autre")
    attachment = attachments.add_attachment(other, upload("fiche.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    client.force_login(teacher_grenoble)
    assert client.get(url("scenario_attachment_download", scenario, attachment.pk)).status_code == 404
    assert client.post(url("scenario_attachment_delete", scenario, attachment.pk)).status_code == 404


# --- Versions -------------------------------------------------------------------------------------------------


def test_versions_are_compared_side_by_side_by_default(client, written, teacher_grenoble, dan_grenoble):
    services.save_scenario(
        written, {"sessions": 5, "summary": "Résumé repris après la classe."}, acting_user=teacher_grenoble, expected_version=written.version,
    )
    client.force_login(dan_grenoble)
    page = text_of(client.get(url("scenario_versions", written)))
    assert "De la version 2 à la version 3" in page
    assert "côte à côte" in page
    assert "Résumé repris après la classe." in page and "Des parcours d'automatismes adaptés à chaque élève." in page
    assert page.count("modifié</span>") == 2  # the summary and the sessions
    assert "Création" in page  # the first version's note


def test_versions_are_compared_as_a_list_of_changes(client, written, teacher_grenoble):
    services.save_scenario(
        written, {"class_levels": ids(ClassLevel, "college", "lycee-pro"), "sessions": 6}, acting_user=teacher_grenoble,
        expected_version=written.version,
    )
    client.force_login(teacher_grenoble)
    page = text_of(client.get(url("scenario_versions", written), {"a": 1, "b": 3, "vue": "modifications"}))
    assert "De la version 1 à la version 3" in page
    assert "Ajouté : Collège, Lycée professionnel" in page
    assert "Avant :</strong> —" in page and "Après :</strong> 6" in page
    assert "Titre" not in page.split("De la version 1 à la version 3")[1].split("Toutes les versions")[0]  # unchanged fields are left out


def test_an_unknown_version_is_a_french_error(client, written, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.get(url("scenario_versions", written), {"a": 1, "b": 99})
    assert response.status_code == 200
    assert "Choisissez une version de la séquence." in text_of(response)
    same = text_of(client.get(url("scenario_versions", written), {"a": 2, "b": 2}))
    assert "Ces deux versions ont le même contenu." in same


def test_pages_run_a_bounded_number_of_queries(client, written, teacher_grenoble, django_assert_max_num_queries):
    for number in range(15):
        services.save_scenario(written, {"sessions": number + 5}, acting_user=teacher_grenoble, expected_version=reload(written).version)
        attachments.add_attachment(reload(written), upload(f"f{number}.pdf", PDF_BYTES), acting_user=teacher_grenoble) if number < 5 else None
    client.force_login(teacher_grenoble)
    for name, most in (("scenario", 30), ("scenario_edit", 20), ("scenario_versions", 16)):
        with django_assert_max_num_queries(most):
            assert client.get(url(name, written)).status_code == 200
