"""Pure rules of operations: what a backup's manifest records, how a restored database is
compared with it, and what readiness means. No I/O."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from jcm.formats import number, tonnes
from jcm.labels import label

MANIFEST_FORMAT = 1
MANIFEST_NAME = "manifest.json"
MANIFEST_SUM_NAME = "manifest.sha256"
PAYLOAD_NAME = "database"
ENGINES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Snapshot:
    """What must be identical before a backup and after its restore."""

    revisions: tuple[str, ...]
    audit_entries: int
    audit_head: str
    registry_units: dict[str, int]  # tCO2 by block state (held, cancelled, retired, …)
    registry_transactions: int


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str  # ISO 8601, UTC
    payload_bytes: int
    payload_sha256: str
    snapshot: Snapshot
    format: int = MANIFEST_FORMAT
    product: str = field(default="jcm")

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, indent=2).encode()


class ManifestInvalid(ValueError):
    """A manifest that cannot be read; the message names what is wrong."""


def _need(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ManifestInvalid(f"manifest field {key!r} is missing or not a {kind}")
    return value


def parse_manifest(raw: bytes) -> Manifest:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestInvalid(f"the manifest is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ManifestInvalid("the manifest is not a JSON object")
    if data.get("product") != "jcm" or data.get("format") != MANIFEST_FORMAT:
        raise ManifestInvalid("the file is not a JCM Platform backup of a known format")
    engine = _need(data, "engine", str)
    if engine not in ENGINES:
        raise ManifestInvalid(f"unknown database engine {engine!r}")
    snap = _need(data, "snapshot", dict)
    units = _need(snap, "registry_units", dict)
    if not all(isinstance(k, str) and type(v) is int for k, v in units.items()):
        raise ManifestInvalid("manifest field 'registry_units' must map states to integers")
    revisions = _need(snap, "revisions", list)
    if not all(isinstance(r, str) for r in revisions):
        raise ManifestInvalid("manifest field 'revisions' must be a list of strings")
    return Manifest(
        engine=engine,
        created_at=_need(data, "created_at", str),
        payload_bytes=_need(data, "payload_bytes", int),
        payload_sha256=_need(data, "payload_sha256", str),
        snapshot=Snapshot(
            revisions=tuple(revisions),
            audit_entries=_need(snap, "audit_entries", int),
            audit_head=_need(snap, "audit_head", str),
            registry_units=dict(units),
            registry_transactions=_need(snap, "registry_transactions", int),
        ),
    )


def manifest_sum(raw_manifest: bytes) -> str:
    return hashlib.sha256(raw_manifest).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One difference, said in both languages."""

    en: str
    ja: str


def payload_problems(manifest: Manifest, size: int, sha256: str) -> list[Problem]:
    """Why a payload is not the one the manifest describes (empty when it is)."""
    problems = []
    if size != manifest.payload_bytes:
        problems.append(
            Problem(
                f"the database file has {number('en', size)} bytes; the manifest says "
                f"{number('en', manifest.payload_bytes)}",
                f"データベースファイルは {number('ja', size)} バイトですが、マニフェストでは "
                f"{number('ja', manifest.payload_bytes)} バイトです",
            )
        )
    if sha256 != manifest.payload_sha256:
        problems.append(
            Problem(
                "the database file's checksum does not match the manifest",
                "データベースファイルのチェックサムがマニフェストと一致しません",
            )
        )
    return problems


def snapshot_problems(expected: Snapshot, found: Snapshot) -> list[Problem]:
    """Each way the restored database differs from the backed-up one."""
    problems = []
    if found.revisions != expected.revisions:
        got, want = ", ".join(found.revisions) or "-", ", ".join(expected.revisions)
        problems.append(
            Problem(
                f"schema revisions {got}; the backup has {want}",
                f"スキーマのリビジョンは {got}、バックアップでは {want} です",
            )
        )
    if found.audit_entries != expected.audit_entries:
        got_n, want_n = found.audit_entries, expected.audit_entries
        problems.append(
            Problem(
                f"{number('en', got_n)} audit entries; the backup has {number('en', want_n)}",
                f"監査ログは {number('ja', got_n)} 件、バックアップでは {number('ja', want_n)} 件です",
            )
        )
    if found.audit_head != expected.audit_head:
        problems.append(
            Problem(
                "the audit chain's newest hash differs from the backup's",
                "監査チェーンの最新ハッシュがバックアップと異なります",
            )
        )
    if found.registry_transactions != expected.registry_transactions:
        got_n, want_n = found.registry_transactions, expected.registry_transactions
        problems.append(
            Problem(
                f"{number('en', got_n)} registry transactions; "
                f"the backup has {number('en', want_n)}",
                f"登録簿の取引は {number('ja', got_n)} 件、"
                f"バックアップでは {number('ja', want_n)} 件です",
            )
        )
    for state in sorted(set(expected.registry_units) | set(found.registry_units)):
        want_n, got_n = expected.registry_units.get(state, 0), found.registry_units.get(state, 0)
        if want_n != got_n:
            problems.append(
                Problem(
                    f"{tonnes('en', got_n)} {label('en', 'unit_state', state).lower()}; "
                    f"the backup has {tonnes('en', want_n)}",
                    f"{label('ja', 'unit_state', state)}のクレジットは {tonnes('ja', got_n)}、"
                    f"バックアップでは {tonnes('ja', want_n)} です",
                )
            )
    return problems


@dataclass(frozen=True)
class Readiness:
    """What stops the service from taking requests: ``None`` for each part that is fine."""

    database: Problem | None
    migrations: Problem | None
    redis: Problem | None  # None also when no Redis is configured

    @property
    def ready(self) -> bool:
        return not self.problems()

    def problems(self) -> dict[str, Problem]:
        parts = {"database": self.database, "migrations": self.migrations, "redis": self.redis}
        return {k: v for k, v in parts.items() if v is not None}
