"""Acceptance (issue 16): the AEF workbook read back with openpyxl has the reporting tool's
seven sheets, field names, identifiers, dates and action types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jcm.db import Database, utcnow
from jcm.registry import service
from jcm.registry.cli import app
from jcm.registry.rules_aef import (
    ACTION_COLUMNS,
    ACTION_TYPES,
    AUTHORIZATION_COLUMNS,
    ENTITY_COLUMNS,
    HOLDING_COLUMNS,
    SHEETS,
)
from tests.registry.helpers import CTX
from tests.registry.test_cli_and_aef import authorised  # noqa: F401  (fixture)

runner = CliRunner()
ITMO = re.compile(r"CA\d{4}-[A-Z]{3}\d{2}-[A-Z]{3}-[1-9]\d*-\d{4}")
DMY = re.compile(r"\d{2}/\d{2}/\d{4}")


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    ws = load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("party", ["JPN", "IDN"])
def test_the_workbook_has_the_tools_layout(
    authorised: Database,  # noqa: F811
    tmp_path: Path,
    party: str,
) -> None:
    with authorised.write() as s:
        service.configure_identifiers(s, CTX, "ID", cooperative_approach_id="CA0001")
    year = utcnow().year
    res = runner.invoke(
        app, ["export-aef", "--party", party, "--year", str(year), "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    path = tmp_path / f"aef-{party}-{year}.xlsx"
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == list(SHEETS)
    for sheet, columns in (
        ("Table 2 Authorizations", AUTHORIZATION_COLUMNS),
        ("Table 3 Actions", ACTION_COLUMNS),
        ("Table 4 Holdings", HOLDING_COLUMNS),
        ("Table 5 Auth. entities", ENTITY_COLUMNS),
    ):
        header = next(wb[sheet].iter_rows(max_row=1, values_only=True))
        assert list(header) == columns, sheet
    submission = _sheet(path, "Table 1 Submission")[0]
    assert re.fullmatch(r"[A-Z]{3}\d{2}", str(submission["Party ITMO registry ID"]))
    assert DMY.fullmatch(str(submission["Date of submission"]))
    actions = _sheet(path, "Table 3 Actions")
    holdings = _sheet(path, "Table 4 Holdings")
    assert actions
    for row in actions:
        assert row["Action type"] in ACTION_TYPES
        assert DMY.fullmatch(str(row["Action date"]))
    for row in actions + holdings:
        assert re.fullmatch(r"CA\d{4}", str(row["Cooperative approach ID"]))
        assert re.fullmatch(r"[A-Z]{3}\d{2}", str(row["Party ITMO registry ID"]))
        assert ITMO.fullmatch(str(row["First ID"]))
        assert ITMO.fullmatch(str(row["Last ID"]))
        assert str(row["First unit ID"]).startswith("JCM-JP-ID.")
        assert (row["Metric"], row["Applicable GWP value(s)"]) == ("GHG", "AR5")
    if party == "IDN":
        (auth,) = _sheet(path, "Table 2 Authorizations")
        assert auth["Authorization ID"] == "IDN-AUTH-1"
        assert auth["Date of authorization"] == "10/01/2024"
        assert auth["Purposes for authorization"] == "NDC and OIMP"
        assert {r["Action type"] for r in actions} == {"First transfer", "Transfer"}
        assert _sheet(path, "Table 5 Auth. entities")
    else:
        types = {(r["Action type"], r["Action subtype"]) for r in actions}
        assert types == {
            ("Acquisition", "International acquisition"),
            ("Use", "Use towards NDC"),
            ("Cancellation", "Voluntary cancellation"),
        }
        use = next(r for r in actions if r["Action type"] == "Use")
        assert use["Using/cancelling participating Party ID"] == "JPN"
        assert use["Calendar year for which the ITMOs are used towards the Party's NDC"] == year
        assert (
            use["Purpose for which the ITMO has been used towards or cancelled for OIMP"] == "NDC"
        )
        assert sum(int(str(r["Quantity (t CO2 eq)"])) for r in holdings) == 50 + 20 + 15 - 12 - 4
