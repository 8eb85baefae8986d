"""Catalogs the translators' tools leave alone: GNU msgcat and msgmerge give back our files byte for byte.

Poedit, Weblate and the GNU tools write .po files through GNU gettext's
write-po.c; a file in any other layout churns on their first save.  These
tests hold the committed catalogs, catalogs that `pipeline i18n update`
writes from scratch, and the wrapping of a few thousand odd strings to what
the installed GNU tools write.
"""

from __future__ import annotations

import difflib
import io
import random
import re
import shutil
import subprocess
from pathlib import Path

from pipeline.i18n.po_writer import wrap_string
from pipeline.i18n.pofile import read_po_keeping_previous
from tests.conftest import PO, ROOT, Project
from tests.validators import require

POT = "locales/messages.pot"
GETTEXT_HINT = "GNU gettext: apt-get install gettext; setup.sh does this as root"


def gnu(tool: str) -> str:
    found = shutil.which(tool)
    require([] if found else [tool], GETTEXT_HINT)
    assert found is not None
    return found


def same_bytes(expected: bytes, actual: bytes, what: str) -> None:
    if expected != actual:
        diff = difflib.unified_diff(
            expected.decode().splitlines(), actual.decode().splitlines(), "ours", what, lineterm="", n=1
        )
        raise AssertionError("\n".join(list(diff)[:60]))


def assert_gnu_leaves_alone(po: Path, pot: Path) -> None:
    """msgcat rewrites neither file; msgmerge --previous (Weblate's and Poedit's update) keeps the .po as it is."""
    for path in (po, pot):
        written = subprocess.run([gnu("msgcat"), str(path)], capture_output=True, check=True).stdout
        same_bytes(path.read_bytes(), written, f"msgcat {path.name}")
    merged = subprocess.run(
        [gnu("msgmerge"), "--quiet", "--previous", "-o", "-", str(po), str(pot)], capture_output=True, check=True
    ).stdout
    same_bytes(po.read_bytes(), merged, "msgmerge --previous")


def test_the_committed_catalogs_are_written_as_gnu_gettext_writes_them() -> None:
    assert_gnu_leaves_alone(ROOT / PO, ROOT / POT)
    # Without --previous msgmerge drops every `#|` line; a catalog with no fuzzy entry has none to drop.
    plain = subprocess.run(
        [gnu("msgmerge"), "--quiet", "-o", "-", str(ROOT / PO), str(ROOT / POT)], capture_output=True, check=True
    ).stdout
    same_bytes((ROOT / PO).read_bytes(), plain, "msgmerge")


LONG = (
    "The Syrian Democratic Forces, a Kurdish–Arab alliance backed by the United States, took Raqqa from the "
    "jihadists; IS had run its self-declared “caliphate” from the city, so losing it cost the group its capital."
)
CHANGED = LONG.replace("took Raqqa", "drove IS out of Raqqa")
GONE = "A sentence that the next version of the story no longer needs, although its translation was long."
URL = "Data: https://data.example.org/" + "x" * 90 + "/table.csv"
LINES = 'He said \\"we stay\\" and left a backslash \\\\ behind;\\nthe second line follows.\\n'
STORY = """{% extends "base.html" %}
{% block headline %}{% trans %}A short story{% endtrans %}{% endblock %}
{% block body %}
<p>{% trans deaths=fig("deaths") %}The observatory counted {{ deaths }} deaths.{% endtrans %}</p>
<p>{% trans refugees=fig("refugees"), retaken=fig("retaken") %}By then {{ refugees }} people had fled, and the city \
was retaken in {{ retaken }}.{% endtrans %}</p>
<p>{% trans %}LONG{% endtrans %}</p>
<p>{{ _("GONE") }}</p>
<p>{{ _("URL") }}</p>
<p>{{ _("LINES") }}</p>
<p>{{ pgettext("section heading: a context long enough to wrap once its keyword stands in front", "Cities") }}</p>
<p>{{ ngettext("%(num)d town was retaken after a siege that lasted for months and left it in ruins",
 "%(num)d towns were retaken after sieges that lasted for months and left them in ruins", 3) }}</p>
{% endblock %}
"""
TRANSLATIONS = {
    LONG: "Pasukan Demokratik Suriah (SDF), aliansi Kurdi–Arab yang didukung Amerika Serikat, merebut Raqqa dari "
    "kelompok jihadis; ISIS mengendalikan “kekhalifahan” dari kota ini, sehingga kehilangan ibu kotanya.",
    GONE: "Kalimat yang tidak lagi dibutuhkan versi berikutnya dari cerita ini, walaupun terjemahannya panjang.",
    URL: "Data: https://data.example.org/" + "x" * 90 + "/tabel.csv",
    "Cities": "Kota-kota",
}


