"""What a rebuild takes from the published folder instead of making again.

Two decisions, both on content digests recorded in the published manifest
(incremental.py), never on modification times:

- an edition whose recorded inputs all still have the values it was
  published with is taken as published, HTML, cited figures and title block
  alike, and is not rendered (dependencies.py tells how inputs are recorded);
- an output file (HTML or PDF) whose key is the one it was published with is
  linked into the staging folder instead of written, so an unchanged PDF is
  never rendered again.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from pipeline.build.editions import Inputs, Slot, Stamps, Taken, slots
from pipeline.build.incremental import Manifest
from pipeline.render import RenderedArticle, TitleBlock


def take_unchanged(inputs: Inputs, stamps: Stamps, published: Manifest, published_dir: Path) -> dict[str, Taken]:
    """The editions whose inputs are all as when they were published, by relative path."""
    taken: dict[str, Taken] = {}
    for slot in slots(inputs.config, inputs.base):
        found = _published_edition(slot, stamps, published, published_dir)
        if found is not None:
            taken[slot.relative] = found
    return taken


def _published_edition(slot: Slot, stamps: Stamps, published: Manifest, published_dir: Path) -> Taken | None:
    previous = published.files.get(slot.relative)
    if previous is None or previous.reads is None:
        return None
    cited, titles = previous.data.get("cited"), _titles(previous.data.get("titles"))
    # A manifest that lacks what the index needs of an edition makes it render again.
    if not _strings(cited) or titles is None:
        return None
    if previous.inputs != stamps.inputs_digest(slot, previous.reads):
        return None
    edition = RenderedArticle(slot.article.slug, slot.locale, "", cited, slot.bilingual_with, titles)
    return Taken(edition, previous, published_dir / slot.relative)


def _titles(value: object) -> TitleBlock | None:
    """What the index lists a reused edition by, as the manifest kept it (None: render the edition again)."""
    if not isinstance(value, dict) or set(value) != {"headline", "standfirst"}:
        return None
    if not all(part is None or isinstance(part, str) for part in value.values()):
        return None
    return TitleBlock(**value)


def _strings(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


@dataclass
class Plan:
    """What this build writes, and what it may reuse from the published folder."""

    out_dir: Path
    keys: dict[str, str]
    """Output file (relative path) -> digest of everything it is made from."""

    published: Manifest
    """The files already published and unchanged since."""

    jobs: int = 1
    rendered: list[str] = field(default_factory=list)
    """PDFs rendered by this build (the others were reused)."""

    def reusable(self, relative: str) -> bool:
        entry = self.published.files.get(relative)
        return entry is not None and entry.inputs == self.keys[relative]

    def reuse(self, relative: str, target: Path) -> None:
        """A hard link where the file system allows: published files are only
        ever replaced whole, never written in place, so sharing is safe."""
        try:
            os.link(self.out_dir / relative, target)
        except OSError:
            shutil.copy2(self.out_dir / relative, target)

    @property
    def nothing_changed(self) -> bool:
        return (
            self.published.intact
            and set(self.published.files) == set(self.keys)
            and all(self.reusable(relative) for relative in self.keys)
        )
