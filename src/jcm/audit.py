"""Append-only, hash-chained log of every write, appended in the writer's transaction.

Each entry's hash covers its content and the previous entry's hash, so changing,
deleting or inserting any row breaks the chain from that row on. Appends are serialised
by locking the single ``audit_head`` row (SQLite writers are already serialised).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from jcm.db import Base, UtcDateTime, utcnow

GENESIS = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity: Mapped[str] = mapped_column(String(80), index=True)
    entity_id: Mapped[str] = mapped_column(String(120), index=True)
    before: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    after: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    client: Mapped[str | None] = mapped_column(String(64), nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row: the id and hash of the newest entry, locked by each appender."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int | None] = mapped_column(ForeignKey("audit_log.id"), nullable=True)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


@dataclass(frozen=True)
class Context:
    """Who is writing, from where: carried from the edge into every service call."""

    actor: str = "system"
    user_id: int | None = None
    request_id: str | None = None
    client: str | None = None


SYSTEM = Context()


class JsonText(str):
    """Text that already is JSON (e.g. ``canonical(value)``): bound to a JSON column as is."""


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text as is."""
    return _canonical(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    return _sha(prev_hash + _canonical(fields))


def _fields(e: AuditEntry) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(timespec="microseconds"),
        "actor": e.actor,
        "action": e.action,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "before": e.before,
        "after": e.after,
        "request_id": e.request_id,
        "client": e.client,
    }


def prepare(
    ctx: Context,
    action: str,
    entity: str,
    entity_id: object,
    *,
    before: Any = None,
    after: Any = None,
    native: bool = False,
) -> tuple[dict[str, Any], str]:
    """An entry's column values and the canonical JSON its hash covers; nothing is written.
    ``record`` appends it; a writer that talks to PostgreSQL directly binds both to
    ``pg_append_statement``. ``native``: ``before`` and ``after`` are made of JSON types
    only (dict, list, str, int, bool, None), so they need no normalising round trip."""
    values: dict[str, Any] = {
        "at": utcnow(),
        "actor": ctx.actor,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "before": before if native or before is None else json.loads(_canonical(before)),
        "after": after if native or after is None else json.loads(_canonical(after)),
        "request_id": ctx.request_id,
        "client": ctx.client,
    }
    fields = {**values, "at": values["at"].isoformat(timespec="microseconds")}
    return values, _canonical(fields)


