"""Each role's list of what waits for it in monitoring and verification."""

from __future__ import annotations

from sqlalchemy import select

from jcm.auth.models import User
from jcm.auth.rules import Principal, Role
from jcm.db import Database
from jcm.demo import load_demo
from jcm.mrv.demo_load import load_mrv_demo
from jcm.mrv.worklist import ANSWER, ASSIGN, REQUEST, VERIFY, waiting_for


def _principal(db: Database, username: str) -> Principal:
    with db.read() as s:
        u = s.scalar(select(User).where(User.username == username))
        assert u is not None
        return Principal(u.id, u.username, Role(u.role), u.organisation_id)


def test_each_role_sees_its_next_steps(database: Database) -> None:
    with database.write() as s:
        load_demo(s)
        load_mrv_demo(s)
    with database.read() as s:
        tpe = waiting_for(s, _principal(database, "verifier"))
        holder = waiting_for(s, _principal(database, "aaic"))
        staff = waiting_for(s, _principal(database, "secretariat"))
        jc = waiting_for(s, _principal(database, "jc-member"))
        nobody = waiting_for(s, None)
    assert [(w.project, str(w.start), w.step, w.open_findings) for w in tpe] == [
        ("KE101", "2024-03-02", VERIFY, 1),
        ("PH102", "2024-06-01", VERIFY, 1),
    ]
    # aaic represents KE101 only: February verified, March with a finding; January already
    # requested and April submitted wait for others
    assert [(str(w.start), w.step) for w in holder] == [
        ("2024-02-01", REQUEST),
        ("2024-03-02", ANSWER),
    ]
    assert [(w.project, w.step) for w in staff] == [("KE101", ASSIGN)]
    assert jc == []
    assert nobody == []
