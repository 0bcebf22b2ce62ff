"""The permission checks and new-user rules of auth/rules.py, at their edges and in words."""

from __future__ import annotations

import pytest

from jcm.auth.rules import (
    PERMISSIONS,
    Action,
    Principal,
    Role,
    check_deactivation,
    check_new_user,
    check_role_change,
    may,
    organisation_problems,
    require,
)
from jcm.errors import FieldProblem, NotAuthenticated, PermissionDenied

PARTICIPANT = Principal(7, "pp", Role.PARTICIPANT, organisation_id=3)
ADMIN = Principal(1, "root", Role.ADMIN, organisation_id=None)
GOOD_PASSWORD = "correct horse battery"

USERNAME = FieldProblem(
    "username",
    "Use 3–60 letters, digits, '.', '-' or '_'.",
    "ユーザー名は英数字・「.」「-」「_」で3〜60文字にしてください。",
)
PASSWORD = FieldProblem(
    "password",
    "The password must have at least 12 characters.",
    "パスワードは12文字以上にしてください。",
)
ORGANISATION = FieldProblem(
    "organisation",
    "A project participant must belong to an organisation.",
    "プロジェクト参加者は組織に所属している必要があります。",
)


def test_no_one_signed_in_may_do_nothing() -> None:
    assert not may(None, Action.PLATFORM_INQUIRE)
    with pytest.raises(NotAuthenticated):
        require(None, Action.PLATFORM_INQUIRE)


def test_may_follows_the_permission_table() -> None:
    for action, roles in PERMISSIONS.items():
        for role in Role:
            assert may(Principal(1, "u", role, 1), action) is (role in roles)


def test_a_role_without_the_permission_is_refused_in_both_languages() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(PARTICIPANT, Action.REGISTRY_ISSUE)
    assert caught.value.action == "issue credits"
    assert caught.value.message_en == (
        "You may not issue credits. The role Project participant does not have this permission."
    )
    assert caught.value.message_ja == (
        "この操作（クレジットの発行）は許可されていません。"
        "役割「プロジェクト参加者」にはこの権限がありません。"
    )


def test_a_participant_acts_only_on_its_own_organisations_records() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(PARTICIPANT, Action.PROJECT_UPDATE, owner_organisation_id=4)
    assert caught.value.message_en == (
        "You may not change a project. The record belongs to another organisation."
    )
    assert caught.value.message_ja == (
        "この操作（プロジェクトの変更）は許可されていません。この記録は他の組織に属しています。"
    )
    assert require(PARTICIPANT, Action.PROJECT_UPDATE, owner_organisation_id=3) is PARTICIPANT
    assert require(PARTICIPANT, Action.PROJECT_UPDATE) is PARTICIPANT  # no owner yet
    # an action that is not organisation-scoped, and a role that is not a participant
    assert require(PARTICIPANT, Action.MRV_REPORT, owner_organisation_id=4) is PARTICIPANT
    assert require(ADMIN, Action.PROJECT_UPDATE, owner_organisation_id=4) is ADMIN


@pytest.mark.parametrize(
    ("username", "ok"),
    [
        ("ab", False),
        ("abc", True),
        ("a" * 60, True),
        ("a" * 61, False),
        ("a.b-c_d", True),
        ("a b", False),
        ("ab!", False),
        ("...", False),
        ("---", False),
        ("___", False),
    ],
)
def test_a_username_has_three_to_sixty_letters_digits_dots_dashes_or_underscores(
    username: str, ok: bool
) -> None:
    problems = check_new_user(username, GOOD_PASSWORD, Role.ADMIN, None)
    assert problems == ([] if ok else [USERNAME])


def test_a_new_password_has_at_least_twelve_characters() -> None:
    assert check_new_user("anna", "x" * 11, Role.ADMIN, None) == [PASSWORD]
    assert check_new_user("anna", "x" * 12, Role.ADMIN, None) == []


def test_every_problem_of_a_new_user_is_reported_at_once() -> None:
    assert check_new_user("a", "short", Role.PARTICIPANT, None) == [
        USERNAME,
        PASSWORD,
        ORGANISATION,
    ]
    assert check_new_user("anna", GOOD_PASSWORD, Role.PARTICIPANT, 3) == []


def test_only_a_participant_needs_an_organisation() -> None:
    assert organisation_problems(Role.PARTICIPANT, None) == [ORGANISATION]
    assert organisation_problems(Role.PARTICIPANT, 3) == []
    assert organisation_problems(Role.THIRD_PARTY_ENTITY, None) == []


def test_the_self_lockout_refusals_say_what_to_do() -> None:
    assert check_role_change(7, 7, Role.SECRETARIAT, 3) == [
        FieldProblem(
            "role",
            "You cannot take the administrator role away from yourself; ask another administrator.",
            "自分自身から管理者の役割を外すことはできません。別の管理者に依頼してください。",
        )
    ]
    assert check_role_change(7, 7, Role.PARTICIPANT, None)[1:] == [ORGANISATION]
    assert check_deactivation(7, 7) == [
        FieldProblem(
            "active",
            "You cannot deactivate your own account; ask another administrator.",
            "自分自身のアカウントは無効にできません。別の管理者に依頼してください。",
        )
    ]
