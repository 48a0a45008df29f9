"""One run of a bilan, from its claim to its PDF in the storage, reporting
its progress in the database at each step. Called by the Celery task
``bilans.tasks.render_bilan``; safe to call twice for one run (the claim is
conditional, a finished run is left as it is).

The PDF goes through the portal's renderer (``traam.pdf``: its URL fetcher
serves the portal's static files and public media only, and its PDF/UA
variant); the layout and the writing are two calls here so that the run can
report them as two steps and count the pages."""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from traam.pdf import PDF_VARIANT, portal_html

from . import services
from .content import bilan_context
from .models import bilan_upload_to
from .typography import french_html

logger = logging.getLogger(__name__)

TEMPLATE = "bilans/bilan_pdf.html"
# Errors worth another try (the database or the storage was away for a
# moment); anything else is a fault of the document and fails the run.
TRANSIENT_ERRORS = (DatabaseError, OSError)


def render_run(run_id) -> str:
    """Render the run ``run_id`` if it is this worker's to render; return the
    state it ends in (or « skipped » when another claim holds it or it is
    finished). Passing errors put the run back in the queue and are raised
    again for the task to retry."""
    run = services.claim_run(run_id)
    if run is None:
        return "skipped"
    saved = []  # the file's name, once in the storage (removed again if the run does not end well)
    try:
        with translation.override("fr"):
            _render(run, saved)
    except services.LostClaim:
        logger.warning("Bilan run %s was taken back from this worker; its result is dropped.", run_id)
        _delete(saved)
        return "lost"
    except SoftTimeLimitExceeded:
        _delete(saved)
        with translation.override("fr"):
            services.fail_run(run, _("Le rendu a dépassé la durée maximale de %(seconds)s secondes.") % {"seconds": services.SOFT_TIME_LIMIT})
        return "failed"
    except TRANSIENT_ERRORS as error:
        _delete(saved)
        logger.warning("Bilan run %s hit a passing error; it will be retried.", run_id, exc_info=True)
        try:
            with translation.override("fr"):
                services.release_run(run, _describe(error))
        except DatabaseError:
            pass  # the lease will expire and the periodic check will requeue the run
        raise
    except Exception as error:
        _delete(saved)
        logger.exception("Bilan run %s failed.", run_id)
        with translation.override("fr"):
            services.fail_run(run, _("Le rendu du PDF a échoué : %(reason)s") % {"reason": _describe(error)})
        return "failed"
    return "done"


def _render(run, saved):
    services.report_progress(run, 5, _("Rassemblement des séquences publiées"))
    context = bilan_context(run)
    services.report_progress(run, 25, _("Mise en page du document (%(count)s séquences)") % {"count": len(context["scenarios"])})
    html = french_html(render_to_string(TEMPLATE, context))
    document = portal_html(html).render()
    services.report_progress(run, 75, _("Écriture du PDF (%(pages)s pages)") % {"pages": len(document.pages)})
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    services.report_progress(run, 90, _("Enregistrement du fichier"))
    name = default_storage.save(bilan_upload_to(run, "bilan.pdf"), ContentFile(pdf))
    saved.append(name)
    services.complete_run(run, name=name, pages=len(document.pages), size=len(pdf), scenario_count=len(context["scenarios"]))


def _delete(saved):
    for name in saved:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s.", name, exc_info=True)


def _describe(error) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text if len(text) <= 500 else text[:500] + "…"
