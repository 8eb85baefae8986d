"""Many PDFs: even worker batches, one font configuration per worker, page texts read where rendered.

Reusing a font configuration must leave every PDF byte for byte as it is when
rendered on its own, and must not let a document have a font its own fetcher
would not serve it; the controls show that WeasyPrint's plain reuse would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.facts.load import load_facts
from pipeline.parity.check import check_output
from pipeline.pdf import document as pdf
from pipeline.pdf import writer
from pipeline.pdf.document import PAGE_MARGINS_PT, PdfJob, write_pdf
from pipeline.pdf.fonts import FontReuse, SharedFonts
from pipeline.pdf.writer import batches, write_pdfs
from pipeline.reading.text import pdf_text
from tests.conftest import ROOT, Project, copy_project, run_cli, tree_digest

FACES = "".join(
    f'@font-face {{ font-family: "{family}"; src: url("../fonts/{file}.ttf"); font-weight: {weight}; }}\n'
    for family, file, weight in [
        ("Body", "SourceSerif4-Regular", 400),
        ("Body", "SourceSerif4-Bold", 700),
        ("Head", "SourceSans3-Regular", 400),
    ]
)
EXTRA = '@font-face { font-family: "Extra"; src: url("../fonts/SourceSans3-Bold.ttf"); }'
STYLE = FACES + "body { font-family: Body; } h1 { font-family: Head; } @page { size: A5; }\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A published folder: a stylesheet in assets/, the bundled fonts in fonts/."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "assets" / "fonts", root / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    (root / "assets").mkdir()
    (root / "assets" / "style.css").write_text(STYLE)
    (root / "en").mkdir()
    return root


def roots(site: Path) -> list[Path]:
    return [site / "assets", site / "fonts"]


def page(site: Path, name: str, body: str, style: str = "") -> Path:
    path = site / "en" / f"{name}.html"
    path.write_text(
        f'<html lang="en"><head><title>{name}</title><link rel="stylesheet" href="../assets/style.css">'
        f"<style>{style}</style></head><body><h1>Page {name}</h1><p>{body} <b>in bold</b>.</p></body></html>"
    )
    return path


def alone(site: Path, html: Path) -> bytes:
    """The PDF rendered with a font configuration of its own."""
    target = html.with_suffix(".alone.pdf")
    write_pdf(html, target, roots(site))
    return target.read_bytes()


def shared(site: Path, html: Path, fonts: FontReuse) -> bytes:
    target = html.with_suffix(".shared.pdf")
    write_pdf(html, target, roots(site), fonts=fonts)
    return target.read_bytes()


def plain_reuse(site: Path, html: Path, config: FontConfiguration) -> bytes:
    """WeasyPrint's own reuse of a configuration, without the checks (the controls)."""
    fetcher = pdf._fetcher_class()(roots(site))
    return bytes(weasyprint.HTML(filename=str(html), url_fetcher=fetcher).write_pdf(font_config=config))


# Reuse leaves every PDF as it is alone ------------------------------------


def test_documents_with_the_same_fonts_share_one_configuration_and_render_identically(site: Path) -> None:
    pages = [page(site, f"p{number}", f"Text number {number}, with figures 1,234") for number in range(4)]
    fonts = FontReuse()
    assert shared(site, pages[0], fonts) == alone(site, pages[0])
    first = fonts.current
    for html in pages[1:]:
        assert shared(site, html, fonts) == alone(site, html)
    assert fonts.current is first


def test_the_sample_renders_byte_for_byte_the_same_with_one_configuration(
    sample_build: Project, tmp_path: Path
) -> None:
    # The real stylesheet (six bundled fonts), charts and the map, in each kind of edition.
    out = sample_build.out
    pages = [out / "en" / "iraq-syria-crisis.html", out / "id" / "brief-mosul.html", out / "bilingual" / "index.html"]
    fonts = FontReuse()
    for html in pages:
        together, on_its_own = (tmp_path / f"{html.parent.name}-{html.stem}-{how}.pdf" for how in ("shared", "alone"))
        write_pdf(html, together, [out / "assets"], fonts=fonts)
        write_pdf(html, on_its_own, [out / "assets"])
        assert together.read_bytes() == on_its_own.read_bytes(), html
    assert fonts.current is not None
    assert fonts.current.documents == len(pages)


