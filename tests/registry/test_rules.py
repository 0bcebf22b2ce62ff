from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm.registry import rules
from jcm.registry.invariants import Movement, Piece, block_problems, replay

JP = rules.Share("JP-GOV", Decimal(50), japan_government=True)
ID = rules.Share("ID-GOV", Decimal(20))
PP = rules.Share("PP", Decimal(30))


def test_allocation_sums_exactly_to_the_amount() -> None:
    assert rules.allocate_largest_remainder(101, [JP, ID, PP]) == [51, 20, 30]


def test_leftover_credits_go_to_the_largest_remainders() -> None:
    thirds = [rules.Share(k, Decimal("33.3333")) for k in "abc"] + [
        rules.Share("d", Decimal("0.0001"))
    ]
    assert sum(rules.allocate_largest_remainder(10, thirds)) == 10


def test_a_tie_goes_to_the_government_of_japan() -> None:
    half = [rules.Share("PP", Decimal(50)), rules.Share("JP", Decimal(50), japan_government=True)]
    assert rules.allocate_largest_remainder(3, half) == [1, 2]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=8),
)
def test_any_split_sums_exactly_and_stays_within_one_of_the_quota(
    amount: int, weights: list[int]
) -> None:
    total = sum(weights)
    shares = [rules.Share(str(i), Decimal(w) * 100 / Decimal(total)) for i, w in enumerate(weights)]
    parts = rules.allocate_largest_remainder(amount, shares)
    assert sum(parts) == amount or sum(s.percent for s in shares) != 100
    for part, share in zip(parts, shares, strict=True):
        assert abs(part - amount * share.percent / 100) <= 1


def test_a_subsidised_project_below_half_for_japan_is_refused() -> None:
    shares = [rules.Share("JP", Decimal(40), japan_government=True), rules.Share("PP", Decimal(60))]
    problems = rules.allocation_problems(shares, subsidised=True)
    assert problems
    assert "at least 50" in problems[0][0]
    assert rules.allocation_problems(shares, subsidised=False) == []


def test_shares_must_sum_to_one_hundred() -> None:
    assert rules.allocation_problems([JP, ID], subsidised=True)[0][0].startswith("shares sum to 70")


def test_consecutive_ranges_skip_empty_shares() -> None:
    assert rules.consecutive_ranges([3, 0, 2]) == [(1, 3), None, (4, 5)]


def test_a_partial_take_splits_the_first_block() -> None:
    blocks = [rules.HeldBlock(1, 7, 1, 10), rules.HeldBlock(2, 7, 11, 20)]
    takes, available = rules.take_units(blocks, 13)
    assert available == 13
    assert takes[0].whole
    assert (takes[0].start, takes[0].end) == (1, 10)
    assert (takes[1].start, takes[1].end, takes[1].keep) == (11, 13, ((14, 20),))


def test_a_range_take_from_the_middle_leaves_two_remainders() -> None:
    takes, available = rules.take_units([rules.HeldBlock(1, 7, 1, 100)], 10, serial_start=41)
    assert available == 10
    assert takes[0].keep == ((1, 40), (51, 100))


def test_a_take_reports_a_shortfall() -> None:
    _, available = rules.take_units([rules.HeldBlock(1, 7, 1, 5)], 6)
    assert available == 5


def test_unit_identifier_carries_approach_origin_project_vintage_and_serial() -> None:
    uid = rules.unit_id(rules.cooperative_approach_id("id"), "jp", "ID001", 2023, 12, 345)
    assert uid == "JCM-JP-ID.JP.ID001.2023.000012.0000000345"
    assert rules.parse_unit_id(uid)["serial"] == 345
    with pytest.raises(ValueError, match="not a JCM unit"):
        rules.parse_unit_id("VCS-123")


def test_request_hash_ignores_key_order() -> None:
    assert rules.request_hash("t", {"a": 1, "b": 2}) == rules.request_hash("t", {"b": 2, "a": 1})
    assert rules.request_hash("t", {"a": 1}) != rules.request_hash("t", {"a": 2})


def test_replay_refuses_moving_retired_units() -> None:
    log = [
        Movement(1, 1, 1, 10, None, 100, "held"),
        Movement(2, 1, 1, 5, 100, 200, "retired"),
        Movement(3, 1, 1, 5, 200, 100, "held"),
    ]
    pieces, problems = replay(log)
    assert problems == [
        "transaction 3: moves retired serials; cancelled and retired units are final"
    ]
    assert pieces == [Piece(1, 1, 5, 200, "retired"), Piece(1, 6, 10, 100, "held")]


