"""Call settings stored as versions per call year; the built-in FY2022 is the default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import Action, Principal, require
from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.subsidy.models import SubsidyCallVersion
from jcm.subsidy.settings import CALL_NAME, CALLS, CallSettings, carry_forward
from jcm.subsidy.settings_json import dump_call_settings, load_call_settings


def _latest(session: Session, call: str) -> SubsidyCallVersion | None:
    return session.scalar(
        select(SubsidyCallVersion)
        .where(SubsidyCallVersion.call == call)
        .order_by(SubsidyCallVersion.version.desc())
        .limit(1)
    )


def call_settings(session: Session, call: str) -> tuple[CallSettings, int]:
    """The newest saved settings of a call and their version (0: the built-in default)."""
    row = _latest(session, call)
    if row is not None:
        return load_call_settings(row.settings), row.version
    if call in CALLS:
        return CALLS[call], 0
    raise NotFound("Subsidy call", call, "公募")


def call_settings_version(session: Session, call: str, version: int) -> CallSettings:
    """The settings of one stored version (0: the built-in default)."""
    if version == 0 and call in CALLS:
        return CALLS[call]
    row = session.scalar(
        select(SubsidyCallVersion).where(
            SubsidyCallVersion.call == call, SubsidyCallVersion.version == version
        )
    )
    if row is None:
        raise NotFound("Subsidy call version", f"{call}/{version}", "公募の版")
    return load_call_settings(row.settings)


def ensure_call(session: Session, ctx: audit.Context, call: str) -> tuple[CallSettings, int]:
    """The call's settings, storing the built-in default as version 1 on first use."""
    settings, version = call_settings(session, call)
    if version:
        return settings, version
    session.add(
        SubsidyCallVersion(
            call=call,
            version=1,
            settings=dump_call_settings(settings),
            actor=ctx.actor,
            note="built-in default",
        )
    )
    session.flush()
    audit.record(session, ctx, "subsidy.call.seed", "subsidy_call", f"{call}/1")
    return settings, 1


def save_call_settings(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    call: str,
    data: Mapping[str, Any],
    note: str = "",
) -> int:
    """Store a new version of a call's settings; returns its number."""
    require(principal, Action.SUBSIDY_CALL_EDIT)
    settings = load_call_settings(data)
    if settings.call != call:
        raise ValidationFailed.of(
            [FieldProblem("call", f"must be '{call}'.", f"「{call}」である必要があります。")]
        )
    _, version = ensure_call(session, ctx, call)
    row = SubsidyCallVersion(
        call=call,
        version=version + 1,
        settings=dump_call_settings(settings),
        actor=ctx.actor,
        note=note,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        ctx,
        "subsidy.call.save",
        "subsidy_call",
        f"{call}/{row.version}",
        after={"note": note},
    )
    return row.version


def open_call(
    session: Session, ctx: audit.Context, principal: Principal | None, call: str, based_on: str
) -> int:
    """Open a new call with ``based_on``'s rules carried forward; returns its version (1)."""
    require(principal, Action.SUBSIDY_CALL_EDIT)
    call = call.strip().upper()
    if CALL_NAME.match(call) is None:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "call",
                    "Name the call by its fiscal year, like FY2025.",
                    "公募名は年度で、FY2025のように入力してください。",
                )
            ]
        )
    if call in known_calls(session):
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "call",
                    f"The call {call} already exists.",
                    f"公募「{call}」は既に存在します。",
                )
            ]
        )
    base, base_version = call_settings(session, based_on)
    settings = carry_forward(base, call)
    session.add(
        SubsidyCallVersion(
            call=call,
            version=1,
            settings=dump_call_settings(settings),
            actor=ctx.actor,
            note=f"carried forward from {based_on} version {base_version}",
        )
    )
    session.flush()
    audit.record(
        session,
        ctx,
        "subsidy.call.open",
        "subsidy_call",
        f"{call}/1",
        after={"based_on": f"{based_on}/{base_version}"},
    )
    return 1


def known_calls(session: Session) -> list[str]:
    stored = set(session.scalars(select(SubsidyCallVersion.call).distinct()))
    return sorted(stored | set(CALLS))
