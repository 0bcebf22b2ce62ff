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
   entry appended to the hash chain (``jcm.audit.pg_append_statement``: it locks the
   chain's head, so it comes last, and the head is held only while the same script
   commits), and ``COMMIT``.

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
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, cast

import psycopg
from psycopg import ClientCursor, errors
from psycopg.pq import ExecStatus, TransactionStatus
from psycopg.rows import namedtuple_row
from psycopg.types.json import Json
from sqlalchemy import JSON, Table, bindparam, insert
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert

from jcm import audit
from jcm.audit import Context, JsonText
from jcm.db import Database
from jcm.registry.errors import InsufficientHolding
from jcm.registry.schemas import SpendRequest, TransactionOutcome
from jcm.registry.spend import (
    TX_TABLE,
    Operation,
    accounts_query,
    acct,
    held_blocks_query,
    held_query,
    idempotency_query,
    new_rows,
    outcome_model,
    replay,
    settle,
    transaction_row,
    update_block_statement,
)

ATTEMPTS = 6
STALE_LIMIT = 100
_LITERAL = pg_psycopg.dialect()  # type: ignore[no-untyped-call]
_DOLLAR = pg_psycopg.dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
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
    plain_literals: bool  # UTF-8 and standard-conforming strings: ``literal`` quotes safely
    prepared: set[str] = field(default_factory=set)
    wanted: dict[str, str] = field(default_factory=dict)

    def sql(self, cur: Cursor, st: _Statement, params: dict[str, Any]) -> str:
        values = {**st.defaults, **params}
        if st.name in self.prepared:
            if self.plain_literals:
                json_columns = st.json_columns
                args = ",".join(literal(values[k], as_json=k in json_columns) for k in st.order)
                return f"EXECUTE {st.name}({args})"
            values = _wrap_json(st, values)
            marks = ",".join(["%s"] * len(st.order))
            return cur.mogrify(f"EXECUTE {st.name}({marks})", [values[k] for k in st.order])
        self.wanted[st.name] = st.prepare
        return cur.mogrify(st.literal, _wrap_json(st, values))

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
    request: SpendRequest,
    payload: dict[str, Any],
    digest: str,
) -> TransactionOutcome:
    """Carry out ``request`` once per idempotency key."""
    attempt = stale = 0
    while True:
        attempt += 1
        fairy = db.engine.raw_connection()
        try:
            raw = cast(psycopg.Connection[Any], fairy.driver_connection)
            raw.autocommit = True
            cur: Cursor = ClientCursor(raw, row_factory=namedtuple_row)
            session = _session(fairy.info, raw)
            try:
                return _once(cur, session, ctx, op, request, payload, digest)
            except errors.InvalidSqlStatementName:
                # This connection's statements were deallocated behind our back (psycopg
                # does so when a transaction with its own prepared statements rolls back):
                # forget them, and do not count it as an attempt; each connection of the
                # pool can be found stale at most once.
                _rollback(cur, fairy)
                session.prepared.clear()
                stale += 1
                attempt -= 1
                if stale > STALE_LIMIT:
                    raise
            except (errors.SerializationFailure, errors.DeadlockDetected):
                _rollback(cur, fairy)
                if attempt == ATTEMPTS:
                    raise
                time.sleep(min(0.01 * 2**attempt, 0.5))
            except errors.NotNullViolation as exc:
                _rollback(cur, fairy)
                if attempt == ATTEMPTS or exc.diag.table_name != "audit_log":
                    raise
                _ensure_audit_head(raw)  # a database whose chain has no head yet
            except errors.UniqueViolation as exc:
                _rollback(cur, fairy)
                if attempt == ATTEMPTS or not _idempotency_key_taken(exc):
                    raise
                # a twin committed the same key first: the next attempt replays it
            except psycopg.OperationalError:
                if not (raw.closed or raw.broken):
                    _rollback(cur, fairy)
                    raise
                # The server went away (connections are pinged only after sitting idle):
                # drop this one and rerun. Safe even if the commit had gone through: the
                # rerun finds the key and replays the stored outcome.
                fairy.invalidate()
                stale += 1
                attempt -= 1
                if stale > STALE_LIMIT:
                    raise
            except BaseException:
                _rollback(cur, fairy)
                raise
            finally:
                session.prepare_wanted(raw)
                if not raw.closed and raw.info.transaction_status == TransactionStatus.IDLE:
                    raw.autocommit = False
        finally:
            fairy.close()


