"""What a build may reuse: content hashes of what every output file is made from.

Each published file is recorded in a manifest beside it with the digest of
its inputs and of its own bytes.  An HTML edition's inputs are what its
render read (see dependencies.py); a PDF is a function of its HTML, the
assets (stylesheet, fonts, map data), the PDF variant and the pipeline's own
code.  So an edition whose inputs did not change (a fact cited elsewhere
changed, or only the Indonesian catalog did) is copied from the published
folder instead of rendered again, and a build whose project files are all as
they were publishes nothing and reads no more than their bytes.  Decisions
are made on content, never on modification times, so a checkout, a copy or
a clock change cannot fool them, and a published file edited by hand is
never reused.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import Diagnostic
from pipeline.inputs import ASSET, UnsafeFile, content_digest, read_input, walk

MANIFEST = ".pipeline-manifest.json"
MANIFEST_VERSION = 2
# Libraries whose output is part of ours: locale data, templating, the PDF
# renderer and what it parses, hyphenates and embeds with.
RENDERING_LIBRARIES = (
    "babel",
    "jinja2",
    "markupsafe",
    "weasyprint",
    "pydyf",
    "fonttools",
    "pyphen",
    "tinycss2",
    "tinyhtml5",
    "cssselect2",
)


@cache
def code_digest() -> str:
    """The pipeline's own source and the versions of the libraries that shape
    its output: a new version of either renders everything again."""
    package = Path(__file__).resolve().parent.parent
    files = sorted(package.rglob("*.py"))
    # Versions come from package metadata: importing the PDF renderer here
    # would cost a nothing-changed build half a second.
    versions = [f"{name}={_version(name)}" for name in RENDERING_LIBRARIES]
    return content_digest(
        *versions, *(part for path in files for part in (path.relative_to(package).as_posix(), path.read_bytes()))
    )


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@dataclass
class Entry:
    """One published file as the manifest records it."""

    inputs: str
    output: str
    reads: dict[str, list[str]] | None = None
    """For an edition: what its render read (dependencies.py), to digest again next time."""
    data: dict[str, Any] = field(default_factory=dict)
    """What later stages need of an edition that is reused rather than rendered."""

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"inputs": self.inputs, "output": self.output}
        if self.reads is not None:
            document["reads"] = self.reads
        if self.data:
            document["data"] = self.data
        return document


@dataclass
class Manifest:
    project: str | None = None
    """Digest of every project file the last build read, and of its options."""
    files: dict[str, Entry] = field(default_factory=dict)
    """Published files still as they were published (relative path -> entry)."""
    intact: bool = False
    """Every file the manifest lists is there, unchanged."""
    digest: str | None = None
    """The manifest file's own digest, as read."""


def manifest_digest(out_dir: Path) -> str | None:
    """The manifest's bytes as a digest: another build that published since leaves a different one."""
    try:
        return content_digest((out_dir / MANIFEST).read_bytes())
    except OSError:
        return None


def asset_entries(assets_dir: Path, root: Path) -> dict[str, Entry]:
    """The assets as published (assets/...): copied as they are, so their digest is both input and output.

    A link inside the project is digested as the file it leads to.  A link
    leading out of it is never read: its target names it, and publishing
    refuses it (publish.py) as the PDF renderer does (pdf/document.py).
    """
    entries = {}
    refused: list[Diagnostic] = []
    for path in walk(assets_dir, root, ASSET):
        if path.is_symlink() and not _leads_into(path, root):
            digest = content_digest("link", os.readlink(path))
        else:
            try:
                digest = content_digest(read_input(path, root, ASSET, follow=True))
            except UnsafeFile as exc:
                refused.extend(exc.diagnostics)
                continue
        entries[f"assets/{path.relative_to(assets_dir).as_posix()}"] = Entry(digest, digest)
    if refused:
        raise UnsafeFile(refused)
    return entries


def _leads_into(link: Path, root: Path) -> bool:
    return Path(os.path.realpath(link)).is_relative_to(root.resolve())


def entries_digest(entries: dict[str, Entry]) -> str:
    """One digest of files already digested one by one."""
    return content_digest(*(part for name, entry in sorted(entries.items()) for part in (name, entry.inputs)))


def read_manifest(out_dir: Path) -> Manifest:
    try:
        raw = (out_dir / MANIFEST).read_bytes()
        document = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(document, dict) or document.get("version") != MANIFEST_VERSION:
        return Manifest()
    files = document.get("files")
    if not isinstance(files, dict):
        return Manifest()
    manifest = Manifest(
        project=document.get("project") if isinstance(document.get("project"), str) else None,
        digest=content_digest(raw),
    )
    for name, entry in files.items():
        path = out_dir / name
        # A file gone, or edited by hand since it was published, cannot be reused.
        if not isinstance(entry, dict) or ".." in Path(name).parts or not path.is_file():
            continue
        output, inputs = entry.get("output"), entry.get("inputs")
        if not isinstance(inputs, str) or output != content_digest(path.read_bytes()):
            continue
        reads, data = entry.get("reads"), entry.get("data")
        manifest.files[name] = Entry(
            inputs,
            output,
            reads if _is_reads(reads) else None,
            data if isinstance(data, dict) else {},
        )
    manifest.intact = len(manifest.files) == len(files)
    return manifest


def _is_reads(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(keys, list) and all(isinstance(key, str) for key in keys) for keys in value.values()
    )


def manifest_text(folder: Path, project: str, entries: dict[str, Entry]) -> str:
    """The manifest of the files in `folder`; an entry without its output digest is hashed here."""
    files = {}
    for name, entry in sorted(entries.items()):
        if not entry.output:
            entry.output = content_digest((folder / name).read_bytes())
        files[name] = entry.as_json()
    document = {"version": MANIFEST_VERSION, "project": project, "files": files}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write_manifest(stage: Path, project: str, entries: dict[str, Entry]) -> None:
    (stage / MANIFEST).write_text(manifest_text(stage, project, entries), encoding="utf-8")
