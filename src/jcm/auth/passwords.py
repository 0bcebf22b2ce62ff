"""The password policy: at least 12 characters, not a well-known password or a padded one."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from jcm.errors import FieldProblem

MIN_LENGTH = 12
MAX_LENGTH = 200
_PADDING = "0123456789!@#$%^&*()-_=+.?~ "


@cache
def common_passwords() -> frozenset[str]:
    text = files("jcm.auth").joinpath("data", "common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def is_common(password: str) -> bool:
    """A listed password, a listed one padded with digits or symbols, or one repeated character."""
    lowered = password.lower()
    stripped = lowered.rstrip(_PADDING).lstrip(_PADDING)
    listed = common_passwords()
    return lowered in listed or stripped in listed or len(set(lowered)) <= 2


def password_problems(password: str, username: str = "") -> list[FieldProblem]:
    """What is wrong with a new password, as field problems (empty when acceptable)."""
    if len(password) < MIN_LENGTH:
        return [
            FieldProblem(
                "password",
                f"The password must have at least {MIN_LENGTH} characters.",
                f"パスワードは{MIN_LENGTH}文字以上にしてください。",
            )
        ]
    if len(password) > MAX_LENGTH:
        return [
            FieldProblem(
                "password",
                f"The password must have at most {MAX_LENGTH} characters.",
                f"パスワードは{MAX_LENGTH}文字以下にしてください。",
            )
        ]
    if is_common(password) or (len(username) >= 3 and username.lower() in password.lower()):
        return [
            FieldProblem(
                "password",
                "This password is too common or contains the username; choose another.",
                "このパスワードはよく使われているか、ユーザー名を含んでいます。別のものにしてください。",
            )
        ]
    return []
