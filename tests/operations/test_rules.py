"""The backup manifest's rules, without I/O: what it must hold, and each difference named."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from jcm.operations.rules import (
    Manifest,
    ManifestInvalid,
    Problem,
    Readiness,
    Snapshot,
    parse_manifest,
    payload_problems,
    snapshot_problems,
)

SNAP = Snapshot(
    revisions=("0002", "0015"),
    audit_entries=266,
    audit_head="ab" * 32,
    registry_units={"held": 24_800, "cancelled": 1_000, "retired": 200},
    registry_transactions=8,
)
MANIFEST = Manifest(
    engine="sqlite",
    created_at="2026-12-08T00:00:00+00:00",
    payload_bytes=1_404_928,
    payload_sha256="cd" * 32,
    snapshot=SNAP,
)


def test_a_manifest_reads_back_as_written() -> None:
    assert parse_manifest(MANIFEST.to_json()) == MANIFEST


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(product="other"), "not a JCM Platform backup"),
        (lambda d: d.update(format=2), "known format"),
        (lambda d: d.update(engine="mysql"), "unknown database engine"),
        (lambda d: d.pop("payload_sha256"), "'payload_sha256'"),
        (lambda d: d.update(payload_bytes=True), "'payload_bytes'"),
        (lambda d: d["snapshot"].update(registry_units={"held": 1.5}), "'registry_units'"),
        (lambda d: d["snapshot"].update(revisions=[15]), "'revisions'"),
        (lambda d: d["snapshot"].pop("audit_head"), "'audit_head'"),
    ],
)
def test_a_manifest_missing_or_mistyping_a_field_is_refused_by_name(edit, message) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(MANIFEST.to_json())
    edit(data)
    with pytest.raises(ManifestInvalid, match=message):
        parse_manifest(json.dumps(data).encode())


def test_text_that_is_not_a_json_object_is_refused() -> None:
    with pytest.raises(ManifestInvalid, match="not JSON"):
        parse_manifest(b"\xff")
    with pytest.raises(ManifestInvalid, match="not a JSON object"):
        parse_manifest(b"[1]")


def test_the_payload_must_have_the_size_and_checksum_the_manifest_gives() -> None:
    assert payload_problems(MANIFEST, 1_404_928, "cd" * 32) == []
    problems = payload_problems(MANIFEST, 1_404_927, "00" * 32)
    assert [p.en for p in problems] == [
        "the database file has 1,404,927 bytes; the manifest says 1,404,928",
        "the database file's checksum does not match the manifest",
    ]
    assert all(p.ja for p in problems)


def test_an_identical_restore_has_no_problems() -> None:
    assert snapshot_problems(SNAP, replace(SNAP)) == []


def test_each_difference_is_named_in_both_languages() -> None:
    found = replace(
        SNAP,
        revisions=("0002",),
        audit_entries=265,
        audit_head="ef" * 32,
        registry_units={"held": 24_799, "cancelled": 1_000, "retired": 201},
        registry_transactions=7,
    )
    problems = snapshot_problems(SNAP, found)
    assert [p.en for p in problems] == [
        "schema revisions 0002; the backup has 0002, 0015",
        "265 audit entries; the backup has 266",
        "the audit chain's newest hash differs from the backup's",
        "7 registry transactions; the backup has 8",
        "24,799 tCO2 held; the backup has 24,800 tCO2",
        "201 tCO2 retired; the backup has 200 tCO2",
    ]
    assert problems[4].ja == "保有のクレジットは 24,799 t-CO2、バックアップでは 24,800 t-CO2 です"


def test_a_state_only_one_side_has_counts_as_zero_on_the_other() -> None:
    found = replace(SNAP, registry_units={**SNAP.registry_units, "pending": 5})
    assert [p.en for p in snapshot_problems(SNAP, found)] == [
        "5 tCO2 pending; the backup has 0 tCO2"
    ]


def test_ready_only_when_nothing_is_wrong() -> None:
    assert Readiness(None, None, None).ready
    behind = Problem("missing 0015: run `jcm db upgrade`", "0015 が未適用")
    verdict = Readiness(None, behind, None)
    assert not verdict.ready
    assert verdict.problems() == {"migrations": behind}
