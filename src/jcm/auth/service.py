"""Users, password sign-in, browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth import throttle
from jcm.auth import totp as second_factor
from jcm.auth.models import ApiToken, User, WebSession
from jcm.auth.passwords import password_problems
from jcm.auth.rules import Action, Principal, Role, check_new_user, require
from jcm.db import utcnow
from jcm.errors import FieldProblem, JcmError, NotFound, ValidationFailed
from jcm.reference.models import Organisation

_hasher = PasswordHasher()
# Verified when the username is unknown, so a miss takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


class SignInFailed(JcmError):
    code = "sign_in_failed"

    def __init__(self) -> None:
        super().__init__(
            "The username or password is wrong.", "ユーザー名またはパスワードが違います。"
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    return Principal(user.id, user.username, Role(user.role), user.organisation_id)


def create_user(
    session: Session,
    ctx: audit.Context,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    organisation: str | None = None,
    language: str = "ja",
    email: str = "",
    active: bool = True,
) -> User:
    org_id = None
    if organisation:
        org = session.scalar(select(Organisation).where(Organisation.name_en == organisation))
        if org is None:
            raise ValidationFailed.of(
                [
                    FieldProblem(
                        "organisation",
                        f"No organisation named '{organisation}'.",
                        f"組織「{organisation}」は存在しません。",
                    )
                ]
            )
        org_id = org.id
    problems = check_new_user(username, password, role, org_id)
    if not any(p.field == "password" for p in problems):
        problems += password_problems(password, username)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        problems.append(
            FieldProblem(
                "username",
                f"User '{username}' already exists.",
                f"ユーザー「{username}」は既に存在します。",
            )
        )
    if problems:
        raise ValidationFailed.of(problems)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        role=role.value,
        organisation_id=org_id,
        language=language,
        email=email,
        is_active=active,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        ctx,
        "user.create",
        "user",
        username,
        after={"role": role.value, "organisation_id": org_id, "active": active},
    )
    return user


def users(session: Session) -> list[tuple[User, Organisation | None]]:
    q = (
        select(User, Organisation)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .order_by(User.username)
    )
    return list(session.execute(q).all())


def _password_ok(user: User | None, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None and user.is_active


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if not _password_ok(user, password):
        raise SignInFailed()
    assert user is not None
    return user


class SecondFactorNeeded(JcmError):
    code = "totp_needed"

    def __init__(self) -> None:
        super().__init__(
            "Enter the 6-digit code from your authenticator app.",
            "認証アプリの6桁のコードを入力してください。",
        )


def sign_in(session: Session, username: str, password: str, code: str, client: str | None) -> User:
    """Password, then the second factor if enrolled; throttled per username and client.

    Raises ``TooManyAttempts`` (without checking the password), ``SignInFailed``,
    ``SecondFactorNeeded`` (right password, no code yet) or ``CodeRejected``.
    The caller commits failures too: they are what slows the next guess.
    """
    throttle.check(session, username, client)
    user = session.scalar(select(User).where(User.username == username))
    if not _password_ok(user, password):
        throttle.failed(session, username, client)
        raise SignInFailed()
    assert user is not None
    if second_factor.enrolled(session, user.id):
        if not code.strip():
            raise SecondFactorNeeded()
        try:
            second_factor.verify(session, user.id, code)
        except second_factor.CodeRejected:
            throttle.failed(session, username, client)
            raise
    throttle.succeeded(session, username, client)
    return user


def code_attempt(
    session: Session, ctx: audit.Context, user_id: int, operation: str, check: Callable[[], None]
) -> JcmError | None:
    """Run one second-factor check of ``operation`` under the user's throttle.

    The refusal — ``TooManyAttempts`` (the check is not even run), ``CodeRejected`` or
    ``SignInFailed`` — is returned, not raised, so the caller commits the counted failure
    and its audit entry before raising it; a success clears the user's counter.
    """
    try:
        throttle.check_code(session, user_id, operation)
    except throttle.TooManyAttempts as exc:
        after = {"operation": operation, "wait_seconds": exc.wait_seconds}
        audit.record(session, ctx, "auth.throttled", "user", user_id, after=after)
        return exc
    try:
        check()
    except (second_factor.CodeRejected, SignInFailed) as exc:
        failures = throttle.code_failed(session, user_id, operation)
        after = {"operation": operation, "failures": failures}
        audit.record(session, ctx, "auth.code_rejected", "user", user_id, after=after)
        return exc
    throttle.code_succeeded(session, user_id, operation)
    return None


def _reauthenticate(session: Session, user_id: int, password: str, code: str) -> User:
    user = session.get(User, user_id)
    if not _password_ok(user, password):
        raise SignInFailed()
    assert user is not None
    if second_factor.enrolled(session, user.id):
        second_factor.verify(session, user.id, code)
    return user


def reauthenticate(
    session: Session,
    ctx: audit.Context,
    user_id: int,
    password: str,
    code: str,
    operation: str = "reauthenticate",
) -> tuple[User | None, JcmError | None]:
    """The signed-in user proves it again: password, and a fresh code if enrolled; throttled
    per user and operation. Returns the user, or the refusal for the caller to raise once
    it has committed the counted failure."""
    found: list[User] = []
    refusal = code_attempt(
        session,
        ctx,
        user_id,
        operation,
        lambda: found.append(_reauthenticate(session, user_id, password, code)),
    )
    return (found[0] if found else None), refusal


def change_password(
    session: Session,
    ctx: audit.Context,
    user_id: int,
    *,
    current: str,
    new: str,
    code: str = "",
) -> User | JcmError:
    """Re-authenticate, apply the policy, store the new hash and end every session.

    A failed re-authentication is counted (and audited) in this transaction and returned;
    the caller commits it and shows the refusal."""
    user, refusal = reauthenticate(session, ctx, user_id, current, code, "password_change")
    if refusal is not None:
        return refusal
    assert user is not None
    problems = password_problems(new, user.username)
    if problems:
        raise ValidationFailed.of(problems)
    user.password_hash = _hasher.hash(new)
    session.flush()
    audit.record(session, ctx, "user.password_change", "user", user.username)
    end_all_sessions(session, ctx, user.id)
    return user


def end_user_sessions(
    session: Session, ctx: audit.Context, principal: Principal | None, username: str
) -> int:
    """An administrator signs a user out everywhere; returns the number of sessions ended."""
    require(principal, Action.USER_MANAGE)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("User", username, "ユーザー")
    return end_all_sessions(session, ctx, user.id)


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str


def start_session(session: Session, ctx: audit.Context, user: User) -> NewSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    session.add(WebSession(token_hash=_digest(token), user_id=user.id, csrf_token=csrf))
    session.flush()
    audit.record(session, ctx, "session.start", "user", user.username)
    return NewSession(token, csrf)


def session_user(
    session: Session, token: str, *, idle: timedelta, absolute: timedelta
) -> tuple[User, WebSession] | None:
    """The user behind a live session cookie; expired sessions are ended on the way."""
    row = session.execute(
        select(User, WebSession)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.token_hash == _digest(token), WebSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    user, ws = row
    now = utcnow()
    if not user.is_active or now - ws.last_seen_at > idle or now - ws.created_at > absolute:
        ws.ended_at = now
        return None
    if now - ws.last_seen_at > timedelta(seconds=60):
        ws.last_seen_at = now
    return user, ws


def end_session(session: Session, ctx: audit.Context, token: str) -> None:
    audit.record(session, ctx, "session.end", "user", ctx.actor)
    session.execute(
        update(WebSession)
        .where(WebSession.token_hash == _digest(token), WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(session: Session, ctx: audit.Context, user_id: int) -> int:
    ended = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    audit.record(session, ctx, "session.end_all", "user", user_id)
    return int(getattr(ended, "rowcount", 0) or 0)


def create_token(session: Session, ctx: audit.Context, username: str, name: str) -> str:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("User", username, "ユーザー")
    token = "jcm_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_digest(token), user_id=user.id, name=name))
    session.flush()
    audit.record(session, ctx, "token.create", "user", username, after={"name": name})
    return token


def token_user(session: Session, token: str) -> User | None:
    row = session.execute(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row[0].is_active:
        return None
    return row[0]
