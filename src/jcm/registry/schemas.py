"""Request and response models for the registry's service API (used by the CLI and web)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jcm.errors import FieldProblem, ValidationFailed

MAX_ID = 2**31 - 1  # the range of an id column on every database (PostgreSQL INTEGER)
MAX_TCO2 = 10**11  # 100 GtCO2: about twice the world's yearly emissions, far above any issuance
# Strict: a JSON ``false`` or ``"3"`` is not an integer here.
RowId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Credits = Annotated[int, Field(strict=True, gt=0, le=MAX_TCO2)]
SerialNo = Annotated[int, Field(strict=True, ge=1, le=MAX_TCO2)]

AccountKind = Literal["government_holding", "participant_holding", "cancellation", "retirement"]
AuthorisedUse = Literal["ndc", "oimp", "ndc_and_oimp"]
FirstTransferDefinition = Literal[
    "first_international_transfer", "authorisation_and_issuance", "use_or_cancellation"
]


class RequestBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    idempotency_key: str = Field(min_length=1, max_length=120)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain the NUL character (U+0000)")
        return value


class IssueRequest(RequestBase):
    """Issue credits for one verified monitoring period, split by the project's allocation."""

    verified_period_id: RowId
    amount: Credits


class SpendRequest(RequestBase):
    from_account: str
    quantity: Credits
    issuance_id: RowId | None = None
    serial_start: SerialNo | None = None

    @model_validator(mode="after")
    def _range_needs_issuance(self) -> SpendRequest:
        if self.serial_start is not None and self.issuance_id is None:
            raise ValueError("serial_start needs issuance_id")
        return self


class TransferRequest(SpendRequest):
    """Move units between two holding accounts (same registry, or Japan ⇄ partner)."""

    to_account: str


class CancelRequest(SpendRequest):
    """Cancel units into a cancellation account of the same registry (its first, if omitted)."""

    to_account: str | None = None
    purpose: str | None = Field(default=None, max_length=200)


class RetireRequest(SpendRequest):
    """Retire units into a retirement account of the same registry, for a purpose."""

    to_account: str | None = None
    purpose: str = Field(min_length=1, max_length=200)
    beneficiary: str = Field(min_length=1, max_length=200)


class MovedRange(BaseModel):
    issuance_id: int
    serial_start: int
    serial_end: int
    quantity: int
    first_unit: str
    last_unit: str
    from_account: str | None
    to_account: str
    state: str


class TransactionOutcome(BaseModel):
    transaction_id: int
    kind: str
    idempotency_key: str
    quantity: int
    moved: list[MovedRange]
    replayed: bool = False


class ShareIn(BaseModel):
    account: str
    percent: Decimal = Field(gt=0, le=100)


class VerifiedPeriodIn(BaseModel):
    project_ref: str
    period_start: date
    period_end: date
    verified_tco2: int = Field(strict=True, ge=0, le=MAX_TCO2)
    jc_decision_ref: str | None = None
    jc_decision_date: date | None = None
    # verified tCO2 per calendar year ({"2023": 600, "2024": 400}), from the verification
    # report, for a period that spans years; checked against the period by the service
    reductions_by_year: dict[str, int] | None = None


def parse_reductions_by_year(text: str) -> dict[str, int] | None:
    """Reductions by year typed as ``YEAR TONNES`` pairs (``2023 600, 2024 400`` or one a
    line, ``:`` allowed); empty text is none given."""
    pairs = [p for p in text.replace(":", " ").replace(";", ",").replace("\n", ",").split(",")]
    out: dict[str, int] = {}
    for part in (p.split() for p in pairs):
        if not part:
            continue
        if len(part) != 2 or not part[0].isdigit() or not part[1].replace("_", "").isdigit():
            raise ValidationFailed.of(
                [
                    FieldProblem(
                        "reductions_by_year",
                        "Write each year and its verified tCO2, e.g. 2023 600, 2024 400.",
                        "年と検証済み削減量（tCO2）を組で記入してください（例: 2023 600, 2024 400）。",
                    )
                ]
            )
        out[part[0]] = int(part[1])
    return out or None


class AuthorisationIn(BaseModel):
    ref: str
    party_iso3: str
    project_ref: str
    authorised_on: date
    authorised_use: AuthorisedUse
    first_transfer_definition: FirstTransferDefinition = "first_international_transfer"


class AccountView(BaseModel):
    id: int
    number: str
    registry: str
    kind: str
    organisation: str
    status: str
    balance: int


class HoldingBlock(BaseModel):
    block_id: int
    issuance_id: int
    serial_start: int
    serial_end: int
    quantity: int
    state: str
    first_unit: str
    last_unit: str
    authorised: bool
    first_transferred: bool
    ca_status: str


class HoldingsPage(BaseModel):
    account: str
    blocks: list[HoldingBlock]
    next_after: int | None


class VerifyReport(BaseModel):
    ok: bool
    transactions: int
    issuances: int
    blocks: int
    audit_entries: int
    problems: list[str]


def parse_shares(text: str) -> list[ShareIn]:
    """A project's allocation typed as lines of ``ACCOUNT PERCENT`` (space, tab or comma
    separated); a line that is not that is refused by its number."""
    out = []
    for n, line in enumerate(text.strip().splitlines(), start=1):
        parts = line.replace(",", " ").split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise InvalidOperation
            out.append(ShareIn(account=parts[0], percent=Decimal(parts[1])))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationFailed.of(
                [
                    FieldProblem(
                        "shares",
                        f"Line {n}: write an account number and a percentage.",
                        f"{n}行目: 口座番号と割合（%）を記入してください。",
                    )
                ]
            ) from exc
    return out
