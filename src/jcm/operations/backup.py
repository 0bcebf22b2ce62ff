"""Backups that carry their own proof, and restores that check it.

A backup is one uncompressed tar file holding three members: ``database`` (an SQLite copy
taken with SQLite's online backup API, or a ``pg_dump`` custom-format archive), and
``manifest.json`` with its checksum in ``manifest.sha256``. The manifest records the schema
revisions, the time, the audit chain's head hash and entry count, and the registry's
totals, all read from the same consistent view as the copy: from the copy itself on SQLite,
and inside the exported snapshot ``pg_dump`` runs in on PostgreSQL. Both are consistent
while the server keeps writing.

``restore`` refuses a file whose checksums do not match or whose engine differs, refuses a
database that already holds tables unless forced, restores, then runs the registry's and
the audit chain's verification and compares the restored state with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.orm import Session

from jcm.audit import GENESIS, AuditEntry, AuditHead
from jcm.db import Database, make_engine, utcnow
from jcm.errors import Conflict, ValidationFailed
from jcm.operations.rules import (
    MANIFEST_NAME,
    MANIFEST_SUM_NAME,
    PAYLOAD_NAME,
    Manifest,
    ManifestInvalid,
    Problem,
    Snapshot,
    manifest_sum,
    parse_manifest,
    payload_problems,
    snapshot_problems,
)
from jcm.registry.models import Block, RegistryTransaction
from jcm.registry.verify import verify as verify_registry

CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 1 << 20


class BackupInvalid(ValidationFailed):
    code = "backup_invalid"

    def __init__(self, en: str, ja: str) -> None:
        super().__init__(
            f"The backup cannot be restored: {en}.", f"バックアップを復元できません：{ja}。"
        )


class DatabaseNotEmpty(Conflict):
    code = "database_not_empty"

    def __init__(self, where: str) -> None:
        super().__init__(
            f"The database {where} already holds tables; restoring would replace them. "
            "Run `jcm db restore FILE --force` to replace them.",
            f"データベース {where} には既に表があり、復元すると置き換わります。"
            "置き換える場合は `jcm db restore FILE --force` を実行してください。",
        )


class BackupFailed(Conflict):
    code = "backup_failed"


@dataclass
class RestoreReport:
    manifest: Manifest
    found: Snapshot
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def snapshot(session: Session) -> Snapshot:
    """The revisions, the audit chain's head and size, and the registry's totals by state."""
    revisions = tuple(sorted(session.scalars(text("SELECT version_num FROM alembic_version"))))
    head = session.get(AuditHead, 1)
    units = session.execute(
        select(Block.state, func.sum(Block.serial_end - Block.serial_start + 1)).group_by(
            Block.state
        )
    )
    return Snapshot(
        revisions=revisions,
        audit_entries=session.scalar(select(func.count(AuditEntry.id))) or 0,
        audit_head=head.last_hash if head is not None else GENESIS,
        registry_units={state: int(n) for state, n in units},
        registry_transactions=session.scalar(select(func.count(RegistryTransaction.id))) or 0,
    )


def _where(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _libpq_url(db: Database) -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _run(argv: list[str], what_en: str, what_ja: str) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupFailed(
            f"{argv[0]} is not installed; it is needed to {what_en}.",
            f"{argv[0]} がインストールされていません（{what_ja}に必要です）。",
        )
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1][:300]
        raise BackupFailed(
            f"{argv[0]} failed to {what_en}: {reason}",
            f"{argv[0]} で{what_ja}に失敗しました：{reason}",
        )


def _copy_sqlite(db: Database, payload: Path) -> Snapshot:
    raw = db.engine.raw_connection()
    try:
        target = sqlite3.connect(payload)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()
    copy = Database(make_engine(f"sqlite:///{payload}"))
    try:
        with copy.read() as s:
            return snapshot(s)
    finally:
        copy.dispose()


def _dump_postgresql(db: Database, payload: Path) -> Snapshot:
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            exported = conn.scalar(text("SELECT pg_export_snapshot()"))
            with Session(bind=conn) as s:
                found = snapshot(s)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={exported}",
                    f"--file={payload}",
                    f"--dbname={_libpq_url(db)}",
                ],
                "copy the database",
                "データベースのコピー",
            )
    return found


def backup(db: Database, out: Path) -> Manifest:
    """Write a backup of ``db`` to ``out`` (atomically: a partial file is never left there)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".jcm-backup-") as work:
        payload = Path(work) / PAYLOAD_NAME
        found = _copy_sqlite(db, payload) if db.is_sqlite else _dump_postgresql(db, payload)
        manifest = Manifest(
            engine="sqlite" if db.is_sqlite else "postgresql",
            created_at=utcnow().isoformat(timespec="seconds"),
            payload_bytes=payload.stat().st_size,
            payload_sha256=_sha256(payload),
            snapshot=found,
        )
        raw = manifest.to_json()
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST_NAME, raw)
            _add_bytes(tar, MANIFEST_SUM_NAME, manifest_sum(raw).encode())
            tar.add(payload, arcname=PAYLOAD_NAME)
        os.replace(partial, out)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _member(tar: tarfile.TarFile, name: str) -> tarfile.TarInfo:
    try:
        info = tar.getmember(name)
    except KeyError:
        raise BackupInvalid(f"it has no {name}", f"{name} がありません") from None
    if not info.isfile():
        raise BackupInvalid(f"{name} is not a file", f"{name} がファイルではありません")
    return info


