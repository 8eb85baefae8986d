"""Publishing without loss: a locked staging folder swapped in atomically.

A build writes into a staging folder beside the output folder.  Only when
everything is written and verified is the staging folder exchanged with the
published one in a single rename, so a failed or killed build leaves the
published tree exactly as it was.  An exclusive lock keeps two builds of the
same output folder from interleaving; the kernel releases it if a build dies,
and the next build removes what a killed one left behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import UserError

MARKER = ".pipeline-output"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Each retry means another build released the lock between our open and our
# flock; a handful of them in a row means something is wrong, not busy.
_LOCK_ATTEMPTS = 5


class Staging:
    def __init__(self, out_dir: Path, path: Path) -> None:
        self.out_dir = out_dir
        self.path = path

    def replace_published(self, name: str, text: str) -> None:
        """Instead of publishing: one file of the published folder replaced whole, under this build's lock."""
        _replace_file(self.out_dir, name, text)

    def publish(self) -> None:
        _refuse_links_out_of(self.path)
        (self.path / MARKER).write_text("published by pipeline build; replaced whole on every build\n")
        _fsync_tree(self.path)
        # The build takes a while: the folder may have changed since the first look.
        _refuse_foreign_folder(self.out_dir)
        if self.out_dir.exists():
            _exchange(self.path, self.out_dir)
            # The staging path now holds the previous edition; if removing it
            # fails or is killed, the next build removes what is left.
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            os.rename(self.path, self.out_dir)
        _fsync_dir(self.out_dir.parent)


@contextmanager
def staging(out_dir: Path) -> Iterator[Staging]:
    out_dir = out_dir.absolute()
    try:
        _refuse_foreign_folder(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _lock(out_dir):
            _recover(out_dir)
            _refuse_foreign_folder(out_dir)
            path = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
            path.mkdir()
            try:
                yield Staging(out_dir, path)
            finally:
                if path.exists():
                    shutil.rmtree(path, ignore_errors=True)
    except OSError as exc:
        # A full disk or a read-only folder is not a bug: one line, exit 2,
        # and (thanks to the staging folder) nothing published was touched.
        raise UserError.single(f"cannot write {out_dir}: {exc.strerror or exc}", "publish.write") from None


def _replace_file(out_dir: Path, name: str, text: str) -> None:
    """One file of the published folder replaced whole: a reader sees the old file or the new one, never half."""
    _refuse_foreign_folder(out_dir)
    temporary = out_dir / f".{name}.new-{os.getpid()}"
    try:
        temporary.write_text(text, encoding="utf-8")
        handle = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, out_dir / name)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_dir(out_dir)


def is_pipeline_output(out_dir: Path) -> bool:
    """A folder this pipeline published (and may therefore reuse files from)."""
    return (out_dir / MARKER).is_file()


def _refuse_foreign_folder(out_dir: Path) -> None:
    """Never swap away a folder the pipeline did not write (a typo'd --out)."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise UserError.single(f"output path {out_dir} is not a folder", "publish.out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise UserError.single(
            f"output folder {out_dir} holds files the pipeline did not write; choose an empty or new folder",
            "publish.out",
        )


def _refuse_links_out_of(stage: Path) -> None:
    """A symlink in assets/ would publish whatever it points to on the build machine."""
    root = stage.resolve()
    for folder, folders, files in os.walk(stage):
        for name in sorted([*folders, *files]):
            path = Path(folder, name)
            if not path.is_symlink():
                continue
            real = Path(os.path.realpath(path))
            if not real.is_relative_to(root) or not real.exists():
                raise UserError.single(
                    "symbolic link leading outside the published folder; copy the file into the project instead",
                    "publish.symlink",
                    path.relative_to(stage).as_posix(),
                )


@contextmanager
def _lock(out_dir: Path) -> Iterator[None]:
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    for _ in range(_LOCK_ATTEMPTS):
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UserError.single(
                    f"another build is publishing to {out_dir}; wait for it to finish", "publish.locked"
                ) from None
            # The holder unlinks the lock file before it unlocks, so the file we
            # opened may be one nobody else can find any more; whoever locks a
            # new file at the same path would then run beside us.  Holding the
            # lock counts only while the path still names the file we locked.
            if not _same_file(handle, lock_path):
                continue
            try:
                yield
            finally:
                lock_path.unlink(missing_ok=True)
            return
        finally:
            os.close(handle)
    raise UserError.single(f"could not lock {lock_path}; is another build starting and stopping?", "publish.locked")


def _same_file(handle: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _recover(out_dir: Path) -> None:
    """Undo what killed builds left behind (we hold the lock, so none of them is live).

    Without RENAME_EXCHANGE the swap takes two renames; a build killed between
    them leaves the published edition under `.previous-*` and no output folder.
    """
    for previous in sorted(out_dir.parent.glob(f".{out_dir.name}.previous-*")):
        if not out_dir.exists():
            os.rename(previous, out_dir)
        else:
            shutil.rmtree(previous, ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _renameat2(first: Path, second: Path, flags: int) -> int:
    """0 on success, else the errno; ENOSYS where the C library lacks renameat2."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        return errno.ENOSYS
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), flags)
    return 0 if result == 0 else ctypes.get_errno()


def _exchange(first: Path, second: Path) -> None:
    error = _renameat2(first, second, _RENAME_EXCHANGE)
    if error == 0:
        return
    if error not in (errno.EINVAL, errno.ENOSYS):
        raise OSError(error, os.strerror(error), str(second))
    # Filesystems without RENAME_EXCHANGE: three renames, with a short window
    # in which the published folder is missing (never half-written); a build
    # killed inside it is undone by _recover.
    previous = second.with_name(f".{second.name}.previous-{os.getpid()}")
    os.rename(second, previous)
    os.rename(first, second)
    os.rename(previous, first)


def _fsync_tree(root: Path) -> None:
    """Written data reaches the disk before the rename that publishes it."""
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                handle = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(handle)
                finally:
                    os.close(handle)
        _fsync_dir(Path(folder))


def _fsync_dir(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
