"""The per-project facts the reductions and goal panels read agree with direct queries
over projects, monitoring periods, issuances and movements after every kind of change."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jcm.db import Database, utcnow
from jcm.demo import load_demo
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.registry.models import (
    Account,
    Issuance,
    Movement,
    Registry,
    RegistryTransaction,
    VerifiedPeriod,
)
from jcm.reporting import queries, service, summary
from jcm.reporting.models import DataVersion, ProjectFacts
from jcm.reporting.settings import InsightSettings


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    return database


def _direct(s: Session) -> dict[int, tuple[Any, ...]]:
    """Per project, straight from the source tables."""
    out: dict[int, list[Any]] = {
        pid: [c, t, fy, st, int(e or 0), 0, 0, 0, 0, 0, None]
        for pid, c, t, fy, st, e in s.execute(
            select(
                Project.id,
                Project.partner_country,
                Project.technology,
                Project.fiscal_year,
                Project.status,
                Project.expected_reduction_tco2_per_year,
            )
        )
    }
    for pid, er, start, end in s.execute(
        select(
            MonitoringPeriod.project_id,
            MonitoringPeriod.verified_er,
            MonitoringPeriod.start,
            MonitoringPeriod.end,
        ).where(MonitoringPeriod.verified_er.is_not(None))
    ):
        out[pid][5] += int(er)
        out[pid][6] += (end - start).days + 1
    for pid, vintage, amount in s.execute(
        select(Issuance.project_id, Issuance.vintage, Issuance.amount)
    ):
        out[pid][7] += int(amount)
        last = out[pid][10]
        out[pid][10] = vintage if last is None else max(last, vintage)
    for pid, state, n in s.execute(
        select(
            Issuance.project_id,
            Movement.to_state,
            func.sum(Movement.serial_end - Movement.serial_start + 1),
        )
        .join(Issuance, Issuance.id == Movement.issuance_id)
        .where(Movement.to_state.in_(("cancelled", "retired")))
        .group_by(Issuance.project_id, Movement.to_state)
    ):
        out[pid][8 if state == "cancelled" else 9] += int(n)
    return {k: tuple(v) for k, v in out.items()}


def _facts(s: Session) -> dict[int, tuple[Any, ...]]:
    f = ProjectFacts
    return {
        r[0]: tuple(r[1:])
        for r in s.execute(
            select(
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
            )
        )
    }


def _agree(db: Database) -> None:
    summary.ensure_fresh(db)
    with db.read() as s:
        assert _facts(s) == _direct(s)
        assert not summary.is_stale(s)


def _change_everything(db: Database) -> int:
    """A new project, an edited one, a new verified period, an issuance, a transfer, a
    retirement and a cancellation; returns the new project's id."""
    with db.write() as s:
        some = s.scalars(select(Project).order_by(Project.id)).first()
        assert some is not None
        new = Project(
            ref="ZZ-FACTS-1",
            partner_country=some.partner_country,
            title_en="Facts test",
            title_ja="テスト",
            technology=some.technology,
            representative_id=some.representative_id,
            expected_reduction_tco2_per_year=1234,
            fiscal_year=2024,
            programme=some.programme,
            status="monitoring",
        )
        s.add(new)
        s.flush()
        s.execute(
            update(Project)
            .where(Project.id == some.id)
            .values(status="credited", expected_reduction_tco2_per_year=999, updated_at=utcnow())
        )
        s.add(
            MonitoringPeriod(
                project_id=new.id,
                start=date(2024, 1, 1),
                end=date(2024, 6, 30),
                status="verified",
                verified_er=500,
            )
        )
        registry = Registry(code="ZZ", country_iso3="JPN", name_en="ZZ", name_ja="ZZ")
        s.add(registry)
        s.flush()
        account = Account(
            number="ZZ-1",
            registry_id=registry.id,
            kind="holding",
            organisation_id=some.representative_id,
        )
        s.add(account)
        s.flush()
        registry_id, account_id = registry.id, account.id
        tx = RegistryTransaction(
            kind="issue",
            idempotency_key="facts-test",
            request_hash="x",
            request={},
            registry_id=registry_id,
            quantity=300,
            actor="test",
        )
        s.add(tx)
        s.flush()
        vp = VerifiedPeriod(
            project_id=new.id,
            period_start=date(2024, 1, 1),
            period_end=date(2024, 6, 30),
            verified_tco2=500,
        )
        s.add(vp)
        s.flush()
        iss = Issuance(
            verified_period_id=vp.id,
            project_id=new.id,
            vintage=2024,
            amount=300,
            transaction_id=tx.id,
        )
        s.add(iss)
        s.flush()
        for start, end, state in ((1, 100, "held"), (101, 140, "retired"), (141, 150, "cancelled")):
            s.add(
                Movement(
                    transaction_id=tx.id,
                    issuance_id=iss.id,
                    serial_start=start,
                    serial_end=end,
                    from_account_id=account_id,
                    to_account_id=account_id,
                    to_state=state,
                )
            )
        return new.id