def record(
    session: Session,
    ctx: Context,
    action: str,
    entity: str,
    entity_id: object,
    *,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction.

    Everything that does not depend on the previous entry (the content and its canonical
    JSON) is prepared first; the head row is locked last and held only for the append itself.
    On PostgreSQL (migration 0009) the entry is chained by a deferred trigger while the
    transaction commits, so the head is locked only for the commit itself; without that
    trigger, lock, hash, insert and head update are one statement. The returned entry carries
    the content; its id and hash are set when they are known here.
    """
    values, content = prepare(ctx, action, entity, entity_id, before=before, after=after)
    entry = AuditEntry(**values)
    session.flush()  # the caller's pending rows go out before the head is locked
    conn = session.connection()
    if conn.dialect.name == "postgresql" and _appends_at_commit(conn):
        # chained by the deferred trigger while this transaction commits (migration 0009)
        conn.execute(insert(_PENDING).values(**values, content=content))
        return entry
    if conn.dialect.name == "postgresql":
        row = conn.execute(_pg_append(), {**values, "content": content}).first()
        if row is not None:  # no row: there is no head yet, and nothing was appended
            entry.id, entry.prev_hash, entry.hash = row
            return entry
    prev = conn.execute(
        select(AuditHead.last_hash).where(AuditHead.id == 1).with_for_update()
    ).scalar()
    if prev is None:
        conn.execute(insert(AuditHead).values(id=1, last_id=None, last_hash=GENESIS))
        prev = GENESIS
    entry.prev_hash = prev
    entry.hash = _sha(prev + content)
    entry.id = conn.execute(
        insert(AuditEntry)
        .values(**values, prev_hash=entry.prev_hash, hash=entry.hash)
        .returning(AuditEntry.id)
    ).scalar_one()
    conn.execute(
        update(AuditHead).where(AuditHead.id == 1).values(last_id=entry.id, last_hash=entry.hash)
    )
    return entry


_PENDING = Table(
    "audit_pending",
    MetaData(),  # PostgreSQL only, created by migration 0009; not part of the models
    Column("id", BigInteger, primary_key=True),
    Column("at", UtcDateTime()),
    Column("actor", String(120)),
    Column("action", String(80)),
    Column("entity", String(80)),
    Column("entity_id", String(120)),
    Column("before", JSON),
    Column("after", JSON),
    Column("request_id", String(64)),
    Column("client", String(64)),
    Column("content", Text),
)


PENDING_TRIGGER = "jcm_audit_pending_append"


def _appends_at_commit(conn: Connection) -> bool:
    """Whether this PostgreSQL database chains entries at commit (its trigger exists)."""
    info = conn.connection.info
    if "jcm.audit.at_commit" not in info:
        info["jcm.audit.at_commit"] = bool(
            conn.execute(
                select(literal(1)).where(
                    text("EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = :t)").bindparams(
                        t=PENDING_TRIGGER
                    )
                )
            ).scalar()
        )
    return bool(info["jcm.audit.at_commit"])


_CONTENT_COLUMNS = (
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "request_id",
    "client",
)


def _sha(text_: str) -> str:
    return hashlib.sha256(text_.encode()).hexdigest()


@lru_cache(maxsize=1)
def _pg_append() -> Any:
    """Lock the head, append the entry hashed over (previous hash + content), move the head.

    The hash is SHA-256 over the UTF-8 of the previous hash followed by the canonical JSON
    prepared in Python, exactly what ``entry_hash`` computes and ``verify_chain`` checks.
    Returns no row when the head does not exist yet (the first entry ever).
    """
    head = (
        select(AuditHead.last_hash.label("prev"))
        .where(AuditHead.id == 1)
        .with_for_update()
        .cte("head")
    )
    new_hash = func.encode(
        func.sha256(func.convert_to(head.c.prev + bindparam("content", type_=String), "UTF8")),
        "hex",
    )
    cols = [AuditEntry.__table__.c[c] for c in _CONTENT_COLUMNS]
    params = [bindparam(c, type_=AuditEntry.__table__.c[c].type) for c in _CONTENT_COLUMNS]
    appended = (
        insert(AuditEntry)
        .from_select(
            [*cols, AuditEntry.prev_hash, AuditEntry.hash],
            select(*params, head.c.prev, new_hash),
        )
        .returning(AuditEntry.id, AuditEntry.prev_hash, AuditEntry.hash)
        .cte("appended")
    )
    return (
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(
            last_id=select(appended.c.id).scalar_subquery(),
            last_hash=select(appended.c.hash).scalar_subquery(),
        )
        .returning(
            AuditHead.last_id, select(appended.c.prev_hash).scalar_subquery(), AuditHead.last_hash
        )
    )


@lru_cache(maxsize=1)
def pg_append_statement() -> Any:
    """One statement that appends an entry (values and ``content`` from ``prepare``) to the
    chain on PostgreSQL: lock the head, insert the entry hashed over (previous hash +
    content), move the head. Sent last before ``COMMIT`` in the same script, it holds the
    head only for the commit, as the deferred trigger does. Without a head row the
    previous hash is NULL and the insert fails (``audit_log.prev_hash`` is NOT NULL):
    nothing is ever appended off the chain."""
    head = (
        select(AuditHead.last_hash.label("prev"))
        .where(AuditHead.id == 1)
        .with_for_update()
        .cte("head")
    )
    # The head is joined (not read by a sub-select) so that its lock is taken before the
    # entry's id is drawn: ids then follow the chain's order.
    one = select(literal(1).label("one")).cte("one")
    new_hash = func.encode(
        func.sha256(func.convert_to(head.c.prev + bindparam("content", type_=String), "UTF8")),
        "hex",
    )
    cols = [AuditEntry.__table__.c[c] for c in _CONTENT_COLUMNS]
    params = [bindparam(c, type_=AuditEntry.__table__.c[c].type) for c in _CONTENT_COLUMNS]
    appended = (
        insert(AuditEntry)
        .from_select(
            [*cols, AuditEntry.prev_hash, AuditEntry.hash],
            select(*params, head.c.prev, new_hash).select_from(one.outerjoin(head, true())),
        )
        .returning(AuditEntry.id, AuditEntry.hash)
        .cte("appended")
    )
    return (
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(
            last_id=select(appended.c.id).scalar_subquery(),
            last_hash=select(appended.c.hash).scalar_subquery(),
        )
        .add_cte(head)
    )


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report each row whose content or link is wrong."""
    problems: list[str] = []
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            break
        for e in rows:
            count += 1
            if e.prev_hash != prev:
                problems.append(f"entry {e.id}: link to previous entry broken")
            if entry_hash(e.prev_hash, _fields(e)) != e.hash:
                problems.append(f"entry {e.id}: content does not match its hash")
            prev = e.hash
            last_id = e.id
    head = session.get(AuditHead, 1)
    if head is not None and count and head.last_hash != prev:
        problems.append("the newest entry is missing or was replaced")
    return ChainReport(count, problems)