def test_block_checks_find_a_double_serial_and_a_lost_unit() -> None:
    blocks = [Piece(1, 1, 6, 100, "held"), Piece(1, 5, 9, 101, "held")]
    problems = block_problems(
        blocks, {1: 10}, {100: "participant_holding", 101: "participant_holding"}
    )
    assert any("two live blocks" in p for p in problems)
    assert any("issued 10 but blocks hold 11" in p for p in problems)


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=50, max_value=100))
def test_japan_never_gets_less_than_its_exact_quota(amount: int, japan_percent: int) -> None:
    shares = [rules.Share("JP", Decimal(japan_percent), japan_government=True)]
    if japan_percent < 100:
        shares.append(rules.Share("PP", Decimal(100 - japan_percent)))
    parts = rules.allocate_largest_remainder(amount, shares)
    assert sum(parts) == amount
    assert parts[0] * 100 >= amount * japan_percent


def test_an_issuance_into_another_partys_registry_is_the_first_international_transfer() -> None:
    due = rules.first_transfer_due
    assert due("first_international_transfer", "issuance", international=True)
    assert not due("first_international_transfer", "issuance", international=False)
    assert due("first_international_transfer", "external_transfer")
    assert not due("first_international_transfer", "cancellation", international=True)
    assert due("authorisation_and_issuance", "issuance")
    assert not due("use_or_cancellation", "issuance", international=True)
    assert due("use_or_cancellation", "cancellation")
    assert not due("no_such_definition", "issuance", international=True)


def test_using_units_abroad_without_a_first_transfer_is_refused() -> None:
    refused = rules.use_without_first_transfer
    assert refused(
        "cancellation", authorising_party="MNG", holder_party="JPN", first_transferred=False
    )
    assert refused(
        "retirement", authorising_party="MNG", holder_party="JPN", first_transferred=False
    )
    assert not refused(
        "cancellation", authorising_party="MNG", holder_party="JPN", first_transferred=True
    )
    assert not refused(
        "cancellation", authorising_party="MNG", holder_party="MNG", first_transferred=False
    )
    assert not refused(
        "cancellation", authorising_party=None, holder_party="JPN", first_transferred=False
    )
    assert not refused(
        "transfer", authorising_party="MNG", holder_party="JPN", first_transferred=False
    )


def test_uncovered_serials_are_what_no_range_covers() -> None:
    assert rules.uncovered((1, 100), []) == [(1, 100)]
    assert rules.uncovered((1, 100), [(1, 100)]) == []
    assert rules.uncovered((1, 100), [(20, 29), (50, 120)]) == [(1, 19), (30, 49)]
    assert rules.uncovered((10, 20), [(1, 9), (21, 30)]) == [(10, 20)]
    assert rules.uncovered((10, 20), [(15, 15), (12, 13)]) == [(10, 11), (14, 14), (16, 20)]
    assert rules.uncovered((5501, 7700), [(1, 5500), (5501, 5800)]) == [(5801, 7700)]


@pytest.mark.parametrize(
    ("role", "org", "kind", "country", "account_org", "registry", "allowed"),
    [
        ("admin", None, None, None, 7, "MNG", True),
        ("secretariat", None, None, None, 7, "JPN", True),
        ("participant", 3, "company", "JPN", 3, "JPN", True),
        ("participant", 3, "company", "JPN", 4, "JPN", False),
        ("participant", None, None, None, 3, "JPN", False),
        ("partner_government", 7, "government", "MNG", 7, "MNG", True),
        ("partner_government", 7, "government", "MNG", 8, "BGD", False),  # another government
        ("partner_government", 7, "government", "MNG", 7, "JPN", False),  # not its registry
        ("partner_government", 7, "company", "MNG", 7, "MNG", False),  # not a government
        ("partner_government", None, None, None, 8, "BGD", False),  # no organisation: none
        ("joint_committee", 7, "government", "MNG", 7, "MNG", False),
        ("third_party_entity", 5, "company", "JPN", 5, "JPN", False),
    ],
)
def test_organisation_scoping_of_accounts(
    role: str,
    org: int | None,
    kind: str | None,
    country: str | None,
    account_org: int,
    registry: str,
    allowed: bool,
) -> None:
    assert (
        rules.may_act_on_account(
            role,
            user_organisation=org,
            user_organisation_kind=kind,
            user_country=country,
            account_organisation=account_org,
            registry_country=registry,
        )
        is allowed
    )


def test_a_zero_share_is_refused_by_the_rule_itself() -> None:
    """The request schema refuses 0 % too, but the rule is the one every caller shares."""
    shares = [
        rules.Share("JP", Decimal(100), japan_government=True),
        rules.Share("PP", Decimal(0)),
    ]
    problems = rules.allocation_problems(shares, subsidised=True)
    assert problems == [
        ("every share must be above 0 %.", "各配分は 0% より大きくする必要があります。")
    ]
    tiny = [
        rules.Share("JP", Decimal("99.99"), japan_government=True),
        rules.Share("PP", Decimal("0.01")),
    ]
    assert rules.allocation_problems(tiny, subsidised=True) == []
