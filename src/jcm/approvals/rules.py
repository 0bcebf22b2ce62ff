"""When a registry operation or a role grant needs a second person; no I/O."""

from __future__ import annotations

from enum import StrEnum

from jcm.auth.rules import Action


class Kind(StrEnum):
    ISSUE = "issue"
    TRANSFER = "transfer"
    EXTERNAL_TRANSFER = "external_transfer"
    CANCEL = "cancel"
    RETIRE = "retire"
    ACCOUNT_STATUS = "account_status"
    ROLE_GRANT = "role_grant"


class Reason(StrEnum):
    ALWAYS = "always"
    LARGE = "above_threshold"
    UNTRUSTED = "untrusted_receiver"
    GOVERNMENT = "government_holding"
    PRIVILEGED_ROLE = "privileged_role"


# The permission the approver needs (account operations also need the account itself).
APPROVER_ACTION: dict[Kind, Action] = {
    Kind.ISSUE: Action.REGISTRY_ISSUE,
    Kind.TRANSFER: Action.REGISTRY_TRANSFER,
    Kind.EXTERNAL_TRANSFER: Action.REGISTRY_TRANSFER,
    Kind.CANCEL: Action.REGISTRY_RETIRE,
    Kind.RETIRE: Action.REGISTRY_RETIRE,
    Kind.ACCOUNT_STATUS: Action.REGISTRY_ADMIN,
    Kind.ROLE_GRANT: Action.USER_MANAGE,
}

ALWAYS = frozenset({Kind.ISSUE, Kind.CANCEL, Kind.ACCOUNT_STATUS})
# Operations that spend units out of an account.
SPENDING = frozenset({Kind.TRANSFER, Kind.EXTERNAL_TRANSFER, Kind.CANCEL, Kind.RETIRE})
GOVERNMENT_HOLDING = "government_holding"


def reason_for(
    kind: Kind,
    quantity: int,
    threshold: int,
    trusted: bool | None,
    *,
    sender_kind: str | None = None,
) -> Reason | None:
    """Why the operation must wait for a second person, or ``None`` if it may run now.

    ``trusted`` is ``None`` when the trusted-account rule is off for this operation;
    ``sender_kind`` is the kind of the account the units leave: spending from any
    government holding account (transfer, external transfer, cancellation, retirement)
    always needs a second person.
    """
    if kind is Kind.ROLE_GRANT:
        return Reason.PRIVILEGED_ROLE
    if kind in ALWAYS:
        return Reason.ALWAYS
    if kind in SPENDING and sender_kind == GOVERNMENT_HOLDING:
        return Reason.GOVERNMENT
    if quantity > threshold:
        return Reason.LARGE
    if trusted is False:
        return Reason.UNTRUSTED
    return None
