"""Hypothesis strategies for message values (bounded; the tests set max_examples)."""

from __future__ import annotations

import string
from decimal import Decimal

from hypothesis import strategies as st

from workstation.fix.messages import ExecId, Party, PriceFormat

ids = st.text(alphabet=string.ascii_letters + string.digits + "-_:", min_size=1, max_size=24)
# Free text: anything printable that UTF-8 can carry (no control characters, so no SOH).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
formats = st.sampled_from(list(PriceFormat))
times = st.integers(0, 4_102_444_800_000).map(lambda ms: ms / 1000)
quantities = st.integers(1, 10**8).map(lambda n: Decimal(n).scaleb(-2))
whole_or_zero = st.integers(0, 10**6).map(Decimal)
money = st.integers(-(10**9), 10**9).flatmap(
    lambda n: st.sampled_from([Decimal(n).scaleb(-2), Decimal(n).scaleb(-4)])
)
positive_money = st.integers(1, 10**9).map(lambda n: Decimal(n).scaleb(-2))
alloc_accounts = st.integers(0, 63)
exec_ids = st.builds(ExecId, st.integers(0, 2**40), st.integers(0, 2**40), st.integers(0, 20))
parties = st.lists(
    st.builds(
        Party,
        party_id=ids,
        role=st.none() | st.sampled_from([12, 24, 35]),
        id_source=st.none() | st.sampled_from(["D", "C"]),
    ),
    max_size=2,
).map(tuple)


def prices(fmt: PriceFormat) -> st.SearchStrategy[Decimal]:
    """Limit prices strictly between $0 and $1 on the format's grid."""
    if fmt is PriceFormat.CENTS:
        return st.integers(1, 99).map(lambda c: Decimal(c).scaleb(-2))
    return st.integers(1, 9999).map(lambda t: Decimal(t).scaleb(-4))


def avg_prices(fmt: PriceFormat) -> st.SearchStrategy[Decimal]:
    """Average prices: anything from $0 to $1, between ticks too."""
    return st.integers(0, 10**6).map(lambda n: Decimal(n).scaleb(-6))
