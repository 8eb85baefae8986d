"""Reading a tagged PDF back: each character with its position, language and structure."""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium


def _utf16(function: Callable[..., int], *arguments: Any) -> str:
    size = function(*arguments, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    function(*arguments, buffer, size)
    return buffer.raw[:size].decode("utf-16-le").rstrip("\x00")


def document_language(document: pypdfium2.PdfDocument) -> str:
    size = pdfium.FPDFCatalog_GetLanguage(document.raw, None, 0)
    buffer = (ctypes.c_ushort * max(size // 2, 1))()
    pdfium.FPDFCatalog_GetLanguage(document.raw, buffer, size)
    return bytes(buffer)[:size].decode("utf-16-le").rstrip("\x00")


@dataclass(frozen=True)
class Marked:
    """What the structure tree says of one marked-content sequence."""

    lang: str
    """The language in force: the nearest /Lang up the tree, else the document's."""
    types: tuple[str, ...]
    """The structure types from the document down to the element holding it."""
    path: tuple[int, ...]
    """The position of each of those elements among its siblings: which element it is."""


def marked_content(page: pypdfium2.PdfPage, default_lang: str) -> dict[int, Marked]:
    """The page's marked-content ids reachable from the structure tree."""
    found: dict[int, Marked] = {}

    def walk(element: Any, lang: str, types: tuple[str, ...], path: tuple[int, ...]) -> None:
        lang = _utf16(pdfium.FPDF_StructElement_GetLang, element) or lang
        types = (*types, _utf16(pdfium.FPDF_StructElement_GetType, element))
        for index in range(pdfium.FPDF_StructElement_GetMarkedContentIdCount(element)):
            found[pdfium.FPDF_StructElement_GetMarkedContentIdAtIndex(element, index)] = Marked(lang, types, path)
        for index in range(pdfium.FPDF_StructElement_CountChildren(element)):
            child = pdfium.FPDF_StructElement_GetChildAtIndex(element, index)
            if child:
                walk(child, lang, types, (*path, index))

    tree = pdfium.FPDF_StructTree_GetForPage(page.raw)
    try:
        for index in range(pdfium.FPDF_StructTree_CountChildren(tree)):
            walk(pdfium.FPDF_StructTree_GetChildAtIndex(tree, index), default_lang, (), (index,))
    finally:
        pdfium.FPDF_StructTree_Close(tree)
    return found


@dataclass(frozen=True)
class Char:
    text: str
    x: float
    """Left edge, in points."""
    right: float
    baseline: float
    size: float
    marked: Marked | None
    """None for what the structure tree does not reach (running header and footer)."""


def chars(page: pypdfium2.PdfPage, default_lang: str) -> Iterator[Char]:
    """The page's text characters in content order, generated spaces and line ends left out.

    Text drawn inside a form XObject (WeasyPrint draws each SVG as one) is left
    out too: the marked-content ids inside it are not the page's, so the
    structure tree would lend it another element's place.
    """
    tagged = marked_content(page, default_lang)
    on_page = set()
    for index in range(pdfium.FPDFPage_CountObjects(page.raw)):
        page_object = pdfium.FPDFPage_GetObject(page.raw, index)
        if pdfium.FPDFPageObj_GetType(page_object) == pdfium.FPDF_PAGEOBJ_TEXT:
            on_page.add(ctypes.cast(page_object, ctypes.c_void_p).value)
    text_page = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    for index in range(text_page.count_chars()):
        code = pdfium.FPDFText_GetUnicode(text_page, index)
        text_object = pdfium.FPDFText_GetTextObject(text_page, index)
        if code in (0xFFFE, 0x0D, 0x0A) or ctypes.cast(text_object, ctypes.c_void_p).value not in on_page:
            continue
        mcid = pdfium.FPDFPageObj_GetMarkedContentID(text_object)
        pdfium.FPDFText_GetCharOrigin(text_page, index, x, y)
        _, _, right, _ = text_page.get_charbox(index)
        size = pdfium.FPDFText_GetFontSize(text_page, index)
        yield Char(chr(code), x.value, right, y.value, size, tagged.get(mcid))
