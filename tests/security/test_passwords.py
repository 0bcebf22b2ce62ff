"""The password policy (auth/passwords.py): length bounds, the common list, padding."""

from __future__ import annotations

import pytest

from jcm.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    common_passwords,
    is_common,
    password_problems,
)
from jcm.errors import FieldProblem

TOO_SHORT = FieldProblem(
    "password",
    "The password must have at least 12 characters.",
    "パスワードは12文字以上にしてください。",
)
TOO_LONG = FieldProblem(
    "password",
    "The password must have at most 200 characters.",
    "パスワードは200文字以下にしてください。",
)
COMMON = FieldProblem(
    "password",
    "This password is too common or contains the username; choose another.",
    "このパスワードはよく使われているか、ユーザー名を含んでいます。別のものにしてください。",
)


def test_the_list_is_lower_case_passwords_without_its_comment_lines() -> None:
    listed = common_passwords()
    assert {"password", "qwerty", "letmein", "!qaz2wsx"} <= listed
    assert not any(p.startswith("#") for p in listed)
    assert all(p == p.strip().lower() and p for p in listed)


@pytest.mark.parametrize(
    ("password", "common"),
    [
        ("password", True),
        ("PassWord", True),  # compared case-insensitively
        ("password1234", True),  # padded on the right
        ("!!password", True),  # padded on the left
        ("2024password?!", True),  # on both sides
        ("abababababab", True),  # two characters repeated
        ("abcabcabcabc", False),  # three are enough
        ("pass word correct", False),
    ],
)
def test_a_listed_padded_or_repetitive_password_is_common(password: str, common: bool) -> None:
    assert is_common(password) is common


def test_the_length_bounds_are_twelve_and_two_hundred() -> None:
    assert (MIN_LENGTH, MAX_LENGTH) == (12, 200)
    assert password_problems("kx7#qv9!mw2") == [TOO_SHORT]
    assert password_problems("kx7#qv9!mw2z") == []
    assert password_problems("kx7#qv9!mw2z" + "t" * 188) == []
    assert password_problems("kx7#qv9!mw2z" + "t" * 189) == [TOO_LONG]


def test_a_common_password_long_enough_is_still_refused() -> None:
    assert password_problems("password1234") == [COMMON]


def test_a_password_containing_the_username_is_refused_whatever_the_case() -> None:
    assert password_problems("kx7#ANNAqv9!mw", "Anna") == [COMMON]
    assert password_problems("kx7#annaqv9!mw", "ANNA") == [COMMON]
    assert password_problems("kx7#Annqv9!mwz", "Ann") == [COMMON]  # three letters count
    assert password_problems("kx7#anqv9!mwzz", "an") == []  # two do not


def test_without_a_username_no_part_of_the_password_is_refused_as_one() -> None:
    assert password_problems("kx7#xxxxqv9!mw") == []
    assert password_problems("kx7#XXXXqv9!mw", "") == []
