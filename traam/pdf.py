"""The portal's one PDF renderer: a Django template, rendered to HTML, then to
a tagged PDF (PDF/UA-1) by WeasyPrint.

A PDF template may only use the portal's own files. WeasyPrint asks
:class:`PortalURLFetcher` for every stylesheet, font, image or attachment the
document names; the fetcher serves

- ``data:`` URLs (inline: nothing is read, the DSFR's own CSS uses them),
- static files, by their ``STATIC_URL`` path: found by the staticfiles finders
  or in ``STATIC_ROOT`` (where ``collectstatic`` puts hashed names),
- public media, by their ``MEDIA_URL`` path: read from the ``default`` storage
  (never the ``private`` one, which holds the proposals' attachments),

and refuses everything else (another host, ``file://``, ``ftp:``, a path
climbing out with ``..``) without opening it: WeasyPrint logs the refusal and
leaves the resource out. Relative URLs such as ``/static/...`` resolve against
:data:`PDF_BASE_URL`, a host that cannot exist (``.invalid``, RFC 2606), so
no URL of a PDF ever reaches the network.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


def _page_references(pdf):
    """pydyf 0.13's ``PDF.page_references`` rebuilds the tuple of every page's
    reference at each call, and WeasyPrint's PDF/UA tagging asks for it once
    per tagged element: quadratic in the pages (a third of the writing time of
    a 150-page bilan). The same tuple, kept until a page is added."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_traam_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_traam_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_page_references)

PDF_BASE_URL = "https://traam.invalid/"
# Tagged PDF with the PDF/UA-1 identification (RGAA asks for accessible PDFs).
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A PDF named a resource that is not one of the portal's static or public media files."""


def render_pdf(template_name, context, *, request=None) -> bytes:
    """Render ``template_name`` (usually extending ``pdf/base.html``) with
    ``context`` and return the PDF. The title and language of the PDF come from
    the HTML's ``<title>`` and ``<html lang>``. ``request`` only feeds the
    template's context processors: resources never come from the request's host."""
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document already rendered, its resources fetched by
    :class:`PortalURLFetcher` only."""
    return portal_html(html).write_pdf(pdf_variant=PDF_VARIANT)


def portal_html(html: str) -> HTML:
    """``html`` (a whole document, as the portal's PDF templates render it) as a
    WeasyPrint document whose resources only :class:`PortalURLFetcher` fetches."""
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=PortalURLFetcher())


class PortalURLFetcher(URLFetcher):
    """Serves a PDF's resources from the portal's static files and public media
    only (see the module's docstring). Refusals are logged on ``traam.pdf``."""

    def __init__(self):
        # Only data: URLs reach the parent's opener; the settings say so too,
        # should a later change let another URL through by mistake.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.static_prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
        self.media_prefix = urljoin(PDF_BASE_URL, settings.MEDIA_URL) if settings.MEDIA_URL else None

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            # Decoded in memory by the parent (urllib's DataHandler).
            return super().fetch(url, headers)
        if (name := _name_under(url, self.static_prefix)) is not None:
            if (path := _static_path(name)) is not None:
                return _response(url, name, path.read_bytes())
        elif self.media_prefix and (name := _name_under(url, self.media_prefix)) is not None:
            storage = storages["default"]
            if storage.exists(name):
                with storage.open(name, "rb") as file:
                    return _response(url, name, file.read())
        return self.refuse(url)

    def refuse(self, url):
        shown = url if len(url) <= 200 else f"{url[:200]}…"
        logger.warning("PDF resource refused: %s", shown)
        raise RefusedURL(f"Not a static or public media file of the portal: {shown}")


def _name_under(url: str, prefix: str) -> str | None:
    """The file name ``url`` designates under ``prefix`` (an absolute URL ending
    with ``/``), or None when it is elsewhere or tries to climb out."""
    parts, base = urlsplit(url), urlsplit(prefix)
    if (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return None
    if not parts.path.startswith(base.path):
        return None
    # Query and fragment are dropped: ``font.woff2?v=2``, ``icons.svg#star``.
    name = unquote(parts.path[len(base.path) :])
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if any(segment in {"", ".", ".."} for segment in name.split("/")):
        return None
    return name


def _static_path(name: str) -> Path | None:
    """The file of the static name ``name``: from the finders (the sources, in
    development) or from STATIC_ROOT (collected and hashed, in production)."""
    found = finders.find(name)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        path = Path(safe_join(settings.STATIC_ROOT, name))
        if path.is_file():
            return path
    return None


def _response(url: str, name: str, body: bytes) -> URLFetcherResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
