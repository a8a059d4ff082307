"""ReconnectPolicy: exponential backoff with full jitter, the "already exists" floor, the
logon rate limit and the reset after a stable session, on fixed times and a seeded RNG."""

from __future__ import annotations

import random

import pytest

from workstation.net.backoff import BackoffSettings, ReconnectPolicy

T0 = 1_800_000_000.0


class TopRandom(random.Random):
    """Always draws the top of the range, so the ceiling itself is observable."""

    def uniform(self, a: float, b: float) -> float:
        return b


class BottomRandom(random.Random):
    """Always draws zero, so only the floors decide the delay."""

    def uniform(self, a: float, b: float) -> float:
        return a


def test_ceiling_doubles_from_one_second_up_to_thirty() -> None:
    policy = ReconnectPolicy(rng=TopRandom())
    delays = []
    now = T0
    for _ in range(8):
        policy.attempt_started(now)
        now += 0.2  # the attempt failed quickly
        delay = policy.next_delay(now)
        delays.append(delay)
        now += delay
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    assert policy.failures == 8


def test_full_jitter_stays_within_the_ceiling_and_varies() -> None:
    policy = ReconnectPolicy(BackoffSettings(min_logon_interval=0.0), rng=random.Random(7))
    drawn = []
    for _ in range(40):
        drawn.append(policy.next_delay(T0))
    assert all(0.0 <= d <= 30.0 for d in drawn)
    assert drawn[0] <= 1.0 and drawn[1] <= 2.0 and drawn[2] <= 4.0
    assert len(set(drawn)) == len(drawn)  # jittered, not a fixed schedule
    assert min(drawn[10:]) < 15.0 < max(drawn[10:])  # spread over the whole range


def test_same_seed_same_schedule() -> None:
    a = ReconnectPolicy(rng=random.Random(3))
    b = ReconnectPolicy(rng=random.Random(3))
    assert [a.next_delay(T0) for _ in range(6)] == [b.next_delay(T0) for _ in range(6)]


def test_never_two_logon_attempts_closer_than_the_minimum_interval() -> None:
    policy = ReconnectPolicy(BackoffSettings(min_logon_interval=1.5), rng=BottomRandom())
    policy.attempt_started(T0)
    assert policy.next_delay(T0 + 0.25) == pytest.approx(1.25)
    assert policy.earliest_attempt() == T0 + 1.5
    # Long after the previous attempt, the limit no longer holds anything back.
    assert policy.next_delay(T0 + 10.0) == 0.0


@pytest.mark.parametrize(
    ("text", "heart_bt_int", "floor"),
    [
        ("already exists", 30, 60.0),
        ("Session KalshiNR+abc Already Exists", 30, 60.0),
        ("already exists", 45, 90.0),
        ("already exists", 3, 60.0),
    ],
)
def test_already_exists_waits_out_the_servers_heartbeat_timeout(
    text: str, heart_bt_int: int, floor: float
) -> None:
    policy = ReconnectPolicy(rng=random.Random(1))
    policy.attempt_started(T0)
    delay = policy.next_delay(T0 + 0.1, logout_text=text, heart_bt_int=heart_bt_int)
    assert floor <= delay <= max(floor, 30.0)


def test_other_logout_texts_get_the_ordinary_backoff() -> None:
    policy = ReconnectPolicy(rng=TopRandom())
    policy.attempt_started(T0)
    assert policy.next_delay(T0 + 0.1, logout_text="Invalid signature") == 1.0


def test_a_stable_session_resets_the_backoff_and_a_short_one_does_not() -> None:
    policy = ReconnectPolicy(BackoffSettings(stable_after=60.0), rng=TopRandom())
    now = T0
    for _ in range(5):
        policy.attempt_started(now)
        now += 1
        now += policy.next_delay(now)
    assert policy.failures == 5
    # Logged on, but dropped after 10 s: still backing off.
    policy.attempt_started(now)
    policy.logged_on(now + 0.1)
    assert policy.next_delay(now + 10.0) == 30.0
    now += 100.0
    # Logged on for two minutes: the next drop starts again from the initial delay.
    policy.attempt_started(now)
    policy.logged_on(now + 0.1)
    assert policy.next_delay(now + 120.0) == 1.0
    assert policy.failures == 1


def test_reset_forgets_failures() -> None:
    policy = ReconnectPolicy(rng=TopRandom())
    for _ in range(4):
        policy.next_delay(T0)
    policy.reset()
    assert policy.next_delay(T0) == 1.0


def test_many_failures_do_not_overflow() -> None:
    policy = ReconnectPolicy(rng=TopRandom())
    for _ in range(3000):
        delay = policy.next_delay(T0)
    assert delay == 30.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initial": 0.0},
        {"initial": 5.0, "maximum": 1.0},
        {"factor": 0.5},
        {"min_logon_interval": -1.0},
    ],
)
def test_nonsense_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff"):
        BackoffSettings(**kwargs)
