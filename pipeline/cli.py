"""Command line: parse, call one function, return an exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import EXIT_OK, PipelineError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Publish one story in English and Indonesian, as HTML and PDF, with identical figures.",
    )
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="render every article in every locale as HTML and PDF")
    build.add_argument("--out", type=Path, help="output folder (default: out/ in the project)")

    check = commands.add_parser("check", help="verify the figures of built output")
    check.add_argument("--out", type=Path, help="output folder to verify (default: out/ in the project)")

    i18n = commands.add_parser("i18n", help="maintain the translation catalogs")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    i18n_commands.add_parser("extract", help="write locales/messages.pot from the templates")
    i18n_commands.add_parser("update", help="merge messages.pot into every locale's .po, keeping all translations")
    i18n_commands.add_parser("compile", help="compile every .po into .mo")

    for sub in (build, check, i18n):
        sub.add_argument("--project", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project: Path = args.project
    try:
        if args.command == "build":
            return _build(project, args.out)
        if args.command == "check":
            return _check(project, args.out)
        return _i18n(project, args.i18n_command)
    except PipelineError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return error.exit_code


def _out_dir(project: Path, out: Path | None) -> Path:
    return out if out is not None else project / "out"


def _build(project: Path, out: Path | None) -> int:
    from pipeline.build import build

    report = build(project, _out_dir(project, out), progress=lambda line: print(line, file=sys.stderr))
    print(f"published {report.count('.html')} HTML and {report.count('.pdf')} PDF files to {report.out_dir}")
    return EXIT_OK


def _check(project: Path, out: Path | None) -> int:
    from pipeline.check import check_published

    summary = check_published(project, _out_dir(project, out))
    print(summary)
    return EXIT_OK


def _i18n(project: Path, action: str) -> int:
    from pipeline import catalogs

    for line in getattr(catalogs, action)(project):
        print(line)
    return EXIT_OK
