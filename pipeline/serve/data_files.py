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
from pipeline.datasets import (
    chart_file_name,
    chart_tables,
    data_file_names,
    figures_csv,
    figures_document,
    figures_json,
)
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
        json_name, csv_name = data_file_names(slug)
        if name in (json_name, csv_name):
            texts = {e.locale.code: html_text(e.html) for e in article if e.bilingual_with is None}
            document = figures_document(slug, rendered.base, texts)
            return (figures_json(document), JSON_TYPE) if name == json_name else (figures_csv(document), CSV_TYPE)
        page = next((e for e in article if e.folder == folder and e.bilingual_with is None), None)
        if page is not None:
            for chart, table in chart_tables(page.html, rendered.base).items():
                if chart_file_name(slug, chart) == name:
                    return table, CSV_TYPE
    return None
