"""User administration: create a user, change a role and organisation, reset the second
factor, deactivate or reactivate, end sessions.

Each function runs inside the caller's one transaction and audits what it changed; a refusal
raises ``ValidationFailed`` (each problem naming its field, in English and Japanese) before
anything is written. Giving someone privileged access — the administrator, secretariat or
Joint Committee role — is not applied but held as a role grant for a second, different
administrator to approve with a one-time code on /approvals (``grant_needs_second_admin``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.approvals import service as approvals
from jcm.approvals.models import PendingOperation
from jcm.approvals.rules import Kind, Reason
from jcm.auth import service as auth
from jcm.auth.models import User, UserTotp, WebSession
from jcm.auth.passwords import password_problems
from jcm.auth.rules import (
    Action,
    Principal,
    Role,
    check_deactivation,
    check_new_user,
    check_role_change,
    grant_needs_second_admin,
    organisation_problems,
    require,
)
from jcm.errors import FieldProblem, NotFound, ValidationFailed
from jcm.reference.models import Organisation

MAX_ID = 2_147_483_647
LANGUAGES = ("ja", "en")


class Done(StrEnum):
    APPLIED = "applied"
    HELD = "held"  # waits for a second administrator on /approvals
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Outcome:
    done: Done
    pending_operation_id: int | None = None


@dataclass(frozen=True)
class UserRow:
    user: User
    organisation: Organisation | None
    enrolled: bool
    pending_grant: int | None  # the role grant waiting for approval, if any
    sessions: int  # open browser sessions


@dataclass(frozen=True)
class NewUser:
    """The create-a-user form as typed."""

    username: str
    password: str
    role: str
    display_name: str = ""
    email: str = ""
    organisation: str = ""  # an organisation id, or "" for none
    language: str = "ja"


class RoleGrant(BaseModel):
    """What a held role grant asks for, as stored on its pending operation."""

    username: str
    display_name: str
    role: str
    current_role: str | None = None  # None: a new user
    organisation_id: int | None = None
    organisation_en: str | None = None
    organisation_ja: str | None = None
    activate: bool = False  # the user can sign in once approved
    idempotency_key: str


# --- reading -------------------------------------------------------------------------------


def pending_grants(session: Session) -> dict[str, int]:
    """Username -> id of the role grant waiting for approval."""
    rows = session.scalars(
        select(PendingOperation).where(
            PendingOperation.kind == Kind.ROLE_GRANT.value, PendingOperation.status == "pending"
        )
    )
    return {str(op.request.get("username")): op.id for op in rows}


def rows(session: Session) -> list[UserRow]:
    enrolled = set(
        session.scalars(select(UserTotp.user_id).where(UserTotp.enrolled_at.is_not(None)))
    )
    open_sessions = dict(
        session.execute(
            select(WebSession.user_id, func.count())
            .where(WebSession.ended_at.is_(None))
            .group_by(WebSession.user_id)
        ).all()
    )
    grants = pending_grants(session)
    return [
        UserRow(u, org, u.id in enrolled, grants.get(u.username), int(open_sessions.get(u.id, 0)))
        for u, org in auth.users(session)
    ]


def row(session: Session, username: str) -> UserRow:
    for r in rows(session):
        if r.user.username == username:
            return r
    raise NotFound("User", username, "ユーザー")


# --- parsing the form ----------------------------------------------------------------------


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("User", username, "ユーザー")
    return user


def _role(value: str, problems: list[FieldProblem]) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        problems.append(
            FieldProblem("role", "Choose a role from the list.", "一覧から役割を選んでください。")
        )
        return None


def _organisation(
    session: Session, value: str, problems: list[FieldProblem]
) -> Organisation | None:
    value = value.strip()
    if not value:
        return None
    found = None
    if value.isdigit() and 0 < int(value) <= MAX_ID:
        found = session.get(Organisation, int(value))
    if found is None:
        problems.append(
            FieldProblem(
                "organisation",
                "Choose an organisation from the list.",
                "一覧から組織を選んでください。",
            )
        )
    return found


def _grant_waiting(session: Session, user: User, field: str) -> list[FieldProblem]:
    if user.username in pending_grants(session):
        return [
            FieldProblem(
                field,
                "A role grant for this user already waits for approval; decide it on the "
                "approvals page first.",
                "このユーザーの役割付与が既に承認待ちです。先に承認ページで判断してください。",
            )
        ]
    return []


def _profile_problems(form: NewUser) -> list[FieldProblem]:
    problems = []
    if len(form.display_name) > 120:
        problems.append(
            FieldProblem(
                "display_name",
                "The display name may have at most 120 characters.",
                "表示名は120文字以内にしてください。",
            )
        )
    email = form.email.strip()
    if email and (len(email) > 200 or " " in email or email.count("@") != 1):
        problems.append(
            FieldProblem(
                "email",
                "Enter an email address such as name@example.org, or leave it empty.",
                "メールアドレスは name@example.org の形で入力するか、空欄にしてください。",
            )
        )
    if form.language not in LANGUAGES:
        problems.append(
            FieldProblem(
                "language",
                "Choose Japanese or English.",
                "日本語か英語を選んでください。",
            )
        )
    return problems


def _hold(
    session: Session,
    ctx: audit.Context,
    principal: Principal,
    user: User,
    role: Role,
    org: Organisation | None,
    *,
    current: Role | None,
    activate: bool,
) -> Outcome:
    grant = RoleGrant(
        username=user.username,
        display_name=user.display_name,
        role=role.value,
        current_role=current.value if current else None,
        organisation_id=org.id if org else None,
        organisation_en=org.name_en if org else None,
        organisation_ja=org.name_ja if org else None,
        activate=activate,
        idempotency_key=f"role-grant-{user.username}-{secrets.token_hex(8)}",
    )
    op = approvals.hold(session, ctx, principal, Kind.ROLE_GRANT, grant, Reason.PRIVILEGED_ROLE)
    return Outcome(Done.HELD, op.id)


# --- writing -------------------------------------------------------------------------------


def create(
    session: Session, ctx: audit.Context, principal: Principal | None, form: NewUser
) -> tuple[User, Outcome]:
    """Create the user; with a privileged role it is created unable to sign in, and the
    grant (role and sign-in) waits for a second administrator."""
    who = require(principal, Action.USER_MANAGE)
    problems: list[FieldProblem] = []
    role = _role(form.role, problems)
    org = _organisation(session, form.organisation, problems)
    checked = check_new_user(
        form.username, form.password, role or Role.THIRD_PARTY_ENTITY, org.id if org else None
    )
    if any(p.field == "organisation" for p in problems):
        checked = [p for p in checked if p.field != "organisation"]
    problems += checked
    if not any(p.field == "password" for p in problems):
        problems += password_problems(form.password, form.username)
    if session.scalar(select(User.id).where(User.username == form.username)) is not None:
        problems.append(
            FieldProblem(
                "username",
                f"User '{form.username}' already exists.",
                f"ユーザー「{form.username}」は既に存在します。",
            )
        )
    problems += _profile_problems(form)
    if problems:
        raise ValidationFailed.of(problems)
    assert role is not None
    held = grant_needs_second_admin(None, role, True)
    user = auth.create_user(
        session,
        ctx,
        username=form.username,
        password=form.password,
        role=role,
        display_name=form.display_name.strip(),
        organisation=org.name_en if org else None,
        language=form.language,
        email=form.email.strip(),
        active=not held,
    )
    if held:
        return user, _hold(session, ctx, who, user, role, org, current=None, activate=True)
    return user, Outcome(Done.APPLIED)


def change_role(
    session: Session,
    ctx: audit.Context,
    principal: Principal | None,
    username: str,
    *,
    role: str,
    organisation: str,
) -> Outcome:
    """Set the user's role and organisation, or hold the change when it grants a privileged
    role (the user keeps the current role until a second administrator approves)."""
    who = require(principal, Action.USER_MANAGE)
    user = _user(session, username)
    problems: list[FieldProblem] = []
    new_role = _role(role, problems)
    org = _organisation(session, organisation, problems)
    if new_role is not None:
        found = check_role_change(who.user_id, user.id, new_role, org.id if org else None)
        if any(p.field == "organisation" for p in problems):
            found = [p for p in found if p.field != "organisation"]
        problems += found
    problems += _grant_waiting(session, user, "role")
    if problems:
        raise ValidationFailed.of(problems)
    assert new_role is not None
    org_id = org.id if org else None
    current = Role(user.role)
    if new_role is current and org_id == user.organisation_id:
        return Outcome(Done.UNCHANGED)
    if grant_needs_second_admin((current, user.is_active), new_role, user.is_active):
        return _hold(session, ctx, who, user, new_role, org, current=current, activate=False)
    _apply(session, ctx, user, new_role, org_id, activate=False)
    return Outcome(Done.APPLIED)


def _apply(
    session: Session,
    ctx: audit.Context,
    user: User,
    role: Role,
    organisation_id: int | None,
    *,
    activate: bool,
    operation: int | None = None,
) -> dict[str, Any]:
    before = {"role": user.role, "organisation_id": user.organisation_id}
    user.role, user.organisation_id = role.value, organisation_id
    after: dict[str, Any] = {"role": role.value, "organisation_id": organisation_id}
    if activate:
        before["active"], after["active"] = user.is_active, True
        user.is_active = True
    if operation is not None:
        after["pending_operation_id"] = operation
    session.flush()
    audit.record(
        session, ctx, "user.role_change", "user", user.username, before=before, after=after
    )
    return {"username": user.username, **after}


def apply_grant(
    session: Session, ctx: audit.Context, data: dict[str, Any], operation: int
) -> dict[str, Any]:
    """Run an approved role grant (called by the approvals service, ``ctx`` the approver)."""
    grant = RoleGrant(**data)
    user = _user(session, grant.username)
    role = Role(grant.role)
    problems = organisation_problems(role, grant.organisation_id)
    if problems:
        raise ValidationFailed.of(problems)
    return _apply(
        session,
        ctx,
        user,
        role,
        grant.organisation_id,
        activate=grant.activate,
        operation=operation,
    )


def set_active(
    session: Session, ctx: audit.Context, principal: Principal | None, username: str, active: bool
) -> Outcome:
    """Deactivate (signs the user out everywhere and refuses sign-in) or reactivate; giving a
    privileged user back their access waits for a second administrator."""
    who = require(principal, Action.USER_MANAGE)
    user = _user(session, username)
    if user.is_active == active:
        return Outcome(Done.UNCHANGED)
    if not active:
        problems = check_deactivation(who.user_id, user.id)
        if problems:
            raise ValidationFailed.of(problems)
        user.is_active = False
        session.flush()
        audit.record(session, ctx, "user.deactivate", "user", user.username)
        auth.end_all_sessions(session, ctx, user.id)
        return Outcome(Done.APPLIED)
    problems = _grant_waiting(session, user, "active")
    if problems:
        raise ValidationFailed.of(problems)
    role = Role(user.role)
    if grant_needs_second_admin((role, False), role, True):
        org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
        return _hold(session, ctx, who, user, role, org, current=role, activate=True)
    user.is_active = True
    session.flush()
    audit.record(session, ctx, "user.reactivate", "user", user.username)
    return Outcome(Done.APPLIED)


def reset_mfa(
    session: Session, ctx: audit.Context, principal: Principal | None, username: str
) -> Outcome:
    """Remove the user's second factor, so they set up an authenticator app again at their
    next sign-in, and end their sessions."""
    require(principal, Action.USER_MANAGE)
    user = _user(session, username)
    factor = session.get(UserTotp, user.id)
    if factor is None:
        return Outcome(Done.UNCHANGED)
    enrolled = factor.enrolled_at is not None
    session.delete(factor)
    session.flush()
    audit.record(
        session, ctx, "user.mfa_reset", "user", user.username, before={"enrolled": enrolled}
    )
    auth.end_all_sessions(session, ctx, user.id)
    return Outcome(Done.APPLIED)


def end_sessions(
    session: Session, ctx: audit.Context, principal: Principal | None, username: str
) -> int:
    return auth.end_user_sessions(session, ctx, principal, username)
