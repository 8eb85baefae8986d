"""Newsroom-scale benchmark: measured ratios, side by side, from one run.

    .venv/bin/python bench/run.py                  # 25, 100 and 400 articles: about 10 minutes on 2 cores
    .venv/bin/python bench/run.py --quick          # smoke run on two small corpora: one to two minutes
    .venv/bin/python bench/run.py --sizes 25,100 --repeats 5 --pairs 4 --ab-size 100

It generates corpora in a temporary folder: the sample project plus series
of five city briefs (the sample's own template) whose facts carry varied
values, so every article is a different document.  Sizes are article counts,
rounded to what series of five give (25 -> 26: the sample has 6 articles).

Every time is the wall time of a whole process, started fresh, as a person
or a script waits for it.  The pipeline runs from a compiled copy of
pipeline/ taken when the benchmark starts: the build's nothing-changed test
hashes the pipeline's code, so an edit to the working tree during the run
would make "nothing changed" untrue.  Printed:

1. `pipeline build --force --jobs 1` vs bare WeasyPrint rendering the same
   HTML in one process with its best settings for many documents (one
   shared FontConfiguration, as WeasyPrint's documentation recommends);
2. a nothing-changed `pipeline build` vs `pipeline --help`, both CLI
   processes (the project's target: at most 3x), then taken apart
   in-process (imports, the build() call);
3. `--jobs 2` vs `--jobs 1`, forced full builds in alternation, and each
   against its floor: PDFs x bare WeasyPrint's warm per-PDF time / workers;
4. the main process's peak memory, largest corpus vs smallest (the PDF
   workers are other processes and are not counted);
5. forced full builds with the PDFs rendered on a local Dask cluster (a
   scheduler and 2 single-thread workers, started once and kept warm) vs
   `--jobs 2`, in alternation, and against the floor of row 3; the first
   build on the fresh workers apart;
then, per corpus size: full build, nothing-changed and one-fact-changed
rebuilds, `pipeline check`, and the main process's peak memory of each; and
the heaviest imports of a nothing-changed build (`-X importtime`).

Nothing is asserted: the machine is shared and noisy.  Repeated measures
print their median and spread (min-max); the CPU pressure during rows 1, 3
and 5 and over the run, and the load average before and after, tell how much
of the noise came from others.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "child.py"
PYTHON = sys.executable

PROJECT_FOLDERS = ("facts", "templates", "locales", "assets")
PROJECT_FILES = ("pipeline.toml",)
SAMPLE_ARTICLES = 6
"""The sample's explainer and five city briefs: sizes are rounded from it in steps of five."""
SERIES_SIZE = 5
EDITION_FOLDERS = ("en", "id", "bilingual")
WORKERS = 2
"""The `--jobs` compared with 1, and the number the floor of row 3 divides by."""
STARTUP_REPEATS = 3
"""Runs of `--help` and of a nothing-changed build per repeat of the slower measures."""
DEFAULT_SIZES = (25, 100, 400)
QUICK_SIZES = (10, 15)

CITIES = ["mosul", "raqqa", "ramadi", "deir_al_zour", "al_qaim"]
RETAKEN = {
    "mosul": "mosul_retaken",
    "raqqa": "raqqa_captured",
    "ramadi": "ramadi_retaken",
    "deir_al_zour": "deir_al_zour_al_qaim_retaken",
    "al_qaim": "deir_al_zour_al_qaim_retaken",
}
CHANGED_FACT = "bench_000_mosul_battle"