def test_facts_agree_with_direct_queries_after_changes(demo: Database) -> None:
    _agree(demo)
    new_id = _change_everything(demo)
    with demo.read() as s:
        assert summary.is_stale(s)
    _agree(demo)
    with demo.read() as s:
        row = s.get(ProjectFacts, new_id)
        assert row is not None
        assert (row.verified, row.issued, row.retired, row.cancelled) == (500, 300, 40, 10)
        assert row.verified_days == (date(2024, 6, 30) - date(2024, 1, 1)).days + 1


def test_a_lost_version_rebuilds_the_facts(demo: Database) -> None:
    _agree(demo)
    with demo.write() as s:
        s.execute(update(DataVersion).values(value=""))
        s.execute(update(ProjectFacts).values(expected=0))
    _agree(demo)


def test_reductions_match_the_joined_queries(demo: Database) -> None:
    _change_everything(demo)
    summary.ensure_fresh(demo)
    with demo.read() as s:
        direct = _direct(s)
        for dim, idx in (("country", 0), ("technology", 1), ("fiscal_year", 2)):
            want: dict[str, list[int]] = {}
            for v in direct.values():
                agg = want.setdefault(str(v[idx]), [0, 0, 0, 0, 0, 0])
                agg[0] += 1
                for j, k in enumerate((4, 5, 7, 8, 9), start=1):
                    agg[j] += v[k]
            got = {
                r.key: [r.projects, r.expected, r.verified, r.issued, r.cancelled, r.retired]
                for r in queries.reductions_by(s, dim)
            }
            assert got == want


def test_the_map_is_cached_per_data_version(demo: Database) -> None:
    cfg = InsightSettings()
    (first,) = service.build(demo, ["map"], "en", cfg)
    (again,) = service.build(demo, ["map"], "en", cfg)
    assert again is first
    new_id = _change_everything(demo)
    with demo.write() as s:
        s.execute(
            update(Project).where(Project.id == new_id).values(latitude=13.75, longitude=100.5)
        )
    (fresh,) = service.build(demo, ["map"], "en", cfg)
    assert fresh is not first
    assert "/projects/ZZ-FACTS-1" in fresh.links
    assert all(link and link.startswith("/projects/") for link in fresh.links)


def _markers(table: Any) -> list[tuple[int, str, str]]:
    """(projects, hover text, link) of each marker of the map."""
    trace = table.chart["traces"][-1]
    out = []
    for text, link in zip(trace["text"], trace["customdata"], strict=True):
        many = re.match(r"(\d+) projects", text)
        out.append((int(many.group(1)) if many else 1, text, link))
    return out


def test_every_project_is_reachable_from_the_map(demo: Database) -> None:
    """Co-located projects share one marker with their count and a link to the project
    list filtered by what they share; every project keeps its own row and link."""
    new_id = _change_everything(demo)
    with demo.write() as s:
        s.execute(
            update(Project).where(Project.id == new_id).values(latitude=13.75, longitude=100.5)
        )
        other = s.scalars(select(Project).where(Project.id != new_id).order_by(Project.id)).first()
        assert other is not None
        other.latitude, other.longitude = 13.7512, 100.5013
        other_ref = other.ref
        located = {
            ref: (country, tech)
            for ref, country, tech in s.execute(
                select(Project.ref, Project.partner_country, Project.technology).where(
                    Project.latitude.is_not(None), Project.longitude.is_not(None)
                )
            )
        }
    (table,) = service.build(demo, ["map"], "en", InsightSettings())
    assert sorted(table.links) == sorted(f"/projects/{ref}" for ref in located)
    assert [row[0] for row in table.rows] == [link.rsplit("/", 1)[1] for link in table.links]
    markers = _markers(table)
    assert sum(n for n, _, _ in markers) == len(located)
    assert len(markers) < len(located)
    for n, text, link in markers:
        if n == 1:
            ref = link.removeprefix("/projects/")
            assert ref in located
            assert text.startswith(ref)
    (shared,) = [m for m in markers if "ZZ-FACTS-1" in m[1]]
    n, text, link = shared
    assert n >= 2
    assert other_ref in text
    path, _, query = link.partition("?")
    assert path == "/projects"
    filters = dict(parse_qsl(query))
    for ref in ("ZZ-FACTS-1", other_ref):
        country, tech = located[ref]
        assert filters.get("country", country) == country
        assert filters.get("technology", tech) == tech
    (ja,) = service.build(demo, ["map"], "ja", InsightSettings())
    assert any("件の案件" in t for t in ja.chart["traces"][-1]["text"])
