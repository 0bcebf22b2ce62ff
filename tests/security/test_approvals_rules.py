"""When an operation waits for a second person (approvals/rules.py), edge by edge."""

from __future__ import annotations

import pytest

from jcm.approvals.rules import APPROVER_ACTION, Kind, Reason, reason_for
from jcm.auth.rules import Action

THRESHOLD = 1_000


@pytest.mark.parametrize(
    ("kind", "quantity", "trusted", "sender", "expected"),
    [
        (Kind.ROLE_GRANT, 0, True, None, Reason.PRIVILEGED_ROLE),
        (Kind.ROLE_GRANT, 5_000, False, "government_holding", Reason.PRIVILEGED_ROLE),
        (Kind.ISSUE, 1, True, None, Reason.ALWAYS),
        (Kind.CANCEL, 1, True, "government_holding", Reason.ALWAYS),
        (Kind.ACCOUNT_STATUS, 1, None, None, Reason.ALWAYS),
        (Kind.TRANSFER, 1, True, "government_holding", Reason.GOVERNMENT),
        (Kind.EXTERNAL_TRANSFER, 1, None, "government_holding", Reason.GOVERNMENT),
        (Kind.RETIRE, 1, True, "government_holding", Reason.GOVERNMENT),
        (Kind.TRANSFER, THRESHOLD, True, "participant_holding", None),  # at the threshold
        (Kind.TRANSFER, THRESHOLD + 1, True, "participant_holding", Reason.LARGE),
        (Kind.RETIRE, THRESHOLD + 1, None, "participant_holding", Reason.LARGE),
        (Kind.TRANSFER, 1, False, "participant_holding", Reason.UNTRUSTED),
        (Kind.TRANSFER, 1, None, "participant_holding", None),  # trusted-account rule off
        (Kind.RETIRE, 1, None, None, None),
    ],
)
def test_the_reason_an_operation_waits(
    kind: Kind, quantity: int, trusted: bool | None, sender: str | None, expected: Reason | None
) -> None:
    assert reason_for(kind, quantity, THRESHOLD, trusted, sender_kind=sender) is expected


def test_a_spend_without_a_named_sender_is_not_a_government_spend() -> None:
    assert reason_for(Kind.TRANSFER, 1, THRESHOLD, True) is None


def test_each_kind_is_approved_by_the_permission_that_runs_it() -> None:
    assert APPROVER_ACTION == {
        Kind.ISSUE: Action.REGISTRY_ISSUE,
        Kind.TRANSFER: Action.REGISTRY_TRANSFER,
        Kind.EXTERNAL_TRANSFER: Action.REGISTRY_TRANSFER,
        Kind.CANCEL: Action.REGISTRY_RETIRE,
        Kind.RETIRE: Action.REGISTRY_RETIRE,
        Kind.ACCOUNT_STATUS: Action.REGISTRY_ADMIN,
        Kind.ROLE_GRANT: Action.USER_MANAGE,
    }
