"""Templates to HTML, one Jinja2 environment per locale.

Figures enter sentences only through `fig()`, which formats a fact with
Babel for the reader's locale and wraps it in a span naming the fact, so the
check can tell a figure that came from a fact from one typed by hand.
Translations pass through an allow-list of inline markup before Jinja2
treats them as safe: a translator cannot inject a script or a style.
"""

from __future__ import annotations

import gettext
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel.lists import format_list
from markupsafe import Markup

from pipeline.bilingual import Pair, bilingual_gettext_functions, flatten_pairs, lay_out_pairs
from pipeline.charts import ChartContext
from pipeline.config import Config, LocaleConfig
from pipeline.draft import mark_fallbacks, strip_sentinels, wrap_fallback
from pipeline.errors import UserError, display_path
from pipeline.formatting import FigureFormatter, FormatError
from pipeline.load import FactBase
from pipeline.locator_map import MapContext
from pipeline.markup import sanitize_translation
from pipeline.model import Article, CountriesFact, Fact, PartialDate, SeriesFact
from pipeline.pdf import page_margin_css
from pipeline.series import ITEM_VARIABLE, ItemRoles

# Private-use characters stand in for the page counters while a translated
# "Page %(page)s of %(pages)s" passes through gettext.
PAGE_SENTINEL = Markup("\ue000")
PAGES_SENTINEL = Markup("\ue001")


def plain_text(text: str) -> str:
    """Text for places markup cannot go (CSS strings): no draft marks, pairs as "en / id"."""
    return flatten_pairs(strip_sentinels(str(text)))


def css_string(text: str) -> Markup:
    """A CSS string literal that no text can break out of, even inside <style>."""
    escaped = "".join(
        # A hex escape swallows one following space, so every escape ends with one.
        char if char.isalnum() or char in " ,.-" else f"\\{ord(char):06x} "
        for char in plain_text(text)
    )
    return Markup(f'"{escaped}"')


def css_counters(text: str) -> Markup:
    """CSS `content` for a translated page label, with the page counters in place."""
    parts = []
    for piece in re.split("([\ue000\ue001])", plain_text(text)):
        if piece == PAGE_SENTINEL:
            parts.append("counter(page)")
        elif piece == PAGES_SENTINEL:
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


NOTE_MARKER = re.compile(r'<sup class="marker">.*?</sup>', re.DOTALL)


def plain(html: str) -> str:
    """Rendered HTML as plain text for metadata (title, description): no tags, no note markers."""
    return Markup(NOTE_MARKER.sub("", str(html))).striptags()


TEMPLATE_FILTERS = {"css_string": css_string, "css_counters": css_counters, "plain": plain}
INDEX_TEMPLATE = "index.html"
"""A project with this template publishes an index page per edition (pipeline/index.py)."""


def has_index(config: Config) -> bool:
    return (config.templates_dir / INDEX_TEMPLATE).is_file()


@dataclass
class CitedSource:
    source_id: str
    publisher: str
    title: str | None
    url: str | None
    dates: list[PartialDate] = field(default_factory=list)
    as_of: Markup | Pair = field(default_factory=Markup)
    """The as-of dates of the facts cited from this source, as a localised list."""


@dataclass
class RenderedArticle:
    slug: str
    locale: LocaleConfig
    html: str
    cited: list[str]
    """Fact ids in the order the text cites them."""

    bilingual_with: LocaleConfig | None = None
    """For the bilingual edition: the target locale beside `locale`."""

    @property
    def folder(self) -> str:
        return "bilingual" if self.bilingual_with is not None else self.locale.code


