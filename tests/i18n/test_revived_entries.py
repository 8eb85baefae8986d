"""A sentence that leaves the templates and comes back finds its translator's work where msgmerge puts it.

`update` keeps a removed sentence as obsolete (`#~`); when the sentence
returns, exactly or with a small change, the obsolete entry is revived onto
the live one (translation, translator comments, flags) and its `#~` copy goes,
as GNU msgmerge does.  Each case is held to what the installed msgmerge
writes from the same catalog and template.
"""

from __future__ import annotations

import subprocess

from pipeline.i18n.pofile import quote, read_po_keeping_previous
from tests.conftest import PO, Project
from tests.i18n.test_gnu_format import (
    CHANGED,
    DESK_NOTE,
    GONE,
    LONG,
    POT,
    TRANSLATIONS,
    gnu,
    same_bytes,
    story,
    translate,
)


def update_with(project: Project, template: str) -> str:
    """The summary line of `update` once the story's template is `template`."""
    project.write("templates/articles/story.html", template)
    assert project.run("i18n", "extract").code == 0
    result = project.run("i18n", "update")
    assert (result.code, result.err) == (0, "")
    return result.out


def update_as_msgmerge_does(project: Project, template: str) -> str:
    """`update`'s summary, after checking its catalog against msgmerge --previous on the same two files."""
    before = project.read(PO)
    summary = update_with(project, template)
    merged = subprocess.run(
        [gnu("msgmerge"), "--quiet", "--previous", "-o", "-", "-", str(project.path(POT))],
        input=before.encode(),
        capture_output=True,
        check=True,
    ).stdout
    same_bytes(project.path(PO).read_bytes(), merged, "msgmerge --previous")
    return summary


def translated(inline_project) -> Project:  # type: ignore[no-untyped-def]
    """A story whose catalog a translator has filled in."""
    project = inline_project({"templates/articles/story.html": story(LONG, gone=True)})
    update_with(project, story(LONG, gone=True))
    translate(project)
    return project


