"""Every rule that differs between Kalshi's FIX versions, in one table.

SPEC.md labels what Kalshi said in 1.0.13 and what changed later; DECISIONS.md says how we
read each difference. The simulator serves one dialect at a time (``--dialect``); the
workstation copes with both. Anything that depends on the version is looked up here and
nowhere else, so the difference is visible in one place and tested both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DIALECTS",
    "SERVER_SENDER_ALIASES",
    "Dialect",
    "DialectRules",
    "RejectChannel",
    "SessionRules",
    "SessionType",
    "dialect_rules",
    "session_rules",
]


class SessionType(StrEnum):
    """Kalshi's session endpoints, named by the TargetCompID a client uses (SPEC §2.2, §3)."""

    NR = "KalshiNR"  #: order entry without retransmission (port 8228)
    DC = "KalshiDC"  #: drop-copy replay by ExecID (8229)
    RT = "KalshiRT"  #: order entry with retransmission (8230)
    PT = "KalshiPT"  #: post-trade settlement reports (8231)
    RFQ = "KalshiRFQ"  #: market-maker RFQ (8232)

    @property
    def default_port(self) -> int:
        return _PORTS[self]


_PORTS = {
    SessionType.NR: 8228,
    SessionType.DC: 8229,
    SessionType.RT: 8230,
    SessionType.PT: 8231,
    SessionType.RFQ: 8232,
}

#: A server may sign its messages with the session name the client used or with ``Kalshi``
#: (SPEC §2.3, §20.8); the client accepts either.
SERVER_SENDER_ALIASES = frozenset({"Kalshi"})


class Dialect(StrEnum):
    CURRENT = "current"  #: Kalshi as documented today (default)
    V1_0_13 = "1.0.13"  #: the 1.0.13 text this product was seeded from


class RejectChannel(StrEnum):
    """How a failure reaches the client."""

    EXECUTION_REPORT = "execution_report"  #: ER 150=8 (or 150=4 for cancels) with Text
    BUSINESS_REJECT = "business_reject"  #: BusinessMessageReject 35=j
    CANCEL_REJECT = "cancel_reject"  #: OrderCancelReject 35=9


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRules:
    """Session-layer behaviour of one session type under one dialect (SPEC §3, §6.1, §7)."""

    retransmits: bool  #: serves ResendRequest and keeps sequence numbers across logons
    reset_required: bool  #: Logon must carry 141=Y or it is refused


@dataclass(frozen=True, slots=True, kw_only=True)
class DialectRules:
    """Every version-dependent rule (DECISIONS.md's table, row by row)."""

    dialect: Dialect
    retransmitting_sessions: frozenset[SessionType]  #: §3; all others must reset on logon
    retention_default_hours: int  #: §6.1 20200
    retention_max_hours: int
    sending_time_tolerance_s: float  #: §4
    heartbeat_required: bool  #: §6.1 108
    default_heartbeat_s: int
    min_heartbeat_s: int
    exchange_unavailable_channel: RejectChannel  #: §7.7, §9.8
    exchange_unavailable_is_final: bool  #: 1.0.13: a final reject; current: outcome unknown
    has_internal_error: bool  #: INTERNAL_ERROR exists (1.0.30+)
    post_only_cross_is_cancel: bool  #: §9.8, §20.15: ER 150=4 (current) or 150=8 (1.0.13)
    amend_failure_channel: RejectChannel  #: §9.7, §20.16
    insufficient_balance_reason: int  #: OrdRejReason 103 for INSUFFICIENT_BALANCE (§20.26)
    skip_pending_tags: tuple[int, ...]  #: tags accepted for SkipPendingExecReports; first is sent
    quote_confirm_status_tags: tuple[int, ...]  #: U8 status tags; first is sent
    mass_cancel_sessions: frozenset[SessionType]  #: §20.23
    settlement_sessions_default: frozenset[SessionType]  #: where UMS goes without 20127
    settlement_opt_in_sessions: frozenset[SessionType]  #: where 20127=Y asks for UMS
    rfq_creator_on_rt: bool  #: RFQ creator flow on KalshiRT (2026-04-03)

    def session(self, session_type: SessionType) -> SessionRules:
        retransmits = session_type in self.retransmitting_sessions
        return SessionRules(retransmits=retransmits, reset_required=not retransmits)


DIALECTS: dict[Dialect, DialectRules] = {
    Dialect.CURRENT: DialectRules(
        dialect=Dialect.CURRENT,
        retransmitting_sessions=frozenset({SessionType.RT, SessionType.PT}),
        retention_default_hours=24,
        retention_max_hours=72,
        sending_time_tolerance_s=30.0,
        heartbeat_required=True,
        default_heartbeat_s=30,
        min_heartbeat_s=3,
        exchange_unavailable_channel=RejectChannel.EXECUTION_REPORT,
        exchange_unavailable_is_final=False,
        has_internal_error=True,
        post_only_cross_is_cancel=True,
        amend_failure_channel=RejectChannel.CANCEL_REJECT,
        insufficient_balance_reason=3,
        skip_pending_tags=(21011, 21003),
        quote_confirm_status_tags=(21010, 297),
        mass_cancel_sessions=frozenset({SessionType.NR}),
        settlement_sessions_default=frozenset({SessionType.PT}),
        settlement_opt_in_sessions=frozenset({SessionType.RT, SessionType.PT}),
        rfq_creator_on_rt=True,
    ),
    Dialect.V1_0_13: DialectRules(
        dialect=Dialect.V1_0_13,
        retransmitting_sessions=frozenset({SessionType.RT, SessionType.RFQ}),
        retention_default_hours=3,
        retention_max_hours=24,
        sending_time_tolerance_s=120.0,
        heartbeat_required=False,
        default_heartbeat_s=30,
        min_heartbeat_s=3,
        exchange_unavailable_channel=RejectChannel.BUSINESS_REJECT,
        exchange_unavailable_is_final=True,
        has_internal_error=False,
        post_only_cross_is_cancel=False,
        amend_failure_channel=RejectChannel.EXECUTION_REPORT,
        insufficient_balance_reason=99,
        skip_pending_tags=(21003,),
        quote_confirm_status_tags=(297,),
        mass_cancel_sessions=frozenset({SessionType.NR, SessionType.RT}),
        settlement_sessions_default=frozenset({SessionType.PT}),
        settlement_opt_in_sessions=frozenset({SessionType.RT}),
        rfq_creator_on_rt=False,
    ),
}


def dialect_rules(dialect: Dialect) -> DialectRules:
    return DIALECTS[dialect]


def session_rules(session_type: SessionType, dialect: Dialect = Dialect.CURRENT) -> SessionRules:
    return DIALECTS[dialect].session(session_type)