def make_corpus(folder: Path, series: int, seed: int = 7) -> Path:
    """The sample project plus `series` series of five briefs with varied facts."""
    project = folder / "corpus"
    project.mkdir(parents=True)
    for name in PROJECT_FOLDERS:
        # Compiled catalogs are remade by the build, as on a fresh checkout.
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    for name in PROJECT_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, project / name)
    chance = random.Random(seed)
    # A publisher the catalog already names ("source name"), so the corpus builds without a new translation.
    lines = ["sources:", "  bench:", "    publisher: BBC News", "facts:"]
    records = ["series:"]
    for number in range(series):
        records += [
            f"  bench_{number:03d}:",
            "    template: articles/city-brief.html",
            f'    slug: "b{number:03d}-{{item}}"',
            '    published: "2018-03-29"',
            "    author: Benchmark Desk",
            "    items:",
        ]
        for city in CITIES:
            battle, displaced = f"bench_{number:03d}_{city}_battle", f"bench_{number:03d}_{city}_displaced"
            lines += [
                f"  {battle}:",
                "    kind: duration",
                f"    value: {chance.randint(2, 11)}",
                "    unit: month",
                "    source: bench",
                '    as_of: "2018-03"',
                f"  {displaced}:",
                "    kind: count",
                f"    value: {chance.randint(10, 900) * 1000}",
                "    qualifier: more_than",
                "    source: bench",
                '    as_of: "2018-03"',
            ]
            records += [
                f"      {city}:",
                f"        retaken: {RETAKEN[city]}",
                f"        location: {city}_location",
                f"        battle: {battle}",
                f"        displaced: {displaced}",
            ]
    (project / "facts" / "bench.yaml").write_text("\n".join(lines + records) + "\n", encoding="utf-8")
    return project


def series_for(articles: int) -> int:
    # At least one series: the one-fact change edits a fact of the first.
    return max(1, round((articles - SAMPLE_ARTICLES) / SERIES_SIZE))


def set_fact(project: Path, value: int) -> None:
    """Give CHANGED_FACT (cited by one brief, in its three editions) a new value."""
    path = project / "facts" / "bench.yaml"
    text, count = re.subn(
        rf"(\n  {CHANGED_FACT}:\n    kind: duration\n    value: )\d+",
        rf"\g<1>{value}",
        path.read_text(encoding="utf-8"),
    )
    if count != 1:
        raise SystemExit(f"{CHANGED_FACT} not found in {path}")
    path.write_text(text, encoding="utf-8")


def fact_value(project: Path) -> int:
    text = (project / "facts" / "bench.yaml").read_text(encoding="utf-8")
    found = re.search(rf"\n  {CHANGED_FACT}:\n    kind: duration\n    value: (\d+)", text)
    assert found is not None
    return int(found.group(1))


def edition_html(out: Path) -> list[Path]:
    """The HTML files the build renders as PDF: every edition, index pages included."""
    return sorted(path for folder in EDITION_FOLDERS for path in (out / folder).glob("*.html"))


def article_count(out: Path) -> int:
    return sum(1 for path in (out / "en").glob("*.html") if path.name != "index.html")


def snapshot_code(folder: Path) -> Path:
    """A copy of pipeline/ to run the benchmark's processes from, compiled once.

    The build's nothing-changed test hashes the pipeline's own code: an edit
    to the working tree during the run would make every later build render
    again.  Compiling up front keeps bytecode writing out of the timings.
    """
    code = folder / "code"
    shutil.copytree(ROOT / "pipeline", code / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(code, quiet=1)
    return code


def cpu_stall() -> float | None:
    """Seconds since boot during which some runnable task waited for a CPU (Linux PSI), if the kernel tells."""
    try:
        text = Path("/proc/pressure/cpu").read_text(encoding="ascii")
    except OSError:
        return None
    found = re.search(r"^some .*total=(\d+)", text, re.MULTILINE)
    return int(found.group(1)) / 1e6 if found else None


def stall_share(before: float | None, after: float | None, seconds: float) -> float | None:
    return None if before is None or after is None or seconds <= 0 else (after - before) / seconds


@dataclass
class Runs:
    """Repeated measurements of one thing, with the CPU pressure during each where known."""

    values: list[float] = field(default_factory=list)
    stalls: list[float] = field(default_factory=list)

    def add(self, seconds: float, stall: float | None = None) -> None:
        self.values.append(seconds)
        if stall is not None:
            self.stalls.append(stall)

    def pressure(self) -> str:
        if not self.stalls:
            return "unknown"
        return f"{statistics.median(self.stalls):.0%} ({min(self.stalls):.0%}-{max(self.stalls):.0%})"

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def seconds(self, digits: int = 1) -> str:
        if len(self.values) == 1:
            return f"{self.values[0]:.{digits}f} s"
        return f"{self.median:.{digits}f} s ({min(self.values):.{digits}f}-{max(self.values):.{digits}f})"

    def millis(self) -> str:
        low, high = min(self.values) * 1000, max(self.values) * 1000
        return f"{self.median * 1000:.0f} ms ({low:.0f}-{high:.0f})"


class Processes:
    """Starts the measured processes: fresh each time, from the code snapshot, timed from outside."""

    def __init__(self, code: Path) -> None:
        self.code = code
        # cwd first on sys.path for `-m`, PYTHONPATH before the editable install's
        # entry for a script: both find the snapshot, never the working tree.
        self.environment = {**os.environ, "PYTHONPATH": str(code)}
        # Set, it would send every build's PDFs to a cluster, --jobs rows included.
        self.environment.pop("PIPELINE_SCHEDULER", None)
        self.last_stall: float | None = None
        """The CPU pressure during the last process: share of its wall time some task waited for a CPU."""

    def run(self, command: Sequence[str | Path]) -> tuple[float, subprocess.CompletedProcess[str]]:
        """(wall seconds of the whole process, what it printed)."""
        stall = cpu_stall()
        start = time.perf_counter()
        result = subprocess.run(
            [str(part) for part in command], capture_output=True, text=True, cwd=self.code, env=self.environment
        )
        seconds = time.perf_counter() - start
        self.last_stall = stall_share(stall, cpu_stall(), seconds)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(map(str, command))} exited {result.returncode}:\n{result.stderr}")
        return seconds, result

    def pipeline(self, *arguments: str | Path) -> tuple[float, str]:
        seconds, result = self.run([PYTHON, "-m", "pipeline", *arguments])
        return seconds, result.stdout

    def child(self, mode: str, *arguments: str | Path) -> tuple[float, dict[str, Any]]:
        seconds, result = self.run([PYTHON, CHILD, mode, *arguments])
        return seconds, json.loads(result.stdout.strip().splitlines()[-1])


