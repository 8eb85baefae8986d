"""What a build may reuse: content hashes of every input of every output file.

An edition (one article in one locale, or the bilingual pair) depends on the
facts and sources it cites, the templates it is rendered from, the compiled
catalog of its locale, the stylesheets and assets, the project's
configuration and the pipeline's own code.  Each output file is recorded in a
manifest beside the published files with the digest of those inputs; a later
build re-renders only the editions whose digest changed and copies the rest
from the published folder.  Decisions are made on content, never on
modification times, so a checkout, a copy or a clock change cannot fool them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pipeline.config import Config
from pipeline.load import FactBase

MANIFEST = ".pipeline-manifest.json"
MANIFEST_VERSION = 1


def _digest(*parts: bytes | str) -> str:
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
    return _digest(*(part for path in files for part in (path.relative_to(package).as_posix(), path.read_bytes())))


def tree_digest(folder: Path) -> str:
    """Every regular file below `folder`, by relative path and content."""
    if not folder.is_dir():
        return _digest("absent")
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return _digest(*(part for path in files for part in (path.relative_to(folder).as_posix(), path.read_bytes())))


def facts_digest(base: FactBase, fact_ids: Iterable[str]) -> str:
    """The facts an edition cites and their sources, as data (not as YAML text:
    reformatting a file or moving a fact to another file changes nothing)."""
    records = {}
    for fact_id in sorted(set(fact_ids)):
        fact = base.facts.get(fact_id)
        if fact is None:
            continue
        source = base.sources.get(fact.source)
        records[fact_id] = {
            "fact": fact.model_dump(mode="json"),
            "source": source.model_dump(mode="json") if source is not None else None,
        }
    return _digest(json.dumps(records, sort_keys=True))


def edition_digest(
    config: Config,
    base: FactBase,
    *,
    slug: str,
    folder: str,
    fact_ids: Iterable[str],
    templates: Iterable[Path],
    catalog_digests: Iterable[str],
    assets: str,
    options: str,
) -> str:
    article = base.articles[slug]
    config_file = config.root / "pipeline.toml"
    return _digest(
        str(MANIFEST_VERSION),
        code_digest(),
        folder,
        json.dumps(article.model_dump(mode="json"), sort_keys=True),
        facts_digest(base, fact_ids),
        *(part for path in sorted(templates) for part in (path.name, path.read_bytes())),
        *catalog_digests,
        assets,
        config_file.read_bytes() if config_file.exists() else b"",
        options,
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
        if entry.get("output") == _digest(path.read_bytes()) and isinstance(entry.get("inputs"), str):
            reusable[name] = entry["inputs"]
    return reusable


def write_manifest(stage: Path, inputs: dict[str, str]) -> None:
    """Record, for every file written, the digest of its inputs and of its own bytes."""
    files = {
        name: {"inputs": digest, "output": _digest((stage / name).read_bytes())}
        for name, digest in sorted(inputs.items())
    }
    document = {"version": MANIFEST_VERSION, "files": files}
    (stage / MANIFEST).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
