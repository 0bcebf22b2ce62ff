from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from jcm.db import Database, utcnow
from jcm.registry import aef, service
from jcm.registry.cli import app
from jcm.registry.models import AdjustmentEntry, Block
from jcm.registry.schemas import AuthorisationIn, CancelRequest, RetireRequest, TransferRequest
from tests.registry.helpers import CTX, add_period, issue, make_world

runner = CliRunner()


@pytest.fixture
def authorised(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Authorised credits issued, sent from Indonesia to Japan, then used and retired."""
    monkeypatch.setenv(
        "JCM_DATABASE_URL", database.engine.url.render_as_string(hide_password=False)
    )
    w = make_world(database)
    with database.write() as s:
        service.record_authorisation(
            s,
            CTX,
            AuthorisationIn(
                ref="IDN-AUTH-1",
                party_iso3="IDN",
                project_ref=w.project_ref,
                authorised_on=date(2024, 1, 10),
                authorised_use="ndc_and_oimp",
            ),
        )
    issue(database, add_period(database, w.project_ref, 2023, 100), 100)
    service.external_transfer(
        database,
        CTX,
        TransferRequest(
            idempotency_key="x", from_account="ID-GOV", to_account="JP-GOV", quantity=15
        ),
    )
    service.cancel(
        database,
        CTX,
        CancelRequest(idempotency_key="c", from_account="JP-GOV", quantity=12, purpose="ndc"),
    )
    service.retire(
        database,
        CTX,
        RetireRequest(
            idempotency_key="r", from_account="JP-PP", quantity=4, purpose="offset", beneficiary="A"
        ),
    )
    return database


def test_a_first_transfer_enters_the_adjustment_ledger(authorised: Database) -> None:
    ledger: dict[tuple[str, str], int] = {}
    with authorised.read() as s:
        for e in s.scalars(select(AdjustmentEntry)):
            ledger[e.party_iso3, e.reason] = ledger.get((e.party_iso3, e.reason), 0) + e.quantity
    # issued into JP-GOV (50) and JP-PP (20): first transfers; then 15 sent from ID-GOV
    assert ledger == {("IDN", "first_transfer"): 50 + 20 + 15, ("JPN", "use_towards_ndc"): -12}


def test_the_aef_actions_name_every_reportable_action(authorised: Database) -> None:
    with authorised.read() as s:
        rows = aef.actions(s, utcnow().year)
        held = aef.holdings(s, utcnow().year, party="JPN")
    kinds = sorted({str(r["Action type"]) for r in rows})
    assert kinds == ["Acquisition", "Cancellation", "First transfer", "Transfer", "Use"]
    assert sum(int(str(r["Quantity (t CO2 eq)"])) for r in held) == 50 + 20 + 15 - 12 - 4


def test_the_cli_lists_accounts_pages_holdings_verifies_and_exports(
    authorised: Database, tmp_path: Path
) -> None:
    res = runner.invoke(app, ["accounts", "--json"])
    assert res.exit_code == 0, res.output
    balances = {a["number"]: a["balance"] for a in json.loads(res.output)}
    assert balances["JP-CAN"] == 12
    # text output for people: account kinds and states in words, tonnes with their unit
    res = runner.invoke(app, ["accounts", "--lang", "ja"])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("JP-CAN"))
    assert "取消口座" in line
    assert "12 t-CO2" in line
    assert "cancellation" not in res.output
    english = runner.invoke(app, ["accounts"]).output
    assert "Cancellation account" in english
    assert "government_holding" not in english
    res = runner.invoke(app, ["holdings", "JP-GOV", "--limit", "1", "--json"])
    assert json.loads(res.output)["next_after"] is not None
    assert runner.invoke(app, ["verify"]).exit_code == 0
    res = runner.invoke(
        app,
        [
            "export-aef",
            "--year",
            str(utcnow().year),
            "--out",
            str(tmp_path),
            "--party",
            "JPN",
            "--format",
            "csv",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    year = utcnow().year
    with (tmp_path / f"aef-JPN-{year}-actions.csv").open(encoding="utf-8") as f:
        assert "Cooperative approach ID" in next(csv.reader(f))
    res = runner.invoke(
        app, ["export-aef", "--year", str(year), "--party", "JPN", "--out", str(tmp_path)]
    )
    assert (tmp_path / f"aef-JPN-{year}.xlsx").exists()


def test_the_cli_refuses_in_japanese_and_verify_fails_on_tampering(authorised: Database) -> None:
    res = runner.invoke(
        app,
        [
            "transfer",
            "--from",
            "ID-PP",
            "--to",
            "ID-GOV",
            "--quantity",
            "999",
            "--key",
            "k",
            "--lang",
            "ja",
        ],
    )
    assert res.exit_code == 2
    assert "口座 ID-PP" in res.output
    with authorised.write() as s:
        s.execute(update(Block).where(Block.account_id == Block.account_id).values(state="retired"))
    assert runner.invoke(app, ["verify", "--json"]).exit_code == 1


def test_check_aef_passes_a_consistent_year_and_names_what_breaks(
    authorised: Database, tmp_path: Path
) -> None:
    year = str(utcnow().year)
    for party in ("JPN", "IDN"):
        res = runner.invoke(app, ["check-aef", "--party", party, "--year", year, "--json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.output)
        assert out["passed"] is True
        assert [c["check"] for c in out["checks"]] == [
            "first_transfer",
            "holdings_roll_forward",
            "unique_identifiers",
            "adjustments_reconcile",
        ]
    text = runner.invoke(app, ["check-aef", "--party", "JPN", "--year", year, "--lang", "ja"])
    assert "合格" in text.output
    assert "相当調整" in text.output
    res = runner.invoke(
        app, ["export-aef", "--party", "JPN", "--year", year, "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / f"aef-JPN-{year}.xlsx", read_only=True)["Table 3 Actions"]
    rows = list(ws.iter_rows(values_only=True))
    column = list(rows[0]).index("Result of the consistency checks")
    assert {r[column] for r in rows[1:]} == {"Passed (4 checks)"}
    # Japan's use adjustment lost: the reconciliation fails, and says by how much
    with authorised.write() as s:
        s.execute(
            update(AdjustmentEntry)
            .where(AdjustmentEntry.party_iso3 == "JPN", AdjustmentEntry.reason == "use_towards_ndc")
            .values(quantity=-11)
        )
    res = runner.invoke(app, ["check-aef", "--party", "JPN", "--year", year, "--json"])
    assert res.exit_code == 1
    failed = [c for c in json.loads(res.output)["checks"] if not c["passed"]]
    assert [c["check"] for c in failed] == ["adjustments_reconcile"]
    assert "12" in failed[0]["problems_en"][0]
    assert "-11" in failed[0]["problems_en"][0]
