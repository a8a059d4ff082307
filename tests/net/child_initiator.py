"""A workstation process for the restart test: log on to KalshiRT with a SQLite store, send
some orders, report on stdout, then idle until killed.

    python child_initiator.py PORT DB_PATH KEY_FILE API_KEY RUN COUNT

Lines written (one per fact, flushed at once):
    logon reset=<Y|N> seq=<MsgSeqNum of the server's Logon>
    gap expected=<n> received=<n>          (should never appear)
    received <MsgType> seq=<n>
    sent <seq> <seq> ...
"""

from __future__ import annotations

import asyncio
import sys
import time

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import SessionType
from workstation.fix.events import (
    ApplicationMessageReceived,
    Event,
    GapDetected,
    LogonAccepted,
)
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.fix.sqlite_store import open_store
from workstation.net.initiator import Initiator, InitiatorState


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def report(events: list[Event]) -> None:
    for event in events:
        if isinstance(event, LogonAccepted):
            say(f"logon reset={'Y' if event.reset_seq_nums else 'N'} seq={event.message.seq_num}")
        elif isinstance(event, GapDetected):
            say(f"gap expected={event.expected} received={event.received}")
        elif isinstance(event, ApplicationMessageReceived):
            say(f"received {event.message.msg_type} seq={event.message.seq_num}")


async def main(port: int, db_path: str, key_file: str, api_key: str, run: str, count: int) -> None:
    with open(key_file, "rb") as f:
        key = load_pem_private_key(f.read(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    store = open_store(db_path, api_key, SessionType.RT.value, time.time())
    config = SessionConfig(role=Role.INITIATOR, session_type=SessionType.RT, sender_comp_id=api_key)
    session = Session(config, store=store, signer=LogonSigner(key))
    active = asyncio.Event()

    def on_state(state: InitiatorState) -> None:
        if state is InitiatorState.ACTIVE:
            active.set()

    initiator = Initiator(session, host="127.0.0.1", port=port, on_events=report, on_state=on_state)
    initiator.start()
    await active.wait()
    seqs = [
        initiator.send("D", [(11, f"{run}-{i}"), (55, "KXTEST-26"), (54, "1"), (38, "1")])
        for i in range(count)
    ]
    say("sent " + " ".join(str(s) for s in seqs))
    await asyncio.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    port, db_path, key_file, api_key, run, count = sys.argv[1:7]
    asyncio.run(main(int(port), db_path, key_file, api_key, run, int(count)))
