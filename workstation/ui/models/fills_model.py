"""The fills table: one row per execution (keyed by venue, account and ExecID), newest first.

Fed by ``FillAdded`` changes; a fill is recorded once however many times its report arrives
(``trading.fills``), so rows only ever arrive. Prices read in the terms of the contract the
trader named on the ticket (via the shared :class:`IntentBook`), else as sent on the wire.
Fees the report did not carry are our estimate and say so (``≈``). The last column is the
account the fill came in on (a desk monitor watches several).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from workstation.trading.changes import Change, FillAdded
from workstation.trading.fills import Fill, FillKey
from workstation.trading.ticket import Intent
from workstation.ui.format import (
    contract_price,
    et_date_time_text,
    et_time_text,
    money_text,
    price_text,
    quantity_text,
    side_text,
)
from workstation.ui.models.orders_model import IntentBook, sub_account_text
from workstation.ui.models.table_base import Column, Facets, RecordTableModel

__all__ = ["FillsModel"]

_ROLE_FONT = int(Qt.ItemDataRole.FontRole)


def _liquidity(fill: Fill) -> str:
    if fill.aggressor is None:
        return ""
    return "Taker" if fill.aggressor else "Maker"


def _fee_text(fill: Fill) -> str:
    return f"≈{money_text(fill.fee)}" if fill.fee_estimated else money_text(fill.fee)


def _fee_tooltip(fill: Fill) -> str:
    if fill.fee_estimated:
        return "Estimated: the report carried no fee (taker fee if we took liquidity, else none)"
    return "As charged by the exchange (MiscFeeAmt)"


def _time_tooltip(fill: Fill) -> str:
    lines = [f"Exchange time {et_date_time_text(fill.transact_time)}"] if fill.transact_time else []
    lines.append(f"Received {et_date_time_text(fill.received_at)}")
    return "\n".join(lines)


class FillsModel(RecordTableModel[FillKey, Fill]):
    """Every fill, newest first by default."""

    earlier_column_counts = frozenset({14})  # before the Account column

    def __init__(self, *, intents: IntentBook | None = None, parent: Any = None) -> None:
        self._intents = IntentBook() if intents is None else intents
        self._italic = QFont()
        self._italic.setItalic(True)
        super().__init__(self._build_columns(), sort_column=0, descending=True, parent=parent)

    def intent_of(self, fill: Fill) -> Intent | None:
        return self._intents.get(fill.cl_ord_id)

    def side_of(self, fill: Fill) -> str:
        return side_text(fill.side, self.intent_of(fill))

    def price_of(self, fill: Fill) -> Decimal:
        price = contract_price(fill.price, fill.side, self.intent_of(fill))
        assert price is not None
        return price

    def value_of(self, fill: Fill) -> Decimal:
        """Contracts × the price shown: paid for a buy, received for a sell (fee excluded)."""
        return fill.quantity * self.price_of(fill)

    def _build_columns(self) -> list[Column[Fill]]:
        return [
            Column(
                "time",
                "Time (ET)",
                lambda f: et_time_text(f.at),
                sort_key=lambda f: f.at,
                tooltip="The exchange's time of the fill (TransactTime), Eastern Time",
                cell_tooltip=_time_tooltip,
                export=lambda f: et_date_time_text(f.at),
            ),
            Column("market", "Market", lambda f: f.symbol),
            Column(
                "side",
                "Side",
                self.side_of,
                cell_tooltip=lambda f: f"FIX Side {f.side.value} at YES {price_text(f.price)}",
            ),
            Column(
                "price",
                "Price",
                lambda f: price_text(self.price_of(f)),
                sort_key=self.price_of,
                numeric=True,
                export=lambda f: f"{self.price_of(f):f}",
            ),
            Column(
                "quantity",
                "Qty",
                lambda f: quantity_text(f.quantity),
                sort_key=lambda f: f.quantity,
                numeric=True,
                export=lambda f: f"{f.quantity:f}",
            ),
            Column(
                "value",
                "Value",
                lambda f: money_text(self.value_of(f)),
                sort_key=self.value_of,
                numeric=True,
                tooltip="Contracts × price: paid for a buy, received for a sell (fee excluded)",
                export=lambda f: f"{self.value_of(f):f}",
            ),
            Column(
                "fee",
                "Fee",
                _fee_text,
                sort_key=lambda f: f.fee,
                numeric=True,
                cell_tooltip=_fee_tooltip,
                export=lambda f: f"{f.fee:f}",
            ),
            Column("liquidity", "Liq.", _liquidity, tooltip="Taker or maker (AggressorIndicator)"),
            Column(
                "sub_account",
                "Sub",
                lambda f: sub_account_text(f.sub_account),
                tooltip="Sub-account (AllocAccount number or FCM customer id)",
            ),
            Column(
                "source",
                "Source",
                lambda f: "healed" if f.healed else "",
                tooltip="healed: first seen in a drop-copy replay (the live copy never arrived)",
            ),
            Column(
                "exec_id",
                "ExecID",
                lambda f: str(f.exec_id),
                sort_key=lambda f: f.exec_id,
                cell_tooltip=lambda f: str(f.exec_id),
            ),
            Column(
                "cl_ord_id", "ClOrdID", lambda f: f.cl_ord_id, cell_tooltip=lambda f: f.cl_ord_id
            ),
            Column(
                "order_id",
                "OrderID",
                lambda f: f.order_id or "",
                cell_tooltip=lambda f: f.order_id or "",
            ),
            Column(
                "trade_id",
                "TradeID",
                lambda f: f.trd_match_id or "",
                tooltip="TrdMatchID: the exchange's id of the trade",
                cell_tooltip=lambda f: f.trd_match_id or "",
            ),
            Column(
                "account",
                "Account",
                lambda f: f.account,
                tooltip="The account the fill belongs to (a desk monitor watches several)",
            ),
        ]

    def key_of(self, record: Fill) -> FillKey:
        return record.key

    def facets_of(self, record: Fill) -> Facets:
        return Facets(
            market=record.symbol,
            side=self.side_of(record),
            status="Filled",
            sub_account=sub_account_text(record.sub_account),
            account=record.account,
        )

    def search_text_of(self, record: Fill) -> str:
        return " ".join(
            (
                record.symbol,
                self.side_of(record),
                str(record.exec_id),
                record.cl_ord_id,
                record.order_id or "",
                record.trd_match_id or "",
                sub_account_text(record.sub_account),
                "healed" if record.healed else "",
                _liquidity(record),
                record.account,
            )
        )

    def cell_style(self, record: Fill, column: Column[Fill], role: int) -> Any:
        if role == _ROLE_FONT and record.healed:
            return self._italic
        return None

    def apply(self, changes: Iterable[Change]) -> None:
        """Apply one batch of domain changes (only ``FillAdded`` concern this table)."""
        self.upsert([c.fill for c in changes if isinstance(c, FillAdded)])

    def load(self, fills: Iterable[Fill]) -> None:
        self.upsert(fills)
