"""The spending write path on PostgreSQL in two round trips.

The statements are the ones ``jcm.registry.spend`` defines in SQLAlchemy Core, compiled
once for PostgreSQL; each request binds them on the client and sends them as two scripts
over the simple query protocol, on a connection in autocommit mode whose transaction the
scripts open and close themselves:

1. ``BEGIN``; the idempotency look-up (which also reserves the transaction id); both
   accounts found and locked in id order; the sender's held blocks selected and locked in
   id order (or serial order for a range).
2. After the checks and the split in Python (``spend.settle``, no I/O): the consumed
   blocks updated, the transaction row, new pieces, movements, Article 6.2 rows, the audit
   entry into ``audit_pending`` (chained at commit by the deferred trigger of migration
   0009), and ``COMMIT``.

Each statement is prepared on the connection (``PREPARE``) the first time it is used there,
after that transaction, and from then on sent as ``EXECUTE name(values)``: the server
plans it once per connection instead of once per request. A statement not yet prepared is
sent in full, with its values bound as literals.

Any refusal, error or replay ends the transaction with ``ROLLBACK``. The lock order is
that of every registry write: accounts by id, then blocks by id, then (at commit) the audit
head. Serialization failures and deadlocks are retried, as ``Database.run`` does; a twin
request that loses the race on the idempotency key is rerun and so replays the winner.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, cast

import psycopg
from psycopg import ClientCursor, errors
from psycopg.pq import TransactionStatus
from psycopg.rows import namedtuple_row
from psycopg.types.json import Json
from sqlalchemy import JSON, Table, bindparam, insert
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import Insert

from jcm import audit
from jcm.audit import Context
from jcm.db import Database
from jcm.registry.errors import InsufficientHolding
from jcm.registry.schemas import TransactionOutcome, _Spend
from jcm.registry.spend import (
    _TX,
    Operation,
    _idempotency,
    _update_block,
    accounts_query,
    acct,
    held_blocks_query,
    held_query,
    new_rows,
    replay,
    settle,
    transaction_row,
)

ATTEMPTS = 6
_LITERAL = pg_psycopg.dialect()  # type: ignore[no-untyped-call]
_DOLLAR = pg_psycopg.dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
_READY = "jcm.audit.at_commit"  # the key ``jcm.audit`` caches the trigger's presence under
_PREPARED = "jcm.registry.prepared"
Cursor = ClientCursor[Any]


@dataclass(frozen=True, slots=True)
class _Statement:
    """One Core statement compiled for PostgreSQL twice: as ``PREPARE name AS ...`` with
    positional parameters, and in full with named parameters for binding as literals."""

    name: str
    prepare: str
    order: tuple[str, ...]
    literal: str
    defaults: dict[str, Any]
    json_columns: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Session:
    """What this connection has prepared (by its server process), and what it should."""

    pid: int
    prepared: set[str] = field(default_factory=set)
    wanted: dict[str, str] = field(default_factory=dict)

    def sql(self, cur: Cursor, st: _Statement, params: dict[str, Any]) -> str:
        values = {**st.defaults, **params}
        if st.json_columns:
            values = {
                k: Json(v, dumps=_dumps) if k in st.json_columns and v is not None else v
                for k, v in values.items()
            }
        if st.name in self.prepared:
            args = ",".join(["%s"] * len(st.order))
            return cur.mogrify(f"EXECUTE {st.name}({args})", [values[k] for k in st.order])
        self.wanted[st.name] = st.prepare
        return cur.mogrify(st.literal, values)

    def prepare_wanted(self, raw: psycopg.Connection[Any]) -> None:
        """Prepare, outside any transaction, the statements sent in full this time."""
        if not self.wanted or raw.closed:
            return
        if raw.info.transaction_status != TransactionStatus.IDLE:
            return
        for name, sql in self.wanted.items():
            try:
                raw.execute(sql, prepare=False)
            except errors.DuplicatePreparedStatement:
                pass  # the name is the hash of the statement: it is the same one
            except psycopg.Error:
                break
            self.prepared.add(name)
        self.wanted.clear()


def run(
    db: Database,
    ctx: Context,
    op: Operation,
    request: _Spend,
    payload: dict[str, Any],
    digest: str,
) -> TransactionOutcome | None:
    """Carry out ``request`` once per idempotency key; ``None`` when this database has no
    audit trigger (not migrated to 0009), and the caller's statement-by-statement path is
    to be used instead."""
    for attempt in range(1, ATTEMPTS + 1):
        fairy = db.engine.raw_connection()
        try:
            raw = cast(psycopg.Connection[Any], fairy.driver_connection)
            if not _appends_at_commit(fairy.info, raw):
                return None
            raw.autocommit = True
            cur: Cursor = ClientCursor(raw, row_factory=namedtuple_row)
            session = _session(fairy.info, raw)
            try:
                return _once(cur, session, ctx, op, request, digest)
            except errors.InvalidSqlStatementName:
                _rollback(cur, fairy)  # prepared statements discarded behind our back
                session.prepared.clear()
                if attempt == ATTEMPTS:
                    raise
            except (errors.SerializationFailure, errors.DeadlockDetected):
                _rollback(cur, fairy)
                if attempt == ATTEMPTS:
                    raise
                time.sleep(min(0.01 * 2**attempt, 0.5))
            except errors.UniqueViolation as exc:
                _rollback(cur, fairy)
                if attempt == ATTEMPTS or not _idempotency_key_taken(exc):
                    raise
                # a twin committed the same key first: the next attempt replays it
            except BaseException:
                _rollback(cur, fairy)
                raise
            finally:
                session.prepare_wanted(raw)
                if not raw.closed and raw.info.transaction_status == TransactionStatus.IDLE:
                    raw.autocommit = False
        finally:
            fairy.close()
    raise AssertionError("unreachable")


def _once(
    cur: Cursor, session: _Session, ctx: Context, op: Operation, req: _Spend, digest: str
) -> TransactionOutcome:
    key = req.idempotency_key
    cur.execute(
        ";".join(
            (
                "BEGIN",
                _bind(cur, session, _idempotency(True), {"key": key}),
                _bind(cur, session, *accounts_query(op, req)),
                _bind(cur, session, *held_blocks_query(req)),
            )
        )
    )
    cur.nextset()
    next_id, first_hash, first_outcome = cast(tuple[int, str | None, Any], cur.fetchone())
    if first_hash is not None:
        cur.execute("ROLLBACK")
        return replay(key, digest, first_hash, first_outcome)
    cur.nextset()
    found = {r.number: acct(r) for r in cur.fetchall()}
    cur.nextset()
    rows = cur.fetchall()
    spend = op.decide(found, req)
    settled = settle(rows, int(next_id), op.kind, req, spend)
    if settled is None:
        cur.execute(_bind(cur, session, *held_query(spend, req)) + ";ROLLBACK")
        held = int(cast(tuple[int], cur.fetchone())[0])
        raise InsufficientHolding(spend.sender.number, req.quantity, held)
    outcome = settled.outcome
    _, entry, content = audit.prepare(
        ctx, f"registry.{op.kind}", "registry_transaction", next_id, after=outcome
    )
    script = [_bind(cur, session, _update_block(), values) for values in settled.updates]
    tx_row = transaction_row(ctx, op.kind, req, digest, spend, settled)
    script.append(_insert(cur, session, _TX, tx_row))
    for table, values in new_rows(settled):
        script.extend(_insert(cur, session, table, row) for row in values)
    script.append(_insert(cur, session, audit.pending_table(), {**entry, "content": content}))
    script.append("COMMIT")
    cur.execute(";".join(script))
    return TransactionOutcome.model_validate(outcome)


def _bind(cur: Cursor, session: _Session, stmt: ClauseElement, params: dict[str, Any]) -> str:
    return session.sql(cur, _statement(stmt), params)


def _insert(cur: Cursor, session: _Session, table: Table, row: dict[str, Any]) -> str:
    return session.sql(cur, _statement(_insert_stmt(table, tuple(row))), row)


@lru_cache(maxsize=128)
def _statement(stmt: ClauseElement) -> _Statement:
    positional = stmt.compile(dialect=_DOLLAR)
    literal = stmt.compile(dialect=_LITERAL)
    body = str(positional)
    name = "jcm_" + hashlib.sha256(body.encode()).hexdigest()[:24]
    json_columns: frozenset[str] = frozenset()
    if isinstance(stmt, Insert):
        table = cast(Table, stmt.table)
        json_columns = frozenset(
            k for k in literal.params if k in table.c and isinstance(table.c[k].type, JSON)
        )
    return _Statement(
        name=name,
        prepare=f"PREPARE {name} AS {body}",
        order=tuple(getattr(positional, "positiontup", None) or ()),
        literal=str(literal),
        defaults=dict(literal.params),
        json_columns=json_columns,
    )


@lru_cache(maxsize=64)
def _insert_stmt(table: Table, columns: tuple[str, ...]) -> Insert:
    return insert(table).values({c: bindparam(c, type_=table.c[c].type) for c in columns})


def _session(info: dict[str, Any], raw: psycopg.Connection[Any]) -> _Session:
    pid = raw.info.backend_pid
    session = info.get(_PREPARED)
    if not isinstance(session, _Session) or session.pid != pid:
        session = info[_PREPARED] = _Session(pid)
    return session


def _rollback(cur: Cursor, fairy: Any) -> None:
    """End an unfinished transaction; a connection that cannot is dropped from the pool."""
    conn = cur.connection
    if conn.closed:
        fairy.invalidate()
        return
    if conn.info.transaction_status == TransactionStatus.IDLE:
        return
    try:
        cur.execute("ROLLBACK")
    except psycopg.Error:
        fairy.invalidate()


def _idempotency_key_taken(exc: errors.UniqueViolation) -> bool:
    constraint = getattr(exc.diag, "constraint_name", None) or ""
    return "idempotency_key" in constraint


def _appends_at_commit(info: dict[str, Any], raw: psycopg.Connection[Any]) -> bool:
    if _READY not in info:
        row = raw.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s)",
            (audit.PENDING_TRIGGER,),
        ).fetchone()
        raw.rollback()
        info[_READY] = bool(row and row[0])
    return bool(info[_READY])
