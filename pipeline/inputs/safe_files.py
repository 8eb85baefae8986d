"""One way in for every file the pipeline reads: regular files of the project, of a bounded size.

A fact file that is a FIFO would hang a build; one that is a symbolic link
to /dev/zero would fill the memory before a size limit applied to what was
read; a catalog linked to /proc/self/environ would print the build's secrets
into a CI log, line by line, in the errors about it.  So every input is
opened without following a final symbolic link where none is expected
(`O_NOFOLLOW`), never blocks on opening (`O_NONBLOCK`), is checked on the
open descriptor (`fstat`: a regular file, not a device, FIFO or socket), must
lie inside its root once every link in its path is resolved, and is read up
to its kind's limit and one byte more, so an oversized file is refused
without being read whole.  Errors name the path and the reason, never what
the file holds.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import Diagnostic, UserError, display_path

KiB = 1024
MiB = 1024 * KiB


@dataclass(frozen=True)
class Kind:
    """A kind of input file and how much of it the pipeline reads at most."""

    name: str
    limit: int
    code: str


FACTS = Kind("fact file", 1 * MiB, "facts.file")
CONFIG = Kind("configuration file", 64 * KiB, "config.file")
CATALOG = Kind("catalog", 4 * MiB, "catalog.file")
TEMPLATE = Kind("template", 1 * MiB, "template.file")
ASSET = Kind("asset", 16 * MiB, "assets.file")
AUDITED = Kind("text to audit", 4 * MiB, "audit.file")
KINDS = (FACTS, CONFIG, CATALOG, TEMPLATE, ASSET, AUDITED)


class UnsafeFile(UserError):
    """An input that is not a regular file of the project, or too large."""


def read_input(path: Path, root: Path, kind: Kind, *, follow: bool = False, shown: str | None = None) -> bytes:
    """The bytes of the input file `path`, which must be a regular file inside `root`.

    With `follow`, a symbolic link is followed if it leads to a file inside
    `root` (assets may be links within the project); without, a link is refused.
    `shown` names the file in errors (default: its path relative to `root`).
    """
    shown = _shown(path, root) if shown is None else shown

    def refuse(reason: str) -> UnsafeFile:
        return UnsafeFile([Diagnostic(f"{kind.name} {reason}", kind.code, shown)])

    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise refuse("cannot be read: it does not exist or a link in its path leads nowhere") from None
    try:
        inside = real.is_relative_to(root.resolve(strict=True))
    except OSError:
        inside = False
    if not inside:
        raise refuse("leads outside the project (a symbolic link); copy the file into the project instead")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise refuse("is a symbolic link; write the file itself here") from None
        raise refuse(f"cannot be opened: {exc.strerror or 'error'}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise refuse(f"is not a regular file (it is {_file_type(status.st_mode)})")
        if status.st_size > kind.limit:
            raise refuse(f"is larger than the limit of {_size(kind.limit)} for a {kind.name}")
        chunks: list[bytes] = []
        remaining = kind.limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 * MiB))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(descriptor)
    if len(data) > kind.limit:
        # A file that grew while it was read, or reports a wrong size.
        raise refuse(f"is larger than the limit of {_size(kind.limit)} for a {kind.name}")
    return data


def read_input_text(path: Path, root: Path, kind: Kind, *, follow: bool = False) -> str:
    """`read_input` decoded as UTF-8; a file that is not UTF-8 is refused with its path."""
    data = read_input(path, root, kind, follow=follow)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = _shown(path, root)
        message = f"{kind.name} is not UTF-8 text (byte {exc.start})"
        raise UnsafeFile([Diagnostic(message, kind.code, shown)]) from None


def walk(folder: Path, root: Path, kind: Kind, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """Every file below `folder`, sorted: regular files and symbolic links (which
    `read_input` then judges), only those ending in one of `suffixes` if given.

    A FIFO, socket or device anywhere below is refused, with every such path at
    once, whatever its name: nothing is opened, so nothing can block.  Linked
    folders are not entered (a link is a file here, refused when read).
    """
    found: list[Path] = []
    refused: list[Diagnostic] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            # A folder that does not exist holds nothing; the caller says when one is required.
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                message = f"{kind.name} is not a regular file (it is {_file_type(mode)})"
                refused.append(Diagnostic(message, kind.code, _shown(path, root)))
            elif not suffixes or path.suffix in suffixes:
                found.append(path)
    if refused:
        raise UnsafeFile(sorted(refused, key=lambda diagnostic: diagnostic.file or ""))
    return sorted(found)


def _shown(path: Path, root: Path) -> str:
    # The path as the project names it, the link itself rather than where it leads.
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return display_path(path, root)


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit // KiB} KiB"


# Digests: what an incremental build compares, read through the same refusals ----------


def content_digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(folder: Path, root: Path, kind: Kind, skip_suffixes: tuple[str, ...] = ()) -> str:
    """Every file below `folder`, by relative path and content, read as `kind` (safe_files.py).

    The digest comes before anything else a build reads, so it must neither
    block on a FIFO nor read a link to a device: what `read_input` refuses is
    refused here, every such file at once.
    """
    if not folder.is_dir():
        return content_digest("absent")
    parts: list[bytes | str] = []
    refused: list[Diagnostic] = []
    for path in walk(folder, root, kind):
        if path.suffix in skip_suffixes:
            continue
        try:
            parts += [path.relative_to(folder).as_posix(), read_input(path, root, kind)]
        except UnsafeFile as exc:
            refused.extend(exc.diagnostics)
    if refused:
        raise UnsafeFile(refused)
    return content_digest(*parts)


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
    found = installed_versions(RENDERING_LIBRARIES)
    versions = [f"{name}={found.get(name, 'absent')}" for name in RENDERING_LIBRARIES]
    return content_digest(
        *versions, *(part for path in files for part in (path.relative_to(package).as_posix(), path.read_bytes()))
    )


def installed_versions(distributions: Iterable[str]) -> dict[str, str]:
    """The version of each distribution installed on sys.path, read from the name of its metadata folder
    (`weasyprint-70.0.dist-info`), the first found winning as for an import.

    importlib.metadata finds the same folders, but importing it costs a
    nothing-changed build more (about 18 ms) than this whole lookup."""
    wanted = {_normalised(name): name for name in distributions}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except OSError:
            continue  # a zip file, or a folder that is gone
        with listing:
            for item in listing:
                stem, _, suffix = item.name.rpartition(".")
                name, _, version = stem.partition("-")
                distribution = wanted.get(_normalised(name))
                if suffix in ("dist-info", "egg-info") and distribution and distribution not in found:
                    found[distribution] = version
    return found


def _normalised(name: str) -> str:
    """A distribution's name as its metadata folder may spell it (PEP 503, then "-" escaped as "_")."""
    return name.lower().replace("-", "_").replace(".", "_")
