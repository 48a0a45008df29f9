"""The portal's PDF renderer (traam/pdf.py): a tagged PDF in Marianne, and a
fetcher that serves the portal's own static and public media files, nothing else."""

import http.server
import logging
import shutil
import subprocess
import threading
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.templatetags.static import static

from tests.conftest import require
from traam.pdf import PDF_BASE_URL, PortalURLFetcher, RefusedURL, render_pdf

SMALL = """{% extends "pdf/base.html" %}
{% block title %}Document d’essai{% endblock %}
{% block cover %}<h1>Document d’essai</h1>{% endblock %}
{% block content %}<p>{{ body }}</p>{{ extra }}{% endblock %}
"""


def poppler(tool, pdf, tmp_path, *options):
    """The text output of a poppler-utils tool (pdfinfo, pdffonts, pdftotext…) on ``pdf``."""
    require(shutil.which(tool), f"{tool} (poppler-utils) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = [tool, *options, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def templates(settings, tmp_path):
    """A template folder of the test's own, searched before the portal's."""
    folder = tmp_path / "templates"
    folder.mkdir()
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
    return folder


@pytest.fixture
def small_pdf(templates):
    (templates / "small.html").write_text(SMALL)
    return render_pdf("small.html", {"body": "Un paragraphe en français.", "extra": ""})


def url_of_static(name):
    return urljoin(PDF_BASE_URL, static(name))


# --- the document -------------------------------------------------------------------


def test_it_renders_a_pdf(small_pdf):
    assert small_pdf.startswith(b"%PDF-1.7")


def test_the_pdf_is_tagged_and_titled_in_french(small_pdf, tmp_path):
    info = poppler("pdfinfo", small_pdf, tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           Document d’essai" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    structure = poppler("pdfinfo", small_pdf, tmp_path, "-struct")
    assert structure.startswith("Document\n")
    assert "H1" in structure


def test_the_text_is_set_in_marianne(small_pdf, tmp_path):
    fonts = poppler("pdffonts", small_pdf, tmp_path)
    embedded = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert "Marianne" in embedded and "Marianne-Bold" in embedded
    # Every glyph comes from Marianne: no fallback font slipped in.
    assert all(name.startswith("Marianne") for name in embedded)


def test_every_page_is_numbered(templates, tmp_path):
    (templates / "long.html").write_text(SMALL)
    pdf = render_pdf("long.html", {"body": "Un paragraphe. " * 1500, "extra": ""})
    pages = int(poppler("pdfinfo", pdf, tmp_path).split("Pages:")[1].split()[0])
    assert pages > 1
    text = poppler("pdftotext", pdf, tmp_path)
    assert [f"Page {number} sur {pages}" in text for number in range(1, pages + 1)] == [True] * pages
    # The title runs above the pages after the first.
    assert text.count("Document d’essai") == pages


# --- the fetcher --------------------------------------------------------------------


def test_it_serves_a_static_stylesheet():
    response = PortalURLFetcher().fetch(url_of_static("pdf/pdf.css"))
    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()


def test_it_serves_the_dsfr_font():
    response = PortalURLFetcher().fetch(url_of_static("dsfr/dist/fonts/Marianne-Regular.woff2"))
    assert response.read(4) == b"wOF2"


def test_it_serves_public_media():
    storage = storages["default"]
    name = storage.save("pdf-tests/logo.txt", ContentFile(b"public"))
    try:
        response = PortalURLFetcher().fetch(urljoin(PDF_BASE_URL, storage.url(name)))
        assert response.read() == b"public"
    finally:
        storage.delete(name)


def test_it_decodes_data_urls_in_memory():
    assert PortalURLFetcher().fetch("data:text/plain;charset=utf-8,bonjour").read() == b"bonjour"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/static/pdf/pdf.css",  # a static path, on another host
        "ftp://example.com/x.png",
        f"{PDF_BASE_URL}static/../../../../etc/passwd",
        f"{PDF_BASE_URL}static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{PDF_BASE_URL}static/pdf/..%2f..%2fsettings.py",
        f"{PDF_BASE_URL}static//etc/passwd",
        f"{PDF_BASE_URL}static/pdf/absent.css",
        f"{PDF_BASE_URL}admin/",
    ],
)
def test_it_refuses_anything_else(url, caplog):
    with pytest.raises(RefusedURL), caplog.at_level(logging.WARNING, logger="traam.pdf"):
        PortalURLFetcher().fetch(url)
    assert caplog.messages == [f"PDF resource refused: {url}"]


def test_it_refuses_a_file_url_even_inside_the_static_files():
    with pytest.raises(RefusedURL):
        PortalURLFetcher().fetch(f"file://{finders.find('pdf/pdf.css')}")


def test_it_never_reads_the_private_storage():
    private = storages["private"]
    name = private.save("pdf-tests/secret.txt", ContentFile(b"secret"))
    try:
        with pytest.raises(RefusedURL):
            PortalURLFetcher().fetch(urljoin(PDF_BASE_URL, settings.MEDIA_URL + name))
    finally:
        private.delete(name)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):  # noqa: N802
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    """A real HTTP server on the loopback: it would see any request a PDF made."""
    RecordingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_template_cannot_pull_in_local_files_or_the_network(templates, listening_server, caplog, tmp_path):
    port = listening_server.server_address[1]
    hostile = (
        '<img src="file:///etc/passwd" alt="">'
        f'<img src="http://127.0.0.1:{port}/x.png" alt="">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        '<a rel="attachment" href="file:///etc/passwd">pièce jointe</a>'
    )
    (templates / "hostile.html").write_text(SMALL.replace("{{ extra }}", hostile))
    with caplog.at_level(logging.WARNING, logger="traam.pdf"):
        pdf = render_pdf("hostile.html", {"body": "Contenu légitime."})

    refused = {record.getMessage() for record in caplog.records if record.name == "traam.pdf"}
    assert refused == {
        "PDF resource refused: file:///etc/passwd",
        f"PDF resource refused: http://127.0.0.1:{port}/x.png",
        f"PDF resource refused: http://127.0.0.1:{port}/style.css",
    }
    assert RecordingHandler.requests == []
    text = poppler("pdftotext", pdf, tmp_path)
    assert "Contenu légitime." in text
    assert "root:" not in text
    assert poppler("pdfdetach", pdf, tmp_path, "-list").strip() == "0 embedded files"
