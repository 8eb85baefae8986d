"""PDFs rendered on a real Dask cluster: a scheduler and two workers on 127.0.0.1.

The sample built through the cluster passes `pipeline check` and its PDFs
read as a local build's; a worker killed mid-build costs nothing but time;
an unreachable scheduler, or a cluster that loses every worker, fails the
build in seconds with one line and the published folder as it was; a worker
running another pipeline is never given a task.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.errors import UserError
from pipeline.pdf import cluster as cluster_module
from pipeline.pdf.document import PAGE_MARGINS_PT
from pipeline.reading.text import pdf_text
from tests.conftest import ROOT, Project, tree_digest
from tests.pdf.dask_cluster import Cluster, dask_or_skip, free_port


def texts(folder: Path) -> dict[str, list[str]]:
    return {
        path.relative_to(folder).as_posix(): pdf_text(path, PAGE_MARGINS_PT) for path in sorted(folder.rglob("*.pdf"))
    }


def started(folder: Path, workers: list[str], env: dict[str, dict[str, str]] | None = None) -> Cluster:
    cluster = Cluster(folder)
    try:
        cluster.start_scheduler()
        for name in workers:
            cluster.start_worker(name, (env or {}).get(name))
        cluster.wait_for_workers(len(workers))
    except BaseException:
        cluster.stop()
        raise
    return cluster


def test_the_sample_builds_on_a_cluster_that_loses_a_worker_as_it_does_locally(
    sample_build: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import Client

    # Nothing may be rendered in this process: every PDF must come from the workers.
    def local(*args: object, **kwargs: object) -> None:
        raise AssertionError("a PDF was rendered locally")

    monkeypatch.setattr("pipeline.pdf.writer.write_pdfs", local)
    monkeypatch.setattr(cluster_module, "render_job", local)
    out = tmp_path / "out"
    killed: list[str] = []
    with started(tmp_path / "cluster", ["w1", "w2"]) as cluster:
        names = {address: name for name, address in cluster.worker_addresses().items()}

        def file_written(done: int, total: int, path: Path) -> None:
            if path.suffix != ".pdf" or killed:
                return
            with Client(cluster.address, timeout="5s", set_as_default=False) as client:
                busy = [address for address, keys in client.processing().items() if keys]
            # A worker holding a task right now: its tasks must move to the other one.
            assert busy, "no task left to interrupt"
            killed.append(names[busy[0]])
            cluster.kill(names[busy[0]])

        report = build(sample_build.root, out, file_written=file_written, scheduler=cluster.address)
    assert killed
    assert report.count(".pdf") == 21
    assert len(report.rendered_pdfs) == 21
    assert sample_build.run("check", "--out", out).code == 0
    local_texts = texts(sample_build.root / "out")
    assert len(local_texts) == 21
    assert texts(out) == local_texts


def test_an_unreachable_scheduler_fails_in_seconds_leaving_the_published_output(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    dask_or_skip()
    assert minimal.build().code == 0
    before = tree_digest(minimal.root / "out")
    address = f"tcp://127.0.0.1:{free_port()}"
    monkeypatch.setenv("PIPELINE_SCHEDULER", address)
    start = time.monotonic()
    result = minimal.build("--force")
    elapsed = time.monotonic() - start
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"error: cannot reach the Dask scheduler at {address}: ")
    assert lines[0].endswith("[cluster.unreachable]")
    assert elapsed < 20
    assert tree_digest(minimal.root / "out") == before


def test_a_cluster_that_loses_every_worker_fails_in_seconds(minimal: Project, tmp_path: Path) -> None:
    assert minimal.build().code == 0
    before = tree_digest(minimal.root / "out")
    lost_at: list[float] = []
    with started(tmp_path / "cluster", ["w1"]) as cluster:

        def file_written(done: int, total: int, path: Path) -> None:
            if path.suffix == ".pdf" and not lost_at:
                cluster.kill("w1")
                lost_at.append(time.monotonic())

        with pytest.raises(UserError) as caught:
            build(minimal.root, minimal.root / "out", file_written=file_written, force=True, scheduler=cluster.address)
    assert lost_at, "the worker was never killed"
    assert time.monotonic() - lost_at[0] < cluster_module.GRACE_SECONDS + 10
    assert [str(d) for d in caught.value.diagnostics] == [
        f"error: the Dask cluster at {cluster.address} lost every worker [cluster.no-workers]"
    ]
    assert tree_digest(minimal.root / "out") == before


def test_a_worker_running_another_pipeline_is_given_no_task(minimal: Project, tmp_path: Path) -> None:
    from distributed import Client

    # Another version: the same package with one comment added, found first on the worker's path.
    other = tmp_path / "other"
    shutil.copytree(ROOT / "pipeline", other / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "pipeline" / "errors.py").open("a") as handle:
        handle.write("# another release\n")
    stale = {"stale": {"PYTHONPATH": str(other)}}
    assert minimal.build().code == 0
    before = tree_digest(minimal.root / "out")
    with started(tmp_path / "cluster", ["stale"], stale) as cluster:
        result = minimal.build("--force", "--scheduler", cluster.address)
        assert result.code == 2
        assert [line for line in result.err.splitlines() if line.startswith("error:")] == [
            f"error: no worker of the Dask cluster at {cluster.address} runs this version of the pipeline "
            "(1 refused): install the same version on the workers [cluster.version]"
        ]
        assert tree_digest(minimal.root / "out") == before

        cluster.start_worker("current")
        cluster.wait_for_workers(2)
        result = minimal.build("--force", "--scheduler", cluster.address)
        assert result.code == 0, result.err + cluster.logs()
        stale_address = cluster.worker_addresses()["stale"]
        with Client(cluster.address, timeout="5s", set_as_default=False) as client:
            unpacked = client.run(_sites_unpacked, workers=[stale_address])
        assert unpacked == {stale_address: 0}, "the stale worker rendered"


def _sites_unpacked() -> int:
    from pipeline.pdf import cluster

    return len(cluster._worker_sites)


# On a worker, without a cluster: what a task meets there ------------------------------------


def test_a_task_from_another_pipeline_is_refused_on_the_worker(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    bundle = cluster_module.bundle_assets(tmp_path / "assets")
    job = cluster_module.RemoteJob("en/story.html", b"<p>x</p>", "ua", code="0" * 64)
    assert cluster_module.render_remote(job, bundle).refused == "runs another version of the pipeline"


def test_a_link_out_of_the_assets_is_refused_on_the_worker_as_it_is_locally(tmp_path: Path) -> None:
    from pipeline.inputs import code_digest

    assets = tmp_path / "assets"
    assets.mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (assets / "leak.css").symlink_to(secret)
    bundle = cluster_module.bundle_assets(assets)
    assert bundle.links == (("leak.css", str(secret)),)
    html = b'<html lang="en"><head><title>t</title><link rel="stylesheet" href="../assets/leak.css"></head></html>'
    result = cluster_module.render_remote(cluster_module.RemoteJob("en/story.html", html, "ua", code_digest()), bundle)
    assert result.pdf is None
    assert [(d.code, d.file) for d in result.findings] == [("pdf.fetch", "en/story.pdf")]
    assert result.findings[0].message.startswith("PDF refused a resource: ")
    assert "leak.css" in result.findings[0].message
    cluster_module.reset_worker()


@pytest.mark.parametrize("relative", ["../escape.html", "/etc/passwd", ""])
def test_a_task_naming_a_path_outside_its_site_is_refused(tmp_path: Path, relative: str) -> None:
    from pipeline.inputs import code_digest

    (tmp_path / "assets").mkdir()
    bundle = cluster_module.bundle_assets(tmp_path / "assets")
    with pytest.raises(ValueError, match="unsafe path"):
        cluster_module.render_remote(cluster_module.RemoteJob(relative, b"", "ua", code_digest()), bundle)
    cluster_module.reset_worker()


def test_a_window_of_tasks_is_in_flight_and_each_is_let_go_once_taken(
    sample_build: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client sends a few tasks ahead per worker thread, not the whole corpus: the scheduler holds a
    window of its HTML and the workers a window of its PDFs, however many PDFs a corpus has."""
    from distributed import Client, Future

    monkeypatch.setattr(cluster_module, "IN_FLIGHT_PER_THREAD", 2)
    submitted: list[Future] = []  # type: ignore[type-arg]
    released: set[str] = set()
    in_flight: list[int] = []
    submit, release = Client.submit, Future.release

    def counted_submit(self: Client, *args: object, **kwargs: object) -> Future:  # type: ignore[type-arg]
        future = submit(self, *args, **kwargs)  # type: ignore[arg-type]
        submitted.append(future)
        in_flight.append(len({sent.key for sent in submitted} - released))
        return future

    def counted_release(self: Future) -> None:  # type: ignore[type-arg]
        released.add(self.key)
        release(self)

    monkeypatch.setattr(Client, "submit", counted_submit)
    monkeypatch.setattr(Future, "release", counted_release)
    with started(tmp_path / "cluster", ["w1", "w2"]) as cluster:
        report = build(sample_build.root, tmp_path / "out", scheduler=cluster.address)
    assert len(report.rendered_pdfs) == 21
    # Two single-thread workers, two tasks each ahead: never more than four of the 21 sent at once.
    assert len(submitted) == 21
    assert max(in_flight) == 4, in_flight
    # Each let go once taken (the assets sent once to every worker are not among these tasks).
    assert {future.key for future in submitted} <= released
