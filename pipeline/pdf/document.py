"""HTML to PDF with WeasyPrint, fetching nothing but the project's own files.

WeasyPrint's default fetcher reads any `file://` URL, follows redirects and
fetches http(s), and embeds whatever `rel=attachment` names.  A briefing must
not leak a file of the build machine into a PDF nor call out to the network
because a template, a fact or a translation names a URL, so the fetcher here
serves only regular files under the allowed folders (real paths, no symlink
escape, no `..`) and `data:` URLs.  Anything else, and any missing file,
stops the render with the URL named.

Every resource WeasyPrint loads, stylesheets, `@import`, fonts, images,
SVG content and attachments (`<link rel=attachment>`, `<a rel=attachment>`)
alike, goes through the fetcher, so nothing reaches the PDF that the fetcher
did not serve.  WeasyPrint swallows some failures (an image inside an SVG is
drawn under `except BaseException`), and logs unusable resources as errors
while leaving a hole in the page; both still fail the build here.  A linked
stylesheet parsed for an earlier PDF of the process (stylesheets.py) is
still fetched through each document's fetcher, with what it imports and
every font it declares.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mimetypes
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit

from pipeline.errors import Diagnostic, UserError
from pipeline.pdf.attachments import (
    RefusedFile,
    associate_files,
    make_attachment,
    note_problem,
    read_attachment,
    read_regular_file,
)
from pipeline.pdf.links import describe_links, relative_links
from pipeline.pdf.stylesheets import PROCESS_STYLESHEETS, StylesheetCache
from pipeline.reading import pdf_text

if TYPE_CHECKING:
    from pipeline.pdf.fonts import FontReuse

MM_TO_PT = 72 / 25.4
# The page margins are set here and handed to the stylesheet, so the figure
# check knows where the running header and footer are on every page.
PAGE_MARGINS_MM = (22.0, 20.0, 24.0, 20.0)
PAGE_MARGINS_PT: tuple[float, float, float, float] = (
    PAGE_MARGINS_MM[0] * MM_TO_PT,
    PAGE_MARGINS_MM[1] * MM_TO_PT,
    PAGE_MARGINS_MM[2] * MM_TO_PT,
    PAGE_MARGINS_MM[3] * MM_TO_PT,
)
# Long data: URLs would flood the terminal; the start is enough to find them.
MAX_SHOWN_URL = 160


def page_margin_css() -> str:
    return " ".join(f"{margin:g}mm" for margin in PAGE_MARGINS_MM)


class RefusedURL(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, allowed_roots: Iterable[Path], stylesheets: StylesheetCache | None = None) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)
            self.stylesheets = stylesheets
            """Where a linked stylesheet's parse may come from, still fetched here each time (stylesheets.py)."""
            roots = list(allowed_roots)
            # Real paths decide; the paths as given (the project may sit behind
            # a symlinked folder) only tell a symlink escape from a stray URL.
            self.allowed_roots = [Path(os.path.realpath(root)) for root in roots]
            self.given_roots = [Path(os.path.abspath(root)) for root in roots] + self.allowed_roots
            self.refused: list[RefusedURL] = []
            self.served: list[tuple[str, str]] = []
            """(URL, SHA-256 of the bytes) of every resource served, in order."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                return self._fetch(url, headers)
            except RefusedURL as refusal:
                self.refused.append(refusal)
            except Exception as exc:
                # A malformed data: URL or an unreadable file: still a refusal
                # with the URL named, never a resource silently left out.
                self.refused.append(RefusedURL(url, f"cannot read ({exc})"))
            raise FatalURLFetchingError(str(self.refused[-1]))

        def _fetch(self, url: str, headers: Any) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                response = super().fetch(url, headers)
                try:
                    data = response.read()
                finally:
                    response.close()
                return self._serve(url, data, response.headers, response.url)
            if scheme != "file":
                raise RefusedURL(url, "only the project's own assets and data: URLs may be embedded")
            if parts.netloc not in ("", "localhost"):
                raise RefusedURL(url, "file URLs on another host are refused")
            path = Path(unquote(parts.path))
            if not path.is_absolute():
                raise RefusedURL(url, "relative file URLs are refused")
            if ".." in path.parts:
                raise RefusedURL(url, "'..' in a path is refused")
            real = Path(os.path.realpath(path))
            if not any(real.is_relative_to(root) for root in self.allowed_roots):
                if any(path.is_relative_to(root) for root in self.given_roots):
                    raise RefusedURL(url, "symbolic link leading outside the project's assets")
                raise RefusedURL(url, "file outside the project's assets")
            return self._serve(url, _read_regular_file(real, url), _content_type(real))

        def _serve(self, url: str, data: bytes, headers: Any, served_url: str | None = None) -> Any:
            self.served.append((url, hashlib.sha256(data).hexdigest()))
            return URLFetcherResponse(served_url or url, data, headers)

    return ProjectOnlyFetcher


def _read_regular_file(real: Path, url: str) -> bytes:
    try:
        return read_regular_file(real)
    except FileNotFoundError:
        raise RefusedURL(url, "missing asset") from None
    except RefusedFile as refusal:
        raise RefusedURL(url, refusal.reason) from None


def _content_type(path: Path) -> dict[str, str]:
    # WeasyPrint accepts a <link rel=stylesheet> only when served as text/css.
    return {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"}


# A font-face none of whose sources loads is only a warning to WeasyPrint:
# the briefing would be set in a fallback font without a word said.
_FONT_NOT_LOADED = "Font-face %r cannot be loaded"


class _RendererErrors(logging.Handler):
    """WeasyPrint logs an unusable resource as an error and leaves a hole in the page."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.msg == _FONT_NOT_LOADED:
            self.messages.append(record.getMessage())


