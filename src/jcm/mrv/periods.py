"""Binding a project to its methodology, monitoring periods and stored calculations.

Errors raised here, one per broken rule:

    Conflict
    ├── PeriodOverlap        a new period overlaps an existing one
    └── IllegalTransition    (errors.py) a step the period's status does not allow
    RuleViolation
    ├── NotBound             the project has no methodology yet
    ├── UploadRefused        the monitoring file is too large or of an unknown type
    └── InputOutsidePeriod   the INPUT JSON period is not within the stored period's dates
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, Role, require
from jcm.db import utcnow
from jcm.encodings import AUTO
from jcm.errors import (
    Conflict,
    FieldProblem,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from jcm.mrv.api import (
    REGISTRY,
    Methodology,
    calculate,
    monitoring_report_workbook,
    parse_input,
    read_monitoring_file,
)
from jcm.mrv.models import Calculation, MonitoringPeriod, PeriodEvent, ProjectMethodology
from jcm.projects.models import Project
from jcm.uploads import DEFAULT_LIMITS, UploadLimits, check_upload

FILE_TYPES = frozenset({".csv", ".xlsx", ".parquet"})
DRAFT = "draft"


class PeriodOverlap(Conflict):
    code = "period_overlap"

    def __init__(self, start: date, end: date, other: MonitoringPeriod) -> None:
        super().__init__(
            f"The period {start} – {end} overlaps monitoring period #{other.id} "
            f"({other.start} – {other.end}).",
            f"期間 {start}〜{end} はモニタリング期間 #{other.id}"
            f"（{other.start}〜{other.end}）と重複しています。",
            field="start",
        )


class NotBound(RuleViolation):
    code = "methodology_not_bound"

    def __init__(self, ref: str) -> None:
        super().__init__(
            f"Project {ref} is not bound to a methodology yet.",
            f"プロジェクト {ref} にはまだ方法論が設定されていません。",
            field="methodology",
        )


class UploadRefused(RuleViolation):
    code = "upload_refused"


class InputOutsidePeriod(RuleViolation):
    code = "input_outside_period"

    def __init__(self, first: date, last: date, period: MonitoringPeriod) -> None:
        super().__init__(
            f"The INPUT JSON monitoring period {first} – {last} lies outside monitoring period "
            f"#{period.id} ({period.start} – {period.end}).",
            f"INPUT JSON のモニタリング期間 {first}〜{last} はモニタリング期間 #{period.id}"
            f"（{period.start}〜{period.end}）の範囲外です。",
            field="monitoring_period",
        )


def input_days(start: datetime, end: datetime) -> tuple[date, date]:
    """First and last calendar day of an INPUT JSON period, as written (the end is exclusive:
    an end at midnight closes the day before)."""
    last = end.date() if end.time() != time(0) else end.date() - timedelta(days=1)
    return start.date(), max(last, start.date())


def check_inside(period: MonitoringPeriod, start: datetime, end: datetime) -> None:
    """Refuse an INPUT JSON period that is not within the stored period's dates."""
    first, last = input_days(start, end)
    if first < period.start or last > period.end:
        raise InputOutsidePeriod(first, last, period)


def project_by_ref(session: Session, ref: str) -> Project:
    project = session.scalar(select(Project).where(Project.ref == ref))
    if project is None:
        raise NotFound("Project", ref, "プロジェクト")
    return project


def require_owner(principal: Principal | None, action: Action, project: Project) -> Principal:
    """The role may take the action and, for a participant, the project is its own."""
    who = require(principal, action)
    if who.role is Role.PARTICIPANT and who.organisation_id != project.representative_id:
        raise PermissionDenied(
            action.value,
            f"Project {project.ref} belongs to another organisation.",
            f"プロジェクト {project.ref} は他の組織に属しています。",
        )
    return who


def binding(session: Session, project_id: int) -> ProjectMethodology | None:
    return session.scalar(
        select(ProjectMethodology).where(ProjectMethodology.project_id == project_id)
    )


def bound_methodology(session: Session, project: Project) -> Methodology:
    found = binding(session, project.id)
    if found is None:
        raise NotBound(project.ref)
    return REGISTRY.get(found.methodology_id, found.methodology_version)


def bind_methodology(
    session: Session, ctx: audit.Context, principal: Principal | None, ref: str, methodology: str
) -> ProjectMethodology:
    """Bind the project to one methodology version (``ID`` or ``ID:version``)."""
    project = project_by_ref(session, ref)
    require_owner(principal, Action.MRV_REPORT, project)
    m = REGISTRY.parse(methodology)
    row = binding(session, project.id)
    before = {"methodology": f"{row.methodology_id}:{row.methodology_version}"} if row else None
    if row is None:
        row = ProjectMethodology(project_id=project.id)
        session.add(row)
    row.methodology_id, row.methodology_version, row.actor = m.id, m.version, ctx.actor
    row.bound_at = utcnow()
    project.methodology_id = m.id
    session.flush()
    audit.record(
        session, ctx, "mrv.bind", "project", ref, before=before, after={"methodology": m.key}
    )
    return row


def overlapping(
    session: Session, project_id: int, start: date, end: date
) -> MonitoringPeriod | None:
    """The first existing period of the project sharing at least one day with start–end."""
    return session.scalar(
        select(MonitoringPeriod)
        .where(
            MonitoringPeriod.project_id == project_id,
            MonitoringPeriod.start <= end,
            MonitoringPeriod.end >= start,
        )
        .order_by(MonitoringPeriod.start)
        .limit(1)
    )


