"""Logs are JSON lines, and each request's line carries the id the audit log records for
what the request wrote; the id comes back in ``X-Request-Id``."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from jcm import audit
from jcm.audit import AuditEntry
from jcm.auth.rules import Role
from jcm.auth.service import create_user
from jcm.db import Database
from jcm.operations.logs import REQUEST_ID, JsonLines
from tests.web.helpers import client, csrf_of


def test_a_line_is_one_json_object_with_the_request_id() -> None:
    record = logging.LogRecord("jcm.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.status = 200
    token = REQUEST_ID.set("req-42")
    try:
        line = JsonLines().format(record)
    finally:
        REQUEST_ID.reset(token)
    data = json.loads(line)
    assert data["message"] == "GET /x"
    assert data["level"] == "info"
    assert data["request_id"] == "req-42"
    assert data["status"] == 200
    assert "\n" not in line


def test_the_access_line_and_the_audit_entry_share_the_request_id(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with database.write() as s:
        create_user(
            s,
            audit.SYSTEM,
            username="logger",
            password="long-enough-password",
            role=Role.JOINT_COMMITTEE,
        )
    c = client(database)
    token = csrf_of(c.get("/login").text)
    with caplog.at_level(logging.INFO, logger="jcm.access"):
        signed_in = c.post(
            "/login",
            data={"username": "logger", "password": "long-enough-password", "csrf_token": token},
            headers={"X-Request-Id": "trace-0001"},
            follow_redirects=False,
        )
    assert signed_in.status_code == 303
    assert signed_in.headers["x-request-id"] == "trace-0001"
    lines = [r for r in caplog.records if r.name == "jcm.access" and r.request_id == "trace-0001"]  # type: ignore[attr-defined]
    assert len(lines) == 1
    assert lines[0].route == "/login"  # type: ignore[attr-defined]
    assert lines[0].status == 303  # type: ignore[attr-defined]
    with database.read() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "session.start"))
        assert entry is not None
        assert entry.request_id == "trace-0001"


def test_an_id_that_is_not_a_plain_token_is_replaced(database: Database) -> None:
    answered = client(database).get("/healthz", headers={"X-Request-Id": "<script>"})
    given = answered.headers["x-request-id"]
    assert given != "<script>"
    assert len(given) == 32
    assert given.isalnum()
