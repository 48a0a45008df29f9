"""Pièces jointes of a proposal: the type is recognised from the content, the
size and the number are bounded, files live in the private storage under a
random name and are served only to those who may see the proposal."""

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidatures import attachments
from candidatures.models import Attachment
from candidatures.services import ProposalError
from tests.utils import text_of
from traam import audit
from traam.enums import AuditAction

LOGIN = "/comptes/login/"

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "rien à voir")
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _private_media(monkeypatch):
    """Remove the files this test stored, then the directories left empty.
    Not a blind ``rmtree`` of PRIVATE_MEDIA_ROOT: another test run (a colleague's,
    or another xdist worker) may be using the same directory at the same time."""
    storage = Attachment._meta.get_field("file").storage
    stored = []
    original_save = storage.save

    def recording_save(name, content, *args, **kwargs):
        saved = original_save(name, content, *args, **kwargs)
        stored.append(saved)
        return saved

    monkeypatch.setattr(storage, "save", recording_save)
    yield
    for name in stored:
        storage.delete(name)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if root.exists():
        for directory in sorted((path for path in root.rglob("*") if path.is_dir()), reverse=True):
            with contextlib.suppress(OSError):
                directory.rmdir()  # only when empty
        with contextlib.suppress(OSError):
            root.rmdir()


@pytest.fixture
def with_file(draft, teacher_grenoble):
    return attachments.add_attachment(draft, upload("Projet MathALÉA.pdf", PDF_BYTES), acting_user=teacher_grenoble)


def upload_url(proposal):
    return reverse("candidatures:attachment_upload", args=[proposal.pk])


def download_url(attachment):
    return reverse("candidatures:attachment_download", args=[attachment.proposal_id, attachment.pk])


def delete_url(attachment):
    return reverse("candidatures:attachment_delete", args=[attachment.proposal_id, attachment.pk])


def detail_url(proposal):
    return reverse("candidatures:detail", args=[proposal.pk])


# --- Recognising the content ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("projet.pdf", PDF_BYTES, attachments.PDF, "pdf"),
        ("schema.png", PNG_BYTES, attachments.PNG, "png"),
        ("photo.jpeg", JPEG_BYTES, attachments.JPEG, "jpg"),
        ("dossier.odt", odt_bytes(), attachments.ODT, "odt"),
        ("dossier.docx", docx_bytes(), attachments.DOCX, "docx"),
    ],
)
def test_each_allowed_type_is_accepted(draft, teacher_grenoble, name, content, content_type, extension):
    attachment = attachments.add_attachment(draft, upload(name, content), acting_user=teacher_grenoble)
    attachment.refresh_from_db()
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.uploaded_by == teacher_grenoble
    assert attachment.file.name.endswith(f".{extension}")
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_the_type_comes_from_the_content_not_the_name(draft, teacher_grenoble):
    attachment = attachments.add_attachment(draft, upload("image.txt", PNG_BYTES), acting_user=teacher_grenoble)
    assert attachment.content_type == attachments.PNG
    assert attachment.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", EXE_BYTES),  # a Windows executable renamed .pdf
        ("dossier.docx", "Ceci est un simple texte.".encode()),
        ("dossier.docx", plain_zip_bytes()),  # a ZIP, but not a DOCX
        ("dossier.odt", b"PK\x03\x04 not really a zip"),
        ("vide.pdf", b""),
    ],
)
def test_other_contents_are_refused_whatever_their_name(draft, teacher_grenoble, name, content):
    with pytest.raises(ProposalError) as error:
        attachments.add_attachment(draft, upload(name, content), acting_user=teacher_grenoble)
    assert error.value.messages == [
        "Ce fichier n'est pas un PDF, ODT, DOCX, PNG ou JPEG : son contenu ne correspond à aucun de ces formats."
    ]
    assert not Attachment.objects.exists()


def test_a_file_over_20_mb_is_refused(draft, teacher_grenoble):
    big = SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (attachments.MAX_SIZE + 1 - 5), content_type="application/pdf")
    assert big.size == 20 * 1024 * 1024 + 1
    with pytest.raises(ProposalError) as error:
        attachments.add_attachment(draft, big, acting_user=teacher_grenoble)
    assert error.value.messages == ["Le fichier dépasse 20 Mo."]
    assert not Attachment.objects.exists()


