"""The figures-as-data files in the live preview, made from the pages it previews.

Every page links its article's `<slug>.figures.csv` and `.figures.json`, and
every chart its table; a preview answering those links with "not found"
would leave an editor unable to look at what readers will download.  They
are made as the build makes them (the datasets stage), from the same
in-memory editions the preview shows, draft stand-ins included, and never
written anywhere.
"""

from __future__ import annotations

from pipeline.build import Rendered
from pipeline.datasets import article_files, data_file_names
from pipeline.reading import html_text

JSON_TYPE = "application/json"
CSV_TYPE = "text/csv"


def data_file(rendered: Rendered, folder: str, name: str) -> tuple[bytes, str] | None:
    """The file `folder/name` as the build would write it, with its media type; None: no such file."""
    editions = [edition for edition in rendered.editions if name.startswith(edition.slug + ".")]
    for slug in sorted({edition.slug for edition in editions}, key=len, reverse=True):
        article = [edition for edition in editions if edition.slug == slug]
        if folder not in {edition.folder for edition in article}:
            continue
        texts = {e.locale.code: html_text(e.html) for e in article if e.bilingual_with is None}
        pages = {e.folder: e.html for e in article if e.bilingual_with is None}
        files = article_files(slug, rendered.base, texts, pages)
        # The figures files are the same in every folder; a chart table is its folder's own.
        found = files.get(name) if name in data_file_names(slug) else files.get(f"{folder}/{name}")
        if found is not None:
            return found, JSON_TYPE if name.endswith(".json") else CSV_TYPE
    return None
