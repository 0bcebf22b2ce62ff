"""Readiness: the database reachable, its schema at the migrations' head, Redis reachable
when one is configured. Each check answers within a couple of seconds."""

from __future__ import annotations

import redis

from jcm.db import Database
from jcm.operations.rules import Problem, Readiness
from jcm.runtime import HEADS, DatabaseNotReady, schema_revisions
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
    database = migrations = None
    try:
        revisions = schema_revisions(db)
    except DatabaseNotReady as exc:
        database = Problem(exc.message_en, exc.message_ja)
    else:
        missing = ", ".join(sorted(HEADS - (revisions or frozenset())))
        if revisions is None:
            migrations = Problem(
                "The database has not been set up: run `jcm db upgrade`.",
                "データベースは未作成です。`jcm db upgrade` を実行してください。",
            )
        elif missing:
            migrations = Problem(
                f"The database is behind the migrations (missing {missing}): run `jcm db upgrade`.",
                f"データベースは最新のマイグレーション（{missing}）が未適用です。"
                "`jcm db upgrade` を実行してください。",
            )
    return Readiness(
        database=database,
        migrations=migrations,
        redis=_redis(settings.redis_url) if settings.redis_url else None,
    )
