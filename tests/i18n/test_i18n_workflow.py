"""The translator's side: context in the catalog, stats, plurals, updates that keep work, drafts."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pypdfium2
import pytest
from babel.messages.pofile import read_po

from pipeline.reading.text import html_text
from tests.conftest import PO, ROOT, Project, copy_project, render_with

STORY = "templates/articles/story.html"
MSGFMT = shutil.which("msgfmt")


def visible(html: str) -> str:
    """The text a reader sees, without note markers, on one line."""
    return " ".join(re.sub(r"\[\d+\]", "", html_text(html).text).split())


def pot(project: Project) -> str:
    assert project.run("i18n", "extract").code == 0
    return project.read("locales/messages.pot")


def test_every_placeholder_is_explained_with_examples_in_both_locales(minimal: Project) -> None:
    text = pot(minimal)
    assert (
        '#. %(deaths)s: deaths, a count from Example Observatory: "at least 3,250" /\n'
        '#. "setidaknya 3.250"\n'
        "#: templates/articles/story.html:4\n"
        "#, python-format\n"
        'msgid "The observatory counted %(deaths)s deaths."'
    ) in text
    assert '#. %(retaken)s: retaken, a date from Example Observatory: "December 2015" /\n#. "Desember 2015"' in text


def test_the_sample_catalog_explains_every_fact_placeholder() -> None:
    catalog = read_po(io.BytesIO((ROOT / "locales" / "messages.pot").read_bytes()))
    unexplained = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        notes = " ".join(message.auto_comments)
        for name in re.findall(r"%\((\w+)\)s", msgid):
            if f"%({name})s" not in notes:
                unexplained.append((msgid[:40], name))
        assert message.locations, msgid
    assert unexplained == []


def test_short_strings_carry_a_context() -> None:
    catalog = read_po(io.BytesIO((ROOT / "locales" / "messages.pot").read_bytes()))
    contexts = {message.id: message.context for message in catalog if message.id}
    assert contexts["Sources"] == "section heading"
    assert contexts["Language"] == "navigation label"
    assert contexts["PDF briefing"] == "link to the PDF edition"
    assert contexts["Cities won back"] == "section heading"
    short_without_context = [
        message.id
        for message in catalog
        if isinstance(message.id, str) and message.id and len(message.id.split()) <= 3 and not message.context
    ]
    assert short_without_context == ["By %(author)s"]  # explained by its translator comment


def test_stats_count_entries_and_words(minimal: Project) -> None:
    minimal.replace(PO, 'msgstr "Sebuah cerita pendek"', 'msgstr ""')
    minimal.replace(PO, '#, python-format\nmsgid "The observatory', '#, fuzzy, python-format\nmsgid "The observatory')
    minimal.write(PO, minimal.read(PO) + '\n#~ msgid "Gone sentence here"\n#~ msgstr "Kalimat yang hilang"\n')
    result = minimal.run("i18n", "stats", "--json")
    assert result.code == 0
    assert json.loads(result.out) == {
        "id": {
            "translated": {"entries": 3, "words": 21},
            "fuzzy": {"entries": 1, "words": 5},
            "untranslated": {"entries": 1, "words": 3},
            "obsolete": {"entries": 1, "words": 3},
        }
    }
    human = minimal.run("i18n", "stats")
    assert human.out.strip() == (
        "id: 60% translated; translated 3 entries (21 words); fuzzy 1 entries (5 words); "
        "untranslated 1 entries (3 words); obsolete 1 entries (3 words)"
    )


PLURAL_TEMPLATE = (
    '<p>{% trans count=count_of("towns"), towns=fig("towns") %}It hit {{ towns }} town.'
    "{% pluralize count %}It hit {{ towns }} towns.{% endtrans %}</p>\n{% endblock %}"
)
PLURAL_ENTRY = (
    '\n#, python-format\nmsgid "It hit %(towns)s town."\nmsgid_plural "It hit %(towns)s towns."\n'
    'msgstr[0] "Serangan itu melanda %(towns)s kota."\n'
)


@pytest.mark.parametrize(
    ("towns", "english", "indonesian"),
    [(1, "It hit 1 town.", "Serangan itu melanda 1 kota."), (3, "It hit 3 towns.", "Serangan itu melanda 3 kota.")],
)
def test_plurals_in_both_locales(minimal: Project, towns: int, english: str, indonesian: str) -> None:
    text = minimal.read(STORY)
    minimal.write(STORY, text[: text.rindex("{% endblock %}")] + PLURAL_TEMPLATE + "\n")
    facts = minimal.read("facts/story.yaml")
    minimal.write(
        "facts/story.yaml",
        facts.replace(
            "facts:\n",
            f'facts:\n  towns:\n    kind: count\n    value: {towns}\n    source: observatory\n    as_of: "2018-03"\n',
        ),
    )
    minimal.write(PO, minimal.read(PO) + PLURAL_ENTRY)
    assert minimal.run("i18n", "lint").code == 0
    editions, findings = render_with(minimal, {})
    assert findings == []
    english_text, indonesian_text = (visible(edition.html) for edition in editions)
    assert english in english_text
    assert indonesian in indonesian_text
    pot_text = pot(minimal)
    assert 'msgid_plural "It hit %(towns)s towns."' in pot_text
    assert "%(count)s: chooses the plural form for towns" not in pot_text  # not a placeholder of the message


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext is installed by setup.sh")
def test_update_round_trip_keeps_previous_msgids_obsolete_entries_and_comments(minimal: Project) -> None:
    minimal.replace(
        PO,
        "#: templates/articles/story.html:2\n",
        "# Checked with the desk, March 2018\n#: templates/articles/story.html:2\n",
    )
    minimal.replace(STORY, "By then {{ refugees }} people had fled,", "By that time {{ refugees }} people had fled,")
    minimal.replace(STORY, "The observatory counted {{ deaths }} deaths.", "The monitors counted {{ deaths }} deaths.")
    assert minimal.run("i18n", "extract").code == 0
    assert minimal.run("i18n", "update").code == 0
    # A second change and update: Babel alone would turn the multi-line `#|`
    # into comments and forget the entries that were already obsolete.
    minimal.replace(STORY, "The monitors counted {{ deaths }} deaths.", "Monitors counted {{ deaths }} deaths.")
    assert minimal.run("i18n", "extract").code == 0
    minimal.write(PO, minimal.read(PO) + '\n#~ msgid "Old sentence"\n#~ msgstr "Kalimat lama"\n')
    assert minimal.run("i18n", "update").code == 0
    po = minimal.read(PO)
    assert "# | " not in po
    assert '#| msgid ""\n#| "By then %(refugees)s' in po
    assert "# Checked with the desk, March 2018\n" in po
    catalog = read_po(io.BytesIO(po.encode()))
    assert {message.id for message in catalog.obsolete.values()} >= {"Old sentence"}
    strings = {message.string for message in catalog if message.id} | {m.string for m in catalog.obsolete.values()}
    for translation in (
        "Sebuah cerita pendek",
        "Lembaga pemantau itu mencatat %(deaths)s kematian.",
        "Saat itu %(refugees)s orang telah mengungsi, dan kota itu direbut kembali pada %(retaken)s.",
        "Kalimat lama",
    ):
        assert translation in strings
    assert MSGFMT is not None
    check = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(minimal.path(PO))], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_update_creates_a_catalog_for_a_new_locale_with_the_right_header(minimal: Project) -> None:
    minimal.path(PO).unlink()
    assert minimal.run("i18n", "update").code == 0
    po = minimal.read(PO)
    assert '"Language: id\\n"' in po and '"Plural-Forms: nplurals=1; plural=0;\\n"' in po
    assert "charset=UTF-8" in po  # the name GNU gettext writes
    if MSGFMT:
        assert subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(minimal.path(PO))]).returncode == 0


@pytest.fixture
def sample(tmp_path) -> Project:  # type: ignore[no-untyped-def]
    return copy_project(ROOT, tmp_path / "sample")


SAMPLE_PO = "locales/id/LC_MESSAGES/messages.po"


def test_draft_build_falls_back_to_english_visibly_and_leaves_out_alone(sample: Project) -> None:
    text = sample.read(SAMPLE_PO)
    start = text.index('msgid "What comes next?"')
    end = text.index("\n\n", start)
    sample.write(SAMPLE_PO, text[:start] + 'msgid "What comes next?"\nmsgstr ""' + text[end:])
    refused = sample.build()
    assert refused.code == 2
    assert "[catalog.untranslated]" in refused.err
    result = sample.build("--draft")
    assert result.code == 0, result.err
    assert not (sample.root / "out").exists()
    html = (sample.root / "draft" / "id" / "iraq-syria-crisis.html").read_text()
    assert '<p class="draft-banner" role="status">Draf: terjemahan belum lengkap</p>' in html
    assert '<h2><span class="untranslated" lang="en">What comes next?</span></h2>' in html
    pdf = pypdfium2.PdfDocument(sample.root / "draft" / "id" / "iraq-syria-crisis.pdf")
    whole = " ".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Draf: terjemahan belum lengkap" in whole and "What comes next?" in whole
    english = (sample.root / "draft" / "en" / "iraq-syria-crisis.html").read_text()
    assert "draft-banner" not in english and "untranslated" not in english


def test_draft_never_publishes_a_fuzzy_translation(sample: Project) -> None:
    text = sample.read(SAMPLE_PO)
    sample.write(
        SAMPLE_PO,
        text.replace(
            'msgctxt "section heading"\nmsgid "A global network"',
            '#, fuzzy\nmsgctxt "section heading"\nmsgid "A global network"',
        ),
    )
    result = sample.build("--draft")
    assert result.code == 0, result.err
    html = (sample.root / "draft" / "id" / "iraq-syria-crisis.html").read_text()
    assert "Jaringan global" not in html
    assert '<span class="untranslated" lang="en">A global network</span>' in html


def test_draft_still_refuses_a_missing_catalog(minimal: Project) -> None:
    minimal.path(PO).unlink()
    result = minimal.build("--draft")
    assert result.code == 2
    assert "[catalog.missing]" in result.err


def test_a_sentence_missing_from_the_catalog_is_never_published_in_english(minimal: Project) -> None:
    minimal.replace(STORY, "The observatory counted {{ deaths }} deaths.", "The monitors counted {{ deaths }} deaths.")
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f'{PO}: error: "The monitors counted %(deaths)s deaths." is not in the catalog: run pipeline i18n '
        "extract and update, then translate it [catalog.untranslated]"
    ]
    assert not minimal.out.exists()
    draft = minimal.build("--draft")
    assert draft.code == 0, draft.err
    html = (minimal.root / "draft" / "id" / "story.html").read_text()
    assert '<span class="untranslated" lang="en">The monitors counted' in html
