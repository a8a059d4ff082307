"""Typed Logon flags: what goes on the wire per dialect, what the acceptor reads back, and
what Kalshi would refuse (SPEC §6.1, §14.2, DECISIONS.md)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.values import FieldFormatError

HEADER = [(49, "550e8400-e29b-41d4-a716-446655440000"), (56, "KalshiRT"), (34, "1"), (52, "t")]
LISTENER = LogonOptions(listener_session=True, skip_pending_exec_reports=True)


def logon(fields: tuple[tuple[int, str], ...] | list[tuple[int, str]]) -> FixMessage:
    body = [(98, "0"), (108, "30"), (1137, "9"), *fields]
    return parse_frame(encode_message("A", HEADER, body))


# --- to_fields ----------------------------------------------------------------------------


def test_defaults_send_nothing() -> None:
    assert LogonOptions().to_fields(Dialect.CURRENT) == ()
    assert LogonOptions().to_fields(Dialect.V1_0_13) == ()


def test_every_flag_on_current() -> None:
    options = LogonOptions(
        cancel_orders_on_disconnect=True,
        listener_session=True,
        receive_settlement_reports=True,
        skip_pending_exec_reports=True,
        use_dollars=True,
        message_retention_hours=48,
        enable_ioc_cancel_report=True,
        preserve_original_order_qty=True,
        use_expired_ord_status=True,
        always_emit_new_before_trade=True,
        split_collateral_return=True,
    )
    assert options.to_fields(Dialect.CURRENT) == (
        (8013, "Y"),
        (20126, "Y"),
        (20127, "Y"),
        (20200, "48"),
        (21005, "Y"),
        (21007, "Y"),
        (21008, "Y"),
        (21011, "Y"),
        (21012, "Y"),
        (21026, "Y"),
        (21027, "Y"),
    )


def test_listener_logon_matches_the_docs_example_per_dialect() -> None:
    # SPEC §6.1: 8=FIXT.1.1|35=A|98=0|108=30|1137=9|20126=Y|21011=Y|96=<signature>|
    assert LISTENER.to_fields(Dialect.CURRENT) == ((20126, "Y"), (21011, "Y"))
    assert LISTENER.to_fields(Dialect.V1_0_13) == ((20126, "Y"), (21003, "Y"))


def test_only_set_flags_are_sent() -> None:
    assert LogonOptions(use_dollars=True).to_fields() == ((21005, "Y"),)
    assert LogonOptions(message_retention_hours=24).to_fields() == ((20200, "24"),)


def test_settlement_reports_are_three_valued() -> None:
    assert LogonOptions(receive_settlement_reports=None).to_fields() == ()
    assert LogonOptions(receive_settlement_reports=True).to_fields() == ((20127, "Y"),)
    # An explicit N opts a KalshiPT session out of the reports it gets by default.
    assert LogonOptions(receive_settlement_reports=False).to_fields() == ((20127, "N"),)


def test_options_are_frozen_and_keyword_only() -> None:
    options = LogonOptions(use_dollars=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.use_dollars = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        LogonOptions(True)  # type: ignore[call-arg]


# --- from_logon ---------------------------------------------------------------------------


def test_from_logon_reads_every_flag() -> None:
    msg = logon(
        [
            (8013, "Y"),
            (20127, "N"),
            (20200, "72"),
            (21005, "Y"),
            (21007, "Y"),
            (21008, "Y"),
            (21011, "Y"),
            (21012, "Y"),
            (21026, "Y"),
            (21027, "Y"),
        ]
    )
    assert LogonOptions.from_logon(msg, Dialect.CURRENT) == LogonOptions(
        cancel_orders_on_disconnect=True,
        receive_settlement_reports=False,
        message_retention_hours=72,
        use_dollars=True,
        enable_ioc_cancel_report=True,
        preserve_original_order_qty=True,
        use_expired_ord_status=True,
        always_emit_new_before_trade=True,
        split_collateral_return=True,
        skip_pending_exec_reports=True,
    )


def test_plain_logon_has_default_options() -> None:
    assert LogonOptions.from_logon(logon([]), Dialect.CURRENT) == LogonOptions()


@pytest.mark.parametrize(
    ("fields", "dialect", "skip"),
    [
        ([(21011, "Y")], Dialect.CURRENT, True),
        ([(21003, "Y")], Dialect.CURRENT, True),  # legacy tag still accepted
        ([(21003, "Y")], Dialect.V1_0_13, True),
        ([(21011, "Y")], Dialect.V1_0_13, False),  # 21011 does not exist in 1.0.13
        ([(21011, "N"), (21003, "Y")], Dialect.CURRENT, False),  # the current tag wins
        ([(21003, "N")], Dialect.CURRENT, False),
    ],
)
def test_skip_pending_is_read_from_the_dialects_tags(
    fields: list[tuple[int, str]], dialect: Dialect, skip: bool
) -> None:
    assert LogonOptions.from_logon(logon(fields), dialect).skip_pending_exec_reports is skip


def test_bad_flag_values_name_the_tag() -> None:
    with pytest.raises(FieldFormatError) as caught:
        LogonOptions.from_logon(logon([(21005, "yes")]), Dialect.CURRENT)
    assert caught.value.tag == 21005
    with pytest.raises(FieldFormatError) as caught:
        LogonOptions.from_logon(logon([(20200, "3h")]), Dialect.CURRENT)
    assert caught.value.tag == 20200


_options = st.builds(
    LogonOptions,
    cancel_orders_on_disconnect=st.booleans(),
    listener_session=st.booleans(),
    receive_settlement_reports=st.none() | st.booleans(),
    skip_pending_exec_reports=st.booleans(),
    use_dollars=st.booleans(),
    message_retention_hours=st.none() | st.integers(min_value=1, max_value=72),
    enable_ioc_cancel_report=st.booleans(),
    preserve_original_order_qty=st.booleans(),
    use_expired_ord_status=st.booleans(),
    always_emit_new_before_trade=st.booleans(),
    split_collateral_return=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(_options, st.sampled_from(list(Dialect)))
def test_round_trip_through_a_real_logon(options: LogonOptions, dialect: Dialect) -> None:
    fields = options.to_fields(dialect)
    assert list(fields) == sorted(fields)
    assert all(value in ("Y", "N") or value.isdigit() for _, value in fields)
    assert LogonOptions.from_logon(logon(fields), dialect) == options


# --- validate -----------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("session", [SessionType.NR, SessionType.RT])
def test_listener_is_fine_on_order_entry_sessions(session: SessionType, dialect: Dialect) -> None:
    assert LISTENER.validate(session, dialect) == []


@pytest.mark.parametrize("session", [SessionType.DC, SessionType.PT, SessionType.RFQ])
def test_listener_only_on_nr_and_rt(session: SessionType) -> None:
    (problem,) = LISTENER.validate(session)
    assert "only allowed on KalshiNR and KalshiRT" in problem and session.value in problem


def test_listener_requires_skip_pending_by_the_dialects_tag() -> None:
    options = LogonOptions(listener_session=True)
    assert options.validate(SessionType.RT, Dialect.CURRENT) == [
        "ListenerSession (20126) requires SkipPendingExecReports (21011)=Y"
    ]
    assert options.validate(SessionType.RT, Dialect.V1_0_13) == [
        "ListenerSession (20126) requires SkipPendingExecReports (21003)=Y"
    ]


def test_listener_forbids_cancel_on_disconnect() -> None:
    options = dataclasses.replace(LISTENER, cancel_orders_on_disconnect=True)
    (problem,) = options.validate(SessionType.NR)
    assert "8013" in problem and "listener" in problem
    assert LogonOptions(cancel_orders_on_disconnect=True).validate(SessionType.NR) == []


def test_every_listener_problem_is_reported_at_once() -> None:
    options = LogonOptions(listener_session=True, cancel_orders_on_disconnect=True)
    assert len(options.validate(SessionType.DC)) == 3


@pytest.mark.parametrize(
    ("dialect", "session", "allowed"),
    [
        (Dialect.CURRENT, SessionType.RT, True),
        (Dialect.CURRENT, SessionType.PT, True),
        (Dialect.CURRENT, SessionType.NR, False),
        (Dialect.CURRENT, SessionType.RFQ, False),
        (Dialect.V1_0_13, SessionType.RT, True),
        (Dialect.V1_0_13, SessionType.PT, False),
        (Dialect.V1_0_13, SessionType.NR, False),
    ],
)
@pytest.mark.parametrize("value", [True, False])
def test_settlement_reports_only_where_the_dialect_allows(
    dialect: Dialect, session: SessionType, allowed: bool, value: bool
) -> None:
    problems = LogonOptions(receive_settlement_reports=value).validate(session, dialect)
    if allowed:
        assert problems == []
    else:
        (problem,) = problems
        assert "ReceiveSettlementReports (20127)" in problem and session.value in problem
    assert LogonOptions().validate(session, dialect) == []


@pytest.mark.parametrize(
    ("dialect", "hours", "ok"),
    [
        (Dialect.CURRENT, 72, True),
        (Dialect.CURRENT, 73, False),
        (Dialect.CURRENT, 1, True),
        (Dialect.CURRENT, 0, False),
        (Dialect.CURRENT, -5, False),
        (Dialect.V1_0_13, 24, True),
        (Dialect.V1_0_13, 25, False),
    ],
)
def test_retention_within_the_dialects_maximum(dialect: Dialect, hours: int, ok: bool) -> None:
    problems = LogonOptions(message_retention_hours=hours).validate(SessionType.RT, dialect)
    if ok:
        assert problems == []
    else:
        (problem,) = problems
        assert "MessageRetentionPeriod (20200)" in problem and str(hours) in problem
