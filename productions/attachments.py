"""Pièces jointes of a scenario, under the rules of the proposals' attachments
(``candidatures.attachments``: the type recognised from the content, 20 MB,
the same formats, private storage under a random name), imported rather than
copied so that both stay the same."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures import attachments as proposal_attachments
from candidatures.services import ProposalError
from traam.enums import AuditAction

from .models import ScenarioAttachment
from .services.base import ProductionError, record
from .services.scenarios import lock_scenario, save_version, touch

MAX_SIZE = proposal_attachments.MAX_SIZE
MAX_FILES = proposal_attachments.MAX_FILES
ALLOWED = proposal_attachments.ALLOWED


def validate_upload(uploaded_file) -> str:
    """The sniffed content type, or ProductionError with the proposals' French message."""
    try:
        return proposal_attachments.validate_upload(uploaded_file)
    except ProposalError as error:
        raise ProductionError(error.messages, code=getattr(error, "code", None)) from error


def _check_may_change(scenario, acting_user):
    if acting_user is None or not acting_user.has_perm("productions.change_scenario", scenario):
        raise PermissionDenied


@transaction.atomic
def add_attachment(scenario, uploaded_file, *, acting_user, now=None) -> ScenarioAttachment:
    """Join a file to the scenario (a member of its group, while it is editable);
    the list of files is part of the scenario's versions."""
    now = now or timezone.now()
    # Locked before counting: two concurrent uploads cannot make one file too many.
    lock_scenario(scenario)
    _check_may_change(scenario, acting_user)
    content_type = validate_upload(uploaded_file)
    if scenario.attachments.count() >= MAX_FILES:
        raise ProductionError(_("Une séquence compte au plus %(count)s pièces jointes.") % {"count": MAX_FILES}, code="too_many")
    extension = ALLOWED[content_type][0]
    attachment = ScenarioAttachment(
        scenario=scenario,
        original_name=proposal_attachments.clean_original_name(uploaded_file.name, extension),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=acting_user,
        uploaded_at=now,
    )
    uploaded_file.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", uploaded_file, save=False)
    try:
        attachment.save()
        touch(scenario, now)
        version = save_version(scenario, author=acting_user, now=now, comment=_("Pièce jointe ajoutée"))
        record(
            scenario, actor=acting_user, now=now, action=AuditAction.UPDATED,
            comment=_("Pièce jointe ajoutée : %(name)s") % {"name": attachment.original_name}, attachment=attachment.pk, version=version.number,
        )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, acting_user, now=None) -> None:
    """Remove a file from the scenario; the stored file goes once the removal is committed."""
    now = now or timezone.now()
    scenario = lock_scenario(attachment.scenario)
    _check_may_change(scenario, acting_user)
    storage, name, original_name = attachment.file.storage, attachment.file.name, attachment.original_name
    attachment.delete()
    touch(scenario, now)
    version = save_version(scenario, author=acting_user, now=now, comment=_("Pièce jointe supprimée"))
    record(
        scenario, actor=acting_user, now=now, action=AuditAction.UPDATED,
        comment=_("Pièce jointe supprimée : %(name)s") % {"name": original_name}, version=version.number,
    )
    transaction.on_commit(lambda: storage.delete(name))


def download_response(attachment):
    """The file as a download (never inline, never cached); the caller checks
    ``productions.view_scenario``."""
    return proposal_attachments.download_response(attachment)
