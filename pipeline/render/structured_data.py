"""schema.org JSON-LD in the head of every page: what search engines and aggregators read.

An article's edition says what it is (`NewsArticle`: headline, standfirst as
description, language, publication date, author, the sources it cites) and
how it relates to the other editions, so that a search engine or news
aggregator links the English and the Indonesian story as one work:

- the source-language edition lists each translation as `workTranslation`;
- a translation names the source-language edition as `translationOfWork`;
- the bilingual edition is in both languages (`inLanguage` a list) and
  `isBasedOn` both editions: it is neither a translation nor the original.

An index page is a `CollectionPage` whose `mainEntity` is the `ItemList` of
its edition's articles, in the order it lists them.

URLs are relative, as the pages' own links are: the project has no site
address, and JSON-LD resolves a relative `@id` or `url` against the address
of the page that carries it, so the data holds wherever the folder is served.

Headline and description are the title block the render hands on as data
(the page's own `headline` and `standfirst` blocks), as plain text: the same
words and figures the reader sees in the page's <h1> and standfirst.  The
figure check reads only the visible text, never the head, so JSON-LD adds
nothing it must reconcile.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from pipeline.config import Config, LocaleConfig
from pipeline.errors import UserError
from pipeline.facts import Article, FactBase
from pipeline.i18n import plain

SCHEMA_ORG = "https://schema.org"
AUTHOR_TYPES = {"person": "Person", "organization": "Organization"}
# Inside <script> the HTML parser ends the element at "</script" and changes
# state at "<!--", whatever JSON thinks is a string; "&" is escaped too so the
# text reads the same to a parser that (wrongly) decodes references there.
# U+2028 and U+2029 end a line in JavaScript, for a consumer that evaluates it.
# All of these are legal anywhere in JSON as \u escapes, and only ever occur
# inside JSON strings, so escaping them changes no value.
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})
# Invisible characters (bidi controls, private-use, C1 controls) are escaped so
# that the source of the page shows them, rather than letting them reorder it.
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs"})
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def json_ld_script(data: dict[str, Any]) -> Markup:
    """`data` as a <script type="application/ld+json"> element no text in it can end or alter."""
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_ESCAPES)
    if not text.isascii() or "\x7f" in text:
        text = "".join(_escaped(char) for char in text)
    # Safe only now that nothing in it can end the element: autoescaping would turn quotes into &#34;.
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>\n')


def _escaped(char: str) -> str:
    # json.dumps escapes C0 controls within strings: a newline left is the indentation's.
    if char == "\n" or unicodedata.category(char) not in _INVISIBLE:
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP JSON escapes a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def with_structured_data(html: str, data: dict[str, Any], template: str) -> str:
    """The page with its JSON-LD as the last element of its head.

    The first "</head>" is the template's own: every text before it (title,
    meta content, the running header's CSS string) is escaped, so no fact or
    translation can write one."""
    end = _HEAD_END.search(html)
    if end is None:
        raise UserError.single(
            "the page has no </head> to carry its structured data (JSON-LD); end the head with </head>, "
            "here or in the template this one extends",
            "template.head",
            f"templates/{template}",
        )
    return f"{html[: end.start()]}{json_ld_script(data)}{html[end.start() :]}"


def page_url(folder: str, slug: str) -> str:
    """A page's address relative to any page of any edition (they all sit one folder deep)."""
    return f"../{folder}/{slug}.html"


def _edition(folder: str, slug: str, language: str) -> dict[str, Any]:
    url = page_url(folder, slug)
    return {"@type": "NewsArticle", "@id": url, "url": url, "inLanguage": language}


def article_data(
    config: Config,
    base: FactBase,
    article: Article,
    titles: tuple[str | None, str | None],
    cited: Sequence[str],
    locale: LocaleConfig,
    bilingual_with: LocaleConfig | None,
) -> dict[str, Any]:
    """The `NewsArticle` of one edition, from its title block (headline, standfirst) and what it cites."""
    folder = "bilingual" if bilingual_with is not None else locale.code
    url = page_url(folder, article.slug)
    data: dict[str, Any] = {"@context": SCHEMA_ORG, "@type": "NewsArticle", "@id": url, "url": url}
    headline, standfirst = (plain(part) if part is not None else "" for part in titles)
    if headline:
        data["headline"] = headline
    if standfirst:
        data["description"] = standfirst
    source = config.source_locale
    if bilingual_with is not None:
        data["inLanguage"] = [source.code, bilingual_with.code]
        data["isBasedOn"] = [
            _edition(source.code, article.slug, source.code),
            _edition(bilingual_with.code, article.slug, bilingual_with.code),
        ]
    elif locale.code == source.code:
        data["inLanguage"] = locale.code
        data["workTranslation"] = [_edition(target.code, article.slug, target.code) for target in config.target_locales]
    else:
        data["inLanguage"] = locale.code
        data["translationOfWork"] = _edition(source.code, article.slug, source.code)
    data["datePublished"] = str(article.published)
    data["author"] = {"@type": AUTHOR_TYPES[article.author_kind], "name": article.author}
    citations = _citations(base, cited)
    if citations:
        data["citation"] = citations
    return data


def _citations(base: FactBase, cited: Sequence[str]) -> list[dict[str, Any]]:
    """One `CreativeWork` per source the edition cites, in the order its notes number them."""
    source_ids = dict.fromkeys(base.facts[fact_id].source for fact_id in cited)
    works = []
    for source_id in source_ids:
        source = base.sources[source_id]
        # The publisher's name as it writes it: a name to match across languages, not a phrase to translate.
        work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title or source.publisher}
        if source.title is not None:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.url is not None:
            work["url"] = source.url
        works.append(work)
    return works


def index_data(folder: str, languages: Sequence[str], slugs: Sequence[str]) -> dict[str, Any]:
    """The `CollectionPage` of an edition's index: its articles, in the order the page lists them."""
    url = page_url(folder, "index")
    return {
        "@context": SCHEMA_ORG,
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "inLanguage": languages[0] if len(languages) == 1 else list(languages),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "url": page_url(folder, slug)}
                for position, slug in enumerate(slugs, start=1)
            ],
        },
    }
