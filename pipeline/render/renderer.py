"""Templates to HTML, one Jinja2 environment per locale.

Figures enter sentences only through `fig()` (pipeline/render/figures.py): a
fact formatted by Babel for the reader's locale, in a span naming the fact, so
the check tells a figure that came from a fact from one typed by hand.
Translations pass through an allow-list of inline markup before Jinja2
treats them as safe: a translator cannot inject a script or a style.
"""

from __future__ import annotations

import gettext
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup

from pipeline.config import Config, LocaleConfig
from pipeline.errors import UserError, display_path
from pipeline.facts import ITEM_VARIABLE, Article, FactBase, ItemRoles
from pipeline.graphics import ChartContext, MapContext
from pipeline.i18n import (
    PAGE_SENTINEL,
    PAGES_SENTINEL,
    SOURCE_NAME_CONTEXT,
    FigureFormatter,
    css_counters,
    css_string,
    mark_fallbacks,
    names_sources,
    plain,
    plain_text,
    sanitize_translation,
    wrap_fallback,
)
from pipeline.inputs import TEMPLATE, read_input_text
from pipeline.pdf import page_margin_css
from pipeline.render.bilingual import bilingual_gettext_functions, lay_out_pairs, newstyle_gettext_functions, side
from pipeline.render.figures import BilingualFigures, FigureContext
from pipeline.render.structured_data import article_data, with_structured_data

TEMPLATE_FILTERS = {"css_string": css_string, "css_counters": css_counters, "plain": plain}
INDEX_TEMPLATE = "index.html"
"""A project with this template publishes an index page per edition (pipeline/render/index.py)."""


def has_index(config: Config) -> bool:
    return (config.templates_dir / INDEX_TEMPLATE).is_file()


def edition_folder(locale: LocaleConfig, bilingual_with: LocaleConfig | None) -> str:
    """The output folder of an edition: its locale's, or the bilingual one."""
    return "bilingual" if bilingual_with is not None else locale.code


T = TypeVar("T")
TITLE_BLOCKS = ("headline", "standfirst")
"""The template blocks an article is listed by on the index page, in TitleBlock's order."""


@dataclass(frozen=True, slots=True)
class TitleBlock:
    """An article's headline and standfirst as its page shows them (inner HTML, source note markers
    included); None where its template has no such block (an index page refuses an article without
    a headline)."""

    headline: str | None
    standfirst: str | None

    def map(self, laid_out: Callable[[str], str]) -> TitleBlock:
        """Both parts through what the page went through after Jinja2 (draft marks, bilingual pairs)."""
        return TitleBlock(*(None if part is None else laid_out(part) for part in (self.headline, self.standfirst)))


@dataclass(slots=True)
class RenderedArticle:
    slug: str
    locale: LocaleConfig
    html: str
    cited: list[str]
    """Fact ids in the order the text cites them."""

    bilingual_with: LocaleConfig | None = None
    """For the bilingual edition: the target locale beside `locale`."""

    titles: TitleBlock | None = None
    """Headline and standfirst as `html` writes them, read when it was rendered; None: read on demand."""

    @property
    def folder(self) -> str:
        return edition_folder(self.locale, self.bilingual_with)

    def title_block(self) -> TitleBlock:
        """What the index lists the article by, handed on by the render (or the manifest, when reused)."""
        if self.titles is None:
            raise ValueError(f"{self.slug}: an edition listed on the index was made without its title block")
        return self.titles


class SharedBytecode(jinja2.BytecodeCache):
    """Templates compiled once for all of a renderer's environments.

    Every environment comes from Renderer.environment(), with the same
    syntax, extensions, policies and filters, so a template compiles to the
    same code in each; only the gettext functions and globals differ, and
    those are looked up when the template runs.  Keyed by Jinja2 on the
    template's name, file and source.
    """

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], CodeType] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self.code[(bucket.key, bucket.checksum)] = bucket.code


class ProjectLoader(jinja2.FileSystemLoader):
    """Templates read through safe_files.py: Jinja2's own loader would block on a FIFO
    or read a link to a device whole.  Names stay Jinja2's (`..` is refused)."""

    def __init__(self, config: Config) -> None:
        super().__init__(config.templates_dir)
        self.templates_dir = config.templates_dir
        self.root = config.root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.templates_dir.joinpath(*jinja2.loaders.split_template_path(template))
        # A missing template stays Jinja2's TemplateNotFound (`ignore missing`, select_template).
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        source = read_input_text(path, self.root, TEMPLATE)
        changed = os.lstat(path).st_mtime_ns

        def uptodate() -> bool:
            return os.path.lexists(path) and os.lstat(path).st_mtime_ns == changed

        return source, str(path), uptodate


