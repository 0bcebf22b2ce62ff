"""The backup drill on SQLite and PostgreSQL: the demo and a burst of registry transactions,
a backup taken while transfers keep committing, the database dropped and restored; holdings,
the audit chain's head and the registry's totals come back identical, and a truncated or
edited backup is refused."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from jcm import audit
from jcm.audit import AuditHead
from jcm.db import Database
from jcm.demo import load_demo
from jcm.migrate import upgrade
from jcm.operations import backup as ops
from jcm.operations.rules import MANIFEST_NAME, MANIFEST_SUM_NAME, PAYLOAD_NAME, manifest_sum
from jcm.reference.service import sync_reference_data
from jcm.registry import service
from jcm.registry.demo_load import load_registry_demo
from jcm.registry.models import Account, Block
from jcm.registry.schemas import TransferRequest
from tests.operations.conftest import Blank

CTX = audit.Context(actor="test")
JCM = str(Path(sys.executable).with_name("jcm"))


def _demo(db: Database) -> None:
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        load_demo(s, CTX)
    load_registry_demo(db, CTX)


def _transfer(db: Database, key: str) -> None:
    service.transfer(
        db,
        CTX,
        TransferRequest(
            idempotency_key=key, from_account="JP-SHARP-01", to_account="JP-AAIC-01", quantity=1
        ),
    )


def _holdings(db: Database) -> list[tuple[str, int, int, int, str]]:
    with db.read() as s:
        rows = s.execute(
            select(
                Account.number, Block.issuance_id, Block.serial_start, Block.serial_end, Block.state
            )
            .join(Account, Account.id == Block.account_id)
            .order_by(Block.issuance_id, Block.serial_start)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _head(db: Database) -> str:
    with db.read() as s:
        head = s.get(AuditHead, 1)
        assert head is not None
        return head.last_hash


def _rewrite(src: Path, dst: Path, change: dict[str, bytes]) -> None:
    """A copy of a backup with some members' bytes replaced."""
    with tarfile.open(src) as old, tarfile.open(dst, "w") as new:
        for info in old.getmembers():
            data = change.get(info.name)
            if data is None:
                f = old.extractfile(info)
                assert f is not None
                data = f.read()
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def test_the_backup_drill(blank: Blank, tmp_path: Path) -> None:
    source = blank()
    _demo(source)
    for i in range(20):
        _transfer(source, f"burst-{i}")

    # A backup taken while transfers keep committing is consistent with itself.
    stop = threading.Event()
    committed: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            _transfer(source, f"during-{len(committed)}")
            committed.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        during = tmp_path / "during.tar"
        ops.backup(source, during)
        ops.backup(source, tmp_path / "during-2.tar")
    finally:
        stop.set()
        writer.join()
    assert committed, "no transfer committed while the backups ran"
    restored_during = blank()
    assert ops.restore(restored_during, during).problems == []

    # The quiet backup restores to exactly the same holdings, audit head and totals.
    holdings, head = _holdings(source), _head(source)
    quiet = tmp_path / "quiet.tar"
    manifest = ops.backup(source, quiet)
    assert manifest.snapshot.audit_head == head
    assert manifest.snapshot.registry_units["held"] > 0
    source.dispose()
    target = blank()
    report = ops.restore(target, quiet)
    assert report.problems == []
    assert report.found == manifest.snapshot
    assert _holdings(target) == holdings
    assert _head(target) == head

    # The restored database is a working one: the next transfer commits and verifies.
    _transfer(target, "after-restore")
    with target.read() as s:
        assert service.verify(s).ok


def test_a_damaged_backup_is_refused(blank: Blank, tmp_path: Path) -> None:
    source = blank()
    _demo(source)
    good = tmp_path / "good.tar"
    manifest = ops.backup(source, good)
    target = blank()

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ops.BackupInvalid, match="truncated or damaged"):
        ops.restore(target, truncated)

    with tarfile.open(good) as tar:
        f = tar.extractfile(PAYLOAD_NAME)
        assert f is not None
        payload = bytearray(f.read())
    payload[len(payload) // 2] ^= 0xFF
    flipped = tmp_path / "flipped.tar"
    _rewrite(good, flipped, {PAYLOAD_NAME: bytes(payload)})
    with pytest.raises(ops.BackupInvalid, match="checksum does not match"):
        ops.restore(target, flipped)

    edited = manifest.to_json().replace(b'"retired"', b'"held_"', 1)
    assert edited != manifest.to_json()
    unsigned = tmp_path / "edited.tar"
    _rewrite(good, unsigned, {MANIFEST_NAME: edited})
    with pytest.raises(ops.BackupInvalid, match="manifest's checksum"):
        ops.restore(target, unsigned)

    # A manifest edited along with its checksum restores, and the comparison catches it.
    resigned = tmp_path / "resigned.tar"
    _rewrite(
        good, resigned, {MANIFEST_NAME: edited, MANIFEST_SUM_NAME: manifest_sum(edited).encode()}
    )
    report = ops.restore(target, resigned)
    assert not report.ok
    assert any("the backup has" in p.en for p in report.problems)

    # Nothing is restored over a database that holds tables, unless forced.
    with pytest.raises(ops.DatabaseNotEmpty):
        ops.restore(target, good)
    assert ops.restore(target, good, force=True).ok


def _cli(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    url = db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "JCM_DATABASE_URL": url, "COLUMNS": "200"}
    return subprocess.run(
        [JCM, "db", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_commands_say_what_happened_and_exit_accordingly(blank: Blank, tmp_path: Path) -> None:
    source = blank()
    _demo(source)
    file = tmp_path / "cli.tar"
    done = _cli(source, "backup", "--out", str(file))
    assert done.returncode == 0, done.stderr
    assert "バックアップを作成しました" in done.stdout
    target = blank()
    done = _cli(target, "restore", str(file))
    assert done.returncode == 0, done.stderr
    assert "restored and verified / 復元し検証しました" in done.stdout
    done = _cli(target, "restore", str(file))
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert "Traceback" not in done.stderr
    done = _cli(target, "restore", str(tmp_path / "missing.tar"))
    assert done.returncode == 2
    assert "not a readable backup file" in done.stderr
