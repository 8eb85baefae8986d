"""pipeline.toml's base_url: the site address the sitemap's absolute addresses start with.

A wrong one is refused with the line to edit, before anything is read or
written; a right one is kept as the folder it names (ending in "/").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from tests.conftest import Project, tree_digest

LOCALES = '[locales]\nen = "en_GB"\nid = "id"\n'


def configure(project: Project, line: str) -> None:
    # The key comes first: TOML puts every key after [locales] into that table.
    project.write("pipeline.toml", f"# The site.\n{line}\n{LOCALES}")


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ('"https://news.example.org/briefings/"', "https://news.example.org/briefings/"),
        ('"https://news.example.org/briefings"', "https://news.example.org/briefings/"),
        ('"http://[::1]:8080"', "http://[::1]:8080/"),
        ("'https://example.org/%E2%9C%93/'", "https://example.org/%E2%9C%93/"),
    ],
)
def test_a_base_url_is_kept_as_a_folder(minimal: Project, value: str, kept: str) -> None:
    configure(minimal, f"base_url = {value}")
    assert load_config(minimal.root).base_url == kept


def test_without_base_url_there_is_none(minimal: Project) -> None:
    assert load_config(minimal.root).base_url is None
    configure(minimal, "")
    assert load_config(minimal.root).base_url is None


@pytest.mark.parametrize(
    ("value", "problem", "shown"),
    [
        (
            '"/briefings/"',
            "must be an absolute http or https address, such as 'https://news.example.org/briefings/'",
            "'/briefings/'",
        ),
        (
            '"ftp://example.org/"',
            "must be an absolute http or https address, such as 'https://news.example.org/briefings/'",
            "'ftp://example.org/'",
        ),
        (
            '"javascript:alert(1)"',
            "must be an absolute http or https address, such as 'https://news.example.org/briefings/'",
            "'javascript:alert(1)'",
        ),
        (
            '"https:///nohost"',
            "must be an absolute http or https address, such as 'https://news.example.org/briefings/'",
            "'https:///nohost'",
        ),
        (
            '"https://example.org/?page=1"',
            "may have no query (?) or fragment (#): it is the folder the output is served from",
            "'https://example.org/?page=1'",
        ),
        (
            '"https://example.org/#top"',
            "may have no query (?) or fragment (#): it is the folder the output is served from",
            "'https://example.org/#top'",
        ),
        ('"https://user:pw@example.org/"', "may not name a user or password", "'https://user:pw@example.org/'"),
        ('"https://example.org:99999/"', "has an invalid port", "'https://example.org:99999/'"),
        (
            '"https://example.org/a b"',
            "may hold only printable ASCII without spaces, quotes or angle brackets (percent-encode the rest)",
            "'https://example.org/a b'",
        ),
        (
            '"https://example.org/\\"><x>"',
            "may hold only printable ASCII without spaces, quotes or angle brackets (percent-encode the rest)",
            "'https://example.org/\"><x>'",
        ),
        (
            '"https://example.org/\\u202e"',
            "may hold only printable ASCII without spaces, quotes or angle brackets (percent-encode the rest)",
            "'https://example.org/\\u202e'",
        ),
        ("42", "must be a string, such as 'https://news.example.org/briefings/'", "'int'"),
    ],
)
def test_a_bad_base_url_is_refused_at_its_line_and_nothing_is_written(
    minimal: Project, tmp_path: Path, value: str, problem: str, shown: str
) -> None:
    configure(minimal, f"base_url = {value}")
    before = tree_digest(tmp_path)
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"pipeline.toml:2: error: base_url {problem}: {shown} [config.invalid]\n",
    )
    assert tree_digest(tmp_path) == before