def _once(
    cur: Cursor,
    session: _Session,
    ctx: Context,
    op: Operation,
    req: SpendRequest,
    payload: dict[str, Any],
    digest: str,
) -> TransactionOutcome:
    key = req.idempotency_key
    cur.execute(
        ";".join(
            (
                "BEGIN",
                _bind(cur, session, idempotency_query(True), {"key": key}),
                _bind(cur, session, *accounts_query(op, req)),
                _bind(cur, session, *held_blocks_query(req)),
            )
        )
    )
    cur.nextset()
    next_id, first_hash, first_outcome = cast(tuple[int, str | None, Any], cur.fetchone())
    if first_hash is not None:
        _abort(cur.connection)
        return replay(key, digest, first_hash, first_outcome)
    cur.nextset()
    found = {r.number: acct(r) for r in cur.fetchall()}
    cur.nextset()
    rows = cur.fetchall()
    spend = op.decide(found, req)
    settled = settle(rows, int(next_id), op.kind, req, spend)
    if settled is None:
        cur.execute(_bind(cur, session, *held_query(spend, req)))
        held = int(cast(tuple[int], cur.fetchone())[0])
        _abort(cur.connection)
        raise InsufficientHolding(spend.sender.number, req.quantity, held)
    outcome = settled.outcome
    entry, content = audit.prepare(
        ctx, f"registry.{op.kind}", "registry_transaction", next_id, after=outcome, native=True
    )
    outcome_json = JsonText(audit.canonical(outcome))  # serialised once, bound twice
    entry["after"] = outcome_json
    script = [_bind(cur, session, update_block_statement(), values) for values in settled.updates]
    tx_row = transaction_row(ctx, op.kind, payload, digest, spend, settled)
    tx_row["outcome"] = outcome_json
    script.append(_insert(cur, session, TX_TABLE, tx_row))
    for table, values in new_rows(settled):
        script.extend(_insert(cur, session, table, row) for row in values)
    script.append(_bind(cur, session, audit.pg_append_statement(), {**entry, "content": content}))
    script.append("COMMIT")
    cur.execute(";".join(script))
    return outcome_model(outcome)


def literal(value: Any, *, as_json: bool = False) -> str:
    """``value`` as a PostgreSQL literal for a connection that sends UTF-8 and has
    ``standard_conforming_strings`` on (checked per connection): inside '...' only the
    quote itself needs doubling. NUL, which PostgreSQL text cannot hold, is refused."""
    if value is None:
        return "NULL"
    if as_json:
        return _quoted(value if isinstance(value, JsonText) else _dumps(value))
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value) if value >= 0 else f"({value})"
    if kind is str:
        return _quoted(value)
    if kind is datetime:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return _quoted(value.isoformat())
    if kind is date or kind is Decimal:
        return _quoted(str(value))
    raise TypeError(f"no literal for {kind.__name__}")


def _quoted(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text cannot contain NUL (0x00)")
    return "'" + text.replace("'", "''") + "'"


def _wrap_json(st: _Statement, values: dict[str, Any]) -> dict[str, Any]:
    if not st.json_columns:
        return values
    return {
        k: Json(v, dumps=_dumps)
        if k in st.json_columns and v is not None and not isinstance(v, JsonText)
        else v
        for k, v in values.items()
    }


def _bind(cur: Cursor, session: _Session, stmt: ClauseElement, params: dict[str, Any]) -> str:
    return session.sql(cur, _statement(stmt), params)


def _insert(cur: Cursor, session: _Session, table: Table, row: dict[str, Any]) -> str:
    return session.sql(cur, _statement(_insert_stmt(table, tuple(row))), row)


@lru_cache(maxsize=128)
def _statement(stmt: ClauseElement) -> _Statement:
    positional = cast(SQLCompiler, stmt.compile(dialect=_DOLLAR))
    literal = cast(SQLCompiler, stmt.compile(dialect=_LITERAL))
    body = str(positional)
    name = "jcm_" + hashlib.sha256(body.encode()).hexdigest()[:24]
    json_columns = frozenset(
        name for name, bind in literal.binds.items() if isinstance(bind.type, JSON)
    )
    return _Statement(
        name=name,
        prepare=f"PREPARE {name} AS {body}",
        order=tuple(positional.positiontup or ()),
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
        plain = (
            raw.info.encoding == "utf-8"
            and raw.info.parameter_status("standard_conforming_strings") == "on"
        )
        session = info[_PREPARED] = _Session(pid, plain)
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
        _abort(conn)
    except psycopg.Error:
        fairy.invalidate()


def _abort(conn: psycopg.Connection[Any]) -> None:
    """``ROLLBACK`` sent past psycopg's statement cache, which would otherwise answer a
    rollback by deallocating every prepared statement of the connection, ours included."""
    result = conn.pgconn.exec_(b"ROLLBACK")
    if result.status != ExecStatus.COMMAND_OK:
        raise psycopg.OperationalError(
            (conn.pgconn.error_message or b"ROLLBACK failed").decode(errors="replace")
        )


def _idempotency_key_taken(exc: errors.UniqueViolation) -> bool:
    constraint = getattr(exc.diag, "constraint_name", None) or ""
    return "idempotency_key" in constraint


def _ensure_audit_head(raw: psycopg.Connection[Any]) -> None:
    raw.execute(
        "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, NULL, %s)"
        " ON CONFLICT (id) DO NOTHING",
        (audit.GENESIS,),
    )
