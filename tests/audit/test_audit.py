"""Tests for `pipeline audit`: reading files, aligning figures and the JSON
report.  The human report and the language check are tests/audit/test_audit_report.py,
the evaluation set tests/audit/test_audit_eval.py."""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.audit.align import Document, align, relation
from pipeline.audit.run import read_document, run_audit, strip_markdown
from pipeline.errors import UserError
from pipeline.reading.extract import extract_figures
from pipeline.reading.figure import Figure
from tests.conftest import ROOT, Project

SEEDS = Path(ROOT).parent / "shared" / "seeds"
ENGLISH_SEED = SEEDS / "002_124a28e1124e8737.txt"
INDONESIAN_SEED = SEEDS / "000_c2de4c7eba4d4d55.txt"


def audit(tmp_path: Path, english: str, indonesian: str, suffix: str = ".txt") -> tuple[int, dict]:  # type: ignore[type-arg]
    en_path, id_path = tmp_path / f"en{suffix}", tmp_path / f"id{suffix}"
    en_path.write_text(english, encoding="utf-8")
    id_path.write_text(indonesian, encoding="utf-8")
    out = io.StringIO()
    code = run_audit(en_path, id_path, as_json=True, out=out)
    return code, json.loads(out.getvalue())


def texts(report: dict, status: str) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [
        (report["en"][pair["en"]]["text"], report["id"][pair["id"]]["text"])
        for pair in report["pairs"]
        if pair["status"] == status
    ]


# The command -----------------------------------------------------------------


def test_agreeing_pair_exits_0_and_equivalent_forms_match(tmp_path: Path) -> None:
    code, report = audit(
        tmp_path,
        "Prices rose 0.20 percent in two cities. The fund holds 2.67 million people's savings.",
        "Harga naik 0,2% di 2 kota. Dana itu menyimpan tabungan 2.670.046 orang.",
    )
    assert code == 0
    assert texts(report, "match") == [("0.20 percent", "0,2%"), ("two", "2"), ("2.67 million", "2.670.046")]
    assert report["only_en"] == report["only_id"] == []
    assert report["pairs"][2]["note"] == "rounded: 2.67 million ≈ 2.670.046"
    assert "note" not in report["pairs"][0]


def test_texts_without_figures_agree(tmp_path: Path) -> None:
    code, report = audit(tmp_path, "", "Tidak ada angka di sini.")
    assert code == 0
    assert {key: value for key, value in report.items() if key != "summary"} == {
        "en": [],
        "id": [],
        "pairs": [],
        "only_en": [],
        "only_id": [],
        "facts": [],
        "stretches": [],
    }


def test_json_follows_the_contract(tmp_path: Path) -> None:
    code, report = audit(
        tmp_path,
        "By July 2017 more than 5.6 million had fled and 98% of the land was retaken. Rebuilding costs $1bn. "
        "Rates rose 2 percentage points.",
        "Pada Juli 2017 lebih dari 5,6 juta orang mengungsi dan 98% wilayah direbut kembali.",
    )
    assert code == 1
    assert set(report) == {"summary", "en", "id", "pairs", "only_en", "only_id", "facts", "stretches"}
    en = report["en"]
    assert {key: en[1][key] for key in ("value", "unit", "currency", "qualifier", "text")} == {
        "value": 5600000,
        "unit": "count",
        "currency": None,
        "qualifier": "more_than",
        "text": "more than 5.6 million",
    }
    assert (en[0]["value"], en[0]["unit"]) == ("2017-07", "date")
    assert (en[2]["value"], en[2]["unit"], en[2]["qualifier"]) == (98, "percent", None)
    assert (en[3]["value"], en[3]["unit"], en[3]["currency"]) == (1000000000, "money", "USD")
    assert (en[4]["unit"], en[4]["kind"]) == ("percent", "percentage_point")
    assert en[1]["year"] == 2017  # the count's clause ties it to July 2017
    assert all(set(item) >= {"value", "unit", "currency", "qualifier", "text", "start", "end", "line"} for item in en)
    assert report["pairs"] == [
        {"en": 0, "id": 0, "status": "match"},
        {"en": 1, "id": 1, "status": "match"},
        {"en": 2, "id": 2, "status": "match"},
    ]
    assert report["only_en"] == [3, 4] and report["only_id"] == []


def test_offsets_index_the_text_read_and_markdown_keeps_file_offsets(tmp_path: Path) -> None:
    markdown = "# Heading 2024\n\n1. **At least 3,250** [died](https://example.org/9999) in *Raqqa*.[^7]\n"
    path = tmp_path / "en.md"
    path.write_text(markdown, encoding="utf-8")
    document = read_document(path, "en")
    assert [(f.text, markdown[f.start : f.end]) for f in document.figures] == [
        ("2024", "2024"),
        ("At least 3,250", "At least 3,250"),
    ]
    assert len(strip_markdown(markdown)) == len(markdown)


