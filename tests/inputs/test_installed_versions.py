"""The versions of the rendering libraries, which the code digest holds, without importlib.metadata.

A new WeasyPrint (or Babel, fontTools, ...) renders everything again, so its
version is part of the digest a nothing-changed build compares first.  The
versions are read from the metadata folders' names; importlib.metadata, the
reference, must agree.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.inputs.safe_files import RENDERING_LIBRARIES, code_digest, installed_versions
from tests.conftest import ROOT


def test_the_versions_are_those_importlib_metadata_reads() -> None:
    expected = {}
    for name in RENDERING_LIBRARIES:
        try:
            expected[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    assert installed_versions(RENDERING_LIBRARIES) == expected


def test_the_first_on_the_path_wins_and_names_are_compared_as_pep_503_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "TinyHTML5-9.1.dist-info").mkdir(parents=True)
    (second / "tinyhtml5-1.0.dist-info").mkdir(parents=True)
    (second / "pydyf-2.0-py3.11.egg-info").mkdir()
    (second / "pydyf").mkdir()  # the package itself, not its metadata
    (second / "zope_interface-6.0.dist-info").mkdir()
    # Entries that are no folder are passed over: one that is gone, a zip archive of modules.
    archive = tmp_path / "modules.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("weasyprint-1.0.dist-info/METADATA", "Name: weasyprint\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "gone"), str(archive), str(first), str(second)])
    found = installed_versions(["tinyhtml5", "pydyf", "zope.interface", "weasyprint"])
    assert found == {"tinyhtml5": "9.1", "pydyf": "2.0-py3.11", "zope.interface": "6.0"}


def test_a_new_version_of_a_rendering_library_changes_the_code_digest(tmp_path: Path) -> None:
    """The digest in a fresh process, with and without a newer WeasyPrint's metadata first on the path."""
    (tmp_path / "weasyprint-999.0.dist-info").mkdir()
    script = "from pipeline.inputs import code_digest; print(code_digest())"

    def digest(*path: Path) -> str:
        env_path = ":".join(str(p) for p in (*path, ROOT))
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": env_path},
            timeout=60,
        )
        return done.stdout.strip()

    assert digest() == code_digest()
    assert digest(tmp_path) != code_digest()
