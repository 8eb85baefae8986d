"""`pipeline diff [GIT_REV]`: facts, articles, sentences and translations changed since a revision.

Each test builds a throw-away git repository in tmp_path holding a copy of the
minimal fixture, in a subfolder (as a newsroom repository would hold several
projects), commits it, edits the working tree and reads the report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PO, Project, copy_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test Desk",
    "GIT_AUTHOR_EMAIL": "desk@example.org",
    "GIT_COMMITTER_NAME": "Test Desk",
    "GIT_COMMITTER_EMAIL": "desk@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
DEATHS_SENTENCE = 'templates/articles/story.html:4: %(deaths)s in "The observatory counted %(deaths)s deaths."'
EXTRA = """\
facts:
  old_toll:
    kind: count
    value: 120
    qualifier: about
    source: observatory
    as_of: "2017-06"
"""


def git(repository: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repository, env=GIT_ENV, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repository: Path, message: str) -> str:
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)
    return git(repository, "rev-parse", "--short=7", "HEAD")


@pytest.fixture
def tracked(tmp_path: Path) -> tuple[Project, Path]:
    """The minimal fixture committed as newsroom/story/ of a fresh repository."""
    repository = tmp_path / "newsroom"
    project = copy_project(FIXTURES / "minimal", repository / "story")
    git(repository, "init", "-q")
    commit(repository, "first edition")
    return project, repository


def summary(rev: str, commit_id: str, counts: str) -> str:
    return f"since {rev} ({commit_id}): {counts}"


def test_nothing_changed_since_the_last_commit(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    result = project.run("diff")
    assert (result.code, result.err) == (0, "")
    head = git(repository, "rev-parse", "--short=7", "HEAD")
    assert result.out == summary(
        "HEAD",
        head,
        "0 facts changed, 0 added, 0 removed; 0 articles and 0 sentences affected; 0 translations became fuzzy\n",
    )


def test_a_changed_figure_is_shown_old_and_new_in_both_languages_with_its_sentence(
    tracked: tuple[Project, Path],
) -> None:
    project, repository = tracked
    project.replace("facts/story.yaml", "value: 3250", "value: 3500")
    project.replace("facts/story.yaml", 'as_of: "2017-10"', 'as_of: "2018-01"')
    result = project.run("diff")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        summary(
            "HEAD",
            git(repository, "rev-parse", "--short=7", "HEAD"),
            "1 fact changed, 0 added, 0 removed; 1 article and 1 sentence affected; 0 translations became fuzzy",
        ),
        "",
        "changed deaths (facts/story.yaml:6): value, as_of",
        "  value: 3250 → 3500",
        "  as_of: 2017-10 → 2018-01",
        "  en: at least 3,250 → at least 3,500",
        "  id: setidaknya 3.250 → setidaknya 3.500",
        "  cited by: story",
        f"  {DEATHS_SENTENCE}",
    ]


def test_a_change_that_keeps_the_figure_says_so(tracked: tuple[Project, Path]) -> None:
    project, _ = tracked
    project.replace("facts/story.yaml", 'as_of: "2018-03"\n  retaken:', 'as_of: "2018-04"\n  retaken:')
    result = project.run("diff")
    assert result.out.splitlines()[2:] == [
        "changed refugees (facts/story.yaml:12): as_of",
        "  as_of: 2018-03 → 2018-04",
        "  en: more than 5.6 million (unchanged)",
        "  id: lebih dari 5,6 juta (unchanged)",
        "  cited by: story",
        "  templates/articles/story.html:5: %(refugees)s in "
        '"By then %(refugees)s people had fled, and the city was reta…"',
    ]


def test_added_and_removed_facts(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    project.write("facts/extra.yaml", EXTRA)
    first = commit(repository, "extra toll")
    project.write("facts/extra.yaml", EXTRA.replace("old_toll", "new_toll").replace("value: 120", "value: 150"))
    result = project.run("diff")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        summary(
            "HEAD",
            first,
            "0 facts changed, 1 added, 1 removed; 0 articles and 0 sentences affected; 0 translations became fuzzy",
        ),
        "",
        "added new_toll (facts/extra.yaml:2)",
        "  en: about 150",
        "  id: sekitar 150",
        "  cited by: -",
        "",
        "removed old_toll (was facts/extra.yaml:2 at HEAD)",
        "  en: about 120",
        "  id: sekitar 120",
        "  cited by: -",
    ]


def test_translations_that_became_fuzzy_are_listed_with_their_lines(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    # Already fuzzy at the revision: not news.
    project.replace(PO, '#, python-format\nmsgid "Page', '#, fuzzy, python-format\nmsgid "Page')
    first = commit(repository, "page numbers need review")
    project.replace(PO, '#, python-format\nmsgid "The observatory', '#, fuzzy, python-format\nmsgid "The observatory')
    project.write(PO, project.read(PO) + '\n#, fuzzy\nmsgid "A new heading"\nmsgstr "Judul baru"\n')
    result = project.run("diff")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        summary(
            "HEAD",
            first,
            "0 facts changed, 0 added, 0 removed; 0 articles and 0 sentences affected; 2 translations became fuzzy",
        ),
        "",
        f'{PO}:30: fuzzy now: "The observatory counted %(deaths)s deaths." (was translated)',
        f'{PO}:39: fuzzy now: "A new heading" (was new)',
    ]


def test_fuzzy_entries_are_named_at_their_msgstr_not_their_msgid(tracked: tuple[Project, Path]) -> None:
    project, _ = tracked
    # A msgid wrapped over several lines, and a plural entry: the translator edits msgstr, and msgstr[0] first.
    project.write(
        PO,
        project.read(PO)
        + "\n"
        + '#, fuzzy\nmsgid ""\n"A heading long enough "\n"to be wrapped"\n'
        + 'msgstr ""\n"Judul yang cukup panjang "\n"untuk dibungkus"\n'
        + "\n"
        + '#, fuzzy, python-format\nmsgid "%(count)s district"\nmsgid_plural "%(count)s districts"\n'
        + 'msgstr[0] "%(count)s distrik"\n',
    )
    result = project.run("diff")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[1:] == [
        "",
        f'{PO}:41: fuzzy now: "A heading long enough to be wrapped" (was new)',
        f'{PO}:48: fuzzy now: "%(count)s district" (was new)',
    ]
    assert [entry["line"] for entry in json.loads(project.run("diff", "--json").out)["fuzzy"]] == [41, 48]


def test_diff_against_an_older_revision(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    first = git(repository, "rev-parse", "--short=7", "HEAD")
    project.replace("facts/story.yaml", "value: 3250", "value: 3500")
    commit(repository, "new toll")
    assert project.run("diff").out.startswith(summary("HEAD", git(repository, "rev-parse", "--short=7", "HEAD"), "0"))
    result = project.run("diff", "HEAD~1")
    assert result.code == 0
    assert result.out.splitlines()[0] == summary(
        "HEAD~1",
        first,
        "1 fact changed, 0 added, 0 removed; 1 article and 1 sentence affected; 0 translations became fuzzy",
    )
    assert "  en: at least 3,250 → at least 3,500" in result.out.splitlines()


def test_diff_json_for_tooling(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    project.replace("facts/story.yaml", "value: 3250", "value: 3500")
    project.replace(PO, '#, python-format\nmsgid "The observatory', '#, fuzzy, python-format\nmsgid "The observatory')
    result = project.run("diff", "--json")
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    assert report == {
        "rev": "HEAD",
        "commit": git(repository, "rev-parse", "HEAD"),
        "facts": {
            "changed": [
                {
                    "id": "deaths",
                    "kind": "count",
                    "fields": ["value"],
                    "old": {"value": 3250},
                    "new": {"value": 3500},
                    "rendered": {
                        "en": {"old": "at least 3,250", "new": "at least 3,500"},
                        "id": {"old": "setidaknya 3.250", "new": "setidaknya 3.500"},
                    },
                    "defined_at": "facts/story.yaml:6",
                    "cited_by": ["story"],
                    "sentences": [
                        {
                            "context": None,
                            "msgid": "The observatory counted %(deaths)s deaths.",
                            "placeholders": ["deaths"],
                            "locations": ["templates/articles/story.html:4"],
                            "roles": [],
                        }
                    ],
                }
            ],
            "added": [],
            "removed": [],
        },
        "series_items": {"changed": [], "added": [], "removed": []},
        "articles": ["story"],
        "fuzzy": [
            {
                "locale": "id",
                "file": PO,
                "line": 30,
                "context": None,
                "msgid": "The observatory counted %(deaths)s deaths.",
                "was": "translated",
            }
        ],
    }


def test_an_unknown_revision_is_one_clean_error(tracked: tuple[Project, Path]) -> None:
    project, _ = tracked
    for rev in ("no-such-branch", "--output=/tmp/x", "HEAD~5"):
        result = project.run("diff", rev) if not rev.startswith("-") else project.run("diff", "--", rev)
        assert (result.code, result.out) == (2, "")
        assert result.err == f"error: unknown git revision {rev!r} [diff.revision]\n"


def test_a_project_outside_git_is_one_clean_error(minimal: Project) -> None:
    result = minimal.run("diff")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: the project folder {minimal.root.resolve()} is not in a git repository [diff.git]\n"


def test_fact_files_broken_at_the_revision_are_named_with_it(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    project.replace("facts/story.yaml", "value: 3250", "value: lots")
    commit(repository, "oops")
    project.replace("facts/story.yaml", "value: lots", "value: 3250")
    result = project.run("diff")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "facts/story.yaml:8: error: at HEAD: facts.deaths.value: Input should be a valid integer, not 'lots' "
        "[facts.invalid]\n"
    )


def test_the_working_tree_is_left_untouched(tracked: tuple[Project, Path]) -> None:
    project, repository = tracked
    project.replace("facts/story.yaml", "value: 3250", "value: 3500")
    before = git(repository, "status", "--porcelain")
    assert project.run("diff").code == 0
    assert git(repository, "status", "--porcelain") == before == "M story/facts/story.yaml"
