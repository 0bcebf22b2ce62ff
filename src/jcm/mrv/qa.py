"""QA/QC of monitoring data: a structured report (counts, examples, decisions) and the
quantity credited per monitoring point.

Decisions, all conservative:
* a missing interval earns no credit; for a project-emission parameter it is filled with the
  highest valid reading of that series;
* negative readings and readings above capacity × interval hours are excluded (treated as gaps);
* a cumulative meter that rolls over is unwrapped; after a reset the interval is excluded;
* duplicate timestamps keep one reading: the lower for reference-side, the higher for
  project-side parameters;
* readings outside a meter's calibration validity are excluded, or multiplied by the
  configured discount factor (reference side) / divided by it (project side, never excluded).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import polars as pl

from jcm.errors import FieldProblem, ImportRejected, ValidationFailed
from jcm.mrv import fast_qa, units
from jcm.mrv import qa_frames as qf
from jcm.mrv.ingest import Catalogue
from jcm.mrv.inputs import CalcInput, PointKind
from jcm.mrv.methodology import Methodology
from jcm.mrv.qa_report import (
    QaIssue,
    QaReport,
    SeriesResult,
    cal_check,
    calibration_adjust,
    issue,
)
from jcm.mrv.qa_series import credit_series


def run_qa(
    frame: pl.LazyFrame | None,
    inputs: CalcInput,
    methodology: Methodology,
    *,
    streaming: bool = False,
    catalogue: Catalogue | None = None,
) -> QaReport:
    """Check and credit every declared monitoring point; totals from INPUT.json included."""
    start, end = inputs.period_utc()
    report = QaReport()
    for p in inputs.points:
        if p.kind is PointKind.TOTAL and p.total is not None:
            report.series.append(_json_total(p, inputs, methodology, report, start, end))
    spec = qf.spec_frame(inputs, methodology)
    if spec.is_empty():
        return report
    if frame is None:
        frame = _empty_frame()
    if catalogue is None:
        _reject_undeclared(frame, spec)
        unit_list = frame.select(pl.col("unit").unique()).collect()["unit"].to_list()
        base = qf.prepared(frame, spec, qf.unit_frame(unit_list), start, end)
        agg = _aggregate_all(base, spec, streaming)
        gaps = qf.gap_starts(base, _gappy(agg, spec, start, end), start, end)
    else:
        agg, gaps = _fast_aggregate(frame, catalogue, spec, start, end, streaming)
    by_series = {(r["point"], r["parameter"]): r for r in agg.iter_rows(named=True)}
    for row in spec.iter_rows(named=True):
        report.series.append(
            credit_series(row, by_series, gaps, inputs, methodology, report, start, end)
        )
    return report


def _fast_aggregate(
    frame: pl.LazyFrame,
    catalogue: Catalogue,
    spec: pl.DataFrame,
    start: datetime,
    end: datetime,
    streaming: bool,
) -> tuple[pl.DataFrame, dict[tuple[str, str], list[str]]]:
    """The same aggregate and gap examples as the reference, from the ingest catalogue."""
    stray = fast_qa.declared_keys(catalogue).join(spec.select(qf.SERIES), on=qf.SERIES, how="anti")
    if stray.height:
        _reject_undeclared(frame, spec)
    unit_list = catalogue.keys["unit"].unique().to_list()
    unit_table = qf.unit_frame(unit_list)
    agg, rest = fast_qa.split(catalogue, spec, unit_table, start, end)
    if rest.height:  # any series needing per-reading QA: the reference path, unchanged
        base = qf.prepared(frame, spec, unit_table, start, end)
        agg = _aggregate_all(base, spec, streaming)
        return agg, qf.gap_starts(base, _gappy(agg, spec, start, end), start, end)
    gappy = _gappy(agg, spec, start, end)
    gaps: dict[tuple[str, str], list[str]] = {}
    if gappy:
        readings = catalogue.readings(fast_qa.raw_points(catalogue, gappy))
        base = qf.prepared(readings, spec, unit_table, start, end)
        gaps = qf.gap_starts(base, gappy, start, end)
    return agg, gaps


def _empty_frame() -> pl.LazyFrame:
    return pl.LazyFrame(
        schema={
            "row": pl.UInt64,
            "point": pl.String,
            "parameter": pl.String,
            "ts": pl.Datetime("us", "UTC"),
            "value": qf.VALUE_TYPE,
            "unit": pl.String,
        }
    )


def _aggregate_all(base: pl.LazyFrame, spec: pl.DataFrame, streaming: bool) -> pl.DataFrame:
    k = sum(1 for c in spec.columns if c.startswith("cf"))
    engine: Literal["streaming", "auto"] = "streaming" if streaming else "auto"
    cumulative = spec.filter(pl.col("kind") == PointKind.CUMULATIVE.value).select(qf.SERIES)
    plain = base.join(cumulative.lazy(), on=qf.SERIES, how="anti")
    first = qf.aggregate(qf.flagged(plain, k)).collect(engine=engine)
    dup = first.filter(pl.col("slots") != pl.col("unique_ts"))
    redo = pl.concat([dup.select(qf.SERIES), cumulative])
    if redo.is_empty():
        return first
    detail = base.join(redo.lazy(), on=qf.SERIES, how="semi")
    deduped = qf.dedupe(detail)
    deduped = pl.concat(
        [
            deduped.join(cumulative.lazy(), on=qf.SERIES, how="anti"),
            qf.cumulative_deltas(deduped.join(cumulative.lazy(), on=qf.SERIES, how="semi")),
        ],
        how="diagonal_relaxed",
    )
    second = qf.aggregate(qf.flagged(deduped, k)).collect()
    return pl.concat([first.join(redo, on=qf.SERIES, how="anti"), second], how="diagonal_relaxed")


def _gappy(
    agg: pl.DataFrame, spec: pl.DataFrame, start: datetime, end: datetime
) -> list[tuple[str, str]]:
    seconds = (end - start).total_seconds()
    interval = agg.join(spec.select([*qf.SERIES, "kind", "interval_h"]), on=qf.SERIES).filter(
        (pl.col("kind") == PointKind.INTERVAL.value)
        & (pl.col("unique_ts") < (seconds / (pl.col("interval_h") * 3600)).floor())
    )
    return [(str(a), str(b)) for a, b in interval.select(qf.SERIES).iter_rows()]


def _reject_undeclared(frame: pl.LazyFrame, spec: pl.DataFrame) -> None:
    stray = (
        frame.join(spec.lazy().select(qf.SERIES), on=qf.SERIES, how="anti")
        .sort("row")
        .head(20)
        .collect()
    )
    if stray.is_empty():
        return
    raise ImportRejected.of(
        [
            FieldProblem(
                "point",
                f"Row {r['row']}: point '{r['point']}' with parameter "
                f"'{r['parameter']}' is not declared in the input.",
                f"{r['row']} 行目：ポイント '{r['point']}'（パラメータ '{r['parameter']}'）"
                "は入力で宣言されていません。",
                row=r["row"],
            )
            for r in stray.iter_rows(named=True)
        ]
    )


def _json_total(
    p: Any,
    inputs: CalcInput,
    methodology: Methodology,
    report: QaReport,
    start: datetime,
    end: datetime,
) -> SeriesResult:
    param = methodology.parameter(p.parameter)
    value = units.convert(p.total.value, p.total.unit, param.unit, f"points.{p.id}.total.unit")
    if value < 0:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    f"points.{p.id}.total.value",
                    "A period total cannot be negative.",
                    "期間合計は負の値にできません。",
                )
            ]
        )
    if p.calibration and not any(
        qf._utc(w.valid_from, inputs.timezone) <= start
        and qf._utc(w.valid_to, inputs.timezone) >= end
        for w in p.calibration
    ):
        value = calibration_adjust(value, param.side, inputs)
        report.issues.append(
            issue(cal_check(param.side, inputs), p.id, p.parameter, 1, ["period total"])
        )
    return SeriesResult(p.id, p.parameter, param.unit, 1, None, value)


__all__ = ["QaIssue", "QaReport", "SeriesResult", "run_qa"]
