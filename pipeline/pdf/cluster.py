"""PDFs rendered on a Dask distributed cluster instead of local worker processes.

`pipeline build --scheduler tcp://HOST:PORT` hands each PDF to the cluster.
What travels: each task carries its edition's HTML, the file to embed in
its PDF with that file's note, the PDF variant and the digest of the
pipeline's code; the assets (stylesheet, fonts, map data) are
scattered to every worker once, as one bundle named by its content digest,
and unpacked once per worker process.  A worker renders through the very
function a local worker calls (document.render_job), so the restricted
fetcher serves nothing but that bundle there too, and sends back the PDF's
bytes and page texts.  The client writes them into its staging folder; the
checks and the atomic publish stay on the client.

Faults: a worker that dies mid-task has its task rescheduled by Dask on
another; a scheduler that cannot be reached, or a cluster left without a
worker for GRACE_SECONDS, fails the build with one line; a worker whose
pipeline (code or rendering libraries) differs from the client's is never
given a task, and a task that reaches one anyway is refused there.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import stat
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pipeline.errors import Diagnostic, PipelineError, UserError
from pipeline.inputs import code_digest, content_digest
from pipeline.pdf.document import Embedded, PagesRead, PdfJob, embedded_file, render_job

if TYPE_CHECKING:
    from distributed import Client, Future

    from pipeline.pdf.fonts import FontReuse

CONNECT_SECONDS = 5
"""How long the client tries to reach the scheduler before the build fails."""
GRACE_SECONDS = 5.0
"""How long the build waits for a worker to come back once the cluster has none."""
POLL_SECONDS = 0.5
IN_FLIGHT_PER_THREAD = 4
"""Tasks sent ahead per worker thread: enough that no thread waits for the client, few enough that the
scheduler holds a window of the corpus's HTML and the workers a window of its PDFs, not all of them."""


@dataclass(frozen=True)
class AssetBundle:
    """The assets folder as data: regular files and symbolic links, by relative path."""

    digest: str
    files: tuple[tuple[str, bytes], ...]
    links: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RemoteJob:
    html: str
    """The edition's path relative to the site folder (en/mosul.html): diagnostics name it as a local build does."""
    text: bytes
    variant: str
    code: str
    """The client's code digest: a worker running another pipeline refuses the task."""
    embedded: Embedded | None = None
    """The file to embed (read on the client, refused there as a local build refuses it) and its note."""


@dataclass(frozen=True)
class RemoteResult:
    findings: list[Diagnostic]
    pages: list[str] | None
    pdf: bytes | None
    refused: str | None = None


def bundle_assets(assets: Path) -> AssetBundle:
    """The staged assets folder, as a local build's workers would read it."""
    files: list[tuple[str, bytes]] = []
    links: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(assets):
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
            path = Path(folder, name)
            relative = path.relative_to(assets).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                # Kept as a link: the worker's fetcher judges where it leads, as a local one does.
                links.append((relative, os.readlink(path)))
            elif stat.S_ISREG(mode):
                files.append((relative, path.read_bytes()))
    files.sort()
    links.sort()
    parts = [part for relative, data in files for part in ("file", relative, data)]
    parts += [part for relative, target in links for part in ("link", relative, target)]
    return AssetBundle(content_digest(*parts), tuple(files), tuple(links))


# On a worker -------------------------------------------------------------------------------

_worker_lock = threading.Lock()
_worker_fonts: FontReuse | None = None
_worker_sites: dict[str, Path] = {}
"""Bundle digest -> the site folder its assets were unpacked into, in this worker process."""


