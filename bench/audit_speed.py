"""How the audit's cost grows with the length of the texts, against reading them alone.

Run: .venv/bin/python bench/audit_speed.py

For 50 KB, 200 KB and 1 MB a side, an English and an Indonesian text are built
from the evaluation pairs (tests/audit_eval), pair after pair, each copy with
its digits permuted the same way on both sides, so that the figures still
correspond but the copies do not repeat one another.  A pathological case
follows: 40 KB of "1 1 1 ..." a side, one endless sentence of equal figures.

Each measurement runs in a fresh subprocess, so its peak memory (ru_maxrss)
is its own.  The baseline reads both texts as the audit does (sentences and
figures: Document and extract_figures) without aligning them; the audit adds
pipeline.audit.align.  The growth columns divide each size's time by the previous
size's: for linear cost they follow the size factor (4, then 5).  Nothing is
asserted: timings depend on the machine.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audit.align import Document, align  # noqa: E402
from pipeline.audit.run import read_document  # noqa: E402
from pipeline.reading.extract import extract_figures  # noqa: E402

SAMPLES = ROOT / "tests" / "audit_eval"
SIZES = [("50 KB", 50_000), ("200 KB", 200_000), ("1 MB", 1_000_000)]
PATHOLOGICAL = ("40 KB of 1 1 1", 40_000)
TIMEOUT = 600


def pair_texts(size: int) -> tuple[str, str]:
    """About `size` bytes a side of corresponding English and Indonesian text."""
    pairs = []
    for case in sorted(path for path in SAMPLES.iterdir() if path.is_dir()):
        try:
            documents = [read_document(next(case.glob(f"{language}.*")), language) for language in ("en", "id")]
        except StopIteration:
            continue
        pairs.append(tuple([" ".join(part.split()) for part in document.text.split("\n\n")] for document in documents))
    english: list[str] = []
    indonesian: list[str] = []
    length, copy = 0, 0
    while length < size:
        en, id_ = pairs[copy % len(pairs)]
        digits = list("0123456789")
        random.Random(copy).shuffle(digits)
        table = str.maketrans("0123456789", "".join(digits))
        english += [paragraph.translate(table) for paragraph in en if paragraph]
        indonesian += [paragraph.translate(table) for paragraph in id_ if paragraph]
        length = min(sum(len(p) + 2 for p in english), sum(len(p) + 2 for p in indonesian))
        copy += 1
    return "\n\n".join(english), "\n\n".join(indonesian)


def measure(size: int, pathological: bool, aligned: bool) -> dict[str, float]:
    """Run in the subprocess: build the texts, then time reading (and aligning) them."""
    english, indonesian = ("1 " * (size // 2),) * 2 if pathological else pair_texts(size)
    start = time.perf_counter()
    en = Document("en", english, extract_figures(english, "en"))
    id_ = Document("id", indonesian, extract_figures(indonesian, "id"))
    figures = len(en.figures) + len(id_.figures)
    if aligned:
        align(en, id_)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "megabytes": peak, "figures": figures, "sentences": len(en.sentences)}


def run(size: int, pathological: bool, aligned: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--one", str(size), str(int(pathological)), str(int(aligned))]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=True)
    except subprocess.TimeoutExpired:
        return {"seconds": float("inf"), "megabytes": float("nan"), "figures": 0, "sentences": 0}
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    print(
        f"{'size a side':<16}{'sentences':>10}{'figures':>9}{'read s':>9}{'audit s':>9}{'ratio':>7}"
        f"{'read MB':>9}{'audit MB':>10}{'size x':>8}{'time x':>8}"
    )
    previous: tuple[int, float] | None = None
    for name, size in [*SIZES, PATHOLOGICAL]:
        pathological = name == PATHOLOGICAL[0]
        bare, full = run(size, pathological, False), run(size, pathological, True)
        growth = ""
        if previous is not None and not pathological:
            growth = f"{size / previous[0]:>8.1f}{full['seconds'] / previous[1]:>8.2f}"
        print(
            f"{name:<16}{int(full['sentences']):>10}{int(full['figures']):>9}{bare['seconds']:>9.2f}"
            f"{full['seconds']:>9.2f}{full['seconds'] / bare['seconds']:>7.2f}{bare['megabytes']:>9.0f}"
            f"{full['megabytes']:>10.0f}{growth}",
            flush=True,
        )
        previous = (size, full["seconds"])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1")))
    else:
        main()
