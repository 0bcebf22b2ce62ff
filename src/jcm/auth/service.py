"""Users, password sign-in, browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.models import ApiToken, User, WebSession
from jcm.auth.rules import Principal, Role, check_new_user
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
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        ctx,
        "user.create",
        "user",
        username,
        after={"role": role.value, "organisation_id": org_id},
    )
    return user


def users(session: Session) -> list[tuple[User, Organisation | None]]:
    q = (
        select(User, Organisation)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .order_by(User.username)
    )
    return list(session.execute(q).all())


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise SignInFailed() from None
    if user is None or not user.is_active:
        raise SignInFailed()
    return user


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


def end_session(session: Session, token: str) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.token_hash == _digest(token), WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(session: Session, ctx: audit.Context, user_id: int) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    audit.record(session, ctx, "session.end_all", "user", user_id)


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
