"""Four eyes on government holdings: the pure rule, with numbers."""

from jcm.approvals.rules import Kind, Reason, reason_for


def test_spending_from_a_government_holding_always_needs_a_second_person() -> None:
    for kind in (Kind.TRANSFER, Kind.EXTERNAL_TRANSFER, Kind.RETIRE):
        assert reason_for(kind, 1, 10_000, True, sender_kind="government_holding") is (
            Reason.GOVERNMENT
        )
        assert reason_for(kind, 1, 10_000, True, sender_kind="participant_holding") is None
    assert reason_for(Kind.TRANSFER, 10_001, 10_000, True) is Reason.LARGE
    assert reason_for(Kind.RETIRE, 1, 10_000, None) is None
    assert reason_for(Kind.CANCEL, 1, 10_000, None, sender_kind="government_holding") is (
        Reason.ALWAYS
    )
