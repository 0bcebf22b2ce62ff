"""Composition helpers shared by the CLI and the web app: settings in, database out.

``open_database`` also checks that the database can be reached and that its schema is at the
migrations' head, so that a command or a server started on a new or an old database says so
in one line, in both languages, with the command that fixes it — instead of a traceback from
the first query.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jcm.db import Database
from jcm.errors import JcmError
from jcm.settings import Settings, get_settings

# The newest migration of each feature's branch; tests/foundation/test_cli_database.py
# checks this against the migration scripts.
HEADS = frozenset({"0002", "0004", "0005", "0006", "0010", "0011", "0015"})


class DatabaseNotReady(JcmError):
    code = "database_not_ready"


def _where(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=True)


def schema_revisions(db: Database) -> frozenset[str] | None:
    """The revisions the database is at, or ``None`` when it was never migrated; raises
    ``DatabaseNotReady`` when it cannot be reached."""
    try:
        with db.engine.connect() as conn:
            tables = db.engine.dialect.get_table_names(conn)
            if "alembic_version" not in tables:
                return None
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return frozenset(rows)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0][:200] if exc.orig else type(exc).__name__
        raise DatabaseNotReady(
            f"The database {_where(db)} cannot be reached ({reason}); check JCM_DATABASE_URL "
            "and that the server is running.",
            f"データベース {_where(db)} に接続できません（{reason}）。JCM_DATABASE_URL と"
            "サーバーの起動を確認してください。",
        ) from None


def require_ready(db: Database) -> None:
    revisions = schema_revisions(db)
    if revisions is None:
        raise DatabaseNotReady(
            f"The database {_where(db)} has not been set up: run `jcm db upgrade`.",
            f"データベース {_where(db)} は未作成です。`jcm db upgrade` を実行してください。",
        )
    missing = ", ".join(sorted(HEADS - revisions))
    if missing:
        raise DatabaseNotReady(
            f"The database {_where(db)} is behind the migrations (missing {missing}): "
            "run `jcm db upgrade`.",
            f"データベース {_where(db)} は最新のマイグレーション（{missing}）が未適用です。"
            "`jcm db upgrade` を実行してください。",
        )


def open_database(settings: Settings | None = None, *, check: bool = True) -> Database:
    """The database named by the settings (an SQLite file in the data directory by default),
    checked to be reachable and at the migrations' head unless ``check`` is false."""
    s = settings or get_settings()
    db = Database.from_url(s.resolved_database_url)
    if check:
        require_ready(db)
    return db
