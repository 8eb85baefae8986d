"""`pipeline new SLUG`: a story that builds at once as a draft, in both languages, HTML and PDF.

The sample is copied once for the module; `new` and the builds that follow run
on that copy, and the refusals on fresh copies of their own.
"""

from __future__ import annotations

import io
import json
import subprocess

import pypdfium2
import pytest
from babel.messages.pofile import read_po

from tests.conftest import PO, ROOT, Project, copy_project
from tests.validators import CHECK_JSONSCHEMA, require

SLUG = "jakarta-floods"
TITLE = "Jakarta’s floods, explained"
FACT_FILE = f"facts/{SLUG}.yaml"
TEMPLATE = f"templates/articles/{SLUG}.html"
POT = "locales/messages.pot"


def entries(po_text: str) -> dict[tuple[str | None, str], object]:
    """Every entry of a catalog, translations and obsolete ones included, by (context, msgid)."""
    catalog = read_po(io.StringIO(po_text))
    found: dict[tuple[str | None, str], object] = {}
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.id:
            singular = message.id if isinstance(message.id, str) else message.id[0]
            found[(message.context, singular)] = (message.string, message.fuzzy, tuple(message.previous_id or ()))
    return found


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, object], str]:
    project = copy_project(ROOT, tmp_path_factory.mktemp("new") / "project")
    po_before = project.read(PO)
    result = project.run("new", SLUG, "--title", TITLE, "--json")
    assert result.code == 0, result.err
    return project, json.loads(result.out), po_before


@pytest.fixture(scope="module")
def drafted(started: tuple[Project, dict[str, object], str]) -> Project:
    project = started[0]
    result = project.build("--draft")
    assert result.code == 0, result.err
    return project


def test_new_prints_one_json_document_listing_the_files(started: tuple[Project, dict[str, object], str]) -> None:
    _, document, _ = started
    assert document == {
        "slug": SLUG,
        "headline": TITLE,
        "created": [FACT_FILE, TEMPLATE],
        "updated": [POT, PO],
        "untranslated": {"id": 4},
    }


def test_the_fact_file_declares_the_article_and_one_fact_of_every_kind(
    started: tuple[Project, dict[str, object], str],
) -> None:
    from pipeline.config import load_config
    from pipeline.facts import load_facts

    project = started[0]
    text = project.read(FACT_FILE)
    assert text.startswith("# yaml-language-server: $schema=./facts.schema.json\n")
    assert project.read("facts/iraq-syria-crisis.yaml").startswith(text.splitlines()[0] + "\n")
    base = load_facts(load_config(project.root))
    article = base.articles[SLUG]
    assert (article.template, article.author, article.author_kind) == (
        f"articles/{SLUG}.html",
        "Newsroom Data Desk",
        "organization",
    )
    ours = {fact_id: fact for fact_id, fact in base.facts.items() if fact_id.startswith("jakarta_floods_")}
    kinds = {fact.kind for fact in ours.values()}
    assert kinds == {"count", "percent", "money", "date", "duration", "rank", "series", "countries", "coordinates"}
    assert len(ours) == len(kinds)
    assert {fact.source for fact in ours.values()} == {"jakarta_floods_source"}
    assert all(fact.as_of for fact in ours.values())
    assert text.count("# replace") >= 3


def test_the_new_fact_file_passes_check_jsonschema(started: tuple[Project, dict[str, object], str]) -> None:
    require([] if CHECK_JSONSCHEMA.exists() else [str(CHECK_JSONSCHEMA)], "install the development extra")
    project = started[0]
    checked = subprocess.run(
        [CHECK_JSONSCHEMA, "--schemafile", project.path("facts/facts.schema.json"), project.path(FACT_FILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_template_extends_the_layout_and_cites_a_new_fact(started: tuple[Project, dict[str, object], str]) -> None:
    text = started[0].read(TEMPLATE)
    assert text.startswith('{% extends "base.html" %}\n')
    assert "{% block headline %}{% trans %}Jakarta’s floods, explained{% endtrans %}{% endblock %}" in text
    assert "{% block standfirst %}{% trans %}" in text
    assert '{% trans count=fig("jakarta_floods_count") %}' in text


def test_every_existing_translation_is_kept_and_the_new_sentences_await_one(
    started: tuple[Project, dict[str, object], str],
) -> None:
    project, _, po_before = started
    before, after = entries(po_before), entries(project.read(PO))
    assert {key: after[key] for key in before} == before
    assert sorted(key[1] for key in set(after) - set(before)) == [
        "Example Publisher",
        "Example Publisher counted %(count)s of what this story is about: replace this sentence.",
        TITLE,
        "What this story is about, in a sentence or two: replace this standfirst.",
    ]
    assert all(after[key] == ("", False, ()) for key in set(after) - set(before))
    assert f"#: {TEMPLATE}:" in project.read(POT)


def test_the_draft_publishes_the_story_in_every_edition_as_html_and_pdf(drafted: Project) -> None:
    draft = drafted.root / "draft"
    for edition in ("en", "id", "bilingual"):
        for suffix in ("html", "pdf"):
            assert (draft / edition / f"{SLUG}.{suffix}").is_file(), f"{edition}/{SLUG}.{suffix}"
        index = (draft / edition / "index.html").read_text(encoding="utf-8")
        assert f'href="{SLUG}.html"' in index and "Jakarta’s floods, explained" in index
    english = (draft / "en" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "<h1>Jakarta’s floods, explained</h1>" in english and "about 1,200" in english
    indonesian = (draft / "id" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert '<h1><span class="untranslated" lang="en">Jakarta’s floods, explained</span></h1>' in indonesian
    assert "sekitar 1.200" in indonesian
    pdf = pypdfium2.PdfDocument(draft / "id" / f"{SLUG}.pdf")
    assert "sekitar 1.200" in " ".join(page.get_textpage().get_text_range() for page in pdf)


def test_a_plain_build_stops_only_at_the_untranslated_sentences(drafted: Project) -> None:
    result = drafted.build()
    assert result.code == 2
    lines = drafted.read(PO).splitlines()

    def msgstr_line(msgid_start: str) -> int:
        at = next(number for number, line in enumerate(lines) if msgid_start in line)
        return next(number for number in range(at, len(lines)) if lines[number].startswith("msgstr")) + 1

    assert result.err.splitlines() == [
        f'{PO}:{msgstr_line(start)}: error: untranslated: "{shown}" is not published; translate it, or preview with '
        "pipeline build --draft [catalog.untranslated]"
        for start, shown in [
            ('"Jakarta’s floods, explained"', "Jakarta’s floods, explained"),
            ('"What this story is about', "What this story is about, in a sentence or two: replace thi…"),
            ('"Example Publisher counted', "Example Publisher counted %(count)s of what this story is a…"),
            ('msgid "Example Publisher"', "Example Publisher"),
        ]
    ]
    assert not drafted.out.exists()
