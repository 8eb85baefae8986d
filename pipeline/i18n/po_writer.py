"""Catalogs written the way GNU gettext writes them, so translators' tools leave them alone.

A save in Poedit, a pass through Weblate or `msgcat`/`msgmerge --previous`
rewrites a .po in GNU's layout; a file already in that layout comes back
byte for byte, and review diffs show translations, not re-wrapping.  What
GNU's write-po.c does, and so do we: strings wrapped as gnu_wrap.py says;
references filled up to column 79; flags `fuzzy` first, and `fuzzy` and the
previous msgid (`#|`) only on an entry that has a translation; header fields
in msgmerge's order; an obsolete entry (`#~`) keeps its translator comments
(as `# ` lines before `#~ msgid`) and flags but no references or extracted
comments, and is left out when it has neither a translation nor a translator
comment (there is nothing of a translator's in it to keep).

One departure: GNU's write-po.c prints nothing of an obsolete entry without
a translation, so msgmerge and msgcat drop such an entry with its translator
comment.  We keep it, in the layout GNU gives a translated one: a catalog
update never drops a translator's work.

The pipeline writes catalogs with this module alone, so it needs no GNU
gettext; the tests hold it to `msgcat` and `msgmerge` where they are installed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from textwrap import TextWrapper

from babel.messages.catalog import Catalog, Message

from pipeline.i18n.gnu_wrap import PAGE_WIDTH, break_opportunities, char_width, line_breaks

# msgmerge writes these header fields first, in this order, then any others as they came.
HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
# Babel's own stamp would change with every Babel release and name a writer that did not write the file.
DROPPED_HEADERS = frozenset({"Generated-By"})
ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
PYTHON_CONVERSIONS = frozenset("diouxXeEfgGcrs%")
# Our own notes are long single lines; xgettext's extracted comments are wrapped like this.
NOTE_WRAPPER = TextWrapper(width=76, break_long_words=False)


def po_text(catalog: Catalog, *, obsolete: bool, previous: bool) -> str:
    """The whole catalog as GNU gettext would write it."""
    entries = [_header(catalog)]
    for message in catalog:
        if message.id:
            entries.append(_entry(catalog, message, "", previous))
    if obsolete:
        entries += [_entry(catalog, message, "#~ ", False) for message in written_obsolete(catalog)]
    return "\n".join(entries)


def written_obsolete(catalog: Catalog) -> list[Message]:
    """The obsolete entries a catalog for translators holds: those with a translation or a translator comment."""
    return [message for message in catalog.obsolete.values() if _strings(catalog, message)[0] or message.user_comments]


def _header(catalog: Catalog) -> str:
    lines = [line if line.startswith("#") else f"# {line}" for line in catalog.header_comment.splitlines()]
    if catalog.fuzzy:
        lines.append("#, fuzzy")
    fields = [(name, value) for name, value in catalog.mime_headers if name not in DROPPED_HEADERS]
    # msgmerge writes the charset's canonical name; so do we, or its first pass would change it.
    fields = [
        (name, value.replace(f"charset={catalog.charset}", f"charset={catalog.charset.upper()}"))
        for name, value in fields
    ]
    known = sorted((field for field in fields if field[0] in HEADER_ORDER), key=lambda f: HEADER_ORDER.index(f[0]))
    value = "".join(f"{name}: {text}\n" for name, text in known + [f for f in fields if f[0] not in HEADER_ORDER])
    lines += wrap_string("msgid", "")
    lines += wrap_string("msgstr", value)
    return "\n".join(lines) + "\n"


def _entry(catalog: Catalog, message: Message, prefix: str, previous: bool) -> str:
    strings = _strings(catalog, message)
    translated = bool(strings[0])
    is_format = "python-format" in message.flags
    lines = [f"#{' ' if comment else ''}{comment}" for comment in message.user_comments]
    if not prefix:
        lines += [f"#. {line}" for comment in message.auto_comments for line in NOTE_WRAPPER.wrap(comment) or [""]]
        lines += _references(message)
    flags = sorted(flag for flag in message.flags if flag != "fuzzy")
    if message.fuzzy and (translated or prefix):
        flags.insert(0, "fuzzy")
    if flags:
        lines.append("#, " + ", ".join(flags))
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    # GNU keeps an obsolete entry's previous msgid whatever its flags; a live one's only while it awaits review.
    if message.previous_id and (prefix or (previous and message.fuzzy and translated)):
        for name, text in zip(("msgid", "msgid_plural"), message.previous_id, strict=False):
            lines += wrap_string(name, text, "#~| " if prefix else "#| ", is_format)
    if message.context is not None:
        lines += wrap_string("msgctxt", message.context, prefix)
    lines += wrap_string("msgid", ids[0], prefix, is_format)
    if len(ids) > 1:
        lines += wrap_string("msgid_plural", ids[1], prefix, is_format)
        for index, text in enumerate(strings):
            lines += wrap_string(f"msgstr[{index}]", text, prefix, is_format)
    else:
        lines += wrap_string("msgstr", strings[0], prefix, is_format)
    return "\n".join(lines) + "\n"


def _strings(catalog: Catalog, message: Message) -> list[str]:
    if not message.pluralizable:
        return [str(message.string or "")]
    given = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
    return [str(given[index] or "") if index < len(given) else "" for index in range(catalog.num_plurals)]


def _references(message: Message) -> list[str]:
    """`#:` lines filled as GNU fills them: a new line only when the next reference would pass column 79."""
    shown: dict[str, None] = {}
    for filename, line in sorted(message.locations, key=lambda place: (place[0], place[1] or -1)):
        shown[f"{filename}:{line}" if line else filename] = None
    lines: list[str] = []
    current = "#:"
    for reference in shown:
        if len(current) > 2 and len(current) + len(reference) + 1 > PAGE_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + reference
    if shown:
        lines.append(current)
    return lines


def wrap_string(name: str, value: str, prefix: str = "", is_format: bool = False) -> list[str]:
    """`name "value"` as GNU's write-po.c wraps it (see gnu_wrap.py), one list item per line."""
    protected = python_directive_insides(value) if is_format else frozenset()
    # Lines after the first start with the quote; the closing quote needs a column too.
    width = PAGE_WIDTH - 1 - (len(prefix) + 1)
    lines: list[str] = []
    first = True
    start = 0
    for portion in _portions(value):
        units, widths, prohibited = _escaped(portion, start, protected)
        start += len(portion)
        possible = [can and not banned for can, banned in zip(break_opportunities(units), prohibited, strict=True)]
        start_column = len(name) + 1 if first else 0
        breaks = line_breaks(widths, possible, width, start_column)
        more_follow = start < len(value)
        if first and units and (more_follow or start_column > width or any(breaks)):
            lines.append(f'{prefix}{name} ""')
            first = False
            breaks = line_breaks(widths, possible, width, 0)
        pieces = _split(units, breaks)
        lines.append(f'{prefix}{name + " " if first else ""}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
        first = False
    return lines


def _portions(value: str) -> Iterator[str]:
    """The string cut after each newline; an empty string is one empty portion."""
    start = 0
    while True:
        end = value.find("\n", start)
        if end < 0 or end == len(value) - 1:
            yield value[start:]
            return
        yield value[start : end + 1]
        start = end + 1


def _escaped(portion: str, start: int, protected: frozenset[int]) -> tuple[list[str], list[int], list[bool]]:
    """The portion as written, one unit per column-taking piece, and where breaking is forbidden."""
    units: list[str] = []
    widths: list[int] = []
    prohibited: list[bool] = []
    for offset, char in enumerate(portion):
        inside_directive = start + offset in protected
        if char in ESCAPES:
            units += ["\\", ESCAPES[char]]
            widths += [1, 1]
            prohibited += [inside_directive, True]
        else:
            units.append(char)
            widths.append(char_width(char))
            prohibited.append(inside_directive)
    if portion.endswith("\n"):
        prohibited[-2] = True  # never break just before the "\n" that ends a line
    return units, widths, prohibited


def _split(units: Sequence[str], breaks: Sequence[bool]) -> list[str]:
    pieces = [""]
    for unit, breaking in zip(units, breaks, strict=True):
        if breaking:
            pieces.append("")
        pieces[-1] += unit
    return pieces


def python_directive_insides(value: str) -> frozenset[int]:
    """Offsets inside a Python %-directive (all but its "%"), as GNU's python-format parser marks them.

    GNU stops at the first invalid directive: it and what follows may be broken anywhere.
    """
    inside: set[int] = set()
    named = unnamed = 0
    index = 0
    while index < len(value):
        if value[index] != "%":
            index += 1
            continue
        begin = index
        index += 1
        name = False
        if index < len(value) and value[index] == "(":
            depth = 0
            index += 1
            while index < len(value) and (value[index] != ")" or depth):
                depth += {"(": 1, ")": -1}.get(value[index], 0)
                index += 1
            if index >= len(value):
                break
            index += 1
            name = True
        while index < len(value) and value[index] in "-+ #0":
            index += 1
        stars = 0
        for part in ("width", "precision"):
            if part == "precision":
                if index >= len(value) or value[index] != ".":
                    break
                index += 1
            if index < len(value) and value[index] == "*":
                stars += 1
                index += 1
            else:
                while index < len(value) and value[index] in "0123456789":
                    index += 1
        if index < len(value) and value[index] in "hlL":
            index += 1
        if (stars and named) or index >= len(value) or value[index] not in PYTHON_CONVERSIONS:
            break
        unnamed += stars
        if name:
            if unnamed:
                break
            named += 1
        elif value[index] != "%":
            if named:
                break
            unnamed += 1
        inside.update(range(begin + 1, index + 1))
        index += 1
    return frozenset(inside)
