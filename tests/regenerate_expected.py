"""Rewrite the expected HTML of the sample story after an intended change.

    .venv/bin/python -m tests.regenerate_expected

Review the diff (`git diff tests/expected`) before committing it: every
changed line is a change readers will see.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.build.editions import render_project

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).resolve().parent / "expected"


def expected_path(language: str, slug: str) -> Path:
    return EXPECTED / language / f"{slug}.html"


def main() -> None:
    for edition in render_project(ROOT).editions:
        target = expected_path(edition.folder, edition.slug)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edition.html, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
