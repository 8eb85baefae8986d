"""The Atom feeds and the sitemap: the lists of the site that programs read.

They list every article by its title block and date, as the index pages do,
so they are made on every build that renders, from the editions in memory
(those taken as published carry their title block from the manifest).  Each
file's key is its text: when no title, standfirst, date, byline or page
changed, the published file is linked into the staging folder unchanged and
the manifest records it, so the nothing-changed first look still finds every
published file as planned.  Made before the staging folder is: a text no
feed can carry stops the build before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.inputs import content_digest
from pipeline.render import SITEMAP_NAME, atom_feed, language_feeds, sitemap_pages, sitemap_xml

if TYPE_CHECKING:
    from pipeline.build.reuse import Plan
    from pipeline.config import Config
    from pipeline.facts import FactBase
    from pipeline.render import RenderedArticle


class FeedBuilder:
    """Writes `<locale>/feed.atom` for each language with an index page, and `sitemap.xml` when base_url is set."""

    def __init__(self, config: Config, base: FactBase, editions: list[RenderedArticle]) -> None:
        self.files: dict[str, str] = {}
        """Relative path -> the file's text."""
        for feed in language_feeds(config, base, editions):
            self.files[feed.path] = atom_feed(feed, config.base_url)
        # Sitemaps take only absolute addresses: without a site address there is none to give.
        if config.base_url is not None:
            self.files[SITEMAP_NAME] = sitemap_xml(sitemap_pages(config, editions), config.base_url)

    def keys(self) -> dict[str, str]:
        """What each file is made from: its whole text, made again every build."""
        return {name: content_digest(text) for name, text in self.files.items()}

    def write_all(self, stage: Path, plan: Plan) -> list[Path]:
        written = []
        for name, text in self.files.items():
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if plan.reusable(name):
                plan.reuse(name, target)
            else:
                target.write_bytes(text.encode("utf-8"))
            written.append(target)
        return written
