"""The preview answers the data-file links its pages carry, as the build would write the files."""

from __future__ import annotations

import json

from pipeline.serve.server import Running
from tests.conftest import Project
from tests.serve.test_serve import request


def test_the_figures_files_are_served_as_the_build_writes_them(server: Running, minimal: Project) -> None:
    status, headers, body = request(server, "/id/story.figures.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    served = json.loads(body)
    assert [record["fact"] for record in served["figures"]] == ["deaths", "refugees", "retaken"]
    status, headers, body = request(server, "/bilingual/story.figures.csv")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufefffact,period,kind,value")
    assert minimal.build().code == 0
    assert served == json.loads((minimal.out / "id" / "story.figures.json").read_text(encoding="utf-8"))
    assert body == (minimal.out / "bilingual" / "story.figures.csv").read_bytes().decode("utf-8")


def test_a_data_file_of_no_article_is_not_found(server: Running) -> None:
    for path in ("/en/other.figures.json", "/xx/story.figures.csv", "/en/story.chart-none.csv", "/en/story.json"):
        status, headers, body = request(server, path)
        assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8", path
        assert "No data file" in body, path
