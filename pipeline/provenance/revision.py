"""The project as it was at a git revision, read from git's object store.

Nothing is checked out: the working tree, which editors may be changing at
the same time, is never touched.  The project may be a subfolder of its
repository (a newsroom repository holds several).
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from pipeline.config import Config
from pipeline.errors import UserError
from pipeline.facts import FactBase, load_facts

FACT_SUFFIXES = (".yaml", ".yml")
REGULAR_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True)
class Revision:
    """A commit of the repository holding the project, and the project's place in it."""

    name: str
    commit: str
    prefix: str
    """The project folder relative to the repository's top, "" or ending in "/"."""

    root: Path

    def paths(self, folder: str) -> list[str]:
        """Repository paths of the regular files under the project's `folder` at this revision."""
        listing = _git(self.root, "ls-tree", "-r", "-z", "--full-tree", self.commit, "--", self.prefix + folder)
        found = []
        for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
            if not entry:
                continue
            info, _, path = entry.partition("\t")
            if info.split()[0] in REGULAR_FILE_MODES:
                found.append(path)
        return found

    def read(self, repository_path: str) -> bytes | None:
        try:
            return _git(self.root, "cat-file", "blob", f"{self.commit}:{repository_path}")
        except UserError:
            return None


def resolve_revision(root: Path, name: str) -> Revision:
    # A revision starting with "-" would be read by git as an option.
    if name.startswith("-"):
        raise UserError.single(f"unknown git revision {name!r}", "diff.revision")
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").decode().strip()
    except UserError:
        raise UserError.single(f"unknown git revision {name!r}", "diff.revision") from None
    return Revision(name, commit, prefix, root)


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UserError.single("git is not installed", "diff.git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        if message and "not a git repository" in message[0]:
            raise UserError.single(f"the project folder {root} is not in a git repository", "diff.git")
        raise UserError.single(f"git {args[0]} failed: {message[0] if message else done.returncode}", "diff.git")
    return done.stdout


def facts_at(config: Config, revision: Revision) -> FactBase:
    """The fact base as it was at the revision, loaded by the same rules as today's."""
    with tempfile.TemporaryDirectory(prefix="pipeline-diff-") as scratch:
        root = Path(scratch)
        for path in revision.paths("facts"):
            if not path.endswith(FACT_SUFFIXES):
                continue
            data = revision.read(path)
            target = root / path.removeprefix(revision.prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data or b"")
        (root / "facts").mkdir(exist_ok=True)
        try:
            return load_facts(Config(root=root, locales=config.locales))
        except UserError as error:
            # The old files' own mistakes: say which revision they belong to.
            raise UserError(replace(d, message=f"at {revision.name}: {d.message}") for d in error.diagnostics) from None


def catalog_at(revision: Revision, relative: str, locale_name: str) -> Catalog | None:
    """A catalog (`relative` to the project) as it was at the revision; None when absent or unreadable."""
    raw = revision.read(revision.prefix + relative)
    if raw is None:
        return None
    try:
        return read_po(io.BytesIO(raw), locale=locale_name)
    except Exception:  # an old catalog that no longer parses counts as absent
        return None
