"""`pipeline audit` as an editor meets it: the language check, the size limit,
line numbers on every finding, and a report that puts the summary first."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from pipeline.audit.language import guess_language
from pipeline.audit.run import run_audit
from pipeline.errors import UserError
from pipeline.inputs.safe_files import AUDITED
from tests.conftest import run_cli

ENGLISH = (
    "The flood forced 12,400 residents from their homes in the east of the city on Monday, officials said. "
    "Rain fell for 36 hours, and the river rose to its highest level since 2007. "
    "The city has opened 58 shelters, which are also taking in people from two neighbouring districts."
)
INDONESIAN = (
    "Banjir memaksa 12.400 warga meninggalkan rumah mereka di timur kota pada Senin, kata para pejabat. "
    "Hujan turun selama 36 jam, dan sungai naik ke tingkat tertinggi sejak 2007. "
    "Kota itu telah membuka 58 tempat penampungan, yang juga menerima warga dari dua kecamatan tetangga."
)
FRENCH = (
    "La crue a chassé 12 400 habitants de leurs maisons dans l'est de la ville lundi, selon les autorités. "
    "La pluie est tombée pendant 36 heures et le fleuve a atteint son plus haut niveau depuis 2007. "
) * 6


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Files are named as a user names them, relative to where the audit runs.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLUMNS", raising=False)


def write_pair(tmp_path: Path, english: str, indonesian: str, suffix: str = ".txt") -> tuple[Path, Path]:
    en, id_ = Path(f"en{suffix}"), Path(f"id{suffix}")
    (tmp_path / en).write_text(english, encoding="utf-8")
    (tmp_path / id_).write_text(indonesian, encoding="utf-8")
    return en, id_


def human(en: Path, id_: Path, out: io.StringIO | None = None, **options: bool) -> tuple[int, list[str]]:
    out = out or io.StringIO()
    code = run_audit(en, id_, as_json=False, out=out, **options)
    return code, out.getvalue().splitlines()


def as_json(en: Path, id_: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    out = io.StringIO()
    code = run_audit(en, id_, as_json=True, out=out)
    return code, json.loads(out.getvalue())


# The language check ----------------------------------------------------------


def test_the_function_words_tell_the_languages_apart() -> None:
    assert guess_language(ENGLISH).verdict == "en"
    assert guess_language(INDONESIAN).verdict == "id"
    assert guess_language(FRENCH).verdict == "neither"
    assert guess_language(ENGLISH + " " + INDONESIAN).verdict == "mixed"
    # A caption or a table of numbers is too short to tell, and is read as given.
    assert guess_language("Jakarta, 2024: 12,400").verdict == "unknown"


def test_swapped_files_are_refused_naming_each_file(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN)
    result = run_cli("audit", id_, en)
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines() == [
        f"{id_}: error: given as the English text, but it reads as Indonesian (0 English, 13 Indonesian "
        "function words in 39 words); check the order of the files (English first), or pass --force-languages "
        "[audit.language]",
        f"{en}: error: given as the Indonesian text, but it reads as English (22 English, 0 Indonesian "
        "function words in 45 words); check the order of the files (English first), or pass --force-languages "
        "[audit.language]",
    ]


def test_a_text_in_neither_language_is_refused_unless_forced(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, FRENCH)
    with pytest.raises(UserError) as caught:
        human(en, id_)
    assert [d.code for d in caught.value.diagnostics] == ["audit.language"]
    assert "reads as neither English nor Indonesian" in str(caught.value)
    forced = run_cli("audit", "--force-languages", en, id_)
    assert forced.code == 1 and forced.err == ""


def test_the_right_order_passes_the_check(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN)
    assert human(en, id_)[0] == 0


def test_a_file_over_the_size_limit_is_refused_with_exit_2(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN)
    with id_.open("a", encoding="utf-8") as handle:
        handle.write(" Hujan." * (AUDITED.limit // 7 + 1))
    result = run_cli("audit", en, id_)
    limit = f"{AUDITED.limit // 2**20} MiB"
    assert (result.code, result.err) == (
        2,
        f"{id_}: error: text to audit is larger than the limit of {limit} for a text to audit [audit.file]\n",
    )


# Line numbers ------------------------------------------------------------------


def test_every_figure_carries_the_line_of_its_file(tmp_path: Path) -> None:
    en, id_ = write_pair(
        tmp_path,
        "Flood\r\n\r\nThe flood forced 12,400\nresidents out. It rained for 36 hours.\n\nThe river peaked in 2007.",
        "Banjir\n\nBanjir memaksa 12.400 warga keluar. Hujan turun 36 jam.\n\n\nSungai memuncak pada 2007.",
    )
    _, report = as_json(en, id_)
    assert [(f["text"], f["line"]) for f in report["en"]] == [("12,400", 3), ("36", 4), ("2007", 6)]
    assert [(f["text"], f["line"]) for f in report["id"]] == [("12.400", 3), ("36", 3), ("2007", 6)]


def test_html_figures_carry_the_line_of_the_html_source(tmp_path: Path) -> None:
    en, id_ = write_pair(
        tmp_path,
        "<!doctype html>\n<html><head><title>2019</title></head>\n<body>\n<h1>Flood</h1>\n"
        "<p>The flood forced\n<b>12,400</b> residents out.</p>\n<p>It rained for 36 hours.</p></body></html>",
        "<!doctype html>\n<html><body><p>Banjir memaksa 12.400 warga keluar.</p>\n\n<p>Hujan turun 36 jam.</p>",
        ".html",
    )
    _, report = as_json(en, id_)
    assert [(f["text"], f["line"]) for f in report["en"]] == [("12,400", 6), ("36", 7)]
    assert [(f["text"], f["line"]) for f in report["id"]] == [("12.400", 2), ("36", 4)]


# The human report -------------------------------------------------------------------


def test_the_summary_comes_first_and_differences_show_both_sentences(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN.replace("12.400", "14.200"))
    code, lines = human(en, id_)
    assert code == 1
    assert lines[:2] == [
        f"{en} (English) against {id_} (Indonesian)",
        "5 figures in English, 5 in Indonesian: 4 agree, 1 differ, 0 one-sided, 0 untranslated stretches.",
    ]
    assert lines[2:7] == [
        "",
        "Differ (1)",
        f"  {en}:1 {id_}:1  12,400 vs 14.200",
        "    EN  The flood forced »12,400« residents from their homes in the east of the city on Monday,",
        "        officials said.",
    ]
    assert lines[-1] == "Agree (4): pass --matches to list them."


def test_one_sided_figures_are_grouped_by_sentence(tmp_path: Path) -> None:
    english = ENGLISH + " Since 2020 the city has built 3 dams and 14 pumping stations."
    en, id_ = write_pair(tmp_path, english, INDONESIAN)
    code, lines = human(en, id_)
    assert code == 1
    start = lines.index("In one text only (3 figures in 1 sentence)")
    assert lines[start + 1] == f"  {en}:1  only in English: 2020; 3; 14"
    assert lines[start + 2] == "    EN  Since »2020« the city has built »3« dams and »14« pumping stations."


def test_listing_the_matches_on_request(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN)
    _, lines = human(en, id_, show_matches=True)
    assert f"  {en}:1 {id_}:1  12,400 = 12.400" in lines


def test_lines_are_wrapped_to_the_width_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN.replace("12.400", "14.200"))
    _, lines = human(en, id_)
    assert max(len(line) for line in lines if not line.startswith(str(en))) <= 60


def test_a_terminal_gets_bold_and_colour_unless_no_color_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN.replace("12.400", "14.200"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, lines = human(en, id_, Terminal())
    assert any("\033[1m12,400\033[0m" in line for line in lines)
    monkeypatch.setenv("NO_COLOR", "1")
    _, lines = human(en, id_, Terminal())
    assert not any("\033[" in line for line in lines)
    assert any("»12,400«" in line for line in lines)


# JSON ----------------------------------------------------------------------------------


def test_percentage_points_are_percents_of_kind_percentage_point(tmp_path: Path) -> None:
    en, id_ = write_pair(
        tmp_path,
        "The central bank raised its rate by 0.25 percentage points, the bank said on Thursday.",
        "Bank sentral menaikkan suku bunganya sebesar 0,25 poin persentase, kata bank itu pada Kamis.",
    )
    code, report = as_json(en, id_)
    assert code == 0
    assert [(f["unit"], f["kind"]) for f in report["en"] + report["id"]] == [("percent", "percentage_point")] * 2


def test_json_groups_occurrences_per_fact_and_counts_them(tmp_path: Path) -> None:
    en, id_ = write_pair(tmp_path, ENGLISH, INDONESIAN.replace("12.400", "14.200"))
    _, report = as_json(en, id_)
    assert report["summary"] == {
        "figures_en": 5,
        "figures_id": 5,
        "match": 4,
        "differs": 1,
        "one_sided": 0,
        "label": 0,
        "stretches": 0,
        "figures_in_stretches": 0,
    }
    assert report["facts"][0] == {"status": "differs", "en": [0], "id": [0]}
    # Every figure of both texts is in exactly one fact.
    for side in ("en", "id"):
        assert sorted(i for fact in report["facts"] for i in fact[side]) == list(range(len(report[side])))


def test_no_line_is_a_wall_of_text_on_the_seed_sized_report(tmp_path: Path) -> None:
    long_en = " ".join(
        f"In district {n} the flood forced {1000 + n:,} residents out, officials said." for n in range(40)
    )
    en, id_ = write_pair(tmp_path, long_en, INDONESIAN)
    _, lines = human(en, id_)
    assert max(len(re.sub(r"\033\[[0-9;]*m", "", line)) for line in lines[1:]) <= 100
