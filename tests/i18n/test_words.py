"""The words a reader sees: typographic quotes, sources named in the reader's language, one name per country."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
from babel import Locale

from pipeline.reading.text import html_text
from tests.conftest import PO, Project, copy_project

STRAIGHT = re.compile(r"[\"']")


def pages(project: Project) -> list[Path]:
    return sorted(project.out.glob("*/*.html"))


def test_prose_headlines_and_metadata_use_typographic_quotes(sample_build: Project) -> None:
    for page in pages(sample_build):
        text = " ".join(html_text(page.read_text()).text.split())
        straight = [text[max(0, m.start() - 30) : m.end() + 30] for m in STRAIGHT.finditer(text)]
        assert straight == [], page
        title = re.search(r"<title>(.*?)</title>", page.read_text(), re.S)
        assert title is not None and not re.search(r"&#34;|&#39;|&quot;", title.group(1)), page
    document = pypdfium2.PdfDocument(sample_build.out / "en" / "iraq-syria-crisis.pdf")
    assert document.get_metadata_dict()["Title"] == (
        "The fall of Islamic State\u2019s \u201ccaliphate\u201d: the war in Iraq and Syria explained"
    )


def test_indonesian_notes_name_sources_as_indonesian_readers_know_them(sample_build: Project) -> None:
    english = (sample_build.out / "en" / "iraq-syria-crisis.html").read_text()
    # The page a reader sees; the structured data in the head names each
    # publisher as it writes itself, for machines to match across languages.
    indonesian = (sample_build.out / "id" / "iraq-syria-crisis.html").read_text().split("</head>", 1)[1]
    assert ">Government of Iraq<" in english or "Government of Iraq" in english
    assert "Government of Iraq" not in indonesian
    assert "Pemerintah Irak" in indonesian
    assert "UNHCR, Badan Pengungsi PBB" in indonesian and "the UN Refugee Agency" not in indonesian


def test_a_source_without_an_indonesian_name_stops_the_build(sample_build: Project, tmp_path: Path) -> None:
    project = copy_project(sample_build.root, tmp_path / "project")
    text = project.read(PO)
    entry = re.search(r'(msgctxt "source name"\nmsgid "Government of Iraq"\nmsgstr ")([^"]*)"', text)
    assert entry is not None
    project.write(PO, text.replace(entry.group(0), entry.group(1) + '"'))
    result = project.build()
    assert result.code == 2
    line = text[: entry.start()].count("\n") + 3  # the msgstr's
    assert result.err.splitlines() == [
        f'{PO}:{line}: error: untranslated: "Government of Iraq" is not published; translate it, or preview with '
        "pipeline build --draft [catalog.untranslated]"
    ]


def test_the_catalog_template_lists_every_source_with_its_place(sample_build: Project) -> None:
    pot = (sample_build.root / "locales" / "messages.pot").read_text()
    assert '#: facts/shared/sources.yaml:37\nmsgctxt "source name"\nmsgid "Government of Iraq"' in pot


def test_one_name_per_country_in_text_and_map(sample_build: Project) -> None:
    """Babel's territory name, the one the maps and country lists use, is the one the prose uses too."""
    # Names Babel no longer gives, and which prose is prone to reach for.
    former = {"TR": ["Turkey"], "CZ": ["Czech Republic"], "MK": ["Macedonia"], "CI": ["Ivory Coast"]}
    for page in pages(sample_build):
        language = "id" if page.parent.name == "id" else "en"
        names = Locale.parse(language).territories
        text = html_text(page.read_text()).text
        for code, olds in former.items():
            for old in olds:
                if old != names[code]:
                    assert not re.search(rf"\b{old}\b", text), (page, old, names[code])
