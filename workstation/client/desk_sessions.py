"""Which FIX sessions a Desk opens, with which key, and how each one stands.

- :func:`planned_sessions`: one session per enabled session type of a trading profile, all
  under one account; for a desk monitor, one listener on the order session per watched
  account.
- :func:`link_key`: a session's private key, loaded for its Logon (an encrypted key is
  unlocked with a passphrase the trader is asked for, kept in memory only).
- :func:`session_infos`: the status of every session, the ones not configured shown as
  disabled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from workstation.client.desk_updates import NoticeLevel
from workstation.client.profiles import Profile, SessionSettings
from workstation.client.records import SessionInfo, SessionPhase
from workstation.client.session_link import SessionLink
from workstation.fix.dialect import SessionType, dialect_rules
from workstation.fix.keys import PassphraseRequired, load_private_key

__all__ = ["PassphrasePrompt", "link_key", "planned_sessions", "session_infos"]

#: Asks the trader for the passphrase of the key at a path; None when they decline.
PassphrasePrompt = Callable[[Path], Awaitable[str | None]]


def planned_sessions(
    profile: Profile, *, accounts: Sequence[str], listen_only: bool
) -> list[tuple[SessionSettings, str]]:
    """The sessions to open, each with the account it belongs to (see the module docstring);
    ``accounts`` are the accounts known so far (the local venue's)."""
    if listen_only and profile.watch:
        base = profile.session(profile.order_session)
        return [
            (
                SessionSettings(
                    session_type=profile.order_session,
                    enabled=True,
                    api_key_id=w.api_key_id,
                    private_key=w.private_key,
                    pin_file=base.pin_file,
                    port=base.port,
                    listener=True,
                ),
                w.label,
            )
            for w in profile.watch
        ]
    # Every session of a trading profile belongs to one account, even though each logs on
    # with its own API key: a drop-copy heal or a settlement must land on the account the
    # order session's fills are kept under, or it is counted a second time beside them.
    order_key = profile.session(profile.order_session).api_key_id
    account = accounts[0] if accounts else order_key
    planned = []
    for settings in profile.enabled_sessions():
        listen = listen_only and settings.session_type is profile.order_session
        chosen = replace(settings, listener=True) if listen else settings
        planned.append((chosen, account or settings.api_key_id))
    return planned


async def link_key(
    settings: SessionSettings,
    ask: PassphrasePrompt | None,
    notice: Callable[[str, NoticeLevel], None],
) -> RSAPrivateKey | None:
    """The private key ``settings`` logs on with; None, with a notice saying why, when it has
    none or its passphrase was not given."""
    if settings.private_key is None or not settings.api_key_id:
        notice(
            f"{settings.session_type.value} is enabled but has no API key id or private key "
            "file: set them in the connection profile",
            NoticeLevel.WARNING,
        )
        return None
    try:
        return load_private_key(settings.private_key)
    except PassphraseRequired:
        passphrase = await ask(settings.private_key) if ask is not None else None
        if passphrase is None:
            notice(
                f"{settings.session_type.value} not started: its key needs a passphrase",
                NoticeLevel.WARNING,
            )
            return None
        return load_private_key(settings.private_key, passphrase)


def session_infos(links: Sequence[SessionLink], profile: Profile) -> list[SessionInfo]:
    """How each session stands; the order session, KalshiDC, KalshiPT and KalshiRFQ are
    listed as disabled when the profile does not open them."""
    infos = [link.info() for link in links]
    configured = {link.session_type for link in links}
    for st in (profile.order_session, SessionType.DC, SessionType.PT, SessionType.RFQ):
        if st not in configured:
            s = profile.session(st)
            infos.append(
                SessionInfo(
                    session=st,
                    phase=SessionPhase.DISABLED,
                    host=profile.host,
                    port=s.effective_port,
                    api_key_id=s.api_key_id,
                    next_out_seq=0,
                    next_in_seq=0,
                    last_message_at=None,
                    heartbeat_rtt=None,
                    reconnect_at=None,
                    last_error="",
                    cancel_on_disconnect=False,
                    listener=False,
                    retransmits=dialect_rules(profile.dialect).session(st).retransmits,
                )
            )
    return infos
