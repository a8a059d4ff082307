"""When to try the next connection: exponential backoff with full jitter, and Kalshi's floors.

How it works
------------
The initiator tells the policy what happened, with the time (``now``, epoch seconds):
:meth:`ReconnectPolicy.attempt_started` when it opens a connection (the Logon goes out right
after), :meth:`ReconnectPolicy.logged_on` when the Logon is accepted, and asks
:meth:`ReconnectPolicy.next_delay` when a connection attempt or a connection has ended. The
delay is the largest of:

1. **Backoff.** ``uniform(0, min(maximum, initial * factor**failures))`` ("full jitter", so a
   fleet of clients dropped together does not come back together). ``failures`` counts the
   endings since the last stable session; a session that stayed logged on for at least
   ``stable_after`` seconds resets it, so one drop after a good day reconnects at once.
2. **"already exists".** A Logout whose Text contains ``already exists`` means the server
   still holds a connection on this API key, possibly an earlier one of ours that died
   uncleanly and that it has not noticed yet (SPEC §2.3, §6.2). It notices only at its
   heartbeat timeout, so the next Logon waits at least ``max(60 s, 2 × HeartBtInt)``
   (DECISIONS.md, ``already exists`` row).
3. **Logon rate limit.** Logon is rate-limited (SPEC §2.5), so two attempts are never closer
   than ``min_logon_interval`` seconds, measured from the previous attempt's start.

The policy is pure: it reads no clock and draws randomness only from the ``random.Random``
it was given, so tests drive it with fixed times and a seeded generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["ALREADY_EXISTS", "BackoffSettings", "ReconnectPolicy"]

#: The Logout Text (58) Kalshi sends when the API key already has a live connection.
ALREADY_EXISTS = "already exists"
_MAX_EXPONENT = 64  # factor**n past this would overflow a float long after the cap


@dataclass(frozen=True, slots=True, kw_only=True)
class BackoffSettings:
    """Tunables of :class:`ReconnectPolicy`, in seconds."""

    initial: float = 1.0  #: upper bound of the first jittered delay
    factor: float = 2.0  #: growth of the upper bound per consecutive failure
    maximum: float = 30.0  #: cap on the upper bound
    min_logon_interval: float = 1.0  #: never two attempts closer than this (SPEC §2.5)
    already_exists_floor: float = 60.0  #: least wait after "already exists" (SPEC §6.2)
    stable_after: float = 60.0  #: a session logged on this long resets the backoff

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum < self.initial or self.factor < 1:
            raise ValueError("backoff needs 0 < initial <= maximum and factor >= 1")
        if self.min_logon_interval < 0 or self.already_exists_floor < 0:
            raise ValueError("backoff floors cannot be negative")


class ReconnectPolicy:
    """Decides how long to wait before the next connection attempt (see the module doc)."""

    def __init__(
        self, settings: BackoffSettings | None = None, *, rng: random.Random | None = None
    ) -> None:
        self.settings = settings if settings is not None else BackoffSettings()
        self._rng = rng if rng is not None else random.Random()
        self._failures = 0
        self._last_attempt: float | None = None
        self._logged_on_at: float | None = None

    @property
    def failures(self) -> int:
        """Connection endings counted since the last stable session."""
        return self._failures

    def attempt_started(self, now: float) -> None:
        """A connection attempt (and so a Logon) starts at ``now``."""
        self._last_attempt = now
        self._logged_on_at = None

    def logged_on(self, now: float) -> None:
        """The Logon of the current connection was accepted at ``now``."""
        self._logged_on_at = now

    def earliest_attempt(self) -> float | None:
        """The first moment the logon rate limit allows another attempt (None: any time)."""
        if self._last_attempt is None:
            return None
        return self._last_attempt + self.settings.min_logon_interval

    def next_delay(self, now: float, *, logout_text: str = "", heart_bt_int: int = 30) -> float:
        """Seconds to wait, from ``now``, before the next attempt; counts one failure.

        ``logout_text`` is the Text (58) of the Logout that ended the connection, if any;
        ``heart_bt_int`` the HeartBtInt (108) the session logged on with.
        """
        s = self.settings
        if self._logged_on_at is not None and now - self._logged_on_at >= s.stable_after:
            self._failures = 0
        self._logged_on_at = None
        ceiling = min(s.maximum, s.initial * s.factor ** min(self._failures, _MAX_EXPONENT))
        self._failures += 1
        delay = self._rng.uniform(0.0, ceiling)
        if ALREADY_EXISTS in logout_text.lower():
            delay = max(delay, s.already_exists_floor, 2.0 * heart_bt_int)
        earliest = self.earliest_attempt()
        if earliest is not None:
            delay = max(delay, earliest - now)
        return max(delay, 0.0)

    def reset(self) -> None:
        """Forget the failure count (the trader asked to connect now)."""
        self._failures = 0
