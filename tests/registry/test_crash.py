"""An issuance killed mid-transaction leaves nothing behind; the resubmission issues once."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from jcm.db import Database
from jcm.registry import service
from jcm.registry.models import Block, Issuance, Movement
from jcm.registry.schemas import IssueRequest
from tests.registry.helpers import CTX, add_period, make_world

CHILD = """
import os, signal, sys
import jcm.registry.issuance as issuance
from jcm.audit import Context
from jcm.db import Database
from jcm.registry.schemas import IssueRequest

url, key, period, amount, when = sys.argv[1:6]
original = issuance._write_blocks

def write_then_die(*args, **kwargs):
    out = original(*args, **kwargs)
    if when == "before_commit":
        os.kill(os.getpid(), signal.SIGKILL)
    return out

issuance._write_blocks = write_then_die
db = Database.from_url(url)
issuance.issue(db, Context(actor="crash"), IssueRequest(
    idempotency_key=key, verified_period_id=int(period), amount=int(amount)))
os.kill(os.getpid(), signal.SIGKILL)  # committed, but the caller never hears back
"""


def _child(db: Database, key: str, period: int, when: str) -> int:
    url = db.engine.url.render_as_string(hide_password=False)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, url, key, str(period), "90", when],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return proc.returncode


def _counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count(Issuance.id))) or 0,
            s.scalar(select(func.count(Block.id))) or 0,
            s.scalar(select(func.count(Movement.id))) or 0,
        )


@pytest.mark.parametrize("when", ["before_commit", "after_commit"])
def test_a_killed_issuance_resubmitted_with_its_key_issues_exactly_once(
    database: Database, when: str
) -> None:
    w = make_world(database)
    period = add_period(database, w.project_ref, 2023, 100)
    assert _child(database, "crash-1", period, when) == -signal.SIGKILL
    expected_before = (0, 0, 0) if when == "before_commit" else (1, 4, 4)
    assert _counts(database) == expected_before

    out = service.issue(
        database, CTX, IssueRequest(idempotency_key="crash-1", verified_period_id=period, amount=90)
    )
    assert out.replayed == (when == "after_commit")
    assert out.quantity == 90
    assert _counts(database) == (1, 4, 4)
    with database.read() as s:
        report = service.verify(s)
    assert report.ok, report.problems
