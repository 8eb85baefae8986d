"""How fast figure extraction reads text, against a bare regex pass over the same text.

Run: .venv/bin/python bench/extract_speed.py [--megabytes N]

The text is newsroom prose in each language (the audit evaluation set and,
when present, the seed pair), repeated to about N MB of UTF-8.  The baseline
is a plain `re.finditer(r"\\d+", text)` pass, timed in the same process, so the
ratio says how much the extractor costs over merely finding digits.  Nothing
here is asserted: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.reading.extract import extract_figures

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "audit_eval"
SEEDS = ROOT.parent / "shared" / "seeds"
DIGITS = re.compile(r"\d+")


def corpus(language: str, megabytes: float) -> str:
    pieces = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob(f"*/{language}.*"))]
    seed = SEEDS / ("002_124a28e1124e8737.txt" if language == "en" else "000_c2de4c7eba4d4d55.txt")
    if seed.exists():
        pieces.append(seed.read_text(encoding="utf-8"))
    unit = "\n\n".join(pieces)
    repeats = max(1, int(megabytes * 1_000_000 / len(unit.encode("utf-8"))) + 1)
    return "\n\n".join([unit] * repeats)


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of several runs: the least disturbed by the rest of the machine."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0, help="size of the text per language (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (best counts)")
    args = parser.parse_args()
    print(f"{'language':<10}{'MB':>6}{'figures':>10}{'extract MB/s':>15}{'baseline MB/s':>16}{'ratio':>8}")
    for language in ("en", "id"):
        text = corpus(language, args.megabytes)
        size = len(text.encode("utf-8")) / 1_000_000
        figures = len(extract_figures(text, language))
        extract = best_of(args.runs, lambda text=text, language=language: extract_figures(text, language))
        baseline = best_of(args.runs, lambda text=text: sum(1 for _ in DIGITS.finditer(text)))
        print(
            f"{language:<10}{size:>6.1f}{figures:>10}{size / extract:>15.2f}{size / baseline:>16.1f}"
            f"{baseline / extract:>8.3f}"
        )


if __name__ == "__main__":
    main()
