"""Citations are part of parity: every note marker leads to its figure's source, in every edition alike."""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from pipeline.config import load_config
from pipeline.facts.load import load_facts
from pipeline.graphics.svg_text import compact_markers
from pipeline.parity.check import check_html_editions, check_output
from pipeline.pdf.document import PAGE_MARGINS_PT
from pipeline.reading.text import pdf_text
from pipeline.render import figures
from pipeline.render.renderer import Renderer
from tests.conftest import PO, OverriddenTranslations, Project, render_with

# Read with a pattern of its own, not with the check's parser, so that a fault
# shared by the check and the renderer cannot hide here.
CITED_FIGURE = re.compile(
    r'<span class="fig" data-fact="(?P<fact>[^"]+)"[^>]*>(?P<text>[^<]*)</span>'
    r'<sup class="marker"><a href="#source-(?P<source>[^"]+)" role="doc-noteref"[^>]*>\[(?P<number>\d+)\]</a></sup>'
)
LISTED = re.compile(r'<li id="source-([^"]+)"')


def citations(html: str) -> list[tuple[str, str, str, int]]:
    return [(m["fact"], m["text"], m["source"], int(m["number"])) for m in CITED_FIGURE.finditer(html)]


def test_every_marker_of_every_edition_leads_to_its_figures_source(sample_build: Project) -> None:
    base = load_facts(load_config(sample_build.root))
    for slug in base.articles:
        english = citations((sample_build.out / "en" / f"{slug}.html").read_text())
        assert english, slug
        numbering = {fact: number for fact, _, _, number in english}
        for folder in ("en", "id", "bilingual"):
            html = (sample_build.out / folder / f"{slug}.html").read_text()
            listed = LISTED.findall(html)
            cited = citations(html)
            assert len(cited) == len(english) * (2 if folder == "bilingual" else 1), (folder, slug)
            for fact, text, source, number in cited:
                where = f"{folder}/{slug}: {text!r} ({fact}) [{number}]"
                assert source == base.facts[fact].source, where
                assert listed[number - 1] == source, where
                assert number == numbering[fact], where