def test_a_document_never_sees_a_font_only_another_document_declared(site: Path) -> None:
    declares = page(site, "declares", "Extra declared", EXTRA + " p { font-family: Extra; }")
    names_only = page(site, "names", "Extra named only", "p { font-family: Extra; }")
    for order in ([declares, names_only], [names_only, declares]):
        fonts = FontReuse()
        for html in order:
            assert shared(site, html, fonts) == alone(site, html), html.name
    # The control: with WeasyPrint's plain reuse, "Extra" leaks into the second document.
    config = FontConfiguration()
    plain_reuse(site, declares, config)
    assert plain_reuse(site, names_only, config) != alone(site, names_only)


def test_a_font_changed_between_documents_is_loaded_again(site: Path) -> None:
    first, second = page(site, "first", "Before"), page(site, "second", "After")
    fonts = FontReuse()
    shared(site, first, fonts)
    before = fonts.current
    shutil.copy(site / "fonts" / "SourceSans3-Bold.ttf", site / "fonts" / "SourceSerif4-Regular.ttf")
    assert shared(site, second, fonts) == alone(site, second)
    assert fonts.current is not before


# Every font still comes through each document's own fetcher ---------------


def test_a_font_removed_after_the_first_document_fails_the_next(site: Path) -> None:
    first, second = page(site, "first", "Before"), page(site, "second", "After")
    fonts = FontReuse()
    shared(site, first, fonts)
    config = FontConfiguration()
    plain_reuse(site, first, config)
    (site / "fonts" / "SourceSans3-Regular.ttf").unlink()
    with pytest.raises(UserError) as caught:
        shared(site, second, fonts)
    assert [str(line) for line in caught.value.diagnostics] == [
        "en/second.shared.pdf: error: PDF refused a resource: missing asset: fonts/SourceSans3-Regular.ttf [pdf.fetch]"
    ]
    assert not second.with_suffix(".shared.pdf").exists()
    # The control: WeasyPrint's plain reuse never asks the fetcher again.
    assert plain_reuse(site, second, config).startswith(b"%PDF")


def test_a_font_the_next_document_may_not_fetch_is_refused_to_it(site: Path) -> None:
    first, second = page(site, "first", "Fonts allowed"), page(site, "second", "Fonts not allowed")
    fonts = FontReuse()
    shared(site, first, fonts)
    with pytest.raises(UserError) as caught:
        write_pdf(second, second.with_suffix(".pdf"), [site / "assets"], fonts=fonts)
    assert [str(line) for line in caught.value.diagnostics] == [
        "en/second.pdf: error: PDF refused a resource: file outside the project's assets: "
        "fonts/SourceSerif4-Regular.ttf [pdf.fetch]"
    ]


# Workers: even batches, one configuration each, page texts sent back ----------


@pytest.mark.parametrize(
    ("count", "workers", "per_worker", "sizes"),
    [
        (81, 2, 200, [81]),
        (81, 2, 40, [41, 40]),
        (401, 2, 200, [201, 200]),
        (5, 1, 2, [2, 2, 1]),
        (1, 4, 200, [1]),
        (0, 2, 200, []),
    ],
)
def test_batches_are_as_few_and_as_even_as_the_limit_allows(
    monkeypatch: pytest.MonkeyPatch, count: int, workers: int, per_worker: int, sizes: list[int]
) -> None:
    monkeypatch.setattr(writer, "PDFS_PER_WORKER", per_worker)
    jobs = [PdfJob(Path(f"{number}.html"), Path(f"{number}.pdf")) for number in range(count)]
    chunks = batches(jobs, workers)
    assert [len(chunk) for chunk in chunks] == sizes
    assert [job for chunk in chunks for job in chunk] == jobs


@pytest.mark.parametrize("workers", [1, 2])
def test_the_texts_sent_back_are_what_the_pdf_reader_reads(site: Path, workers: int) -> None:
    pages = [page(site, f"p{number}", f"Paragraph {number}: 3,250 deaths") for number in range(3)]
    jobs = [PdfJob(html, html.with_suffix(".pdf"), text=html.name != "p1.html") for html in pages]
    done: list[PdfJob] = []
    texts = write_pdfs(jobs, roots(site), workers=workers, done=done.append)
    assert done == jobs
    assert sorted(texts) == [site / "en" / "p0.pdf", site / "en" / "p2.pdf"]
    for path, pages_text in texts.items():
        assert pages_text == pdf_text(path, PAGE_MARGINS_PT)
        assert "3,250 deaths" in "".join(pages_text)


