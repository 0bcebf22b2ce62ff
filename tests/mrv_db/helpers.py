"""Small builders for MRV tests: a bound solar project, its owner, a TPE and PV data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Principal, Role
from jcm.mrv import periods, workflow
from jcm.mrv.demo import pv_input, pv_readings
from jcm.projects.service import create_project
from jcm.reference.service import ensure_organisation
from tests.projects.helpers import project_in

CTX = audit.Context(actor="tester")
OWNER = "Example Solar Co. Ltd."
TPE = "Example Verification Co. Ltd."
STAFF = Principal(2, "secretary", Role.SECRETARIAT, None)
START = date(2024, 1, 1)
DAYS = 3


def solar_project(session: Session, ref: str = "TH001") -> Principal:
    """A TH_AM001 project; returns a participant principal of its owning organisation."""
    project = create_project(session, CTX, SYSTEM_PRINCIPAL, project_in(ref=ref))
    periods.bind_methodology(session, CTX, SYSTEM_PRINCIPAL, ref, "TH_AM001")
    return Principal(1, "owner", Role.PARTICIPANT, project.representative_id)


def tpe(session: Session, name: str = TPE, scope: int = 1) -> Principal:
    org = ensure_organisation(session, name, name, "third_party_entity", "JPN")
    workflow.designate(session, CTX, STAFF, name, scope)
    return Principal(3, "verifier", Role.THIRD_PARTY_ENTITY, org.id)


def stranger(session: Session) -> Principal:
    org = ensure_organisation(session, "Other Co. Ltd.", "他社", "company", "JPN")
    return Principal(4, "stranger", Role.PARTICIPANT, org.id)


def pv_upload() -> tuple[bytes, str]:
    """A CSV of three days of 15-minute readings of two PV meters, and its INPUT JSON."""
    frame = (
        pv_readings(2, START, DAYS)
        .collect()
        .with_columns(timestamp=pl.col("timestamp").dt.strftime("%Y-%m-%dT%H:%M:%S%:z"))
    )
    inputs: dict[str, Any] = pv_input(2, START, DAYS)
    return frame.write_csv().encode(), json.dumps(inputs)


def period_with_calculation(session: Session, owner: Principal) -> int:
    period = periods.create_period(session, CTX, owner, "TH001", START, date(2024, 1, 3))
    content, inputs = pv_upload()
    periods.store_calculation(
        session, CTX, owner, period.id, filename="pv.csv", content=content, input_json=inputs
    )
    return period.id
