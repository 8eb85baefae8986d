"""One measurement in a fresh process, for bench/run.py; its last stdout line is JSON.

    python bench/child.py build PROJECT OUT JOBS FORCE
    python bench/child.py check PROJECT OUT
    python bench/child.py unchanged PROJECT OUT
    python bench/child.py bare TARGET_DIR WARMUP HTML...

bench/run.py times each process from outside; this one reports what only it
can see: its own peak resident memory, and the parts of its time.  The peak
is RUSAGE_SELF, the process alone: the PDF workers are other processes, and
RUSAGE_CHILDREN would report the largest of them instead.

Nothing of the pipeline is imported before the mode asks for it, so a
mode's memory and time are what its own work costs.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def peak_kib() -> int:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def build(project: str, out: str, jobs: str, force: str) -> dict[str, Any]:
    """A build as `pipeline build` runs it, minus the command line's printing."""
    import pipeline
    from pipeline.build import build

    report = build(Path(project), Path(out), jobs=int(jobs), force=force == "force")
    return {
        "rendered_pdfs": len(report.rendered_pdfs),
        "up_to_date": report.up_to_date,
        "code": pipeline.__file__,
    }


def check(project: str, out: str) -> dict[str, Any]:
    """`pipeline check`, run through the command line's own entry point."""
    from pipeline.cli import main

    code = main(["check", "--project", project, "--out", out])
    if code != 0:
        raise SystemExit(f"pipeline check exited {code}")
    return {}


def unchanged(project: str, out: str) -> dict[str, Any]:
    """A nothing-changed build taken apart: the imports, then build() twice.

    The first call is what a CLI process pays after its imports; the second
    shows what is left once the process is warm (file cache, lazy imports).
    """
    start = time.perf_counter()
    from pipeline.build import build

    imported = time.perf_counter()
    first = build(Path(project), Path(out))
    called = time.perf_counter()
    second = build(Path(project), Path(out))
    again = time.perf_counter()
    if not (first.up_to_date and second.up_to_date):
        raise SystemExit("the build was not up to date: something changed under the benchmark")
    return {"import": imported - start, "first": called - imported, "second": again - called}


def bare(target: str, warmup: str, *html: str) -> dict[str, Any]:
    """WeasyPrint alone on the pipeline's HTML, with its own best settings for many documents.

    One FontConfiguration for all documents, as WeasyPrint's documentation
    recommends (its default is a new one per document, which fetches and
    loads every @font-face again), and one image cache.  The stylesheet is
    linked from the HTML, so WeasyPrint makes its CSS object with the
    font_config given here.  The PDF variant is the pipeline's default
    (tagged PDF/UA-1), so both write the same kind of file.  The first
    WARMUP documents are rendered before the timed ones and timed apart.
    """
    start = time.perf_counter()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    imported = time.perf_counter()
    fonts = FontConfiguration()
    cache: dict[str, Any] = {}
    folder = Path(target)
    count = int(warmup)
    seconds = []
    for number, name in enumerate(html):
        begin = time.perf_counter()
        weasyprint.HTML(filename=name).write_pdf(
            folder / f"{number}.pdf", font_config=fonts, cache=cache, pdf_variant="pdf/ua-1"
        )
        seconds.append(time.perf_counter() - begin)
    return {
        "import": imported - start,
        "warmup": sum(seconds[:count]),
        "each": seconds[count:],
        "weasyprint": weasyprint.__version__,
    }


MODES: dict[str, Callable[..., dict[str, Any]]] = {"build": build, "check": check, "unchanged": unchanged, "bare": bare}


def main() -> None:
    mode, *arguments = sys.argv[1:]
    result = MODES[mode](*arguments)
    result["peak_kib"] = peak_kib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
