"""Lazy imports: `pipeline --help` answers at once, and the preview never loads the PDF stack.

WeasyPrint alone takes a good part of a second to import (Pango, fontTools,
cssselect2, ...); pypdfium2 loads a native library.  Commands that make or
read no PDF must not pay for them, so each test runs a fresh interpreter and
reads what it imported (`python -X importtime`, or `sys.modules`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from pipeline.cli import main
from tests.conftest import Project

HEAVY = ("weasyprint", "pypdfium2", "babel", "jinja2", "pydantic", "yaml", "tqdm", "watchfiles", "selenium")
PDF_STACK = ("weasyprint", "pypdfium2", "tqdm")


def imported_modules(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, timeout=120, check=False
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    assert modules, f"no import times read: {result.stderr[-2000:]}"
    return result, modules


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_help_imports_no_heavy_library() -> None:
    result, modules = imported_modules("-m", "pipeline", "--help")
    assert result.returncode == 0
    assert "pipeline.cli" in modules  # the test reads the right process's imports
    words = " ".join(result.stdout.split())  # argparse wraps to the terminal's width
    assert "serve live preview: English and Indonesian side by side, reloading on every saved change" in words
    loaded = sorted(top_level(modules) & set(HEAVY))
    assert loaded == [], f"pipeline --help imported {loaded}"


def test_subcommand_help_imports_no_heavy_library() -> None:
    for command in ("build", "serve", "check"):
        result, modules = imported_modules("-m", "pipeline", command, "--help")
        assert result.returncode == 0, result.stderr[-2000:]
        loaded = sorted(top_level(modules) & set(HEAVY))
        assert loaded == [], f"pipeline {command} --help imported {loaded}"


def test_the_preview_renders_without_the_pdf_stack(minimal: Project) -> None:
    # The preview's whole point is speed: no PDF, so no WeasyPrint or pypdfium2.
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from pipeline.serve.preview import Preview
        preview = Preview(Path({str(minimal.root)!r}))
        pages = [preview.index(), preview.side_by_side("story"), preview.edition("id", "story")]
        print(json.dumps({{"status": [page.status for page in pages], "modules": sorted(sys.modules)}}))
        """
    )
    result, _ = imported_modules("-c", script)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["status"] == [200, 200, 200]
    loaded = sorted(top_level(set(report["modules"])) & set(PDF_STACK))
    assert loaded == [], f"the preview imported {loaded}"


def test_serve_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_status:
        main(["serve", "--port", "70000"])
    assert exit_status.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "pipeline serve: error: argument --port: expected a port number from 0 to 65535, got '70000'"
    )