def render_remote(job: RemoteJob, bundle: AssetBundle) -> RemoteResult:
    """Runs on a Dask worker: one PDF, from the HTML the task carries."""
    global _worker_fonts
    if job.code != code_digest():
        return RemoteResult([], None, None, refused="runs another version of the pipeline")
    # WeasyPrint and the shared font configuration are not made for threads.
    with _worker_lock:
        if _worker_fonts is None:
            from pipeline.pdf.fonts import FontReuse

            _worker_fonts = FontReuse()
        site = _site(bundle)
        html = site / _safe_relative(job.html)
        html.parent.mkdir(parents=True, exist_ok=True)
        pdf = html.with_suffix(".pdf")
        # A folder of its own: the file keeps its name in the PDF whatever that name is.
        attached = Path(tempfile.mkdtemp(prefix="attached-", dir=site)) if job.embedded else None
        try:
            html.write_bytes(job.text)
            local = PdfJob(html, pdf, text=True)
            if job.embedded is not None and attached is not None:
                attachment = attached / _safe_name(job.embedded.name)
                attachment.write_bytes(job.embedded.data)
                local = local._replace(attachment=attachment, note=job.embedded.note)
            findings, pages = render_job(local, [site / "assets"], job.variant, _worker_fonts)
            data = pdf.read_bytes() if not findings else None
        finally:
            html.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)
            if attached is not None:
                shutil.rmtree(attached, ignore_errors=True)
    return RemoteResult(findings, pages, data)


def _site(bundle: AssetBundle) -> Path:
    site = _worker_sites.get(bundle.digest)
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="pipeline-site-", dir=_scratch()))
        assets = site / "assets"
        assets.mkdir()
        for relative, data in bundle.files:
            target = assets / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for relative, link_target in bundle.links:
            target = assets / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(link_target, target)
        _worker_sites[bundle.digest] = site
    return site


def _scratch() -> str | None:
    """The worker's scratch folder: Dask removes it as the worker closes, or as a later one starts if it was killed."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def _safe_relative(relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe path in a task: {relative!r}")
    return Path(*path.parts)


def _safe_name(name: str) -> str:
    if _safe_relative(name).name != name:
        raise ValueError(f"unsafe file name in a task: {name!r}")
    return name


def worker_code_digest() -> str:
    return code_digest()


def reset_worker() -> None:
    """Forget the unpacked assets and the font configuration of this process."""
    global _worker_fonts
    with _worker_lock:
        for site in _worker_sites.values():
            shutil.rmtree(site, ignore_errors=True)
        _worker_sites.clear()
        if _worker_fonts is not None:
            _worker_fonts.close()
            _worker_fonts = None


# On the client -----------------------------------------------------------------------------


def write_pdfs_on_cluster(
    jobs: list[PdfJob],
    assets: Path,
    variant: str,
    scheduler: str,
    done: Callable[[PdfJob], None] | None = None,
    read: PagesRead | None = None,
) -> dict[Path, list[str]]:
    """Render the jobs on the cluster; write each PDF where its job says; return the page texts
    but those `read` took as they arrived (as write_pdfs does).

    Results are taken in order and the first PDF with findings stops the
    rest, as write_pdfs does locally.
    """
    texts: dict[Path, list[str]] = {}
    if not jobs:
        return texts
    site = assets.parent
    with _quiet_dask(), _client(scheduler) as client:
        workers = _matching_workers(client, scheduler)
        bundle = client.scatter(  # type: ignore[no-untyped-call]
            bundle_assets(assets), broadcast=True, workers=workers
        )
        # Every attachment read, and any refused, before the first task leaves; read again as its task leaves.
        for job in jobs:
            _embedded(job, site)
        code = code_digest()
        # A bounded window of tasks in flight, each let go once taken: a corpus's HTML is never all on the
        # scheduler, nor its PDFs all in the workers' memory, however many it has.
        threads = client.nthreads(workers)  # type: ignore[no-untyped-call]
        window = IN_FLIGHT_PER_THREAD * max(1, sum(threads.values()))
        waiting = iter(jobs)
        pending: deque[tuple[PdfJob, Future[RemoteResult]]] = deque()
        placed = {"workers": workers, "allow_other_workers": False}

        def send_more() -> None:
            for job in itertools.islice(waiting, window - len(pending)):
                remote = _remote_job(job, site, variant, code)
                pending.append((job, client.submit(render_remote, remote, bundle, pure=False, **placed)))

        try:
            send_more()
            while pending:
                job, future = pending.popleft()
                result = _result(client, future, workers, scheduler, job)
                future.release()  # type: ignore[no-untyped-call]
                send_more()
                if result.refused is not None:
                    raise UserError.single(f"a Dask worker {result.refused}; refused", "cluster.version")
                if result.findings:
                    raise UserError(dict.fromkeys(result.findings))
                assert result.pdf is not None
                job.pdf.write_bytes(result.pdf)
                if result.pages is not None and job.text and (read is None or not read(job, result.pages)):
                    texts[job.pdf] = result.pages
                if done is not None:
                    done(job)
        finally:
            _cancel(client, [future for _, future in pending])
    return texts


def _remote_job(job: PdfJob, site: Path, variant: str, code: str) -> RemoteJob:
    html = job.html.read_bytes()
    return RemoteJob(job.html.relative_to(site).as_posix(), html, variant, code, _embedded(job, site))


def _embedded(job: PdfJob, site: Path) -> Embedded | None:
    """The file the job's PDF is to carry, read, or a UserError naming it."""
    if job.attachment is None:
        return None
    return embedded_file(job.attachment, job.note, site, job.pdf.relative_to(site).as_posix())


