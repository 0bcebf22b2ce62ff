"""The registry's public service API, for the CLI and the web layer.

Writes take a ``Database`` and run as one retried transaction each; reads take a ``Session``.
"""

from jcm.registry.issuance import check_issuable, issue
from jcm.registry.queries import (
    accounts,
    balance,
    blocks_held_by,
    retirement_statement,
    transaction_outcome,
)
from jcm.registry.setup import (
    configure_identifiers,
    create_registry,
    open_account,
    record_authorisation,
    record_verified_period,
    set_account_status,
    set_allocation,
)
from jcm.registry.transfers import cancel, external_transfer, retire, transfer
from jcm.registry.verify import verify

__all__ = [
    "accounts",
    "balance",
    "blocks_held_by",
    "cancel",
    "check_issuable",
    "configure_identifiers",
    "create_registry",
    "external_transfer",
    "issue",
    "open_account",
    "record_authorisation",
    "record_verified_period",
    "retire",
    "set_account_status",
    "set_allocation",
    "transaction_outcome",
    "retirement_statement",
    "transfer",
    "verify",
]
