"""Data tables behind :mod:`workstation.fix.dictionary` (names, types, enum names).

``FIELD_TABLE`` maps tag → (name, FIX type, {value: value name}).
``MESSAGE_FIELD_TABLE`` maps (MsgType, tag) → the same, for tags whose meaning depends on
the message. ``MSG_TYPE_NAMES`` maps MsgType → name.
"""

from __future__ import annotations

from collections.abc import Mapping

Entry = tuple[str, str, Mapping[str, str]]

MSG_TYPE_NAMES: dict[str, str] = {
    "0": "Heartbeat",
    "1": "TestRequest",
    "2": "ResendRequest",
    "3": "Reject",
    "4": "SequenceReset",
    "5": "Logout",
    "A": "Logon",
    "D": "NewOrderSingle",
    "8": "ExecutionReport",
}

FIELD_TABLE: dict[int, Entry] = {
    8: ("BeginString", "STRING", {}),
    9: ("BodyLength", "LENGTH", {}),
    10: ("CheckSum", "STRING", {}),
    34: ("MsgSeqNum", "SEQNUM", {}),
    35: ("MsgType", "STRING", {}),
    49: ("SenderCompID", "STRING", {}),
    52: ("SendingTime", "UTCTIMESTAMP", {}),
    56: ("TargetCompID", "STRING", {}),
}

MESSAGE_FIELD_TABLE: dict[tuple[str, int], Entry] = {}