def create_period(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    ref: str,
    start: date,
    end: date,
) -> MonitoringPeriod:
    project = project_by_ref(session, ref)
    require_owner(principal, Action.MRV_REPORT, project)
    bound_methodology(session, project)
    if end < start:
        raise ValidationFailed.of(
            [FieldProblem("end", "The end is before the start.", "終了日が開始日より前です。")]
        )
    other = overlapping(session, project.id, start, end)
    if other is not None:
        raise PeriodOverlap(start, end, other)
    period = MonitoringPeriod(project_id=project.id, start=start, end=end, status=DRAFT)
    session.add(period)
    session.flush()
    add_event(session, ctx, period, "create", None, DRAFT)
    return period


def add_event(
    session: Session,
    ctx: audit.Context,
    period: MonitoringPeriod,
    step: str,
    from_status: str | None,
    to_status: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Keep one history row and one audit entry for a step on a period."""
    period.status = to_status
    period.updated_at = utcnow()
    session.add(
        PeriodEvent(
            period_id=period.id,
            step=step,
            from_status=from_status,
            to_status=to_status,
            actor=ctx.actor,
            note=note,
        )
    )
    session.flush()
    after = {"status": to_status, "note": note} | (extra or {})
    audit.record(
        session,
        ctx,
        f"mrv.{step}",
        "monitoring_period",
        period.id,
        before={"status": from_status} if from_status else None,
        after=after,
    )


def get_period(session: Session, period_id: int) -> MonitoringPeriod:
    period = session.get(MonitoringPeriod, period_id)
    if period is None:
        raise NotFound("Monitoring period", period_id, "モニタリング期間")
    return period


def store_calculation(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    period_id: int,
    *,
    filename: str,
    content: bytes,
    input_json: str | bytes | dict[str, Any],
    limits: UploadLimits = DEFAULT_LIMITS,
    encoding: str | None = AUTO,
) -> Calculation:
    """Run the engine on an uploaded file and keep the result; a bad file stores nothing.
    A CSV is read in ``encoding`` (default: found, UTF-8 or CP932; see jcm.encodings)."""
    period = get_period(session, period_id)
    project = session.get_one(Project, period.project_id)
    require_owner(principal, Action.MRV_REPORT, project)
    if period.status != DRAFT:
        raise IllegalTransition(
            f"Monitoring period #{period.id} is {period.status}; only a draft takes new data.",
            f"モニタリング期間 #{period.id} は「{period.status}」のため、データを追加できません。",
        )
    _check_upload(filename, content, limits)
    methodology = bound_methodology(session, project)
    inputs = parse_input(input_json)
    check_inside(period, inputs.monitoring_period.start, inputs.monitoring_period.end)
    result, daily = _run(methodology, inputs, filename, content, encoding)
    calc = Calculation(
        period_id=period.id,
        methodology_id=methodology.id,
        methodology_version=methodology.version,
        input_json=inputs.model_dump(mode="json"),
        result=result.as_dict(),
        daily=daily,
        emission_reductions=result.emission_reductions,
        qa_issues=len(result.qa.issues),
        file_name=filename,
        file_sha256=hashlib.sha256(content).hexdigest(),
        file_size=len(content),
        file_bytes=content,
        report_xlsx=monitoring_report_workbook(result, methodology),
        actor=ctx.actor,
    )
    session.add(calc)
    period.claimed_er = result.emission_reductions
    period.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        ctx,
        "mrv.calculate",
        "mrv_calculation",
        calc.id,
        after={"period": period.id, "file": filename, "sha256": calc.file_sha256}
        | {"emission_reductions": calc.emission_reductions, "methodology": methodology.key},
    )
    return calc


def _check_upload(filename: str, content: bytes, limits: UploadLimits) -> None:
    suffix = Path(filename).suffix.lower()
    if suffix not in FILE_TYPES:
        raise UploadRefused(
            f"'{filename}' is not a CSV, XLSX or Parquet file.",
            f"「{filename}」は CSV・XLSX・Parquet ファイルではありません。",
            field="file",
        )
    check_upload(filename, content, FILE_TYPES, limits)


def _run(
    methodology: Methodology,
    inputs: Any,
    filename: str,
    content: bytes,
    encoding: str | None = AUTO,
) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(filename).name
        path.write_bytes(content)
        data = read_monitoring_file(path, inputs.timezone, encoding)
        result = calculate(methodology, inputs, data, input_files=())
        return result, daily_totals(data.frame, inputs)


def daily_totals(frame: pl.LazyFrame, inputs: Any) -> list[dict[str, Any]]:
    """Per day (UTC) and parameter, the sum of interval readings: the chart's series."""
    interval = [p.id for p in inputs.points if p.kind.value == "interval"]
    rows = (
        frame.filter(pl.col("point").is_in(interval))
        .group_by(pl.col("ts").dt.date().alias("day"), "parameter", "unit")
        .agg(pl.col("value").cast(pl.Float64).sum().alias("total"))
        .sort("day", "parameter")
        .collect()
    )
    return [
        {"day": str(r["day"]), "parameter": r["parameter"], "unit": r["unit"], "total": r["total"]}
        for r in rows.iter_rows(named=True)
    ]
