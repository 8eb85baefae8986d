"""Catalogs: valid for GNU gettext, complete, compiled by the pipeline, never lossy."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess

import pytest
from babel.messages.pofile import read_po

from pipeline.config import load_config
from pipeline.i18n.catalogs import template_catalog
from pipeline.i18n.loading import load_catalog
from tests.conftest import ROOT, Project

PO = "locales/id/LC_MESSAGES/messages.po"
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext is installed by setup.sh")


def msgfmt_check(path: os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True
    )


@needs_msgfmt
def test_every_catalog_in_the_repository_passes_msgfmt_check() -> None:
    catalogs = sorted(ROOT.glob("locales/*/LC_MESSAGES/*.po")) + sorted(ROOT.glob("tests/fixtures/*/locales/*/*/*.po"))
    assert catalogs
    for catalog in catalogs:
        result = msgfmt_check(catalog)
        assert result.returncode == 0, result.stderr
        assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


@needs_msgfmt
def test_msgfmt_check_fails_on_a_broken_catalog(minimal: Project) -> None:
    minimal.replace(PO, 'msgstr "Sebuah cerita pendek"', 'msgstr "Sebuah cerita pendek')
    assert msgfmt_check(minimal.path(PO)).returncode != 0


def test_indonesian_catalog_is_complete_with_the_right_header() -> None:
    catalog = read_po(io.BytesIO((ROOT / PO).read_bytes()))
    text = (ROOT / PO).read_text(encoding="utf-8")
    assert '"Language: id\\n"' in text
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert "charset=utf-8" in text.lower()
    messages = [message for message in catalog if message.id]
    assert len(messages) > 50
    assert [m.id for m in messages if m.fuzzy or not m.string] == []


def test_template_of_the_catalog_is_up_to_date() -> None:
    """`pipeline i18n extract` has been run: messages.pot holds exactly the templates' sentences."""
    config = load_config(ROOT)
    pot = read_po(io.BytesIO((ROOT / "locales" / "messages.pot").read_bytes()))
    assert {m.id for m in pot if m.id} == {m.id for m in template_catalog(config) if m.id}
    po = read_po(io.BytesIO((ROOT / PO).read_bytes()))
    assert {m.id for m in po if m.id} == {m.id for m in pot if m.id}


def test_no_compiled_catalog_is_committed() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert tracked.stdout == ""


def test_mo_is_compiled_and_recompiled_when_the_po_changes(minimal: Project) -> None:
    config = load_config(minimal.root)
    indonesian = config.locales[1]
    mo = minimal.path(PO).with_suffix(".mo")
    assert not mo.exists()
    assert load_catalog(config, indonesian).translations.gettext("A short story") == "Sebuah cerita pendek"
    assert mo.exists()
    # A .mo newer than its .po but compiled from other content is still stale:
    # staleness is decided by the .po's digest, not by modification times.
    minimal.replace(PO, 'msgstr "Sebuah cerita pendek"', 'msgstr "Cerita yang pendek"')
    future = mo.stat().st_mtime + 3600
    os.utime(mo, (future, future))
    assert load_catalog(config, indonesian).translations.gettext("A short story") == "Cerita yang pendek"


def test_unchanged_po_reuses_its_mo(minimal: Project) -> None:
    config = load_config(minimal.root)
    load_catalog(config, config.locales[1])
    mo = minimal.path(PO).with_suffix(".mo")
    first = mo.stat().st_mtime_ns
    load_catalog(config, config.locales[1])
    assert mo.stat().st_mtime_ns == first


def test_missing_catalog_never_publishes_an_english_indonesian_edition(minimal: Project) -> None:
    minimal.path(PO).unlink()
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{PO}: error: no catalog for locale 'id': an edition without translations is never published [catalog.missing]"
    ]


def test_untranslated_and_fuzzy_entries_stop_the_build_with_their_msgstr_lines(minimal: Project) -> None:
    minimal.replace(PO, 'msgstr "Sebuah cerita pendek"', 'msgstr ""')
    minimal.replace(PO, '#, python-format\nmsgid "The observatory', '#, fuzzy, python-format\nmsgid "The observatory')
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f'{PO}:25: error: untranslated: "A short story" is not published; translate it, or preview with pipeline '
        "build --draft [catalog.untranslated]",
        f'{PO}:30: error: fuzzy translation of "The observatory counted %(deaths)s deaths." is not published; '
        "translate it and remove the fuzzy flag, or preview with pipeline build --draft [catalog.fuzzy]",
    ]


