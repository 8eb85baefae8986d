"""The PDF fetcher: nothing outside the project's assets reaches a PDF, and nothing is fetched from the network.

Every attack is put into a template of the minimal fixture and built with the
CLI in-process.  A listener on 127.0.0.1 counts the requests the renderer
makes; a secret file outside the project is searched for in the text of every
PDF and in its bytes (compressed streams inflated).  The controls at the end
show that the same attacks do reach the network and the secret under
WeasyPrint's default fetcher, so the checks here can fail.
"""

from __future__ import annotations

import base64
import http.server
import json
import re
import shutil
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import weasyprint

from pipeline.errors import UserError
from pipeline.pdf.document import write_pdf
from tests.conftest import ROOT, Project, copy_project, render_with, tree_digest

STORY = "templates/articles/story.html"
BASE = "templates/base.html"
SECRET = "TOPSECRET-8f3a"
# A stylesheet that would print the secret on every page if it were loaded.
SECRET_CSS = f'body::after {{ content: "{SECRET}"; }}\n'
HTTP_REFUSED = "PDF refused a resource: only the project's own assets and data: URLs may be embedded"
PNG_DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


class Listener:
    """A web server on an ephemeral port of 127.0.0.1 that records every request."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body = b"body { color: red; }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(timeout=5)


def quoted(url: str) -> str:
    """The URL as a Jinja string: digits in template text would be refused as typed figures."""
    return '{{ "' + url + '" }}'


def in_head(project: Project, markup: str) -> None:
    project.replace(BASE, "</head>", markup + "\n</head>")


def in_body(project: Project, markup: str) -> None:
    project.replace(STORY, "{% block body %}", "{% block body %}\n" + markup)


def error_lines(stderr: str) -> list[str]:
    """The diagnostics of a build, without its progress lines."""
    return [line for line in stderr.splitlines() if "error: " in line or "Traceback" in line]


def secret_in_pdf(path: Path) -> bool:
    """The secret in the text a reader sees or anywhere in the file, compressed streams included."""
    raw = path.read_bytes()
    chunks = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.DOTALL):
        try:
            chunks.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    document = pdfium.PdfDocument(path)
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
        attachments = [document.get_attachment(index).get_data() for index in range(document.count_attachments())]
    finally:
        document.close()
    return SECRET in text or any(SECRET.encode() in bytes(chunk) for chunk in [*chunks, *attachments])


def every_pdf(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pdf"))


# The network: zero requests, whatever the way in ---------------------------

NETWORK_ATTACKS = {
    "img": lambda url: (in_body, f'<img alt="map" src="{quoted(url)}">'),
    "css-url-in-style": lambda url: (in_head, f"<style>body {{ background: url({quoted(url)}); }}</style>"),
    "link-stylesheet": lambda url: (in_head, f'<link rel="stylesheet" href="{quoted(url)}">'),
    "link-attachment": lambda url: (in_head, f'<link rel="attachment" href="{quoted(url)}">'),
    "a-attachment": lambda url: (in_body, f'<p><a rel="attachment" href="{quoted(url)}">data</a></p>'),
    "import": lambda url: (in_head, f'<style>@import url("{quoted(url)}");</style>'),
    "font-face": lambda url: (
        in_head,
        f"<style>@font-face {{ font-family: Leak; src: url({quoted(url)}); }} body {{ font-family: Leak; }}</style>",
    ),
    "svg-image-in-data-url": lambda url: (
        in_body,
        '<img alt="chart" src="'
        + quoted(
            "data:image/svg+xml;utf8,<svg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22 height=%2210%22>"
            f"<image href=%22{url}%22 width=%2210%22 height=%2210%22/></svg>"
        )
        + '">',
    ),
}


@pytest.mark.parametrize("attack", NETWORK_ATTACKS)
def test_a_template_url_on_the_network_is_never_fetched_and_fails_the_build(
    minimal: Project, listener: Listener, attack: str
) -> None:
    url = listener.url(f"{attack}.png")
    place, markup = NETWORK_ATTACKS[attack](url)
    place(minimal, markup)
    result = minimal.build()
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [f"en/story.pdf: error: {HTTP_REFUSED}: {url} [pdf.fetch]"]
    assert listener.hits == []
    assert not minimal.out.exists()


def test_a_fact_url_becomes_a_link_and_is_never_fetched(minimal: Project, listener: Listener) -> None:
    url = listener.url("source")
    minimal.replace("facts/story.yaml", "url: https://observatory.example.org/", f"url: {url}")
    minimal.replace(BASE, "{{ source.publisher }}.", '<a href="{{ source.url }}">{{ source.publisher }}</a>.')
    result = minimal.build()
    assert result.code == 0, result.err
    assert f'<a href="{url}">Example Observatory</a>' in minimal.read("out/en/story.html")
    assert listener.hits == []


def test_a_translation_cannot_make_the_renderer_fetch(minimal: Project, listener: Listener) -> None:
    url = listener.url("translation.png")
    msgid = "The observatory counted %(deaths)s deaths."
    hostile = f'Lembaga pemantau itu mencatat %(deaths)s kematian. <img alt="x" src="{url}">'
    minimal.replace(
        "locales/id/LC_MESSAGES/messages.po",
        'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."',
        "msgstr " + json.dumps(hostile),
    )
    result = minimal.build()
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [
        f'locales/id/LC_MESSAGES/messages.po:30: error: translation of "{msgid}" carries markup that is never '
        f'published: <img alt="x" src="{url}"> [catalog.markup]'
    ]
    # Past the catalog check, the sanitizer shows the tag as text and the PDF fetches nothing.
    editions, _ = render_with(minimal, {msgid: hostile})
    html = minimal.write("site/id/story.html", editions[1].html)
    shutil.copytree(minimal.path("assets"), minimal.path("site/assets"))
    write_pdf(html, html.with_suffix(".pdf"), allowed_roots=[minimal.path("site/assets")])
    assert "&lt;img" in editions[1].html
    assert listener.hits == []


# Files of the build machine: never in a PDF ---------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.css"
    path.parent.mkdir()
    path.write_text(SECRET_CSS)
    return path


@pytest.fixture
def published(minimal: Project) -> dict[str, str]:
    """The minimal story built once, so every attack below has a previous edition to leave alone."""
    result = minimal.build()
    assert result.code == 0, result.err
    return tree_digest(minimal.out)


def refused(minimal: Project, published: dict[str, str], expected: str) -> None:
    result = minimal.build()
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [expected]
    assert tree_digest(minimal.out) == published
    pdfs = every_pdf(minimal.root.parent)
    assert len(pdfs) == 3  # English, Indonesian and the bilingual edition
    assert [pdf for pdf in pdfs if secret_in_pdf(pdf)] == []


def test_a_file_url_outside_the_project_is_refused(minimal: Project, published: dict[str, str], secret: Path) -> None:
    in_head(minimal, f'<link rel="stylesheet" href="{secret.as_uri()}">')
    refused(
        minimal,
        published,
        f"en/story.pdf: error: PDF refused a resource: file outside the project's assets: {secret.as_uri()} "
        "[pdf.fetch]",
    )


def test_a_file_url_as_an_attachment_is_refused(minimal: Project, published: dict[str, str], secret: Path) -> None:
    in_body(minimal, f'<p><a rel="attachment" href="{secret.as_uri()}">notes</a></p>')
    refused(
        minimal,
        published,
        f"en/story.pdf: error: PDF refused a resource: file outside the project's assets: {secret.as_uri()} "
        "[pdf.fetch]",
    )


def test_a_symlink_in_assets_pointing_outside_is_refused(
    minimal: Project, published: dict[str, str], secret: Path
) -> None:
    minimal.path("assets/leak.css").symlink_to(secret)
    in_head(minimal, '<link rel="stylesheet" href="../assets/leak.css">')
    refused(
        minimal,
        published,
        "en/story.pdf: error: PDF refused a resource: symbolic link leading outside the project's assets: "
        "assets/leak.css [pdf.fetch]",
    )


def test_a_symlink_in_assets_pointing_outside_is_never_published(
    minimal: Project, published: dict[str, str], secret: Path
) -> None:
    # Not in any PDF, but the web site would serve it from out/assets/.
    minimal.path("assets/leak.css").symlink_to(secret)
    refused(
        minimal,
        published,
        "assets/leak.css: error: symbolic link leading outside the published folder; "
        "copy the file into the project instead [publish.symlink]",
    )
    assert not (minimal.out / "assets" / "leak.css").exists()


def test_a_dot_dot_path_is_refused(minimal: Project, published: dict[str, str], secret: Path) -> None:
    # A plain "../.." is resolved by URL joining before the fetcher sees it
    # (and then refused as outside the assets); encoded dots survive joining.
    in_head(minimal, '<link rel="stylesheet" href="../assets/%2e%2e/%2e%2e/outside/secret.css">')
    refused(
        minimal,
        published,
        "en/story.pdf: error: PDF refused a resource: '..' in a path is refused: "
        "assets/%2e%2e/%2e%2e/outside/secret.css [pdf.fetch]",
    )


def test_the_fetcher_refuses_dot_dot_even_when_it_stays_inside(tmp_path: Path) -> None:
    assets = tmp_path / "site" / "assets"
    assets.mkdir(parents=True)
    (assets / "style.css").write_text("body { color: black; }")
    html = tmp_path / "site" / "en" / "story.html"
    html.parent.mkdir()
    url = f"{assets.as_uri()}/../assets/style.css"
    html.write_text(f'<html lang="en"><head><link rel="stylesheet" href="{url}"></head><body>x</body></html>')
    with pytest.raises(UserError) as caught:
        write_pdf(html, html.with_suffix(".pdf"), allowed_roots=[assets])
    assert [str(line) for line in caught.value.diagnostics] == [
        "en/story.pdf: error: PDF refused a resource: '..' in a path is refused: assets/../assets/style.css [pdf.fetch]"
    ]
    assert not html.with_suffix(".pdf").exists()


# Holes: a missing or unusable asset fails the build ------------------------


def test_a_missing_asset_fails_the_build_naming_it(minimal: Project, published: dict[str, str]) -> None:
    in_body(minimal, '<img alt="map" src="../assets/map.png">')
    result = minimal.build()
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [
        "en/story.pdf: error: PDF refused a resource: missing asset: assets/map.png [pdf.fetch]"
    ]
    assert tree_digest(minimal.out) == published


def test_an_unreadable_image_fails_the_build_instead_of_leaving_a_hole(minimal: Project) -> None:
    minimal.write("assets/map.png", "not a PNG")
    in_body(minimal, '<img alt="map" src="../assets/map.png">')
    result = minimal.build()
    assert result.code == 2
    [line] = error_lines(result.err)
    assert line.startswith("en/story.pdf: error: PDF renderer: Failed to load image at ")
    assert line.endswith(" [pdf.render]")
    assert not minimal.out.exists()


def test_a_font_that_cannot_be_loaded_fails_the_build_instead_of_falling_back(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    project.path("assets/fonts/SourceSerif4-Regular.ttf").write_bytes(b"not a font")
    result = project.build("--jobs", "1")
    assert result.code == 2
    assert error_lines(result.err) == [
        "en/brief-mosul.pdf: error: PDF renderer: Font-face 'Briefing Serif' cannot be loaded [pdf.render]"
    ]
    assert not project.out.exists()


def test_an_image_without_alt_text_fails_the_accessible_pdf(minimal: Project) -> None:
    # The briefing is PDF/UA: WeasyPrint reports the missing description as an error, and an error stops the build.
    minimal.path("assets/dot.png").write_bytes(base64.b64decode(PNG_DOT))
    in_body(minimal, '<img src="../assets/dot.png">')
    result = minimal.build()
    assert result.code == 2
    assert error_lines(result.err) == [
        'en/story.pdf: error: PDF renderer: Image "../assets/dot.png" has no required alt description [pdf.render]'
    ]


# What is allowed ---------------------------------------------------------------


def test_data_urls_and_project_assets_are_embedded(minimal: Project) -> None:
    minimal.path("assets/dot.png").write_bytes(base64.b64decode(PNG_DOT))
    in_body(minimal, f'<img alt="dot" src="data:image/png;base64,{PNG_DOT}"> <img alt="dot" src="../assets/dot.png">')
    result = minimal.build()
    assert result.code == 0, result.err
    assert minimal.path("out/en/story.pdf").read_bytes().count(b"/Subtype /Image") >= 1


def embedded_files(path: Path) -> list[bytes]:
    """The contents of the files a PDF embeds (attachment annotations and the document's list alike)."""
    raw = path.read_bytes()
    contents = []
    for match in re.finditer(rb"/Type /EmbeddedFile\b", raw):
        start = raw.index(b"stream", match.end())
        start = raw.index(b"\n", start) + 1
        contents.append(zlib.decompressobj().decompress(raw[start:]))
    return contents


def test_an_attachment_embeds_only_what_the_fetcher_served(minimal: Project) -> None:
    in_body(minimal, '<p><a rel="attachment" href="../assets/style.css">style</a></p>')
    result = minimal.build()
    assert result.code == 0, result.err
    # Beside the figures file every article's PDF carries, only what the fetcher served.
    assert embedded_files(minimal.path("out/en/story.pdf")) == [
        minimal.path("assets/style.css").read_bytes(),
        minimal.path("out/en/story.figures.json").read_bytes(),
    ]


# Controls: without our fetcher, the same attacks work ---------------------


def test_the_default_fetcher_would_call_the_network_and_embed_the_secret(
    tmp_path: Path, listener: Listener, secret: Path
) -> None:
    html = tmp_path / "attack.html"
    html.write_text(
        f'<html lang="en"><head><link rel="stylesheet" href="{listener.url("x.css")}">'
        f'<link rel="stylesheet" href="{secret.as_uri()}"></head>'
        f'<body><p><a rel="attachment" href="{secret.as_uri()}">notes</a></p></body></html>'
    )
    weasyprint.HTML(filename=str(html)).write_pdf(tmp_path / "attack.pdf")
    assert listener.hits == ["/x.css"]
    assert secret_in_pdf(tmp_path / "attack.pdf")


def test_the_secret_detector_sees_an_attachment_alone(tmp_path: Path, secret: Path) -> None:
    # The attachment is stored compressed: only the inflated streams show it.
    html = tmp_path / "attach.html"
    html.write_text(f'<html><body><p><a rel="attachment" href="{secret.as_uri()}">notes</a></p></body></html>')
    weasyprint.HTML(filename=str(html)).write_pdf(tmp_path / "attach.pdf")
    assert SECRET.encode() not in (tmp_path / "attach.pdf").read_bytes()
    assert secret_in_pdf(tmp_path / "attach.pdf")


def test_a_project_reached_through_a_symlinked_folder_still_builds(minimal: Project, tmp_path: Path) -> None:
    # Real paths decide what is inside the assets: a symlink above the project is no escape.
    linked = Project(tmp_path / "linked")
    linked.root.symlink_to(minimal.root, target_is_directory=True)
    result = linked.build()
    assert result.code == 0, result.err
    assert sorted(path.name for path in (minimal.out / "en").iterdir()) == [
        "story.figures.csv",
        "story.figures.json",
        "story.html",
        "story.pdf",
    ]


def link_targets(pdf: Path) -> list[str]:
    """The URI of every link annotation of a PDF."""
    import ctypes

    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    targets = []
    for number in range(len(document)):
        page = document[number]
        position, link = ctypes.c_int(0), raw.FPDF_LINK()
        while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
            action = raw.FPDFLink_GetAction(link)
            if action and raw.FPDFAction_GetType(action) == raw.PDFACTION_URI:
                size = raw.FPDFAction_GetURIPath(document.raw, action, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFAction_GetURIPath(document.raw, action, buffer, size)
                targets.append(buffer.value.decode())
    return targets


def test_links_between_published_pages_are_relative_links_to_their_pdfs(sample_build: Project) -> None:
    entries = ["iraq-syria-crisis", "brief-mosul", "brief-raqqa", "brief-ramadi", "brief-deir-al-zour", "brief-al-qaim"]
    # Each entry links twice: its headline and its "PDF briefing" item.
    assert link_targets(sample_build.out / "en" / "index.pdf") == [f"{slug}.pdf" for slug in entries for _ in (1, 2)]
    # The bilingual index links each entry's headlines and its PDF: all lead to the PDF here.
    assert list(dict.fromkeys(link_targets(sample_build.out / "bilingual" / "index.pdf"))) == [
        f"{slug}.pdf" for slug in entries
    ]


def test_no_pdf_holds_a_file_link_or_a_path_of_the_build_machine(sample_build: Project) -> None:
    pdfs = sorted(sample_build.out.rglob("*.pdf"))
    assert len(pdfs) == 21
    targets = {pdf: link_targets(pdf) for pdf in pdfs}
    assert sum(map(len, targets.values())) > 50  # source links and the index pages' links
    for pdf in pdfs:
        for target in targets[pdf]:
            assert target.startswith("https://") or re.fullmatch(
                r"[a-z0-9-]+\.pdf(#[\w-]+)?|[a-z0-9-]+\.figures\.(csv|json)|(\.\./(en|id)/)?[a-z0-9-]+\.[a-z0-9-]+\.csv",
                target,
            ), (pdf, target)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("file:///site/en/brief-mosul.html", "brief-mosul.pdf"),
        ("file:///site/id/index.html#articles", "../id/index.pdf#articles"),
        ("file:///site/bilingual/brief-mosul.pdf", "../bilingual/brief-mosul.pdf"),
        ("file:///site/assets/data/outline.json", "../assets/data/outline.json"),
        ("file:///site/en/../../etc/passwd", None),
        ("file:///elsewhere/en/brief-mosul.html", None),
        ("file:///site-other/en/x.html", None),
    ],
)
def test_a_site_link_is_made_relative_and_anything_outside_is_dropped(target: str, expected: str | None) -> None:
    from pipeline.pdf.links import site_link

    assert site_link(target, "file:///site/", "en") == expected
