"""A linked stylesheet parsed once per process: the PDFs stay as they were, the fetcher still decides.

Every PDF rendered with a reused parse is compared, byte for byte, with the
same PDF rendered with every stylesheet parsed anew (`stylesheets=None`).
The controls show what the cache must not do: a sheet handed to WeasyPrint
as a user stylesheet renders differently, so the reused sheet has to take
the link's place in the cascade.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from pipeline.errors import UserError
from pipeline.pdf import document as pdf
from pipeline.pdf import stylesheets
from pipeline.pdf.document import write_pdf
from pipeline.pdf.fonts import FontReuse
from pipeline.pdf.stylesheets import StylesheetCache
from pipeline.reading.text import pdf_text
from tests.conftest import ROOT, Project

FACES = "".join(
    f'@font-face {{ font-family: "{family}"; src: url("../fonts/{file}.ttf"); font-weight: {weight}; }}\n'
    for family, file, weight in [
        ("Body", "SourceSerif4-Regular", 400),
        ("Body", "SourceSerif4-Bold", 700),
        ("Head", "SourceSans3-Regular", 400),
    ]
)
STYLE = FACES + "body { font-family: Body; } h1 { font-family: Head; color: #114; } @page { size: A5; }\n"
NO_MARGINS = (0.0, 0.0, 0.0, 0.0)
HEAD_FONT = "SourceSans3-Regular.ttf"


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


def page(site: Path, name: str, body: str = "Some text", head: str = "", sheet: str = "../assets/style.css") -> Path:
    """An edition linking `sheet`; `head` goes before the link, a <style> with a running header after it."""
    path = site / "en" / f"{name}.html"
    path.write_text(
        f'<html lang="en"><head><title>{name}</title>{head}<link rel="stylesheet" href="{sheet}">'
        f'<style>@page {{ @top-left {{ content: "{name}"; }} }}</style></head>'
        f"<body><h1>Page {name}</h1><p>{body} <b>in bold</b>.</p></body></html>"
    )
    return path


def render(
    html: Path,
    allowed: list[Path],
    cache: StylesheetCache | None,
    fonts: FontReuse | None = None,
    suffix: str = "",
) -> bytes:
    target = html.with_suffix(f".{'cached' if cache is not None else 'parsed'}{suffix}.pdf")
    write_pdf(html, target, allowed, fonts=fonts, stylesheets=cache)
    return target.read_bytes()


def text(pdf_bytes: bytes, folder: Path) -> str:
    path = folder / "read.pdf"
    path.write_bytes(pdf_bytes)
    return "\n".join(pdf_text(path, NO_MARGINS))


# The PDFs stay as they are ------------------------------------------------


def test_the_sample_renders_byte_for_byte_the_same_with_its_stylesheet_parsed_once(
    sample_build: Project, tmp_path: Path
) -> None:
    # As in a worker: one process, one font configuration handed on, every edition in turn.
    out = sample_build.out
    editions = sorted(out.glob("*/*.html"))
    assert len(editions) == 21
    cache = StylesheetCache()
    with_cache, without = FontReuse(), FontReuse()
    try:
        for html in editions:
            reused, parsed = (tmp_path / f"{html.parent.name}-{html.stem}-{how}.pdf" for how in ("reused", "parsed"))
            write_pdf(html, reused, [out / "assets"], fonts=with_cache, stylesheets=cache)
            write_pdf(html, parsed, [out / "assets"], fonts=without, stylesheets=None)
            assert reused.read_bytes() == parsed.read_bytes(), html
    finally:
        with_cache.close()
        without.close()
    assert (cache.parses, cache.reuses) == (1, len(editions) - 1)


def test_the_linked_sheet_keeps_its_place_in_the_cascade(site: Path) -> None:
    # An earlier <style> with the same specificity loses to the link, and its @page size to the sheet's.
    before = "<style>h1 { color: #c00; } @page { size: A6; margin: 1cm; }</style>"
    first, second = page(site, "first", head=before), page(site, "second", head=before)
    cache = StylesheetCache()
    render(first, roots(site), cache)
    assert render(second, roots(site), cache) == render(second, roots(site), None)
    assert cache.reuses == 1
    # The control: the same parsed sheet handed over as a user stylesheet changes the PDF.
    fetcher = pdf._fetcher_class()(roots(site))
    config = FontConfiguration()
    user_sheet = weasyprint.CSS(filename=str(site / "assets" / "style.css"), url_fetcher=fetcher, font_config=config)
    (site / "assets" / "style.css").write_text("")
    as_user = weasyprint.HTML(filename=str(second), url_fetcher=fetcher).write_pdf(
        stylesheets=[user_sheet], font_config=config, **pdf.PDF_VARIANTS["ua"]
    )
    (site / "assets" / "style.css").write_text(STYLE)
    assert as_user != render(second, roots(site), None)


def test_fonts_are_registered_in_whichever_configuration_the_document_uses(site: Path) -> None:
    extra = '<style>@font-face { font-family: "Extra"; src: url("../fonts/SourceSans3-Bold.ttf"); }</style>'
    documents = [page(site, f"p{number}", f"Text {number}") for number in range(3)]
    declares_more = page(site, "more", "More fonts", head=extra)
    cache = StylesheetCache()
    shared_cached, shared_parsed = FontReuse(), FontReuse()
    # Handed on; a configuration of its own; one that does not fit before the link (Extra
    # first), then one that does not fit while the kept sheet registers its fonts.
    steps = [(documents[0], True), (documents[1], False), (declares_more, True), (documents[2], True)]
    try:
        for html, handed_on in steps:
            cached = render(html, roots(site), cache, shared_cached if handed_on else None)
            assert cached == render(html, roots(site), None, shared_parsed if handed_on else None), html.name
        # The last document was rendered again with a configuration of its own.
        assert shared_cached.current is not None and shared_cached.current.documents == 1
    finally:
        shared_cached.close()
        shared_parsed.close()
    assert (cache.parses, cache.reuses) == (1, 3)


def test_what_the_parse_logs_is_logged_for_every_document(site: Path, caplog: pytest.LogCaptureFixture) -> None:
    (site / "assets" / "style.css").write_text(STYLE + "@media (max-width: 3rem) { h1 { color: red; } }\n")
    cache = StylesheetCache()
    logged = []
    for html in (page(site, "first"), page(site, "second")):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            render(html, roots(site), cache)
        logged.append([record.getMessage() for record in caplog.records])
    assert cache.reuses == 1
    assert any("the whole @media rule was ignored" in message for message in logged[0])
    assert logged[1] == logged[0]


@pytest.mark.parametrize(
    "rule",
    [
        "@layer base { h1 { color: #040; } }",
        "@counter-style thumbs { system: cyclic; symbols: '>'; suffix: ' '; } ol { list-style: thumbs; }",
    ],
)
def test_a_sheet_whose_parse_cannot_be_replayed_is_parsed_for_every_document(site: Path, rule: str) -> None:
    (site / "assets" / "style.css").write_text(STYLE + rule + "\n")
    cache = StylesheetCache()
    for name in ("first", "second"):
        html = page(site, name, "<ol><li>one</li></ol>")
        assert render(html, roots(site), cache) == render(html, roots(site), None)
    assert (cache.parses, cache.reuses) == (2, 0)


def test_a_reused_sheet_is_built_as_weasyprint_builds_one(site: Path) -> None:
    stylesheets.install()
    fetcher = pdf._fetcher_class()(roots(site), StylesheetCache())
    url = (site / "assets" / "style.css").as_uri()
    built = []
    for _ in range(2):
        page_rules: list[object] = [("an earlier sheet's @page rule",)]
        sheet = weasyprint.css.CSS(
            url=url,
            url_fetcher=fetcher,
            media_type="print",
            font_config=FontConfiguration(),
            counter_style={},
            color_profiles={},
            page_rules=page_rules,
            layers=[],
            _check_mime_type=True,
        )
        assert sheet.page_rules is page_rules
        built.append(sheet)
    parsed, reused = built
    assert (fetcher.stylesheets.parses, fetcher.stylesheets.reuses) == (1, 1)
    assert type(reused) is type(parsed) and vars(reused).keys() == vars(parsed).keys()
    assert reused.matcher is parsed.matcher and reused.page_rules == parsed.page_rules


# Never stale ----------------------------------------------------------------


def test_an_edited_stylesheet_is_parsed_again_in_the_same_process(site: Path, tmp_path: Path) -> None:
    cache = StylesheetCache()
    render(page(site, "first"), roots(site), cache)
    before = render(page(site, "second"), roots(site), cache)
    assert (cache.parses, cache.reuses) == (1, 1)
    (site / "assets" / "style.css").write_text(STYLE + 'h1::after { content: " edited"; }\n')
    after = render(page(site, "second"), roots(site), cache, suffix="-after")
    assert "edited" not in text(before, tmp_path) and "edited" in text(after, tmp_path)
    assert after == render(page(site, "second"), roots(site), None, suffix="-after")
    assert (cache.parses, cache.reuses) == (2, 1)


def test_an_edited_import_is_parsed_again_in_the_same_process(site: Path, tmp_path: Path) -> None:
    (site / "assets" / "style.css").write_text('@import url("extra.css");\n' + STYLE)
    (site / "assets" / "extra.css").write_text('h1::after { content: " first"; }\n')
    cache = StylesheetCache()
    render(page(site, "p"), roots(site), cache)
    first = render(page(site, "p"), roots(site), cache)
    assert (cache.parses, cache.reuses) == (1, 1)
    (site / "assets" / "extra.css").write_text('h1::after { content: " second"; }\n')
    second = render(page(site, "p"), roots(site), cache, suffix="-after")
    assert "first" in text(first, tmp_path) and "second" in text(second, tmp_path)
    assert second == render(page(site, "p"), roots(site), None, suffix="-after")
    assert (cache.parses, cache.reuses) == (2, 1)


def test_another_projects_identical_stylesheet_uses_that_projects_fonts(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(site, other)
    # Same stylesheet bytes, but its relative font URLs lead to another font in the other project.
    shutil.copy(other / "fonts" / "SourceSans3-Bold.ttf", other / "fonts" / "SourceSerif4-Regular.ttf")
    cache = StylesheetCache()
    render(page(site, "p"), roots(site), cache)
    html = page(other, "p")
    assert render(html, roots(other), cache) == render(html, roots(other), None)
    assert render(html, roots(other), None) != render(page(site, "p"), roots(site), None)
    assert (cache.parses, cache.reuses) == (2, 0)


# The fetcher still decides --------------------------------------------------


def refusal(html: Path, allowed: list[Path], cache: StylesheetCache) -> list[str]:
    with pytest.raises(UserError) as caught:
        render(html, allowed, cache)
    return [str(line) for line in caught.value.diagnostics]


OUTSIDE = "file outside the project's assets"


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        ('@import url("../shared/extra.css");\n' + STYLE, "shared/extra.css"),
        (STYLE.replace("../fonts/SourceSans3-Regular", "../shared/SourceSans3-Regular"), f"shared/{HEAD_FONT}"),
    ],
    ids=["import", "font"],
)
def test_what_a_reused_sheet_names_outside_the_assets_is_refused(site: Path, style: str, shown: str) -> None:
    (site / "shared").mkdir()
    (site / "shared" / "extra.css").write_text("h1 { color: #050; }\n")
    shutil.copy(site / "fonts" / HEAD_FONT, site / "shared")
    (site / "assets" / "style.css").write_text(style)
    cache = StylesheetCache()
    # Parsed and kept where the shared folder may be fetched, then reused where it may not.
    render(page(site, "first"), [*roots(site), site / "shared"], cache)
    assert refusal(page(site, "second"), roots(site), cache) == [
        f"en/second.cached.pdf: error: PDF refused a resource: {OUTSIDE}: {shown} [pdf.fetch]"
    ]
    assert (cache.parses, cache.reuses) == (1, 0)


def test_a_kept_sheet_itself_is_refused_where_it_may_not_be_fetched(site: Path) -> None:
    (site / "shared").mkdir()
    (site / "shared" / "style.css").write_text(STYLE)
    cache = StylesheetCache()
    render(page(site, "first", sheet="../shared/style.css"), [*roots(site), site / "shared"], cache)
    assert refusal(page(site, "second", sheet="../shared/style.css"), roots(site), cache) == [
        f"en/second.cached.pdf: error: PDF refused a resource: {OUTSIDE}: shared/style.css [pdf.fetch]"
    ]


@pytest.mark.parametrize(
    "reference",
    [
        '@import url("{secret}");',
        '@font-face {{ font-family: "Secret"; src: url("{secret}"); }}',
        'body {{ background: url("{secret}"); }}',
    ],
    ids=["import", "font", "url"],
)
def test_a_stylesheet_naming_a_file_outside_the_assets_is_refused_every_time(
    site: Path, tmp_path: Path, reference: str
) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("h1 { color: red; }\n")
    (site / "assets" / "style.css").write_text(reference.format(secret=secret.as_uri()) + "\n" + STYLE)
    cache = StylesheetCache()
    for name in ("first", "second"):
        assert refusal(page(site, name), roots(site), cache) == [
            f"en/{name}.cached.pdf: error: PDF refused a resource: {OUTSIDE}: {secret.as_uri()} [pdf.fetch]"
        ]
