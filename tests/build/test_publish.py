"""Publishing without loss: whatever fails, the published tree stays byte-identical and nothing is left behind.

Each test publishes the minimal story once, breaks one step of the next build
(a locale's PDF, the disk, the figure check, the swap, the process itself),
and compares the published tree, by hash, and the folder around it with what
they were before.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import weasyprint.document

from pipeline.build import publish
from pipeline.errors import Diagnostic, UserError
from pipeline.parity import staged as parity_staged
from tests.conftest import Project, tree_digest

# Every build here must do its work again (not find the previous edition up to
# date) and render in this process, where the faults are injected.
REBUILD = ("--force", "--jobs", "1")

STORY = "templates/articles/story.html"
DISK_FULL = "No space left on device"


def error_lines(stderr: str) -> list[str]:
    """The diagnostics of a build, without its progress lines."""
    return [line for line in stderr.splitlines() if "error: " in line or "Traceback" in line]


def around(project: Project) -> list[str]:
    """What sits beside the published folder: leftovers of a build would show here."""
    return sorted(path.name for path in project.out.parent.iterdir())


@pytest.fixture
def published(minimal: Project) -> Iterator[tuple[dict[str, str], list[str]]]:
    """The minimal story built once; yields the published tree's digest and the folder around it."""
    result = minimal.build(*REBUILD)
    assert result.code == 0, result.err
    before = (tree_digest(minimal.out), around(minimal))
    assert ".out.lock" not in before[1]
    yield before


def assert_untouched(project: Project, before: tuple[dict[str, str], list[str]]) -> None:
    assert tree_digest(project.out) == before[0]
    assert around(project) == before[1]


# A failure at any step, in-process: untouched at once -------------------


def test_only_the_indonesian_pdf_failing_publishes_nothing(minimal: Project, published: Any) -> None:
    minimal.replace(
        STORY,
        "{% block body %}",
        '{% block body %}{% if locale.code == "id" %}<img alt="peta" src="../assets/peta.png">{% endif %}',
    )
    result = minimal.build(*REBUILD)
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [
        "id/story.pdf: error: PDF refused a resource: missing asset: assets/peta.png [pdf.fetch]"
    ]
    assert "wrote 3 .html files" in result.err
    assert_untouched(minimal, published)


