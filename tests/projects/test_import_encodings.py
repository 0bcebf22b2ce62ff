"""Project files in the encodings Japanese offices write: CP932 (Excel's "CSV"), UTF-8 with
BOM and CRLF ("CSV UTF-8"); the encoding found is reported, a chosen one is obeyed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jcm.cli import app

runner = CliRunner()
HEADER = (
    "ref,partner_country,title_en,title_ja,technology,representative_participant,"
    "representative_participant_ja,expected_reduction_tco2_per_year,fiscal_year\r\n"
)
ROWS = (
    "TH950,THA,Rooftop PV,屋根置き太陽光①（全角ＰＶ）,solar_pv,Sun Co.,株式会社サン㈱,10,2024\r\n"
    "TH951,THA,Chiller,高効率冷凍機②,solar_pv,Sun Co.,株式会社サン㈱,20,2024\r\n"
)


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JCM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    return tmp_path


def _flat(text: str) -> str:
    """The text without the line breaks and spaces the console wraps it with."""
    return "".join(text.split())


def _imported() -> dict[str, dict[str, object]]:
    out = runner.invoke(app, ["projects", "list", "--fiscal-year", "2024", "--json"]).stdout
    return {p["ref"]: p for p in json.loads(out)}


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ((HEADER + ROWS).encode("cp932"), "Shift_JIS (CP932)"),
        (b"\xef\xbb\xbf" + (HEADER + ROWS).encode("utf-8"), "UTF-8 (BOM)"),
        ((HEADER + ROWS).replace("\r\n", "\n").encode("utf-8"), "UTF-8"),
    ],
)
def test_a_japanese_csv_is_imported_and_its_encoding_shown(
    cli_db: Path, data: bytes, shown: str
) -> None:
    path = cli_db / "projects.csv"
    path.write_bytes(data)
    result = runner.invoke(app, ["projects", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 projects" in result.stdout
    assert f"({shown})" in result.stdout
    got = _imported()
    assert got["TH950"]["title_ja"] == "屋根置き太陽光①（全角ＰＶ）"
    assert got["TH951"]["title_ja"] == "高効率冷凍機②"


def test_the_encoding_option_is_obeyed(cli_db: Path) -> None:
    path = cli_db / "projects.csv"
    path.write_bytes((HEADER + ROWS).encode("cp932"))
    refused = runner.invoke(app, ["projects", "import", str(path), "--encoding", "utf-8"])
    assert refused.exit_code == 2
    assert _flat("not UTF-8 at byte") in _flat(refused.stderr)
    assert _flat("Shift_JIS (CP932) at byte") not in _flat(refused.stderr)
    assert _imported() == {}
    unknown = runner.invoke(app, ["projects", "import", str(path), "--encoding", "latin-1"])
    assert unknown.exit_code == 2
    assert _flat("Unknown encoding 'latin-1'") in _flat(unknown.stderr)
    done = runner.invoke(app, ["projects", "import", str(path), "--encoding", "shift_jis"])
    assert done.exit_code == 0, done.output
    assert _imported()["TH950"]["title_ja"] == "屋根置き太陽光①（全角ＰＶ）"


def test_undecodable_bytes_are_refused_in_both_languages_and_nothing_is_written(
    cli_db: Path,
) -> None:
    path = cli_db / "projects.csv"
    path.write_bytes((HEADER + ROWS).encode("cp932") + b"TH952,THA,\x81\x20\r\n")
    result = runner.invoke(app, ["projects", "import", str(path)])
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert _flat("projects.csv cannot be read as text") in said
    assert _flat("not Shift_JIS (CP932) at byte 328 (row 4)") in said
    assert _flat("projects.csv を文字として読み取れません") in said
    assert "row(s)." not in said
    assert _imported() == {}


def test_the_excel_export_is_utf8_with_a_bom_and_the_machine_csv_is_unchanged(
    cli_db: Path,
) -> None:
    path = cli_db / "projects.csv"
    path.write_bytes((HEADER + ROWS).encode("cp932"))
    assert runner.invoke(app, ["projects", "import", str(path)]).exit_code == 0
    machine = runner.invoke(app, ["projects", "export", "--format", "csv"]).stdout_bytes
    excel = runner.invoke(app, ["projects", "export", "--format", "csv-excel"]).stdout_bytes
    assert not machine.startswith(b"\xef\xbb\xbf")
    assert excel == b"\xef\xbb\xbf" + machine
    assert b"\r\n" in excel
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(excel.decode("utf-8-sig")))}
    assert rows["TH950"]["title_ja"] == "屋根置き太陽光①（全角ＰＶ）"
    again = cli_db / "again.csv"
    again.write_bytes(excel)
    assert "imported" not in runner.invoke(app, ["projects", "import", str(again)]).stdout