STARTED = time.perf_counter()


def step(message: str) -> None:
    print(f"... {time.perf_counter() - STARTED:4.0f} s  {message}", file=sys.stderr, flush=True)


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


@dataclass
class Size:
    """What one corpus size measured."""

    articles: int
    pdfs: int
    full: float
    full_peak: int
    unchanged: Runs
    help: Runs
    parts: dict[str, float]
    one_fact: Runs
    one_fact_pdfs: int
    one_fact_peak: int
    check: Runs
    check_peak: int


def measure_size(processes: Processes, project: Path, repeats: int) -> Size:
    out = project / "out"
    jobs = str(os.cpu_count() or 1)
    full, built = processes.child("build", project, out, jobs, "force")
    if not built["code"].startswith(str(processes.code)):
        raise SystemExit(f"the pipeline ran from {built['code']}, not from the snapshot {processes.code}")
    pdfs = len(edition_html(out))

    # Alternating, after one untimed run of each (file cache), so that the
    # machine's noise falls on both alike; more runs than of the slow
    # measures, as each takes a fraction of a second and their ratio is a target.
    help_runs, unchanged = Runs(), Runs()
    for number in range(STARTUP_REPEATS * repeats + 1):
        seconds, _ = processes.pipeline("--help")
        help_runs.values += [seconds] if number else []
        seconds, stdout = processes.pipeline("build", "--project", project)
        if "nothing changed" not in stdout:
            raise SystemExit(f"a rebuild with nothing changed rendered again: {stdout}")
        unchanged.values += [seconds] if number else []
    _, parts = processes.child("unchanged", project, out)

    one_fact, peaks, rendered = Runs(), [], []
    original = fact_value(project)
    for number in range(repeats):
        # Back and forth: every build sees one fact differ from the last.
        set_fact(project, original + 1 if number % 2 == 0 else original)
        seconds, report = processes.child("build", project, out, jobs, "incremental")
        one_fact.values.append(seconds)
        peaks.append(report["peak_kib"])
        rendered.append(report["rendered_pdfs"])

    check, check_peaks = Runs(), []
    for _ in range(repeats):
        seconds, report = processes.child("check", project, out)
        check.values.append(seconds)
        check_peaks.append(report["peak_kib"])
    return Size(
        article_count(out),
        pdfs,
        full,
        built["peak_kib"],
        unchanged,
        help_runs,
        parts,
        one_fact,
        max(rendered),
        max(peaks),
        check,
        max(check_peaks),
    )