def test_a_full_disk_while_writing_a_pdf_publishes_nothing(
    minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write_pdf = weasyprint.document.Document.write_pdf
    written: list[Path] = []

    def disk_fills_up(self: Any, target: Any = None, **options: Any) -> Any:
        data = real_write_pdf(self, None, **options)
        if "/id/" in str(target):
            Path(target).write_bytes(data[: len(data) // 2])
            written.append(Path(target))
            raise OSError(errno.ENOSPC, DISK_FULL)
        Path(target).write_bytes(data)
        return None

    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", disk_fills_up)
    result = minimal.build(*REBUILD)
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [f"error: cannot write {minimal.out}: {DISK_FULL} [publish.write]"]
    assert len(written) == 1
    assert not written[0].exists()
    assert_untouched(minimal, published)


def test_a_figure_check_failure_after_writing_publishes_nothing(
    minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    finding = Diagnostic("figure 3,250 differs from the HTML", "check.pdf", "out/id/story.pdf")
    monkeypatch.setattr(parity_staged, "check_staged", lambda *args, **kwargs: ([finding], set()))
    result = minimal.build(*REBUILD)
    assert (result.code, result.out) == (1, "")
    assert error_lines(result.err) == [str(finding)]
    assert_untouched(minimal, published)


def test_a_failing_swap_publishes_nothing(minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(first: Path, second: Path) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", str(second))

    monkeypatch.setattr(publish, "_exchange", busy)
    result = minimal.build(*REBUILD)
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [f"error: cannot write {minimal.out}: Device or resource busy [publish.write]"]
    assert_untouched(minimal, published)


class Interrupted(BaseException):
    """What Ctrl-C (or any exception the CLI does not handle) does to a build."""


def test_an_interrupted_build_publishes_nothing_and_releases_the_lock(
    minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(self: Any, target: Any = None, **options: Any) -> None:
        Path(target).write_bytes(b"%PDF-1.7\n")
        raise Interrupted

    with monkeypatch.context() as patch:
        patch.setattr(weasyprint.document.Document, "write_pdf", interrupt)
        with pytest.raises(Interrupted):
            minimal.build(*REBUILD)
    assert_untouched(minimal, published)
    assert minimal.build(*REBUILD).code == 0


# A killed build: untouched, and the next build cleans up ----------------

SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    import weasyprint.document
    from pipeline.cli import main

    real_write_pdf = weasyprint.document.Document.write_pdf

    def half_written_then_stuck(self, target=None, **options):
        data = real_write_pdf(self, None, **options)
        with open(target, "wb") as pdf:
            pdf.write(data[: len(data) // 2])
            pdf.flush()
            time.sleep(60)  # killed here by the test, halfway through a PDF

    weasyprint.document.Document.write_pdf = half_written_then_stuck
    sys.exit(main(["--project", sys.argv[1], "build", "--force", "--jobs", "1"]))
    """
)


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the build never started writing a PDF"
        time.sleep(0.02)


def test_a_build_killed_while_writing_a_pdf_leaves_the_published_tree(minimal: Project, published: Any) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(minimal.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        stage_pdfs = lambda: list(minimal.root.glob(".out.staging-*/*/*.pdf"))  # noqa: E731
        wait_for(lambda: any(pdf.stat().st_size > 0 for pdf in stage_pdfs()), process)

        # While it holds the lock, a second build refuses instead of interleaving.
        second = minimal.build(*REBUILD)
        assert (second.code, second.out) == (2, "")
        assert error_lines(second.err) == [
            f"error: another build is publishing to {minimal.out}; wait for it to finish [publish.locked]"
        ]
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert tree_digest(minimal.out) == published[0]
    assert sorted(set(around(minimal)) - set(published[1])) == [".out.lock", f".out.staging-{process.pid}"]

    # The kernel released the dead build's lock; the next build removes its leftovers.
    result = minimal.build(*REBUILD)
    assert result.code == 0, result.err
    assert around(minimal) == published[1]


# The lock -------------------------------------------------------------------


def test_a_build_refuses_while_another_holds_the_lock(minimal: Project, published: Any) -> None:
    with publish._lock(minimal.out.absolute()):
        result = minimal.build(*REBUILD)
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [
        f"error: another build is publishing to {minimal.out}; wait for it to finish [publish.locked]"
    ]
    assert_untouched(minimal, published)
    assert minimal.build(*REBUILD).code == 0


def test_a_lock_released_between_open_and_flock_is_not_shared(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race: build B opens the lock file while build A holds it; A finishes
    # (unlinking the file) before B calls flock; build C then creates a new
    # lock file and locks it.  B's flock on the old, unlinked file succeeds,
    # so B must notice that the path no longer names its file.
    out = minimal.out.absolute()
    first = publish._lock(out)
    first.__enter__()
    third = publish._lock(out)
    real_flock = fcntl.flock
    calls = []

    def race(handle: int, operation: int) -> None:
        calls.append(operation)
        if len(calls) == 1:
            first.__exit__(None, None, None)
            third.__enter__()
        real_flock(handle, operation)

    monkeypatch.setattr(fcntl, "flock", race)
    try:
        with pytest.raises(UserError) as caught, publish._lock(out):
            pass
    finally:
        monkeypatch.undo()
        third.__exit__(None, None, None)
    assert [str(line) for line in caught.value.diagnostics] == [
        f"error: another build is publishing to {out}; wait for it to finish [publish.locked]"
    ]
    assert not (out.parent / ".out.lock").exists()


# The output folder guard ------------------------------------------------


def test_an_output_folder_with_foreign_files_is_never_swapped_away(minimal: Project, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.docx").write_bytes(b"years of work")
    before = tree_digest(documents)
    result = minimal.build("--out", documents)
    assert (result.code, result.out) == (2, "")
    assert error_lines(result.err) == [
        f"error: output folder {documents} holds files the pipeline did not write; choose an empty or new folder "
        "[publish.out]"
    ]
    assert tree_digest(documents) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["documents", "project"]


def test_the_project_folder_itself_is_never_swapped_away(minimal: Project, published: Any) -> None:
    before = tree_digest(minimal.root)
    result = minimal.build("--out", minimal.root)
    assert result.code == 2
    assert error_lines(result.err) == [
        f"error: output folder {minimal.root} holds files the pipeline did not write; choose an empty or new folder "
        "[publish.out]"
    ]
    assert tree_digest(minimal.root) == before


def test_an_output_path_that_is_a_symlink_or_a_file_is_refused(minimal: Project, tmp_path: Path) -> None:
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    (tmp_path / "file").write_text("mine")
    for name in ("link", "file"):
        result = minimal.build("--out", tmp_path / name)
        assert result.code == 2
        assert error_lines(result.err) == [f"error: output path {tmp_path / name} is not a folder [publish.out]"]
    assert (tmp_path / "file").read_text() == "mine"
    assert list((tmp_path / "target").iterdir()) == []


def test_foreign_files_arriving_during_the_build_stop_the_swap(
    minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone points out/ elsewhere while the PDFs render: the guard looks again before the swap.
    def replaced_meanwhile(*args: Any, **kwargs: Any) -> tuple[list[Diagnostic], set[str]]:
        (minimal.out / publish.MARKER).unlink()
        (minimal.out / "notes.txt").write_text("mine")
        return [], set()

    monkeypatch.setattr(parity_staged, "check_staged", replaced_meanwhile)
    before = {path: path.read_bytes() for path in minimal.out.rglob("*") if path.is_file()}
    result = minimal.build(*REBUILD)
    assert result.code == 2
    assert error_lines(result.err) == [
        f"error: output folder {minimal.out} holds files the pipeline did not write; choose an empty or new folder "
        "[publish.out]"
    ]
    assert {path: path.read_bytes() for path in minimal.out.rglob("*") if path.is_file()} == {
        **{path: data for path, data in before.items() if path.name != publish.MARKER},
        minimal.out / "notes.txt": b"mine",
    }
    assert around(minimal) == published[1]


# Filesystems without RENAME_EXCHANGE ------------------------------------


def without_rename_exchange(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "_renameat2", lambda first, second, flags: errno.EINVAL)


def test_the_three_rename_swap_publishes_and_leaves_nothing(
    minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_rename_exchange(monkeypatch)
    minimal.replace("facts/story.yaml", "value: 3250", "value: 3251")
    result = minimal.build(*REBUILD)
    assert result.code == 0, result.err
    assert tree_digest(minimal.out) != published[0]
    assert around(minimal) == published[1]


def test_a_build_killed_between_the_renames_is_undone_by_the_next_one(
    minimal: Project, published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_rename_exchange(monkeypatch)
    real_rename = os.rename
    renames: list[str] = []

    def killed_after_the_first(source: Any, target: Any) -> None:
        real_rename(source, target)
        renames.append(os.fspath(target))
        if ".previous-" in renames[-1]:
            raise Interrupted

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", killed_after_the_first)
        with pytest.raises(Interrupted):
            minimal.build(*REBUILD)
    assert not minimal.out.exists()  # the window the next two renames would have closed
    assert [Path(target).name for target in renames][-1:] == [f".out.previous-{os.getpid()}"]

    # The next build restores the published edition first, even when it fails itself.
    minimal.replace(STORY, "{% block body %}", '{% block body %}<img alt="peta" src="../assets/peta.png">')
    result = minimal.build(*REBUILD)
    assert result.code == 2
    assert_untouched(minimal, published)
