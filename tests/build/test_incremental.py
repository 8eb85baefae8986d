"""Incremental builds: what did not change is not rendered again; parallel PDFs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import incremental
from pipeline.build.run import build
from tests.conftest import Project, tree_digest

PO = "locales/id/LC_MESSAGES/messages.po"
EDITIONS = ("bilingual", "en", "id")
CITIES = sorted(["al-qaim", "deir-al-zour", "mosul", "raqqa", "ramadi"])
ARTICLES = sorted([*(f"brief-{city}" for city in CITIES), "iraq-syria-crisis"])


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


def test_a_nothing_changed_build_reads_no_fact_file(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the facts were read")

    monkeypatch.setattr("pipeline.build.editions.read_inputs", refuse)
    assert build(built.root, built.out).up_to_date


def test_a_change_that_shapes_nothing_publishes_nothing_and_is_remembered(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    built.replace("facts/shared/sources.yaml", "sources:", "# Publishers cited by every article.\nsources:")
    before = tree_digest(built.out)
    assert build(built.root, built.out).up_to_date
    after = tree_digest(built.out)
    assert {name for name in before if before[name] != after[name]} == {".pipeline-manifest.json"}
    monkeypatch.setattr("pipeline.build.editions.read_inputs", lambda *args: pytest.fail("the facts were read again"))
    assert build(built.root, built.out).up_to_date


def test_a_changed_fact_re_renders_only_the_articles_citing_it(built: Project) -> None:
    built.replace("facts/iraq-syria-crisis.yaml", "value: 353900", "value: 354100")
    report = build(built.root, built.out, jobs=1)
    assert report.rendered_pdfs == [
        "bilingual/iraq-syria-crisis.pdf",
        "en/iraq-syria-crisis.pdf",
        "id/iraq-syria-crisis.pdf",
    ]
    # Not even its HTML is rendered: every brief's three editions are taken as published.
    assert report.reused_html == [f"{folder}/brief-{city}.html" for folder in EDITIONS for city in CITIES]
    assert "more than 354,100" in (built.out / "en" / "iraq-syria-crisis.html").read_text()


def test_a_fact_cited_through_a_series_role_re_renders_that_brief(built: Project) -> None:
    old = "mosul_battle_duration:\n    kind: duration\n    value: 10"
    built.replace("facts/shared/cities.yaml", old, old.replace("10", "9"))
    report = build(built.root, built.out, jobs=1)
    # Cited by the explainer by name and by the Mosul brief through its item's role.
    assert report.rendered_pdfs == [
        f"{folder}/{slug}.pdf" for folder in EDITIONS for slug in ("brief-mosul", "iraq-syria-crisis")
    ]
    assert "brief-mosul" not in " ".join(report.reused_html)


def test_a_changed_catalog_re_renders_only_indonesian_outputs(built: Project) -> None:
    built.replace(PO, 'msgstr "Apa selanjutnya?"', 'msgstr "Lalu apa?"')
    report = build(built.root, built.out, jobs=1)
    assert report.rendered_pdfs == ["bilingual/iraq-syria-crisis.pdf", "id/iraq-syria-crisis.pdf"]
    assert [name for name in report.reused_html if not name.startswith("en/")] == []
    assert len(report.reused_html) == len(CITIES) + 1


def test_a_changed_base_template_re_renders_every_article(built: Project) -> None:
    built.replace("templates/base.html", "</body>", "<hr></body>")
    report = build(built.root, built.out, jobs=1)
    assert report.reused_html == []
    # Every article extends base.html; the index pages have a template of their own.
    assert report.rendered_pdfs == [f"{e}/{slug}.pdf" for e in EDITIONS for slug in ARTICLES]


def test_a_manifest_of_another_version_renders_everything(built: Project) -> None:
    manifest = built.out / ".pipeline-manifest.json"
    manifest.write_text(manifest.read_text().replace('"version": 2', '"version": 1'))
    report = build(built.root, built.out, jobs=1)
    assert report.reused_html == [] and len(report.rendered_pdfs) == 3 * (len(CITIES) + 2)


def test_a_published_asset_deleted_by_hand_is_restored(built: Project) -> None:
    stylesheet = built.out / "assets" / "article.css"
    stylesheet.unlink()
    report = build(built.root, built.out, jobs=1)
    assert not report.up_to_date and report.rendered_pdfs == []
    assert stylesheet.read_bytes() == built.path("assets/article.css").read_bytes()


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


def published_files_read(project: Project, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The published files (not the manifest) whose bytes the next build reads."""
    read: list[str] = []
    real = incremental._read

    def counted(path: str) -> bytes:
        if Path(path).is_relative_to(project.out):
            read.append(Path(path).relative_to(project.out).as_posix())
        return real(path)

    monkeypatch.setattr(incremental, "_read", counted)
    return read


