"""The pipeline's error hierarchy.

User errors (bad facts, templates, catalogs, options) print one line per
finding, `file:line: error: message [code]`, and exit 2.  Where the column is
known (a YAML syntax error) the line is `file:line:column: ...`, and the
offending source line follows it, indented, with a caret under the column, as
compilers show it: tools read the first line, people the excerpt.  A figure that
differs between languages or formats exits 1.  Any other exception is a bug
and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USER_ERROR = 2


@dataclass(frozen=True)
class Diagnostic:
    """One finding, pointing at the place a person has to edit."""

    message: str
    code: str
    file: str | None = None
    line: int | None = None
    severity: str = "error"
    column: int | None = None
    excerpt: tuple[str, ...] = ()
    """Lines printed beneath the finding (the source line and a caret), already safe to print."""

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}: "
            if self.line is not None:
                where = f"{self.file}:{self.line}:{self.column}: " if self.column else f"{self.file}:{self.line}: "
        return f"{where}{self.severity}: {self.message} [{self.code}]"

    def with_excerpt(self) -> str:
        """The finding as a terminal shows it: its line, then any excerpt lines."""
        return "\n".join((str(self), *self.excerpt))


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, str | int | None]:
    """A finding as the commands' --json output gives it; "column" only where one is known."""
    found: dict[str, str | int | None] = {
        "file": diagnostic.file,
        "line": diagnostic.line,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "code": diagnostic.code,
    }
    if diagnostic.column is not None:
        found["column"] = diagnostic.column
    return found


class PipelineError(Exception):
    """A failure the user can fix; carries every finding, not just the first."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def single(cls, message: str, code: str, file: str | None = None, line: int | None = None) -> PipelineError:
        return cls([Diagnostic(message, code, file, line)])


class UserError(PipelineError):
    """Bad input: facts, templates, catalogs, options. Exit 2."""


class CheckFailed(PipelineError):
    """The published figures disagree. Exit 1."""

    exit_code = EXIT_CHECK_FAILED


class ErrorCollector:
    """Gathers findings across a stage so the user sees all of them at once."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def add(self, message: str, code: str, file: str | None = None, line: int | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, code, file, line))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    def raise_if_any(self, error_type: type[PipelineError] = UserError) -> None:
        if self.diagnostics:
            raise error_type(self.diagnostics)


def display_path(path: Path, root: Path) -> str:
    """A path as the user should see it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
