"""Running the service: ``jcm serve`` (one or several workers), and ``jcm db backup`` and
``jcm db restore``, thin commands over ``operations.backup``."""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jcm.errors import JcmError
from jcm.formats import tonnes
from jcm.labels import label
from jcm.operations import backup as service
from jcm.operations import logs
from jcm.runtime import open_database, require_ready, schema_revisions
from jcm.settings import get_settings

console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(exc: JcmError) -> typer.Exit:
    err.print(f"error ({exc.code}): {exc.message_en}", markup=False)
    err.print(f"エラー: {exc.message_ja}", markup=False)
    return typer.Exit(code=2)


GRACEFUL_SHUTDOWN_S = 30
WORKER_HEALTHCHECK_S = 60


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes")] = 1,
) -> None:
    """Serve the web pages and the API. With ``--workers N`` uvicorn's supervisor runs N
    processes on one socket and restarts any that dies; they share nothing in memory
    (sessions, CSRF, throttles, idempotency and approvals live in the database) and add up
    their metrics in ``<data dir>/metrics``. On SIGTERM each finishes its requests in flight
    (up to 30 s) before it stops."""
    import uvicorn

    settings = get_settings()
    require_ready(open_database(settings, check=False))
    metrics_dir = settings.data_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)  # counters start again with the server
    metrics_dir.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    console.print(f"JCM Platform: http://{host}:{port}/ ({workers} worker(s) / ワーカー数)")
    logs.configure(settings.log_format)
    # The app reads X-Forwarded-For itself, from JCM_TRUSTED_PROXIES only.
    uvicorn.run(
        "jcm.web.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        # A worker that takes long to start (imports on a loaded machine) is not killed as
        # hung: uvicorn's default of 5 s restarted workers in a loop under load.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        log_config=None,  # the workers log through logs.configure (JSON lines by default)
        access_log=False,  # the product writes its own access lines, with the request id
    )


def backup(
    out: Annotated[Path, typer.Option("--out", help="The backup file to write")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Back up the database to one file with a manifest (safe while the server runs)."""
    db = open_database()
    try:
        manifest = service.backup(db, out)
    except JcmError as exc:
        raise _fail(exc) from None
    finally:
        db.dispose()
    if as_json:
        sys.stdout.write(json.dumps(asdict(manifest), ensure_ascii=False, indent=2) + "\n")
        return
    snap = manifest.snapshot
    units = ", ".join(
        f"{label('en', 'unit_state', state)} / {label('ja', 'unit_state', state)} {tonnes('en', n)}"
        for state, n in sorted(snap.registry_units.items())
    )
    console.print(
        f"backup written / バックアップを作成しました: {out} "
        f"({manifest.engine}, {manifest.payload_bytes:,} bytes)",
        markup=False,
    )
    console.print(
        f"  revisions / リビジョン: {', '.join(snap.revisions)}; "
        f"audit / 監査ログ: {snap.audit_entries:,} entries, head {snap.audit_head[:16]}…; "
        f"registry / 登録簿: {snap.registry_transactions:,} transactions"
        + (f", {units}" if units else ""),
        markup=False,
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `jcm db backup`")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that already holds tables")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Restore a backup, then verify the registry and the audit chain and compare them with
    the backup's manifest; exit 0 only when everything matches."""
    db = open_database(check=False)
    try:
        schema_revisions(db)  # one clear line when the database cannot be reached
        report = service.restore(db, file, force=force)
    except JcmError as exc:
        raise _fail(exc) from None
    finally:
        db.dispose()
    if as_json:
        out = {
            "ok": report.ok,
            "manifest": asdict(report.manifest),
            "found": asdict(report.found),
            "problems": [asdict(p) for p in report.problems],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        for p in report.problems:
            err.print(f"  - {p.en} / {p.ja}", markup=False)
        snap = report.found
        verdict = (
            "restored and verified / 復元し検証しました"
            if report.ok
            else "restored, but it does not match the backup / 復元しましたがバックアップと一致しません"
        )
        console.print(
            f"{verdict}: {snap.audit_entries:,} audit entries, "
            f"{snap.registry_transactions:,} registry transactions",
            markup=False,
        )
    if not report.ok:
        raise typer.Exit(1)
