"""Every input is a regular file of the project, of a bounded size (pipeline/inputs/safe_files.py).

Each test breaks a copy of the built sample in one way and runs the real
command in a child process, bounded in time (a FIFO must not hang the suite)
and in memory (a link to /dev/zero must not eat the machine).  Each expects
exit 2, one `path: error: ... [code]` line and no traceback, the content of
a file the project does not own nowhere in the output, and the published
folder exactly as it was.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pipeline
from tests.conftest import PO, Project, tree_digest

MEMORY_LIMIT = 2 * 1024**3
SECRET = "CI_SECRET_TOKEN=hunter2"
OUTSIDE = "leads outside the project (a symbolic link); copy the file into the project instead"
# The child imports the pipeline under test, wherever this test file runs from.
SOURCE = str(Path(pipeline.__file__).resolve().parent.parent)


@pytest.fixture
def built(sample_build: Project, tmp_path: Path) -> Project:
    """A private copy of the built sample, published output and manifest included."""
    root = tmp_path / "p"
    shutil.copytree(sample_build.root, root, symlinks=True)
    return Project(root)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def pipeline_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": SOURCE}
    try:
        return subprocess.run(
            [sys.executable, "-m", "pipeline", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limit_memory,
            env=environment,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pipeline {' '.join(map(str, args))} still running after 60 s")


def refused(project: Project, line: str, *options: str) -> None:
    """The build (and `options`) fails with exactly `line`, leaving the published folder as it was."""
    published = tree_digest(project.out)
    result = pipeline_cli("--project", project.root, "build", *options)
    assert (result.returncode, result.stderr) == (2, line + "\n"), result.stderr[-2000:]
    assert SECRET not in result.stdout + result.stderr and "hunter2" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project.out) == published


@pytest.mark.parametrize("options", [(), ("--force",)])
def test_a_fact_file_that_is_a_fifo_is_refused_not_waited_on(built: Project, options: tuple[str, ...]) -> None:
    # Without --force the project digest comes first: it must refuse the FIFO,
    # not skip it and find "nothing changed".
    os.mkfifo(built.path("facts/extra.yaml"))
    refused(built, "facts/extra.yaml: error: fact file is not a regular file (it is a FIFO) [facts.file]", *options)


def test_check_refuses_a_fact_file_that_is_a_fifo(built: Project) -> None:
    os.mkfifo(built.path("facts/extra.yaml"))
    result = pipeline_cli("--project", built.root, "check")
    assert (result.returncode, result.stderr) == (
        2,
        "facts/extra.yaml: error: fact file is not a regular file (it is a FIFO) [facts.file]\n",
    )


def test_a_fifo_anywhere_in_a_project_folder_is_refused_whatever_its_name(built: Project) -> None:
    os.mkfifo(built.path("templates/notes.txt"))
    refused(built, "templates/notes.txt: error: template is not a regular file (it is a FIFO) [template.file]")


@pytest.mark.parametrize("options", [(), ("--force",)])
def test_a_fact_file_linked_to_dev_zero_is_refused_without_reading_it(built: Project, options: tuple[str, ...]) -> None:
    built.path("facts/zero.yaml").symlink_to("/dev/zero")
    refused(built, f"facts/zero.yaml: error: fact file {OUTSIDE} [facts.file]", *options)


def test_a_configuration_linked_to_dev_zero_is_refused_without_reading_it(built: Project) -> None:
    built.path("pipeline.toml").symlink_to("/dev/zero")
    refused(built, f"pipeline.toml: error: configuration file {OUTSIDE} [config.file]")


def test_a_fact_file_linked_outside_the_project_is_never_read(built: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(f"{SECRET.replace('=', '_')}:\n  value: 1\n", encoding="utf-8")
    built.path("facts/extra.yaml").symlink_to(outside)
    refused(built, f"facts/extra.yaml: error: fact file {OUTSIDE} [facts.file]")


def test_a_catalog_linked_to_a_file_of_secrets_never_prints_them(built: Project, tmp_path: Path) -> None:
    secrets = tmp_path / "environ"
    secrets.write_text(f"PATH=/usr/bin\n{SECRET}\nHOME=/root\n", encoding="utf-8")
    built.path(PO).unlink()
    built.path(PO).symlink_to(secrets)
    refused(built, f"{PO}: error: catalog {OUTSIDE} [catalog.file]")


def test_an_oversized_catalog_is_refused_at_once_with_the_limit(built: Project) -> None:
    with built.path(PO).open("a", encoding="utf-8") as catalog:
        catalog.write(f'\nmsgid "Huge"\nmsgstr "{"a" * 10_000_000}"\n')
    started = time.monotonic()
    refused(built, f"{PO}: error: catalog is larger than the limit of 4 MiB for a catalog [catalog.file]")
    assert time.monotonic() - started < 30


def test_deeply_nested_configuration_is_one_line(built: Project) -> None:
    built.write("pipeline.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    refused(
        built,
        "pipeline.toml: error: cannot read the configuration: arrays and tables nested deeper than 16 levels "
        "[config.invalid]",
    )


def test_an_oversized_configuration_is_refused(built: Project) -> None:
    built.write("pipeline.toml", "# padding\n" * 10_000)
    refused(
        built,
        "pipeline.toml: error: configuration file is larger than the limit of 64 KiB for a configuration file "
        "[config.file]",
    )


def test_audit_follows_a_link_the_user_named_but_refuses_a_fifo_and_a_device(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("It took 4 years.", encoding="utf-8")
    (tmp_path / "en.txt").symlink_to(tmp_path / "real.txt")
    (tmp_path / "id.txt").write_text("Butuh 4 tahun.", encoding="utf-8")
    assert pipeline_cli("audit", "en.txt", "id.txt", cwd=tmp_path).returncode == 0
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    for name, kind in (("fifo.txt", "a FIFO"), ("zero.txt", "a character device")):
        result = pipeline_cli("audit", "en.txt", name, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            f"{name}: error: text to audit is not a regular file (it is {kind}) [audit.file]\n",
        )
