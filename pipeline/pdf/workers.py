"""PDF workers die with the build that started them, however the build ends.

A build killed with SIGKILL runs no clean-up, and multiprocessing's own
processes do not notice on their own: a pool worker waits on its task queue,
whose write end it holds itself, so it waits forever; the forkserver exits
only once every process holding its "alive" pipe has gone, workers included;
the resource tracker exits only once every holder of its pipe (the build,
the forkserver and each worker) has gone.  So the workers are the knot: once
they go, the forkserver sees the end of its pipe and exits, and then the
resource tracker does (tests/build/test_process_cleanup.py checks the whole chain).

The build therefore keeps the only write end of a pipe, the lifeline, and
hands every worker its read end.  A thread in each worker blocks reading it:
nothing is ever written, so the read returns only at end of file, when the
build is gone, by any death, and the worker exits at once.  This works on
every POSIX system.  On Linux a worker also asks the kernel to kill it when
its own parent (the forkserver) dies, so that a forkserver killed alone
leaves no worker either; elsewhere that request is skipped.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from pipeline.pdf.document import PdfJob, Rendered
    from pipeline.pdf.fonts import FontReuse

PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>: the signal a process receives when its parent dies."""

ORPHANED_EXIT = 70
"""The status a worker exits with when its build has gone (nobody is left to read it)."""

_lifeline: tuple[Connection, Connection] | None = None
_lifeline_lock = threading.Lock()


def lifeline() -> Connection:
    """The read end of this process's lifeline, to pass to each worker it starts (initargs).

    Made once per process and never closed: its write end must live exactly
    as long as the build.  Passing the read end to a forkserver worker
    duplicates it into that worker; the write end is never passed on, and
    (like every descriptor Python opens) is closed in any program the build
    executes.
    """
    global _lifeline
    with _lifeline_lock:
        if _lifeline is None:
            import multiprocessing

            _lifeline = multiprocessing.Pipe(duplex=False)
        return _lifeline[0]


_worker_fonts: FontReuse | None = None
"""The font configuration a worker process hands from one PDF to the next."""


def start_worker(lifeline: Connection) -> None:
    """A pool worker's initializer: watch the lifeline, load what every PDF needs."""
    global _worker_fonts
    from multiprocessing.util import Finalize

    from pipeline.pdf.fonts import FontReuse

    _worker_fonts = FontReuse()
    # First, before the slow imports: a build killed meanwhile must not leave this worker.
    die_with_build(lifeline, _worker_fonts.close)
    # Every worker pays for its imports at once, side by side, not inside its first PDF.
    import pypdfium2  # noqa: F401
    import weasyprint  # noqa: F401

    # Run as the worker exits, before os._exit skips every other clean-up.
    Finalize(_worker_fonts, _worker_fonts.close, exitpriority=10)


def render_in_worker(job: PdfJob, allowed_roots: list[Path], variant: str) -> Rendered:
    from pipeline.pdf.document import render_job

    return render_job(job, allowed_roots, variant, _worker_fonts)


def die_with_build(lifeline: Connection, clean_up: Callable[[], None] | None = None) -> None:
    """In a worker: exit as soon as the build holding the lifeline's write end is gone.

    `clean_up` runs first (e.g. removing temporary font files), since the
    worker leaves through os._exit, which skips every other clean-up.
    """
    _die_with_parent()
    watcher = threading.Thread(target=_wait_for_end, args=(lifeline, clean_up), name="pdf-worker-lifeline", daemon=True)
    watcher.start()


def _wait_for_end(lifeline: Connection, clean_up: Callable[[], None] | None) -> None:
    try:
        while True:
            lifeline.recv_bytes()  # nothing is ever sent: this returns only at end of file
    except EOFError:
        pass
    except OSError:
        return  # the pipe cannot be watched: the worker lives as it did without it
    try:
        if clean_up is not None:
            clean_up()
    finally:
        os._exit(ORPHANED_EXIT)


def _die_with_parent() -> None:
    """On Linux, be killed by the kernel when the parent process dies; elsewhere, nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        parent = os.getppid()
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # no C library to ask: the lifeline still ends the worker with its build
    if os.getppid() != parent:
        # The parent died before the request took effect: the signal will never come.
        os.kill(os.getpid(), signal.SIGKILL)
