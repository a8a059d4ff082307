"""Where a drop-copy replay starts (SPEC §14.1) when the order session cannot resend.

KalshiNR resets on every logon, so what it sent while the desk was away (down, disconnected,
or restarting) is asked of KalshiDC: every ExecutionReport from a BeginExecID on. The desk
asks from the newest ExecID its journal holds for the venue and account (inclusive: that one
comes back and is ignored as a duplicate). A journal that holds no ExecID leaves two cases:

- **Nothing was sent from this desk** on that venue and account (a fresh journal, or one that
  holds only refused orders): nothing can have been missed, so nothing is asked. Fills of
  orders placed elsewhere on the account are not this desk's gap (it shows them when they
  arrive, as it always has).
- **Orders were sent and no report with an ExecID arrived** (the workstation died, or the
  connection dropped, before any answer): such an order may rest and trade while the desk is
  away, and its acknowledgement and fills carry ExecIDs the desk has never seen, from
  anywhere in drop copy's window. The replay is asked from the start of the window,
  :data:`WINDOW_START` (``0;0``, below every ExecID): the venue replays the account's
  reports of the last three hours, each applied once by ExecID. The replayed acknowledgement
  settles an Unknown order (DECISIONS.md step 1). If the window no longer holds the account's
  first reports the venue refuses with EventResendReject reason 3, and the desk's notice says
  what the trader can do.
"""

from __future__ import annotations

from workstation.fix.messages.exec_id import ExecId
from workstation.trading.orders import Orders

__all__ = ["WINDOW_START", "heal_start"]

#: A BeginExecID below every real ExecID: "from the start of the drop-copy window".
WINDOW_START = ExecId(0, 0)


def heal_start(newest: ExecId | None, orders: Orders, *, venue: str, account: str) -> ExecId | None:
    """The BeginExecID to ask drop copy from, given the ``newest`` ExecID held for ``venue``
    and ``account``; None when nothing can have been missed (see the module docstring)."""
    if newest is not None:
        return newest
    if any(not order.external for order in orders.open_orders(venue, account)):
        return WINDOW_START
    return None
