"""Links from one published page to another, as a PDF holds them.

WeasyPrint resolves every href against the URL of the HTML file it renders,
so the index's link to a briefing would reach the PDF as
`file:///…/.out.staging-1234/en/brief-mosul.html`: a path of the build
machine, in a folder that is gone once the build is published.  A PDF is read
as a PDF, so a link to another page of the published folder becomes a
relative link to that page's PDF (`brief-mosul.pdf`, `../id/index.pdf`),
which a viewer resolves beside the PDF itself; any other file link is
dropped rather than leak a local path.  Links to the web and within the
document are kept as they are.

WeasyPrint describes every link annotation by its target (`/Contents`
"source-bbc_news", or a bare URL): a screen reader then reads out an
address.  The links are described as the page describes them instead: the
`<a>`'s `title`, else its `aria-label`, else its text.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

PAGE_SUFFIX = ".html"
PDF_SUFFIX = ".pdf"


def relative_links(document: Any, html_path: Path) -> None:
    """Rewrite the file links of a rendered WeasyPrint document in place."""
    from weasyprint.urls import path2url

    here = html_path.absolute().parent
    site = here.parent
    site_url = path2url(str(site) + os.sep)
    for page in document.pages:
        kept = []
        for link in page.links:
            link_type, target = link[0], link[1]
            if link_type == "external" and urlsplit(target).scheme.lower() == "file":
                relative = site_link(target, site_url, here.relative_to(site).as_posix())
                if relative is None:
                    continue
                link = (link_type, relative, *link[2:])
            kept.append(link)
        page.links[:] = kept


def site_link(target: str, site_url: str, folder: str) -> str | None:
    """`target` relative to `folder` of the published site, pages as their PDFs; None outside the site."""
    if not target.startswith(site_url):
        return None
    parts = urlsplit(target[len(site_url) :])
    path = posixpath.normpath(unquote(parts.path))
    if path.startswith("../") or path == ".." or posixpath.isabs(path):
        return None
    if path.endswith(PAGE_SUFFIX):
        path = path.removesuffix(PAGE_SUFFIX) + PDF_SUFFIX
    relative = quote(posixpath.relpath(path, folder))
    return relative + (f"#{parts.fragment}" if parts.fragment else "")


def describe_links(root: Any) -> Callable[[Any, Any], None]:
    """A `write_pdf` finisher giving each link annotation the description of its `<a>` in the tree `root`."""
    described: dict[int, str] = {}
    for anchor in root.iter("a"):
        description = _description(anchor)
        if description:
            # A box inside the link (a column of the bilingual edition) is the link's too.
            for element in anchor.iter():
                described[id(element)] = description

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        for page in document.pages:
            for link in page.links:
                box = link[3]
                annotation = getattr(box, "link_annotation", None)
                description = described.get(id(getattr(box, "element", None)))
                if annotation is not None and description:
                    annotation["Contents"] = pydyf.String(description)

    return finish


def _description(anchor: Any) -> str:
    for attribute in ("title", "aria-label"):
        value = " ".join((anchor.get(attribute) or "").split())
        if value:
            return value
    return " ".join("".join(anchor.itertext()).split())
