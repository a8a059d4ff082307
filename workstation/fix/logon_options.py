"""Kalshi's Logon flags as one typed value, both directions (SPEC §6.1, §14.2).

The initiator turns a :class:`LogonOptions` into the extra Logon fields it sends
(:meth:`LogonOptions.to_fields`, for ``SessionConfig.logon_fields``); the acceptor reads them
back from a received Logon (:meth:`LogonOptions.from_logon`). :meth:`LogonOptions.validate`
lists what Kalshi would refuse, for the trader's profile editor and for the simulator.

Only flags that are set go on the wire: a boolean flag is sent as ``Y`` when True and left
out when False (every flag defaults to N). Two exceptions: ReceiveSettlementReports (20127)
is three-valued (None = not sent; an explicit N matters on KalshiPT, where it defaults to Y
since 2026-05-13), and MessageRetentionPeriod (20200) is sent only when set.

SkipPendingExecReports moved from 21003 to 21011 in 1.0.17; the tag comes from the dialect
table (the first of ``skip_pending_tags`` is sent, all of them are accepted).
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.fix.dialect import Dialect, SessionType, dialect_rules
from workstation.fix.message import FixMessage
from workstation.fix.values import format_bool

__all__ = ["LogonOptions"]

_CANCEL_ON_DISCONNECT = 8013
_LISTENER = 20126
_SETTLEMENT_REPORTS = 20127
_RETENTION = 20200
_USE_DOLLARS = 21005
_IOC_CANCEL_REPORT = 21007
_PRESERVE_ORDER_QTY = 21008
_EXPIRED_ORD_STATUS = 21012
_NEW_BEFORE_TRADE = 21026
_SPLIT_COLLATERAL = 21027

_LISTENER_SESSIONS = frozenset({SessionType.NR, SessionType.RT})


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonOptions:
    """The Kalshi-specific flags of a Logon; every flag defaults to off / not sent."""

    cancel_orders_on_disconnect: bool = False  #: 8013: cancel all orders on any disconnect
    listener_session: bool = False  #: 20126: read-only live ER feed (KalshiNR/KalshiRT)
    receive_settlement_reports: bool | None = None  #: 20127: None = not sent
    skip_pending_exec_reports: bool = False  #: 21011 (21003 in 1.0.13): no PENDING_* ERs
    use_dollars: bool = False  #: 21005: prices in dollars with up to 4 decimals
    message_retention_hours: int | None = None  #: 20200: None = the server's default
    enable_ioc_cancel_report: bool = False  #: 21007: cancel ER after a partial IOC fill
    preserve_original_order_qty: bool = False  #: 21008: 38 keeps the original quantity
    use_expired_ord_status: bool = False  #: 21012: expiry cancels reported as Expired<C>
    always_emit_new_before_trade: bool = False  #: 21026: a New ER before the first Trade ER
    split_collateral_return: bool = False  #: 21027: 21030/21031 on trade ERs

    def _flags(self, dialect: Dialect) -> tuple[tuple[int, bool], ...]:
        skip_tag = dialect_rules(dialect).skip_pending_tags[0]
        return (
            (_CANCEL_ON_DISCONNECT, self.cancel_orders_on_disconnect),
            (_LISTENER, self.listener_session),
            (skip_tag, self.skip_pending_exec_reports),
            (_USE_DOLLARS, self.use_dollars),
            (_IOC_CANCEL_REPORT, self.enable_ioc_cancel_report),
            (_PRESERVE_ORDER_QTY, self.preserve_original_order_qty),
            (_EXPIRED_ORD_STATUS, self.use_expired_ord_status),
            (_NEW_BEFORE_TRADE, self.always_emit_new_before_trade),
            (_SPLIT_COLLATERAL, self.split_collateral_return),
        )

    def to_fields(self, dialect: Dialect = Dialect.CURRENT) -> tuple[tuple[int, str], ...]:
        """The Logon fields for these options, formatted, in ascending tag order."""
        fields = [(tag, format_bool(True)) for tag, on in self._flags(dialect) if on]
        if self.receive_settlement_reports is not None:
            fields.append((_SETTLEMENT_REPORTS, format_bool(self.receive_settlement_reports)))
        if self.message_retention_hours is not None:
            fields.append((_RETENTION, str(self.message_retention_hours)))
        return tuple(sorted(fields))

    @classmethod
    def from_logon(cls, msg: FixMessage, dialect: Dialect = Dialect.CURRENT) -> LogonOptions:
        """The options a received Logon asked for (the acceptor's reading).

        SkipPendingExecReports is read from every tag the dialect accepts (21011, then 21003
        on ``current``; 21003 on ``1.0.13``): the first one present wins. Raises
        :class:`~workstation.fix.values.FieldFormatError` (naming the tag) for a flag that
        is not Y/N or a retention period that is not an integer.
        """
        skip = False
        for tag in dialect_rules(dialect).skip_pending_tags:
            if tag in msg:
                skip = msg.get_bool(tag)
                break
        reports = msg.get_bool(_SETTLEMENT_REPORTS) if _SETTLEMENT_REPORTS in msg else None
        return cls(
            cancel_orders_on_disconnect=msg.get_bool(_CANCEL_ON_DISCONNECT),
            listener_session=msg.get_bool(_LISTENER),
            receive_settlement_reports=reports,
            skip_pending_exec_reports=skip,
            use_dollars=msg.get_bool(_USE_DOLLARS),
            message_retention_hours=msg.get_int(_RETENTION),
            enable_ioc_cancel_report=msg.get_bool(_IOC_CANCEL_REPORT),
            preserve_original_order_qty=msg.get_bool(_PRESERVE_ORDER_QTY),
            use_expired_ord_status=msg.get_bool(_EXPIRED_ORD_STATUS),
            always_emit_new_before_trade=msg.get_bool(_NEW_BEFORE_TRADE),
            split_collateral_return=msg.get_bool(_SPLIT_COLLATERAL),
        )

    def validate(self, session_type: SessionType, dialect: Dialect = Dialect.CURRENT) -> list[str]:
        """What Kalshi would refuse in these options on ``session_type``; empty if none.

        Each problem is a sentence fit for a Logout Text or the trader's profile editor.
        """
        rules = dialect_rules(dialect)
        skip_tag = rules.skip_pending_tags[0]
        problems: list[str] = []
        if self.listener_session:
            if session_type not in _LISTENER_SESSIONS:
                problems.append(
                    f"ListenerSession (20126) is only allowed on KalshiNR and KalshiRT, "
                    f"not on {session_type.value}"
                )
            if not self.skip_pending_exec_reports:
                problems.append(
                    f"ListenerSession (20126) requires SkipPendingExecReports ({skip_tag})=Y"
                )
            if self.cancel_orders_on_disconnect:
                problems.append(
                    "CancelOrdersOnDisconnect (8013) must be N or absent on a listener session"
                )
        if (
            self.receive_settlement_reports is not None
            and session_type not in rules.settlement_opt_in_sessions
        ):
            allowed = " and ".join(sorted(s.value for s in rules.settlement_opt_in_sessions))
            problems.append(
                f"ReceiveSettlementReports (20127) is only allowed on {allowed}, "
                f"not on {session_type.value}"
            )
        hours = self.message_retention_hours
        if hours is not None and not 1 <= hours <= rules.retention_max_hours:
            problems.append(
                f"MessageRetentionPeriod (20200) must be 1 to {rules.retention_max_hours} "
                f"hours, not {hours}"
            )
        return problems