@contextmanager
def _client(scheduler: str) -> Iterator[Client]:
    try:
        from distributed import Client
    except ImportError:
        raise UserError.single(
            "rendering on a Dask cluster needs the 'distributed' extra: pip install 'dwibahasa[distributed]'",
            "cluster.missing",
        ) from None
    try:
        client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as exc:
        raise UserError.single(
            f"cannot reach the Dask scheduler at {scheduler}: {_reason(exc)}", "cluster.unreachable"
        ) from None
    try:
        yield client
    finally:
        # A client that cannot close cleanly changes nothing published.
        with suppress(Exception):
            client.close(timeout=2)  # type: ignore[no-untyped-call]


def _matching_workers(client: Client, scheduler: str) -> list[str]:
    """The workers running exactly this pipeline; waits GRACE_SECONDS for a first one."""
    try:
        client.wait_for_workers(1, timeout=GRACE_SECONDS)
    except TimeoutError:
        raise UserError.single(f"the Dask cluster at {scheduler} has no worker", "cluster.no-workers") from None
    digests: dict[str, Any] = client.run(worker_code_digest)
    mine = code_digest()
    matching = sorted(address for address, digest in digests.items() if digest == mine)
    if not matching:
        raise UserError.single(
            f"no worker of the Dask cluster at {scheduler} runs this version of the pipeline "
            f"({len(digests)} refused): install the same version on the workers",
            "cluster.version",
        )
    return matching


def _result(
    client: Client, future: Future[RemoteResult], workers: list[str], scheduler: str, job: PdfJob
) -> RemoteResult:
    from distributed import KilledWorker

    lost_since: float | None = None
    while True:
        try:
            result: RemoteResult = future.result(timeout=POLL_SECONDS)
            return result
        except KilledWorker:
            raise UserError.single(
                f"{job.pdf.name}: every Dask worker that tried to render it died", "cluster.killed"
            ) from None
        except TimeoutError:
            pass
        except UserError:
            raise
        except Exception as exc:
            # A lost scheduler, or scattered assets lost with every worker that held them,
            # surface as several exception types: say which of the two happened.
            if not _alive(client, workers, scheduler):
                raise _no_workers(scheduler) from None
            failed = f"the Dask cluster could not render {job.pdf.name}: {_reason(exc)}"
            raise UserError.single(failed, "cluster.failed") from None
        if _alive(client, workers, scheduler):
            lost_since = None
        elif lost_since is None:
            lost_since = time.monotonic()
        elif time.monotonic() - lost_since > GRACE_SECONDS:
            raise _no_workers(scheduler)


def _no_workers(scheduler: str) -> PipelineError:
    return UserError.single(f"the Dask cluster at {scheduler} lost every worker", "cluster.no-workers")


def _alive(client: Client, workers: list[str], scheduler: str) -> bool:
    try:
        present = client.scheduler_info(n_workers=-1)["workers"]
    except Exception as exc:
        raise UserError.single(
            f"lost the Dask scheduler at {scheduler}: {_reason(exc)}", "cluster.unreachable"
        ) from None
    return any(address in present for address in workers)


def _cancel(client: Client, futures: list[Future[RemoteResult]]) -> None:
    # The scheduler may already be gone.
    with suppress(Exception):
        client.cancel(futures)  # type: ignore[no-untyped-call]


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


@contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask logs each lost worker and reconnection attempt; the build reports in one line instead."""
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
