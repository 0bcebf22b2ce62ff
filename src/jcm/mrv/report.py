"""Monitoring report workbook, laid out like the JCM monitoring spreadsheet (ja/en headings).

Sheets: ``Input 入力`` (parameters with unit and source, input files with SHA-256),
``Calculation 計算`` (equations, RE, PE, ER exact and floored) and ``QA`` (QA/QC decisions).
Exact values are written as text so no precision is lost to spreadsheet floats.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from jcm.exports import for_people
from jcm.mrv.calc import CalculationResult
from jcm.mrv.methodology import Methodology

BOLD = Font(bold=True)


def _heading(sheet: Worksheet, *cells: str) -> None:
    sheet.append(list(cells))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _input_sheet(sheet: Worksheet, r: CalculationResult, m: Methodology) -> None:
    sheet.title = "Input 入力"
    _heading(sheet, "Monitoring report / モニタリング報告書")
    sheet.append(["Methodology / 方法論", f"{m.id} ver {m.version}", m.title_en, m.title_ja])
    sheet.append(["Project / プロジェクト", r.project_id or ""])
    sheet.append(
        ["Monitoring period (UTC) / モニタリング期間", r.period_start_utc, r.period_end_utc]
    )
    sheet.append([])
    _heading(
        sheet,
        "Parameter / パラメータ",
        "Description",
        "説明",
        "Point / 計測点",
        "Value / 値",
        "Unit / 単位",
        "Source / 出典",
        "Detail / 詳細",
    )
    for p in r.parameters:
        spec = m.parameter(p.symbol)
        sheet.append(
            [
                p.symbol,
                spec.description_en,
                spec.description_ja,
                p.point or "",
                str(p.value),
                p.unit,
                p.source,
                p.detail,
            ]
        )
    sheet.append([])
    _heading(sheet, "Input file / 入力ファイル", "SHA-256")
    for f in r.files:
        sheet.append([f.name, f.sha256])


def _calculation_sheet(sheet: Worksheet, r: CalculationResult, m: Methodology) -> None:
    _heading(sheet, "Equation / 計算式")
    for eq in m.equations:
        sheet.append([eq])
    sheet.append([])
    _heading(sheet, "Item / 項目", "Value / 値", "Unit / 単位")
    sheet.append(
        ["Reference emissions RE_p / リファレンス排出量", str(r.reference_emissions), "tCO2"]
    )
    sheet.append(["Project emissions PE_p / プロジェクト排出量", str(r.project_emissions), "tCO2"])
    sheet.append(
        [
            "Emission reductions ER_p (exact) / 排出削減量（端数含む）",
            str(r.emission_reductions_exact),
            "tCO2",
        ]
    )
    sheet.append(
        [
            "Emission reductions ER_p (floored) / 排出削減量（切り捨て）",
            r.emission_reductions,
            "tCO2",
        ]
    )


def _qa_sheet(sheet: Worksheet, r: CalculationResult) -> None:
    _heading(
        sheet,
        "Check / 確認項目",
        "Point / 計測点",
        "Parameter / パラメータ",
        "Count / 件数",
        "Examples / 例",
        "Decision",
        "判断",
    )
    for i in r.qa.issues:
        sheet.append(
            [
                i.check,
                i.point,
                i.parameter,
                i.count,
                ", ".join(i.examples),
                i.decision_en,
                i.decision_ja,
            ]
        )
    sheet.append([])
    _heading(
        sheet,
        "Point / 計測点",
        "Parameter / パラメータ",
        "Readings / 件数",
        "Expected intervals / 想定区間数",
        "Credited / 算入量",
        "Unit / 単位",
    )
    for s in r.qa.series:
        sheet.append(
            [s.point, s.parameter, s.readings, s.expected_intervals, str(s.credited), s.unit]
        )
    for note in r.qa.notes:
        sheet.append([note])


def monitoring_report_workbook(result: CalculationResult, methodology: Methodology) -> bytes:
    """The monitoring report of one calculation as .xlsx bytes."""
    book = Workbook()
    first = book.active
    assert first is not None
    _input_sheet(first, result, methodology)
    _calculation_sheet(book.create_sheet("Calculation 計算"), result, methodology)
    _qa_sheet(book.create_sheet("QA"), result)
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 48
    buffer = BytesIO()
    for_people(book).save(buffer)
    return buffer.getvalue()
