"""A desk monitor's account choice above the blotter: "All accounts" or one watched account.

A desk monitor watches several accounts side by side, one listener session each (SPEC
§14.2); every order, fill and position carries the account it came in on (the watched
account's label). The combo narrows every blotter tab to one account through
:meth:`Blotter.set_account_filter`, together with the blotter's own filter bar. Its choices are
the profile's watched accounts plus any other account seen in the blotter, re-read when the
list opens.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QBoxLayout, QComboBox, QHBoxLayout, QLabel, QWidget

from workstation.ui.panels.blotter import Blotter

__all__ = ["ALL_ACCOUNTS", "AccountFilter", "attach_account_filter"]

ALL_ACCOUNTS = "All accounts"


class _AccountCombo(QComboBox):
    def __init__(self, owner: AccountFilter) -> None:
        super().__init__(owner)
        self._owner = owner

    def showPopup(self) -> None:  # noqa: N802 (Qt's name)
        self._owner.refill()
        super().showPopup()


class AccountFilter(QWidget):
    """The "Account" combo; choosing one filters the blotter to it."""

    def __init__(
        self, blotter: Blotter, accounts: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountFilterBar")
        self._blotter = blotter
        self._configured = [a for a in dict.fromkeys(accounts) if a]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Account")
        layout.addWidget(caption)
        self.combo = _AccountCombo(self)
        self.combo.setObjectName("accountFilter")
        self.combo.setToolTip("Desk monitor: show one watched account, or all of them")
        self.combo.setMinimumWidth(180)
        caption.setBuddy(self.combo)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.refill()
        self.combo.currentIndexChanged.connect(self._chosen)

    def accounts(self) -> list[str]:
        """The choices after "All accounts": watched accounts first, then others seen."""
        seen: set[str] = set()
        for model in (self._blotter.orders_model, self._blotter.positions_model):
            seen.update(model.facet_values("account"))
        return self._configured + sorted(seen.difference(self._configured))

    def refill(self) -> None:
        current = self.combo.currentText() or ALL_ACCOUNTS
        wanted = [ALL_ACCOUNTS, *self.accounts()]
        if wanted == [self.combo.itemText(i) for i in range(self.combo.count())]:
            return
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(wanted)
        self.combo.setCurrentIndex(max(self.combo.findText(current), 0))
        self.combo.blockSignals(False)

    def account(self) -> str:
        """The chosen account, ``""`` for all."""
        text = self.combo.currentText()
        return "" if text == ALL_ACCOUNTS else text

    def choose(self, account: str) -> None:
        """Select ``account`` (``""``: all accounts), as the trader would."""
        self.refill()
        index = self.combo.findText(account or ALL_ACCOUNTS)
        if index < 0:
            raise KeyError(account)
        self.combo.setCurrentIndex(index)

    def _chosen(self, _index: int) -> None:
        self._blotter.set_account_filter(self.account())


def attach_account_filter(blotter: Blotter, accounts: Sequence[str]) -> AccountFilter:
    """Put an :class:`AccountFilter` at the top of ``blotter`` (above its filter bar) and tell
    the blotter which accounts are watched (with several, its tabs show the Account column)."""
    blotter.set_accounts(accounts)
    bar = AccountFilter(blotter, accounts, blotter)
    layout = blotter.layout()
    if not isinstance(layout, QBoxLayout):
        raise TypeError("the blotter's layout is not a box layout")
    layout.insertWidget(0, bar)
    return bar