def test_one_worker_makes_one_font_configuration_for_all_its_pdfs(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[SharedFonts] = []
    real_init = SharedFonts.__init__

    def counted(self: SharedFonts) -> None:
        real_init(self)
        made.append(self)

    monkeypatch.setattr(SharedFonts, "__init__", counted)
    pages = [page(site, f"p{number}", "Same fonts") for number in range(3)]
    write_pdfs([PdfJob(html, html.with_suffix(".pdf")) for html in pages], roots(site))
    assert len(made) == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_figure_the_pdf_hides_fails_the_build_with_texts_read_by_the_workers(minimal: Project, jobs: str) -> None:
    minimal.write("assets/style.css", minimal.read("assets/style.css") + '[data-fact="deaths"] { display: none; }\n')
    result = minimal.build("--jobs", jobs)
    assert result.code == 1
    assert [line for line in result.err.splitlines() if "error: " in line] == [
        'out/en/story.pdf: error: English PDF lacks "at least 3,250" of its HTML: '
        '"The observatory counted at least 3,250 deaths." [check.pdf]',
        'out/id/story.pdf: error: Indonesian PDF lacks "setidaknya 3.250" of its HTML: '
        '"Lembaga pemantau itu mencatat setidaknya 3.250 kematian." [check.pdf]',
        'out/bilingual/story.pdf: error: bilingual PDF lacks "3,250" of its HTML [check.pdf]',
        'out/bilingual/story.pdf: error: bilingual PDF lacks "3.250" of its HTML [check.pdf]',
    ]
    assert not minimal.out.exists()


def test_the_check_takes_the_texts_it_is_given_instead_of_reading_the_pdf(minimal: Project) -> None:
    assert minimal.build().code == 0
    config = load_config(minimal.root)
    base = load_facts(config)
    read = {name: pdf_text(minimal.out / name, PAGE_MARGINS_PT) for name in ("en/story.pdf", "id/story.pdf")}
    assert check_output(config, base, minimal.out, pdf_texts=read) == []
    without = {**read, "en/story.pdf": [page.replace("at least 3,250", "") for page in read["en/story.pdf"]]}
    assert [str(line) for line in check_output(config, base, minimal.out, pdf_texts=without)] == [
        'out/en/story.pdf: error: English PDF lacks "at least 3,250" of its HTML: '
        '"The observatory counted at least 3,250 deaths." [check.pdf]'
    ]


def test_workers_leave_no_font_files_behind(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")  # the sample: its stylesheet declares fonts
    # A fresh interpreter, so that the forkserver and its workers take this TMPDIR;
    # a short one, as the forkserver's socket lives in it.
    temporary = Path(tempfile.mkdtemp(prefix="fonts-", dir="/tmp"))
    try:
        command = [sys.executable, "-m", "pipeline", "--project", str(project.root), "build", "--jobs", "2"]
        environment = {**os.environ, "TMPDIR": str(temporary)}
        result = subprocess.run(command, capture_output=True, text=True, env=environment)
        assert result.returncode == 0, result.stderr
        assert sorted(path.name for path in temporary.iterdir()) == []
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def test_a_temporary_folder_too_deep_for_the_workers_socket_is_one_clear_line(minimal: Project, tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    assert run_cli("--project", minimal.root, "build", "--jobs", "2").code == 0
    before = tree_digest(minimal.out)
    command = [sys.executable, "-m", "pipeline", "--project", str(minimal.root), "build", "--jobs", "2", "--force"]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TMPDIR": str(deep)})
    assert (result.returncode, result.stderr.splitlines()[-1]) == (
        2,
        f"error: cannot start the PDF workers: the temporary folder {deep} is too deep for their socket; "
        "set TMPDIR to a shorter path, or build with --jobs 1 [pdf.workers]",
    )
    assert tree_digest(minimal.out) == before
