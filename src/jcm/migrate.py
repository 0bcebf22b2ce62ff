"""Run Alembic programmatically: `jcm db upgrade` and the test suite both come here."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from jcm.errors import Conflict


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("jcm").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class ForeignKeysBroken(Conflict):
    """A migration left rows that refer to nothing (SQLite, checked before its commit)."""

    code = "migration_broke_references"

    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        super().__init__(
            f"The upgrade was undone: it would leave {len(rows)} rows referring to nothing "
            f"(table, row, referred table): {rows[:5]}",
            f"アップグレードを取り消しました。参照先のない行が {len(rows)} 件残るためです"
            f"(表、行、参照先の表): {rows[:5]}",
        )


def upgrade(engine: Engine, revision: str = "heads") -> None:
    _run(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, lambda cfg: command.downgrade(cfg, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run ``step`` in one transaction. On SQLite, foreign keys are off while it runs (a
    migration that rebuilds a table others refer to drops it first: SQLite's own recipe,
    and the pragma has no effect inside a transaction), checked before the commit and on
    again after it."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise ForeignKeysBroken([tuple(r) for r in broken])
        finally:
            if sqlite:
                _pragma(conn, "PRAGMA foreign_keys=ON")


def _pragma(conn: Connection, statement: str) -> None:
    """Run a pragma on the driver's connection outside any transaction (the engine's
    ``begin`` hook would open one around a statement sent through SQLAlchemy)."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()
