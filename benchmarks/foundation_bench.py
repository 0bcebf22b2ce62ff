"""Project register benchmark: import 10,000 synthetic projects, then time the filtered list
through the JSON API and the web page over loopback HTTP (p50/p95).

    .venv/bin/python benchmarks/foundation_bench.py [--projects 10000] [--requests 300]
        [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import create_engine, text

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL
from jcm.db import Database, make_engine
from jcm.migrate import upgrade
from jcm.projects.importing import import_projects
from jcm.projects.io import COLUMNS
from jcm.reference.rules import partner_iso3, technologies
from jcm.reference.service import sync_reference_data
from jcm.settings import Settings
from jcm.web.app import create_app

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
WORDS = [
    "solar",
    "hydro",
    "boiler",
    "factory",
    "plant",
    "grid",
    "biomass",
    "cooling",
    "waste",
    "heat",
]
WORDS_JA = [
    "太陽光",
    "水力",
    "ボイラ",
    "工場",
    "発電所",
    "系統",
    "バイオマス",
    "冷却",
    "廃棄物",
    "熱",
]


def synthetic_csv(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    countries = sorted(partner_iso3())
    from jcm.reference.rules import countries as all_countries

    iso2 = {c.iso3: c.iso2 for c in all_countries()}
    techs = [t.code for t in technologies()]
    counters: dict[str, int] = {}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS)
    w.writeheader()
    for i in range(n):
        c = countries[i % len(countries)]
        counters[c] = counters.get(c, 0) + 1
        word = rng.randrange(len(WORDS))
        w.writerow(
            {
                "ref": f"{iso2[c]}{counters[c]:03d}",
                "partner_country": c,
                "title_en": f"{WORDS[word].title()} project {i}",
                "title_ja": f"{WORDS_JA[word]}事業 {i}",
                "technology": rng.choice(techs),
                "capacity_mw": f"{rng.uniform(0.1, 50):.3f}",
                "representative_participant": f"Company {rng.randrange(400)} Co. Ltd.",
                "representative_participant_ja": f"株式会社カンパニー{rng.randrange(400)}",
                "expected_reduction_tco2_per_year": rng.randrange(100, 80_000),
                "fiscal_year": rng.randrange(2013, 2031),
                "programme": "model_project",
                "status": "adopted",
                "illustrative": "true",
            }
        )
    return buf.getvalue().encode()


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def serve(db: Database) -> tuple[uvicorn.Server, str]:
    app = create_app(Settings(environment="test", default_language="en"), db=db)
    port = 8700 + random.randrange(200)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def timed(client: httpx.Client, url: str, queries: list[dict[str, str]]) -> list[float]:
    out = []
    for q in queries:
        t0 = time.perf_counter()
        r = client.get(url, params=q)
        out.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return out


def run(db: Database, label: str, n: int, requests: int) -> list[str]:
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
    data = synthetic_csv(n)
    t0 = time.perf_counter()
    with db.write() as s:
        import_projects(s, audit.Context(actor="bench"), SYSTEM_PRINCIPAL, "bench.csv", data)
    import_s = time.perf_counter() - t0
    rng = random.Random(1)
    countries = sorted(partner_iso3())
    techs = [t.code for t in technologies()]
    queries = []
    for i in range(requests):
        kind = i % 4
        q = {"limit": "50"}
        if kind == 0:
            q["country"] = rng.choice(countries)
        elif kind == 1:
            q["fiscal_year"] = str(rng.randrange(2013, 2031))
            q["technology"] = rng.choice(techs)
        elif kind == 2:
            q["q"] = rng.choice(WORDS + WORDS_JA)
        else:
            q["country"] = rng.choice(countries)
            q["fiscal_year"] = str(rng.randrange(2013, 2031))
        queries.append(q)
    page_queries = [{k: v for k, v in q.items() if k != "limit"} for q in queries]
    server, base = serve(db)
    with httpx.Client(base_url=base, timeout=30) as client:
        timed(client, "/api/v1/projects", queries[:20])  # warm-up
        api = timed(client, "/api/v1/projects", queries)
        page = timed(client, "/projects", page_queries)
    server.should_exit = True
    return [
        f"| {label} | import {n:,} rows | {import_s:.2f} s | {n / import_s:,.0f} rows/s |",
        f"| {label} | API `GET /api/v1/projects` (page of 50) | p50 {statistics.median(api):.1f} ms | p95 {percentile(api, 95):.1f} ms |",
        f"| {label} | page `GET /projects` (page of 50) | p50 {statistics.median(page):.1f} ms | p95 {percentile(page, 95):.1f} ms |",
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    rows: list[str] = []
    if args.database in {"sqlite", "both"}:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}"))
            rows += run(db, "SQLite", args.projects, args.requests)
            db.dispose()
    if args.database in {"postgresql", "both"}:
        name = f"jcm_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        db = Database(make_engine(PG_ADMIN.rsplit("/", 1)[0] + "/" + name))
        try:
            rows += run(db, "PostgreSQL", args.projects, args.requests)
        finally:
            db.dispose()
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print("| database | what | figure | figure |")  # noqa: T201
    print("|---|---|---|---|")  # noqa: T201
    for r in rows:
        print(r)  # noqa: T201


if __name__ == "__main__":
    main()
