"""Article 6.2 annual report: the AEF "actions" and "holdings" tables, as xlsx or csv."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from jcm.exports import neutralise_record, neutralise_workbook
from jcm.projects.models import Project
from jcm.reference.models import Technology
from jcm.registry import invariants
from jcm.registry.models import (
    Account,
    Authorisation,
    FirstTransfer,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
)
from jcm.registry.rules_aef import (
    ACTION_COLUMNS,
    HOLDING_COLUMNS,
    Units,
    action_row,
    action_type,
    holding_row,
)
from jcm.registry.units import UnitNamer

Row = dict[str, object]


class _Context:
    """Per-export lookups: issuances' authorisation and sector, origins, parties, unit names."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.namer = UnitNamer(session)
        self.auth: dict[int, tuple[Authorisation, str, str, int]] = {}
        q = (
            select(
                Issuance.id, Authorisation, Technology.category, Technology.code, Issuance.vintage
            )
            .join(Authorisation, Authorisation.id == Issuance.authorisation_id)
            .join(Project, Project.id == Issuance.project_id)
            .join(Technology, Technology.code == Project.technology)
        )
        for issuance_id, auth, category, code, vintage in self.session.execute(q):
            self.auth[issuance_id] = (auth, category, code, vintage)
        self.party = dict(
            (a, p)
            for a, p in session.execute(
                select(Account.id, Registry.country_iso3).join(
                    Registry, Registry.id == Account.registry_id
                )
            )
        )
        self.account_no = dict(
            (i, n) for i, n in session.execute(select(Account.id, Account.number))
        )
        self.origins: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for iss, start, end, reg in session.execute(
            select(
                Movement.issuance_id,
                Movement.serial_start,
                Movement.serial_end,
                Account.registry_id,
            )
            .join(Account, Account.id == Movement.to_account_id)
            .where(Movement.from_account_id.is_(None))
        ):
            self.origins[iss].append((start, end, reg))

    def units(self, issuance_id: int, start: int, end: int) -> Units:
        auth, category, code, vintage = self.auth[issuance_id]
        origin = next(r for s, e, r in self.origins[issuance_id] if s <= start <= e)
        return Units(
            approach=self.namer.unit(issuance_id, origin, 1).split(".")[0],
            first=self.namer.unit(issuance_id, origin, start),
            last=self.namer.unit(issuance_id, origin, end),
            vintage=vintage,
            sector=category,
            activity=code,
            authorised_use=auth.authorised_use,
            first_transfer_definition=auth.first_transfer_definition,
            quantity=end - start + 1,
        )


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def actions(session: Session, year: int, *, party: str | None = None) -> list[Row]:
    """Every reportable action on authorised units in the calendar year."""
    ctx, (start, end) = _Context(session), _year_bounds(year)
    rows: list[Row] = []
    q = (
        select(Movement, RegistryTransaction.kind, RegistryTransaction.created_at)
        .join(RegistryTransaction, RegistryTransaction.id == Movement.transaction_id)
        .where(and_(RegistryTransaction.created_at >= start, RegistryTransaction.created_at < end))
        .order_by(Movement.id)
    )
    for m, kind, at in session.execute(q):
        if m.issuance_id in ctx.auth and kind != "transfer":
            rows += _movement_rows(ctx, m, kind, at.date())
    ft = aliased(FirstTransfer)
    for f in session.scalars(select(ft).where(ft.at >= start, ft.at < end).order_by(ft.id)):
        units = ctx.units(f.issuance_id, f.serial_start, f.serial_end)
        rows.append(
            action_row(
                f.transferring_party,
                units,
                "First transfer",
                f.at.date(),
                transferring=f.transferring_party,
                acquiring=f.acquiring_party or "",
            )
        )
    return [r for r in rows if party is None or r["Party"] == party]


def _movement_rows(ctx: _Context, m: Movement, kind: str, on: Any) -> list[Row]:
    units = ctx.units(m.issuance_id, m.serial_start, m.serial_end)
    auth = ctx.auth[m.issuance_id][0]
    to_party = ctx.party[m.to_account_id]
    if kind == "issuance":
        return [action_row(auth.party_iso3, units, "Authorization", on)]
    if kind == "external_transfer":
        from_party = ctx.party[m.from_account_id or 0]
        return [
            action_row(
                from_party, units, "Transfer", on, transferring=from_party, acquiring=to_party
            ),
            action_row(
                to_party, units, "Acquisition", on, transferring=from_party, acquiring=to_party
            ),
        ]
    action = action_type(
        kind, authorising_party=auth.party_iso3, registry_party=to_party, use=auth.authorised_use
    )
    using = to_party if action == "Use towards NDC" else ""
    return [action_row(to_party, units, action, on, using=using)]


def holdings(session: Session, year: int, *, party: str | None = None) -> list[Row]:
    """Authorised units held at the end of the year, rebuilt from the movement log."""
    ctx, (_, end) = _Context(session), _year_bounds(year)
    q = (
        select(
            Movement.transaction_id,
            Movement.issuance_id,
            Movement.serial_start,
            Movement.serial_end,
            Movement.from_account_id,
            Movement.to_account_id,
            Movement.to_state,
        )
        .join(RegistryTransaction, RegistryTransaction.id == Movement.transaction_id)
        .where(RegistryTransaction.created_at < end)
        .order_by(Movement.transaction_id, Movement.id)
    )
    pieces, _ = invariants.replay(invariants.Movement(*r) for r in session.execute(q))
    transferred = _first_transferred(session, end)
    rows = []
    for p in pieces:
        if p.issuance_id not in ctx.auth or p.state != invariants.HELD:
            continue
        done = any(s <= p.start <= e for s, e in transferred.get(p.issuance_id, []))
        rows.append(
            holding_row(
                ctx.party[p.account],
                ctx.units(p.issuance_id, p.start, p.end),
                ctx.account_no[p.account],
                done,
            )
        )
    return [r for r in rows if party is None or r["Party"] == party]


def _first_transferred(session: Session, before: datetime) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for iss, s, e in session.execute(
        select(
            FirstTransfer.issuance_id, FirstTransfer.serial_start, FirstTransfer.serial_end
        ).where(FirstTransfer.at < before)
    ):
        out[iss].append((s, e))
    return out


def write_tables(
    action_rows: list[Row], holding_rows: list[Row], out: Path, fmt: str
) -> list[Path]:
    """Write the two tables as one xlsx workbook (two sheets) or two csv files."""
    out.mkdir(parents=True, exist_ok=True)
    tables = (("actions", ACTION_COLUMNS, action_rows), ("holdings", HOLDING_COLUMNS, holding_rows))
    if fmt == "xlsx":
        wb = Workbook()
        if wb.active is not None:
            wb.remove(wb.active)
        for name, columns, rows in tables:
            ws = wb.create_sheet(name)
            ws.append(columns)
            for r in rows:
                ws.append([r[c] for c in columns])
        path = out / "aef.xlsx"
        neutralise_workbook(wb).save(path)
        return [path]
    paths = []
    for name, columns, rows in tables:
        path = out / f"aef-{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(neutralise_record(r) for r in rows)
        paths.append(path)
    return paths