def test_plain_text_offsets_point_into_the_file_despite_bom_and_crlf(tmp_path: Path) -> None:
    raw = "\ufeffAt least 3,250 died\r\nin 2017.\r\n"
    path = tmp_path / "en.txt"
    path.write_bytes(raw.encode("utf-8"))
    document = read_document(path, "en")
    assert [(f.text, raw[f.start : f.end]) for f in document.figures] == [
        ("At least 3,250", "At least 3,250"),
        ("2017", "2017"),
    ]
    assert document.figures[0].year == 2017  # the wrapped line does not end the sentence


def test_the_pipelines_own_editions_agree(sample_build: Project) -> None:
    out = io.StringIO()
    code = run_audit(
        sample_build.out / "en" / "iraq-syria-crisis.html",
        sample_build.out / "id" / "iraq-syria-crisis.html",
        True,
        out,
    )
    summary = json.loads(out.getvalue())["summary"]
    assert code == 0, summary
    assert (summary["differs"], summary["one_sided"], summary["stretches"]) == (0, 0, 0)
    # The figures were read, not missed: the explainer cites over a hundred.
    assert summary["match"] > 100 and summary["figures_en"] == summary["figures_id"]


def test_html_is_read_as_its_visible_text_even_without_an_html_suffix(tmp_path: Path) -> None:
    path = tmp_path / "page.dat"
    path.write_text("<html><head><title>2019</title></head><body><p>About 40\nhomes.</p></body></html>", "utf-8")
    document = read_document(path, "en")
    assert [f.text for f in document.figures] == ["About 40"]
    assert document.text[document.figures[0].start : document.figures[0].end] == "About 40"


def test_human_report_highlights_figures_in_both_sentences(tmp_path: Path) -> None:
    # A line wrapped inside a sentence does not end it.
    (tmp_path / "en.txt").write_text("The toll rose\nto 353,900. Officials met in 2011.", encoding="utf-8")
    (tmp_path / "id.txt").write_text("Jumlah korban naik menjadi 364.792. Para pejabat bertemu pada 2011.", "utf-8")
    out = io.StringIO()
    with contextlib.chdir(tmp_path):
        assert run_audit(Path("en.txt"), Path("id.txt"), as_json=False, out=out, show_matches=True) == 1
    assert out.getvalue().splitlines()[1:] == [
        "2 figures in English, 2 in Indonesian: 1 agree, 1 differ, 0 one-sided, 0 untranslated stretches.",
        "",
        "Differ (1)",
        "  en.txt:2 id.txt:1  353,900 vs 364.792",
        "    EN  The toll rose to »353,900«.",
        "    ID  Jumlah korban naik menjadi »364.792«.",
        "",
        "Agree (1)",
        "  en.txt:2 id.txt:1  2011 = 2011",
    ]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_bold_instead_of_guillemets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "en.txt").write_text("It took 4 years.", encoding="utf-8")
    (tmp_path / "id.txt").write_text("Butuh 3 tahun.", encoding="utf-8")
    out = Terminal()
    assert run_audit(tmp_path / "en.txt", tmp_path / "id.txt", as_json=False, out=out) == 1
    assert "\033[1m4 years\033[0m" in out.getvalue() and "»" not in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read: no such file or directory"),
        ("directory", "cannot read: is a directory"),
        (b"Harga naik \xe9 5%", "not UTF-8 text (byte 0xe9 at offset 11); save it as UTF-8"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, content: object, message: str) -> None:
    good, bad = tmp_path / "en.txt", tmp_path / "id.txt"
    good.write_text("98%", encoding="utf-8")
    if content == "directory":
        bad.mkdir()
    elif isinstance(content, bytes):
        bad.write_bytes(content)
    with pytest.raises(UserError) as caught:
        run_audit(good, bad, as_json=True, out=io.StringIO())
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{bad}: error: {message} [{caught.value.diagnostics[0].code}]"
    ]


# Figure relations ----------------------------------------------------------------


def one(text: str, language: str) -> Figure:
    [figure] = extract_figures(text, language)
    return figure


