"""Selection runs over the submitted and screened applications of a call, file imports,
ad-hoc screening without saving, and the call overview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm import audit, encodings
from jcm.auth.rules import Action, Principal, require
from jcm.encodings import AUTO
from jcm.errors import FieldProblem, ImportRejected, NotFound, ValidationFailed
from jcm.subsidy.io import (
    Record,
    applications_from_records,
    csv_records,
    decoded,
    json_records,
    xlsx_records,
)
from jcm.subsidy.models import SubsidyApplication, SubsidySelectionRun
from jcm.subsidy.parsing import parse_application
from jcm.subsidy.policy import load_policy
from jcm.subsidy.schemas import ApplicationIn, AppStatus
from jcm.subsidy.screening import screen
from jcm.subsidy.selection import scale_budget, select_portfolio
from jcm.subsidy.service import (
    call_settings,
    create_application,
    ensure_call,
    similar_counts,
    to_engine,
)
from jcm.subsidy.service_calls import call_settings_version
from jcm.subsidy.service_review import decide
from jcm.uploads import DEFAULT_LIMITS, UploadLimits, check_upload

IN_SELECTION = (AppStatus.SUBMITTED.value, AppStatus.SCREENED.value)


def run_selection(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    call: str,
    policy_data: Mapping[str, Any],
    *,
    illustrative: bool = False,
) -> SubsidySelectionRun:
    """Choose the portfolio among submitted and screened applications; store the run."""
    require(principal, Action.SUBSIDY_SELECT)
    settings, version = ensure_call(session, ctx, call)
    policy = load_policy(policy_data)
    rows = session.scalars(
        select(SubsidyApplication)
        .where(SubsidyApplication.call == call, SubsidyApplication.status.in_(IN_SELECTION))
        .order_by(SubsidyApplication.ref)
    ).all()
    counts = similar_counts(session, settings)
    apps = [to_engine(r, settings, counts) for r in rows]
    selection = select_portfolio(apps, settings, policy)
    budget = sum(a for _, a in scale_budget(settings, policy.budget_jpy))
    run = SubsidySelectionRun(
        call=call,
        call_version=version,
        policy=dict(policy_data),
        budget_jpy=budget,
        inputs=[a.as_dict() for a in apps],
        result=selection.as_dict(),
        illustrative=illustrative,
        actor=ctx.actor,
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        ctx,
        "subsidy.selection.run",
        "subsidy_selection_run",
        run.id,
        after={"call": call, "budget_jpy": budget, "selected": run.result["selected"]},
    )
    return run


def load_run(session: Session, principal: Principal | None, run_id: int) -> SubsidySelectionRun:
    require(principal, Action.SUBSIDY_READ_ALL)
    run = session.get(SubsidySelectionRun, run_id)
    if run is None:
        raise NotFound("Selection run", run_id, "選定実行")
    return run


def run_statuses(session: Session, run: SubsidySelectionRun) -> dict[str, str]:
    """The status today of each application the run chose."""
    refs = list(run.result["selected"])
    rows = session.execute(
        select(SubsidyApplication.ref, SubsidyApplication.status).where(
            SubsidyApplication.ref.in_(refs)
        )
    ).all()
    return {ref: status for ref, status in rows}


def adopt_run(
    session: Session, ctx: audit.Context, principal: Principal | None, run_id: int
) -> list[str]:
    """Adopt every application the run chose that is not adopted yet, all or none; returns
    the references adopted. An illustrative run, or a chosen application that is no longer
    screened and eligible, refuses the whole adoption and names the application."""
    require(principal, Action.SUBSIDY_DECIDE)
    run = load_run(session, principal, run_id)
    if run.illustrative:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "run",
                    "An illustrative run cannot be adopted; run a selection of your own.",
                    "例示の選定結果は採択できません。選定を実行してください。",
                )
            ]
        )
    statuses = run_statuses(session, run)
    todo = [ref for ref in run.result["selected"] if statuses.get(ref) != AppStatus.ADOPTED.value]
    problems = [
        FieldProblem(
            ref,
            f"Application {ref} must be screened before it is adopted (it is {statuses.get(ref)}).",
            f"申請 {ref} は採択の前に審査が必要です。",
        )
        for ref in todo
        if statuses.get(ref) != AppStatus.SCREENED.value
    ]
    if problems:
        raise ValidationFailed.of(problems)
    for ref in todo:
        decide(session, ctx, principal, ref, "adopt", f"adopted in selection run {run.id}")
    return todo


def run_dict(run: SubsidySelectionRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "call": run.call,
        "call_version": run.call_version,
        "policy": run.policy,
        "budget_jpy": run.budget_jpy,
        "illustrative": run.illustrative,
        "actor": run.actor,
        "at": run.at.isoformat(timespec="seconds"),
        "inputs": run.inputs,
        "result": run.result,
    }


def list_runs(
    session: Session, principal: Principal | None, *, call: str | None = None
) -> list[dict[str, Any]]:
    require(principal, Action.SUBSIDY_READ_ALL)
    q = select(SubsidySelectionRun).order_by(SubsidySelectionRun.id.desc())
    if call:
        q = q.where(SubsidySelectionRun.call == call)
    runs = session.scalars(q)
    return [
        {
            "id": r.id,
            "call": r.call,
            "budget_jpy": r.budget_jpy,
            "at": r.at.isoformat(timespec="seconds"),
            "actor": r.actor,
            "selected": len(r.result["selected"]),
            "illustrative": r.illustrative,
        }
        for r in runs
    ]


def reproduce(session: Session, run: SubsidySelectionRun) -> dict[str, Any]:
    """Solve the stored inputs again under the stored settings version and policy."""
    settings = call_settings_version(session, run.call, run.call_version)
    apps = [parse_application(data, settings) for data in run.inputs]
    return select_portfolio(apps, settings, load_policy(run.policy)).as_dict()


IMPORT_TYPES = frozenset({".json", ".csv", ".xlsx", ".xlsm"})


def file_records(filename: str, content: bytes, encoding: str | None = AUTO) -> list[Record]:
    return file_table(filename, content, encoding)[0]


def file_table(
    filename: str, content: bytes, encoding: str | None = AUTO
) -> tuple[list[Record], str | None]:
    """The records of an uploaded file and, for a CSV, the encoding it was read in."""
    name = filename.lower()
    chosen = encodings.choice(encoding)
    if name.endswith(".json"):
        return json_records(decoded(content, "utf-8")), None
    if name.endswith(".csv"):
        text = encodings.decode(content, chosen, name=Path(filename).name)
        return csv_records(text.text), text.encoding
    if name.endswith((".xlsx", ".xlsm")):
        return xlsx_records(content), None
    raise ImportRejected.of(
        [
            FieldProblem(
                "(file)", f"unknown file type '{filename}'.", f"未対応の形式です：'{filename}'。"
            )
        ]
    )


@dataclass(frozen=True)
class ApplicationImport:
    """The drafts a file created, and the encoding a CSV was read in (None otherwise)."""

    created: list[str]
    encoding: str | None


def import_applications(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    *,
    call: str,
    filename: str,
    content: bytes,
    representative: str,
    representative_ja: str = "",
    encoding: str | None = AUTO,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ApplicationImport:
    """Drafts for every row of a file, or ``ImportRejected`` naming each bad row and nothing
    written; a CSV is read in ``encoding`` (default: found, UTF-8 or CP932)."""
    check_upload(filename, content, IMPORT_TYPES, limits)
    settings, _ = call_settings(session, call)
    records, found = file_table(filename, content, encoding)
    apps = applications_from_records(records, settings)
    taken = set(
        session.scalars(
            select(SubsidyApplication.ref).where(SubsidyApplication.ref.in_([a.id for a in apps]))
        )
    )
    rows = {a.id: row for (row, _), a in zip(records, apps, strict=True)}
    if taken:
        raise ImportRejected.of(
            [
                FieldProblem(
                    "id",
                    f"application {ref} already exists.",
                    f"申請 {ref} は既に存在します。",
                    rows[ref],
                )
                for ref in sorted(taken)
            ]
        )
    refs = []
    for app in apps:
        body = ApplicationIn(
            call=call,
            title_en=app.note or app.id,
            title_ja=app.note or app.id,
            representative=representative,
            representative_ja=representative_ja,
            application=app.as_dict(),
        )
        refs.append(create_application(session, ctx, principal, body).ref)
    return ApplicationImport(refs, found)


def adhoc_screening(session: Session, call: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Screen an application JSON against the call without storing anything."""
    settings, version = call_settings(session, call)
    counts = similar_counts(session, settings)
    record = dict(data)
    record.setdefault("id", "draft")
    result = screen(parse_application(record, settings, similar_adopted=counts), settings)
    return {**result.as_dict(), "call": call, "call_version": version}


def overview(session: Session, call: str) -> dict[str, Any]:
    """Budget per fiscal year and applications per status, for everyone to read."""
    settings, version = call_settings(session, call)
    counts = dict(
        session.execute(
            select(SubsidyApplication.status, func.count())
            .where(SubsidyApplication.call == call)
            .group_by(SubsidyApplication.status)
        ).all()
    )
    return {
        "call": call,
        "version": version,
        "budget_jpy_by_fiscal_year": {str(y): a for y, a in settings.budget_jpy_by_fiscal_year},
        "total_budget_jpy": settings.total_budget_jpy,
        "budget_note": settings.budget_note,
        "ceiling_jpy": settings.ceiling_jpy,
        "counts": {s.value: int(counts.get(s.value, 0)) for s in AppStatus},
    }
