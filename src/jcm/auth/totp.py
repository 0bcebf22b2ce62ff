"""Time-based one-time codes (RFC 6238) as the second factor, with replay refused.

A code is accepted for the current 30-second step or one step either side, and only if
its step is later than the last accepted one, so a code observed once cannot be replayed.
"""

from __future__ import annotations

import time

import pyotp
import segno
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.models import User, UserTotp
from jcm.auth.rules import Role
from jcm.db import utcnow
from jcm.errors import FieldProblem, JcmError

ISSUER = "JCM Platform"
# Roles that administer the system or can move credits must use a second factor.
REQUIRED_ROLES = frozenset(
    {Role.ADMIN, Role.SECRETARIAT, Role.PARTICIPANT, Role.PARTNER_GOVERNMENT}
)


class CodeRejected(JcmError):
    code = "totp_rejected"

    def __init__(self) -> None:
        super().__init__(
            "The authenticator code is wrong, expired or already used.",
            "認証コードが違うか、期限切れか、使用済みです。",
        )
        self.problems = [FieldProblem("totp_code", self.message_en, self.message_ja)]


def required_for(role: Role) -> bool:
    return role in REQUIRED_ROLES


def enrolled(session: Session, user_id: int) -> bool:
    row = session.get(UserTotp, user_id)
    return row is not None and row.enrolled_at is not None


def _step(secret: str, code: str, at: float) -> int | None:
    totp = pyotp.TOTP(secret)
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    for offset in (0, -1, 1):
        moment = at + offset * totp.interval
        if pyotp.utils.strings_equal(totp.at(moment), code):
            return int(moment) // totp.interval
    return None


def _use(row: UserTotp, code: str, at: float | None) -> None:
    step = _step(row.secret, code, time.time() if at is None else at)
    if step is None or step <= row.last_step:
        raise CodeRejected()
    row.last_step = step


def verify(session: Session, user_id: int, code: str, *, at: float | None = None) -> None:
    """Accept a fresh code of an enrolled user (and remember its step), or raise."""
    row = session.get(UserTotp, user_id)
    if row is None or row.enrolled_at is None:
        raise CodeRejected()
    _use(row, code, at)
    session.flush()


def begin_enrolment(session: Session, user: User) -> tuple[str, str]:
    """A new pending secret (replacing any earlier pending one): the secret and its otpauth URI."""
    row = session.get(UserTotp, user.id)
    secret = pyotp.random_base32()
    if row is None:
        session.add(UserTotp(user_id=user.id, secret=secret, pending_secret=secret))
    else:
        row.pending_secret = secret
    session.flush()
    return secret, provisioning_uri(secret, user.username)


def pending(session: Session, user: User) -> tuple[str, str] | None:
    row = session.get(UserTotp, user.id)
    if row is None or not row.pending_secret:
        return None
    return row.pending_secret, provisioning_uri(row.pending_secret, user.username)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (drawn here, no outside service)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, title="TOTP"))


def confirm_enrolment(
    session: Session, ctx: audit.Context, user: User, code: str, *, at: float | None = None
) -> None:
    """Make the pending secret the user's factor once a code from it checks out."""
    row = session.get(UserTotp, user.id)
    if row is None or not row.pending_secret:
        raise CodeRejected()
    candidate = UserTotp(user_id=user.id, secret=row.pending_secret, last_step=0)
    _use(candidate, code, at)
    row.secret, row.pending_secret = row.pending_secret, None
    row.last_step = candidate.last_step
    row.enrolled_at = utcnow()
    session.flush()
    audit.record(session, ctx, "totp.enrol", "user", user.username)
