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
while leaving a hole in the page; both still fail the build here.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pipeline.errors import Diagnostic, UserError

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


def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, allowed_roots: Iterable[Path]) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)
            roots = list(allowed_roots)
            # Real paths decide; the paths as given (the project may sit behind
            # a symlinked folder) only tell a symlink escape from a stray URL.
            self.allowed_roots = [Path(os.path.realpath(root)) for root in roots]
            self.given_roots = [Path(os.path.abspath(root)) for root in roots] + self.allowed_roots
            self.refused: list[RefusedURL] = []

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
                return super().fetch(url, headers)
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
            return URLFetcherResponse(url, _read_regular_file(real, url), _content_type(real))

    return ProjectOnlyFetcher


def _read_regular_file(real: Path, url: str) -> bytes:
    # O_NOFOLLOW and O_NONBLOCK: a symlink or a FIFO swapped in after the
    # real-path check is refused instead of followed or waited on forever.
    try:
        handle = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise RefusedURL(url, "missing asset") from None
    except OSError as exc:
        raise RefusedURL(url, f"cannot read ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise RefusedURL(url, "not a regular file")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(handle)


def _content_type(path: Path) -> dict[str, str]:
    # WeasyPrint accepts a <link rel=stylesheet> only when served as text/css.
    return {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"}


class _RendererErrors(logging.Handler):
    """WeasyPrint logs an unusable resource as an error and leaves a hole in the page."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
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


def write_pdf(html_path: Path, pdf_path: Path, allowed_roots: Iterable[Path], variant: str = "ua") -> None:
    """Render the HTML file at `html_path` (its relative URLs resolve beside it).

    The HTML lives at `<site>/<locale>/<slug>.html`; diagnostics name the PDF
    and the project's files relative to `<site>`, the folder being published.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    site = html_path.absolute().parent.parent
    shown_pdf = _shown_path(pdf_path.absolute(), site)
    fetcher = _fetcher_class()(allowed_roots)
    with _renderer_errors() as renderer_errors:
        try:
            document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, media_type="print")
            document.write_pdf(pdf_path, **PDF_VARIANTS[variant])
        except FatalURLFetchingError:
            pass  # the fetcher recorded why; reported below with every other refusal
    diagnostics: list[Diagnostic] = []
    for refusal in fetcher.refused:
        message = f"PDF refused a resource: {refusal.reason}: {_shown_url(refusal.url, site)}"
        diagnostics.append(Diagnostic(message, "pdf.fetch", shown_pdf))
    if not diagnostics:
        for message in renderer_errors.messages:
            diagnostics.append(Diagnostic(f"PDF renderer: {_shorten(message)}", "pdf.render", shown_pdf))
    if diagnostics:
        pdf_path.unlink(missing_ok=True)
        raise UserError(dict.fromkeys(diagnostics))


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


PDFS_PER_WORKER = 40
"""PDFs a worker renders before it is replaced by a fresh one."""

PdfJob = tuple[Path, Path]
"""(staged HTML file, PDF to write beside it)."""


def _render_job(job: PdfJob, allowed_roots: list[Path], variant: str) -> list[Diagnostic]:
    """One PDF, in a worker process: findings come back as data, not exceptions,
    so they survive the trip between processes intact."""
    try:
        write_pdf(job[0], job[1], allowed_roots, variant)
    except UserError as error:
        return error.diagnostics
    return []


def write_pdfs(
    jobs: list[PdfJob],
    allowed_roots: list[Path],
    variant: str = "ua",
    workers: int = 1,
    done: Callable[[PdfJob], None] | None = None,
) -> None:
    """Render PDFs, several at once across articles (WeasyPrint renders one
    document on one core).

    Results are taken in order and the first PDF that fails stops the rest,
    exactly as a one-worker build would, so the findings do not depend on
    which worker happened to finish first.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            _raise_findings(_render_job(job, allowed_roots, variant))
            if done is not None:
                done(job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: workers start from a clean process, not a fork of this one
    # (which may hold threads, open locks and a large heap).  A fresh pool per
    # batch recycles the workers, so their memory stays flat however many PDFs
    # a corpus has (Python 3.11's max_tasks_per_child can deadlock).
    context = multiprocessing.get_context("forkserver")
    batch = workers * PDFS_PER_WORKER
    for first in range(0, len(jobs), batch):
        chunk = jobs[first : first + batch]
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_render_job, job, allowed_roots, variant) for job in chunk]
            for job, future in zip(chunk, futures, strict=True):
                findings = future.result()
                if findings:
                    # The staging folder is discarded anyway: stop rendering now.
                    pool.shutdown(wait=True, cancel_futures=True)
                    _raise_findings(findings)
                if done is not None:
                    done(job)


def _raise_findings(findings: list[Diagnostic]) -> None:
    if findings:
        raise UserError(dict.fromkeys(findings))
