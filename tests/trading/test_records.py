"""evolve(): the fast replace used on the report hot path behaves like dataclasses.replace."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.trading.reports import d
from workstation.trading.positions import Lot, Position
from workstation.trading.records import evolve


def test_evolve_matches_replace_and_leaves_the_original() -> None:
    original = Position(
        venue="v", account="a", sub_account=None, symbol="M", net=d(3), lots=(Lot(d(3), d("0.4")),)
    )
    changed = evolve(original, net=d(5), fill_count=2)
    assert changed == replace(original, net=d(5), fill_count=2)
    assert (original.net, original.fill_count) == (d(3), 0)
    assert changed is not original and evolve(original) == original
    with pytest.raises(TypeError, match="Position has no field nett"):
        evolve(original, nett=d(1))
