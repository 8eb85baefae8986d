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
from collections.abc import Iterable, Sequence
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
    rows = (
        [
            record["fact"],
            record["period"] or "",
            record["kind"],
            value_cell(record["value"]),
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
        for record in document["figures"]
    )
    return csv_table(columns(languages), rows)


def csv_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A table as every data file writes it: a header row, each cell made inert, CRLF, UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def read_table(data: bytes) -> list[list[str]]:
    """The rows of a CSV file as written (cells as they stand, a leading apostrophe kept).

    Raises ValueError for bytes that are not a CSV table in UTF-8."""
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix(BOM), newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValueError(str(error)) from None


def value_cell(value: Any) -> str:
    """A number as JSON writes it; a list of countries joined by spaces; coordinates as "lat lon"."""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, dict):
        return f"{json.dumps(value['lat'])} {json.dumps(value['lon'])}"
    return json.dumps(value) if not isinstance(value, str) else value
