"""Registry benchmark on PostgreSQL: mixed transactions with block splits from 8 clients,
pgbench TPC-B-like on a scratch database of the same server, and keyset paging through an
account holding 1,000,000 blocks. Creates and drops its own databases.

    .venv/bin/python benchmarks/registry_bench.py --transactions 100000 --clients 8
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import re
import subprocess
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, text

from jcm.audit import Context, record
from jcm.db import Database, make_engine
from jcm.migrate import upgrade
from jcm.projects.models import Project
from jcm.reference.models import Organisation
from jcm.reference.service import sync_reference_data
from jcm.registry import service
from jcm.registry.errors import InsufficientHolding
from jcm.registry.schemas import (
    CancelRequest,
    IssueRequest,
    RetireRequest,
    ShareIn,
    TransferRequest,
    VerifiedPeriodIn,
)

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CTX = Context(actor="bench")
log = logging.getLogger("registry_bench")


def _create_db(admin: object, name: str) -> str:
    with admin.connect() as c:  # type: ignore[attr-defined]
        c.execute(text(f'CREATE DATABASE "{name}"'))
    return ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _drop_db(admin: object, name: str) -> None:
    with admin.connect() as c:  # type: ignore[attr-defined]
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def setup_world(db: Database, clients: int) -> None:
    """Japan's and Indonesia's registries, two JP and one ID account per client, 20M credits."""
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        org = Organisation(name_en="Bench Co", name_ja="ベンチ", kind="company", country_iso3="JPN")
        s.add(org)
        s.flush()
        for iso3, code in (("JPN", "JP"), ("IDN", "ID")):
            service.create_registry(s, CTX, iso3)
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-GOV",
                kind="government_holding",
                organisation_id=org.id,
            )
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-CAN",
                kind="cancellation",
                organisation_id=org.id,
            )
            service.open_account(
                s,
                CTX,
                registry_code=code,
                number=f"{code}-RET",
                kind="retirement",
                organisation_id=org.id,
            )
        for i in range(clients):
            for number, code in ((f"JP-A{i}", "JP"), (f"JP-B{i}", "JP"), (f"ID-A{i}", "ID")):
                service.open_account(
                    s,
                    CTX,
                    registry_code=code,
                    number=number,
                    kind="participant_holding",
                    organisation_id=org.id,
                )
        s.add(
            Project(
                ref="ID001",
                partner_country="IDN",
                title_en="Bench",
                title_ja="ベンチ",
                technology="solar_pv_rooftop",
                representative_id=org.id,
                expected_reduction_tco2_per_year=1,
                fiscal_year=2022,
                programme="model_project",
                status="registered",
            )
        )
        s.flush()
        service.set_allocation(
            s,
            CTX,
            "ID001",
            [
                ShareIn(account="JP-GOV", percent=Decimal(50)),
                ShareIn(account="ID-GOV", percent=Decimal(50)),
            ],
        )
        period = service.record_verified_period(
            s,
            CTX,
            VerifiedPeriodIn(
                project_ref="ID001",
                period_start=date(2023, 1, 1),
                period_end=date(2023, 12, 31),
                verified_tco2=20_000_000,
                jc_decision_ref="JC-1",
                jc_decision_date=date(2024, 3, 1),
            ),
        )
    service.issue(
        db,
        CTX,
        IssueRequest(idempotency_key="issue", verified_period_id=period.id, amount=20_000_000),
    )
    for i in range(clients):
        for src, dst in (("JP-GOV", f"JP-A{i}"), ("ID-GOV", f"ID-A{i}")):
            service.transfer(
                db,
                CTX,
                TransferRequest(
                    idempotency_key=f"seed-{dst}",
                    from_account=src,
                    to_account=dst,
                    quantity=1_000_000,
                ),
            )


def client(db: Database, i: int, count: int, errors: list[int]) -> None:
    """One client's mix: 55 % transfer, 15 % external, 15 % cancel, 15 % retire; 1–40 units."""
    rnd = random.Random(i)
    for n in range(count):
        q, key, r = rnd.randint(1, 40), f"c{i}-{n}", rnd.random()
        a, b, x = f"JP-A{i}", f"JP-B{i}", f"ID-A{i}"
        try:
            if r < 0.55:
                src, dst = (a, b) if rnd.random() < 0.7 else (b, a)
                service.transfer(
                    db,
                    CTX,
                    TransferRequest(
                        idempotency_key=key, from_account=src, to_account=dst, quantity=q
                    ),
                )
            elif r < 0.70:
                service.external_transfer(
                    db,
                    CTX,
                    TransferRequest(idempotency_key=key, from_account=x, to_account=a, quantity=q),
                )
            elif r < 0.85:
                service.cancel(
                    db, CTX, CancelRequest(idempotency_key=key, from_account=a, quantity=q)
                )
            else:
                service.retire(
                    db,
                    CTX,
                    RetireRequest(
                        idempotency_key=key,
                        from_account=a,
                        quantity=q,
                        purpose="bench",
                        beneficiary="B",
                    ),
                )
        except InsufficientHolding:
            errors.append(1)