def test_published_files_as_they_were_written_are_not_read_again(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert minimal.build().code == 0
    read = published_files_read(minimal, monkeypatch)
    # Just written: within the timestamp granularity of the manifest, so every file is hashed.
    assert build(minimal.root, minimal.out).up_to_date
    assert "en/story.pdf" in read
    read.clear()
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # as if written long before the manifest
    assert build(minimal.root, minimal.out).up_to_date
    assert read == []


@pytest.mark.parametrize("racy_ns", [None, 0])
def test_an_edit_keeping_size_inode_and_time_is_caught_while_it_could_be_a_racy_one(
    minimal: Project, monkeypatch: pytest.MonkeyPatch, racy_ns: int | None
) -> None:
    assert minimal.build().code == 0
    pdf = minimal.out / "en" / "story.pdf"
    before = os.stat(pdf)
    data = pdf.read_bytes()
    with pdf.open("r+b") as handle:  # in place: the same inode
        handle.write(b"%PDF-1.9")
    os.utime(pdf, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (os.stat(pdf).st_ino, os.stat(pdf).st_size) == (before.st_ino, before.st_size)
    if racy_ns is not None:
        # The control: outside the racy window such a forged edit passes for the original,
        # which is why the window is there.
        monkeypatch.setattr(incremental, "RACY_NS", racy_ns)
        assert build(minimal.root, minimal.out).up_to_date
        return
    report = build(minimal.root, minimal.out)
    assert report.rendered_pdfs == ["en/story.pdf"]
    assert pdf.read_bytes()[:8] == data[:8] != b"%PDF-1.9"


def test_two_workers_build_and_pass_the_check(minimal: Project) -> None:
    result = minimal.build("--jobs", "2")
    assert result.code == 0, result.err
    assert minimal.run("check").code == 0


def test_the_output_check_can_be_limited_to_the_articles_rendered(built: Project) -> None:
    from pipeline.config import load_config
    from pipeline.facts.load import load_facts
    from pipeline.parity.check import check_output

    page = built.out / "en" / "brief-raqqa.html"
    page.write_text(page.read_text().replace("four months", "five months"))
    config = load_config(built.root)
    base = load_facts(config)
    assert check_output(config, base, built.out, pdfs=set(), slugs={"brief-mosul"}) == []
    assert any("brief-raqqa" in str(finding) for finding in check_output(config, base, built.out, pdfs=set()))


def test_a_build_published_by_another_while_rendering_is_not_mixed_in(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from pipeline.build import run as build_module

    real_staging = build_module.staging

    @contextmanager
    def another_build_publishes_first(out_dir: Path):  # type: ignore[no-untyped-def]
        manifest = out_dir / ".pipeline-manifest.json"
        manifest.write_text(manifest.read_text() + "\n")
        with real_staging(out_dir) as stage:
            yield stage

    monkeypatch.setattr(build_module, "staging", another_build_publishes_first)
    built.replace("facts/iraq-syria-crisis.yaml", "value: 353900", "value: 354100")
    before = tree_digest(built.out)
    result = built.build()
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        f"error: another build published to {built.out} while this one was rendering; "
        "run the build again [publish.changed]"
    )
    after = tree_digest(built.out)
    # Only what the other build wrote (here: its manifest) differs.
    assert {name for name in before if before[name] != after.get(name)} == {".pipeline-manifest.json"}
    assert set(after) == set(before)


HEAVY = (
    "jinja2",
    "pydantic",
    "weasyprint",
    "yaml",
    "pypdfium2",
    "pipeline.facts",
    "pipeline.render",
    "pipeline.parity",
)
"""What a build needs only once it knows something changed."""


def test_a_nothing_changed_build_imports_nothing_heavy(sample_build: Project) -> None:
    # A fresh interpreter, as a person runs it: the whole CLI, nothing imported beforehand.
    script = (
        "import sys\n"
        "from pipeline.cli import main\n"
        f"code = main(['--project', {str(sample_build.root)!r}, 'build'])\n"
        f"print(code, [name for name in {HEAVY!r} if name in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.splitlines() == [f"nothing changed: {sample_build.out} is up to date", "0 []"], result.stderr