@dataclass
class Imports:
    articles: int
    process: float
    """Wall seconds of the profiled process (importtime slows it a little)."""
    top_level: list[tuple[str, float]]
    """Imports the process asked for itself, by cumulative seconds: together, all its import time."""
    by_self: list[tuple[str, float]]


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def profile_imports(processes: Processes, project: Path) -> Imports:
    """`-X importtime` of one nothing-changed build: everything it imports comes before its verdict."""
    seconds, result = processes.run([PYTHON, "-X", "importtime", "-m", "pipeline", "build", "--project", project])
    if "nothing changed" not in result.stdout:
        raise SystemExit(f"a rebuild with nothing changed rendered again: {result.stdout}")
    top_level: list[tuple[str, float]] = []
    by_self: list[tuple[str, float]] = []
    for line in result.stderr.splitlines():
        found = IMPORT_LINE.match(line)
        if found is None:
            continue
        own, cumulative, indent, name = found.groups()
        by_self.append((name, int(own) / 1e6))
        if not indent:
            top_level.append((name, int(cumulative) / 1e6))
    top_level.sort(key=lambda item: -item[1])
    by_self.sort(key=lambda item: -item[1])
    return Imports(article_count(project / "out"), seconds, top_level, by_self)


@dataclass
class JobsAB:
    articles: int
    pdfs: int
    one: Runs
    two: Runs
    bare: Runs
    warm_each: float
    """Mean seconds per PDF of bare WeasyPrint in one warm process."""
    warm_stall: float | None


def measure_jobs(processes: Processes, project: Path, pairs: int, folder: Path) -> JobsAB:
    out = project / "out"
    if not out.is_dir():
        processes.child("build", project, out, str(WORKERS), "force")
    html = edition_html(out)
    target = folder / "bare-pdf"
    target.mkdir(exist_ok=True)
    one, two, bare = Runs(), Runs(), Runs()
    for number in range(pairs):
        step(f"--jobs 1, --jobs {WORKERS}, bare WeasyPrint: round {number + 1} of {pairs}")
        for runs, jobs in ((one, 1), (two, WORKERS)):
            seconds, _ = processes.pipeline("build", "--project", project, "--force", "--jobs", str(jobs))
            runs.add(seconds, processes.last_stall)
        seconds, _ = processes.child("bare", target, "0", *html)
        bare.add(seconds, processes.last_stall)
    step("bare WeasyPrint, warm, per PDF")
    # One document of each edition first, so that fonts, hyphenation patterns
    # and both languages are loaded before the timed documents.
    warmup = [next(path for path in html if path.parent.name == name) for name in EDITION_FOLDERS]
    _, warm = processes.child("bare", target, str(len(warmup)), *warmup, *html)
    return JobsAB(article_count(out), len(html), one, two, bare, statistics.fmean(warm["each"]), processes.last_stall)


