"""Pièces jointes of a proposal: the type is recognised from the content (magic
bytes, and the ZIP directory for ODT and DOCX), never from the name; files are
stored in the private storage under a random name."""

import unicodedata
import uuid
import zipfile

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from traam import audit
from traam.enums import AuditAction

from .models import Attachment, Proposal
from .services import ProposalError

MAX_SIZE = 20 * 1024 * 1024
MAX_FILES = 5
MAX_NAME_LENGTH = 200

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# content type → (extension of the stored file, label shown to users)
ALLOWED = {
    PDF: ("pdf", "PDF"),
    ODT: ("odt", "ODT"),
    DOCX: ("docx", "DOCX"),
    PNG: ("png", "PNG"),
    JPEG: ("jpg", "JPEG"),
}


def _read_head(uploaded_file, length=8) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(length)
    uploaded_file.seek(0)
    return head or b""


def _zip_type(uploaded_file):
    """ODT or DOCX when the ZIP's directory says so, else None."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
            if not entries:
                return None
            first = entries[0]
            # The mimetype entry is a few bytes: never decompress a big one.
            if first.filename == "mimetype" and first.file_size <= 100:
                if archive.read(first).strip() == ODT.encode():
                    return ODT
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
    finally:
        uploaded_file.seek(0)
    return None


def sniff_content_type(uploaded_file):
    """The content type recognised from the file's bytes, or None."""
    head = _read_head(uploaded_file)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(uploaded_file)
    return None


# Other spellings of a stored extension that a user's file name may end with.
EXTENSION_SPELLINGS = {"jpg": ("jpg", "jpeg")}


def clean_original_name(name, extension) -> str:
    """The user's file name for display and download only: its basename, without
    control characters, 200 characters at most, ending with the extension of
    what the file really is (« photo.pdf » holding a PNG is offered as
    « photo.pdf.png », « rapport.exe » holding a PDF as « rapport.exe.pdf »)."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.strip().strip(".").strip()
    if not name:
        name = f"piece-jointe.{extension}"
    suffix = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if suffix not in EXTENSION_SPELLINGS.get(extension, (extension,)):
        suffix, name = extension, f"{name}.{extension}"
    stem = name[: len(name) - len(suffix) - 1]
    return f"{stem[: MAX_NAME_LENGTH - len(suffix) - 1]}.{name[len(stem) + 1:]}"


def validate_upload(uploaded_file) -> str:
    """The sniffed content type, or ProposalError with a French message."""
    if uploaded_file is None:
        raise ProposalError(_("Choisissez un fichier à joindre."), code="no_file")
    if uploaded_file.size is None or uploaded_file.size > MAX_SIZE:
        raise ProposalError(_("Le fichier dépasse 20 Mo."), code="too_big")
    content_type = sniff_content_type(uploaded_file)
    if content_type not in ALLOWED:
        raise ProposalError(
            _("Ce fichier n'est pas un PDF, ODT, DOCX, PNG ou JPEG : son contenu ne correspond à aucun de ces formats."),
            code="bad_type",
        )
    return content_type


def type_label(content_type) -> str:
    return ALLOWED.get(content_type, ("", content_type))[1]


def _lock(proposal):
    proposal.refresh_from_db(from_queryset=Proposal.objects.select_for_update())
    return proposal


def _check_may_change(proposal, acting_user):
    if acting_user is None or not acting_user.has_perm("candidatures.change_proposal", proposal):
        raise PermissionDenied


@transaction.atomic
def add_attachment(proposal, uploaded_file, *, acting_user) -> Attachment:
    """Join a file to the proposal (its team, while the proposal is editable)."""
    # Locked before counting: two concurrent uploads cannot make a sixth file.
    _lock(proposal)
    _check_may_change(proposal, acting_user)
    content_type = validate_upload(uploaded_file)
    if proposal.attachments.count() >= MAX_FILES:
        raise ProposalError(_("Une candidature compte au plus 5 pièces jointes."), code="too_many")
    extension = ALLOWED[content_type][0]
    attachment = Attachment(
        proposal=proposal,
        original_name=clean_original_name(uploaded_file.name, extension),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=acting_user,
    )
    uploaded_file.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", uploaded_file, save=False)
    try:
        attachment.save()
        audit.record(
            proposal, actor=acting_user, action=AuditAction.UPDATED,
            comment=_("Pièce jointe ajoutée : %(name)s") % {"name": attachment.original_name},
            attachment=attachment.pk,
        )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, acting_user) -> None:
    """Remove a file from the proposal; the stored file goes once the removal is committed."""
    proposal = _lock(attachment.proposal)
    _check_may_change(proposal, acting_user)
    storage, name, original_name = attachment.file.storage, attachment.file.name, attachment.original_name
    attachment.delete()
    audit.record(
        proposal, actor=acting_user, action=AuditAction.UPDATED,
        comment=_("Pièce jointe supprimée : %(name)s") % {"name": original_name},
    )
    transaction.on_commit(lambda: storage.delete(name))


def download_response(attachment) -> FileResponse:
    """The file as a download under its original name, never rendered inline
    nor kept in a shared cache; 404 when the stored file is missing. The caller
    checks that the person may see the proposal."""
    try:
        stream = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(stream, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