@contextmanager
def opened(path: Path) -> Iterator[tuple[Manifest, Path]]:
    """The backup's manifest and its payload unpacked to a temporary file, both checked."""
    try:
        tar = tarfile.open(path, "r:")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupInvalid(
            f"{path} is not a readable backup file ({exc})",
            f"{path} はバックアップファイルとして読めません（{exc}）",
        ) from None
    with tar, tempfile.TemporaryDirectory(prefix=".jcm-restore-") as work:
        try:
            info = _member(tar, MANIFEST_NAME)
            if info.size > MAX_MANIFEST_BYTES:
                raise BackupInvalid("its manifest is too large", "マニフェストが大きすぎます")
            raw = _read(tar, info)
            given = _read(tar, _member(tar, MANIFEST_SUM_NAME)).decode(errors="replace").strip()
            if given != manifest_sum(raw):
                raise BackupInvalid(
                    "its manifest does not match the manifest's checksum",
                    "マニフェストがそのチェックサムと一致しません",
                )
            try:
                manifest = parse_manifest(raw)
            except ManifestInvalid as exc:
                raise BackupInvalid(str(exc), f"マニフェストが不正です（{exc}）") from None
            payload = Path(work) / PAYLOAD_NAME
            source = tar.extractfile(_member(tar, PAYLOAD_NAME))
            assert source is not None
            digest, size = hashlib.sha256(), 0
            with payload.open("wb") as f:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    f.write(chunk)
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise BackupInvalid(
                f"{path} is truncated or damaged ({exc})",
                f"{path} は途中で切れているか壊れています（{exc}）",
            ) from None
        problems = payload_problems(manifest, size, digest.hexdigest())
        if problems:
            raise BackupInvalid(problems[0].en, problems[0].ja)
        yield manifest, payload


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    f = tar.extractfile(info)
    assert f is not None
    return f.read(MAX_MANIFEST_BYTES + 1)


def _has_tables(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _restore_sqlite(db: Database, payload: Path) -> None:
    source = sqlite3.connect(payload)
    try:
        verdict = source.execute("PRAGMA integrity_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise BackupInvalid(
                "its SQLite copy fails SQLite's integrity check",
                "SQLite のコピーが整合性検査に合格しません",
            )
        db.engine.dispose()
        raw = db.engine.raw_connection()
        try:
            source.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
    finally:
        source.close()
    db.engine.dispose()


def _empty_postgresql(conn: Connection) -> None:
    conn.execute(text("DROP SCHEMA public CASCADE"))
    conn.execute(text("CREATE SCHEMA public"))


def _restore_postgresql(db: Database, payload: Path, *, replace: bool) -> None:
    db.engine.dispose()
    if replace:
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            _empty_postgresql(conn)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq_url(db)}",
            str(payload),
        ],
        "restore the database",
        "データベースの復元",
    )
    db.engine.dispose()


def restore(db: Database, path: Path, *, force: bool = False) -> RestoreReport:
    """Restore ``path`` into ``db`` and compare the result with the backup's manifest."""
    with opened(path) as (manifest, payload):
        engine = "sqlite" if db.is_sqlite else "postgresql"
        if manifest.engine != engine:
            raise BackupInvalid(
                f"it is a {manifest.engine} backup and the database is {engine}",
                f"{manifest.engine} のバックアップですが、データベースは {engine} です",
            )
        occupied = _has_tables(db)
        if occupied and not force:
            raise DatabaseNotEmpty(_where(db))
        if db.is_sqlite:
            _restore_sqlite(db, payload)
        else:
            _restore_postgresql(db, payload, replace=occupied)
    return check_restored(db, manifest)


def check_restored(db: Database, manifest: Manifest) -> RestoreReport:
    """The registry's verification (which includes the audit chain's: every hash recomputed)
    and the restored state against the manifest: every difference is a problem."""
    with db.read() as s:
        found = snapshot(s)
        report = verify_registry(s)
    problems = [Problem(p, f"登録簿・監査ログの検証：{p}") for p in report.problems]
    problems += snapshot_problems(manifest.snapshot, found)
    return RestoreReport(manifest, found, problems)
