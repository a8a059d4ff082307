"""The trading domain, pure Python: state fed by typed FIX messages, no sockets, no Qt.

- ``state``: :class:`TradingState`, every store below and the routing of inbound messages;
- ``orders`` / ``order`` / ``order_state``: the order store, the Order record, the state table;
- ``reasons``: what a reject or cancel Text means, the same in both dialects;
- ``fills``: fills keyed by (venue, account, ExecID), applied once;
- ``positions``: positions and P&L per (venue, account, sub-account, market);
- ``fees``: Kalshi's fee formula; ``ticket``: order-ticket arithmetic; ``risk``: limits;
- ``groups``: order groups and the rolling 15-second gauge;
- ``rfq`` (as requester) and ``rfq_maker`` (as market maker);
- ``settlements``: UMS pages reassembled and reconciled with our positions;
- ``changes``: the records every mutator returns, for the UI bridge to batch.
"""
