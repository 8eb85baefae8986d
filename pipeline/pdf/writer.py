"""Many PDFs at once: batches of jobs rendered in worker processes.

One document's rendering, and the fetcher that keeps it to the project's own
files, is pipeline.pdf.document; the workers are pipeline.pdf.workers.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import Diagnostic, UserError
from pipeline.pdf.document import PagesRead, PdfJob, Rendered, render_job
from pipeline.pdf.workers import lifeline, render_in_worker, start_worker

PDFS_PER_WORKER = 200
"""PDFs a worker renders at most before it is replaced by a fresh one.

With the font configuration shared (fonts.py) a worker's memory levels
off after its first few documents (measured flat over 400); replacing it is
a safety net against growth elsewhere, so it is rare: it costs a pool start
and a WeasyPrint import each time.
"""


SOCKET_PATH_MAX = 103 if sys.platform == "darwin" else 107
"""Bytes of a Unix socket's path, less the final NUL (sun_path is 104 on macOS, 108 on Linux)."""
FORKSERVER_SOCKET = "/pymp-xxxxxxxx/listener-xxxxxxxx"
"""Where multiprocessing puts the forkserver's socket, under the temporary folder."""


def _refuse_a_temporary_folder_too_deep() -> None:
    # Otherwise the pool fails deep inside multiprocessing with "AF_UNIX path too long".
    folder = tempfile.gettempdir()
    if len(os.fsencode(folder) + FORKSERVER_SOCKET.encode()) > SOCKET_PATH_MAX:
        raise UserError.single(
            f"cannot start the PDF workers: the temporary folder {folder} is too deep for their socket; "
            "set TMPDIR to a shorter path, or build with --jobs 1",
            "pdf.workers",
        )


def batches(jobs: list[PdfJob], workers: int) -> list[list[PdfJob]]:
    """The jobs in as few pools as PDFS_PER_WORKER allows, of even sizes, in order.

    Even: 81 PDFs for two workers are one pool, and 401 are two of 201 and
    200, never a pool started (WeasyPrint imported again) for one PDF.
    """
    if not jobs:
        return []
    count = -(-len(jobs) // (max(workers, 1) * PDFS_PER_WORKER))
    size, extra = divmod(len(jobs), count)
    result: list[list[PdfJob]] = []
    first = 0
    for number in range(count):
        last = first + size + (1 if number < extra else 0)
        result.append(jobs[first:last])
        first = last
    return result


def write_pdfs(
    jobs: list[PdfJob],
    allowed_roots: list[Path],
    variant: str = "ua",
    workers: int = 1,
    done: Callable[[PdfJob], None] | None = None,
    read: PagesRead | None = None,
) -> dict[Path, list[str]]:
    """Render PDFs, several at once across articles (WeasyPrint renders one
    document on one core); returns the page texts of the jobs that asked, by PDF,
    but those `read` took as they arrived.

    Results are taken in order and the first PDF that fails stops the rest,
    exactly as a one-worker build would, so the findings do not depend on
    which worker happened to finish first.
    """
    texts: dict[Path, list[str]] = {}

    def take(job: PdfJob, rendered: Rendered) -> None:
        findings, pages = rendered
        _raise_findings(findings)
        if pages is not None and (read is None or not read(job, pages)):
            texts[job.pdf] = pages
        if done is not None:
            done(job)

    if workers <= 1 or len(jobs) <= 1:
        from pipeline.pdf.fonts import FontReuse

        fonts = FontReuse()
        for job in jobs:
            take(job, render_job(job, allowed_roots, variant, fonts))
        return texts
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: workers start from a clean process, not a fork of this one
    # (which may hold threads, open locks and a large heap).  A fresh pool per
    # batch recycles the workers, so their memory stays bounded however many
    # PDFs a corpus has (Python 3.11's max_tasks_per_child can deadlock).
    # The lifeline ends the workers with this process, however it ends (workers.py).
    _refuse_a_temporary_folder_too_deep()
    context = multiprocessing.get_context("forkserver")
    start = (lifeline(),)
    for chunk in batches(jobs, workers):
        with ProcessPoolExecutor(workers, context, initializer=start_worker, initargs=start) as pool:
            # Taken off the queue as they are taken: a future holds its PDF's page texts
            # until it is let go, and a batch's would otherwise pile up here until its end.
            pending = deque((job, pool.submit(render_in_worker, job, allowed_roots, variant)) for job in chunk)
            while pending:
                job, future = pending.popleft()
                try:
                    take(job, future.result())
                except BaseException:
                    # A finding, a failed write, Ctrl-C: the staging folder is
                    # discarded anyway, so stop rendering now.
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    return texts


def _raise_findings(findings: list[Diagnostic]) -> None:
    if findings:
        raise UserError(dict.fromkeys(findings))