class Renderer:
    def __init__(self, config: Config, base: FactBase) -> None:
        self.config = config
        self.base = base
        self.loader = ProjectLoader(config)
        self.bytecode = SharedBytecode()
        self.missing: dict[str, dict[tuple[str | None, str], None]] = {}
        """Per locale, the messages rendered without a translation (in order)."""
        # The catalog objects are kept with their environment so their ids stay theirs.
        self._bilingual_environments: dict[tuple[int, int], tuple[object, object, jinja2.Environment]] = {}
        self._names_sources: bool | None = None

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
            bytecode_cache=self.bytecode,
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

        # Installed for the newstyle switch, which templates compile by; the functions are ours.
        env.install_gettext_callables(  # type: ignore[attr-defined]
            translations.gettext, translations.ngettext, newstyle=True
        )
        env.globals.update(newstyle_gettext_functions(translations, published))
        env.globals["draft"] = draft
        env.globals["bilingual"] = False
        return env

    def render(self, article: Article, locale: LocaleConfig, env: jinja2.Environment) -> RenderedArticle:
        context = FigureContext(self.base, FigureFormatter(locale.babel), source_name=self._source_names(env, None))
        variables: dict[str, Any] = {
            "fig": context.fig,
            "countries": context.countries,
            "count_of": context.count_of,
            "format_date": context.time,
            "cited_sources": context.cited_sources,
        }
        html, titles = self._render(article, locale, env, variables, [context.formatter], context)
        marked = partial(mark_fallbacks, source_language=self.config.source_locale.code)
        edition = RenderedArticle(article.slug, locale, marked(html), context.cited, titles=titles.map(marked))
        return self._with_structured_data(article, edition)

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
        source_name, target_name = self._source_names(env, 0), self._source_names(env, 1)
        names = (source_name, target_name) if source_name is not None and target_name is not None else None
        both = BilingualFigures(self.base, FigureFormatter(source.babel), FigureFormatter(target.babel), names)
        variables: dict[str, Any] = {
            "fig": both.fig,
            "countries": both.countries,
            "count_of": both.source.count_of,
            "format_date": both.time,
            "cited_sources": both.cited_sources,
        }
        formatters = [both.source.formatter, both.target.formatter]
        html, titles = self._render(article, source, env, variables, formatters, both.source)
        laid_out = partial(lay_out_pairs, source_code=source.code, target_code=target.code)
        edition = RenderedArticle(
            article.slug, source, laid_out(html), both.source.cited, bilingual_with=target, titles=titles.map(laid_out)
        )
        return self._with_structured_data(article, edition)

    def _with_structured_data(self, article: Article, edition: RenderedArticle) -> RenderedArticle:
        """The edition with its JSON-LD, made from the title block it hands on, once pairs and marks are laid out."""
        titles = edition.title_block()
        data = article_data(
            self.config,
            self.base,
            article,
            (titles.headline, titles.standfirst),
            edition.cited,
            edition.locale,
            edition.bilingual_with,
        )
        edition.html = with_structured_data(edition.html, data, article.template)
        return edition

    def _source_names(self, env: jinja2.Environment, index: int | None) -> Callable[[str], str] | None:
        """Sources named as the edition's notes name them (one side of a bilingual pair by `index`)."""
        if self._names_sources is None:
            self._names_sources = names_sources(self.config)
        if not self._names_sources:
            return None
        pgettext: Callable[..., Markup] = env.globals["pgettext"]  # type: ignore[assignment]

        def name(source_id: str) -> str:
            # Through the edition's own gettext, so a missing name stops the build as a missing sentence does.
            translated = pgettext(SOURCE_NAME_CONTEXT, self.base.sources[source_id].publisher)
            shown = side(translated, index) if index is not None else translated
            return plain_text(Markup(shown).striptags())

        return name

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
    ) -> tuple[str, TitleBlock]:
        variables |= {
            "article": article,
            "locale": locale,
            "locales": self.config.locales,
            "index_page": has_index(self.config),
        }
        item = self.base.series_items.get(article.slug)
        if item is not None:
            variables[ITEM_VARIABLE] = ItemRoles(item)
        charts = ChartContext(self.base, formatters, context.source_marker, article.slug)
        maps = MapContext(self.base, formatters, context.source_marker, self.config.assets_dir / "data")
        variables |= {
            "bar": charts.bar,
            "bar_group": charts.bar_group,
            "territory": charts.territory,
            "bar_chart": charts.bar_chart,
            "place": maps.place,
            "locator_map": maps.locator_map,
        }
        return self.render_page(article.template, locale, env, variables)

    def render_page(
        self, name: str, locale: LocaleConfig, env: jinja2.Environment, variables: dict[str, Any]
    ) -> tuple[str, TitleBlock]:
        """An article's page, and its headline and standfirst as the template's blocks give them.

        The blocks are the page's own, rendered with the page's context, so the
        index lists each article by exactly what its page says, handed on as
        data rather than read back out of the HTML."""
        return self.render_with(name, locale, env, variables, partial(_title_block, env))

    def render_with(
        self,
        name: str,
        locale: LocaleConfig,
        env: jinja2.Environment,
        variables: dict[str, Any],
        take: Callable[[Context], T],
    ) -> tuple[str, T]:
        """A page, and what `take` reads from the context it was rendered in (its blocks, its variables);
        any error in the template reported with its template line."""

        def page() -> tuple[str, T]:
            template = env.get_template(name)
            context = template.new_context(variables)
            try:
                html = env.concat(template.root_render_func(context))
                taken = take(context)
            except Exception:
                env.handle_exception()  # as Template.render does: the traceback gains the template lines
            return html, taken

        return self._reporting(locale, page)

    def _reporting(self, locale: LocaleConfig, render: Callable[[], T]) -> T:
        try:
            return render()
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


def _title_block(env: jinja2.Environment, context: Context) -> TitleBlock:
    """The page's own headline and standfirst blocks, rendered with the page's context."""
    stacks = (context.blocks.get(name) for name in TITLE_BLOCKS)
    return TitleBlock(*(str(env.concat(stack[0](context))) if stack else None for stack in stacks))
