"""A slug may hold digits ("brief-mosul-2017"), and a corpus of such slugs builds and passes the check.

The print stylesheet writes the address of each link in the sources after
it.  It wrote the article's data files' names too ("CSV
(brief-mosul-2017.figures.csv)"), where the HTML shows only "CSV": every PDF
then held a figure, 2017, that its HTML did not, and the build refused the
whole corpus.  A data file's name is not printed: it is no address a reader
of paper can follow, and the PDF carries the figures file itself.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, copy_project


def test_a_corpus_whose_slugs_hold_digits_builds_and_passes_the_check(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    project.replace("facts/city-briefs.yaml", 'slug: "brief-{item}"', 'slug: "brief-{item}-2017"')
    built = project.build()
    assert built.code == 0, built.err
    assert (project.out / "bilingual" / "brief-mosul-2017.pdf").is_file()
    checked = project.run("check")
    assert checked.code == 0, checked.err
