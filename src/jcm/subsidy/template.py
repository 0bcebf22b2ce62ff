"""The Excel template applicants fill in: a header row, an example row and notes (ja/en).
``io.read_applications`` reads a filled-in copy back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from jcm.exports import for_people
from jcm.subsidy.io import SCHEDULE_PREFIX
from jcm.subsidy.settings import FY2022, CallSettings

# column, English note, Japanese note
FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "id",
        "Your reference for the application (unique in the file).",
        "申請の管理番号（ファイル内で一意）。",
    ),
    (
        "partner_country",
        "Partner country, ISO 3166 alpha-3 (e.g. VNM).",
        "パートナー国（ISO 3166 の3文字コード、例：VNM）。",
    ),
    (
        "technology",
        "Technology code from the call's durable-years table.",
        "公募の耐用年数表にある技術コード。",
    ),
    (
        "representative_participant_country",
        "Country of the representative participant (JPN).",
        "代表事業者の国（JPN）。",
    ),
    ("initial_investment_jpy", "Initial investment, whole yen.", "初期投資額（円、整数）。"),
    (
        "equipment_cost_jpy",
        "Optional: equipment cost; the three parts must sum to the investment.",
        "任意：設備費。3費目の合計は初期投資額と一致。",
    ),
    ("construction_cost_jpy", "Optional: construction cost.", "任意：工事費。"),
    ("office_cost_jpy", "Optional: office cost.", "任意：事務費。"),
    ("requested_subsidy_jpy", "Subsidy requested, whole yen.", "補助金申請額（円、整数）。"),
    (
        "annual_reduction_tco2",
        "Expected GHG reduction per year, whole tCO2.",
        "年間 GHG 削減見込量（tCO2、整数）。",
    ),
    (
        "legal_durable_years",
        "Optional: legal durable years; default from the call's table.",
        "任意：法定耐用年数（空欄なら公募の表から）。",
    ),
    (
        "annual_net_savings_jpy",
        "Net savings per year from the equipment, whole yen.",
        "設備による年間純削減額（円、整数）。",
    ),
    (
        "implementation_months",
        "Months from grant decision to commissioning.",
        "交付決定から稼働までの月数。",
    ),
    (
        "other_public_subsidy",
        "Another Japanese public subsidy for the same equipment? true/false.",
        "同一設備への他の国庫補助の有無（true/false）。",
    ),
    (
        "similar_projects_in_country",
        "Optional override of similar projects already adopted.",
        "任意：採択済み同種案件数（上書き）。",
    ),
    (
        "similar_projects_override_reason",
        "Required with the override: why.",
        "上書きする場合は理由（必須）。",
    ),
    ("eco_lease", "JCM Eco Lease? true/false.", "JCM エコリース事業か（true/false）。"),
    ("note", "Free text.", "備考。"),
)


def template_columns(call: CallSettings) -> list[str]:
    """Header of the template: the fields, then one schedule column per fiscal year."""
    return [f for f, _, _ in FIELDS] + [f"{SCHEDULE_PREFIX}{y}" for y in call.fiscal_years]


def _example(call: CallSettings) -> list[object]:
    years = list(call.fiscal_years)
    schedule = (
        [50_000_000, 50_000_000] + [0] * (len(years) - 2) if len(years) >= 2 else [100_000_000]
    )
    return [
        "EX-001",
        "VNM",
        "solar_pv_rooftop",
        "JPN",
        400_000_000,
        380_000_000,
        15_000_000,
        5_000_000,
        100_000_000,
        2_000,
        None,
        50_000_000,
        24,
        False,
        None,
        None,
        False,
        "Example row: replace it. / 記入例：置き換えてください。",
    ] + schedule[: len(years)]


def write_template(path: Path, call: CallSettings = FY2022) -> None:
    """Write the application template for ``call`` to ``path`` (.xlsx)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "applications"
    sheet.append(template_columns(call))
    sheet.append(_example(call))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = book.create_sheet("notes")
    notes.append(["field", "English", "日本語"])
    for row in FIELDS:
        notes.append(list(row))
    for y in call.fiscal_years:
        notes.append(
            [
                f"{SCHEDULE_PREFIX}{y}",
                f"Optional: subsidy paid in FY{y}, yen; leave all blank to spread evenly.",
                f"任意：{y}年度の補助額（円）。全て空欄なら均等配分。",
            ]
        )
    notes.append(["(call)", f"{call.call}: {call.budget_note}", ""])
    for_people(book).save(path)
