"""Command line: parse, call one function, return an exit code."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Never, TextIO

from pipeline import DISTRIBUTION
from pipeline.errors import EXIT_OK, PipelineError, diagnostic_json

EXIT_CODES = {
    "build": "0 built, or nothing changed; 1 the figures of the build disagree (nothing published); 2 bad input",
    "serve": "0 stopped (Ctrl-C); 2 bad input, or the port cannot be used",
    "check": "0 the figures agree; 1 they differ, or (--strict) cite stale facts; 2 bad input",
    "facts": "0 listed; 2 bad input",
    "diff": "0 listed; 2 bad input, or not a git revision",
    "schema": "0 written; 2 the file cannot be written",
    "audit": "0 the figures agree; 1 some differ, are one-sided or untranslated; 2 bad input",
    "i18n": "0 done; 2 a catalog has errors (lint, compile) or bad input",
    "new": "0 started; 2 not a slug, the story or a file of that name exists, a title that cannot be a headline",
}
I18N_ACTIONS = {
    "extract": "write locales/messages.pot from the templates",
    "update": "merge messages.pot into every locale's .po, keeping every translation",
    "compile": "lint and compile every .po into .mo",
    "stats": "translated, fuzzy, untranslated and obsolete entries and words per locale",
    "lint": "find what translators get wrong, as the build would (exit 2 on any error)",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description="Publish one story in English and Indonesian, as HTML and PDF, with identical figures.",
    )
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: current folder)")
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        """A subcommand whose --help gives its one-line description, its options and its exit codes."""
        return commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog=f"exit codes: {EXIT_CODES[name]}",
        )

    build = command("build", "render every article in every locale as HTML and PDF")
    build.add_argument("--out", type=Path, help="output folder (default: out/, or draft/ with --draft)")
    build.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="render N PDFs at once (default: the number of cores)",
    )
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=os.environ.get("PIPELINE_SCHEDULER") or None,
        help="render the PDFs on the Dask cluster whose scheduler is at ADDRESS (tcp://host:port; "
        "default: $PIPELINE_SCHEDULER, else local worker processes)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="render everything again, even what has not changed since the last build",
    )
    build.add_argument(
        "--archive",
        action="store_true",
        help="write PDF/A-3b (tagged) for archives instead of the default tagged PDF/UA-1",
    )
    build.add_argument(
        "--draft",
        action="store_true",
        help="build for review even when translations are missing or fuzzy: English stands in, marked",
    )
    build.add_argument(
        "--progress",
        choices=("auto", "bar", "lines"),
        default="auto",
        help="a progress bar per written file, or plain lines (default: a bar on a terminal, lines otherwise or in CI)",
    )

    serve = command("serve", "live preview: English and Indonesian side by side, reloading on every saved change")
    serve.add_argument("--port", type=_port, default=8700, help="port (default: 8700; 0 picks a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default: 127.0.0.1)")

    check = command("check", "verify the figures of built output")
    check.add_argument("--out", type=Path, help="output folder to verify (default: out/ in the project)")
    check.add_argument(
        "--strict", action="store_true", help="cited facts older than their article allows are errors (exit 1)"
    )
    check.add_argument(
        "--today", type=_iso_date, metavar="YYYY-MM-DD", help="date to measure fact ages from (default: today)"
    )

    facts = command("facts", "list facts with value, source, as-of date and the articles citing each")
    facts.add_argument("--json", action="store_true", help="machine-readable output")

    diff = command(
        "diff", "facts and series items changed since a git revision: articles, sentences, translations touched"
    )
    diff.add_argument("rev", nargs="?", default="HEAD", metavar="GIT_REV", help="git revision (default: HEAD)")
    diff.add_argument("--json", action="store_true", help="machine-readable output")

    schema = command("schema", "print the JSON Schema of fact files (for editors)")
    schema.add_argument("--out", type=Path, help="write it to this file instead")

    audit = command("audit", "compare the figures of an English and an Indonesian text written by hand")
    audit.add_argument("en_file", type=Path, metavar="EN_FILE", help="English text (plain text, Markdown or HTML)")
    audit.add_argument("id_file", type=Path, metavar="ID_FILE", help="Indonesian text (plain text, Markdown or HTML)")
    audit.add_argument("--json", action="store_true", help="print one JSON object")
    audit.add_argument("--matches", action="store_true", help="list the agreeing figures too, not only their number")
    audit.add_argument(
        "--force-languages",
        action="store_true",
        help="read the files as English and Indonesian even if they do not read so",
    )

    new = command("new", "start a story: its fact file, its article template and the catalogs updated")
    new.add_argument("slug", metavar="SLUG", help="the story's name in file names and URLs, e.g. jakarta-floods")
    new.add_argument("--title", help="the English headline (default: made from the slug)")
    new.add_argument("--json", action="store_true", help="print one JSON document listing the files")

    i18n = command("i18n", "maintain the translation catalogs")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    for action, help_text in I18N_ACTIONS.items():
        sub = i18n_commands.add_parser(
            action,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=f"exit codes: {EXIT_CODES['i18n']}",
        )
        sub.add_argument("--json", action="store_true", help="print one JSON document")

    for sub in (build, check, i18n, facts, diff, schema, serve, new):
        sub.add_argument("--project", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    project: Path = args.project
    try:
        if args.command == "build":
            variant = "a3b" if args.archive else "ua"
            return _build(project, args.out, args.draft, variant, args.progress, args.jobs, args.force, args.scheduler)
        if args.command == "serve":
            return _serve(project, args.host, args.port)
        if args.command == "check":
            return _check(project, args.out, args.strict, args.today)
        if args.command == "facts":
            return _facts(project, args.json)
        if args.command == "diff":
            return _diff(project, args.rev, args.json)
        if args.command == "schema":
            return _schema(args.out)
        if args.command == "new":
            return _new(project, args.slug, args.title, args.json)
        if args.command == "audit":
            return _audit(args.en_file, args.id_file, args.json, args.matches, args.force_languages)
        return _i18n(project, args.i18n_command, args.json)
    except PipelineError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic.with_excerpt(), file=sys.stderr)
        if getattr(args, "json", False):
            # A tool reading stdout gets its one JSON document even when the command fails.
            print(json.dumps({"errors": [diagnostic_json(d) for d in error.diagnostics]}, ensure_ascii=False))
        return error.exit_code


class _Version(argparse.Action):
    """--version, read from the installed distribution only when asked (importlib.metadata is not free)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version(DISTRIBUTION)
        except PackageNotFoundError:
            number = "unknown (not installed)"
        print(f"pipeline {number}")
        parser.exit()


