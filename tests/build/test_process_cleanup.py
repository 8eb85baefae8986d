"""A build killed with SIGKILL leaves no process behind: PDF workers, forkserver and resource tracker go too.

The build runs in a fresh interpreter with the project copy as its working
directory, which every process it starts inherits; /proc tells which of them
are still alive (no psutil).  Linux only: elsewhere there is no /proc to read.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")

WORKERS_WAIT = 120
"""Seconds for the build to reach its PDFs (it renders every HTML page first)."""
GONE_WAIT = 10


def processes() -> Iterator[tuple[int, int, str]]:
    """Every visible process as (pid, parent pid, working directory); '' when unreadable."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
            # The command name in parentheses may hold spaces: the fields start after its last ')'.
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] == "Z":
                continue  # a zombie has exited; only its parent's wait is missing
            parent = int(fields[1])
        except (OSError, ValueError, IndexError):
            continue
        try:
            cwd = os.readlink(f"/proc/{entry.name}/cwd")
        except OSError:
            cwd = ""
        yield int(entry.name), parent, cwd


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, parent, _ in processes():
        children.setdefault(parent, []).append(pid)
    found: set[int] = set()
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def pdf_workers(build: int) -> set[int]:
    """The build's PDF workers: the children of its forkserver."""
    below = descendants(build)
    servers = {pid for pid in below if "multiprocessing.forkserver" in cmdline(pid)}
    return {pid for pid, parent, _ in processes() if parent in servers}


def left_behind(project: Path, known: set[int]) -> set[int]:
    """Processes still alive that the build started: seen below it, or working in the project copy."""
    alive = {pid: cwd for pid, _, cwd in processes()}
    return {pid for pid, cwd in alive.items() if pid in known or cwd == str(project)} - {os.getpid()}


def test_a_killed_build_leaves_no_process_behind(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project").root
    command = [sys.executable, "-m", "pipeline", "--project", str(project), "build", "--force", "--jobs", "2"]
    # The checkout on the path, whatever the working directory (the project copy, inherited by every child).
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "PYTHONPATH": path}
    build = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    known: set[int] = set()
    try:
        deadline = time.monotonic() + WORKERS_WAIT
        while len(pdf_workers(build.pid)) < 2:
            assert build.poll() is None, f"the build ended before rendering PDFs: {build.stderr.read()!r}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"no two PDF workers within {WORKERS_WAIT} s"
            time.sleep(0.05)
        known = descendants(build.pid)
        assert len(known) >= 4, known  # resource tracker, forkserver, two workers
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)

        deadline = time.monotonic() + GONE_WAIT
        while left_behind(project, known) and time.monotonic() < deadline:
            time.sleep(0.1)
        remaining = left_behind(project, known)
        assert not remaining, [f"{pid}: {cmdline(pid)}" for pid in sorted(remaining)]
    finally:
        if build.poll() is None:
            build.kill()
            build.wait(timeout=10)
        assert build.stderr is not None
        build.stderr.close()
        # Whatever the build left (the test failing), by process id: never by name.
        for pid in left_behind(project, set()):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
