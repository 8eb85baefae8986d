"""The command line keeps the conventions people expect of a mature tool:
--version, a command list for bare `pipeline`, --help with a description, the
options and the exit codes, and exactly one JSON document from every --json."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib.metadata import version

import pytest

from pipeline.cli import EXIT_CODES, I18N_ACTIONS, _parser
from tests.conftest import PO, ROOT, Project, run_cli

COMMANDS = ("build", "serve", "check", "facts", "diff", "schema", "audit", "i18n", "new")


def pipeline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )


def test_version_names_the_installed_distribution() -> None:
    result = pipeline("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"pipeline {version('dwibahasa')}\n", "")


def test_bare_pipeline_lists_every_command() -> None:
    result = pipeline()
    assert result.returncode == 0 and result.stderr == ""
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ") and line.split()}
    assert listed >= set(COMMANDS)
    assert set(EXIT_CODES) == set(COMMANDS)  # every command documents its exit codes


@pytest.mark.parametrize("command", [*COMMANDS, *(f"i18n {action}" for action in I18N_ACTIONS)])
def test_every_subcommand_help_gives_description_options_and_exit_codes(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args([*command.split(), "--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    summary = summary_of(command)
    assert f"{summary[0].upper()}{summary[1:]}." in text  # the one-line description
    assert "-h, --help" in text
    assert f"exit codes: {EXIT_CODES[command.split()[0]]}" in text


def summary_of(command: str) -> str:
    """The one line a command's entry in its parent's command list gives."""
    parser = _parser()
    for word in command.split():
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        line = next(choice.help for choice in commands._choices_actions if choice.dest == word)
        parser = commands.choices[word]
    assert line
    return str(line)


def one_document(text: str) -> object:
    """The whole of stdout is one JSON document (json.loads refuses trailing prose or a second one)."""
    return json.loads(text)


@pytest.mark.parametrize("action", ["extract", "update", "compile", "stats", "lint"])
def test_every_i18n_action_prints_one_json_document(minimal: Project, action: str) -> None:
    result = minimal.run("i18n", action, "--json")
    assert result.code == 0, result.err
    document = one_document(result.out)
    assert isinstance(document, dict) and document


def test_i18n_update_reports_each_catalog_as_data(minimal: Project) -> None:
    result = minimal.run("i18n", "update", "--json")
    document = one_document(result.out)
    assert isinstance(document, dict)
    assert [entry["locale"] for entry in document["catalogs"]] == ["id"]
    assert set(document["catalogs"][0]) == {
        "locale",
        "path",
        "written",
        "untranslated",
        "fuzzy",
        "obsolete",
        "made_fuzzy",
    }


def test_lint_findings_are_data_under_json(minimal: Project) -> None:
    minimal.replace(PO, 'msgstr "Angka per %(dates)s."', 'msgstr "Angka per %(tanggal)s."')
    result = minimal.run("i18n", "lint", "--json")
    assert (result.code, result.err) == (2, "")
    assert one_document(result.out) == {
        "clean": False,
        "findings": [
            {
                "code": "catalog.placeholder",
                "file": PO,
                "line": 21,
                "message": 'placeholders differ from the msgid "Figures as of %(dates)s.": missing %(dates)s; '
                "unknown %(tanggal)s",
                "severity": "error",
            }
        ],
    }


def test_a_failing_json_command_still_prints_one_document() -> None:
    missing = ROOT / "tests" / "no-such-file.txt"
    result = run_cli("audit", "--json", missing, missing)
    assert result.code == 2
    document = one_document(result.out)
    assert document == {
        "errors": [
            {
                "file": str(missing),
                "line": None,
                "severity": "error",
                "message": "cannot read: no such file or directory",
                "code": "audit.unreadable",
            }
        ]
        * 2
    }
    assert result.err.count("cannot read") == 2  # a person still reads the same lines on stderr


def test_facts_json_is_one_document(minimal: Project) -> None:
    result = minimal.run("facts", "--json")
    assert result.code == 0
    assert one_document(result.out)


def test_new_json_is_one_document_whether_it_starts_a_story_or_refuses(minimal: Project) -> None:
    started = one_document(minimal.run("new", "floods", "--json").out)
    assert started == {
        "slug": "floods",
        "headline": "Floods",
        "created": ["facts/floods.yaml", "templates/articles/floods.html", "locales/messages.pot"],
        "updated": [PO],
        "untranslated": {"id": 3},  # this layout names no source through the catalog
    }
    refused = minimal.run("new", "floods", "--json")
    assert refused.code == 2
    assert one_document(refused.out) == {
        "errors": [
            {
                "file": "facts/floods.yaml",
                "line": 9,
                "severity": "error",
                "message": "article 'floods' exists; choose another slug",
                "code": "new.exists",
            }
        ]
    }
