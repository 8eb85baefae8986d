"""Locale input: only configured, well-formed locales reach a path or Babel.

Locale codes from pipeline.toml become folder names (out/<code>/,
locales/<code>/LC_MESSAGES/); each hostile code below is refused by the
configuration before any path is built, and the build writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import UserError
from tests.conftest import Project, tree_digest


def configure(project: Project, entries: str) -> None:
    project.write("pipeline.toml", f'[locales]\nen = "en_GB"\n{entries}\n')


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        pytest.param('"../../x" = "id"', "'../../x'", id="parent-escape"),
        pytest.param('"en/../../x" = "id"', "'en/../../x'", id="escape-behind-a-locale"),
        pytest.param('"/tmp/x" = "id"', "'/tmp/x'", id="absolute-path"),
        pytest.param('"id\\n" = "id"', "'id\\n'", id="trailing-newline"),
        pytest.param('"" = "id"', "''", id="empty"),
        pytest.param('"ID" = "id"', "'ID'", id="upper-case"),
    ],
)
def test_a_locale_code_that_is_not_a_plain_code_is_refused_before_any_path(
    minimal: Project, tmp_path: Path, entry: str, shown: str
) -> None:
    configure(minimal, entry)
    before = tree_digest(tmp_path)
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"pipeline.toml: error: invalid locale entry {shown} [config.invalid]\n",
    )
    assert tree_digest(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project"]


@pytest.mark.parametrize(
    ("babel_name", "shown"),
    [
        pytest.param("xx_YY", "'xx_YY'", id="unknown-to-babel"),
        pytest.param("klingon", "'klingon'", id="not-an-identifier"),
        pytest.param("../../etc/passwd", "'../../etc/passwd'", id="path"),
        pytest.param("id\\n", "'id\\n'", id="trailing-newline"),
        pytest.param("en-GB", "'en-GB'", id="hyphen"),
    ],
)
def test_a_babel_name_that_is_not_a_locale_is_refused(minimal: Project, babel_name: str, shown: str) -> None:
    configure(minimal, f'id = "{babel_name}"')
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"pipeline.toml: error: Babel does not know locale {shown} [config.invalid]\n",
    )
    assert not minimal.out.exists()


def test_well_formed_locales_are_accepted(minimal: Project) -> None:
    # The control: the same file with a proper entry loads.
    configure(minimal, 'id = "id_ID"')
    config = load_config(minimal.root)
    assert [(locale.code, locale.babel_name) for locale in config.locales] == [("en", "en_GB"), ("id", "id_ID")]


@pytest.mark.parametrize("code", ["../../x", "en/../../x", "/etc", "fr", "en\n"])
def test_only_a_configured_locale_is_looked_up(minimal: Project, code: str) -> None:
    config = load_config(minimal.root)
    with pytest.raises(UserError) as caught:
        config.locale(code)
    assert [str(line) for line in caught.value.diagnostics] == [
        f"error: unknown locale {code!r} (this project publishes en, id) [config.locale]"
    ]
    assert config.locale("id").babel_name == "id"
