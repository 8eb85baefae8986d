"""A data file embedded in every PDF: its bytes and its note read back as written, in every way a PDF is made.

The file is an associated file of the document (`/AFRelationship /Data`,
listed once in the catalog's `/AF`) under both variants; the PDF stays the
same bytes however often it is rendered and whatever the file's own dates;
a file the build did not stage as a regular file, or a note that is not one
line, is refused with the PDF named and no PDF left.  pypdfium2 reads names,
bytes and descriptions but not a file specification's other keys, so those
are read from the PDF's objects here, object streams included.
"""

from __future__ import annotations

import os
import re
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import build
from pipeline.errors import UserError
from pipeline.pdf import cluster as cluster_module
from pipeline.pdf.document import PdfJob, write_pdf
from pipeline.pdf.writer import write_pdfs
from pipeline.reading import pdf_attachments
from tests.conftest import ROOT, Project

DATA = b'{"figures": [{"fact": "displaced", "value": 20218}]}\n'
NOTE = "parity: 3 figures, en = id = bilingual, sha256 0f3a"
VARIANTS = ["ua", "a3b"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A staged site: the bundled fonts, a stylesheet, one edition and its figures file beside it."""
    root = tmp_path / "site"
    shutil.copytree(
        ROOT / "assets" / "fonts", root / "assets" / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md")
    )
    (root / "assets" / "style.css").write_text(
        '@font-face { font-family: "Body"; src: url("fonts/SourceSerif4-Regular.ttf"); }\n'
        "body { font-family: Body; } @page { size: A5; }\n"
    )
    (root / "en").mkdir()
    page(root, "story")
    (root / "en" / "story.figures.json").write_bytes(DATA)
    return root


def page(site: Path, name: str, date: str | None = "2018-03-29") -> Path:
    meta = f'<meta name="dcterms.created" content="{date}">' if date else ""
    path = site / "en" / f"{name}.html"
    path.write_text(
        f'<html lang="en"><head><title>{name}</title>{meta}<link rel="stylesheet" href="../assets/style.css">'
        "</head><body><h1>Mosul</h1><p>20,218 people were displaced.</p></body></html>"
    )
    return path


def render(site: Path, variant: str = "ua", note: str = NOTE, name: str = "story", target: str = "") -> Path:
    pdf = site / "en" / (target or f"{name}.pdf")
    write_pdf(
        site / "en" / f"{name}.html",
        pdf,
        [site / "assets"],
        variant,
        attachment=site / "en" / f"{name}.figures.json",
        note=note,
    )
    return pdf


def pdf_objects(data: bytes) -> dict[int, bytes]:
    """Every object of the PDF by number, those packed into object streams unpacked."""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s(.*?)endobj", data, re.DOTALL)}
    for body in list(objects.values()):
        head = re.match(rb"<<(.*?)>>\s*stream\r?\n", body, re.DOTALL)
        if head is None or b"/ObjStm" not in head.group(1):
            continue
        first = int(re.search(rb"/First (\d+)", head.group(1)).group(1))  # type: ignore[union-attr]
        packed = zlib.decompressobj().decompress(body[head.end() :])
        numbers = [int(n) for n in packed[:first].split()]
        offsets = [*numbers[1::2], len(packed) - first]
        for index, number in enumerate(numbers[::2]):
            objects[number] = packed[first + offsets[index] : first + offsets[index + 1]]
    return objects


def associated_files(pdf: Path) -> list[bytes]:
    """The file specifications the catalog's /AF lists, in its order."""
    objects = pdf_objects(pdf.read_bytes())
    catalogs = [body for body in objects.values() if re.search(rb"/Type\s*/Catalog", body)]
    assert len(catalogs) == 1
    listed = re.search(rb"/AF\s*\[([^\]]*)\]", catalogs[0])
    assert listed is not None, "the catalog has no /AF"
    return [objects[int(number)] for number in re.findall(rb"(\d+) 0 R", listed.group(1))]


def embedded_file_params(pdf: Path) -> list[bytes]:
    objects = pdf_objects(pdf.read_bytes())
    return [body for body in objects.values() if re.search(rb"/Type\s*/EmbeddedFile\b", body)]


def info_dates(pdf: Path) -> set[bytes]:
    return set(
        re.findall(rb"/(?:CreationDate|ModDate) \((D:[^)]*)\)", b"".join(pdf_objects(pdf.read_bytes()).values()))
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_file_and_its_note_read_back_as_written(site: Path, variant: str) -> None:
    pdf = render(site, variant)
    assert pdf_attachments(pdf) == {"story.figures.json": (DATA, NOTE)}
    [params] = embedded_file_params(pdf)
    assert b"/Subtype /application#2fjson" in params


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_file_is_associated_with_the_document_once(site: Path, variant: str) -> None:
    # WeasyPrint 70 lists it twice under PDF/A-3b and not at all under PDF/UA-1.
    [spec] = associated_files(render(site, variant))
    assert b"/Type /Filespec" in spec
    assert b"/AFRelationship /Data" in spec
    assert b"(story.figures.json)" in spec


def test_without_an_attachment_nothing_is_embedded_nor_associated(site: Path) -> None:
    pdf = site / "en" / "story.pdf"
    write_pdf(site / "en" / "story.html", pdf, [site / "assets"], "a3b")
    assert pdf_attachments(pdf) == {}
    assert not embedded_file_params(pdf)
    assert b"/AF" not in b"".join(pdf_objects(pdf.read_bytes()).values())


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_same_job_gives_the_same_bytes_whatever_the_files_dates(site: Path, variant: str) -> None:
    first = render(site, variant, target="first.pdf").read_bytes()
    figures = site / "en" / "story.figures.json"
    # WeasyPrint would date the file by the clock, or by the file's own times.
    os.utime(figures, (1_000_000_000, 1_000_000_000))
    second = render(site, variant, target="second.pdf").read_bytes()
    assert first == second


def test_the_file_is_dated_as_the_document(site: Path) -> None:
    pdf = render(site)
    [params] = embedded_file_params(pdf)
    assert set(re.findall(rb"/(?:CreationDate|ModDate) \((D:[^)]*)\)", params)) == {b"D:20180329"}
    assert info_dates(pdf) == {b"D:20180329"}


def test_a_document_without_a_date_leaves_its_file_undated(site: Path) -> None:
    page(site, "story", date=None)
    [params] = embedded_file_params(render(site))
    assert b"CreationDate" not in params
    assert b"ModDate" not in params


def refusal(site: Path, note: str = NOTE) -> str:
    pdf = site / "en" / "story.pdf"
    with pytest.raises(UserError) as caught:
        render(site, note=note)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.file) == ("pdf.attachment", "en/story.pdf")
    assert not pdf.exists()
    return diagnostic.message


def test_a_symlinked_attachment_is_refused(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_bytes(b'{"secret": true}')
    figures = site / "en" / "story.figures.json"
    figures.unlink()
    figures.symlink_to(secret)
    assert refusal(site) == "PDF refused its attachment en/story.figures.json: a symbolic link"


def test_a_fifo_as_attachment_is_refused_without_waiting(site: Path) -> None:
    figures = site / "en" / "story.figures.json"
    figures.unlink()
    os.mkfifo(figures)
    assert refusal(site) == "PDF refused its attachment en/story.figures.json: not a regular file"


def test_a_missing_attachment_is_refused(site: Path) -> None:
    (site / "en" / "story.figures.json").unlink()
    assert refusal(site) == "PDF refused its attachment en/story.figures.json: missing file"


HOSTILE_NOTES = {
    "literal string escapes": 'parity ok) /Desc (forged) \\ "quoted" (unbalanced',
    "bidi controls": "parity ok \u202ekcehc\u202c \u2067\u05e9\u05dc\u05d5\u05dd\u2069 \u200f",
    "beyond the basic plane and Indonesian": "paritas: 3 angka \U0001f4ca; pengungsi",
    "empty": "",
}


@pytest.mark.parametrize("note", HOSTILE_NOTES.values(), ids=HOSTILE_NOTES.keys())
def test_a_hostile_note_reads_back_as_written(site: Path, note: str) -> None:
    assert pdf_attachments(render(site, note=note)) == {"story.figures.json": (DATA, note)}


# One line: refused rather than mended, since a certificate mended would certify another text.
BROKEN_NOTES = {
    "newline": ("parity ok\n/Desc forged", "U+000A at character 10"),
    "carriage return": ("parity ok\r", "U+000D at character 10"),
    "line separator": ("parity\u2028ok", "U+2028 at character 7"),
    "tab": ("\tparity", "U+0009 at character 1"),
    "lone surrogate": ("parity \udcff", "U+DCFF at character 8"),
}


@pytest.mark.parametrize(("note", "where"), BROKEN_NOTES.values(), ids=BROKEN_NOTES.keys())
def test_a_note_of_more_than_one_line_is_refused(site: Path, note: str, where: str) -> None:
    assert refusal(site, note) == (
        f"PDF refused its attachment en/story.figures.json: its note must be one line of text, but has {where}"
    )


def test_the_attachment_travels_to_worker_processes(site: Path) -> None:
    jobs = []
    for name in ("one", "two"):
        page(site, name)
        (site / "en" / f"{name}.figures.json").write_bytes(name.encode())
        jobs.append(
            PdfJob(
                site / "en" / f"{name}.html",
                site / "en" / f"{name}.pdf",
                True,
                site / "en" / f"{name}.figures.json",
                name,
            )
        )
    texts = write_pdfs(jobs, [site / "assets"], "ua", workers=2)
    assert set(texts) == {job.pdf for job in jobs}
    for name in ("one", "two"):
        assert pdf_attachments(site / "en" / f"{name}.pdf") == {f"{name}.figures.json": (name.encode(), name)}


def test_a_cluster_task_carries_the_file_and_gives_the_local_bytes(site: Path) -> None:
    from pipeline.inputs import code_digest
    from pipeline.pdf.document import Embedded

    local = render(site, "a3b").read_bytes()
    bundle = cluster_module.bundle_assets(site / "assets")
    html = (site / "en" / "story.html").read_bytes()
    job = cluster_module.RemoteJob(
        "en/story.html", html, "a3b", code_digest(), Embedded("story.figures.json", DATA, NOTE)
    )
    try:
        result = cluster_module.render_remote(job, bundle)
    finally:
        cluster_module.reset_worker()
    assert result.findings == []
    assert result.pdf == local


def test_a_cluster_task_naming_a_file_outside_its_folder_is_refused(site: Path) -> None:
    from pipeline.inputs import code_digest
    from pipeline.pdf.document import Embedded

    bundle = cluster_module.bundle_assets(site / "assets")
    job = cluster_module.RemoteJob(
        "en/story.html", b"", "ua", code_digest(), Embedded("../story.figures.json", DATA, "")
    )
    try:
        with pytest.raises(ValueError, match="unsafe"):
            cluster_module.render_remote(job, bundle)
    finally:
        cluster_module.reset_worker()


def test_the_cluster_client_refuses_a_symlinked_attachment_before_any_task(site: Path, tmp_path: Path) -> None:
    figures = site / "en" / "story.figures.json"
    figures.unlink()
    figures.symlink_to(tmp_path)
    job = PdfJob(site / "en" / "story.html", site / "en" / "story.pdf", True, figures, NOTE)
    with pytest.raises(UserError) as caught:
        cluster_module._remote_job(job, site, "ua", "0" * 64)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.message == "PDF refused its attachment en/story.figures.json: a symbolic link"


# Through the build: PdfBuilder asks for each PDF's file -------------------------------------


def carried(out: Path) -> dict[str, dict[str, tuple[bytes, str]]]:
    return {pdf.relative_to(out).as_posix(): pdf_attachments(pdf) for pdf in sorted(out.rglob("*.pdf"))}


def test_a_pdf_published_without_a_file_is_not_reused_for_one_that_carries_one() -> None:
    from types import SimpleNamespace

    from pipeline.build.builders import PdfBuilder

    edition: Any = SimpleNamespace(html="<p>20,218</p>")
    plain, attaching = PdfBuilder(), PdfBuilder(attach=lambda relative: None)
    assert plain.key(edition, "common") == PdfBuilder().key(edition, "common")
    assert plain.key(edition, "common") != attaching.key(edition, "common")


def test_a_build_on_a_cluster_embeds_the_files_as_a_local_one(
    minimal: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.pdf.test_cluster import started

    # One time for both builds: the certificate names it, and the PDFs must match byte for byte.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1522324800")
    build(minimal.root, minimal.out)
    local = {path.relative_to(minimal.out): path.read_bytes() for path in sorted(minimal.out.rglob("*.pdf"))}
    out = tmp_path / "cluster-out"
    with started(tmp_path / "cluster", ["w1"]) as cluster:
        build(minimal.root, out, scheduler=cluster.address)
    assert carried(out) == carried(minimal.out)
    assert sorted(next(iter(files)) for files in carried(out).values()) == ["story.figures.json"] * 3
    assert {path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*.pdf"))} == local


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_pages_look_as_they_do_without_a_file(site: Path, variant: str) -> None:
    import pypdfium2

    plain = site / "en" / "plain.pdf"
    write_pdf(site / "en" / "story.html", plain, [site / "assets"], variant)
    pictures = []
    for pdf in (plain, render(site, variant)):
        document = pypdfium2.PdfDocument(pdf)
        try:
            pictures.append([page.render(scale=1).to_pil().tobytes() for page in document])
        finally:
            document.close()
    assert pictures[0] == pictures[1]
