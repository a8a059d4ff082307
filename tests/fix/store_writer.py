"""Child process of test_store_crash.py: writes to a SqliteStore as fast as it can until it is
killed, printing every sequence number once it is committed.

    python store_writer.py PATH SEED

It continues the session stored in PATH. Each round either stores one outbound message
(printing ``out N``), or handles a "read chunk" in one transaction: several inbound messages,
each recorded in the application's own ``applied`` table and advancing the target number,
sometimes with outbound replies (printing ``in N`` for the last inbound number and ``out N``
for each reply, after the commit). Message contents are a function of their number, so the
test can check every byte.
"""

from __future__ import annotations

import random
import sys

from workstation.fix.database import Database
from workstation.fix.sqlite_store import SqliteStore

SENDER = "WRITER"
TARGET = "KALSHI"
APPLIED = ("CREATE TABLE IF NOT EXISTS applied (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)",)


def outbound_message(seq: int) -> bytes:
    """The stored bytes of outbound number ``seq`` (length varies with the number)."""
    return b"8=FIXT.1.1\x0135=D\x0134=%d\x0158=%s\x01" % (seq, b"x" * (seq % 97))


def inbound_body(seq: int) -> bytes:
    """What the application records for inbound number ``seq``."""
    return b"35=8\x0134=%d\x0117=exec-%d\x01" % (seq, seq)


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    db = Database(path)
    db.ensure_schema("crash_test_application", 1, APPLIED)
    # Checkpoint often, so that some kills land in the middle of a checkpoint too.
    db.connection.execute("PRAGMA wal_autocheckpoint=32")
    store = SqliteStore(db, SENDER, TARGET, 0.0)
    print("ready", flush=True)
    now = 0.0
    while True:
        now += 0.001
        if rng.random() < 0.5:
            seq = store.next_sender_seq()
            store.save_outbound(seq, now, outbound_message(seq))
            print(f"out {seq}", flush=True)
            continue
        replies: list[int] = []
        with store.transaction():
            for _ in range(rng.randint(1, 20)):
                seq = store.next_target_seq()
                db.connection.execute(
                    "INSERT INTO applied (seq, body) VALUES (?, ?)", (seq, inbound_body(seq))
                )
                store.set_next_target_seq(seq + 1)
                if rng.random() < 0.2:
                    reply = store.next_sender_seq()
                    store.save_outbound(reply, now, outbound_message(reply))
                    replies.append(reply)
            last = store.next_target_seq() - 1
        lines = [f"in {last}", *(f"out {reply}" for reply in replies)]
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