DASK_STARTUP_SECONDS = 60
"""How long the scheduler and the workers get to start and register before the Dask row is given up."""
DASK_STOP_SECONDS = 10
"""How long a stopped Dask process gets to exit after SIGTERM, then again after SIGKILL."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class DaskCluster:
    """A Dask scheduler and workers on 127.0.0.1, run from the code snapshot, stopped by their process ids."""

    def __init__(self, processes: Processes, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        # The snapshot's PYTHONPATH: the client sends its code digest with every task,
        # and a worker that imported the working tree instead would be refused.
        self.environment = processes.environment
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.started: list[subprocess.Popen[bytes]] = []

    def _start(self, name: str, arguments: list[str], environment: dict[str, str]) -> None:
        with (self.folder / f"{name}.log").open("wb") as log:
            # `-m dask`: the interpreter the client runs on, whatever `dask` is first on PATH.
            # A session of its own: a Ctrl-C meant for the benchmark reaches the finally
            # that stops these, not these directly, half-way through a round.
            self.started.append(
                subprocess.Popen(
                    [PYTHON, "-m", "dask", *arguments],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self.folder,
                    env=environment,
                    start_new_session=True,
                )
            )

    def start(self, workers: int) -> float:
        """Start the scheduler and `workers` workers; wall seconds until every worker has registered."""
        start = time.perf_counter()
        port = self.address.rsplit(":", 1)[1]
        self._start(
            "scheduler", ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], self.environment
        )
        for number in range(1, workers + 1):
            name = f"worker-{number}"
            local = self.folder / name
            local.mkdir()
            arguments = ["worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
            arguments += ["--host", "127.0.0.1", "--local-directory", str(local)]
            # A worker unpacks the assets into a temporary folder it never removes:
            # there it goes with the benchmark's own.
            self._start(name, arguments, {**self.environment, "TMPDIR": str(local)})
        self._wait_for_workers(workers)
        return time.perf_counter() - start

    def _wait_for_workers(self, count: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + DASK_STARTUP_SECONDS
        while True:
            exited = [process.args for process in self.started if process.poll() is not None]
            if exited:
                raise SystemExit(f"a Dask process exited while starting: {exited}\n{self.logs()}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(f"the Dask cluster did not start in {DASK_STARTUP_SECONDS} s:\n{self.logs()}")
            try:
                with Client(self.address, timeout=f"{min(5.0, left):.1f}s", set_as_default=False) as client:  # type: ignore[no-untyped-call]
                    client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError):
                time.sleep(0.5)

    def imported_pipeline(self) -> set[str]:
        """Where the workers imported the pipeline from; one that never rendered has not imported it."""
        from distributed import Client

        with Client(self.address, timeout="5s", set_as_default=False) as client:  # type: ignore[no-untyped-call]
            found: dict[str, str | None] = client.run(_imported_pipeline)
        return {path for path in found.values() if path is not None}

    def stop(self) -> None:
        # Workers first: a worker that loses its scheduler first spends its exit reconnecting.
        for process in reversed(self.started):
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(DASK_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(DASK_STOP_SECONDS)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n" + path.read_text(errors="replace")[-2000:]
            for path in sorted(self.folder.glob("*.log"))
        )


def _imported_pipeline() -> str | None:
    # Runs on a worker: pickled by value, as a function of __main__; it imports nothing itself.
    module = sys.modules.get("pipeline")
    return None if module is None else module.__file__


@dataclass
class DaskAB:
    start: float
    """Wall seconds from starting the scheduler until every worker had registered."""
    cold: float
    """The first Dask build: every worker imports WeasyPrint, loads fonts and unpacks the assets."""
    dask: Runs
    two: Runs


def measure_dask(processes: Processes, project: Path, pairs: int, folder: Path) -> DaskAB:
    """Forced full builds of `project` on a Dask cluster of WORKERS workers, in alternation with `--jobs WORKERS`.

    The workers are started once and kept across rounds, as a cluster
    serving a newsroom would be; their first build is timed apart.
    """
    cluster = DaskCluster(processes, folder / "dask")
    try:
        step(f"Dask: starting a scheduler and {WORKERS} workers")
        start = cluster.start(WORKERS)
        on_dask = ("build", "--project", project, "--force", "--scheduler", cluster.address)
        step("Dask: first build, on cold workers")
        cold, _ = processes.pipeline(*on_dask)
        imported = cluster.imported_pipeline()
        if not all(path.startswith(str(processes.code)) for path in imported):
            raise SystemExit(
                f"the Dask workers ran the pipeline from {imported}, not from the snapshot {processes.code}"
            )
        dask, two = Runs(), Runs()
        for number in range(pairs):
            step(f"Dask, --jobs {WORKERS}: round {number + 1} of {pairs}")
            seconds, _ = processes.pipeline(*on_dask)
            dask.add(seconds, processes.last_stall)
            seconds, _ = processes.pipeline("build", "--project", project, "--force", "--jobs", str(WORKERS))
            two.add(seconds, processes.last_stall)
    finally:
        cluster.stop()
    return DaskAB(start, cold, dask, two)


def dask_or_note(processes: Processes, project: Path, pairs: int, folder: Path) -> DaskAB | None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("dask: not installed")
        return None
    return measure_dask(processes, project, pairs, folder)


def machine(code: Path) -> str:
    def git(*arguments: str) -> str:
        result = subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else "?"

    dirty = " with uncommitted changes" if git("status", "--porcelain", "--", "pipeline") else ""
    # Tells apart runs of different working trees on one commit.
    digest = hashlib.sha256()
    for path in sorted(code.rglob("*.py")):
        digest.update(path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        from importlib.metadata import version

        weasyprint = version("weasyprint")
    except Exception:
        weasyprint = "?"
    return (
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, WeasyPrint {weasyprint}; "
        f"code: pipeline/ at {git('rev-parse', '--short', 'HEAD')}{dirty} (snapshot {digest.hexdigest()[:12]})"
    )


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"expected article counts such as 25,100,400, got {text!r}")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        help=f"corpus sizes in articles, comma-separated (default: {','.join(map(str, DEFAULT_SIZES))})",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help=f"runs of each repeated measure, {STARTUP_REPEATS}x as many of the sub-second ones "
        "(default: 3; --quick: 1)",
    )
    parser.add_argument(
        "--pairs", type=int, help=f"alternating --jobs 1 / --jobs {WORKERS} rounds (default: 3; --quick: 1)"
    )
    parser.add_argument("--ab-size", type=int, help="corpus size of rows 1 and 3 (default: the smallest size)")
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: sizes {','.join(map(str, QUICK_SIZES))}, fewer repeats"
    )
    args = parser.parse_args()
    sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    repeats = args.repeats or (1 if args.quick else 3)
    pairs = args.pairs or (1 if args.quick else 3)
    ab_size = args.ab_size or sizes[0]
    load_before, stall_before = os.getloadavg(), cpu_stall()

    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        folder = Path(temporary)
        processes = Processes(snapshot_code(folder))
        about = machine(processes.code)
        corpora: dict[int, Path] = {}
        for articles in sorted({*sizes, ab_size}):
            series = series_for(articles)
            if series not in corpora:
                corpora[series] = make_corpus(folder / f"series-{series}", series)

        results: list[Size] = []
        for articles in sizes:
            step(f"corpus of about {articles} articles: full build, rebuilds, check")
            results.append(measure_size(processes, corpora[series_for(articles)], repeats))
        step("imports of a nothing-changed build")
        imports = profile_imports(processes, corpora[series_for(sizes[-1])])
        jobs = measure_jobs(processes, corpora[series_for(ab_size)], pairs, folder)
        dask = dask_or_note(processes, corpora[series_for(ab_size)], pairs, folder)
        print(about)
        print()
        print_tables(results, jobs, dask)
        print_imports(imports)

    seconds = time.perf_counter() - STARTED
    load_after, stall = os.getloadavg(), stall_share(stall_before, cpu_stall(), seconds)
    print(
        f"\nrun: {seconds / 60:.1f} min; load average (1, 5, 15 min) before "
        f"{', '.join(f'{x:.2f}' for x in load_before)}, after {', '.join(f'{x:.2f}' for x in load_after)}; "
        f"CPU pressure over the run {'unknown' if stall is None else f'{stall:.0%}'}"
    )


def print_tables(results: list[Size], jobs: JobsAB, dask: DaskAB | None) -> None:
    small, large = results[0], results[-1]
    floor_one = jobs.pdfs * jobs.warm_each
    floor_two = floor_one / WORKERS
    corpus = f"{jobs.articles} articles, {jobs.pdfs} PDFs"
    rows = [
        (
            f"1. pipeline build --force --jobs 1 vs bare WeasyPrint (shared fonts), same HTML, {corpus}",
            jobs.one.seconds(),
            jobs.bare.seconds(),
            f"{jobs.one.median / jobs.bare.median:.2f}",
        ),
        (
            f"2. nothing-changed pipeline build vs pipeline --help, CLI processes, {large.articles} articles",
            large.unchanged.millis(),
            large.help.millis(),
            f"{large.unchanged.median / large.help.median:.1f}x (target <= 3x)",
        ),
        (
            "2a. ... in-process: importing pipeline.build vs the whole CLI process",
            f"{large.parts['import'] * 1000:.0f} ms",
            f"{large.unchanged.median * 1000:.0f} ms",
            f"{large.parts['import'] / large.unchanged.median:.0%}",
        ),
        (
            "2b. ... in-process: the build() call (imports done) vs the whole CLI process",
            f"{large.parts['first'] * 1000:.0f} ms",
            f"{large.unchanged.median * 1000:.0f} ms",
            f"{large.parts['first'] / large.unchanged.median:.0%}; a second call {large.parts['second'] * 1000:.0f} ms",
        ),
        (
            f"3. --jobs {WORKERS} vs --jobs 1, forced full builds in alternation, {corpus}",
            jobs.two.seconds(),
            jobs.one.seconds(),
            f"speedup {jobs.one.median / jobs.two.median:.2f}",
        ),
        (
            f"3a. --jobs {WORKERS} vs its floor ({jobs.pdfs} PDFs x {jobs.warm_each * 1000:.0f} ms / {WORKERS})",
            jobs.two.seconds(),
            f"{floor_two:.1f} s",
            f"{jobs.two.median / floor_two:.2f}x the floor, {jobs.two.median - floor_two:+.1f} s",
        ),
        (
            f"3b. --jobs 1 vs its floor ({jobs.pdfs} PDFs x {jobs.warm_each * 1000:.0f} ms)",
            jobs.one.seconds(),
            f"{floor_one:.1f} s",
            f"{jobs.one.median / floor_one:.2f}x the floor, {jobs.one.median - floor_one:+.1f} s",
        ),
        (
            f"4. main-process peak memory, full build, {large.articles} vs {small.articles} articles",
            mib(large.full_peak),
            mib(small.full_peak),
            f"{large.full_peak / small.full_peak:.2f}",
        ),
    ]
    if dask is not None:
        warmed = dask.dask
        rows += [
            (
                f"5. Dask, {WORKERS} workers started once and kept warm, vs --jobs {WORKERS}, "
                f"forced full builds in alternation, {corpus}",
                warmed.seconds(),
                dask.two.seconds(),
                f"{warmed.median / dask.two.median:.2f}",
            ),
            (
                f"5a. Dask, {WORKERS} warm workers, vs its floor "
                f"({jobs.pdfs} PDFs x {jobs.warm_each * 1000:.0f} ms / {WORKERS})",
                warmed.seconds(),
                f"{floor_two:.1f} s",
                f"{warmed.median / floor_two:.2f}x the floor, {warmed.median - floor_two:+.1f} s",
            ),
            (
                f"5b. Dask, first build on the {WORKERS} freshly started workers (their imports, fonts, assets) "
                "vs the warm builds of row 5",
                f"{dask.cold:.1f} s",
                warmed.seconds(),
                f"{dask.cold / warmed.median:.2f}, {dask.cold - warmed.median:+.1f} s; "
                f"the cluster took {dask.start:.1f} s to start before it",
            ),
        ]
    print("| measure | ours | baseline | ratio |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    warm = "unknown" if jobs.warm_stall is None else f"{jobs.warm_stall:.0%}"
    print(
        "\nCPU pressure during rows 1 and 3 (/proc/pressure/cpu: the share of the wall time some task "
        f"waited for a CPU, where other users' load shows): --jobs 1 {jobs.one.pressure()}, --jobs {WORKERS} "
        f"{jobs.two.pressure()}, bare {jobs.bare.pressure()}, warm bare {warm}"
    )
    if dask is not None:
        print(f"CPU pressure during row 5: Dask {dask.dask.pressure()}, --jobs {WORKERS} {dask.two.pressure()}")
    print()
    print(
        f"| articles | PDFs | full build (--jobs {os.cpu_count()}) | nothing changed (CLI) | x --help "
        "| one fact changed | pipeline check | main peak RSS: full build | one fact | check |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in results:
        print(
            f"| {size.articles} | {size.pdfs} | {size.full:.1f} s | {size.unchanged.millis()} "
            f"| {size.unchanged.median / size.help.median:.1f} "
            f"| {size.one_fact.seconds()}, {size.one_fact_pdfs} PDFs | {size.check.seconds()} "
            f"| {mib(size.full_peak)} | {mib(size.one_fact_peak)} | {mib(size.check_peak)} |"
        )


def print_imports(imports: Imports, shown: int = 8) -> None:
    total = sum(seconds for _, seconds in imports.top_level)
    print(
        f"\nimports of one nothing-changed `pipeline build` ({imports.articles} articles, python -X importtime): "
        f"{total * 1000:.0f} ms of its {imports.process * 1000:.0f} ms"
    )
    print("heaviest, with what they import: " + _listed(imports.top_level[:shown]))
    print("heaviest on their own: " + _listed(imports.by_self[:shown]))


def _listed(items: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in items)


if __name__ == "__main__":
    main()
