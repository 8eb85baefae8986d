"""What a build may reuse: content hashes of what every output file is made from.

Each published file is recorded in a manifest beside it with the digest of
its inputs and of its own bytes.  An HTML page is its rendered text; a PDF is
a function of that HTML, the assets (stylesheet, fonts, map data), the PDF
variant and the pipeline's own code, so a PDF whose inputs did not change
(a fact cited elsewhere changed, or only the Indonesian catalog did) is
copied from the published folder instead of rendered again, and a build in
which nothing changed publishes nothing.  Decisions are made on content,
never on modification times, so a checkout, a copy or a clock change cannot
fool them, and a published file edited by hand is never reused.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from functools import cache
from pathlib import Path

MANIFEST = ".pipeline-manifest.json"
MANIFEST_VERSION = 1


def content_digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@cache
def code_digest() -> str:
    """The pipeline's own source: a new version of the tool re-renders everything."""
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py"))
    # The PDF renderer's version too, read from its metadata without importing it.
    renderer = importlib.metadata.version("weasyprint")
    return content_digest(
        renderer, *(part for path in files for part in (path.relative_to(package).as_posix(), path.read_bytes()))
    )


def tree_digest(folder: Path) -> str:
    """Every regular file below `folder`, by relative path and content."""
    if not folder.is_dir():
        return content_digest("absent")
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return content_digest(
        *(part for path in files for part in (path.relative_to(folder).as_posix(), path.read_bytes()))
    )


def read_manifest(out_dir: Path) -> dict[str, str]:
    """Output file (relative path) -> digest of its inputs, as last published."""
    try:
        document = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("version") != MANIFEST_VERSION:
        return {}
    files = document.get("files")
    if not isinstance(files, dict):
        return {}
    reusable = {}
    for name, entry in files.items():
        path = out_dir / name
        # A file gone, or edited by hand since it was published, cannot be reused.
        if not isinstance(entry, dict) or ".." in Path(name).parts or not path.is_file():
            continue
        if entry.get("output") == content_digest(path.read_bytes()) and isinstance(entry.get("inputs"), str):
            reusable[name] = entry["inputs"]
    return reusable


def write_manifest(stage: Path, inputs: dict[str, str]) -> None:
    """Record, for every file written, the digest of its inputs and of its own bytes."""
    files = {
        name: {"inputs": digest, "output": content_digest((stage / name).read_bytes())}
        for name, digest in sorted(inputs.items())
    }
    document = {"version": MANIFEST_VERSION, "files": files}
    (stage / MANIFEST).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
