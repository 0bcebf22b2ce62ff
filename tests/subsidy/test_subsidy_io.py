import json

import pytest
from openpyxl import load_workbook
from subsidy_factories import make_record

from jcm.errors import ImportRejected, ValidationFailed
from jcm.subsidy.io import csv_records, read_applications
from jcm.subsidy.settings import FY2022
from jcm.subsidy.template import template_columns, write_template

HEADER = "id,partner_country,technology,representative_participant_country,initial_investment_jpy,requested_subsidy_jpy,annual_reduction_tco2,annual_net_savings_jpy,implementation_months,schedule_jpy_fy2022,schedule_jpy_fy2023"


def test_a_csv_file_is_read_with_schedule_columns(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text(
        HEADER + "\nA,VNM,small_hydro,JPN,400000000,100000000,2000,50000000,24,60000000,40000000\n",
        encoding="utf-8",
    )
    (app,) = read_applications(path, FY2022)
    assert app.schedule_jpy_by_fiscal_year == ((2022, 60_000_000), (2023, 40_000_000))
    assert app.legal_durable_years == 22


def test_a_csv_with_bad_rows_names_each_row_as_seen_in_the_file_and_returns_nothing(tmp_path):
    path = tmp_path / "apps.csv"
    rows = [
        "A,VNM,small_hydro,JPN,400000000,100000000,2000,50000000,24,,",
        "B,VNM,small_hydro,JPN,four hundred,100000000,2000,50000000,24,,",
        "",
        "C,VNM,small_hydro,JPN,400000000,100000000,2000,50000000,0,,",
    ]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        read_applications(path, FY2022)
    found = {(p.row, p.field) for p in info.value.problems}
    assert found == {(3, "initial_investment_jpy"), (5, "implementation_months")}
    assert "3, 5" in info.value.message_en


def test_a_json_list_names_items_by_position_and_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "apps.json"
    path.write_text(
        json.dumps([make_record(), make_record(), make_record(id="B", requested_subsidy_jpy=-1)]),
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        read_applications(path, FY2022)
    assert {(p.row, p.field) for p in info.value.problems} == {
        (2, "id"),
        (3, "requested_subsidy_jpy"),
    }


def test_a_single_bad_json_object_names_the_field(tmp_path):
    path = tmp_path / "app.json"
    path.write_text(json.dumps(make_record(technology=None)), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_applications(path, FY2022)
    assert info.value.field == "technology"


def test_broken_json_and_unknown_file_types_are_refused(tmp_path):
    (tmp_path / "a.json").write_text("[{", encoding="utf-8")
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    for name in ("a.json", "a.txt"):
        with pytest.raises(ValidationFailed):
            read_applications(tmp_path / name, FY2022)


def test_the_template_has_a_header_an_example_and_bilingual_notes(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, FY2022)
    book = load_workbook(path)
    assert [c.value for c in book["applications"][1]] == template_columns(FY2022)
    assert book["notes"].max_row > len(template_columns(FY2022))
    assert "schedule_jpy_fy2024" in template_columns(FY2022)


def test_the_template_reads_back_as_one_valid_application(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, FY2022)
    (app,) = read_applications(path, FY2022)
    assert app.id == "EX-001"
    assert app.requested_subsidy_jpy == 100_000_000


def test_a_filled_in_workbook_with_a_bad_row_is_rejected_with_its_row_number(tmp_path):
    path = tmp_path / "filled.xlsx"
    write_template(path, FY2022)
    book = load_workbook(path)
    sheet = book["applications"]
    example = [c.value for c in sheet[2]]
    bad = list(example)
    bad[0], bad[4] = "EX-002", 12.5
    sheet.append(bad)
    book.save(path)
    with pytest.raises(ImportRejected) as info:
        read_applications(path, FY2022)
    assert [(p.row, p.field) for p in info.value.problems] == [(3, "initial_investment_jpy")]


def test_a_damaged_workbook_is_refused(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ImportRejected):
        read_applications(path, FY2022)


def test_a_csv_the_csv_module_cannot_read_is_refused_naming_its_line() -> None:
    text = "ref,title\r\nA1,ok\r\nA2," + "x" * 200_000 + "\r\n"  # above the csv module's limit
    with pytest.raises(ImportRejected) as refused:
        csv_records(text)
    assert refused.value.problems[0].row == 3
    assert "line 3" in refused.value.problems[0].message_en


def test_bare_carriage_returns_end_lines_in_a_csv() -> None:
    assert [n for n, _ in csv_records("ref,title\rA1,x\rA2,y\r")] == [2, 3]
