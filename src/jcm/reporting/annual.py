"""The annual pack: adoptions of the fiscal year, credit movements of the calendar year,
the partner-country summary and the registry's Article 6.2 tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.registry import aef
from jcm.registry.models import Issuance, Movement, RegistryTransaction
from jcm.registry.rules_aef import ACTION_COLUMNS, HOLDING_COLUMNS
from jcm.reporting.models import CreditSummary
from jcm.reporting.panels import Labels, Table
from jcm.web.i18n import pick


def adopted(s: Session, lb: Labels, year: int) -> Table:
    q = (
        select(Project, Organisation)
        .join(Organisation, Organisation.id == Project.representative_id)
        .where(Project.fiscal_year == year)
        .order_by(Project.partner_country, Project.ref)
    )
    rows = [
        [
            p.ref,
            lb.country(p.partner_country),
            pick(lb.lang, p.title_en, p.title_ja),
            pick(lb.lang, o.name_en, o.name_ja),
            lb.tech(p.technology),
            p.expected_reduction_tco2_per_year,
        ]
        for p, o in s.execute(q)
    ]
    links: list[str | None] = [f"/projects/{r[0]}" for r in rows]
    return Table(
        "adopted",
        "Projects adopted in the fiscal year",
        [
            "Project",
            "Country",
            "Title",
            "Representative participant",
            "Technology",
            "Expected (tCO2/y)",
        ],
        rows,
        links,
    )


def credit_movements(s: Session, year: int) -> Table:
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    q = (
        select(
            Project.ref,
            Issuance.vintage,
            RegistryTransaction.kind,
            func.sum(Movement.serial_end - Movement.serial_start + 1),
        )
        .join(Movement, Movement.transaction_id == RegistryTransaction.id)
        .join(Issuance, Issuance.id == Movement.issuance_id)
        .join(Project, Project.id == Issuance.project_id)
        .where(
            RegistryTransaction.created_at >= start,
            RegistryTransaction.created_at < end,
            RegistryTransaction.kind.in_(("issue", "cancel", "retire")),
        )
        .group_by(Project.ref, Issuance.vintage, RegistryTransaction.kind)
    )
    acc: dict[tuple[str, int], dict[str, int]] = {}
    for ref, vintage, kind, n in s.execute(q):
        acc.setdefault((ref, vintage), {"issue": 0, "cancel": 0, "retire": 0})[kind] += int(n or 0)
    rows: list[list[Any]] = [
        [ref, v, d["issue"], d["cancel"], d["retire"]] for (ref, v), d in sorted(acc.items())
    ]
    return Table(
        "credits",
        "Credits issued, cancelled and retired in the year",
        ["Project", "Vintage", "Issued (tCO2)", "Cancelled (tCO2)", "Retired (tCO2)"],
        rows,
        ["/registry"] * len(rows),
    )


def countries(s: Session, lb: Labels, year: int) -> Table:
    planned = s.execute(
        select(
            Project.partner_country,
            func.count(),
            func.sum(Project.expected_reduction_tco2_per_year),
            func.count().filter(Project.fiscal_year == year),
        ).group_by(Project.partner_country)
    ).all()
    totals = {
        k: (int(i or 0), int(r or 0))
        for k, i, r in s.execute(
            select(
                Project.partner_country,
                func.sum(CreditSummary.issued),
                func.sum(CreditSummary.retired),
            )
            .join(Project, Project.id == CreditSummary.project_id)
            .group_by(Project.partner_country)
        )
    }
    rows: list[list[Any]] = [
        [k, lb.country(k), int(n), int(e or 0), int(a or 0), *totals.get(k, (0, 0))]
        for k, n, e, a in sorted(planned, key=lambda r: str(r[0]))
    ]
    return Table(
        "countries",
        "Partner-country summary",
        [
            "Key",
            "Country",
            "Projects",
            "Expected (tCO2/y)",
            "Adopted in the fiscal year",
            "Issued (tCO2)",
            "Retired (tCO2)",
        ],
        rows,
        [f"/projects?country={r[0]}" for r in rows],
    )


def article6(s: Session, year: int) -> list[Table]:
    out = []
    for name, columns, rows in (
        ("aef-actions", ACTION_COLUMNS, aef.actions(s, year)),
        ("aef-holdings", HOLDING_COLUMNS, aef.holdings(s, year)),
    ):
        out.append(
            Table(
                name,
                f"Article 6.2 {name[4:]}",
                list(columns),
                [[r[c] for c in columns] for r in rows],
            )
        )
    return out


def pack(s: Session, lb: Labels, year: int) -> list[Table]:
    return [
        adopted(s, lb, year),
        credit_movements(s, year),
        countries(s, lb, year),
        *article6(s, year),
    ]
