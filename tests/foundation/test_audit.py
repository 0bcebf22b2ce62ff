from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jcm import audit
from jcm.db import Database


def _three_entries(db: Database) -> None:
    with db.write() as s:
        for n in range(3):
            audit.record(s, audit.SYSTEM, "thing.create", "thing", n, after={"n": n})


def test_an_untouched_chain_verifies(database: Database) -> None:
    _three_entries(database)
    with database.read() as s:
        report = audit.verify_chain(s)
    assert report.ok
    assert report.entries == 3


def test_a_changed_row_is_detected(sqlite_database: Database) -> None:
    from tests.conftest import clean

    clean(sqlite_database)
    _three_entries(sqlite_database)
    with sqlite_database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET after = '{\"n\": 99}' WHERE id = 2"))
    with sqlite_database.read() as s:
        report = audit.verify_chain(s)
    assert report.problems == ["entry 2: content does not match its hash"]


def test_a_deleted_row_is_detected(sqlite_database: Database) -> None:
    from tests.conftest import clean

    clean(sqlite_database)
    _three_entries(sqlite_database)
    with sqlite_database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
    with sqlite_database.read() as s:
        report = audit.verify_chain(s)
    assert "entry 3: link to previous entry broken" in report.problems


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log CASCADE"],
)
def test_postgresql_refuses_to_change_the_audit_log(
    postgresql_database: Database, statement: str
) -> None:
    from tests.conftest import clean

    clean(postgresql_database)
    _three_entries(postgresql_database)
    with pytest.raises(DBAPIError, match="append-only"), postgresql_database.engine.begin() as conn:
        conn.execute(text(statement))