def run_mixed(db: Database, total: int, clients: int) -> tuple[float, int]:
    """All clients as threads of this one process (they share one interpreter lock)."""
    errors: list[int] = []
    per = total // clients
    threads = [threading.Thread(target=client, args=(db, i, per, errors)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per * clients / (time.perf_counter() - t0), len(errors)


def _process_client(url: str, i: int, per: int, ready: Any, go: Any, results: Any) -> None:
    db = Database(make_engine(url, pool_size=1))
    with db.read() as s:  # connect before the clock starts
        s.execute(text("SELECT 1"))
    errors: list[int] = []
    ready.put(i)
    go.wait()
    client(db, i, per, errors)
    results.put(len(errors))
    db.dispose()


def run_mixed_processes(url: str, total: int, clients: int) -> tuple[float, int]:
    """One operating-system process and one connection per client, as pgbench's clients are
    (and as several application workers would be): no shared interpreter lock."""
    ctx = multiprocessing.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    per = total // clients
    procs = [
        ctx.Process(target=_process_client, args=(url, i, per, ready, go, results))
        for i in range(clients)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()
    t0 = time.perf_counter()
    go.set()
    refused = sum(results.get() for _ in procs)
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    return per * clients / elapsed, refused


def run_pgbench(admin: object, clients: int, seconds: int) -> float:
    name = f"pgbench_{uuid.uuid4().hex[:8]}"
    _create_db(admin, name)
    try:
        base = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(
            ["pgbench", *base, "-i", "-q", "-s", "8", name], check=True, capture_output=True
        )
        out = subprocess.run(
            ["pgbench", *base, "-c", str(clients), "-j", "2", "-T", str(seconds), name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return float(re.findall(r"tps = ([\d.]+)", out)[-1])
    finally:
        _drop_db(admin, name)


def load_million_blocks(db: Database, blocks: int) -> None:
    """One issued period of ``blocks`` one-unit blocks in account BIG, logged as one movement."""
    with db.write() as s:
        period = service.record_verified_period(
            s,
            CTX,
            VerifiedPeriodIn(
                project_ref="ID001",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 12, 31),
                verified_tco2=blocks,
                jc_decision_ref="JC-2",
                jc_decision_date=date(2025, 3, 1),
            ),
        )
        service.open_account(
            s, CTX, registry_code="JP", number="BIG", kind="participant_holding", organisation_id=1
        )
        s.flush()
        p = {"period": period.id, "n": blocks}
        tx = s.execute(
            text(
                "INSERT INTO registry_transaction (kind, idempotency_key, request_hash, request, outcome,"
                " registry_id, quantity, actor, created_at) SELECT 'issuance', 'big', repeat('0',64),"
                " '{}', json_build_object('quantity', CAST(:n AS bigint)), id, :n, 'bench', now()"
                " FROM registry_registry WHERE code='JP' RETURNING id"
            ),
            p,
        ).scalar_one()
        iss = s.execute(
            text(
                "INSERT INTO registry_issuance (verified_period_id, project_id, vintage, amount,"
                " transaction_id) VALUES (:period, 1, 2024, :n, :tx) RETURNING id"
            ),
            {**p, "tx": tx},
        ).scalar_one()
        acct = s.execute(text("SELECT id FROM registry_account WHERE number='BIG'")).scalar_one()
        reg = s.execute(text("SELECT id FROM registry_registry WHERE code='JP'")).scalar_one()
        args = {"iss": iss, "acct": acct, "reg": reg, "n": blocks, "tx": tx}
        s.execute(
            text(
                "INSERT INTO registry_movement (transaction_id, issuance_id, serial_start, serial_end,"
                " to_account_id, to_state) VALUES (:tx, :iss, 1, :n, :acct, 'held')"
            ),
            args,
        )
        s.execute(
            text(
                "INSERT INTO registry_block (issuance_id, account_id, serial_start, serial_end, state,"
                " origin_registry_id, first_transferred, ca_status) SELECT :iss, :acct, g, g, 'held',"
                " :reg, false, 'not_applicable' FROM generate_series(1, :n) g"
            ),
            args,
        )
        record(s, CTX, "registry.issuance", "registry_transaction", tx, after={"quantity": blocks})
    with db.engine.connect() as c:
        c.execute(text("ANALYZE registry_block"))
        c.commit()


def _pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_pages(db: Database, pages: int, size: int, blocks: int) -> dict[str, list[float]]:
    """Milliseconds per page (one read transaction each), walking ``pages`` pages from the
    first page, from the middle and up to the last page of the BIG account."""
    with db.read() as s:
        acct = s.execute(text("SELECT id FROM registry_account WHERE number='BIG'")).scalar_one()
        ids = s.execute(
            text(
                "SELECT (SELECT min(id) FROM registry_block WHERE account_id=:a),"
                " (SELECT max(id) FROM registry_block WHERE account_id=:a)"
            ),
            {"a": acct},
        ).one()
    lo, hi = int(ids[0]), int(ids[1])
    starts = {
        "first": None,
        "middle": lo + blocks // 2,
        "last": max(lo - 1, hi - pages * size),
    }
    out: dict[str, list[float]] = {}
    for where, after in starts.items():
        times: list[float] = []
        for _ in range(pages):
            t0 = time.perf_counter()
            with db.read() as s:
                page = service.blocks_held_by(s, "BIG", after=after, limit=size)
            times.append((time.perf_counter() - t0) * 1000)
            after = page.next_after
            if after is None:
                break
        out[where] = times
    with db.read() as s:
        plan = s.execute(
            text(
                "EXPLAIN ANALYZE SELECT * FROM registry_block WHERE account_id = CAST(:a AS integer)"
                " AND id > CAST(:m AS bigint) ORDER BY id LIMIT 101"
            ),
            {"a": acct, "m": lo + blocks // 2},
        ).scalars()
        for line in plan:
            log.info("  plan: %s", line)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transactions", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--pgbench-seconds", type=int, default=60)
    ap.add_argument("--blocks", type=int, default=1_000_000)
    ap.add_argument("--page-size", type=int, default=100)
    ap.add_argument("--pages", type=int, default=50, help="pages timed at each position")
    ap.add_argument(
        "--workers",
        choices=["processes", "threads"],
        default="threads",
        help="clients as separate processes (like pgbench's) or threads of one process",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    name = f"jcm_bench_{uuid.uuid4().hex[:8]}"
    url = _create_db(admin, name)
    db = Database(make_engine(url, pool_size=args.clients + 2))
    try:
        t0 = time.perf_counter()
        setup_world(db, args.clients)
        log.info("set-up in %.1f s", time.perf_counter() - t0)
        if args.workers == "processes":
            tps, refused = run_mixed_processes(url, args.transactions, args.clients)
        else:
            tps, refused = run_mixed(db, args.transactions, args.clients)
        log.info(
            "registry (%s): %.1f transactions/s (%d refused for lack of units)",
            args.workers,
            tps,
            refused,
        )
        t0 = time.perf_counter()
        with db.read() as s:
            report = service.verify(s)
        log.info(
            "verify: ok=%s blocks=%d in %.1f s %s",
            report.ok,
            report.blocks,
            time.perf_counter() - t0,
            report.problems[:3],
        )
        if args.pgbench_seconds > 0:
            pg = run_pgbench(admin, args.clients, args.pgbench_seconds)
            log.info("pgbench: %.1f tps; ratio %.3f", pg, tps / pg)
        if args.blocks > 0:
            t0 = time.perf_counter()
            load_million_blocks(db, args.blocks)
            log.info("loaded %d blocks in %.1f s", args.blocks, time.perf_counter() - t0)
            timed = time_pages(db, args.pages, args.page_size, args.blocks)
            for where, times in timed.items():
                log.info(
                    "paging %d blocks, %d a page, %s pages (%d): p50 %.2f ms, p95 %.2f ms,"
                    " worst %.2f ms",
                    args.blocks,
                    args.page_size,
                    where,
                    len(times),
                    _pct(times, 0.5),
                    _pct(times, 0.95),
                    max(times),
                )
    finally:
        db.dispose()
        _drop_db(admin, name)
        admin.dispose()


if __name__ == "__main__":
    main()
