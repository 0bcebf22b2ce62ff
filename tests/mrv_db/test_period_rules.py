"""A calculation stays inside its stored period; verification moves a registered project on."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.auth.rules import SYSTEM_PRINCIPAL, Principal
from jcm.db import Database
from jcm.mrv import periods, workflow
from jcm.mrv.inputs import parse_input
from jcm.mrv.models import Calculation, MonitoringPeriod
from jcm.mrv.periods import InputOutsidePeriod
from jcm.projects import rules
from jcm.projects import service as projects
from jcm.projects.models import Project, StatusEvent
from tests.mrv_db.helpers import (
    CTX,
    STAFF,
    START,
    TPE,
    period_with_calculation,
    pv_upload,
    solar_project,
    tpe,
)


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2024, 1, 2), date(2024, 1, 3)), (date(2023, 12, 31), date(2024, 1, 2))],
)
def test_an_input_period_outside_the_stored_dates_is_refused_naming_both(
    database: Database, start: date, end: date
) -> None:
    with database.write() as s:
        owner = solar_project(s)
        period = periods.create_period(s, CTX, owner, "TH001", start, end)
        content, inputs = pv_upload()  # 2024-01-01 00:00 – 2024-01-04 00:00 UTC
        with pytest.raises(InputOutsidePeriod) as caught:
            periods.store_calculation(
                s, CTX, owner, period.id, filename="pv.csv", content=content, input_json=inputs
            )
        problem = caught.value
        assert "2024-01-01 – 2024-01-03" in problem.message_en
        assert f"{start} – {end}" in problem.message_en
        assert "2024-01-01〜2024-01-03" in problem.message_ja
        assert f"{start}〜{end}" in problem.message_ja
        assert s.scalar(select(Calculation.id)) is None


def test_an_input_period_inside_the_stored_dates_is_accepted(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        period = periods.create_period(s, CTX, owner, "TH001", date(2023, 12, 1), date(2024, 1, 31))
        content, inputs = pv_upload()
        periods.store_calculation(
            s, CTX, owner, period.id, filename="pv.csv", content=content, input_json=inputs
        )
        one_day = parse_input(
            json.loads(inputs)
            | {"monitoring_period": {"start": "2024-01-31T00:00:00", "end": "2024-02-01T00:00:00"}}
        )
        assert periods.input_days(
            one_day.monitoring_period.start, one_day.monitoring_period.end
        ) == (
            date(2024, 1, 31),
            date(2024, 1, 31),
        )


def _registered(s: Session, ref: str = "TH001") -> None:
    """Walk the project along its life cycle up to ``registered``."""
    status = rules.Status(s.scalars(select(Project.status)).one())
    while status is not rules.Status.REGISTERED:
        status = rules.LIFE_CYCLE[rules.LIFE_CYCLE.index(status) + 1]
        projects.transition(s, CTX, SYSTEM_PRINCIPAL, ref, status, "test set-up")


def _verified(s: Session, owner: Principal) -> int:
    verifier = tpe(s)
    pid = period_with_calculation(s, owner)
    workflow.submit(s, CTX, owner, pid)
    workflow.assign(s, CTX, STAFF, pid, TPE)
    claimed = s.get_one(MonitoringPeriod, pid).claimed_er or 0
    workflow.give_opinion(s, CTX, verifier, pid, positive=True, verified_er=claimed)
    return pid


def test_a_verified_period_moves_a_registered_project_to_monitoring(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        _registered(s)
        pid = _verified(s, owner)
        assert s.scalars(select(Project.status)).one() == rules.Status.MONITORING.value
        event = s.scalars(select(StatusEvent).order_by(StatusEvent.id.desc())).first()
        assert event is not None
        assert (event.from_status, event.to_status) == ("registered", "monitoring")
        assert f"#{pid}" in event.reason
        assert f"{START}" in event.reason
        workflow.request_issuance(s, CTX, owner, pid)
        assert s.scalars(select(Project.status)).one() == rules.Status.MONITORING.value
        last = s.scalars(select(StatusEvent.id).order_by(StatusEvent.id.desc())).first()
        assert last == event.id  # the issuance request moved nothing


def test_verification_leaves_a_project_not_yet_registered_alone(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        before = s.scalars(select(Project.status)).one()
        pid = _verified(s, owner)
        workflow.request_issuance(s, CTX, owner, pid)
        assert s.scalars(select(Project.status)).one() == before
