"""Newsroom-scale benchmark: prints measured ratios, side by side, from one run.

    .venv/bin/python bench/run.py [--articles 200] [--small 20]

It generates a synthetic corpus in a temporary folder: the sample project
plus series of city briefs (the sample's own template) whose facts carry
varied values, so every article is a different document.  Then it measures,
against a bare baseline run on the same machine in the same run:

1. the whole pipeline vs bare WeasyPrint rendering the same HTML (1 worker);
2. 2 workers vs 1 on the same PDFs;
3. a nothing-changed rebuild, and a one-fact change, vs the full build;
4. `pipeline --help` vs `python -c "import weasyprint"`;
5. the figure check vs the PDF rendering it verifies;
6. the HTML stage in article-locales per second per core;
7. the peak memory of a PDF worker (the build's own, 2 of them; then one
   process, as `--jobs 1` renders) after 120 PDFs vs after 10;
8. the peak memory of the build's main process (its PDF workers apart), the
   large corpus vs the small one.

Nothing here is asserted: machines are shared and noisy; the numbers are for
the README's table.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.build.editions import render_project  # noqa: E402
from pipeline.build.run import build  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.facts.load import load_facts  # noqa: E402
from pipeline.parity.check import check_output  # noqa: E402

PEAK_PDFS = 120
CITIES = ["mosul", "raqqa", "ramadi", "deir_al_zour", "al_qaim"]
RETAKEN = {
    "mosul": "mosul_retaken",
    "raqqa": "raqqa_captured",
    "ramadi": "ramadi_retaken",
    "deir_al_zour": "deir_al_zour_al_qaim_retaken",
    "al_qaim": "deir_al_zour_al_qaim_retaken",
}


def make_corpus(folder: Path, series: int, seed: int = 7) -> Path:
    """The sample project plus `series` series of five briefs with varied facts."""
    project = folder / "corpus"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("out", "draft", ".venv", ".git", "tests", "*.mo"))
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


def step(name: str) -> None:
    print(f"... {name}", file=sys.stderr, flush=True)


def timed(action, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_weasyprint(html_files: list[Path]) -> float:
    """The baseline: WeasyPrint alone, default options, one process, the same HTML."""
    script = (
        "import sys, weasyprint, time\n"
        "start = time.perf_counter()\n"
        "for name in sys.argv[1:]:\n"
        "    weasyprint.HTML(filename=name).write_pdf(name + '.bare.pdf', pdf_variant='pdf/ua-1')\n"
        "print(time.perf_counter() - start)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *map(str, html_files)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return float(result.stdout.strip().splitlines()[-1])


def pipeline_build_subprocess(project: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """A full build in a fresh process: (seconds, peak RSS of its waited-for children in KiB,
    peak RSS of the process itself in KiB)."""
    script = (
        "import resource, sys, time\n"
        "from pipeline.build.run import build\n"
        "start = time.perf_counter()\n"
        "build(__import__('pathlib').Path(sys.argv[1]), __import__('pathlib').Path(sys.argv[2]),"
        " jobs=int(sys.argv[3]), force=True)\n"
        "seconds = time.perf_counter() - start\n"
        "print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(project), str(out), str(jobs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    seconds, children, itself = result.stdout.split()
    return float(seconds), int(children), int(itself)


def worker_peak(html_files: list[Path], assets: Path, workers: int) -> int:
    """Peak RSS (KiB) of the processes rendering these PDFs with the build's own `write_pdfs`.

    With several workers: the largest of the build's worker processes (each
    renders its share back to back and reads its PDFs' text, as in a build);
    with one: the process itself, where a `--jobs 1` build renders.
    """
    script = (
        "import multiprocessing.forkserver, resource, sys\n"
        "from pathlib import Path\n"
        "from pipeline.pdf.document import PdfJob\nfrom pipeline.pdf.writer import write_pdfs\n"
        "workers = int(sys.argv[2])\n"
        "jobs = [PdfJob(Path(name), Path(name + '.worker.pdf'), text=True) for name in sys.argv[3:]]\n"
        "write_pdfs(jobs, [Path(sys.argv[1])], workers=workers)\n"
        "# The workers are the forkserver's children: once it is stopped and waited\n"
        "# for, the largest of them is the peak of our children.\n"
        "multiprocessing.forkserver._forkserver._stop()\n"
        "usage = resource.RUSAGE_CHILDREN if workers > 1 else resource.RUSAGE_SELF\n"
        "print(resource.getrusage(usage).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(assets), str(workers), *map(str, html_files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return int(result.stdout.split()[-1])


def startup(command: list[str]) -> float:
    return timed(lambda: subprocess.run(command, capture_output=True, check=True), repeat=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="briefs in the large corpus (multiple of 5)")
    parser.add_argument("--small", type=int, default=20, help="briefs in the small corpus (multiple of 5)")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        small = make_corpus(folder / "small", args.small // 5)
        large = make_corpus(folder / "large", args.articles // 5)

        step("full build, 1 worker, small corpus")
        # 1 and 7: pipeline (1 worker) vs bare WeasyPrint, on the small corpus.
        one_worker, _, _ = pipeline_build_subprocess(small, folder / "small-out-1", 1)
        html = sorted(
            path for path in (folder / "small-out-1").rglob("*.html") if path.parent.name in ("en", "id", "bilingual")
        )
        pdf_count = len(html)
        step("bare WeasyPrint")
        bare = bare_weasyprint(html)
        rows.append(
            (
                "1. whole pipeline vs bare WeasyPrint, same HTML",
                f"{one_worker:.1f} s",
                f"{bare:.1f} s",
                f"{one_worker / bare:.2f} (<= 1.10)",
            )
        )
        step("2 workers")
        # 2: two workers vs one.
        two_workers, _, small_main = pipeline_build_subprocess(small, folder / "small-out-2", 2)
        rows.append(
            (
                f"2. 2 workers vs 1, {pdf_count} PDFs",
                f"{two_workers:.1f} s",
                f"{one_worker:.1f} s",
                f"speedup {one_worker / two_workers:.2f} (>= 1.6)",
            )
        )

        step("full build, large corpus")
        # 3, 5, 6, 7 on the large corpus.
        out = folder / "large-out"
        full, _, large_main = pipeline_build_subprocess(large, out, 2)
        unchanged = timed(lambda: build(large, out))
        articles = len(load_facts(load_config(large)).articles)
        rows.append(
            (
                f"3a. nothing-changed rebuild vs full build, {articles} articles x 3 editions",
                f"{unchanged:.2f} s",
                f"{full:.1f} s",
                f"{100 * unchanged / full:.1f}% (<= 2%)",
            )
        )
        facts_file = large / "facts" / "bench.yaml"
        text = facts_file.read_text(encoding="utf-8")
        facts_file.write_text(text.replace("qualifier: more_than", "qualifier: about", 1), encoding="utf-8")
        report = None

        def one_fact() -> None:
            nonlocal report
            report = build(large, out, jobs=2)

        changed = timed(one_fact)
        assert report is not None
        rows.append(
            (
                "3b. one fact changed vs full build",
                f"{changed:.1f} s",
                f"{full:.1f} s",
                f"{100 * changed / full:.1f}%, {len(report.rendered_pdfs)} of {3 * articles} PDFs re-rendered",
            )
        )

        step("startup")
        help_time = startup([sys.executable, "-m", "pipeline", "--help"])
        import_time = startup([sys.executable, "-c", "import weasyprint"])
        rows.append(
            (
                "4. pipeline --help vs import weasyprint",
                f"{help_time * 1000:.0f} ms",
                f"{import_time * 1000:.0f} ms",
                f"{help_time / import_time:.2f} (<= 0.1)",
            )
        )

        step("figure check")
        config, base = load_config(large), load_facts(load_config(large))
        check_time = timed(lambda: check_output(config, base, out))
        render_time = full  # the full build's wall time is dominated by PDF rendering
        rows.append(
            (
                "5. figure check (all HTML and PDF) vs full build",
                f"{check_time:.1f} s",
                f"{render_time:.1f} s",
                f"{check_time / render_time:.2f} (<= 0.25)",
            )
        )

        step("HTML stage")
        html_time = timed(lambda: render_project(large))
        editions = 2 * articles
        rows.append(
            (
                "6. HTML stage (read, validate, render all editions in memory)",
                f"{html_time:.2f} s",
                f"{editions} article-locales",
                f"{editions / html_time:.0f} per second per core (aim 1,000)",
            )
        )
        step("worker memory")
        # 7: the peak of the build's PDF workers (2, each rendering its half)
        # with 10 PDFs each vs PEAK_PDFS each, then of one process rendering
        # them all (a --jobs 1 build): flat means no growth with article count.
        # Briefs only, documents of one kind, English and Indonesian in turn:
        # a longer document (the explainer) or a language's first use
        # (hyphenation patterns, glyphs) in the larger set cannot pass for growth.
        pages = sorted(
            (
                path
                for path in out.glob("*/*.html")
                if path.parent.name in ("en", "id") and re.fullmatch(r"b\d{3}-.+", path.stem)
            ),
            key=lambda path: (path.stem, path.parent.name),
        )
        for label, workers in (("7a. peak memory of each of 2 PDF workers", 2), ("7b. ... of one (--jobs 1)", 1)):
            few = worker_peak(pages[: 10 * workers], out / "assets", workers)
            many = worker_peak(pages[: PEAK_PDFS * workers], out / "assets", workers)
            rows.append(
                (
                    f"{label}: {min(PEAK_PDFS * workers, len(pages)) // workers} PDFs vs 10",
                    f"{many / 1024:.0f} MiB",
                    f"{few / 1024:.0f} MiB",
                    f"{many / few:.2f} (flat: ~1.0)",
                )
            )

    # 8: the main process renders and checks every edition; with 2 workers it renders no PDF.
    small_articles = len(load_facts(load_config(small)).articles)
    rows.append(
        (
            f"8. peak memory of the build's main process: {articles} articles vs {small_articles}",
            f"{large_main / 1024:.0f} MiB",
            f"{small_main / 1024:.0f} MiB",
            f"{large_main / small_main:.2f} (flat: <= 1.2)",
        )
    )
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, peak RSS of this run "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print("| measure | ours | baseline | ratio |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
