"""User administration's pure rules: when a change needs a second administrator, and the
refusals that keep an administrator from locking themselves out."""

from __future__ import annotations

from jcm.approvals.rules import APPROVER_ACTION, Kind, Reason, reason_for
from jcm.auth.rules import (
    PRIVILEGED_ROLES,
    Action,
    Role,
    check_deactivation,
    check_role_change,
    grant_needs_second_admin,
)
from jcm.labels import label


def test_privileged_access_is_held_however_it_is_given() -> None:
    for role in PRIVILEGED_ROLES:
        assert grant_needs_second_admin(None, role, True)  # created with it
        assert grant_needs_second_admin((Role.PARTICIPANT, True), role, True)  # promoted
        assert grant_needs_second_admin((role, False), role, True)  # reactivated
    assert grant_needs_second_admin((Role.ADMIN, True), Role.SECRETARIAT, True)


def test_other_changes_apply_at_once() -> None:
    assert PRIVILEGED_ROLES == {Role.ADMIN, Role.SECRETARIAT, Role.JOINT_COMMITTEE}
    for role in set(Role) - PRIVILEGED_ROLES:
        assert not grant_needs_second_admin(None, role, True)
        assert not grant_needs_second_admin((Role.ADMIN, True), role, True)  # a demotion
        assert not grant_needs_second_admin((role, False), role, True)
    assert not grant_needs_second_admin((Role.SECRETARIAT, True), Role.SECRETARIAT, True)
    assert not grant_needs_second_admin((Role.PARTICIPANT, False), Role.ADMIN, False)
    assert not grant_needs_second_admin((Role.ADMIN, True), Role.ADMIN, False)


def test_an_administrator_cannot_demote_or_deactivate_themselves() -> None:
    [problem] = check_role_change(7, 7, Role.SECRETARIAT, None)
    assert problem.field == "role"
    assert "yourself" in problem.message_en
    assert "自分自身" in problem.message_ja
    assert check_role_change(7, 7, Role.ADMIN, None) == []
    assert check_role_change(7, 8, Role.SECRETARIAT, None) == []
    [problem] = check_deactivation(7, 7)
    assert problem.field == "active"
    assert "無効" in problem.message_ja
    assert check_deactivation(7, 8) == []


def test_a_participant_needs_an_organisation() -> None:
    [problem] = check_role_change(7, 8, Role.PARTICIPANT, None)
    assert problem.field == "organisation"
    assert check_role_change(7, 8, Role.PARTICIPANT, 3) == []


def test_a_role_grant_is_decided_by_an_administrator_and_shown_in_words() -> None:
    assert APPROVER_ACTION[Kind.ROLE_GRANT] is Action.USER_MANAGE
    assert reason_for(Kind.ROLE_GRANT, 0, 10_000, None) is Reason.PRIVILEGED_ROLE
    assert label("en", "approval_kind", "role_grant") == "Role grant"
    assert label("ja", "approval_kind", "role_grant") == "役割の付与"
    assert label("ja", "approval_reason", "privileged_role").startswith("管理者・事務局")
    assert label("en", "waiting", "role_grants_to_approve") == "Role grants to approve"
