"""Demonstration MRV records: bound deck projects, a designated TPE and stored calculations
on months of synthetic hourly data, a period in every state of verification. Illustrative.

KE101 (the demo participant ``aaic``'s PV project, verified by the demo ``verifier``'s TPE):
January 2024 verified with its issuance requested (in the secretariat's issuance queue),
February verified (the participant may request issuance), March under verification with an
open finding for the participant to answer, April submitted and waiting for a verifier.
TH103: January 2024 verified; PH102: June 2024 under verification with an open finding,
July rejected; TH104: a draft whose data has QA problems."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Principal, Role
from jcm.demo import TPE_NAME, TPE_NAME_JA
from jcm.mrv import periods, workflow
from jcm.mrv.demo import hydro_readings, pv_input, pv_readings, qa_problem_dataset
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.reference.service import ensure_organisation

BINDINGS = {
    "TH103": "TH_AM001:1.0",
    "TH104": "TH_AM001:1.0",
    "TH105": "TH_AM001:1.0",
    "PH102": "PH_AM001:1.0",
    "VN103": "VN_AM007:1.0",
    "KE101": "KE_AM002:1.0",
}
MONTH = 30


def _csv(frame: pl.DataFrame) -> bytes:
    if frame.schema["timestamp"] != pl.String:
        frame = frame.with_columns(
            timestamp=pl.col("timestamp").dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
        )
    return frame.write_csv().encode()


def _pv_month(
    start: date, ref: str = "TH103", country: str = "THA", timezone: str = "Asia/Bangkok"
) -> tuple[bytes, dict[str, Any]]:
    frame = pv_readings(1, start, MONTH, interval_minutes=60, capacity_kw=4300.0, seed=3)
    inputs = pv_input(1, start, MONTH, interval_minutes=60, capacity_kw=4300.0, timezone=timezone)
    inputs["project_id"] = ref
    inputs["emission_factor"]["country"] = country
    return _csv(frame.collect()), inputs


def _ke_month(start: date) -> tuple[bytes, dict[str, Any]]:
    return _pv_month(start, "KE101", "KEN", "Africa/Nairobi")


def _hydro_month(start: date) -> tuple[bytes, dict[str, Any]]:
    frame = hydro_readings(MONTH, start, capacity_kw=14500.0, seed=7)
    end = start + timedelta(days=MONTH)
    inputs = {
        "project_id": "PH102",
        "monitoring_period": {"start": f"{start}T00:00:00+00:00", "end": f"{end}T00:00:00+00:00"},
        "timezone": "Asia/Manila",
        "parameters": {"EF": {"value": "0.533", "unit": "tCO2/MWh"}},
        "points": [
            {"id": "HY-1", "parameter": "EG", "interval_minutes": 60, "capacity_kw": "16000"}
        ],
    }
    return _csv(frame), inputs


def _period(
    session: Session, ctx: audit.Context, ref: str, start: date, data: tuple[bytes, dict[str, Any]]
) -> int:
    end = start + timedelta(days=MONTH - 1)
    period = periods.create_period(session, ctx, SYSTEM_PRINCIPAL, ref, start, end)
    content, inputs = data
    periods.store_calculation(
        session,
        ctx,
        SYSTEM_PRINCIPAL,
        period.id,
        filename=f"{ref.lower()}-{start:%Y-%m}.csv",
        content=content,
        input_json=json.dumps(inputs),
    )
    return period.id


def load_mrv_demo(session: Session, ctx: audit.Context = audit.SYSTEM) -> int:
    """Load the MRV demonstration once; returns the number of periods created."""
    if session.scalar(select(MonitoringPeriod.id).limit(1)) is not None:
        return 0
    refs = set(session.scalars(select(Project.ref).where(Project.ref.in_(BINDINGS))))
    for ref in sorted(refs):
        periods.bind_methodology(session, ctx, SYSTEM_PRINCIPAL, ref, BINDINGS[ref])
    org = ensure_organisation(session, TPE_NAME, TPE_NAME_JA, "third_party_entity", "JPN")
    workflow.designate(session, ctx, SYSTEM_PRINCIPAL, TPE_NAME, 1)
    verifier = Principal(0, "demo-tpe", Role.THIRD_PARTY_ENTITY, org.id)
    created = 0
    if "KE101" in refs:
        created += _kenya(session, ctx, verifier)
    if "TH103" in refs:
        pid = _period(session, ctx, "TH103", date(2024, 1, 1), _pv_month(date(2024, 1, 1)))
        workflow.submit(session, ctx, SYSTEM_PRINCIPAL, pid)
        workflow.assign(session, ctx, SYSTEM_PRINCIPAL, pid, TPE_NAME)
        claimed = session.get_one(MonitoringPeriod, pid).claimed_er or 0
        workflow.give_opinion(
            session, ctx, verifier, pid, positive=True, verified_er=claimed, text="No findings."
        )
        created += 1
    if "PH102" in refs:
        pid = _period(session, ctx, "PH102", date(2024, 6, 1), _hydro_month(date(2024, 6, 1)))
        workflow.submit(session, ctx, SYSTEM_PRINCIPAL, pid)
        workflow.assign(session, ctx, SYSTEM_PRINCIPAL, pid, TPE_NAME)
        workflow.raise_finding(
            session,
            ctx,
            verifier,
            pid,
            workflow.FindingKind.CAR,
            "Provide the calibration certificate of meter HY-1 for June 2024.",
        )
        created += 1
        pid = _period(session, ctx, "PH102", date(2024, 7, 1), _hydro_month(date(2024, 7, 1)))
        workflow.submit(session, ctx, SYSTEM_PRINCIPAL, pid)
        workflow.assign(session, ctx, SYSTEM_PRINCIPAL, pid, TPE_NAME)
        workflow.give_opinion(
            session,
            ctx,
            verifier,
            pid,
            positive=False,
            verified_er=0,
            text="Meter HY-1 was not calibrated during July 2024.",
        )
        created += 1
    if "TH104" in refs:
        frame, inputs = qa_problem_dataset(seed=1)
        inputs["project_id"] = "TH104"
        period = periods.create_period(
            session, ctx, SYSTEM_PRINCIPAL, "TH104", date(2024, 3, 1), date(2024, 3, 1)
        )
        periods.store_calculation(
            session,
            ctx,
            SYSTEM_PRINCIPAL,
            period.id,
            filename="th104-2024-03-01.csv",
            content=_csv(frame),
            input_json=json.dumps(inputs),
        )
        created += 1
    return created


def _kenya(session: Session, ctx: audit.Context, verifier: Principal) -> int:
    """The participant's periods, one in each state its journey needs."""
    jan = _period(session, ctx, "KE101", date(2024, 1, 1), _ke_month(date(2024, 1, 1)))
    feb = _period(session, ctx, "KE101", date(2024, 2, 1), _ke_month(date(2024, 2, 1)))
    mar = _period(session, ctx, "KE101", date(2024, 3, 2), _ke_month(date(2024, 3, 2)))
    apr = _period(session, ctx, "KE101", date(2024, 4, 1), _ke_month(date(2024, 4, 1)))
    for pid in (jan, feb, mar, apr):
        workflow.submit(session, ctx, SYSTEM_PRINCIPAL, pid)
    for pid in (jan, feb, mar):
        workflow.assign(session, ctx, SYSTEM_PRINCIPAL, pid, TPE_NAME)
    for pid in (jan, feb):
        claimed = session.get_one(MonitoringPeriod, pid).claimed_er or 0
        workflow.give_opinion(
            session, ctx, verifier, pid, positive=True, verified_er=claimed, text="No findings."
        )
    workflow.request_issuance(session, ctx, SYSTEM_PRINCIPAL, jan)
    workflow.raise_finding(
        session,
        ctx,
        verifier,
        mar,
        workflow.FindingKind.CL,
        "Provide the calibration certificate of meter PV-0000 valid in March 2024.",
    )
    return 4
