"""Insight dashboards at scale: seeds projects, monitoring periods, issuances and credit
blocks with SQLAlchemy Core, then records the p95 of every dashboard query.

    .venv/bin/python benchmarks/insight_bench.py --url sqlite:///var/bench-insight.db \
        --projects 50000 --blocks 5000000 --repeat 20
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date

from sqlalchemy import func, insert, select, text, update

from jcm.db import Database, make_engine
from jcm.migrate import upgrade
from jcm.mrv.models import MonitoringPeriod
from jcm.projects.models import Project
from jcm.reference.models import Organisation, Technology
from jcm.reference.service import sync_reference_data
from jcm.registry.models import (
    Account,
    Block,
    Issuance,
    Registry,
    RegistryTransaction,
    VerifiedPeriod,
)
from jcm.reporting import service, summary
from jcm.reporting.settings import InsightSettings

COUNTRIES = ["THA", "IDN", "VNM", "MNG", "PHL", "KHM", "LAO", "MMR", "BGD", "KEN"]
TECHS = ["solar_pv_rooftop", "hydro", "waste_to_energy", "boiler", "chiller"]


def _chunks(rows: list[dict[str, object]], n: int = 20000) -> list[list[dict[str, object]]]:
    return [rows[i : i + n] for i in range(0, len(rows), n)]


def seed(db: Database, n_projects: int, n_blocks: int) -> dict[str, float]:
    rnd = random.Random(7)
    with db.read() as s:
        TECHS[:] = list(s.scalars(select(Technology.code).order_by(Technology.code)))[:5]
    t0 = time.perf_counter()
    with db.engine.begin() as c:
        c.execute(
            insert(Organisation),
            [
                {
                    "id": 1,
                    "name_en": "Bench Co",
                    "name_ja": "ベンチ",
                    "kind": "company",
                    "country_iso3": "JPN",
                }
            ],
        )
        c.execute(
            insert(Registry),
            [{"id": 1, "code": "JP", "country_iso3": "JPN", "name_en": "JP", "name_ja": "JP"}],
        )
        c.execute(
            insert(Account),
            [
                {"id": i, "number": f"JP-{i}", "registry_id": 1, "kind": k, "organisation_id": 1}
                for i, k in ((1, "holding"), (2, "retirement"))
            ],
        )
        projects = [
            {
                "id": i,
                "ref": f"{COUNTRIES[i % 10][:2]}{i:06d}"[:12],
                "partner_country": COUNTRIES[i % 10],
                "title_en": f"Project {i}",
                "title_ja": f"案件{i}",
                "technology": TECHS[i % 5],
                "representative_id": 1,
                "expected_reduction_tco2_per_year": rnd.randint(100, 50000),
                "fiscal_year": 2013 + i % 12,
                "programme": "model_project",
                "status": [
                    "applied",
                    "adopted",
                    "under_construction",
                    "registered",
                    "monitoring",
                    "credited",
                ][i % 6],
                "latitude": rnd.uniform(-10, 45),
                "longitude": rnd.uniform(70, 140),
            }
            for i in range(1, n_projects + 1)
        ]
        for ch in _chunks(projects):
            c.execute(insert(Project), ch)
        credited = [p["id"] for p in projects if p["status"] in ("monitoring", "credited")]
        c.execute(
            insert(RegistryTransaction),
            [
                {
                    "id": 1,
                    "kind": "issue",
                    "idempotency_key": "seed",
                    "request_hash": "x",
                    "request": {},
                    "registry_id": 1,
                    "quantity": 0,
                    "actor": "bench",
                }
            ],
        )
        periods, vps, iss = [], [], []
        for k, pid in enumerate(credited, start=1):
            periods.append(
                {
                    "project_id": pid,
                    "start": date(2020, 1, 1),
                    "end": date(2020, 12, 31),
                    "status": "verified",
                    "verified_er": rnd.randint(50, 40000),
                }
            )
            vps.append(
                {
                    "id": k,
                    "project_id": pid,
                    "period_start": date(2020, 1, 1),
                    "period_end": date(2020, 12, 31),
                    "verified_tco2": 10000,
                }
            )
            iss.append(
                {
                    "id": k,
                    "verified_period_id": k,
                    "project_id": pid,
                    "vintage": 2016 + k % 9,
                    "amount": 0,
                    "transaction_id": 1,
                }
            )
        for table, rows in ((MonitoringPeriod, periods), (VerifiedPeriod, vps), (Issuance, iss)):
            for ch in _chunks(rows):
                c.execute(insert(table), ch)
    t_meta = time.perf_counter() - t0
    per = max(1, n_blocks // len(iss))
    t1 = time.perf_counter()
    with db.engine.begin() as c:
        c.execute(
            insert(RegistryTransaction),
            [
                {
                    "id": 2,
                    "kind": "retire",
                    "idempotency_key": "seed-r",
                    "request_hash": "x",
                    "request": {},
                    "registry_id": 1,
                    "quantity": 0,
                    "actor": "bench",
                }
            ],
        )
    # Blocks and their retirements are generated inside the database (a recursive series
    # crossed with the issuances), one INSERT … SELECT per slice of issuances: no rows
    # travel through Python, on SQLite and PostgreSQL alike.
    series = "WITH RECURSIVE n(b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM n WHERE b < :last)"
    blocks_sql = text(
        f"{series} INSERT INTO registry_block (issuance_id, account_id, serial_start,"
        " serial_end, state, origin_registry_id, first_transferred, ca_status)"
        " SELECT i.id, CASE WHEN n.b % 20 = 0 THEN 2 ELSE 1 END, n.b * 100 + 1,"
        " n.b * 100 + 100, CASE WHEN n.b % 20 = 0 THEN 'retired' ELSE 'held' END, 1,"
        " false, 'not_applicable' FROM registry_issuance i CROSS JOIN n"
        " WHERE i.id BETWEEN :lo AND :hi ORDER BY i.id, n.b"
    )
    moves_sql = text(
        f"{series} INSERT INTO registry_movement (transaction_id, issuance_id, serial_start,"
        " serial_end, from_account_id, to_account_id, to_state)"
        " SELECT 2, i.id, n.b * 100 + 1, n.b * 100 + 100, 1, 2, 'retired'"
        " FROM registry_issuance i CROSS JOIN n"
        " WHERE n.b % 20 = 0 AND i.id BETWEEN :lo AND :hi ORDER BY i.id, n.b"
    )
    step = max(1, 500_000 // per)
    for lo in range(1, len(iss) + 1, step):
        bounds = {"last": per - 1, "lo": lo, "hi": lo + step - 1}
        with db.engine.begin() as c:
            c.execute(blocks_sql, bounds)
            c.execute(moves_sql, bounds)
    with db.engine.begin() as c:
        c.execute(update(Issuance).values(amount=per * 100))
        done = int(c.scalar(select(func.count()).select_from(Block)) or 0)
    return {
        "seed_meta_s": t_meta,
        "seed_blocks_s": time.perf_counter() - t1,
        "blocks": done,
        "issuances": len(iss),
        "periods": len(periods),
    }


def measure(db: Database, repeat: int) -> dict[str, tuple[float, float, float]]:
    """p50, p95 and first build (ms) of each panel, built alone as a dashboard request
    builds it (the first build of the map fills its per-data-version cache)."""
    cfg = InsightSettings()
    out = {}
    for name in service.BUILDERS:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            service.build(db, [name], "en", cfg)
            times.append((time.perf_counter() - t) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        out[name] = (statistics.median(times), p95, times[0])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--projects", type=int, default=50000)
    ap.add_argument("--blocks", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-seed", action="store_true", help="measure an already seeded database")
    a = ap.parse_args()
    db = Database(make_engine(a.url))
    facts: dict[str, float] = {}
    if not a.no_seed:
        upgrade(db.engine)
        with db.write() as s:
            sync_reference_data(s)
        facts = seed(db, a.projects, a.blocks)
    else:
        upgrade(db.engine)
    t = time.perf_counter()
    summary.ensure_fresh(db)
    facts["first_refresh_s"] = time.perf_counter() - t
    t = time.perf_counter()
    summary.ensure_fresh(db)
    facts["noop_refresh_ms"] = (time.perf_counter() - t) * 1000
    print(facts)  # noqa: T201
    print(f"| panel | p50 ms ({db.engine.dialect.name}) | p95 ms | first ms |")  # noqa: T201
    print("|---|---|---|---|")  # noqa: T201
    for name, (p50, p95, first) in measure(db, a.repeat).items():
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {first:.1f} |")  # noqa: T201


if __name__ == "__main__":
    main()
