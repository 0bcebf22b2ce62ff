"""The decision taken for each QA check, in English and Japanese."""

from __future__ import annotations

DECISIONS: dict[str, tuple[str, str]] = {
    "gap": (
        "Missing intervals earn no credit.",
        "欠測区間はクレジットの対象外としました。",
    ),
    "gap_filled": (
        "Missing or excluded intervals of a project-emission parameter were filled with the "
        "highest valid reading of the series (conservative).",
        "プロジェクト排出パラメータの欠測・除外区間は、系列の最大有効値で補完しました（保守的）。",
    ),
    "negative": (
        "Negative readings were excluded and treated as missing.",
        "負の値は除外し、欠測として扱いました。",
    ),
    "over_capacity": (
        "Readings above capacity × interval hours were excluded and treated as missing.",
        "設備容量 × 区間時間を超える値は除外し、欠測として扱いました。",
    ),
    "meter_reset": (
        "The cumulative meter went backwards (reset); that interval was excluded.",
        "積算計が逆行（リセット）したため、その区間は除外しました。",
    ),
    "meter_rollover": (
        "The cumulative meter rolled over; the reading was unwrapped at its rollover value.",
        "積算計が桁あふれしたため、桁あふれ値で補正しました。",
    ),
    "duplicate": (
        "Duplicate timestamps: one reading kept (identical copies dropped).",
        "重複タイムスタンプ：1 件のみ採用しました（同一値は削除）。",
    ),
    "duplicate_conflict": (
        "Conflicting duplicates: the conservative reading was kept (lower for reference-side, "
        "higher for project-side parameters).",
        "値の異なる重複：保守的な値（リファレンス側は小さい値、プロジェクト側は大きい値）を採用しました。",
    ),
    "out_of_calibration_excluded": (
        "Readings outside the meter's calibration validity were excluded.",
        "校正有効期間外の計測値は除外しました。",
    ),
    "out_of_calibration_discounted": (
        "Readings outside the meter's calibration validity were multiplied by the conservative "
        "discount factor.",
        "校正有効期間外の計測値には保守的な割引係数を乗じました。",
    ),
    "out_of_calibration_project": (
        "Project-side readings outside calibration validity were kept and divided by the "
        "discount factor (conservative).",
        "校正有効期間外のプロジェクト側計測値は除外せず、割引係数で除しました（保守的）。",
    ),
    "negative_result": (
        "Project emissions exceeded reference emissions; emission reductions set to zero.",
        "プロジェクト排出量がリファレンス排出量を上回ったため、排出削減量を 0 としました。",
    ),
}
