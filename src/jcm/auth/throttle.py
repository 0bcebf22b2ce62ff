"""Sign-in throttling stored in the database: a growing delay per username and per client.

After a few free failures each further failure doubles the wait before the next attempt
(capped), so guessing slows to a crawl while the real user, after the wait, can still sign
in; there is no lock-out. A success clears the username's counter.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from jcm.auth.models import LoginThrottle
from jcm.db import utcnow
from jcm.errors import Throttled

FREE_USER_FAILURES = 5
FREE_CLIENT_FAILURES = 20
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)


class TooManyAttempts(Throttled):
    code = "too_many_attempts"

    def __init__(self, wait_seconds: int) -> None:
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


def check(session: Session, username: str, client: str | None, now: datetime | None = None) -> None:
    """Refuse an attempt made before the wait of either key is over."""
    now = now or utcnow()
    for key, _ in _keys(username, client):
        row = session.get(LoginThrottle, key)
        if row is not None and row.next_allowed_at > now:
            raise TooManyAttempts(int((row.next_allowed_at - now).total_seconds()) + 1)


def failed(
    session: Session, username: str, client: str | None, now: datetime | None = None
) -> None:
    now = now or utcnow()
    for key, free in _keys(username, client):
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now, next_allowed_at=now)
            session.add(row)
        elif now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        row.next_allowed_at = now + delay_after(row.failures, free)
    session.flush()


def succeeded(session: Session, username: str) -> None:
    row = session.get(LoginThrottle, _keys(username, None)[0][0])
    if row is not None:
        session.delete(row)
        session.flush()
