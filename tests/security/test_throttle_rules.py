"""The pure parts of sign-in and code throttling (auth/throttle.py): the wait and the keys."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jcm.auth.throttle import (
    FREE_CLIENT_FAILURES,
    FREE_USER_FAILURES,
    MAX_DELAY,
    TooManyAttempts,
    _keys,
    code_key,
    delay_after,
)


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (5, 0), (6, 1), (7, 2), (8, 4), (14, 256), (15, 512), (16, 900), (10**6, 900)],
)
def test_the_wait_doubles_after_the_free_failures_up_to_fifteen_minutes(
    failures: int, seconds: int
) -> None:
    assert MAX_DELAY == timedelta(minutes=15)
    assert delay_after(failures, 5) == timedelta(seconds=seconds)


def test_the_keys_are_the_normalised_username_and_the_client() -> None:
    name = "  Anna.Smith" + "x" * 60 + "  "
    client = "203.0.113.7:" + "9" * 70
    assert _keys(name, client) == [
        ("user:" + ("anna.smith" + "x" * 60)[:60], FREE_USER_FAILURES),
        ("client:" + client[:64], FREE_CLIENT_FAILURES),
    ]
    assert _keys("Anna", None) == [("user:anna", FREE_USER_FAILURES)]
    assert _keys("Anna", "") == [("user:anna", FREE_USER_FAILURES)]


def test_a_code_key_is_per_operation_and_user() -> None:
    assert code_key(42, "approve") == "code:approve:user:42"
    assert code_key(42, "o" * 50) == "code:" + "o" * 40 + ":user:42"


def test_the_refusal_says_how_long_to_wait_for_a_sign_in_or_a_code() -> None:
    signin = TooManyAttempts(30)
    assert (signin.wait_seconds, signin.field) == (30, None)
    assert signin.message_en == "Too many failed sign-ins; try again in 30 seconds."
    assert signin.message_ja == "ログインの失敗が多すぎます。30秒後にもう一度お試しください。"
    codes = TooManyAttempts(8, codes=True)
    assert (codes.wait_seconds, codes.field) == (8, "totp_code")
    assert codes.message_en == "Too many wrong codes or passwords; try again in 8 seconds."
    assert codes.message_ja == (
        "コードまたはパスワードの誤りが多すぎます。8秒後にもう一度お試しください。"
    )
