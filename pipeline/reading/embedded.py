"""The files a PDF carries, as a reader's PDF viewer lists them: name, bytes, description."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pypdfium2


def open_pdf(path: Path) -> pypdfium2.PdfDocument:
    """The PDF at `path`, opened with PDFium; a ValueError saying why when PDFium cannot read it
    (a file that is not a PDF, cut short, or encrypted): the file is bad input, not a failure of the check."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise ValueError(str(error).rstrip(".")) from None


def pdf_attachments(path: Path) -> dict[str, tuple[bytes, str]]:
    """Each embedded file of the PDF at `path`: name -> (its bytes, its description).

    Two files of one name cannot be told apart by name: a ValueError, not one
    of them picked.
    """
    import pypdfium2.raw as pdfium

    found: dict[str, tuple[bytes, str]] = {}
    document = open_pdf(path)
    try:
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            name = attachment.get_name()
            if name in found:
                raise ValueError(f"{path.name}: two embedded files named {name!r}")
            # pypdfium2's get_data() fails on an empty file: an empty file is still data.
            size = ctypes.c_ulong()
            if not pdfium.FPDFAttachment_GetFile(attachment.raw, None, 0, ctypes.byref(size)):
                raise ValueError(f"{path.name}: the embedded file {name!r} cannot be read")
            data = bytes(attachment.get_data()) if size.value else b""
            found[name] = (data, attachment.get_desc())
    finally:
        document.close()
    return found
