"""What a build may reuse: content hashes of what every output file is made from.

Each published file is recorded in a manifest beside it with the digest of
its inputs and of its own bytes.  An HTML edition's inputs are what its
render read (see dependencies.py); a PDF is a function of its HTML, the
assets (stylesheet, fonts, map data), the PDF variant and the pipeline's own
code.  So an edition whose inputs did not change (a fact cited elsewhere
changed, or only the Indonesian catalog did) is copied from the published
folder instead of rendered again, and a build whose project files are all as
they were publishes nothing and reads no more than their bytes.  Decisions
on inputs are made on content, never on modification times, so a checkout,
a copy or a clock change cannot fool them.  A published file edited by hand
is never reused: its bytes are hashed again unless its device, inode, size
and modification time (to the nanosecond) are exactly those recorded when it
was published and that time lies well before the manifest's (read_manifest),
so a nothing-changed build of a large corpus does not read every PDF.
"""

from __future__ import annotations

import io
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pipeline.config import CONFIG_FILE, Config
from pipeline.errors import Diagnostic
from pipeline.inputs import (
    ASSET,
    CATALOG,
    CONFIG,
    FACTS,
    TEMPLATE,
    UnsafeFile,
    code_digest,
    content_digest,
    read_input,
    tree_digest,
    walk,
)

MANIFEST = ".pipeline-manifest.json"
MANIFEST_VERSION = 2
RACY_NS = 2_000_000_000
"""A file modified this close before its manifest was written is hashed, not taken by its stat."""
CATALOG_SUFFIXES = (".mo",)
"""Compiled catalogs are the build's own by-product, remade from the .po files."""


@dataclass(slots=True)
class Entry:
    """One published file as the manifest records it."""

    inputs: str
    output: str
    reads: dict[str, list[str]] | None = None
    """For an edition: what its render read (dependencies.py), to digest again next time."""
    data: dict[str, Any] = field(default_factory=dict)
    """What later stages need of an edition that is reused rather than rendered."""
    seen: list[int] | None = None
    """[device, inode, size, modification time in ns] of the file as published (see read_manifest)."""

    def as_json(self, output: str | None = None, seen: list[int] | None = None) -> dict[str, Any]:
        """As the manifest writes it; `output` and `seen` stand in for the entry's own when given."""
        document: dict[str, Any] = {"inputs": self.inputs, "output": output or self.output}
        seen = seen or self.seen
        if seen is not None:
            document["seen"] = seen
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
    stamped = document.get("stamped")
    trusted_before = stamped - RACY_NS if isinstance(stamped, int) else None
    folder = os.fspath(out_dir)
    for name, entry in files.items():
        # Strings and one stat a file, not Path objects: a nothing-changed build
        # of a large corpus spends its time here (thousands of files).
        if not isinstance(entry, dict) or ".." in name.split("/"):
            continue
        path = os.path.join(folder, name)
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            continue
        # A file gone, or edited by hand since it was published, cannot be reused.
        if not stat.S_ISREG(status.st_mode):
            continue
        output, inputs, seen = entry.get("output"), entry.get("inputs"), entry.get("seen")
        if not isinstance(inputs, str) or not isinstance(output, str):
            continue
        if not _as_published(status, seen, trusted_before) and output != content_digest(_read(path)):
            continue
        reads, data = entry.get("reads"), entry.get("data")
        manifest.files[name] = Entry(
            inputs,
            output,
            reads if _is_reads(reads) else None,
            data if isinstance(data, dict) else {},
            seen if _is_seen(seen) else None,
        )
    manifest.intact = len(manifest.files) == len(files)
    return manifest


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _as_published(status: os.stat_result, seen: object, trusted_before: int | None) -> bool:
    """The file is the very one published, untouched since: same inode, size and
    modification time (ns), and that time older than the manifest by RACY_NS,
    so an edit within the file system's timestamp granularity of the write
    cannot pass for the original (as git does with its index)."""
    if trusted_before is None or not _is_seen(seen):
        return False
    assert isinstance(seen, list)
    return seen[3] < trusted_before and _stamp(status) == seen


def _seen(path: Path) -> list[int]:
    return _stamp(os.stat(path))


def _stamp(status: os.stat_result) -> list[int]:
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns]


def _is_seen(value: object) -> bool:
    return isinstance(value, list) and len(value) == 4 and all(type(item) is int for item in value)


def _is_reads(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(keys, list) and all(isinstance(key, str) for key in keys) for keys in value.values()
    )


def manifest_text(folder: Path, project: str, entries: dict[str, Entry]) -> str:
    """The manifest of the files in `folder`; an entry without its output digest is hashed here."""
    text = io.StringIO()
    _write_manifest(text, folder, project, entries)
    return text.getvalue()


def write_manifest(stage: Path, project: str, entries: dict[str, Entry]) -> None:
    with (stage / MANIFEST).open("w", encoding="utf-8") as file:
        _write_manifest(file, stage, project, entries)


def _write_manifest(file: TextIO, folder: Path, project: str, entries: dict[str, Entry]) -> None:
    """The manifest as json.dump(indent=1) writes it, one file's entry at a time: neither its text
    nor a document of a large corpus's thousands of entries is ever in memory whole."""
    stamped = time.time_ns()
    head = {"version": MANIFEST_VERSION, "project": project, "stamped": stamped}
    file.write(json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n "files": {')
    for number, name in enumerate(sorted(entries)):
        entry = entries[name]
        output = entry.output or content_digest((folder / name).read_bytes())
        document = entry.as_json(output, _seen(folder / name))
        # Nested two levels deep; JSON strings hold no raw line breaks, so every break is the layout's.
        text = json.dumps(document, indent=1, ensure_ascii=False).replace("\n", "\n  ")
        file.write(f"{',' if number else ''}\n  {json.dumps(name, ensure_ascii=False)}: {text}")
    file.write("\n }\n}\n" if entries else "}\n}\n")


def project_digest(config: Config, draft: bool, pdf_variant: str, assets: str) -> str:
    """Every file a build reads, the pipeline's code and the build's options.

    When it matches the published manifest's, the build would write exactly
    what is published: nothing need be read further.
    """
    config_file = config.root / CONFIG_FILE
    exists = os.path.lexists(config_file)
    return content_digest(
        code_digest(),
        read_input(config_file, config.root, CONFIG) if exists else b"\0absent",
        tree_digest(config.facts_dir, config.root, FACTS),
        tree_digest(config.templates_dir, config.root, TEMPLATE),
        tree_digest(config.locales_dir, config.root, CATALOG, skip_suffixes=CATALOG_SUFFIXES),
        assets,
        f"draft={draft}",
        f"pdf={pdf_variant}",
    )
