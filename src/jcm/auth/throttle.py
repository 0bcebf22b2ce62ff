"""Throttling stored in the database, so every server worker sees the same counters: a
growing delay per username and per client for sign-in, and per user and operation for every
other second-factor check (approval codes, password changes, re-authentication).

After a few free failures each further failure doubles the wait before the next attempt
(capped), so guessing slows to a crawl while the real user, after the wait, can still sign
in; there is no lock-out. A success clears the user's counter for that operation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, case, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from jcm.auth.models import LoginThrottle
from jcm.db import utcnow
from jcm.errors import Throttled

FREE_USER_FAILURES = 5
FREE_CLIENT_FAILURES = 20
FREE_CODE_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)
_TABLE = cast(Table, LoginThrottle.__table__)
FORGET_AFTER = timedelta(hours=24)


class TooManyAttempts(Throttled):
    code = "too_many_attempts"

    def __init__(self, wait_seconds: int, *, codes: bool = False) -> None:
        if codes:
            super().__init__(
                f"Too many wrong codes or passwords; try again in {wait_seconds} seconds.",
                f"コードまたはパスワードの誤りが多すぎます。{wait_seconds}秒後にもう一度お試しください。",
                field="totp_code",
            )
        else:
            super().__init__(
                f"Too many failed sign-ins; try again in {wait_seconds} seconds.",
                f"ログインの失敗が多すぎます。{wait_seconds}秒後にもう一度お試しください。",
            )
        self.wait_seconds = wait_seconds


def delay_after(failures: int, free: int) -> timedelta:
    """The wait after ``failures`` consecutive failures: none, then 1 s, 2 s, 4 s … capped."""
    if failures <= free:
        return timedelta(0)
    return min(MAX_DELAY, timedelta(seconds=2 ** min(failures - free - 1, 20)))


def _keys(username: str, client: str | None) -> list[tuple[str, int]]:
    keys = [(f"user:{username.strip().lower()[:60]}", FREE_USER_FAILURES)]
    if client:
        keys.append((f"client:{client[:64]}", FREE_CLIENT_FAILURES))
    return keys


def _insert(session: Session) -> Any:
    return (sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert)(_TABLE)


def _wait(session: Session, key: str, now: datetime) -> int | None:
    """The seconds to wait before an attempt on ``key``, or None. The key's row is made if
    missing and stays locked until the attempt's transaction ends, so attempts on one key
    made at the same moment (on any server worker) are judged one after the other, each
    seeing the failures of those before it."""
    session.execute(
        _insert(session)
        .values(key=key, failures=0, last_failure_at=now, next_allowed_at=now)
        .on_conflict_do_nothing(index_elements=[_TABLE.c.key])
    )
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    if row is not None and row.next_allowed_at > now:
        return int((row.next_allowed_at - now).total_seconds()) + 1
    return None


def _fail(session: Session, key: str, free: int, now: datetime) -> int:
    """Count one failure in the database itself (an upsert that adds one to the stored
    count), so concurrent failures on several workers are all counted and the first two for
    a new key never collide."""
    session.flush()
    table = _TABLE
    insert = _insert(session)
    stale = table.c.last_failure_at < now - FORGET_AFTER
    failures = session.execute(
        insert.values(key=key, failures=1, last_failure_at=now, next_allowed_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "last_failure_at": now,
            },
        )
        .returning(table.c.failures)
    ).scalar_one()
    session.execute(
        update(table)
        .where(table.c.key == key)
        .values(next_allowed_at=now + delay_after(failures, free))
    )
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.expire(row)
    return int(failures)


def _clear(session: Session, key: str, *, only_unused: bool = False) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None and not (only_unused and row.failures):
        session.delete(row)
        session.flush()


def check(session: Session, username: str, client: str | None, now: datetime | None = None) -> None:
    """Refuse an attempt made before the wait of either key is over."""
    now = now or utcnow()
    for key, _ in _keys(username, client):
        wait = _wait(session, key, now)
        if wait is not None:
            raise TooManyAttempts(wait)


def failed(
    session: Session, username: str, client: str | None, now: datetime | None = None
) -> None:
    now = now or utcnow()
    for key, free in _keys(username, client):
        _fail(session, key, free, now)
    session.flush()


def succeeded(session: Session, username: str, client: str | None = None) -> None:
    """Clear the user's failures; the client's row goes only if it has none (a client that
    failed on other usernames stays slowed)."""
    keys = _keys(username, client)
    _clear(session, keys[0][0])
    for key, _ in keys[1:]:
        _clear(session, key, only_unused=True)


def code_key(user_id: int, operation: str) -> str:
    return f"code:{operation[:40]}:user:{user_id}"


def check_code(session: Session, user_id: int, operation: str, now: datetime | None = None) -> None:
    """Refuse a second-factor check of ``operation`` made before the user's wait is over."""
    wait = _wait(session, code_key(user_id, operation), now or utcnow())
    if wait is not None:
        raise TooManyAttempts(wait, codes=True)


def code_failed(session: Session, user_id: int, operation: str, now: datetime | None = None) -> int:
    """Count a wrong code (or password) for ``operation``; returns the consecutive failures."""
    failures = _fail(session, code_key(user_id, operation), FREE_CODE_FAILURES, now or utcnow())
    session.flush()
    return failures


def code_succeeded(session: Session, user_id: int, operation: str) -> None:
    _clear(session, code_key(user_id, operation))