@pytest.mark.parametrize(
    ("english", "indonesian", "expected"),
    [
        ("0.20 percent", "0,2%", ("match", None)),
        ("2 percentage points", "2%", ("differs", "unit: percentage point vs percent")),
        ("at least 3,250", "sekitar 3.250", ("differs", "qualifier: at least vs about")),
        ("just over 1,400", "lebih dari 1.400", ("match", "qualifier: just over vs more than")),
        ("about 58,000", "58.362", ("match", "rounded: about 58,000 ≈ 58.362")),
        ("about 10 million", "14 juta", ("differs", None)),
        # Rounding is half up, and a figure of one significant digit rounds nothing.
        ("2.67 million", "2.665.000", ("match", "rounded: 2.67 million ≈ 2.665.000")),
        ("2.67 million", "2.675.000", ("differs", None)),
        ("US$1 billion", "US$1,5 miliar", ("differs", None)),
        ("US$1 billion", "US$1,4 miliar", ("differs", None)),
        ("more than 24,000", "24.313", ("match", "bounded: 24.313 fits more than 24,000")),
        ("more than 20,000", "24.313", ("differs", None)),
        ("68,260", "lebih dari 70.000", ("differs", None)),
        ("$5 million", "Rp5 juta", ("differs", "currency: USD vs IDR")),
        ("2017", "Desember 2017", ("match", "less precise: 2017 vs 2017-12")),
        ("July 2017", "Juni 2017", ("differs", None)),
        ("two years", "24 bulan", ("match", "converted: two years = 24 bulan")),
        ("a third straight month", "tiga bulan", ("match", "third / tiga bulan")),
        ("5 million", "2014", None),
    ],
)
def test_relation(english: str, indonesian: str, expected: tuple[str, str | None] | None) -> None:
    figure_en = one(english, "en")
    assert relation(figure_en, one(indonesian, "id")) == expected


def test_a_number_only_the_language_habit_read_may_take_the_other_texts_reading() -> None:
    english = one("It burned 204,894 hectares.", "en")
    indonesian = one("Api menghanguskan 204,894 hektare.", "id")
    assert indonesian.value == Decimal("204.894") and indonesian.alternative == 204894
    assert relation(english, indonesian) == ("match", "204,894 read as 204894, as the English text has it")


def test_differing_values_pair_only_between_sentences_that_translate_each_other() -> None:
    english = "Floods killed 12 people in Java. The central bank kept rates at 6 percent."
    indonesian = "Bank sentral menahan suku bunga di 6 persen. Banjir menewaskan 15 orang di Jawa."
    en, id_ = (
        Document("en", english, extract_figures(english, "en")),
        Document("id", indonesian, extract_figures(indonesian, "id")),
    )
    result = align(en, id_)
    assert [(p.en, p.id, p.status) for p in result.pairs] == [(0, 1, "differs"), (1, 0, "match")]
    unrelated = "Exports reached 14 ports."
    other = Document("en", unrelated, extract_figures(unrelated, "en"))
    assert align(other, id_).pairs == []


def pairs(english: str, indonesian: str) -> list[tuple[str, str, str]]:
    en, id_ = (
        Document("en", english, extract_figures(english, "en")),
        Document("id", indonesian, extract_figures(indonesian, "id")),
    )
    return [(en.figures[p.en].text, id_.figures[p.id].text, p.status) for p in align(en, id_).pairs]


def test_the_year_a_figure_is_tied_to_chooses_among_candidates() -> None:
    assert pairs("Exports were 120 tonnes in 2016 and 95 tonnes in 2017.", "Ekspor mencapai 118 ton pada 2017.") == [
        ("95", "118", "differs"),
        ("2017", "2017", "match"),
    ]


def test_close_values_are_the_likelier_drift() -> None:
    assert pairs("The agency counted 35 schools and 480 homes damaged.", "Badan itu mencatat 500 rumah rusak.") == [
        ("480", "500", "differs")
    ]


def test_equivalent_forms_need_sentences_that_translate_each_other() -> None:
    english = "Floods hit the capital in 2015. The new ministry opened its office in Jakarta."
    indonesian = "Kantor kementerian baru dibuka di Jakarta pada Desember 2015."
    assert pairs(english, indonesian) == []


# The seed pair -------------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.exists(), reason=f"the seed pair is not beside this checkout ({SEEDS})")
def test_seed_pair_reports_the_drifted_figures_and_nothing_that_agrees() -> None:
    out = io.StringIO()
    assert run_audit(ENGLISH_SEED, INDONESIAN_SEED, as_json=True, out=out) == 1
    report = json.loads(out.getvalue())
    differs = texts(report, "differs")
    assert ("more than 353,900", "setidaknya 364.792") in differs
    assert ("106,000", "110.687") in differs
    assert ("68,260", "lebih dari 70.000") in differs
    assert ("at least 3,298", "setidaknya 30.839") in differs or ("6,878", "setidaknya 30.839") in differs
    matches = texts(report, "match")
    for agreeing in [
        ("July 2017", "Juli 2017"),
        ("October 2017", "Oktober 2017"),
        ("2011", "2011"),
        ("2003", "2003"),
        ("second", "kedua"),
    ]:
        assert agreeing in matches
    flagged = {text for pair in differs for text in pair}
    flagged |= {report["en"][i]["text"] for i in report["only_en"]} | {
        report["id"][i]["text"] for i in report["only_id"]
    }
    assert not flagged & {"Juli 2017", "Oktober 2017", "kedua", "2003"}
    # Ramadi's recapture is not in the English text: its date is no looser form of another.
    assert "Desember 2015" in {report["id"][i]["text"] for i in report["only_id"]}
    assert len(differs) == 4  # nothing else is called a drift
