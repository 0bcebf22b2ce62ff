"""Registry errors: one class per broken rule, each message in English and Japanese.

JcmError
├── NotFound
│   └── RegistryNotFound          an account, registry, period or issuance is unknown (404)
│       └── PeriodNotFound        an issuance request's verified period is unknown (404)
├── Conflict
│   ├── IdempotencyConflict       a key reused with different content (409)
│   ├── AlreadyIssued             the monitoring period has been issued (409)
│   └── AccountNotOpen            a blocked or closed account (409)
└── RuleViolation
    ├── InsufficientHolding       the sender does not hold the units (422)
    ├── IssuanceExceedsVerified   amount above the verified reductions (422)
    ├── AllocationInvalid         shares missing, not summing to 100, or < 50 % Japan (422)
    ├── RegistryMismatch          the accounts are in the wrong registries (422)
    ├── WrongAccountKind          e.g. cancelling into a holding account (422)
    ├── NotReadyForIssuance       no Joint Committee decision recorded (422)
    ├── FirstTransferMissing      authorised units used abroad before their first transfer (422)
    └── IdentifierInvalid         a malformed cooperative approach or Party ITMO registry ID (422)
"""

from __future__ import annotations

from jcm.errors import Conflict, JcmError, NotFound, RuleViolation


class RegistryNotFound(NotFound):
    code = "registry_not_found"


class PeriodNotFound(RegistryNotFound):
    """An issuance request names a verified period the registry does not have (404)."""

    def __init__(self, period_id: int) -> None:
        JcmError.__init__(
            self,
            f"verified_period_id: verified period {period_id} was not found.",
            f"verified_period_id: 検証済み期間 {period_id} が見つかりません。",
            field="verified_period_id",
        )


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"idempotency_key: {key} was already used for a different request.",
            f"idempotency_key: {key} は別の内容の依頼で既に使用されています。",
            field="idempotency_key",
        )
        self.key = key


class AlreadyIssued(Conflict):
    code = "already_issued"

    def __init__(self, period_id: int) -> None:
        super().__init__(
            f"verified_period: monitoring period {period_id} has already been issued.",
            f"verified_period: モニタリング期間 {period_id} は既に発行済みです。",
            field="verified_period",
        )


class AccountNotOpen(Conflict):
    code = "account_not_open"

    def __init__(self, account: str, status: str) -> None:
        super().__init__(
            f"account: {account} is {status}; only open accounts may send or receive.",
            f"account: 口座 {account} は {status} 状態です。開設中の口座のみ送受信できます。",
            field="account",
        )


class InsufficientHolding(RuleViolation):
    code = "insufficient_holding"

    def __init__(self, account: str, requested: int, held: int) -> None:
        super().__init__(
            f"quantity: account {account} holds {held} matching credits; {requested} requested.",
            f"quantity: 口座 {account} の該当クレジット保有量は {held} です（依頼 {requested}）。",
            field="quantity",
        )
        self.account = account
        self.requested = requested
        self.held = held


class IssuanceExceedsVerified(RuleViolation):
    code = "issuance_exceeds_verified"

    def __init__(self, amount: int, verified: int) -> None:
        super().__init__(
            f"amount: {amount} exceeds the verified reductions of {verified} tCO2.",
            f"amount: 発行量 {amount} が検証済み削減量 {verified} tCO2 を超えています。",
            field="amount",
        )


class AllocationInvalid(RuleViolation):
    code = "allocation_invalid"

    def __init__(self, why_en: str, why_ja: str) -> None:
        super().__init__(f"allocation: {why_en}", f"allocation: {why_ja}", field="allocation")


class RegistryMismatch(RuleViolation):
    code = "registry_mismatch"

    def __init__(self, why_en: str, why_ja: str) -> None:
        super().__init__(f"to_account: {why_en}", f"to_account: {why_ja}", field="to_account")


class WrongAccountKind(RuleViolation):
    code = "wrong_account_kind"

    def __init__(self, account: str, kind: str, expected: str) -> None:
        super().__init__(
            f"account: {account} is a {kind} account; a {expected} account is required.",
            f"account: 口座 {account} は {kind} 口座です。{expected} 口座が必要です。",
            field="account",
        )


class NotReadyForIssuance(RuleViolation):
    code = "not_ready_for_issuance"

    def __init__(self, period_id: int) -> None:
        super().__init__(
            f"jc_decision_ref: monitoring period {period_id} has no Joint Committee decision.",
            f"jc_decision_ref: モニタリング期間 {period_id} には合同委員会の決定がありません。",
            field="jc_decision_ref",
        )


class PeriodNotVerified(RuleViolation):
    code = "period_not_verified"

    def __init__(self, period_id: int, status: str) -> None:
        super().__init__(
            f"mrv_period: monitoring period {period_id} is {status}; only a verified period"
            " (or one whose issuance was requested) can be recorded for issuance.",
            f"mrv_period: モニタリング期間 {period_id} の状態は {status} です。発行のために記録できるのは"
            "検証済み(または発行申請済み)の期間のみです。",
            field="mrv_period",
        )


class VerifiedPeriodConflict(Conflict):
    code = "verified_period_conflict"

    def __init__(self, period_id: int) -> None:
        super().__init__(
            f"mrv_period: the registry already holds verified period {period_id} for these dates"
            " with a different amount or decision.",
            f"mrv_period: 登録簿には同じ期間の検証済み期間 {period_id} が、異なる量または決定で既にあります。",
            field="mrv_period",
        )


class FirstTransferMissing(RuleViolation):
    code = "first_transfer_missing"

    def __init__(self, account: str, first_unit: str, party: str) -> None:
        super().__init__(
            f"quantity: units from {first_unit} in account {account} are authorised by {party}"
            " and their first transfer is not recorded; under Article 6.2 no unit may be used"
            " or cancelled in another Party's registry before its first transfer (with the"
            " authorising Party's corresponding adjustment) is recorded.",
            f"quantity: 口座 {account} の単位（{first_unit} から）は {party} が承認したもので、"
            "初回移転が記録されていません。パリ協定第6条2項により、承認国の相当調整を伴う初回移転が"
            "記録されるまで、他の締約国の登録簿で単位を使用・取消することはできません。",
            field="quantity",
        )
        self.account = account
        self.first_unit = first_unit
        self.party = party


class IdentifierInvalid(RuleViolation):
    """A registry's Article 6.2 identifier setting is malformed (422)."""

    code = "identifier_invalid"

    def __init__(self, field: str, value: str, expected: str, expected_ja: str) -> None:
        super().__init__(
            f"{field}: {value!r} is not {expected}.",
            f"{field}: {value!r} は{expected_ja}ではありません。",
            field=field,
        )
