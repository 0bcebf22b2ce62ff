from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jcm.db import Database
from jcm.errors import IllegalTransition, NotAuthenticated, PermissionDenied
from jcm.mrv import service, workflow
from jcm.mrv.models import PeriodEvent
from jcm.mrv.workflow import FindingKind, PeriodStatus
from tests.mrv_db.helpers import (
    CTX,
    STAFF,
    TPE,
    period_with_calculation,
    solar_project,
    stranger,
    tpe,
)


def test_the_full_walk_from_submission_to_issuance_request(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        verifier = tpe(s)
        pid = period_with_calculation(s, owner)
        claimed = service.period_detail(s, pid)["claimed_er_tco2"]
        workflow.submit(s, CTX, owner, pid)
        workflow.assign(s, CTX, STAFF, pid, TPE)
        car = workflow.raise_finding(s, CTX, verifier, pid, FindingKind.CAR, "Meter photo?")
        with pytest.raises(workflow.OpenFindings):
            workflow.give_opinion(s, CTX, verifier, pid, positive=True, verified_er=claimed)
        workflow.answer_finding(s, CTX, owner, car.id, "Attached.")
        workflow.close_finding(s, CTX, verifier, car.id)
        workflow.give_opinion(s, CTX, verifier, pid, positive=True, verified_er=claimed - 1)
        assert [v.verified_er for v in service.verified_periods(s)] == [claimed - 1]
        workflow.request_issuance(s, CTX, owner, pid)
        assert service.verified_amount(s, pid) == claimed - 1
        steps = s.scalars(select(PeriodEvent.step).order_by(PeriodEvent.id)).all()
        assert steps == [
            "create",
            "submit",
            "assign",
            "finding",
            "answer",
            "close_finding",
            "opinion",
            "issuance_request",
        ]
        assert service.period_detail(s, pid)["status"] == PeriodStatus.ISSUANCE_REQUESTED


def test_a_verified_reduction_above_the_claim_is_refused(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        verifier = tpe(s)
        pid = period_with_calculation(s, owner)
        workflow.submit(s, CTX, owner, pid)
        workflow.assign(s, CTX, STAFF, pid, TPE)
        claimed = service.period_detail(s, pid)["claimed_er_tco2"]
        with pytest.raises(workflow.VerifiedAboveClaim):
            workflow.give_opinion(s, CTX, verifier, pid, positive=True, verified_er=claimed + 1)


def test_each_step_is_refused_to_the_wrong_role_or_organisation(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        verifier = tpe(s)
        other_tpe = tpe(s, "Other Verifier Inc.")
        other = stranger(s)
        pid = period_with_calculation(s, owner)
        with pytest.raises(PermissionDenied):
            workflow.submit(s, CTX, other, pid)
        with pytest.raises(NotAuthenticated):
            workflow.submit(s, CTX, None, pid)
        workflow.submit(s, CTX, owner, pid)
        with pytest.raises(PermissionDenied):
            workflow.assign(s, CTX, owner, pid, TPE)
        with pytest.raises(PermissionDenied):
            workflow.assign(s, CTX, verifier, pid, TPE)
        workflow.assign(s, CTX, STAFF, pid, TPE)
        with pytest.raises(PermissionDenied):
            workflow.raise_finding(s, CTX, other_tpe, pid, FindingKind.CL, "?")
        with pytest.raises(PermissionDenied):
            workflow.raise_finding(s, CTX, owner, pid, FindingKind.CL, "?")
        finding = workflow.raise_finding(s, CTX, verifier, pid, FindingKind.CL, "Why?")
        with pytest.raises(PermissionDenied):
            workflow.answer_finding(s, CTX, other, finding.id, "No.")
        with pytest.raises(PermissionDenied):
            workflow.close_finding(s, CTX, owner, finding.id)
        with pytest.raises(PermissionDenied):
            workflow.give_opinion(s, CTX, STAFF, pid, positive=True, verified_er=1)
        with pytest.raises(IllegalTransition):
            workflow.request_issuance(s, CTX, owner, pid)


def test_only_a_designated_tpe_can_be_assigned(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        tpe(s, "Demand Side Verifier", scope=3)
        pid = period_with_calculation(s, owner)
        workflow.submit(s, CTX, owner, pid)
        with pytest.raises(workflow.TpeNotDesignated):
            workflow.assign(s, CTX, STAFF, pid, "Demand Side Verifier")


def test_a_negative_opinion_rejects_the_period_with_nothing_to_issue(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        verifier = tpe(s)
        pid = period_with_calculation(s, owner)
        workflow.submit(s, CTX, owner, pid)
        workflow.assign(s, CTX, STAFF, pid, TPE)
        workflow.give_opinion(s, CTX, verifier, pid, positive=False, verified_er=0, text="No.")
        assert service.verified_periods(s) == []
        assert s.scalar(select(func.count(PeriodEvent.id))) == 4
        with pytest.raises(IllegalTransition):
            workflow.request_issuance(s, CTX, STAFF, pid)