def assert_msgfmt_accepts(project: Project) -> None:
    check = subprocess.run([gnu("msgfmt"), "--check", "-o", "/dev/null", str(project.path(PO))], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def test_a_translated_sentence_that_returns_gets_its_translation_back(inline_project) -> None:  # type: ignore[no-untyped-def]
    project = translated(inline_project)
    assert update_with(project, story(LONG, gone=False)) == f"updated {PO}: 0 untranslated, 0 fuzzy, 1 obsolete\n"
    assert '#~ msgid ""\n#~ "A sentence that the next version' in project.read(PO)
    summary = update_as_msgmerge_does(project, story(LONG, gone=True))
    assert summary == f"updated {PO}: 0 untranslated, 0 fuzzy, 0 obsolete\n"
    po = project.read(PO)
    assert "#~" not in po
    catalog = read_po_keeping_previous(po.encode(), "id")
    revived = catalog.get(GONE)
    assert (revived.string, revived.fuzzy, revived.previous_id) == (TRANSLATIONS[GONE], False, [])
    assert not catalog.obsolete
    assert_msgfmt_accepts(project)
    assert project.run("i18n", "update").out == f"unchanged {PO}: 0 untranslated, 0 fuzzy, 0 obsolete\n"


def test_an_untranslated_sentence_that_returns_gets_its_translator_comment_back(inline_project) -> None:  # type: ignore[no-untyped-def]
    from pipeline.i18n.catalogs import po_bytes

    project = inline_project({"templates/articles/story.html": story(LONG, gone=True)})
    update_with(project, story(LONG, gone=True))
    catalog = read_po_keeping_previous(project.path(PO).read_bytes(), "id")
    catalog.get(GONE).user_comments = [DESK_NOTE]
    project.path(PO).write_bytes(po_bytes(catalog, for_translators=True))
    assert update_with(project, story(LONG, gone=False)) == f"updated {PO}: 5 untranslated, 0 fuzzy, 1 obsolete\n"
    assert f"# {DESK_NOTE}\n#~ msgid" in project.read(PO)
    summary = update_as_msgmerge_does(project, story(LONG, gone=True))
    assert summary == f"updated {PO}: 6 untranslated, 0 fuzzy, 0 obsolete\n"
    po = project.read(PO)
    assert "#~" not in po
    assert po.count(DESK_NOTE) == 1
    assert f'# {DESK_NOTE}\n#: templates/articles/story.html:7\nmsgid ""\n"A sentence that' in po
    assert_msgfmt_accepts(project)


def test_a_sentence_that_returns_changed_gets_its_old_translation_as_fuzzy(inline_project) -> None:  # type: ignore[no-untyped-def]
    project = translated(inline_project)
    update_with(project, story(LONG, gone=False))
    returned = GONE.replace("although", "though")
    changed = story(LONG, gone=True).replace(GONE, returned)
    summary = update_as_msgmerge_does(project, changed)
    assert summary == (
        f"updated {PO}: 0 untranslated, 1 fuzzy, 0 obsolete\n"
        f"{PO}:67: made fuzzy: {quote(returned, 60)} (was {quote(GONE, 60)}); "
        "check the translation, then remove the fuzzy flag\n"
    )
    catalog = read_po_keeping_previous(project.path(PO).read_bytes(), "id")
    assert (catalog.get(returned).string, catalog.get(returned).previous_id) == (TRANSLATIONS[GONE], [GONE])
    assert "#~" not in project.read(PO)
    assert_msgfmt_accepts(project)


def test_a_sentence_awaiting_review_that_returns_still_awaits_it(inline_project) -> None:  # type: ignore[no-untyped-def]
    project = translated(inline_project)
    update_with(project, story(CHANGED, gone=True))
    update_with(project, story("Short now.", gone=True))
    assert '#, fuzzy\n#~| msgid ""\n#~| "The Syrian Democratic Forces' in project.read(PO)
    summary = update_as_msgmerge_does(project, story(CHANGED, gone=True))
    # Not "made fuzzy": it was already awaiting review.  The one obsolete entry is "Short now.", which had
    # borrowed the headline's translation.
    assert summary == f"updated {PO}: 0 untranslated, 1 fuzzy, 1 obsolete\n"
    catalog = read_po_keeping_previous(project.path(PO).read_bytes(), "id")
    revived = catalog.get(CHANGED)
    assert (revived.string, revived.fuzzy, revived.previous_id) == (TRANSLATIONS[LONG], True, [LONG])
    assert list(catalog.obsolete) == ["Short now."]
    assert_msgfmt_accepts(project)


def test_the_obsolete_count_is_of_the_entries_written(inline_project) -> None:  # type: ignore[no-untyped-def]
    project = inline_project({"templates/articles/story.html": story(LONG, gone=True)})
    update_with(project, story(LONG, gone=True))
    # Nothing of a translator's in the removed sentence: it is not written, so not counted.
    assert update_with(project, story(LONG, gone=False)) == f"updated {PO}: 5 untranslated, 0 fuzzy, 0 obsolete\n"
    assert "#~" not in project.read(PO)
    assert project.run("i18n", "update").out == f"unchanged {PO}: 5 untranslated, 0 fuzzy, 0 obsolete\n"
    assert '"obsolete": 0' in project.run("i18n", "update", "--json").out


def test_a_catalog_holding_a_sentence_twice_is_mended(inline_project) -> None:  # type: ignore[no-untyped-def]
    """What updates wrote before revivals: the returned sentence untranslated, its translation still obsolete."""
    from pipeline.i18n.catalogs import po_bytes

    project = translated(inline_project)
    untranslated = project.read(PO)
    update_with(project, story(LONG, gone=False))
    obsolete = project.read(PO)[project.read(PO).index("\n#~ ") :]
    catalog = read_po_keeping_previous(untranslated.encode(), "id")
    catalog.get(GONE).string = ""
    catalog.get(GONE).user_comments = [DESK_NOTE]
    project.path(PO).write_bytes(po_bytes(catalog, for_translators=True) + obsolete.encode())
    assert subprocess.run([gnu("msgfmt"), "--check", "-o", "/dev/null", str(project.path(PO))]).returncode != 0
    assert update_with(project, story(LONG, gone=True)) == f"updated {PO}: 0 untranslated, 0 fuzzy, 0 obsolete\n"
    po = project.read(PO)
    assert "#~" not in po
    revived = read_po_keeping_previous(po.encode(), "id").get(GONE)
    assert (revived.string, revived.user_comments) == (TRANSLATIONS[GONE], [DESK_NOTE])
    assert_msgfmt_accepts(project)
