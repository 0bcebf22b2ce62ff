"""Readiness: the database reachable, its schema at the migrations' head, Redis reachable
when one is configured. Each check answers within a couple of seconds."""

from __future__ import annotations

import redis

from jcm.db import Database
from jcm.operations.rules import Problem, Readiness
from jcm.runtime import DatabaseNotReady, require_ready, schema_revisions
from jcm.settings import Settings

REDIS_TIMEOUT_S = 2.0


def _redis(url: str) -> Problem | None:
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
        )
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        reason = str(exc).strip()[:200] or type(exc).__name__
        return Problem(
            f"Redis cannot be reached ({reason}); check JCM_REDIS_URL and that it is running.",
            f"Redis に接続できません（{reason}）。JCM_REDIS_URL と起動状態を確認してください。",
        )
    return None


def readiness(db: Database, settings: Settings) -> Readiness:
    """The runtime's own checks (the same words ``jcm`` prints), sorted into the part that
    is wrong: the database cannot be reached, or its schema is not at the head."""
    database = migrations = None
    try:
        schema_revisions(db)
    except DatabaseNotReady as exc:
        database = Problem(exc.message_en, exc.message_ja)
    else:
        try:
            require_ready(db)
        except DatabaseNotReady as exc:
            migrations = Problem(exc.message_en, exc.message_ja)
    return Readiness(
        database=database,
        migrations=migrations,
        redis=_redis(settings.redis_url) if settings.redis_url else None,
    )
