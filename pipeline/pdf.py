"""HTML to PDF with WeasyPrint, fetching nothing but the project's own files.

WeasyPrint's default fetcher reads any `file://` URL, follows redirects and
fetches http(s).  A briefing must not leak a file of the build machine into a
PDF nor call out to the network because a template, a fact or a translation
names a URL, so the fetcher here serves only regular files under the allowed
folders (real paths, no symlink escape) and `data:` URLs.  Anything else,
and any missing file, stops the render with the URL named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pipeline.errors import UserError

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


def page_margin_css() -> str:
    return " ".join(f"{margin:g}mm" for margin in PAGE_MARGINS_MM)


class RefusedURL(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason


def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class ProjectOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, allowed_roots: Iterable[Path]) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True)
            self.allowed_roots = [Path(os.path.realpath(root)) for root in allowed_roots]
            self.refused: list[RefusedURL] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                return self._fetch(url, headers)
            except RefusedURL as refusal:
                self.refused.append(refusal)
                raise FatalURLFetchingError(str(refusal)) from None

        def _fetch(self, url: str, headers: Any) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise RefusedURL(url, "only the project's own files may be embedded")
            path = Path(unquote(urlsplit(url).path))
            if ".." in path.parts:
                raise RefusedURL(url, "relative path escapes are refused")
            real = Path(os.path.realpath(path))
            if not any(real.is_relative_to(root) for root in self.allowed_roots):
                raise RefusedURL(url, "file outside the project's assets")
            if not real.is_file():
                raise RefusedURL(url, "missing asset")
            return super().fetch(real.as_uri(), headers)

    return ProjectOnlyFetcher


def write_pdf(html_path: Path, pdf_path: Path, allowed_roots: Iterable[Path]) -> None:
    """Render the HTML file at `html_path` (its relative URLs resolve beside it)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher_class()(allowed_roots)
    try:
        document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, media_type="print")
        document.write_pdf(pdf_path, pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:
        refusal = fetcher.refused[-1] if fetcher.refused else None
        message = f"{refusal.reason}: {refusal.url}" if refusal else str(exc)
        raise UserError.single(f"PDF refused a resource: {message}", "pdf.fetch", html_path.name) from None
