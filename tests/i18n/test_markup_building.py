"""Markup built by escaping each value once and joining writes what Markup.format wrote.

The figures, chart and map elements and the gettext functions are built
without Markup.format and without Jinja2's own gettext wrappers, because
they run for every sentence and figure of every edition.  The references
below are those slower forms: the same text, escaped the same way, for
values that need escaping and values that are Markup already.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from pipeline.graphics import svg_text
from pipeline.graphics.svg_text import FONT_FAMILY, FONT_SIZE, INK, Line, figure_element, svg_element, text_block
from pipeline.i18n.sentinels import PAIR_END, PAIR_MIDDLE, PAIR_START, Pair, pair_markup, strip_sentinels
from pipeline.render.bilingual import newstyle_gettext_functions

NASTY = ["plain", "a \"quoted\" <b>&amp;</b> 'x'", Markup("<em>kept</em> &amp;"), "{braces} %(x)s", "\ue002draft\ue003"]


def reference_line_markup(line: Line) -> Markup:
    text = strip_sentinels(line.text)
    if not line.fig:
        return Markup.escape(text)
    attributes = Markup("").join(Markup(' {}="{}"').format(name, value) for name, value in line.fig)
    return Markup('<tspan class="fig"{}>{}</tspan>').format(attributes, text)


def reference_text_block(
    ident: str, lines: Sequence[Line], x: float, top: float, anchor: str, size: float = FONT_SIZE, **attributes: str
) -> tuple[Markup, list[str]]:
    if size != FONT_SIZE:
        attributes["font_size"] = svg_text.number(size)
    extra = Markup("").join(Markup(' {}="{}"').format(name.replace("_", "-"), v) for name, v in attributes.items())
    parts, ids = [], []
    for index, line in enumerate(lines):
        line_id = ident if index == 0 else f"{ident}-{index + 1}"
        lang = Markup(' lang="{}"').format(line.lang) if line.lang else ""
        baseline = top + svg_text.line_height(size) * index + svg_text.BASELINE * size / FONT_SIZE
        parts.append(
            Markup('<text id="{}" x="{}" y="{}" text-anchor="{}"{}{}>{}</text>').format(
                line_id, svg_text.number(x), svg_text.number(baseline), anchor, lang, extra, reference_line_markup(line)
            )
        )
        ids.append(line_id)
    return Markup("\n").join(parts), ids


def reference_svg_element(
    slug: str, size: tuple[float, float], title: Sequence[Line], description: Sequence[Line],
    described_by: Sequence[str], body: Markup,
) -> Markup:  # fmt: skip
    width, height = svg_text.number(size[0]), svg_text.number(size[1])
    joined = [" / ".join(strip_sentinels(line.text) for line in lines) for lines in (title, description)]
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{slug}-title" aria-describedby="{described}" font-family="{font}" font-size="{size}" '
        'fill="{ink}">\n<title id="{slug}-title">{title}</title>\n<desc id="{slug}-desc">{desc}</desc>\n{body}\n</svg>'
    ).format(
        w=width, h=height, slug=slug, described=" ".join([f"{slug}-desc", *described_by]), font=FONT_FAMILY,
        size=FONT_SIZE, ink=INK, title=joined[0], desc=joined[1], body=body,
    )  # fmt: skip


def reference_figure_element(
    slug: str, css_class: str, titles: Sequence[Line], captions: Sequence[Line], svg: Markup, notes: Markup
) -> Markup:
    lines = [(line, "figure-title") for line in titles] + [(line, "figure-caption") for line in captions]
    spans = [
        Markup('<span class="{}"{}>{}{}</span>').format(
            css,
            Markup(' lang="{}"').format(line.lang) if line.lang else "",
            line.text,
            Markup('<span class="figure-notes">{}</span>').format(notes) if notes and index == len(lines) - 1 else "",
        )
        for index, (line, css) in enumerate(lines)
    ]
    return Markup('<figure class="{}" id="{}">\n<figcaption>{}</figcaption>\n{}\n</figure>').format(
        css_class, slug, Markup("").join(spans), svg
    )


def nasty_lines() -> list[Line]:
    lines = [Line(str(text)) for text in NASTY]
    lines += [Line(str(text), 'e"n', (("data-fact", '<x&"y>'), ("data-period", "2017"))) for text in NASTY]
    return lines


@pytest.mark.parametrize("line", nasty_lines())
def test_svg_lines_escape_as_before(line: Line) -> None:
    assert line.markup() == reference_line_markup(line)


@pytest.mark.parametrize("size", [FONT_SIZE, 15])
def test_text_blocks_escape_as_before(size: float) -> None:
    for ident in ["map-city-place-0", 'a"<b>']:
        arguments = (ident, nasty_lines(), 12.25, 3.0, '"start"', size)
        extra = {"fill": '<"#5a5a5a">', "font_weight": "600"}
        assert text_block(*arguments, **extra) == reference_text_block(*arguments, **extra)


@pytest.mark.parametrize("slug", ["map-city", 'x"<&>'])
def test_svg_and_figure_elements_escape_as_before(slug: str) -> None:
    lines = nasty_lines()
    body = Markup('<rect width="400"/>\n<text>a &amp; b</text>')
    arguments = (slug, (400, 348.25), lines[:2], lines[2:4], ["a", '<"b">'], body)
    svg = svg_element(*arguments)
    assert svg == reference_svg_element(*arguments)
    html_lines = [Line(Markup("<em>Where</em> &amp; why")), Line("a < b", "id"), Line(Markup("c"), 'x"y')]
    for notes in [Markup(""), Markup('<span class="cited"><sup>[1]</sup></span>')]:
        for split in range(len(html_lines) + 1):
            titles, captions = html_lines[:split], html_lines[split:]
            built = figure_element(slug, 'map"<', titles, captions, svg, notes)
            assert built == reference_figure_element(slug, 'map"<', titles, captions, svg, notes)


@pytest.mark.parametrize("source", NASTY)
def test_pairs_escape_as_before(source: Any) -> None:
    for target in [*NASTY, Pair(Markup("<b>x</b>"), "y & z")]:
        expected = (
            Markup(PAIR_START) + Markup.escape(source) + Markup(PAIR_MIDDLE) + Markup.escape(target) + Markup(PAIR_END)
        )
        assert pair_markup(source, target) == expected


TEMPLATES = [
    "{% trans %}Plain sentence.{% endtrans %}",
    "{% trans %}A 100%% sure thing.{% endtrans %}",
    "{% trans name=who %}Hello {{ name }} & friends.{% endtrans %}",
    "{% trans count=n %}One deer.{% pluralize %}{{ count }} deer.{% endtrans %}",
    "{% trans n=n %}{{ n }} thing{% pluralize n %}{{ n }} things{% endtrans %}",
    '{% trans "a context" %}In context.{% endtrans %}',
    '{% trans "a context" count=n %}One in context.{% pluralize %}{{ count }} in context.{% endtrans %}',
    '{{ _("Called %(name)s.", name=who) }}',
    '{{ gettext("Called %(name)s.", name=who) }}',
    '{{ pgettext("ctx", "Called %(name)s in %(context)s.", name=who) }}',
    '{{ pgettext("ctx", "Called in %(context)s.", context="mine") }}',
    '{{ ngettext("%(num)d apple", "%(num)d apples", n) }}',
    '{{ npgettext("ctx", "%(num)d pear in %(context)s", "%(num)d pears", n) }}',
    '{% autoescape false %}{{ _("Raw %(name)s.", name=who) }}{% endautoescape %}',
]


class Shouting(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def pgettext(self, context: str, message: str) -> str:
        return f"[{context}] {message}"


def published(context: str | None, msgid: str, translated: str) -> Markup:
    return Markup(translated)  # as sanitize_translation returns it: Markup


@pytest.mark.parametrize("source", TEMPLATES)
@pytest.mark.parametrize("translations", [gettext.NullTranslations(), Shouting()], ids=["null", "shouting"])
def test_gettext_functions_render_as_jinjas_own(source: str, translations: gettext.NullTranslations) -> None:
    def environment() -> jinja2.Environment:
        env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
        env.policies["ext.i18n.trimmed"] = True
        return env

    jinjas, ours = environment(), environment()
    jinjas.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: published(None, message, translations.gettext(message)),
        lambda singular, plural, n: published(None, singular, translations.ngettext(singular, plural, n)),
        newstyle=True,
        pgettext=lambda context, message: published(context, message, translations.pgettext(context, message)),
        npgettext=lambda context, singular, plural, n: published(
            context, singular, translations.npgettext(context, singular, plural, n)
        ),
    )
    ours.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)  # type: ignore[attr-defined]
    ours.globals.update(newstyle_gettext_functions(translations, published))
    for variables in [{"who": "<Ann & Bo>", "n": 1}, {"who": Markup("<b>Cy</b>"), "n": 3}]:
        expected = jinjas.from_string(source).render(variables)
        assert ours.from_string(source).render(variables) == expected


def test_a_missing_placeholder_fails_as_with_jinjas_own() -> None:
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext.gettext, gettext.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(newstyle_gettext_functions(gettext.NullTranslations(), published))
    with pytest.raises(KeyError, match="name"):
        env.from_string('{{ _("Called %(name)s.") }}').render()
