"""The build's own memory does not grow with the corpus.

A newsroom's corpus grows by the hundreds of articles, and the build renders
and checks every one of them; what it keeps of an article it has checked and
written to staging is a digest, its figures packed until its PDF is
compared, and the few data the index pages and the manifest need, never its
HTML, its text or its PDF's text.  Measured here as the peak of the live
Python allocations of a whole build (tracemalloc, which unlike the resident
size does not depend on the allocator), in fresh processes, for 6 and for 30
articles, and as what is still live when the manifest is written (a large
corpus's build peaks at its end, when it has the most to remember; a small
one's peak is a transient of the render and hides that): the difference per
article added must stay small.

The PDFs are left out: they render in worker processes, not in the build's
main process, and would make the test minutes long.  A stand-in writes each
PDF without reading its text back, so the figure check of the HTML, the
staging, the kept figures and the manifest are all measured.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT, Project, copy_project

PER_ARTICLE_KIB = 10
"""What one more (short) article may add to the build's peak: about 1 KiB now, 33 when every edition's HTML
was held until its PDF was written."""
LIVE_PER_ARTICLE_KIB = 12
"""What one more (short) article may add to what is still live when the manifest is written, the end of a
build (a larger corpus peaks there): about 9.4 KiB now, its facts and figures included; 14.3 when its
feeds' text, its facts' canonical text, a copy of every manifest entry and every file's Path were kept."""

MEASURE = """
import sys, tracemalloc
from pathlib import Path

import pipeline.parity.data_files as data_files
import pipeline.pdf.writer


def stand_in(jobs, *args, done=None, **kwargs):
    for job in jobs:
        job.pdf.write_bytes(b"%PDF-1.7 stand-in")
        if done is not None:
            done(job)
    return {}


def main():
    pipeline.pdf.writer.write_pdfs = stand_in
    # A stand-in PDF carries no figures file to compare.
    data_files.check_pdf_data = lambda *args, **kwargs: []
    import pipeline.build.editions as editions
    from pipeline.build.run import build

    render = editions.render_editions

    def measured(*args, **kwargs):
        # The peak from here on: rendering, checks, staging, PDFs, manifest. The
        # imports and the reading before peak higher than a small corpus's
        # whole render and would hide what the render keeps.
        tracemalloc.reset_peak()
        return render(*args, **kwargs)

    editions.render_editions = measured
    import gc
    import pipeline.build.run as run

    write_manifest, live = run.write_manifest, []

    def writing(*args, **kwargs):
        gc.collect()
        live.append(tracemalloc.get_traced_memory()[0])
        return write_manifest(*args, **kwargs)

    run.write_manifest = writing

    # The interpreter's table of interned strings (every path component
    # pathlib makes is interned) doubles in one allocation of up to a few MiB
    # when it fills, at a point set by everything interned before: a step
    # that would land in one corpus's build and not the other's. Grown here,
    # with room to spare, it takes the build's names without a step.
    room = [sys.intern(f"room-{number}") for number in range(150_000)]
    tracemalloc.start()
    build(Path(sys.argv[1]), Path(sys.argv[2]), force=True, jobs=1)
    print(live[0], tracemalloc.get_traced_memory()[1])
    del room


if __name__ == "__main__":
    main()
"""


def corpus(folder: Path, articles: int) -> Project:
    """The minimal project with `articles` articles, each a story of its own."""
    project = copy_project(FIXTURES / "minimal", folder)
    for number in range(1, articles):
        record = [
            "article:",
            f"  slug: story-{number}",
            "  template: articles/story.html",
            f'  published: "2018-03-{number % 28 + 1:02d}"',
            "  author: Test Desk",
        ]
        project.write(f"facts/story-{number}.yaml", "\n".join(record) + "\n")
    return project


def peak_bytes(*projects: Project) -> list[tuple[int, int]]:
    """The live Python allocations of a whole build of each project when it writes its manifest, and
    their peak, each in a fresh process (run side by side)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-c", MEASURE]
    builds = [
        subprocess.Popen(
            [*command, str(project.root), str(project.out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for project in projects
    ]
    peaks = []
    for build in builds:
        out, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
        live, peak = out.split()[-2:]
        peaks.append((int(live), int(peak)))
    return peaks


def test_the_builds_peak_memory_does_not_grow_with_the_articles(tmp_path: Path) -> None:
    few, many = 6, 30
    small, large = corpus(tmp_path / "small", few), corpus(tmp_path / "large", many)
    (small_live, small_peak), (large_live, large_peak) = peak_bytes(small, large)
    assert (large.out / "bilingual" / f"story-{many - 1}.pdf").is_file()
    per_article = (large_peak - small_peak) / (many - few) / 1024
    assert per_article < PER_ARTICLE_KIB, (
        f"{few} articles: {small_peak / 2**20:.2f} MiB, {many}: {large_peak / 2**20:.2f} MiB at the peak, "
        f"{per_article:.1f} KiB more per article"
    )
    live_per_article = (large_live - small_live) / (many - few) / 1024
    assert live_per_article < LIVE_PER_ARTICLE_KIB, (
        f"{few} articles: {small_live / 2**20:.2f} MiB, {many}: {large_live / 2**20:.2f} MiB live at the end, "
        f"{live_per_article:.1f} KiB more per article"
    )