def test_a_sixth_file_is_refused(draft, teacher_grenoble):
    for number in range(5):
        attachments.add_attachment(draft, upload(f"piece-{number}.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    with pytest.raises(ProposalError) as error:
        attachments.add_attachment(draft, upload("piece-6.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    assert error.value.messages == ["Une candidature compte au plus 5 pièces jointes."]
    assert draft.attachments.count() == 5


# --- Storage ---------------------------------------------------------------------------------


def test_the_stored_path_is_random_and_private(draft, teacher_grenoble):
    attachment = attachments.add_attachment(
        draft, upload("../../etc/Mon projet secret.pdf", PDF_BYTES), acting_user=teacher_grenoble
    )
    assert attachment.original_name == "Mon projet secret.pdf"
    assert "projet" not in attachment.file.name and ".." not in attachment.file.name
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.read_bytes() == PDF_BYTES


def test_the_original_name_is_cleaned(draft, teacher_grenoble):
    name = "C:\\Users\\moi\\bi\x00lan\x1b\u202e" + "x" * 300 + ".pdf"
    attachment = attachments.add_attachment(draft, upload("a.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    cleaned = attachments.clean_original_name(name, "pdf")
    assert cleaned.startswith("bilan") and len(cleaned) == 200
    assert all(ord(char) >= 32 for char in cleaned) and "\u202e" not in cleaned
    assert attachments.clean_original_name("/", "pdf") == "piece-jointe.pdf"
    assert attachment.original_name == "a.pdf"


def test_adding_writes_the_audit_trail(with_file, draft, teacher_grenoble):
    entry = audit.history(draft).first()
    assert entry.action == AuditAction.UPDATED
    assert entry.actor == teacher_grenoble
    assert entry.comment == "Pièce jointe ajoutée : Projet MathALÉA.pdf"


def test_removing_deletes_the_file_after_commit(with_file, teacher_grenoble, django_capture_on_commit_callbacks):
    path = Path(with_file.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        attachments.remove_attachment(with_file, acting_user=teacher_grenoble)
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert audit.history(with_file.proposal).first().comment == "Pièce jointe supprimée : Projet MathALÉA.pdf"


def test_only_the_team_of_an_editable_proposal_may_add_or_remove(
    with_file, draft, inspector_maths_grenoble, teacher_lyon, stranger
):
    for person in (inspector_maths_grenoble, teacher_lyon, stranger):
        with pytest.raises(PermissionDenied):
            attachments.add_attachment(draft, upload("x.pdf", PDF_BYTES), acting_user=person)
        with pytest.raises(PermissionDenied):
            attachments.remove_attachment(with_file, acting_user=person)
    assert draft.attachments.count() == 1


# --- Through HTTP ----------------------------------------------------------------------------


def test_the_lead_uploads_through_the_detail_page(client, draft, teacher_grenoble):
    client.force_login(teacher_grenoble)
    page = text_of(client.get(detail_url(draft)))
    assert "Pièces jointes" in page
    assert 'enctype="multipart/form-data"' in page and f'action="{upload_url(draft)}"' in page
    assert "PDF, ODT, DOCX, PNG ou JPEG, 20 Mo au plus, 5 fichiers au plus." in page
    response = client.post(upload_url(draft), {"file": upload("bilan.odt", odt_bytes())}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(draft)
    page = text_of(response)
    assert "La pièce jointe « bilan.odt » est ajoutée." in page
    attachment = draft.attachments.get()
    assert download_url(attachment) in page and "fr-link--download" in page
    assert delete_url(attachment) in page


def test_a_refused_upload_is_explained_on_the_detail_page(client, draft, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.post(upload_url(draft), {"file": upload("virus.pdf", EXE_BYTES)}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(draft)
    assert "son contenu ne correspond à aucun de ces formats" in text_of(response)
    assert not Attachment.objects.exists()
    response = client.post(upload_url(draft), {}, follow=True)
    assert "Choisissez un fichier à joindre." in text_of(response)


def test_the_upload_form_disappears_at_five_files(client, draft, teacher_grenoble):
    for number in range(5):
        attachments.add_attachment(draft, upload(f"piece-{number}.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    client.force_login(teacher_grenoble)
    page = text_of(client.get(detail_url(draft)))
    assert f'action="{upload_url(draft)}"' not in page
    assert page.count("fr-link--download") == 5


def test_the_lead_deletes_a_file(client, with_file, draft, teacher_grenoble, django_capture_on_commit_callbacks):
    client.force_login(teacher_grenoble)
    path = Path(with_file.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(with_file))
    assert response.status_code == 302 and response.url == detail_url(draft)
    assert not Attachment.objects.exists() and not path.exists()


def test_the_lead_downloads_the_file(client, with_file, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = client.get(download_url(with_file))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Projet%20MathAL%C3%89A.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_academy_inspector_downloads_but_may_not_change(client, with_file, draft, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.get(download_url(with_file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    page = text_of(client.get(detail_url(draft)))
    assert download_url(with_file) in page
    assert f'action="{upload_url(draft)}"' not in page and delete_url(with_file) not in page
    assert client.post(upload_url(draft), {"file": upload("x.pdf", PDF_BYTES)}).status_code == 403
    assert client.post(delete_url(with_file)).status_code == 403
    assert draft.attachments.count() == 1


def test_others_do_not_learn_the_file_exists(client, with_file, draft, teacher_lyon, stranger, inspector_maths_lyon):
    for person in (teacher_lyon, stranger, inspector_maths_lyon):
        client.force_login(person)
        assert client.get(download_url(with_file)).status_code == 404
        assert client.post(upload_url(draft), {"file": upload("x.pdf", PDF_BYTES)}).status_code == 404
        assert client.post(delete_url(with_file)).status_code == 404
    assert draft.attachments.count() == 1


def test_a_file_of_another_proposal_is_not_found(client, with_file, draft, maths_theme, teacher_grenoble, colleague_grenoble):
    from candidatures import services
    from tests.candidatures.conftest import IN_WINDOW

    other = services.start_proposal(maths_theme, acting_user=colleague_grenoble, now=IN_WINDOW)
    client.force_login(colleague_grenoble)
    url = reverse("candidatures:attachment_download", args=[other.pk, with_file.pk])
    assert client.get(url).status_code == 404
    url = reverse("candidatures:attachment_delete", args=[other.pk, with_file.pk])
    assert client.post(url).status_code == 404
    assert Attachment.objects.filter(pk=with_file.pk).exists()


def test_anonymous_people_are_sent_to_the_login_page(client, with_file, draft):
    for response in (
        client.get(download_url(with_file)),
        client.post(upload_url(draft), {"file": upload("x.pdf", PDF_BYTES)}),
        client.post(delete_url(with_file)),
    ):
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert draft.attachments.count() == 1


def test_a_submitted_proposal_is_read_only(client, draft, teacher_grenoble, request):
    attachment = attachments.add_attachment(draft, upload("a.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    submitted = request.getfixturevalue("submitted")
    assert submitted.pk == draft.pk
    client.force_login(teacher_grenoble)
    assert client.post(upload_url(submitted), {"file": upload("x.pdf", PDF_BYTES)}).status_code == 403
    assert client.post(delete_url(attachment)).status_code == 403
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(submitted, upload("x.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    page = text_of(client.get(detail_url(submitted)))
    assert download_url(attachment) in page
    assert f'action="{upload_url(submitted)}"' not in page and delete_url(attachment) not in page
    assert client.get(download_url(attachment)).status_code == 200


def test_downloads_are_get_only_and_changes_post_only(client, with_file, draft, teacher_grenoble):
    client.force_login(teacher_grenoble)
    assert client.post(download_url(with_file)).status_code == 405
    assert client.get(upload_url(draft)).status_code == 405
    assert client.get(delete_url(with_file)).status_code == 405


# --- Concurrency (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.services
def test_two_simultaneous_uploads_cannot_make_a_sixth_file(transactional_db, maths_theme, teacher_grenoble):
    import threading

    from django.db import close_old_connections, connection

    from candidatures import services
    from candidatures.models import Proposal
    from tests.candidatures.conftest import IN_WINDOW

    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL (the CI run sets DATABASE_URL)")
    proposal = services.start_proposal(maths_theme, acting_user=teacher_grenoble, now=IN_WINDOW)
    for number in range(4):
        attachments.add_attachment(proposal, upload(f"piece-{number}.pdf", PDF_BYTES), acting_user=teacher_grenoble)
    barrier = threading.Barrier(2)
    outcomes = []

    def add(number):
        close_old_connections()  # each thread opens its own database connection
        try:
            mine = Proposal.objects.get(pk=proposal.pk)
            barrier.wait(timeout=10)
            attachments.add_attachment(mine, upload(f"course-{number}.pdf", PDF_BYTES), acting_user=teacher_grenoble)
            outcomes.append("added")
        except ProposalError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["added", "refused"]
    assert Attachment.objects.filter(proposal=proposal).count() == 5
