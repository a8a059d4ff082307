"""The venue keeps sent messages only for sessions that can resend them."""

from __future__ import annotations

import pytest

from workstation.fix.dialect import Dialect, SessionType, dialect_rules
from workstation.fix.store import MemoryStore
from workstation.simulator.numbers_store import NumbersOnlyStore, memory_store_for


def test_numbers_advance_and_roll_back_but_no_message_is_kept() -> None:
    store = NumbersOnlyStore(100.0)
    with store.transaction():
        store.save_outbound(1, 100.0, b"8=FIXT.1.1\x01...")
        store.save_outbound(2, 100.0, b"8=FIXT.1.1\x01...")
    assert store.next_sender_seq() == 3
    assert store.outbound_range(1, None) == []
    with pytest.raises(RuntimeError), store.transaction():
        store.save_outbound(3, 101.0, b"8=FIXT.1.1\x01...")
        raise RuntimeError("the step failed")
    assert store.next_sender_seq() == 3


@pytest.mark.parametrize("dialect", list(Dialect))
def test_only_retransmitting_sessions_keep_messages(dialect: Dialect) -> None:
    rules = dialect_rules(dialect)
    for session_type in SessionType:
        store = memory_store_for(rules, session_type, 0.0)
        store.save_outbound(1, 0.0, b"sent")
        kept = store.outbound_range(1, None)
        if rules.session(session_type).retransmits:
            assert type(store) is MemoryStore and kept == [(1, b"sent")]
        else:
            assert isinstance(store, NumbersOnlyStore) and kept == []
        assert store.next_sender_seq() == 2