def story(long: str, gone: bool) -> str:
    text = STORY.replace("LONG", long).replace("URL", URL).replace("LINES", LINES)
    return text.replace("GONE", GONE) if gone else text.replace('<p>{{ _("GONE") }}</p>\n', "")


def translate(project: Project) -> None:
    """What a translator does between two updates, written as the pipeline writes catalogs."""
    from pipeline.i18n.catalogs import po_bytes

    catalog = read_po_keeping_previous(project.path(PO).read_bytes(), "id")
    for message in catalog:
        if message.id in TRANSLATIONS:
            message.string = TRANSLATIONS[message.id]
        elif isinstance(message.id, tuple):
            message.string = (
                "%(num)d kota direbut kembali setelah pengepungan berbulan-bulan yang meninggalkan puing",
            )
        elif message.id == 'He said "we stay" and left a backslash \\ behind;\nthe second line follows.\n':
            message.string = 'Ia berkata "kami bertahan" dan meninggalkan \\ di belakang;\nbaris kedua menyusul.\n'
        if message.id == "Cities":
            message.user_comments = ["Checked with the desk, March 2018: “kota-kota” is what readers expect here."]
    project.path(PO).write_bytes(po_bytes(catalog, for_translators=True))


def test_update_writes_catalogs_gnu_tools_leave_alone(inline_project) -> None:  # type: ignore[no-untyped-def]
    project = inline_project({"templates/articles/story.html": story(LONG, gone=True)})
    assert project.run("i18n", "extract").code == 0
    assert project.run("i18n", "update").code == 0
    assert_gnu_leaves_alone(project.path(PO), project.path(POT))
    translate(project)
    project.write("templates/articles/story.html", story(CHANGED, gone=False))
    assert project.run("i18n", "extract").code == 0
    assert project.run("i18n", "update").code == 0
    po = project.read(PO)
    assert '#, fuzzy\n#| msgid ""\n#| "The Syrian Democratic Forces' in po
    assert '#~ msgid ""\n#~ "A sentence that the next version' in po
    assert 'msgid ""\n"He said \\"we stay\\" and left a backslash \\\\ behind;\\n"\n"the second line' in po
    assert "# Checked with the desk, March 2018: “kota-kota” is what readers expect here.\n" in po
    assert 'msgid_plural ""\n"%(num)d towns' in po
    assert_gnu_leaves_alone(project.path(PO), project.path(POT))
    catalog = read_po_keeping_previous(po.encode(), "id")
    assert catalog.obsolete[GONE].string == TRANSLATIONS[GONE]
    assert catalog.get(CHANGED).string == TRANSLATIONS[LONG] and catalog.get(CHANGED).previous_id == [LONG]
    # The sentence still awaiting review is removed: obsolete, it keeps its translation and previous msgid.
    project.write("templates/articles/story.html", story("Short now.", gone=False))
    assert project.run("i18n", "extract").code == 0
    assert project.run("i18n", "update").code == 0
    assert '#, fuzzy\n#~| msgid ""\n#~| "The Syrian Democratic Forces' in project.read(PO)
    assert_gnu_leaves_alone(project.path(PO), project.path(POT))
    catalog = read_po_keeping_previous(project.path(PO).read_bytes(), "id")
    assert (catalog.obsolete[CHANGED].string, catalog.obsolete[CHANGED].previous_id) == (TRANSLATIONS[LONG], [LONG])


ALPHABET = list("aaaeeiioou      ,.;:!?-/()[]{}'\"\\%$+#&*=<>@_|~0123456789\n\t") + list(
    "“”‘’–—…\u00a0éü«»€£°中文\u0301\u00ad−·×"
)
PIECES = ["%(killed)s", "%(n)d", "%s", "%%", "self-declared", "kota-kota", "https://example.org/a/b", "3,250", "x" * 90]