def _build(
    project: Path,
    out: Path | None,
    draft: bool,
    pdf_variant: str,
    progress: str = "auto",
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
) -> int:
    from pipeline.build import build

    out_dir = out if out is not None else project / ("draft" if draft else "out")
    with _progress_display(progress) as (say, file_written):
        report = build(
            project,
            out_dir,
            progress=say,
            draft=draft,
            pdf_variant=pdf_variant,
            file_written=file_written,
            jobs=jobs,
            force=force,
            scheduler=scheduler,
        )
    if report.up_to_date:
        print(f"nothing changed: {report.out_dir} is up to date")
        return EXIT_OK
    kind = "draft" if draft else "published"
    html, pdf = report.count(".html"), report.count(".pdf")
    print(f"{kind} {html} HTML, {pdf} PDF and {report.data_files} data files to {report.out_dir}")
    return EXIT_OK


# No rate: HTML files take milliseconds and PDFs seconds, so files per second says nothing.
BAR_FORMAT = "{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}{postfix}"
ProgressCallbacks = tuple[Callable[[str], None], Callable[[int, int, Path], None] | None]


@contextlib.contextmanager
def _progress_display(mode: str) -> Iterator[ProgressCallbacks]:
    """The build's messages, with a progress bar of written files when a person watches a terminal.

    Logs, pipes and CI get the plain lines only: a bar there is noise (and
    carriage returns) in a log file.
    """

    def line(text: str) -> None:
        print(text, file=sys.stderr)

    if mode == "lines" or (mode == "auto" and not _interactive(sys.stderr)):
        yield line, None
        return
    from tqdm import tqdm  # only here: plain builds never pay for importing it

    bars: list[tqdm[Never]] = []

    def say(text: str) -> None:
        tqdm.write(text, file=sys.stderr)  # above the bar, which stays on the last line

    def file_written(done: int, total: int, path: Path) -> None:
        if not bars:
            # Every file redraws the bar (mininterval=0): a build writes tens of files, not millions.
            bars.append(
                tqdm(total=total, desc="writing", file=sys.stderr, leave=False, bar_format=BAR_FORMAT, mininterval=0)
            )
        bars[0].set_postfix_str(f"{path.parent.name}/{path.name}", refresh=False)
        bars[0].update(done - bars[0].n)
        if done == total:
            bars[0].close()  # what follows (the PDF check) is not file writing: no bar stuck at 100%

    try:
        yield say, file_written
    finally:
        for bar in bars:
            bar.close()


def _interactive(stream: TextIO) -> bool:
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false")
    return stream.isatty() and not ci and os.environ.get("TERM") != "dumb"


def _port(text: str) -> int:
    if text.isdigit() and int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {text!r}")


def _serve(project: Path, host: str, port: int) -> int:
    from pipeline.serve import serve

    return serve(project, host, port)


def _iso_date(text: str) -> datetime.date:
    # fromisoformat alone would also take "20180501" and week dates.
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}")


def _check(project: Path, out: Path | None, strict: bool, today: datetime.date | None) -> int:
    from pipeline.parity import check_published

    out_dir = out if out is not None else project / "out"
    warn = lambda diagnostic: print(diagnostic, file=sys.stderr)  # noqa: E731
    print(check_published(project, out_dir, today=today, strict=strict, warn=warn))
    return EXIT_OK


def _facts(project: Path, as_json: bool) -> int:
    from pipeline.provenance import list_facts

    print(list_facts(project, as_json))
    return EXIT_OK


def _diff(project: Path, rev: str, as_json: bool) -> int:
    from pipeline.provenance import diff_report

    print(diff_report(project, rev, as_json))
    return EXIT_OK


def _audit(en_file: Path, id_file: Path, as_json: bool, matches: bool, force_languages: bool) -> int:
    from pipeline.audit import run_audit

    return run_audit(en_file, id_file, as_json, sys.stdout, force_languages, matches)


def _new(project: Path, slug: str, title: str | None, as_json: bool) -> int:
    from pipeline.scaffold import new_story

    print(new_story(project, slug, title).report(as_json))
    return EXIT_OK


def _schema(out: Path | None) -> int:
    from pipeline.i18n import write_atomically
    from pipeline.provenance import fact_file_schema

    schema = fact_file_schema()
    if out is None:
        print(schema, end="")
        return EXIT_OK
    write_atomically(out, schema.encode("utf-8"))
    print(f"wrote {out}")
    return EXIT_OK


def _i18n(project: Path, action: str, as_json: bool) -> int:
    from pipeline.i18n import CATALOG_ACTIONS

    return CATALOG_ACTIONS[action](project, as_json)
