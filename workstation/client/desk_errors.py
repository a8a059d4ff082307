"""Why a Desk action was not sent: the exceptions its actions raise, for the UI to show."""

from __future__ import annotations

__all__ = ["ActionRefused", "NeedsConfirmation"]


class ActionRefused(Exception):
    """The action was not sent; the message says why, in the trader's words."""


class NeedsConfirmation(Exception):
    """Above a confirmation threshold: ask the trader, then repeat with ``confirmed=True``."""
