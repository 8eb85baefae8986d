"""Shared test helpers: fixture projects, inline projects, the CLI in-process."""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.facts.load import load_facts
from pipeline.parity.check import check_html_editions
from pipeline.render.renderer import RenderedArticle, Renderer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PO = "locales/id/LC_MESSAGES/messages.po"


@pytest.fixture(autouse=True)
def _no_caller_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The width of the terminal that started the tests must not shape the messages they pin."""
    monkeypatch.delenv("COLUMNS", raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Result(code, out.getvalue(), err.getvalue())


class Project:
    """A throw-away copy of a project that a test may edit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def run(self, *args: str | Path) -> Result:
        return run_cli("--project", self.root, *args)

    def build(self, *args: str | Path) -> Result:
        return self.run("build", *args)


def copy_project(source: Path, destination: Path) -> Project:
    ignore = shutil.ignore_patterns("out", ".venv", "*.mo", "__pycache__", ".git", "tests", "*.egg-info")
    shutil.copytree(source, destination, ignore=ignore)
    return Project(destination)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` with the hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class OverriddenTranslations(gettext.NullTranslations):
    """The project's catalog with some msgstrs replaced, bypassing the catalog lint."""

    def __init__(self, po_path: Path, overrides: dict[str, str]) -> None:
        super().__init__()
        catalog = read_po(io.BytesIO(po_path.read_bytes()))
        self.plural = gettext.c2py(catalog.plural_expr)
        self.table: dict[tuple[str | None, str], object] = {}
        for message in catalog:
            if message.id:
                singular = message.id if isinstance(message.id, str) else message.id[0]
                self.table[(message.context, singular)] = message.string
        self.table.update({(None, msgid): text for msgid, text in overrides.items()})

    def pgettext(self, context: str | None, message: str) -> str:
        found = self.table.get((context, message))
        return str(found) if isinstance(found, str) and found else message

    def gettext(self, message: str) -> str:
        return self.pgettext(None, message)

    def npgettext(self, context: str | None, singular: str, plural: str, n: int) -> str:
        found = self.table.get((context, singular))
        if isinstance(found, tuple | list) and all(found):
            return str(found[self.plural(n)])
        return singular if n == 1 else plural

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.npgettext(None, singular, plural, n)


def render_with(
    project: Project, overrides: dict[str, str], slug: str = "story"
) -> tuple[list[RenderedArticle], list[str]]:
    """Render both editions in memory, skipping the catalog and template checks, and return the
    figure check's findings as lines."""
    config = load_config(project.root)
    base = load_facts(config)
    renderer = Renderer(config, base)
    article = base.articles[slug]
    english, indonesian = config.locales
    editions = [
        renderer.render(article, english, renderer.environment(english, gettext.NullTranslations())),
        renderer.render(
            article,
            indonesian,
            renderer.environment(indonesian, OverriddenTranslations(project.path(PO), overrides)),
        ),
    ]
    findings = check_html_editions(config, base, editions, shown_root=project.out)
    return editions, [str(finding) for finding in findings]


@pytest.fixture
def minimal(tmp_path: Path) -> Project:
    """The tiny fixture project (one article, three facts), copied for this test."""
    return copy_project(FIXTURES / "minimal", tmp_path / "project")


@pytest.fixture
def inline_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Builds a project for one test from the minimal fixture plus the given files."""

    def make(files: dict[str, str]) -> Project:
        project = copy_project(FIXTURES / "minimal", tmp_path / "inline")
        for relative, text in files.items():
            project.write(relative, text)
        return project

    return make


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's sample story, built once for the whole session."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("sample") / "project")
    result = project.build()
    assert result.code == 0, result.err
    return project