class FigureContext:
    """The template functions of one article in one locale; records what is cited."""

    def __init__(self, base: FactBase, formatter: FigureFormatter) -> None:
        self.base = base
        self.formatter = formatter
        self.cited: list[str] = []
        self.note_numbers: dict[str, int] = {}

    def fig(self, fact_id: str, period: str | None = None) -> Markup:
        fact = self._fact(fact_id)
        try:
            text = self.formatter.fact(fact, period)
        except FormatError as exc:
            raise jinja2.TemplateRuntimeError(f"fig({fact_id!r}): {exc}") from None
        period_attribute = Markup(' data-period="{}"').format(period) if period is not None else ""
        figure = Markup('<span class="fig" data-fact="{}"{}>{}</span>').format(fact_id, period_attribute, text)
        return self._with_note(fact_id, figure)

    def countries(self, fact_id: str) -> Markup:
        fact = self._fact(fact_id)
        if not isinstance(fact, CountriesFact):
            raise jinja2.TemplateRuntimeError(f"countries({fact_id!r}): fact is a {fact.kind}, not a list of countries")
        names = Markup('<span class="countries" data-fact="{}">{}</span>').format(
            fact_id, self.formatter.countries(fact.value)
        )
        return self._with_note(fact_id, names)

    def _with_note(self, fact_id: str, figure: Markup) -> Markup:
        """The figure followed by its source note marker, kept on one line with it.

        Notes are numbered in order of first citation; the marker is bracketed
        so that text extracted from the PDF never runs it into the figure.
        """
        self.cited.append(fact_id)
        source_id = self.base.facts[fact_id].source
        number = self.note_numbers.setdefault(source_id, len(self.note_numbers) + 1)
        return Markup(
            '<span class="cited">{}<sup class="marker"><a href="#source-{}" role="doc-noteref">[{}]</a></sup></span>'
        ).format(figure, source_id, number)

    def source_marker(self, fact_id: str) -> Markup:
        """Records a fact shown outside a sentence (a chart, a map); returns its source note marker."""
        return self._with_note(fact_id, Markup())

    def count_of(self, fact_id: str, period: str | None = None) -> int | float:
        """The number a fact holds, only to choose a plural form ({% pluralize %})."""
        fact = self._fact(fact_id)
        if isinstance(fact, SeriesFact):
            point = fact.point(period or "")
            if point is None:
                raise jinja2.TemplateRuntimeError(f"count_of({fact_id!r}): no period {period!r}")
            return point.value
        value = getattr(fact, "value", None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise jinja2.TemplateRuntimeError(f"count_of({fact_id!r}): a {fact.kind} has no count")
        return value

    def cited_sources(self) -> list[CitedSource]:
        sources: dict[str, CitedSource] = {}
        for fact_id in self.cited:
            fact = self.base.facts[fact_id]
            source = self.base.sources[fact.source]
            entry = sources.setdefault(
                fact.source, CitedSource(fact.source, source.publisher, source.title, source.url)
            )
            if fact.as_of not in entry.dates:
                entry.dates.append(fact.as_of)
        for entry in sources.values():
            entry.as_of = Markup(
                format_list([str(self.time(date)) for date in sorted(entry.dates)], locale=self.formatter.locale)
            )
        return sorted(sources.values(), key=lambda entry: self.note_numbers[entry.source_id])

    def time(self, value: PartialDate) -> Markup:
        return Markup('<time class="fig" datetime="{}">{}</time>').format(str(value), self.formatter.date(value))

    def _fact(self, fact_id: str) -> Fact:
        try:
            return self.base.facts[fact_id]
        except KeyError:
            raise jinja2.TemplateRuntimeError(f"unknown fact {fact_id!r}") from None


class BilingualFigures:
    """The template functions of the bilingual edition: each figure in both locales.

    One set of source notes: both sides cite the same facts in the same order,
    so the source locale's numbering stands for both.
    """

    def __init__(self, base: FactBase, source: FigureFormatter, target: FigureFormatter) -> None:
        self.source = FigureContext(base, source)
        self.target = FigureContext(base, target)

    def fig(self, fact_id: str, period: str | None = None) -> Pair:
        return Pair(self.source.fig(fact_id, period), self.target.fig(fact_id, period))

    def countries(self, fact_id: str) -> Pair:
        return Pair(self.source.countries(fact_id), self.target.countries(fact_id))

    def time(self, value: PartialDate) -> Pair:
        return Pair(self.source.time(value), self.target.time(value))

    def cited_sources(self) -> list[CitedSource]:
        sources = self.source.cited_sources()
        for entry in sources:
            target_dates = Markup(
                format_list(
                    [str(self.target.time(date)) for date in sorted(entry.dates)], locale=self.target.formatter.locale
                )
            )
            entry.as_of = Pair(entry.as_of, target_dates)
        return sources


class Renderer:
    def __init__(self, config: Config, base: FactBase) -> None:
        self.config = config
        self.base = base
        self.loader = jinja2.FileSystemLoader(config.templates_dir)
        self.environments: dict[str, jinja2.Environment] = {}
        self.missing: dict[str, dict[tuple[str | None, str], None]] = {}
        # The catalog objects are kept with their environment so their ids stay theirs.
        self._bilingual_environments: dict[tuple[int, int], tuple[object, object, jinja2.Environment]] = {}
        """Per locale, the messages rendered without a translation (in order)."""

    def environment(
        self,
        locale: LocaleConfig,
        translations: gettext.NullTranslations,
        is_translated: Callable[[str | None, str], bool] | None = None,
        draft: bool = False,
    ) -> jinja2.Environment:
        """The environment of one locale.

        With `is_translated`, a message without a published translation (a
        template changed and the catalog was not updated) is recorded in
        `missing`, which stops a build; in a draft it renders in the source
        language instead, marked as such.
        """
        env = jinja2.Environment(
            loader=self.loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=True,
        )
        env.policies["ext.i18n.trimmed"] = True
        env.filters.update(TEMPLATE_FILTERS)
        env.globals["PAGE"] = PAGE_SENTINEL
        env.globals["PAGES"] = PAGES_SENTINEL
        env.globals["page_margin"] = page_margin_css()

        def published(context: str | None, msgid: str, translated: str) -> Markup:
            if is_translated is not None and not is_translated(context, msgid):
                if draft:
                    translated = wrap_fallback(translated)
                else:
                    self.missing.setdefault(locale.code, {})[(context, msgid)] = None
            return sanitize_translation(translated)

        env.install_gettext_callables(  # type: ignore[attr-defined]
            lambda message: published(None, message, translations.gettext(message)),
            lambda singular, plural, n: published(None, singular, translations.ngettext(singular, plural, n)),
            newstyle=True,
            pgettext=lambda context, message: published(context, message, translations.pgettext(context, message)),
            npgettext=lambda context, singular, plural, n: published(
                context, singular, translations.npgettext(context, singular, plural, n)
            ),
        )
        env.globals["draft"] = draft
        env.globals["bilingual"] = False
        self.environments[locale.code] = env
        return env

    def render(self, article: Article, locale: LocaleConfig, env: jinja2.Environment) -> RenderedArticle:
        context = FigureContext(self.base, FigureFormatter(locale.babel))
        variables: dict[str, Any] = {
            "fig": context.fig,
            "countries": context.countries,
            "count_of": context.count_of,
            "format_date": context.time,
            "cited_sources": context.cited_sources,
        }
        html = self._render(article, locale, env, variables, [context.formatter], context)
        return RenderedArticle(
            article.slug, locale, mark_fallbacks(html, self.config.source_locale.code), context.cited
        )

    def render_bilingual(
        self,
        article: Article,
        target: LocaleConfig,
        translations: gettext.NullTranslations,
        is_translated: Callable[[str | None, str], bool] | None = None,
    ) -> RenderedArticle:
        """The source and a target locale side by side, paragraph by paragraph."""
        source = self.config.source_locale
        env = self.bilingual_environment(translations, is_translated)
        both = BilingualFigures(self.base, FigureFormatter(source.babel), FigureFormatter(target.babel))
        variables: dict[str, Any] = {
            "fig": both.fig,
            "countries": both.countries,
            "count_of": both.source.count_of,
            "format_date": both.time,
            "cited_sources": both.cited_sources,
        }
        formatters = [both.source.formatter, both.target.formatter]
        html = self._render(article, source, env, variables, formatters, both.source)
        html = lay_out_pairs(html, source.code, target.code)
        return RenderedArticle(article.slug, source, html, both.source.cited, bilingual_with=target)

    def bilingual_environment(
        self,
        translations: gettext.NullTranslations,
        is_translated: Callable[[str | None, str], bool] | None = None,
    ) -> jinja2.Environment:
        """The source locale's environment, where every message yields both languages.

        One per catalog: every article of a build shares it, and with it the
        compiled templates.
        """
        key = (id(translations), id(is_translated))
        if key not in self._bilingual_environments:
            env = self.environment(self.config.source_locale, gettext.NullTranslations())
            env.globals.update(bilingual_gettext_functions(translations, is_translated))
            env.globals["bilingual"] = True
            self._bilingual_environments[key] = (translations, is_translated, env)
        return self._bilingual_environments[key][2]

    def _render(
        self,
        article: Article,
        locale: LocaleConfig,
        env: jinja2.Environment,
        variables: dict[str, Any],
        formatters: list[FigureFormatter],
        context: FigureContext,
    ) -> str:
        variables |= {
            "article": article,
            "locale": locale,
            "locales": self.config.locales,
            "index_page": has_index(self.config),
        }
        item = self.base.series_items.get(article.slug)
        if item is not None:
            variables[ITEM_VARIABLE] = ItemRoles(item)
        charts = ChartContext(self.base, formatters, context.source_marker)
        maps = MapContext(self.base, formatters, context.source_marker, self.config.assets_dir / "data")
        variables |= {
            "bar": charts.bar,
            "bar_group": charts.bar_group,
            "territory": charts.territory,
            "bar_chart": charts.bar_chart,
            "place": maps.place,
            "locator_map": maps.locator_map,
        }
        return self.render_template(article.template, locale, env, variables)

    def render_template(
        self, name: str, locale: LocaleConfig, env: jinja2.Environment, variables: dict[str, Any]
    ) -> str:
        """A template rendered, any error in it reported with its template line."""
        try:
            return env.get_template(name).render(variables)
        except jinja2.TemplateSyntaxError as exc:
            raise UserError.single(
                f"template syntax: {exc.message}", "template.syntax", self._shown(exc.filename), exc.lineno
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise UserError.single(f"template {exc.name!r} not found", "template.missing") from None
        except (jinja2.TemplateError, KeyError, ValueError, TypeError) as exc:
            file, line = self._template_frame(exc)
            message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
            if isinstance(exc, KeyError):
                message = f"translation uses placeholder %({exc.args[0]})s that the sentence does not provide"
            raise UserError.single(f"{locale.code}: {message}", "template.render", file, line) from None

    def _shown(self, filename: str | None) -> str | None:
        return display_path(Path(filename), self.config.root) if filename else None

    def _template_frame(self, exc: BaseException) -> tuple[str | None, int | None]:
        """The innermost template file and line in the traceback Jinja2 rewrote."""
        templates = str(self.config.templates_dir.resolve())
        file: str | None = None
        line: int | None = None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            filename = frame.f_code.co_filename
            if filename.startswith(templates):
                file, line = self._shown(filename), lineno
        return file, line
