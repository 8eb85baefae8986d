"""Incremental builds: what did not change is not rendered again; parallel PDFs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import build
from tests.conftest import Project, tree_digest

PO = "locales/id/LC_MESSAGES/messages.po"


@pytest.fixture
def built(sample_build: Project, tmp_path: Path) -> Project:
    """A private copy of the built sample, published output and manifest included."""
    root = tmp_path / "project"
    shutil.copytree(sample_build.root, root, symlinks=True)
    return Project(root)


def rebuild(project: Project) -> list[str]:
    report = build(project.root, project.out, jobs=1)
    assert not report.up_to_date
    return report.rendered_pdfs


def test_a_build_after_no_change_renders_and_publishes_nothing(built: Project) -> None:
    before = tree_digest(built.out)
    result = built.build()
    assert (result.code, result.out) == (0, f"nothing changed: {built.out} is up to date\n")
    assert tree_digest(built.out) == before


def test_a_nothing_changed_build_never_imports_weasyprint(built: Project) -> None:
    script = (
        "import sys; from pipeline.cli import main; code = main(['--project', sys.argv[1], 'build']);"
        "print(code, 'weasyprint' in sys.modules, 'pypdfium2' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script, str(built.root)], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "0 False False", result.stderr


def test_a_changed_fact_re_renders_only_the_articles_citing_it(built: Project) -> None:
    built.replace("facts/iraq-syria-crisis.yaml", "value: 353900", "value: 354100")
    assert rebuild(built) == [
        "bilingual/iraq-syria-crisis.pdf",
        "en/iraq-syria-crisis.pdf",
        "id/iraq-syria-crisis.pdf",
    ]
    assert "more than 354,100" in (built.out / "en" / "iraq-syria-crisis.html").read_text()


def test_a_changed_catalog_re_renders_only_indonesian_outputs(built: Project) -> None:
    built.replace(PO, 'msgstr "Apa selanjutnya?"', 'msgstr "Lalu apa?"')
    assert rebuild(built) == ["bilingual/iraq-syria-crisis.pdf", "id/iraq-syria-crisis.pdf"]


def test_a_changed_template_re_renders_the_articles_using_it(built: Project) -> None:
    template = "templates/articles/city-brief.html"
    built.write(template, built.read(template).replace("{% block body %}", "{% block body %}\n<hr>", 1))
    rendered = rebuild(built)
    assert rendered and all("brief-" in name for name in rendered)
    assert len(rendered) == 15  # five briefs, three editions each


def test_a_published_pdf_edited_by_hand_is_rendered_again(built: Project) -> None:
    pdf = built.out / "id" / "brief-ramadi.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n%tampered\n")
    assert rebuild(built) == ["id/brief-ramadi.pdf"]
    assert not pdf.read_bytes().endswith(b"%tampered\n")


def test_two_workers_build_and_pass_the_check(minimal: Project) -> None:
    result = minimal.build("--jobs", "2")
    assert result.code == 0, result.err
    assert minimal.run("check").code == 0