@contextmanager
def _renderer_errors() -> Iterator[_RendererErrors]:
    handler = _RendererErrors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


PDF_VARIANTS: dict[str, dict[str, Any]] = {
    # Tagged, accessible PDF: headings, reading order, alt text, language.
    "ua": {"pdf_variant": "pdf/ua-1"},
    # For archives: PDF/A-3b, still tagged.
    "a3b": {"pdf_variant": "pdf/a-3b", "pdf_tags": True},
}


def write_pdf(
    html_path: Path,
    pdf_path: Path,
    allowed_roots: Iterable[Path],
    variant: str = "ua",
    fonts: FontReuse | None = None,
    stylesheets: StylesheetCache | None = PROCESS_STYLESHEETS,
    attachment: Path | None = None,
    note: str = "",
) -> None:
    """Render the HTML file at `html_path` (its relative URLs resolve beside it).

    The HTML lives at `<site>/<locale>/<slug>.html`; diagnostics name the PDF
    and the project's files relative to `<site>`, the folder being published.
    With `fonts`, the font configuration of the previous PDF is reused when
    that leaves this PDF as it would be on its own (see fonts.py).  With
    `stylesheets`, a linked stylesheet already parsed in this process is
    reused when that leaves this PDF as it would be (see stylesheets.py);
    None parses every stylesheet anew.  With `attachment`, that file is embedded
    under its own name, `note` its description (see attachments.py).
    """
    site = html_path.absolute().parent.parent
    shown_pdf = _shown_path(pdf_path.absolute(), site)
    roots = list(allowed_roots)
    embedded = None if attachment is None else embedded_file(attachment, note, site, shown_pdf)
    if fonts is None:
        fetcher, renderer_errors = _render(html_path, pdf_path, roots, variant, None, stylesheets, embedded)
    else:
        shared = fonts.shared()
        fetcher, renderer_errors = _render(html_path, pdf_path, roots, variant, shared, stylesheets, embedded)
        # A refusal does not depend on the fonts: it is reported, not retried.
        if not shared.fits and not fetcher.refused:
            fonts_now = fonts.fresh()
            fetcher, renderer_errors = _render(html_path, pdf_path, roots, variant, fonts_now, stylesheets, embedded)
    diagnostics: list[Diagnostic] = []
    for refusal in fetcher.refused:
        message = f"PDF refused a resource: {refusal.reason}: {_shown_url(refusal.url, site)}"
        diagnostics.append(Diagnostic(message, "pdf.fetch", shown_pdf))
    if not diagnostics:
        for message in renderer_errors:
            diagnostics.append(Diagnostic(f"PDF renderer: {_shorten(message)}", "pdf.render", shown_pdf))
    if diagnostics:
        pdf_path.unlink(missing_ok=True)
        raise UserError(dict.fromkeys(diagnostics))


