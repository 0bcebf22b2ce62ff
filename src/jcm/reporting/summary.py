"""Keeps ``insight_credit_summary`` up to date from the append-only registry tables."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from jcm.db import Database
from jcm.registry.models import Issuance, Movement, RegistryTransaction
from jcm.reporting.models import CreditSummary, SummaryWatermark

SPENT_STATES = ("cancelled", "retired")
Key = tuple[int, int]


def _marks(session: Session, *, lock: bool) -> dict[str, int]:
    q = select(SummaryWatermark)
    if lock:
        q = q.with_for_update()
    marks = {m.name: m.last_id for m in session.scalars(q)}
    for name in ("issuance", "movement"):
        if name not in marks:
            session.add(SummaryWatermark(name=name, last_id=0))
            marks[name] = 0
    session.flush()
    return marks


def is_stale(session: Session) -> bool:
    """Whether issuances or registry transactions happened after the last refresh."""
    marks = {m.name: m.last_id for m in session.scalars(select(SummaryWatermark))}
    last_issuance = session.scalar(select(func.max(Issuance.id))) or 0
    last_tx = session.scalar(select(func.max(RegistryTransaction.id))) or 0
    return last_issuance > marks.get("issuance", 0) or last_tx > marks.get("movement", 0)


def refresh(session: Session) -> int:
    """Fold the issuances and spending movements since the watermarks into the summary;
    returns how many summary rows changed."""
    marks = _marks(session, lock=True)
    last_issuance = session.scalar(select(func.max(Issuance.id))) or 0
    last_tx = session.scalar(select(func.max(RegistryTransaction.id))) or 0
    delta: dict[Key, dict[str, int]] = defaultdict(
        lambda: {"issued": 0, "cancelled": 0, "retired": 0}
    )
    issued = session.execute(
        select(Issuance.project_id, Issuance.vintage, func.sum(Issuance.amount))
        .where(Issuance.id > marks["issuance"], Issuance.id <= last_issuance)
        .group_by(Issuance.project_id, Issuance.vintage)
    )
    for project_id, vintage, amount in issued:
        delta[(project_id, vintage)]["issued"] += int(amount or 0)
    spent = session.execute(
        select(
            Issuance.project_id,
            Issuance.vintage,
            Movement.to_state,
            func.sum(Movement.serial_end - Movement.serial_start + 1),
        )
        .join(Issuance, Issuance.id == Movement.issuance_id)
        .where(
            Movement.transaction_id > marks["movement"],
            Movement.transaction_id <= last_tx,
            Movement.to_state.in_(SPENT_STATES),
        )
        .group_by(Issuance.project_id, Issuance.vintage, Movement.to_state)
    )
    for project_id, vintage, state, n in spent:
        delta[(project_id, vintage)][state] += int(n or 0)
    _apply(session, delta)
    session.execute(
        update(SummaryWatermark)
        .where(SummaryWatermark.name == "issuance")
        .values(last_id=last_issuance)
    )
    session.execute(
        update(SummaryWatermark).where(SummaryWatermark.name == "movement").values(last_id=last_tx)
    )
    return len(delta)


def _apply(session: Session, delta: dict[Key, dict[str, int]]) -> None:
    if not delta:
        return
    existing: set[Key] = set()
    if session.scalar(select(func.count()).select_from(CreditSummary)):
        projects = sorted({k[0] for k in delta})
        for i in range(0, len(projects), 5000):
            chunk = projects[i : i + 5000]
            existing |= {
                (p, v)
                for p, v in session.execute(
                    select(CreditSummary.project_id, CreditSummary.vintage).where(
                        CreditSummary.project_id.in_(chunk)
                    )
                )
            }
    new = [
        {"project_id": k[0], "vintage": k[1], **d} for k, d in delta.items() if k not in existing
    ]
    if new:
        session.execute(insert(CreditSummary), new)
    for (project_id, vintage), d in delta.items():
        if (project_id, vintage) in existing:
            session.execute(
                update(CreditSummary)
                .where(CreditSummary.project_id == project_id, CreditSummary.vintage == vintage)
                .values(
                    issued=CreditSummary.issued + d["issued"],
                    cancelled=CreditSummary.cancelled + d["cancelled"],
                    retired=CreditSummary.retired + d["retired"],
                )
            )


def ensure_fresh(db: Database) -> None:
    """Refresh the summary when the registry moved on since the last refresh."""
    with db.read() as s:
        stale = is_stale(s)
    if stale:
        db.run(refresh)