def test_wrong_plural_forms_header_is_refused(minimal: Project) -> None:
    minimal.replace(PO, "nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);")
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{PO}:11: error: Plural-Forms says nplurals=2, locale id has 1 [catalog.header]"
    ]


def test_extract_is_deterministic(minimal: Project) -> None:
    assert minimal.run("i18n", "extract").code == 0
    first = minimal.read("locales/messages.pot")
    result = minimal.run("i18n", "extract")
    assert result.out.strip() == "unchanged locales/messages.pot: 5 messages"
    assert minimal.read("locales/messages.pot") == first


@needs_msgfmt
def test_update_keeps_changed_translations_as_fuzzy_and_removed_ones_as_obsolete(minimal: Project) -> None:
    template = "templates/articles/story.html"
    minimal.replace(
        template, "The observatory counted {{ deaths }} deaths.", "The monitors counted {{ deaths }} deaths."
    )
    text = minimal.read(template)
    start = text.index("<p>{% trans refugees")
    minimal.write(template, text[:start] + text[text.index("</p>", start) + len("</p>") :])
    assert minimal.run("i18n", "extract").code == 0
    result = minimal.run("i18n", "update")
    po = minimal.read(PO)
    line = po.splitlines().index('msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."') + 1
    assert result.out.splitlines() == [
        f"updated {PO}: 0 untranslated, 1 fuzzy, 1 obsolete",
        f'{PO}:{line}: made fuzzy: "The monitors counted %(deaths)s deaths." (was "The observatory counted '
        '%(deaths)s deaths."); check the translation, then remove the fuzzy flag',
    ]
    assert (
        "#, fuzzy, python-format\n"
        '#| msgid "The observatory counted %(deaths)s deaths."\n'
        'msgid "The monitors counted %(deaths)s deaths."\n'
        'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."\n'
    ) in po
    obsolete = read_po(io.BytesIO(po.encode())).obsolete
    assert {message.id: message.string for message in obsolete.values()} == {
        "By then %(refugees)s people had fled, and the city was retaken in %(retaken)s.": (
            "Saat itu %(refugees)s orang telah mengungsi, dan kota itu direbut kembali pada %(retaken)s."
        )
    }
    assert msgfmt_check(minimal.path(PO)).returncode == 0
    # A fuzzy translation is never published: the build waits for a translator's review.
    build = minimal.build()
    assert build.code == 2
    assert "[catalog.fuzzy]" in build.err


@needs_msgfmt
def test_update_writes_a_previous_msgid_that_msgfmt_accepts(minimal: Project) -> None:
    template = "templates/articles/story.html"
    minimal.replace(template, "By then {{ refugees }} people had fled,", "By that time {{ refugees }} people had fled,")
    assert minimal.run("i18n", "extract").code == 0
    assert minimal.run("i18n", "update").code == 0
    assert '#| msgid ""\n#| "By then %(refugees)s' in minimal.read(PO)
    assert msgfmt_check(minimal.path(PO)).returncode == 0


def test_update_lists_what_it_made_fuzzy_at_the_msgstr_line_also_as_json(minimal: Project) -> None:
    template = "templates/articles/story.html"
    minimal.replace(template, "By then {{ refugees }} people had fled,", "By that time {{ refugees }} people had fled,")
    assert minimal.run("i18n", "extract").code == 0
    result = minimal.run("i18n", "update", "--json")
    assert (result.code, result.err) == (0, "")
    document = json.loads(result.out)
    lines = minimal.read(PO).splitlines()
    start = lines.index('"By that time %(refugees)s people had fled, and the city was retaken in "')
    assert lines[start + 2 : start + 4] == [
        'msgstr ""',
        '"Saat itu %(refugees)s orang telah mengungsi, dan kota itu direbut kembali "',
    ]
    assert document["catalogs"][0]["made_fuzzy"] == [
        {
            "line": start + 3,
            "msgid": "By that time %(refugees)s people had fled, and the city was retaken in %(retaken)s.",
            "previous": "By then %(refugees)s people had fled, and the city was retaken in %(retaken)s.",
        }
    ]
    # Still fuzzy on the next update, but not made so by it: nothing new to review.
    again = minimal.run("i18n", "update")
    assert again.out.splitlines() == [f"unchanged {PO}: 0 untranslated, 1 fuzzy, 0 obsolete"]