class Embedded(NamedTuple):
    """A file to embed, read before rendering: a refusal stops the PDF before it is made."""

    name: str
    data: bytes
    note: str


def embedded_file(path: Path, note: str, site: Path, shown_pdf: str) -> Embedded:
    """The file at `path` and its note, or a UserError naming it (relative to `site`) and the PDF."""
    shown = _shown_path(path.absolute(), site)
    problem = note_problem(note)
    if problem is None:
        try:
            return Embedded(path.name, read_attachment(path), note)
        except RefusedFile as refusal:
            problem = refusal.reason
    raise UserError.single(f"PDF refused its attachment {shown}: {problem}", "pdf.attachment", shown_pdf)


def _render(
    html_path: Path,
    pdf_path: Path,
    roots: list[Path],
    variant: str,
    fonts: Any,
    stylesheets: StylesheetCache | None,
    embedded: Embedded | None = None,
) -> tuple[Any, list[str]]:
    """One attempt, with a fetcher and an error log of its own: (the fetcher, errors WeasyPrint logged)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from pipeline.pdf.engine import install
    from pipeline.pdf.fonts import FontsDiffer
    from pipeline.pdf.stylesheets import install as reuse_linked_stylesheets

    install()
    reuse_linked_stylesheets()
    fetcher = _fetcher_class()(roots, stylesheets)
    with _renderer_errors() as renderer_errors:
        try:
            page = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, media_type="print")
            document = page.render(font_config=fonts, **PDF_VARIANTS[variant])
            relative_links(document, html_path)
            attachments = [] if embedded is None else [make_attachment(*embedded, fetcher)]
            links, files = describe_links(page.etree_element), associate_files(attachments)

            def finish(document: Any, pdf: Any) -> None:
                links(document, pdf)
                files(document, pdf)

            document.write_pdf(pdf_path, finisher=finish, attachments=attachments, **PDF_VARIANTS[variant])
        except FatalURLFetchingError:
            pass  # the fetcher recorded why; reported with every other refusal
        except FontsDiffer:
            pass  # the configuration says it does not fit; the caller renders again
    return fetcher, renderer_errors.messages


def _shown_path(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)


def _shown_url(url: str, site: Path) -> str:
    """A URL inside the folder being published as the path the project knows (assets/x.png)."""
    from weasyprint.urls import path2url

    # WeasyPrint builds every file URL from the HTML file's own (path2url), so
    # comparing with its spelling of the site folder keeps "%2e%2e" visible.
    prefix = path2url(str(site) + os.sep)
    if url.startswith(prefix):
        return _shorten(url.removeprefix(prefix))
    return _shorten(url)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_URL else text[: MAX_SHOWN_URL - 3] + "..."


class PdfJob(NamedTuple):
    html: Path
    """The staged HTML file."""
    pdf: Path
    """The PDF to write beside it."""
    text: bool = False
    """Also read the PDF's text back (for the figure check), in the worker that rendered it."""
    attachment: Path | None = None
    """A staged file to embed in the PDF (en/slug.figures.json), under its own name."""
    note: str = ""
    """The attachment's description: one line, the parity certificate."""


Rendered = tuple[list[Diagnostic], list[str] | None]
"""What a job sends back: its findings, and the text of each page when asked for."""

PagesRead = Callable[[PdfJob, list[str]], bool]
"""Given a job's page texts as soon as they arrive; True: taken there, not returned with the others."""


def render_job(job: PdfJob, allowed_roots: list[Path], variant: str, fonts: FontReuse | None) -> Rendered:
    """One PDF: findings come back as data, not exceptions, so they survive
    the trip between processes intact."""
    try:
        write_pdf(job.html, job.pdf, allowed_roots, variant, fonts, attachment=job.attachment, note=job.note)
    except UserError as error:
        return error.diagnostics, None
    return [], pdf_text(job.pdf, PAGE_MARGINS_PT) if job.text else None
