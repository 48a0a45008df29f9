"""Pièces jointes of a scenario: the rules of the proposals' attachments (type
sniffed from the content, 20 MB, 5 files, private storage), and part of the
scenario's versions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from productions import attachments
from productions.models import ScenarioAttachment
from tests.candidatures.test_attachments import EXE_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes
from tests.productions.conftest import refused
from traam.audit import history


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_member_joins_files(scenario, colleague_grenoble):
    attachment = attachments.add_attachment(scenario, upload("../fiche élève.pdf", PDF_BYTES), acting_user=colleague_grenoble)
    assert (attachment.original_name, attachment.content_type, attachment.size, attachment.uploaded_by) == (
        "fiche élève.pdf", "application/pdf", len(PDF_BYTES), colleague_grenoble,
    )
    assert attachment.file.name.startswith("productions/") and "élève" not in attachment.file.name
    assert attachment.file.storage.exists(attachment.file.name)
    latest = scenario.versions.order_by("-number").first()
    assert (latest.number, latest.content["attachments"], latest.author) == (2, ["fiche élève.pdf"], colleague_grenoble)
    assert history(scenario).first().comment == "Pièce jointe ajoutée : fiche élève.pdf"


def test_a_disguised_file_is_refused(scenario, teacher_grenoble):
    assert refused(attachments.add_attachment, scenario, upload("sujet.pdf", EXE_BYTES, "application/pdf"), acting_user=teacher_grenoble) == [
        "Ce fichier n'est pas un PDF, ODT, DOCX, PNG ou JPEG : son contenu ne correspond à aucun de ces formats."
    ]
    assert not ScenarioAttachment.objects.exists()


def test_an_oversize_file_is_refused(scenario, teacher_grenoble, monkeypatch):
    monkeypatch.setattr(attachments.proposal_attachments, "MAX_SIZE", 10)
    assert refused(attachments.add_attachment, scenario, upload("grand.pdf", PDF_BYTES), acting_user=teacher_grenoble) == [
        "Le fichier dépasse 20 Mo."
    ]


def test_five_files_at_most(scenario, teacher_grenoble):
    for number in range(5):
        attachments.add_attachment(scenario, upload(f"capture-{number}.png", PNG_BYTES), acting_user=teacher_grenoble)
    assert refused(attachments.add_attachment, scenario, upload("fiche.docx", docx_bytes()), acting_user=teacher_grenoble) == [
        "Une séquence compte au plus 5 pièces jointes."
    ]
    assert scenario.attachments.count() == 5


def test_removing_a_file(scenario, teacher_grenoble, django_capture_on_commit_callbacks):
    attachment = attachments.add_attachment(scenario, upload("fiche.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachments.remove_attachment(attachment, acting_user=teacher_grenoble)
    assert not storage.exists(name)
    assert scenario.versions.order_by("-number").first().content["attachments"] == []


@pytest.mark.parametrize("who", ["teacher_lyon", "inspector_maths_lyon", "dan_grenoble", "pilot"])
def test_others_do_not_join_files(request, scenario, who):
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(scenario, upload("fiche.pdf", PDF_BYTES), acting_user=request.getfixturevalue(who))
    assert not ScenarioAttachment.objects.exists()


def test_files_are_frozen_with_the_content(submitted_scenario, teacher_grenoble):
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(submitted_scenario, upload("fiche.pdf", PDF_BYTES), acting_user=teacher_grenoble)


def test_the_download_is_never_inline(scenario, teacher_grenoble):
    attachment = attachments.add_attachment(scenario, upload("fiche.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    response = attachments.download_response(attachment)
    assert (response["Content-Disposition"], response["X-Content-Type-Options"], response["Cache-Control"]) == (
        'attachment; filename="fiche.pdf"', "nosniff", "private, no-store",
    )
    response.close()
