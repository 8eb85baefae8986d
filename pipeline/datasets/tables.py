"""The figures document as a CSV table, for spreadsheets.

One row per record of the JSON document, the same fields flattened: one
column per language for the renderings and one for the sentences, several
of either on separate lines within the cell.  RFC 4180: comma-separated,
fields quoted where needed, CRLF line ends; UTF-8 with a byte order mark,
without which spreadsheet programs read "Badan Pusat Statistik" fine but
mangle every accented name.

A cell that a spreadsheet would run as a formula (a sentence a translator
began with "=", "+", "-" or "@") is written with a leading apostrophe, as
OWASP advises against CSV injection; the figure check reads it back the
same way.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def columns(languages: list[str]) -> list[str]:
    return [
        "fact",
        "period",
        "kind",
        "value",
        "unit",
        "currency",
        "qualifier",
        "as_of",
        "source",
        "source_name",
        "source_url",
        *(f"rendering_{language}" for language in languages),
        *(f"sentences_{language}" for language in languages),
    ]


def safe_cell(text: str) -> str:
    """The cell as written: a would-be formula made inert."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def figures_csv(document: dict[str, Any]) -> bytes:
    languages: list[str] = document["languages"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns(languages))
    for record in document["figures"]:
        row = [
            record["fact"],
            record["period"] or "",
            record["kind"],
            _value(record["value"]),
            record["unit"] or "",
            record["currency"] or "",
            record["qualifier"],
            record["as_of"],
            record["source"]["id"],
            record["source"]["name"],
            record["source"]["url"] or "",
            *("\n".join(record["renderings"][language]) for language in languages),
            *("\n".join(record["sentences"][language]) for language in languages),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _value(value: Any) -> str:
    """A number as JSON writes it; a list of countries joined by spaces; coordinates as "lat lon"."""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, dict):
        return f"{json.dumps(value['lat'])} {json.dumps(value['lon'])}"
    return json.dumps(value) if not isinstance(value, str) else value
