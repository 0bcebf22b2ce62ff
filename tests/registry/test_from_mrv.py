"""The registry's verified period taken from a verified MRV period (both databases)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from jcm.audit import verify_chain
from jcm.db import Database
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.registry import service
from jcm.registry.cli import app
from jcm.registry.errors import PeriodNotVerified, RegistryNotFound, VerifiedPeriodConflict
from jcm.registry.from_mrv import record_verified_period_from_mrv
from jcm.registry.models import VerifiedPeriod
from jcm.registry.schemas import IssueRequest
from tests.registry.helpers import CTX, make_world


def _mrv_period(db: Database, ref: str, status: str, verified: int | None) -> int:
    with db.write() as s:
        project_id = s.scalar(select(Project.id).where(Project.ref == ref))
        assert project_id is not None
        p = MonitoringPeriod(
            project_id=project_id,
            start=date(2024, 1, 1),
            end=date(2024, 12, 31),
            status=status,
            verified_er=verified,
        )
        s.add(p)
        s.flush()
        return p.id


@pytest.mark.parametrize("status", ["verified", "issuance_requested"])
def test_a_verified_mrv_period_becomes_the_registrys_verified_period_and_can_be_issued(
    database: Database, status: str
) -> None:
    w = make_world(database)
    mrv_id = _mrv_period(database, w.project_ref, status, 1234)
    with database.write() as s:
        period = record_verified_period_from_mrv(s, CTX, mrv_id, "JC-25", date(2025, 3, 1))
        period_id = period.id
        assert (period.period_start, period.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
        assert period.verified_tco2 == 1234
    with database.write() as s:  # the same request again returns the same row
        again = record_verified_period_from_mrv(s, CTX, mrv_id, "JC-25", date(2025, 3, 1))
        assert again.id == period_id
        assert s.scalar(select(func.count()).select_from(VerifiedPeriod)) == 1
    with database.write() as s, pytest.raises(VerifiedPeriodConflict):
        record_verified_period_from_mrv(s, CTX, mrv_id, "JC-OTHER", date(2025, 3, 1))
    out = service.issue(
        database, CTX, IssueRequest(idempotency_key="i", verified_period_id=period_id, amount=1234)
    )
    assert out.quantity == 1234
    with database.read() as s:
        assert service.verify(s).ok
        assert verify_chain(s).ok


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_a_period_that_is_not_verified_is_refused_in_both_languages(
    database: Database, status: str
) -> None:
    w = make_world(database)
    mrv_id = _mrv_period(database, w.project_ref, status, 50)
    with database.write() as s, pytest.raises(PeriodNotVerified) as err:
        record_verified_period_from_mrv(s, CTX, mrv_id, "JC-1", date(2025, 3, 1))
    assert status in err.value.message("en")
    assert "検証済み" in err.value.message("ja")
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(VerifiedPeriod)) == 0
    with database.write() as s, pytest.raises(RegistryNotFound):
        record_verified_period_from_mrv(s, CTX, 999_999, None, None)


def test_the_cli_records_a_verified_mrv_period(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "JCM_DATABASE_URL", database.engine.url.render_as_string(hide_password=False)
    )
    w = make_world(database)
    ok = _mrv_period(database, w.project_ref, "verified", 700)
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "from-mrv",
            "--mrv-period",
            str(ok),
            "--decision-ref",
            "JC-7",
            "--decision-date",
            "2025-03-01",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["verified_tco2"] == 700
    assert data["jc_decision_ref"] == "JC-7"
    with database.write() as s:
        s.execute(
            update(MonitoringPeriod)
            .where(MonitoringPeriod.id == ok)
            .values(start=date(2023, 1, 1), status="draft")
        )
    res = runner.invoke(app, ["from-mrv", "--mrv-period", str(ok), "--lang", "ja"])
    assert res.exit_code == 2
    assert "検証済み" in res.output


@pytest.mark.parametrize("mrv_id", [0, -1, 2**31, 2**63])
def test_an_mrv_period_id_out_of_range_is_not_found_not_a_database_error(
    database: Database, mrv_id: int
) -> None:
    make_world(database)
    with database.write() as s, pytest.raises(RegistryNotFound) as err:
        record_verified_period_from_mrv(s, CTX, mrv_id, "JC-1", date(2025, 3, 1))
    assert str(mrv_id) in err.value.message("en")


def test_issue_requests_are_strict_and_bounded() -> None:
    from pydantic import ValidationError

    from jcm.registry.schemas import MAX_ID, MAX_TCO2, CancelRequest

    ok = IssueRequest(idempotency_key="k", verified_period_id=MAX_ID, amount=MAX_TCO2)
    assert ok.amount == MAX_TCO2
    for bad in (
        {"verified_period_id": False, "amount": 1},
        {"verified_period_id": 0, "amount": 1},
        {"verified_period_id": MAX_ID + 1, "amount": 1},
        {"verified_period_id": 1, "amount": MAX_TCO2 + 1},
        {"verified_period_id": 1, "amount": True},
        {"verified_period_id": 1, "amount": 1.0},
    ):
        with pytest.raises(ValidationError):
            IssueRequest.model_validate({"idempotency_key": "k", **bad})
    with pytest.raises(ValidationError):
        CancelRequest.model_validate(
            {"idempotency_key": "k", "from_account": "A", "quantity": True}
        )


def test_an_mrv_period_spanning_years_takes_its_reductions_by_year(database: Database) -> None:
    from jcm.errors import ValidationFailed
    from jcm.registry.models import Issuance

    w = make_world(database)
    mrv_id = _mrv_period(database, w.project_ref, "verified", 1000)
    with database.write() as s:
        s.execute(
            update(MonitoringPeriod)
            .where(MonitoringPeriod.id == mrv_id)
            .values(start=date(2023, 7, 1), end=date(2024, 6, 30))
        )
    with database.write() as s, pytest.raises(ValidationFailed) as refused:
        record_verified_period_from_mrv(
            s, CTX, mrv_id, "JC-26", date(2024, 9, 1), {"2023": 100, "2024": 100}
        )
    assert refused.value.field == "reductions_by_year"
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(VerifiedPeriod)) == 0
    by_year = {"2023": 100, "2024": 900}
    with database.write() as s:
        period_id = record_verified_period_from_mrv(
            s, CTX, mrv_id, "JC-26", date(2024, 9, 1), by_year
        ).id
    with database.write() as s, pytest.raises(VerifiedPeriodConflict):  # other figures
        record_verified_period_from_mrv(s, CTX, mrv_id, "JC-26", date(2024, 9, 1), None)
    service.issue(
        database, CTX, IssueRequest(idempotency_key="y", verified_period_id=period_id, amount=1000)
    )
    with database.read() as s:
        rows = s.execute(select(Issuance.vintage, Issuance.amount).order_by(Issuance.vintage)).all()
    assert [tuple(r) for r in rows] == [(2023, 100), (2024, 900)]
