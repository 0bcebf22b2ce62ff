"""Keeps ``insight_credit_summary`` up to date from the append-only registry tables, and
``insight_project_facts`` from the projects, their monitoring periods and that summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, cast, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from jcm.db import Database
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.registry.models import Issuance, Movement, RegistryTransaction
from jcm.reporting.models import CreditSummary, DataVersion, ProjectFacts, SummaryWatermark

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


def data_version(session: Session) -> str:
    """The state the summaries follow: projects and monitoring periods (count, last id,
    last ``updated_at``), the last issuance and the last registry transaction."""
    parts: list[Any] = []
    for model in (Project, MonitoringPeriod):
        n, last, at = session.execute(
            select(func.count(), func.max(model.id), func.max(model.updated_at))
        ).one()
        parts += [int(n or 0), int(last or 0), at.isoformat() if at else ""]
    parts.append(session.scalar(select(func.max(Issuance.id))) or 0)
    parts.append(session.scalar(select(func.max(RegistryTransaction.id))) or 0)
    return "|".join(str(p) for p in parts)


def stored_version(session: Session) -> str:
    return session.scalar(select(DataVersion.value).where(DataVersion.name == "facts")) or ""


def is_stale(session: Session) -> bool:
    """Whether projects, monitoring periods, issuances or registry transactions changed
    after the last refresh."""
    marks = {m.name: m.last_id for m in session.scalars(select(SummaryWatermark))}
    last_issuance = session.scalar(select(func.max(Issuance.id))) or 0
    last_tx = session.scalar(select(func.max(RegistryTransaction.id))) or 0
    if last_issuance > marks.get("issuance", 0) or last_tx > marks.get("movement", 0):
        return True
    return data_version(session) != stored_version(session)


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
    changed = _refresh_facts(session, {k[0] for k in delta})
    session.execute(
        update(SummaryWatermark)
        .where(SummaryWatermark.name == "issuance")
        .values(last_id=last_issuance)
    )
    session.execute(
        update(SummaryWatermark).where(SummaryWatermark.name == "movement").values(last_id=last_tx)
    )
    return len(delta) + changed


def _refresh_facts(session: Session, credited: set[int]) -> int:
    """Rewrite the facts of the projects that changed since the stored version; returns
    how many projects were rewritten."""
    before = stored_version(session).split("|")
    now = data_version(session)
    if before == now.split("|") and not credited:
        return 0
    ids: set[int] | None = None
    if len(before) == 8:
        pn, plast, pat, mn, mlast, mat = before[:6]
        added_p = _count_after(session, Project, int(plast))
        added_m = _count_after(session, MonitoringPeriod, int(mlast))
        cur = now.split("|")
        if int(cur[0]) == int(pn) + added_p and int(cur[3]) == int(mn) + added_m:
            ids = set(credited)
            ids |= set(session.scalars(select(Project.id).where(_changed(Project, plast, pat))))
            ids |= set(
                session.scalars(
                    select(MonitoringPeriod.project_id).where(
                        _changed(MonitoringPeriod, mlast, mat)
                    )
                )
            )
    if ids is None or len(ids) > 20000:
        session.execute(delete(ProjectFacts))
        _insert_facts(session, None)
        changed = int(session.scalar(select(func.count()).select_from(ProjectFacts)) or 0)
    else:
        ordered = sorted(ids)
        for i in range(0, len(ordered), 5000):
            chunk = ordered[i : i + 5000]
            session.execute(delete(ProjectFacts).where(ProjectFacts.project_id.in_(chunk)))
            _insert_facts(session, chunk)
        changed = len(ordered)
    row = session.get(DataVersion, "facts")
    if row is None:
        session.add(DataVersion(name="facts", value=now))
    else:
        row.value = now
    session.flush()
    return changed


def _count_after(session: Session, model: Any, last_id: int) -> int:
    return int(session.scalar(select(func.count()).where(model.id > last_id)) or 0)


def _changed(model: Any, last_id: str, last_at: str) -> Any:
    cond = model.id > int(last_id)
    if last_at:
        return or_(cond, model.updated_at > datetime.fromisoformat(last_at))
    return cond


def verified_days(session: Session) -> Any:
    """Days of a monitoring period, inclusive, in the dialect at hand."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(
            func.julianday(MonitoringPeriod.end) - func.julianday(MonitoringPeriod.start) + 1,
            Integer,
        )
    return MonitoringPeriod.end - MonitoringPeriod.start + 1


def _insert_facts(session: Session, ids: Iterable[int] | None) -> None:
    mp = MonitoringPeriod
    verified = (
        select(
            mp.project_id.label("project_id"),
            func.sum(mp.verified_er).label("verified"),
            func.sum(verified_days(session)).label("days"),
        )
        .where(mp.verified_er.is_not(None))
        .group_by(mp.project_id)
    )
    cs = CreditSummary
    credits = select(
        cs.project_id.label("project_id"),
        func.sum(cs.issued).label("issued"),
        func.sum(cs.cancelled).label("cancelled"),
        func.sum(cs.retired).label("retired"),
        func.max(cs.vintage).label("last"),
    ).group_by(cs.project_id)
    chosen = list(ids) if ids is not None else None
    if chosen is not None:
        verified = verified.where(mp.project_id.in_(chosen))
        credits = credits.where(cs.project_id.in_(chosen))
    v, c = verified.subquery(), credits.subquery()
    zero = 0
    source = (
        select(
            Project.id,
            Project.partner_country,
            Project.technology,
            Project.fiscal_year,
            Project.status,
            func.coalesce(Project.expected_reduction_tco2_per_year, zero),
            func.coalesce(v.c.verified, zero),
            func.coalesce(v.c.days, zero),
            func.coalesce(c.c.issued, zero),
            func.coalesce(c.c.cancelled, zero),
            func.coalesce(c.c.retired, zero),
            c.c.last,
        )
        .outerjoin(v, v.c.project_id == Project.id)
        .outerjoin(c, c.c.project_id == Project.id)
    )
    if chosen is not None:
        source = source.where(Project.id.in_(chosen))
    f = ProjectFacts
    columns = [
        f.project_id,
        f.country,
        f.technology,
        f.fiscal_year,
        f.status,
        f.expected,
        f.verified,
        f.verified_days,
        f.issued,
        f.cancelled,
        f.retired,
        f.last_vintage,
    ]
    session.execute(insert(f).from_select([col.key for col in columns], source))


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


def ensure_fresh(db: Database) -> str:
    """Refresh the summaries when the registry, projects or monitoring moved on since the
    last refresh; returns the data version they now reflect."""
    with db.read() as s:
        stale = is_stale(s)
        version = stored_version(s)
    if stale:
        db.run(refresh)
        with db.read() as s:
            version = stored_version(s)
    return version
