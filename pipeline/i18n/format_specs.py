"""Placeholders as Python's %-formatting reads them.

Every sentence is formatted with `%` and a mapping of its variables (newstyle
gettext, see render/renderer.py), so every "%" of a translation starts a conversion,
`%(name)[flags][width][.precision][length]type`, and only "%%" is a percent
sign.  The catalog check reads a translation the way Python will: a width
the msgid does not have ("%(killed)50000000s") pads the page with fifty
million spaces, "% s" prints every variable of the sentence, "%d" stops the
build with a TypeError.  So each placeholder of a translation must be
written exactly as the msgid writes it, and a stray "%" is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The grammar of printf-style formatting in Python's documentation, in its
# order: mapping key, conversion flags, minimum width, precision, length
# modifier, conversion type.  A "%" it cannot complete has no `type`.
PLACEHOLDER = re.compile(
    r"%(?:(?P<percent>%)|(?:\((?P<name>[^()]*)\))?(?P<flags>[#0 +-]*)(?P<width>\*|[0-9]+)?"
    r"(?P<precision>\.(?:\*|[0-9]*))?(?P<length>[hlL])?(?P<type>[diouxXeEfFgGcrsa])?)"
)
STRAY = 'Python reads every "%" as the start of a placeholder; write "%%" for a percent sign'
MODIFIERS = (("flags", "a flag"), ("width", "a width"), ("precision", "a precision"), ("length", "a length modifier"))


@dataclass(frozen=True)
class Spec:
    """One conversion as Python reads it; `text` as written, at `start` of its string."""

    text: str
    start: int
    name: str | None
    flags: str
    width: str
    precision: str
    length: str
    type: str | None

    @property
    def named(self) -> bool:
        """A placeholder that formats a variable: "%(deaths)s", "%(deaths)5d"."""
        return self.name is not None and self.type is not None

    @property
    def modifiers(self) -> tuple[str, str, str, str]:
        return (self.flags, self.width, self.precision, self.length)


def specs(text: str) -> list[Spec]:
    """Every conversion of a format string, in order; "%%" (a percent sign) is none."""
    found = []
    start = text.find("%")
    while start != -1:
        match = PLACEHOLDER.match(text, start)
        assert match is not None  # every part after the "%" is optional
        end = match.end()
        if match["type"] is None and not match["percent"]:
            end = min(end + 1, len(text))  # Python stops at this character: show it, and read on after it
        if not match["percent"]:
            found.append(
                Spec(
                    text[start:end], start, match["name"], match["flags"], match["width"] or "",
                    match["precision"] or "", match["length"] or "", match["type"],
                )
            )  # fmt: skip
        start = text.find("%", end)
    return found


def placeholders(text: str) -> list[tuple[str, str]]:
    """The `%(name)s` placeholders of a message, in order, with their type (width and flags aside)."""
    return [(str(spec.name), str(spec.type)) for spec in specs(text) if spec.named]


def without_placeholders(text: str) -> str:
    """The text a reader would see around the placeholders: each a space, "%%" a percent sign."""
    return PLACEHOLDER.sub(lambda match: "%" if match["percent"] else " ", text)


def spec_problems(translated: str, msgids: Iterable[str]) -> list[tuple[int, str]]:
    """What Python would read in a translation other than the msgid's placeholders, with its offset.

    A placeholder whose name the msgid does not have, or of another type, is
    left to the comparison of names and types (`placeholders`).
    """
    wanted: dict[str, list[Spec]] = {}
    for msgid in msgids:
        for spec in specs(msgid):
            if spec.named:
                wanted.setdefault(str(spec.name), []).append(spec)
    problems = []
    for spec in specs(translated):
        if not spec.named:
            shown = spec.text.rstrip() or "%"
            problems.append((spec.start, f'stray "{shown}": {STRAY}'))
        elif spec.name in wanted and all(spec.modifiers != other.modifiers for other in wanted[str(spec.name)]):
            problems.append((spec.start, _difference(spec, wanted[str(spec.name)][0])))
    return problems


def _difference(spec: Spec, msgid_spec: Spec) -> str:
    added = [label for field, label in MODIFIERS if getattr(spec, field) and not getattr(msgid_spec, field)]
    if not added:
        return f"{spec.text} is written differently from the msgid's {msgid_spec.text}"
    listed = added[0] if len(added) == 1 else ", ".join(added[:-1]) + " and " + added[-1]
    return f"{spec.text} has {listed} the msgid's {msgid_spec.text} does not"
