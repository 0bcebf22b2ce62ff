"""The TOTP acceptance window (auth/totp.py): this 30-second step or one either side, six
digits (spaces allowed), and never a step at or before the last one accepted."""

from __future__ import annotations

import time

import pyotp
import pytest

from jcm.auth.models import UserTotp
from jcm.auth.rules import Role
from jcm.auth.totp import CodeRejected, _step, _use, required_for

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = 1_700_000_015.0  # 15 s into step 56_666_667
STEP = 56_666_667


def _code(at: float) -> str:
    return pyotp.TOTP(SECRET).at(at)


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_code_of_this_step_or_one_either_side_is_accepted(offset: int) -> None:
    step = _step(SECRET, _code(AT + 30 * offset), AT)
    assert step == STEP + offset
    assert isinstance(step, int)


@pytest.mark.parametrize("offset", [-2, 2])
def test_a_code_two_steps_away_is_refused(offset: int) -> None:
    assert _step(SECRET, _code(AT + 30 * offset), AT) is None


def test_spaces_in_a_code_are_ignored() -> None:
    code = _code(AT)
    assert _step(SECRET, f" {code[:3]} {code[3:]} ", AT) == STEP


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "abcdef"])
def test_a_code_that_is_not_six_digits_is_refused(code: str) -> None:
    assert _step(SECRET, code, AT) is None


def test_a_code_is_accepted_once_and_only_after_the_last_accepted_step() -> None:
    row = UserTotp(user_id=1, secret=SECRET, last_step=STEP - 1)
    _use(row, _code(AT), AT)
    assert row.last_step == STEP
    with pytest.raises(CodeRejected):
        _use(row, _code(AT), AT)  # the same code again
    with pytest.raises(CodeRejected):
        _use(row, _code(AT - 30), AT)  # an older one still inside the window
    _use(row, _code(AT + 30), AT)
    assert row.last_step == STEP + 1


def test_a_wrong_code_is_refused_in_both_languages() -> None:
    row = UserTotp(user_id=1, secret=SECRET, last_step=0)
    with pytest.raises(CodeRejected) as caught:
        _use(row, "000000" if _code(AT) != "000000" else "111111", AT)
    assert caught.value.message_en == "The authenticator code is wrong, expired or already used."
    assert row.last_step == 0


def test_without_a_time_the_code_is_checked_against_now() -> None:
    row = UserTotp(user_id=1, secret=SECRET, last_step=0)
    _use(row, pyotp.TOTP(SECRET).now(), None)
    assert abs(row.last_step - int(time.time()) // 30) <= 1


def test_staff_participants_and_partner_governments_need_a_second_factor() -> None:
    assert {r for r in Role if required_for(r)} == {
        Role.ADMIN,
        Role.SECRETARIAT,
        Role.PARTICIPANT,
        Role.PARTNER_GOVERNMENT,
    }
