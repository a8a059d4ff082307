"""Hostile input, generated: random bytes, truncated messages, one field of a valid message
mutated. Whatever arrives, the session never raises, its sequence numbers never go backwards,
every delivered message is accounted for in the store, and it either carries on or ends with a
Logout that says why (or because the peer logged out)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.fix.codec import checksum, parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived, Event, LogoutReceived
from workstation.fix.session import Role, SessionState
from workstation.fix.testing import SessionPair, split_frames

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

roles = st.sampled_from([Role.INITIATOR, Role.ACCEPTOR])
session_types = st.sampled_from([SessionType.RT, SessionType.NR])
msg_types = st.sampled_from(["D", "8", "j", "0", "1", "2", "3", "4", "5", "A", "ZZ"])
tags = st.sampled_from(
    [11, 38, 44, 54, 55, 58, 7, 16, 36, 123, 112, 43, 122, 45, 373, 453, 448, 452, 95, 96]
)
texts = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\x01"),
    min_size=1,
    max_size=12,
)
values = st.one_of(texts, st.integers(-5, 40).map(str), st.sampled_from(["Y", "N", ""]))
bodies = st.lists(st.tuples(tags, values), max_size=6)


def active(session_type: SessionType) -> SessionPair:
    pair = SessionPair(session_type=session_type)
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.wire.clear()
    return pair


def feed(pair: SessionPair, receiver: Role, data: bytes) -> None:
    """Deliver ``data`` to ``receiver`` and check every invariant."""
    session = pair.session(receiver)
    target_before = session.next_target_seq
    sender_before = session.next_sender_seq
    events: list[Event] = list(pair.deliver(receiver, data))
    assert session.next_target_seq >= target_before
    assert session.next_sender_seq >= sender_before
    delivered = [
        e.message.seq_num or 0 for e in events if isinstance(e, ApplicationMessageReceived)
    ]
    assert all(0 < seq < session.next_target_seq for seq in delivered)
    assert delivered == sorted(set(delivered))  # in order, each once
    if session.state is SessionState.ACTIVE:
        return
    if any(isinstance(e, LogoutReceived) for e in events):
        return  # the peer ended it (a mutation can make a Logout)
    said = [parse_frame(f) for who, f in pair.wire if who is receiver]
    assert said, "the session ended without a word"
    assert said[-1].msg_type == "5"
    assert said[-1].get(58), "the Logout must say why"


def encode(fields: list[tuple[str, str]]) -> bytes:
    """A frame from text fields (after 9, before 10), framed correctly whatever they hold."""
    body = "".join(f"{tag}={value}\x01" for tag, value in fields).encode("latin-1")
    frame = b"8=FIXT.1.1\x019=" + str(len(body)).encode() + b"\x01" + body
    return frame + b"10=%03d\x01" % checksum(frame)


def fields_of(frame: bytes) -> list[tuple[str, str]]:
    parts = frame.decode("latin-1").split("\x01")[2:-2]  # drop 8, 9 and 10
    return [(p.partition("=")[0], p.partition("=")[2]) for p in parts]


@SETTINGS
@given(data=st.binary(max_size=400), receiver=roles, session_type=session_types)
def test_random_bytes(data: bytes, receiver: Role, session_type: SessionType) -> None:
    pair = active(session_type)
    feed(pair, receiver, data)


@SETTINGS
@given(
    receiver=roles,
    session_type=session_types,
    msg_type=st.sampled_from(["D", "8", "0"]),
    body=bodies,
    cut=st.integers(min_value=0),
)
def test_truncated_message_then_a_valid_one(
    receiver: Role, session_type: SessionType, msg_type: str, body: list[tuple[int, str]], cut: int
) -> None:
    pair = active(session_type)
    sender = SessionPair.other(receiver)
    whole = pair.forge(sender, msg_type, [(11, "cut"), *[(t, v or "x") for t, v in body]])
    feed(pair, receiver, whole[: cut % len(whole)])
    if pair.session(receiver).state is SessionState.ACTIVE:
        feed(pair, receiver, pair.forge(sender, "D", [(11, "next")]))


MUTATIONS = st.sampled_from(["tag", "value", "delete", "duplicate"])


@SETTINGS
@given(
    receiver=roles,
    session_type=session_types,
    msg_type=msg_types,
    body=bodies,
    mutation=MUTATIONS,
    index=st.integers(min_value=0),
    new_tag=st.one_of(tags.map(str), st.sampled_from(["34", "35", "49", "52", "0", "x", "", "-1"])),
    new_value=values,
    reframe=st.booleans(),
)
def test_one_field_of_a_valid_message_mutated(
    receiver: Role,
    session_type: SessionType,
    msg_type: str,
    body: list[tuple[int, str]],
    mutation: str,
    index: int,
    new_tag: str,
    new_value: str,
    reframe: bool,
) -> None:
    pair = active(session_type)
    sender = SessionPair.other(receiver)
    clean = [(t, v or "x") for t, v in body]
    original = pair.forge(sender, msg_type, clean)
    fields = fields_of(original)
    i = index % len(fields)
    tag, value = fields[i]
    if mutation == "tag":
        fields[i] = (new_tag, value)
    elif mutation == "value":
        fields[i] = (tag, new_value.encode().decode("latin-1"))  # UTF-8 bytes on the wire
    elif mutation == "delete":
        del fields[i]
    else:
        fields.insert(i, fields[i])
    mutated = encode(fields)
    if not reframe:  # keep the original BodyLength and CheckSum: mostly garbled
        head = original[: original.index(b"\x01", original.index(b"\x019=") + 1) + 1]
        mutated = head + mutated[len(head) :]
        mutated = mutated[: mutated.rindex(b"10=")] + original[original.rindex(b"10=") :]
    feed(pair, receiver, mutated)
    if pair.session(receiver).state is SessionState.ACTIVE:
        feed(pair, receiver, pair.forge(sender, "D", [(11, "after")]))


@settings(max_examples=40, deadline=None)
@given(
    receiver=roles,
    chunks=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30),
)
def test_valid_stream_split_anywhere_is_delivered_whole_and_in_order(
    receiver: Role, chunks: list[int]
) -> None:
    pair = active(SessionType.RT)
    sender = SessionPair.other(receiver)
    stream = b"".join(pair.forge(sender, "D", [(11, f"m{n}")]) for n in range(5))
    session = pair.session(receiver)
    delivered: list[Event] = []
    pos = 0
    for size in [*chunks, len(stream)]:
        delivered += session.receive_data(stream[pos : pos + size], pair.clock.now)
        pos += size
        if pos >= len(stream):
            break
    assert [e.message.get(11) for e in delivered if isinstance(e, ApplicationMessageReceived)] == [
        f"m{n}" for n in range(5)
    ]
    assert session.next_target_seq == 7
    assert split_frames(session.data_to_send()) == []
