"""Message log model cost: batched appends up to the cap, then filter changes.

Prints figures; asserts nothing. Run: ``python bench/ui_message_log.py [--count 120000]``.

ExecutionReports and Heartbeats (about 200 bytes each) are appended in batches of 2,000 (a
resend burst reaching the UI in one tick) to a model capped at 100,000, so the last batches
also drop the oldest rows. Then the filter changes once by type and once by text over the
full log: the filter runs in Python inside the model, with no QSortFilterProxyModel.
"""

from __future__ import annotations

import argparse
import time

from PySide6.QtCore import QCoreApplication

from workstation.client.records import Direction, WireRecord
from workstation.fix.codec import encode_message
from workstation.fix.dialect import SessionType
from workstation.ui.models.message_log_model import LogFilter, MessageLogModel

BATCH = 2_000


def records(count: int) -> list[WireRecord]:
    out = []
    for i in range(count):
        header = [(49, "KalshiRT"), (56, "key"), (34, str(i + 1)), (52, "20260312-14:30:05.000")]
        if i % 4 == 3:
            msg_type, body = "0", []
        else:
            msg_type = "8"
            body = [(37, f"o{i}"), (11, f"c{i}"), (17, f"e{i}"), (150, "F"), (39, "1"),
                    (55, f"KXMKT-{i % 50}"), (54, "1"), (38, "10"), (44, "55"), (32, "1"),
                    (31, "55"), (14, "1"), (151, "9")]  # fmt: skip
        out.append(
            WireRecord(
                seq=i,
                session=SessionType.RT,
                direction=Direction.IN,
                received_at=1773325805.0 + i / 1000,
                msg_type=msg_type,
                msg_seq_num=i + 1,
                raw=encode_message(msg_type, header, body),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=120_000)
    args = parser.parse_args()
    _app = QCoreApplication([])
    data = records(args.count)
    model = MessageLogModel()
    worst = 0.0
    start = time.perf_counter()
    for i in range(0, len(data), BATCH):
        t = time.perf_counter()
        model.append(data[i : i + BATCH])
        worst = max(worst, time.perf_counter() - t)
    total = time.perf_counter() - start
    print(f"append {len(data):,} in batches of {BATCH:,}: {total * 1000:.0f} ms "
          f"({total / len(data) * 1e6:.1f} us/record, worst batch {worst * 1000:.1f} ms); "
          f"{model.rowCount():,} kept, {model.dropped:,} dropped")  # fmt: skip
    for name, new in (
        ("type filter (ExecutionReport)", LogFilter(msg_types=frozenset({"8"}))),
        ("text filter ('kxmkt-7')", LogFilter(text="kxmkt-7")),
        ("no filter", LogFilter()),
    ):
        t = time.perf_counter()
        model.set_filter(new)
        print(f"{name}: {(time.perf_counter() - t) * 1000:.1f} ms, {model.rowCount():,} rows")


if __name__ == "__main__":
    main()
