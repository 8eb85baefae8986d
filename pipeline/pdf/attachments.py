"""A data file carried inside a PDF: the figures an article cites, beside the pages that state them.

The file is one the build staged beside the edition's HTML; it is embedded
under its own name with a one-line note as its description (the parity
certificate).  It is an associated file of the whole document, as PDF/A-3
asks of a file it carries: `/AFRelationship /Data` on its file
specification, which the catalog's `/AF` array lists.  Under PDF/A-3b
WeasyPrint 70 writes both but lists every file twice in `/AF`; under PDF/UA-1
it writes neither.  The finisher here leaves each file listed once under
either variant, so a reader finds the same association in every PDF.

WeasyPrint dates an embedded file by the wall clock (or the file's ctime):
the same inputs would give other bytes at every build.  The finisher gives
each embedded file the document's own dates instead, which come from the
page's `dcterms.created`/`dcterms.modified`, and no date when the page has
none.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024
"""A figures file is a few kilobytes; a staged file this large is a fault, not data to embed."""
RELATIONSHIP = "Data"
"""ISO 32000-2 7.11.3: the file is the data the document's content is drawn from."""
# Any value would do: the finisher replaces it with the document's dates, so no clock is read.
_PLACEHOLDER_DATE = datetime(2000, 1, 1)
# A certificate is one line: a line or paragraph break, a control character or a lone
# surrogate would break it (or the PDF string) apart.  Bidi marks and the like stay.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


class RefusedFile(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path`; FileNotFoundError when there is none.

    O_NOFOLLOW and O_NONBLOCK: a symbolic link or a FIFO, there from the start
    or swapped in after a check, is refused instead of followed or waited on forever.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise RefusedFile("a symbolic link" if os.path.islink(path) else f"cannot read ({exc.strerror})") from None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise RefusedFile("not a regular file")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read() if limit is None else stream.read(limit + 1)
    finally:
        os.close(handle)
    if limit is not None and len(data) > limit:
        raise RefusedFile(f"larger than {limit} bytes")
    return data


def read_attachment(path: Path) -> bytes:
    try:
        return read_regular_file(path, MAX_ATTACHMENT_BYTES)
    except FileNotFoundError:
        raise RefusedFile("missing file") from None


def note_problem(note: str) -> str | None:
    """Why `note` cannot describe an attachment, or None.

    Refused rather than mended: a certificate is compared as written, and a
    line break dropped or replaced here would certify another text.
    """
    for index, char in enumerate(note):
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return f"its note must be one line of text, but has U+{ord(char):04X} at character {index + 1}"
    return None


def make_attachment(name: str, data: bytes, note: str, fetcher: Any) -> Any:
    """A WeasyPrint attachment of `data`, named `name`, its MIME type taken from the name."""
    import io

    from weasyprint import Attachment

    return Attachment(
        file_obj=io.BytesIO(data),
        url_fetcher=fetcher,
        name=name,
        description=note,
        created=_PLACEHOLDER_DATE,
        modified=_PLACEHOLDER_DATE,
        relationship=RELATIONSHIP,
    )


def associate_files(attachments: Iterable[Any]) -> Callable[[Any, Any], None]:
    """A `write_pdf` finisher: every embedded file dated as the document, each of `attachments`
    an associated file of the document, listed once in the catalog's `/AF`."""
    given = list(attachments)

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        # WeasyPrint matches its files to their attachments by checksum too (pdf/pdfa.py).
        relationships = {f"<{item.md5}>": item.relationship for item in given if item.md5}
        info = pdf.info
        created = info.get("CreationDate")
        modified = info.get("ModDate") or created
        associated: list[Any] = list(pdf.catalog.get("AF", ()))
        for pdf_object in pdf.objects:
            if isinstance(pdf_object, pydyf.Stream) and pdf_object.extra.get("Type") == "/EmbeddedFile":
                _date(pdf_object.extra["Params"], created, modified)
            elif isinstance(pdf_object, pydyf.Dictionary) and pdf_object.get("Type") == "/Filespec":
                file = pdf.objects[int(pdf_object["EF"]["F"].split()[0])]
                relationship = relationships.get(file.extra["Params"]["CheckSum"])
                if relationship is not None and "AFRelationship" not in pdf_object:
                    pdf_object["AFRelationship"] = f"/{relationship}"
                if "AFRelationship" in pdf_object:
                    associated.append(pdf_object.reference)
        if associated:
            pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(associated))

    return finish


def _date(params: dict[str, Any], created: Any, modified: Any) -> None:
    for key, value in (("CreationDate", created), ("ModDate", modified)):
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