@pytest.fixture
def separate_numbering(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bilingual edition as it was once built: each language counting its own notes."""

    def init(self: figures.BilingualFigures, base, source, target, names=None) -> None:  # type: ignore[no-untyped-def]
        self.source = figures.FigureContext(base, source, None, names and names[0])
        self.target = figures.FigureContext(base, target, None, names and names[1])

    monkeypatch.setattr(figures.BilingualFigures, "__init__", init)


def render_bilingual(project: Project, slug: str) -> list[str]:
    config = load_config(project.root)
    base = load_facts(config)
    renderer = Renderer(config, base)
    article = base.articles[slug]
    english, indonesian = config.locales
    translations = OverriddenTranslations(project.path(PO), {})
    rendered = [
        renderer.render(article, english, renderer.environment(english, gettext.NullTranslations())),
        renderer.render(article, indonesian, renderer.environment(indonesian, translations)),
        renderer.render_bilingual(article, indonesian, translations),
    ]
    return [str(finding) for finding in check_html_editions(config, base, rendered, shown_root=project.root / "out")]


def test_the_check_catches_a_column_numbering_its_notes_on_its_own(
    sample_build: Project, separate_numbering: None
) -> None:
    assert render_bilingual(sample_build, "brief-mosul") == [
        'out/bilingual/brief-mosul.html: error: the Indonesian column: note [4] after "98%" '
        '(territory_recaptured_share) links to "Combined Joint Task Force - Operation Inherent Resolve", '
        'but note 4 of the source list is "Wikipedia" [check.note]',
        'out/bilingual/brief-mosul.html: error: the Indonesian column cites "98%" (territory_recaptured_share) '
        "with note [4], the Indonesian edition with note [5] [check.note]",
    ]


def test_the_shared_numbering_passes(sample_build: Project) -> None:
    assert render_bilingual(sample_build, "brief-mosul") == []


@pytest.fixture
def published(sample_build: Project, tmp_path: Path) -> Project:
    project = Project(tmp_path / "published")
    shutil.copytree(sample_build.root, project.root, symlinks=True)
    return project


def test_a_marker_renumbered_by_hand_names_article_edition_and_figure(published: Project) -> None:
    page = "out/id/brief-raqqa.html"
    published.replace(
        page,
        'title="Observatorium Suriah untuk Hak Asasi Manusia">[5]',
        'title="Observatorium Suriah untuk Hak Asasi Manusia">[2]',
    )
    result = published.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        'out/id/brief-raqqa.html: error: note [2] after "setidaknya 3.250" (sohr_raqqa_deaths) links to '
        '"Syrian Observatory for Human Rights", but note 2 of the source list is "BBC News Indonesia" [check.note]',
        'out/bilingual/brief-raqqa.html: error: the Indonesian column cites "setidaknya 3.250" (sohr_raqqa_deaths) '
        "with note [5], the Indonesian edition with note [2] [check.note]",
        'out/id/brief-raqqa.html: error: Indonesian cites "setidaknya 3.250" (sohr_raqqa_deaths) with note [2], '
        "English with note [5] [check.note]",
        'out/id/brief-raqqa.pdf: error: Indonesian PDF prints "setidaknya 3.250" with note [5], its HTML with [2] '
        "[check.note]",
    ]


def test_a_marker_linked_to_another_source_is_caught(published: Project) -> None:
    published.replace(
        "out/en/brief-raqqa.html",
        'at least 3,250</span><sup class="marker"><a href="#source-sohr"',
        'at least 3,250</span><sup class="marker"><a href="#source-bbc_news"',
    )
    result = published.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        'out/en/brief-raqqa.html: error: note [5] after "at least 3,250" (sohr_raqqa_deaths) links to '
        '"BBC News", but note 5 of the source list is "Syrian Observatory for Human Rights" [check.note]'
    ]


def checked_with_pdf_text(project: Project, name: str, pages: list[str]) -> list[str]:
    """The check of published output, reading the PDF `name` as `pages` (and no other PDF)."""
    config = load_config(project.root)
    findings = check_output(config, load_facts(config), project.out, pdfs=set(), pdf_texts={name: pages})
    return [str(finding) for finding in findings]


def test_a_pdf_printing_another_note_number_is_caught(sample_build: Project) -> None:
    name = "id/brief-raqqa.pdf"
    pages = pdf_text(sample_build.out / name, PAGE_MARGINS_PT)
    assert any("setidaknya 3.250[5]" in page for page in pages)
    renumbered = [page.replace("setidaknya 3.250[5]", "setidaknya 3.250[2]") for page in pages]
    assert checked_with_pdf_text(sample_build, name, renumbered) == [
        'out/id/brief-raqqa.pdf: error: Indonesian PDF prints "setidaknya 3.250" with note [2], '
        "its HTML with [5] [check.note]"
    ]


def test_a_bilingual_pdf_is_held_to_its_html(sample_build: Project) -> None:
    name = "bilingual/brief-raqqa.pdf"
    pages = pdf_text(sample_build.out / name, PAGE_MARGINS_PT)
    assert checked_with_pdf_text(sample_build, name, pages) == []
    changed = [page.replace("setidaknya 3.250[5]", "setidaknya 3.520[5]") for page in pages]
    moved = [page.replace("setidaknya 3.250[5]", "setidaknya 3.250 [4]") for page in pages]
    shown = "out/bilingual/brief-raqqa.pdf"
    assert checked_with_pdf_text(sample_build, name, changed) == [
        f'{shown}: error: bilingual PDF lacks "3.250" of its HTML [check.pdf]',
        f'{shown}: error: bilingual PDF has "3.520", which its HTML does not [check.pdf]',
    ]
    assert checked_with_pdf_text(sample_build, name, moved) == [
        f'{shown}: error: bilingual PDF lacks "3.250[5]" of its HTML [check.pdf]',
        f'{shown}: error: bilingual PDF has "3.250[4]", which its HTML does not [check.pdf]',
    ]


def test_a_bilingual_column_pushed_into_the_page_margin_is_caught(sample_build: Project) -> None:
    """A paragraph WeasyPrint drew in the next page's top margin is outside the text a reader's page holds."""
    name = "bilingual/brief-deir-al-zour.pdf"
    pages = pdf_text(sample_build.out / name, PAGE_MARGINS_PT)
    # As the PDF read before the fix: the Indonesian paragraph outside the page area.
    cut = [re.sub(r"Lepasnya Deir al-Zour.*?Suriah\.\n", "", page, flags=re.S) for page in pages]
    assert cut != pages
    assert checked_with_pdf_text(sample_build, name, cut) == [
        'out/bilingual/brief-deir-al-zour.pdf: error: bilingual PDF lacks "98" of its HTML [check.pdf]'
    ]


@pytest.mark.parametrize("typed", ["[1]", "[２]", "[ 3 ]"])
def test_a_note_marker_typed_into_a_translation_is_caught(minimal: Project, typed: str) -> None:
    overrides = {"The observatory counted %(deaths)s deaths.": f"Tercatat %(deaths)s{typed} kematian."}
    _, findings = render_with(minimal, overrides)
    forged = (
        f'out/id/story.html: error: "{typed}" reads as a note marker but no figure put it there: '
        f'"Tercatat setidaknya 3.250{typed} kematian." [check.note]'
    )
    # Spaced out, the number also reads as a figure of its own; both are reported.
    assert findings == [forged] if typed != "[ 3 ]" else forged in findings


def test_a_bidi_control_that_reaches_a_page_is_caught(minimal: Project) -> None:
    """The catalog check refuses it in a msgstr; the figure check stands behind it for any other way in."""
    overrides = {"The observatory counted %(deaths)s deaths.": "Tercatat \u202e%(deaths)s\u202c kematian."}
    _, findings = render_with(minimal, overrides)
    assert findings == [
        "out/id/story.html: error: U+202E RIGHT-TO-LEFT OVERRIDE can reorder what readers see: "
        '"Tercatat \u202esetidaknya 3.250\u202c kematian." [check.bidi]',
        "out/id/story.html: error: U+202C POP DIRECTIONAL FORMATTING can reorder what readers see: "
        '"Tercatat \u202esetidaknya 3.250\u202c kematian." [check.bidi]',
    ]


def marker(fact: str, source: str, number: int) -> Markup:
    return Markup(
        f'<span class="cited" data-cites="{fact}"><sup class="marker"><a href="#source-{source}" '
        f'role="doc-noteref" title="{source.upper()}">[{number}]</a></sup></span>'
    )


def test_a_drawings_markers_are_sorted_and_runs_written_as_ranges() -> None:
    markers = [
        marker("f5", "e", 5),
        marker("f6", "f", 6),
        marker("f3", "c", 3),
        marker("f4", "d", 4),
        marker("f1", "a", 1),
    ]
    compact = str(compact_markers(markers))
    assert compact == (
        str(marker("f1", "a", 1))
        + '<span class="cited" data-cites="f3 f4 f5 f6"><sup class="marker">[<a href="#source-c" role="doc-noteref" '
        'title="C">3</a>\u2013<a href="#source-f" role="doc-noteref" title="F">6</a>]</sup></span>'
    )
    # Two in a row read as well as a range would.
    assert str(compact_markers([marker("f2", "b", 2), marker("f1", "a", 1)])) == str(marker("f1", "a", 1)) + str(
        marker("f2", "b", 2)
    )


def test_a_range_is_checked_note_by_note(published: Project) -> None:
    page = "out/en/iraq-syria-crisis.html"
    html = published.read(page)
    ranges = re.findall(r'\[<a href="#source-[^"]+"[^>]*>\d+</a>\u2013<a href="#source-[^"]+"[^>]*>(\d+)</a>\]', html)
    assert ranges, "the sample's explainer has a range of notes"
    last = ranges[0]
    published.replace(page, f">{last}</a>]", f">{int(last) + 1}</a>]")
    result = published.run("check")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if "check.note" in line] == [
        f"{page}: error: note [{int(last) + 1}] of the drawing citing raqqa_captured, deir_al_zour_al_qaim_retaken, "
        "aleppo_location, aleppo_retaken links to "
        '"Institute for the Study of War", but note 7 of the source list is "Syrian Observatory for Human Rights" '
        "[check.note]"
    ]
