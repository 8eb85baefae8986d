"""Publishing without loss: a locked staging folder swapped in atomically.

A build writes into a staging folder beside the output folder.  Only when
everything is written and verified is the staging folder exchanged with the
published one in a single rename, so a failed or killed build leaves the
published tree exactly as it was.  An exclusive lock keeps two builds of the
same output folder from interleaving; the kernel releases it if a build dies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import UserError

MARKER = ".pipeline-output"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class Staging:
    def __init__(self, out_dir: Path, path: Path) -> None:
        self.out_dir = out_dir
        self.path = path

    def publish(self) -> None:
        (self.path / MARKER).write_text("published by pipeline build; replaced whole on every build\n")
        if self.out_dir.exists():
            _exchange(self.path, self.out_dir)
            # The staging path now holds the previous edition.
            shutil.rmtree(self.path)
        else:
            os.rename(self.path, self.out_dir)
        _fsync_dir(self.out_dir.parent)


@contextmanager
def staging(out_dir: Path) -> Iterator[Staging]:
    out_dir = out_dir.absolute()
    _refuse_foreign_folder(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out_dir):
        _remove_leftovers(out_dir)
        path = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
        path.mkdir()
        try:
            yield Staging(out_dir, path)
        finally:
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)


def _refuse_foreign_folder(out_dir: Path) -> None:
    """Never swap away a folder the pipeline did not write (a typo'd --out)."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise UserError.single(f"output path {out_dir} is not a folder", "publish.out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise UserError.single(
            f"output folder {out_dir} holds files the pipeline did not write; choose an empty or new folder",
            "publish.out",
        )


@contextmanager
def _lock(out_dir: Path) -> Iterator[None]:
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError.single(
                f"another build is publishing to {out_dir}; wait for it to finish", "publish.locked"
            ) from None
        try:
            yield
        finally:
            lock_path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def _remove_leftovers(out_dir: Path) -> None:
    """Staging folders of builds that were killed (we hold the lock, so none is live)."""
    for leftover in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _exchange(first: Path, second: Path) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
        if result == 0:
            return
        error = ctypes.get_errno()
        if error not in (errno.EINVAL, errno.ENOSYS):
            raise OSError(error, os.strerror(error), str(second))
    # Filesystems without RENAME_EXCHANGE: two renames, with a short window in
    # which the published folder is missing but never half-written.
    previous = first.with_name(first.name + ".previous")
    os.rename(second, previous)
    os.rename(first, second)
    os.rename(previous, first)


def _fsync_dir(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