def test_strings_wrap_where_gnu_gettext_wraps_them() -> None:
    """Odd strings (punctuation, escapes, directives, wide and combining characters) wrap as msgcat wraps them."""
    rng = random.Random(20261206)
    strings = []
    for _ in range(2000):
        parts = [
            rng.choice(PIECES) if rng.random() < 0.3 else "".join(rng.choices(ALPHABET, k=rng.randint(1, 12)))
            for _ in range(rng.randint(1, 30))
        ]
        strings.append((" " if rng.random() < 0.8 else "").join(parts))
    ours = io.StringIO()
    ours.write('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    for index, text in enumerate(strings):
        python_format = index % 2 == 0
        prefix = ("", "#~ ")[index >= len(strings) * 2 // 3]  # GNU writes obsolete entries last
        lines = ["#, python-format"] if python_format else []
        lines += wrap_string("msgctxt", str(index), prefix)
        lines += wrap_string("msgid", text, prefix, python_format)
        lines += wrap_string("msgstr", text[::-1], prefix, python_format)
        ours.write("\n" + "\n".join(lines) + "\n")
    written = ours.getvalue().encode()
    rewritten = subprocess.run([gnu("msgcat"), "-"], input=written, capture_output=True, check=True).stdout
    same_bytes(written, rewritten, "msgcat")


DESK_NOTE = "Ask the desk first: the ministry disputes this sentence."
TOWNS_NOTE = "Towns, not cities: the ministry counts them apart."
CITIES_NOTE = "Kota-kota, as the desk agreed."
UNTRANSLATED_OBSOLETE = (
    f"# {DESK_NOTE}\n"
    '#~ msgid ""\n'
    '#~ "A sentence that the next version of the story no longer needs, although "\n'
    '#~ "its translation was long."\n'
    '#~ msgstr ""\n',
    f"# {TOWNS_NOTE}\n"
    "#, python-format\n"
    '#~ msgid ""\n'
    '#~ "%(num)d town was retaken after a siege that lasted for months and left it "\n'
    '#~ "in ruins"\n'
    '#~ msgid_plural ""\n'
    '#~ "%(num)d towns were retaken after sieges that lasted for months and left "\n'
    '#~ "them in ruins"\n'
    '#~ msgstr[0] ""\n',
)


def without_headings_and_towns(text: str) -> str:
    return re.sub(r"<p>\{\{ (?:pgettext|ngettext)\(.*?</p>\n", "", text, flags=re.DOTALL)


def test_an_untranslated_entry_that_becomes_obsolete_keeps_its_translator_comment(inline_project) -> None:  # type: ignore[no-untyped-def]
    from pipeline.i18n.catalogs import po_bytes

    project = inline_project({"templates/articles/story.html": story(LONG, gone=True)})
    assert project.run("i18n", "extract").code == 0
    assert project.run("i18n", "update").code == 0
    # The translator leaves notes on two sentences they have not translated yet, and translates a third.
    catalog = read_po_keeping_previous(project.path(PO).read_bytes(), "id")
    for message in catalog:
        if message.id == GONE:
            message.user_comments = [DESK_NOTE]
        elif isinstance(message.id, tuple):
            message.user_comments = [TOWNS_NOTE]
        elif message.id == "Cities":
            message.string, message.user_comments = "Kota-kota", [CITIES_NOTE]
    project.path(PO).write_bytes(po_bytes(catalog, for_translators=True))
    project.write("templates/articles/story.html", without_headings_and_towns(story(LONG, gone=False)))
    assert project.run("i18n", "extract").code == 0
    result = project.run("i18n", "update")
    assert (result.code, result.err) == (0, "")
    assert result.out == f"updated {PO}: 3 untranslated, 0 fuzzy, 3 obsolete\n"
    po = project.read(PO)
    for entry in UNTRANSLATED_OBSOLETE:
        assert po.count(entry) == 1, entry
    assert f"# {CITIES_NOTE}\n#~ msgctxt" in po
    check = subprocess.run([gnu("msgfmt"), "--check", "-o", "/dev/null", "-"], input=po.encode(), capture_output=True)
    assert check.returncode == 0, check.stderr.decode()
    # GNU prints nothing of an obsolete entry without a translation; every other byte comes back as it was.
    gnu_layout = po
    for entry in UNTRANSLATED_OBSOLETE:
        gnu_layout = gnu_layout.replace("\n" + entry, "")
    rewritten = subprocess.run([gnu("msgcat"), "-"], input=po.encode(), capture_output=True, check=True).stdout
    same_bytes(gnu_layout.encode(), rewritten, "msgcat")
    # Updates again, with the templates unchanged and then changed: the comments stay, once each.
    assert project.run("i18n", "update").out == f"unchanged {PO}: 3 untranslated, 0 fuzzy, 3 obsolete\n"
    assert project.read(PO) == po
    project.write("templates/articles/story.html", without_headings_and_towns(story(CHANGED, gone=False)))
    assert project.run("i18n", "extract").code == 0
    assert project.run("i18n", "update").code == 0
    assert project.run("i18n", "update").out == f"unchanged {PO}: 3 untranslated, 0 fuzzy, 3 obsolete\n"
    po = project.read(PO)
    for entry in UNTRANSLATED_OBSOLETE:
        assert po.count(entry) == 1, entry
    assert [po.count(note) for note in (DESK_NOTE, TOWNS_NOTE, CITIES_NOTE)] == [1, 1, 1]
    catalog = read_po_keeping_previous(po.encode(), "id")
    assert catalog.obsolete[GONE].user_comments == [DESK_NOTE]
