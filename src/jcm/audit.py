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
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, select
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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    return hashlib.sha256((prev_hash + _canonical(fields)).encode()).hexdigest()


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
    """Append one entry in the caller's transaction."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar()
    if head is None:
        head = AuditHead(id=1, last_id=None, last_hash=GENESIS)
        session.add(head)
    entry = AuditEntry(
        at=utcnow(),
        actor=ctx.actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=json.loads(_canonical(before)) if before is not None else None,
        after=json.loads(_canonical(after)) if after is not None else None,
        request_id=ctx.request_id,
        client=ctx.client,
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(entry.prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    head.last_id = entry.id
    head.last_hash = entry.hash
    return entry


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
