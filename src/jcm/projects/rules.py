"""The project life cycle and the rules for a project record; no I/O."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum

from jcm.errors import FieldProblem, IllegalTransition


class Status(StrEnum):
    IDEA = "idea"
    APPLIED = "applied"
    ADOPTED = "adopted"
    UNDER_CONSTRUCTION = "under_construction"
    VALIDATED = "validated"
    REGISTERED = "registered"
    MONITORING = "monitoring"
    CREDITED = "credited"
    WITHDRAWN = "withdrawn"


LIFE_CYCLE: tuple[Status, ...] = (
    Status.IDEA,
    Status.APPLIED,
    Status.ADOPTED,
    Status.UNDER_CONSTRUCTION,
    Status.VALIDATED,
    Status.REGISTERED,
    Status.MONITORING,
    Status.CREDITED,
)

STATUS_JA: dict[Status, str] = {
    Status.IDEA: "構想",
    Status.APPLIED: "申請済",
    Status.ADOPTED: "採択",
    Status.UNDER_CONSTRUCTION: "建設中",
    Status.VALIDATED: "有効化審査済",
    Status.REGISTERED: "登録済",
    Status.MONITORING: "モニタリング中",
    Status.CREDITED: "クレジット発行済",
    Status.WITHDRAWN: "取下げ",
}


class Programme(StrEnum):
    MODEL_PROJECT = "model_project"
    ECO_LEASE = "eco_lease"
    ADB_FUND = "adb_fund"
    PRIVATE = "private"


PROGRAMME_JA: dict[Programme, str] = {
    Programme.MODEL_PROJECT: "JCM設備補助事業",
    Programme.ECO_LEASE: "JCMエコリース事業",
    Programme.ADB_FUND: "ADB日本基金（JFJCM）",
    Programme.PRIVATE: "民間JCM",
}


def allowed_next(current: Status) -> tuple[Status, ...]:
    """The statuses a project may move to: the next step, or withdrawn."""
    if current in (Status.WITHDRAWN, Status.CREDITED):
        return ()
    nxt = LIFE_CYCLE[LIFE_CYCLE.index(current) + 1]
    return (nxt, Status.WITHDRAWN)


def check_transition(current: Status, target: Status) -> None:
    """Refuse a skipped, backward or terminal step with a message naming both states."""
    if target in allowed_next(current):
        return
    options = ", ".join(s.value for s in allowed_next(current)) or "none"
    options_ja = "、".join(STATUS_JA[s] for s in allowed_next(current)) or "なし"
    raise IllegalTransition(
        f"A project in status '{current.value}' cannot move to '{target.value}'. "
        f"Allowed: {options}.",
        f"状態「{STATUS_JA[current]}」のプロジェクトは「{STATUS_JA[target]}」に移行できません。"
        f"移行可能: {options_ja}。",
        field="status",
    )


REF_PATTERN = re.compile(r"^[A-Z]{2}\d{3}$")


def check_ref(ref: str, partner_iso2: str | None) -> list[FieldProblem]:
    """A project reference is the partner's ISO 3166 alpha-2 code and three digits."""
    if not REF_PATTERN.match(ref):
        return [
            FieldProblem(
                "ref",
                f"'{ref}' is not a project reference like TH001 (two letters, three digits).",
                f"「{ref}」はTH001のようなプロジェクト番号（英字2文字＋数字3桁）ではありません。",
            )
        ]
    if partner_iso2 and ref[:2] != partner_iso2:
        return [
            FieldProblem(
                "ref",
                f"Reference {ref} must start with the partner country code {partner_iso2}.",
                f"プロジェクト番号 {ref} はパートナー国コード {partner_iso2} で始まる必要があります。",
            )
        ]
    return []


def check_figures(
    expected_reduction: int,
    fiscal_year: int,
    capacity_mw: Decimal | None,
    lat: Decimal | None,
    lon: Decimal | None,
) -> list[FieldProblem]:
    """Range checks on the numbers of a project record."""
    problems: list[FieldProblem] = []
    if expected_reduction < 0:
        problems.append(
            FieldProblem(
                "expected_reduction_tco2_per_year",
                "Expected reductions (tCO2/y) cannot be negative.",
                "想定削減量（tCO2/年）は負にできません。",
            )
        )
    if not 2013 <= fiscal_year <= 2100:
        problems.append(
            FieldProblem(
                "fiscal_year",
                f"Fiscal year {fiscal_year} is outside 2013–2100.",
                f"年度 {fiscal_year} は2013〜2100の範囲外です。",
            )
        )
    if capacity_mw is not None and capacity_mw < 0:
        problems.append(
            FieldProblem(
                "capacity_mw", "Capacity (MW) cannot be negative.", "容量（MW）は負にできません。"
            )
        )
    if lat is not None and not Decimal(-90) <= lat <= Decimal(90):
        problems.append(
            FieldProblem("latitude", "Latitude must be within ±90°.", "緯度は±90°以内です。")
        )
    if lon is not None and not Decimal(-180) <= lon <= Decimal(180):
        problems.append(
            FieldProblem("longitude", "Longitude must be within ±180°.", "経度は±180°以内です。")
        )
    return problems
