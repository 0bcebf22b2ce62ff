"""A verified period spanning calendar years is issued as one vintage per year."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from jcm.db import Database
from jcm.errors import ValidationFailed
from jcm.registry import service
from jcm.registry.models import Block, Issuance
from jcm.registry.schemas import (
    IssueRequest,
    TransferRequest,
    VerifiedPeriodIn,
    parse_reductions_by_year,
)
from tests.registry.helpers import CTX, make_world


def _period(db: Database, ref: str, verified: int, by_year: dict[str, int] | None = None) -> int:
    with db.write() as s:
        return service.record_verified_period(
            s,
            CTX,
            VerifiedPeriodIn(
                project_ref=ref,
                period_start=date(2023, 7, 1),
                period_end=date(2024, 6, 30),
                verified_tco2=verified,
                jc_decision_ref="JC-2024-9",
                jc_decision_date=date(2024, 9, 1),
                reductions_by_year=by_year,
            ),
        ).id


def _issue(db: Database, period: int, amount: int) -> object:
    return service.issue(
        db,
        CTX,
        IssueRequest(idempotency_key=f"v-{period}", verified_period_id=period, amount=amount),
    )


def test_a_period_from_july_to_june_issues_vintages_2023_and_2024(database: Database) -> None:
    w = make_world(database)
    outcome = _issue(database, _period(database, w.project_ref, 1000), 1000)
    with database.read() as s:
        rows = s.execute(
            select(Issuance.vintage, Issuance.amount, Issuance.vintage_basis).order_by(
                Issuance.vintage
            )
        ).all()
        blocks = s.execute(
            select(Issuance.vintage, Block.serial_start, Block.serial_end).join(
                Issuance, Issuance.id == Block.issuance_id
            )
        ).all()
        report = service.verify(s)
    assert [tuple(r) for r in rows] == [(2023, 503, "days"), (2024, 497, "days")]
    by_vintage: dict[int, int] = {}
    for vintage, first, last in blocks:
        by_vintage[vintage] = by_vintage.get(vintage, 0) + last - first + 1
    assert by_vintage == {2023: 503, 2024: 497}
    units = [m.first_unit for m in outcome.moved]  # type: ignore[attr-defined]
    assert any(".2023." in u for u in units)
    assert any(".2024." in u for u in units)
    assert sum(m.quantity for m in outcome.moved) == 1000  # type: ignore[attr-defined]
    assert report.ok, report.problems


def test_reductions_by_year_from_the_verification_decide_the_split(database: Database) -> None:
    w = make_world(database)
    period = _period(database, w.project_ref, 1000, {"2023": 250, "2024": 750})
    _issue(database, period, 1000)
    with database.read() as s:
        rows = s.execute(
            select(Issuance.vintage, Issuance.amount, Issuance.vintage_basis).order_by(
                Issuance.vintage
            )
        ).all()
        issued = s.scalars(select(Issuance).order_by(Issuance.vintage)).all()
        summary = [service_summary(s, i) for i in issued]
    assert [tuple(r) for r in rows] == [(2023, 250, "reductions"), (2024, 750, "reductions")]
    # each vintage's units, split by the allocation (50/20/20/10)
    assert [sum(r["quantity"] for r in x["ranges"]) for x in summary] == [250, 750]
    assert [r["account"] for r in summary[1]["ranges"]] == ["JP-GOV", "ID-GOV", "JP-PP", "ID-PP"]
    # a unit of the later vintage moves on like any other
    out = service.transfer(
        database,
        CTX,
        TransferRequest(
            idempotency_key="t-2024",
            from_account="JP-PP",
            to_account="JP-GOV",
            quantity=150,
            issuance_id=issued[1].id,
        ),
    )
    assert all(".2024." in m.first_unit for m in out.moved)


def service_summary(s: object, issuance: Issuance) -> dict[str, object]:
    from sqlalchemy.orm import Session

    from jcm.registry import public

    assert isinstance(s, Session)
    return public.issuance_summary(s, issuance)


def test_reductions_that_do_not_fit_the_period_are_refused_and_nothing_is_written(
    database: Database,
) -> None:
    w = make_world(database)
    with pytest.raises(ValidationFailed) as refused:
        _period(database, w.project_ref, 1000, {"2023": 600, "2024": 300})
    assert refused.value.field == "reductions_by_year"
    assert "900" in refused.value.message_en
    assert "900" in refused.value.message_ja
    with database.read() as s:
        assert service.verify(s).ok


def test_reductions_by_year_are_typed_as_year_and_tonnes() -> None:
    assert parse_reductions_by_year("2023 600, 2024 400") == {"2023": 600, "2024": 400}
    assert parse_reductions_by_year("2023: 600\n2024: 400") == {"2023": 600, "2024": 400}
    assert parse_reductions_by_year("  ") is None
    with pytest.raises(ValidationFailed) as bad:
        parse_reductions_by_year("2023 six hundred")
    assert bad.value.field == "reductions_by_year"
