from decimal import Decimal
from io import BytesIO

from mrv_helpers import frame_of, hour_input, series
from openpyxl import load_workbook

from jcm.mrv.calc import calculate
from jcm.mrv.methodologies import REGISTRY
from jcm.mrv.report import monitoring_report_workbook


def test_workbook_has_input_calculation_and_qa_sheets_with_exact_values() -> None:
    pv = REGISTRY.get("TH_AM001")
    rows = series("M1", ["100", None, "200", "100"])
    result = calculate(pv, hour_input([{"id": "M1", "parameter": "EG"}]), frame_of(rows))
    book = load_workbook(BytesIO(monitoring_report_workbook(result, pv)))
    assert book.sheetnames == ["Input 入力", "Calculation 計算", "QA"]
    calc = [[c.value for c in row] for row in book["Calculation 計算"].iter_rows()]
    exact = [r for r in calc if str(r[0]).startswith("Emission reductions ER_p (exact)")][0]
    assert Decimal(exact[1]) == Decimal("0.2")
    assert exact[2] == "tCO2"
    inputs = [[c.value for c in row] for row in book["Input 入力"].iter_rows()]
    assert any(row[0] == "test.csv" and len(str(row[1])) == 64 for row in inputs)
    qa = [[c.value for c in row] for row in book["QA"].iter_rows()]
    assert qa[1][0] == "gap"
