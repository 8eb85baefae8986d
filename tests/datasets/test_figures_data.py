"""Figures as data: every article publishes what it cites as JSON and CSV, and the check holds them to the pages."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

import pipeline.build.data_files
import pipeline.datasets.charts
from tests.conftest import PO, Project, tree_digest
from tests.validators import check_jsonschema_or_skip

FOLDERS = ("en", "id", "bilingual")


def document(project: Project, folder: str = "en", slug: str = "story") -> dict:  # type: ignore[type-arg]
    return json.loads((project.out / folder / f"{slug}.figures.json").read_text(encoding="utf-8"))


def table(project: Project, folder: str = "en", slug: str = "story") -> list[dict[str, str]]:
    text = (project.out / folder / f"{slug}.figures.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(minimal: Project) -> Project:
    result = minimal.build()
    assert result.code == 0, result.err
    return minimal


def test_every_edition_carries_one_and_the_same_document(built: Project) -> None:
    copies = {(built.out / folder / "story.figures.json").read_bytes() for folder in FOLDERS}
    tables = {(built.out / folder / "story.figures.csv").read_bytes() for folder in FOLDERS}
    assert len(copies) == 1 and len(tables) == 1


def test_the_document_states_each_fact_as_the_fact_base_and_the_pages_do(built: Project) -> None:
    data = document(built)
    assert data["format"] == "dwibahasa-figures/1"
    assert data["article"] == "story" and data["languages"] == ["en", "id"]
    deaths, refugees, retaken = data["figures"]
    assert deaths == {
        "fact": "deaths",
        "period": None,
        "kind": "count",
        "value": 3250,
        "unit": "count",
        "currency": None,
        "qualifier": "at_least",
        "as_of": "2017-10",
        "source": {
            "id": "observatory",
            "name": "Example Observatory",
            "title": None,
            "url": "https://observatory.example.org/",
        },
        "renderings": {"en": ["at least 3,250"], "id": ["setidaknya 3.250"]},
        "sentences": {
            "en": ["The observatory counted at least 3,250 deaths."],
            "id": ["Lembaga pemantau itu mencatat setidaknya 3.250 kematian."],
        },
    }
    # The value is the fact's, not the rounded figure the page prints.
    assert refugees["value"] == 5600000 and refugees["renderings"]["id"] == ["lebih dari 5,6 juta"]
    assert retaken["value"] == "2015-12" and retaken["renderings"] == {"en": ["December 2015"], "id": ["Desember 2015"]}


def test_the_table_has_the_documents_rows(built: Project) -> None:
    rows = table(built)
    assert [row["fact"] for row in rows] == ["deaths", "refugees", "retaken"]
    assert rows[0]["value"] == "3250" and rows[0]["rendering_id"] == "setidaknya 3.250"
    assert rows[1]["sentences_en"].startswith("By then more than 5.6 million people had fled")
    raw = (built.out / "en" / "story.figures.csv").read_bytes()
    assert raw.count(b"\r\n") == len(rows) + 1


def test_a_value_edited_in_a_published_document_fails_the_check(built: Project) -> None:
    edit(built.out / "en" / "story.figures.json", '"value": 3250', '"value": 3205')
    result = built.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        'out/en/story.figures.json: error: "deaths": value is 3205, the fact base says 3250 [check.data]',
        "out/en/story.pdf: error: the story.figures.json it carries differs from out/en/story.figures.json "
        "[check.data]",
    ]


def test_a_rendering_edited_in_a_published_table_fails_the_check(built: Project) -> None:
    edit(built.out / "id" / "story.figures.csv", "setidaknya 3.250,", "setidaknya 3.205,")
    result = built.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        'out/id/story.figures.csv: error: row 2, rendering_id: "setidaknya 3.205", '
        "unlike out/bilingual/story.figures.json [check.data]"
    ]


def test_a_figure_dropped_from_a_document_fails_the_check(built: Project) -> None:
    path = built.out / "bilingual" / "story.figures.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["figures"] = data["figures"][:2]
    path.write_text(json.dumps(data), encoding="utf-8")
    result = built.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        'out/bilingual/story.figures.json: error: lacks "retaken", which the pages cite: "By then more than 5.6 '
        'million people had fled, and the city was retaken in December 2015." [check.data]',
        "out/bilingual/story.pdf: error: the story.figures.json it carries differs from "
        "out/bilingual/story.figures.json [check.data]",
    ]


def test_a_missing_data_file_fails_the_check(built: Project) -> None:
    (built.out / "id" / "story.figures.csv").unlink()
    result = built.run("check")
    assert result.code == 2
    assert "out/id/story.figures.csv: error: missing: run 'pipeline build' first [check.missing-output]" in result.err


def test_a_build_whose_data_disagree_with_its_pages_fails_and_publishes_nothing(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tree_digest(built.out)
    real = pipeline.datasets.charts.figures_document

    def drifted(slug, base, texts):  # type: ignore[no-untyped-def]
        made = real(slug, base, texts)
        made["figures"][0]["value"] = 3205
        return made

    monkeypatch.setattr(pipeline.datasets.charts, "figures_document", drifted)
    built.replace("facts/story.yaml", "value: 5600000", "value: 5610000")
    result = built.build()
    assert result.code == 1
    assert 'out/bilingual/story.figures.json: error: "deaths": value is 3205, the fact base says 3250' in result.err
    assert tree_digest(built.out) == published


def test_a_fact_changed_under_an_unchanged_rendering_changes_the_data(built: Project) -> None:
    # 5.61 million prints as "5.6 million" still: the page may stay, the data may not.
    built.replace("facts/story.yaml", "value: 5600000", "value: 5610000")
    result = built.build()
    assert result.code == 0, result.err
    assert document(built)["figures"][1]["value"] == 5610000
    assert table(built, "id")[1]["value"] == "5610000"
    assert built.run("check").code == 0


def test_unchanged_data_files_are_reused_not_written(built: Project) -> None:
    before = {folder: (built.out / folder / "story.figures.json").stat().st_ino for folder in FOLDERS}
    built.replace("templates/articles/story.html", "A short story", "A short story")  # nothing changes
    built.write("facts/other.yaml", "sources: {}\n")
    result = built.build()
    assert result.code == 0, result.err
    assert {folder: (built.out / folder / "story.figures.json").stat().st_ino for folder in FOLDERS} == before


def test_a_sentence_a_spreadsheet_would_run_is_written_inert(inline_project) -> None:  # type: ignore[no-untyped-def]
    project: Project = inline_project({})
    project.replace(
        PO,
        'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."',
        'msgstr "=Lembaga pemantau itu mencatat %(deaths)s kematian."',
    )
    result = project.build()
    assert result.code == 0, result.err
    sentence = document(project)["figures"][0]["sentences"]["id"][0]
    assert sentence == "=Lembaga pemantau itu mencatat setidaknya 3.250 kematian."
    assert table(project)[0]["sentences_id"] == "'" + sentence
    assert project.run("check").code == 0


def test_the_sample_lists_the_figures_whose_drift_the_pipeline_exists_to_stop(sample_build: Project) -> None:
    data = document(sample_build, "id", "iraq-syria-crisis")
    by_fact = {(record["fact"], record["period"]): record for record in data["figures"]}
    ibc = by_fact[("ibc_civilian_deaths_total", None)]
    assert ibc["value"] == 68260 and ibc["renderings"] == {"en": ["68,260"], "id": ["68.260"]}
    assert by_fact[("sohr_deaths_total", None)]["renderings"]["id"] == ["lebih dari 353.900"]
    html = (sample_build.out / "id" / "iraq-syria-crisis.html").read_text(encoding="utf-8")
    assert '<a href="iraq-syria-crisis.figures.csv" type="text/csv">CSV</a>' in html
    assert "Angka-angka dalam artikel ini, sebagai data:" in html


SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "figures.schema.json"


def run_check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [check_jsonschema_or_skip(), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_the_documents_schema_passes_check_jsonschema() -> None:
    result = run_check_jsonschema("--check-metaschema", SCHEMA)
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n"), result.stdout + result.stderr


def test_every_published_document_follows_the_schema_and_a_bent_one_does_not(
    sample_build: Project, tmp_path: Path
) -> None:
    documents = sorted(sample_build.out.glob("*/*.figures.json"))
    assert len(documents) == 18
    result = run_check_jsonschema("--schemafile", SCHEMA, *documents)
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n"), result.stdout + result.stderr
    bent = json.loads(documents[0].read_text(encoding="utf-8"))
    bent["figures"][0]["value"] = "3,250"
    copy = tmp_path / "bent.figures.json"
    copy.write_text(json.dumps(bent), encoding="utf-8")
    assert run_check_jsonschema("--schemafile", SCHEMA, copy).returncode == 1


@pytest.mark.parametrize("planted", ["symlink", "fifo"])
def test_a_data_file_swapped_for_a_link_or_a_fifo_is_not_read(built: Project, tmp_path: Path, planted: str) -> None:
    target = built.out / "en" / "story.figures.json"
    outside = tmp_path / "elsewhere.json"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    if planted == "symlink":
        target.symlink_to(outside)
    else:
        os.mkfifo(target)
    # A FIFO opened for reading would wait for a writer for good: the check must not open it.
    result = built.run("check")
    assert result.code == 2
    [line] = result.err.splitlines()
    # Named as it stands in the output folder (a link's name is shown in full, not resolved to where it leads).
    assert line.endswith("out/en/story.figures.json: error: missing: run 'pipeline build' first [check.missing-output]")
