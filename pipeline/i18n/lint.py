"""What translators get wrong, caught before a build.

Each finding names `messages.po:LINE` (of a translation's mistake, the line
of its `msgstr`, or of the piece of it that holds the mistake), the msgid
and what is wrong:
- a broken catalog (see pofile.py), a header that does not fit the locale,
  a Plural-Forms header GNU gettext would not read or that chooses a form
  the catalog lacks (pipeline.i18n.plural_forms; such a catalog is read no
  further, so nothing else ever sees the expression);
- a placeholder missing, added, renamed or of another type than the msgid's,
  or written with a flag, width or precision the msgid's does not have, and a
  stray "%" (pipeline.i18n.format_specs);
- a figure typed into a translation, or figures that differ from the msgid's,
  look-alike digits ("９０.０００") included (pipeline.language.lookalikes);
- a bidi control, an invisible or a control character, and a number
  character that is no digit ("²", "½"), named with the line that holds it;
- a note marker ("[3]") typed into a translation: it would forge a citation;
- markup the msgid does not have, or beyond the inline allow-list;
- untranslated and fuzzy entries, at the line of their msgstr, with the next
  step: one verdict, an error, for `i18n lint`, `i18n compile` and a build
  alike (a fuzzy translation may carry outdated figures and is never
  published); only a draft build, the preview, takes them as warnings and
  shows the source text instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from unicodedata import category

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError

from pipeline.config import LocaleConfig
from pipeline.errors import Diagnostic, UserError
from pipeline.i18n.format_specs import PLACEHOLDER as PLACEHOLDER
from pipeline.i18n.format_specs import placeholders as placeholders
from pipeline.i18n.format_specs import spec_problems, without_placeholders
from pipeline.i18n.markup import allowed_tags, disallowed_markup
from pipeline.i18n.plural_forms import PluralFormsError, check_values, parse_plural_forms, plural_forms_lines
from pipeline.i18n.pofile import Places, quote, read_po_keeping_previous, scan_po
from pipeline.language import as_read, character_name, hidden_characters, number_characters
from pipeline.reading import extract_figures

# What a reader takes for a source note ("[3]"): the figure check reads these
# as citations, so a translation may not type one.
NOTE_LIKE = re.compile(r"\[\s*\d+\s*\]")
DRAFT_HINT = "or preview with pipeline build --draft"


def singular_id(message: Message) -> str:
    """The msgid of a message; of a plural message, its singular."""
    return str(message.id if isinstance(message.id, str) else message.id[0])


def message_label(message: Message, width: int = 60) -> str:
    """A message as findings quote it: its msgid (singular), on one line, shortened."""
    return quote(singular_id(message), width)


@dataclass
class LintResult:
    catalog: Catalog | None
    findings: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [finding for finding in self.findings if finding.severity == "error"]


def lint_catalog(
    raw: bytes, shown: str, locale: LocaleConfig, source_language: str, incomplete_is_error: bool
) -> LintResult:
    syntax, places = scan_po(raw, shown)
    if syntax:
        return LintResult(None, syntax)
    plural_problems, header_nplurals = _plural_forms_findings(places, shown)
    if plural_problems:
        return LintResult(None, plural_problems)
    try:
        catalog = read_po_keeping_previous(raw, locale.babel_name)
    except (PoFileError, ValueError) as exc:
        return LintResult(None, [Diagnostic(f"broken catalog: {exc}", "catalog.syntax", shown)])
    findings = _header_findings(catalog, shown, locale, header_nplurals)
    incomplete = "error" if incomplete_is_error else "warning"
    for message in catalog:
        if not message.id:
            continue
        label = message_label(message)
        strings = _strings(message)
        if message.fuzzy or not all(strings):
            findings.append(incomplete_finding(message, strings, shown, places, incomplete))
            continue
        findings.extend(_hidden_findings(message, strings, label, shown, places))
        findings.extend(_message_findings(message, strings, label, shown, locale, source_language, places))
    # An entry's findings on its msgstr lines come after those on its first line.
    return LintResult(catalog, sorted(findings, key=lambda finding: finding.line or 0))


def incomplete_finding(message: Message, strings: list[str], shown: str, places: Places, severity: str) -> Diagnostic:
    """A fuzzy or untranslated entry, as every command reports it: at its (first empty) msgstr, with what to do."""
    label = message_label(message)
    index = 0 if message.fuzzy else next(index for index, text in enumerate(strings) if not text)
    line = places.msgstr_line((message.context, singular_id(message)), index) or message.lineno
    if message.fuzzy:
        text = f"fuzzy translation of {label} is not published; translate it and remove the fuzzy flag, {DRAFT_HINT}"
        return Diagnostic(text, "catalog.fuzzy", shown, line, severity)
    return Diagnostic(
        f"untranslated: {label} is not published; translate it, {DRAFT_HINT}",
        "catalog.untranslated",
        shown,
        line,
        severity,
    )


def _plural_forms_findings(places: Places, shown: str) -> tuple[list[Diagnostic], tuple[int, int] | None]:
    """What is wrong with the Plural-Forms header, at its line; else its nplurals and line.

    Checked on the header's text before Babel reads the catalog, and before
    anything turns the expression into code.
    """
    header = places.header
    lines = plural_forms_lines(header or "")
    if header is None or not lines:
        return [], None

    def at(offset: int) -> int:
        return places.line((None, ""), 0, offset) or 1

    if len(lines) > 1:
        message = "Plural-Forms is given twice; gettext tools disagree on which one counts"
        return [Diagnostic(message, "catalog.header", shown, at(lines[1][0]))], None
    offset, end, value = lines[0]
    try:
        forms = parse_plural_forms(value)
        # GNU gettext takes the first "plural=" and "nplurals=" anywhere in the header.
        for needle in ("nplurals=", "plural="):
            if not offset <= header.find(needle) < end:
                raise PluralFormsError(
                    f'Plural-Forms: the header has "{needle}" before Plural-Forms; GNU gettext would read that one'
                )
        check_values(forms)
    except PluralFormsError as exc:
        return [Diagnostic(str(exc), "catalog.header", shown, at(offset))], None
    return [], (forms.nplurals, at(offset))


def _header_findings(
    catalog: Catalog, shown: str, locale: LocaleConfig, header_nplurals: tuple[int, int] | None
) -> list[Diagnostic]:
    findings = []
    # CLDR lists the plural categories besides the implicit "other".
    expected_plurals = len(set(locale.babel.plural_form.tags) | {"other"})
    nplurals, line = header_nplurals or (catalog.num_plurals, 1)
    if nplurals != expected_plurals:
        findings.append(
            Diagnostic(
                f"Plural-Forms says nplurals={nplurals}, locale {locale.code} has {expected_plurals}",
                "catalog.header",
                shown,
                line,
            )
        )
    if catalog.locale is None or catalog.locale.language != locale.language:
        findings.append(Diagnostic(f"Language header should be {locale.code!r}", "catalog.header", shown, 1))
    return findings


def _hidden_findings(message: Message, strings: list[str], label: str, shown: str, places: Places) -> list[Diagnostic]:
    """What a reader cannot see, or cannot read as the figure check does, each with the line that holds it."""
    key = (message.context, singular_id(message))
    ids = [str(message.id)] if not message.pluralizable else [str(part) for part in message.id]
    findings = []
    for index, translated in enumerate(strings):
        for hidden in hidden_characters(translated):
            line = places.line(key, index, hidden.index) or message.lineno
            findings.append(
                Diagnostic(f"translation of {label} contains {hidden.describe()}", hidden.code, shown, line)
            )
        for char in number_characters(translated):
            if not any(char in msgid for msgid in ids):
                line = places.line(key, index, translated.index(char)) or message.lineno
                what = f"{character_name(char)}, a numeral the figure check does not read ({category(char)})"
                findings.append(Diagnostic(f"translation of {label} contains {what}", "catalog.lookalike", shown, line))
        typed_markers = Counter(NOTE_LIKE.findall(as_read(translated))) - Counter(NOTE_LIKE.findall(as_read(ids[-1])))
        for match in NOTE_LIKE.finditer(as_read(translated)):
            if typed_markers[match.group()] > 0:
                typed_markers[match.group()] -= 1
                line = places.line(key, index, match.start()) or message.lineno
                shown_marker = translated[match.start() : match.end()]
                what = f'types a note marker "{shown_marker}"; note markers come only with the figures they cite'
                findings.append(Diagnostic(f"translation of {label} {what}", "catalog.note-marker", shown, line))
    return findings


def _message_findings(
    message: Message,
    strings: list[str],
    label: str,
    shown: str,
    locale: LocaleConfig,
    source_language: str,
    places: Places,
) -> list[Diagnostic]:
    ids = [str(message.id)] if not message.pluralizable else [str(part) for part in message.id]
    findings: list[Diagnostic] = []
    expected_sets = [sorted(placeholders(text)) for text in ids]
    source_figures = Counter(figure.key for figure in extract_figures(without_placeholders(ids[-1]), source_language))
    source_tags = Counter(allowed_tags(ids[-1]))
    key = (message.context, singular_id(message))
    for index, translated in enumerate(strings):
        # What is wrong is in the translation: named where the translator edits it.
        line = places.msgstr_line(key, index) or message.lineno
        found = sorted(placeholders(translated))
        if found not in expected_sets:
            expected = expected_sets[-1]
            missing = sorted({name for name, _ in expected} - {name for name, _ in found})
            extra = sorted({name for name, _ in found} - {name for name, _ in expected})
            parts = [f"missing %({name})s" for name in missing] + [f"unknown %({name})s" for name in extra]
            detail = "; ".join(parts) if parts else "a placeholder is repeated or has another type"
            findings.append(
                Diagnostic(f"placeholders differ from the msgid {label}: {detail}", "catalog.placeholder", shown, line)
            )
        for offset, detail in spec_problems(translated, ids):
            spec_line = places.line(key, index, offset) or line
            message_text = f"placeholders differ from the msgid {label}: {detail}"
            findings.append(Diagnostic(message_text, "catalog.placeholder", shown, spec_line))
        typed = [
            figure
            for figure in extract_figures(without_placeholders(translated), locale.language)
            if not figure.spelled
        ]
        if Counter(figure.key for figure in typed) != source_figures and typed:
            if not source_figures:
                message_text = f"translation of {label} types a figure; figures enter only through placeholders"
                findings.append(Diagnostic(message_text, "catalog.literal-figure", shown, line))
            else:
                typed_text = ", ".join(figure.text for figure in typed)
                findings.append(
                    Diagnostic(
                        f"translation of {label} gives figures ({typed_text}) that differ from the msgid's",
                        "catalog.figure-differs",
                        shown,
                        line,
                    )
                )
        elif source_figures and not typed:
            findings.append(
                Diagnostic(f"translation of {label} drops the msgid's figures", "catalog.figure-differs", shown, line)
            )
        # What the msgid carries itself (a source's name from a fact file, say) is its text, shown as text.
        forbidden = list((Counter(disallowed_markup(translated)) - Counter(disallowed_markup(ids[-1]))).elements())
        if forbidden:
            findings.append(
                Diagnostic(
                    f"translation of {label} carries markup that is never published: {', '.join(forbidden)}",
                    "catalog.markup",
                    shown,
                    line,
                )
            )
        elif Counter(allowed_tags(translated)) - source_tags:
            extra_tags = ", ".join(f"<{tag}>" for tag in sorted(Counter(allowed_tags(translated)) - source_tags))
            findings.append(
                Diagnostic(
                    f"translation of {label} adds markup the msgid does not have: {extra_tags}",
                    "catalog.markup",
                    shown,
                    line,
                )
            )
    return findings


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return [str(text) for text in message.string]
    return [str(message.string or "")]


def read_catalog(raw: bytes, shown: str, locale: LocaleConfig) -> Catalog:
    """A catalog read only after the strict syntax check passed (so nothing is silently lost)."""
    return read_catalog_places(raw, shown, locale)[0]


def read_catalog_places(raw: bytes, shown: str, locale: LocaleConfig) -> tuple[Catalog, Places]:
    """As read_catalog, with where each msgstr is written, for findings that name the line a translator edits."""
    findings, places = scan_po(raw, shown)
    if findings:
        raise UserError(findings)
    return read_po_keeping_previous(raw, locale.babel_name), places
