"""Import many projects in one transaction: all rows are checked before anything is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, require
from jcm.db import bulk_insert, utcnow
from jcm.encodings import AUTO
from jcm.errors import FieldProblem
from jcm.projects import io
from jcm.projects.models import Project, ProjectMember, StatusEvent
from jcm.projects.schemas import ProjectIn
from jcm.projects.service import reference_maps, search_text, validate_references
from jcm.reference.models import Organisation


def check_rows(session: Session, rows: list[tuple[int, ProjectIn]]) -> list[FieldProblem]:
    countries, techs = reference_maps(session)
    refs = [r.ref for _, r in rows]
    existing = (
        set(session.scalars(select(Project.ref).where(Project.ref.in_(refs)))) if refs else set()
    )
    seen: dict[str, int] = {}
    problems: list[FieldProblem] = []
    for n, row in rows:
        problems += [
            FieldProblem(p.field, p.message_en, p.message_ja, row=n)
            for p in validate_references(row, countries, techs)
        ]
        if row.ref in existing:
            problems.append(
                FieldProblem(
                    "ref",
                    f"Project {row.ref} already exists.",
                    f"プロジェクト {row.ref} は既に存在します。",
                    row=n,
                )
            )
        if row.ref in seen:
            problems.append(
                FieldProblem(
                    "ref",
                    f"{row.ref} also appears in row {seen[row.ref]}.",
                    f"{row.ref} は {seen[row.ref]} 行目にもあります。",
                    row=n,
                )
            )
        seen.setdefault(row.ref, n)
    return problems


def _organisations(session: Session, rows: list[ProjectIn]) -> dict[str, Organisation]:
    wanted: dict[str, tuple[str, str]] = {}
    for r in rows:
        wanted.setdefault(r.representative_participant, (r.representative_participant_ja, "JPN"))
        for m in r.members:
            wanted.setdefault(m, (m, r.partner_country))
    have = {
        o.name_en: o
        for o in session.scalars(select(Organisation).where(Organisation.name_en.in_(list(wanted))))
    }
    for name, (name_ja, country) in wanted.items():
        if name not in have:
            org = Organisation(
                name_en=name, name_ja=name_ja or name, kind="company", country_iso3=country
            )
            session.add(org)
            have[name] = org
    session.flush()
    return have


IMPORT_TYPES = frozenset({".csv", ".xlsx"})


@dataclass(frozen=True)
class ProjectImport:
    """The projects a file created, and the encoding a CSV was read in (None for xlsx)."""

    refs: list[str]
    encoding: str | None


def import_projects(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    filename: str,
    data: bytes,
    *,
    encoding: str | None = AUTO,
) -> ProjectImport:
    """Create every project in the file, or none; a CSV is read in ``encoding`` (default:
    found, UTF-8 or CP932)."""
    require(principal, Action.PROJECT_IMPORT)
    table, found = io.read_table(filename, data, encoding)
    numbered, problems = io.parse_rows(table)
    io.reject_if(problems + check_rows(session, numbered))
    rows = [r for _, r in numbered]
    orgs = _organisations(session, rows)
    now = utcnow()
    values = []
    for r in rows:
        rep = orgs[r.representative_participant]
        values.append(
            {
                "ref": r.ref,
                "partner_country": r.partner_country,
                "title_en": r.title_en,
                "title_ja": r.title_ja,
                "technology": r.technology,
                "capacity_mw": r.capacity_mw,
                "representative_id": rep.id,
                "methodology_id": r.methodology_id,
                "expected_reduction_tco2_per_year": r.expected_reduction_tco2_per_year,
                "fiscal_year": r.fiscal_year,
                "programme": r.programme.value,
                "latitude": r.latitude,
                "longitude": r.longitude,
                "status": r.status.value,
                "illustrative": r.illustrative,
                "search_text": search_text(r, rep.name_en, rep.name_ja),
                "created_at": now,
                "updated_at": now,
            }
        )
    # Bulk insert (COPY on PostgreSQL), then read the new ids back in one query.
    bulk_insert(session, Project, values)
    refs = [r.ref for r in rows]
    ids = dict(session.execute(select(Project.ref, Project.id).where(Project.ref.in_(refs))).all())
    events = [
        {
            "project_id": ids[r.ref],
            "from_status": None,
            "to_status": r.status.value,
            "at": now,
            "actor": ctx.actor,
            "reason": f"imported from {filename}",
        }
        for r in rows
    ]
    bulk_insert(session, StatusEvent, events)
    members = [
        {"project_id": ids[r.ref], "organisation_id": orgs[m].id, "role": "co_participant"}
        for r in rows
        for m in r.members
    ]
    if members:
        bulk_insert(session, ProjectMember, members)
    audit.record(
        session,
        ctx,
        "project.import",
        "project_file",
        filename,
        after={
            "rows": len(rows),
            "sha256": hashlib.sha256(data).hexdigest(),
            "encoding": found,
            "refs": [r.ref for r in rows][:1000],
        },
    )
    return ProjectImport([r.ref for r in rows], found)
