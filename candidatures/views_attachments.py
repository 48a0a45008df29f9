"""Pièces jointes of a proposal, through HTTP: upload, delete and download.
The checks live in ``attachments`` (services) and ``rules``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import attachments
from .models import Attachment
from .services import ProposalError
from .views import _proposal_for


def _errors(request, error):
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def upload(request, pk):
    proposal = _proposal_for(request, pk, "candidatures.change_proposal")
    uploaded_file = request.FILES.get("file")
    try:
        attachment = attachments.add_attachment(proposal, uploaded_file, acting_user=request.user)
    except ProposalError as error:
        _errors(request, error)
    else:
        messages.success(request, _("La pièce jointe « %(name)s » est ajoutée.") % {"name": attachment.original_name})
    return redirect("candidatures:detail", pk=proposal.pk)


@login_required
@require_POST
def delete(request, pk, att_pk):
    proposal = _proposal_for(request, pk, "candidatures.change_proposal")
    attachment = get_object_or_404(Attachment, pk=att_pk, proposal=proposal)
    attachment.proposal = proposal
    try:
        attachments.remove_attachment(attachment, acting_user=request.user)
    except ProposalError as error:
        _errors(request, error)
    else:
        messages.success(request, _("La pièce jointe « %(name)s » est supprimée.") % {"name": attachment.original_name})
    return redirect("candidatures:detail", pk=proposal.pk)


@login_required
@require_GET
def download(request, pk, att_pk):
    proposal = _proposal_for(request, pk, "candidatures.view_proposal")
    attachment = get_object_or_404(Attachment, pk=att_pk, proposal=proposal)
    return attachments.download_response(attachment)
