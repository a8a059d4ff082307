"""Framing, checksum and tokenising: the codec accepts exactly the verified frames."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.codec import FrameReader, GarbledFrame, checksum, encode_message, parse_frame
from workstation.fix.message import FieldMissing
from workstation.fix.values import FieldFormatError

HEADER = [(49, "key-uuid"), (56, "KalshiNR"), (34, "7"), (52, "20250926-21:54:16.040")]


def order(cl_ord_id: str = "abc", qty: str = "10") -> bytes:
    return encode_message(
        "D",
        HEADER,
        [(11, cl_ord_id), (38, qty), (40, "2"), (44, "75"), (54, "1"), (55, "HIGHNY-23DEC31")],
    )


def feed_all(reader: FrameReader, data: bytes) -> list[bytes | GarbledFrame]:
    reader.feed(data)
    return reader.frames()


def test_encoded_frame_has_correct_length_and_checksum() -> None:
    frame = order()
    assert frame.startswith(b"8=FIXT.1.1\x019=")
    body_start = frame.index(b"35=")
    trailer = frame.rindex(b"10=")
    declared = int(frame.split(b"\x01")[1][2:])
    assert declared == trailer - body_start
    assert int(frame[trailer + 3 : trailer + 6]) == checksum(frame[:trailer])


def test_reader_returns_each_frame_of_a_stream() -> None:
    frames = [order(str(i)) for i in range(5)]
    out = feed_all(FrameReader(), b"".join(frames))
    assert out == frames


@pytest.mark.parametrize("split", range(1, 60))
def test_frame_split_at_any_byte_boundary(split: int) -> None:
    frame = order()
    reader = FrameReader()
    first = feed_all(reader, frame[:split])
    second = feed_all(reader, frame[split:])
    assert first == []
    assert second == [frame]


def test_byte_at_a_time_delivery() -> None:
    frames = [order("a"), order("b")]
    reader = FrameReader()
    out: list[bytes | GarbledFrame] = []
    for byte in b"".join(frames):
        out += feed_all(reader, bytes([byte]))
    assert out == frames
    assert reader.buffered == 0


def test_bad_checksum_is_discarded_and_stream_resynchronises() -> None:
    good, bad = order("good"), bytearray(order("bad"))
    bad[bad.index(b"11=bad") + 3] = ord("X")  # corrupt one byte; length unchanged
    out = feed_all(FrameReader(), good + bytes(bad) + good)
    assert out[0] == good and out[2] == good
    assert isinstance(out[1], GarbledFrame) and out[1].reason == "CheckSum mismatch"


def test_wrong_body_length_is_discarded() -> None:
    frame = order().replace(b"\x019=", b"\x019=1", 1)  # claims 10x the length
    good = order("next")
    reader = FrameReader()
    out = feed_all(reader, frame + good + b"8=FIXT.1.1\x019=5\x01" + b"x" * 200)
    assert isinstance(out[0], GarbledFrame)
    assert good in out


def test_msgtype_must_be_third_field() -> None:
    frame = encode_message("D", HEADER, [(11, "x")])
    swapped = frame.replace(b"35=D\x0149=key-uuid", b"49=key-uuid\x0135=D")
    out = feed_all(FrameReader(), swapped)
    assert len(out) == 1 and isinstance(out[0], GarbledFrame)
    assert "third" in out[0].reason


def test_leading_garbage_is_reported_then_frame_read() -> None:
    frame = order()
    out = feed_all(FrameReader(), b"GET / HTTP/1.1\r\n" + frame)
    assert isinstance(out[0], GarbledFrame) and out[1] == frame


def test_other_begin_string_is_framed_for_the_session_to_refuse() -> None:
    frame = encode_message("A", HEADER, [(98, "0")], begin_string="FIX.4.4")
    out = feed_all(FrameReader(), frame)
    assert out == [frame]
    assert parse_frame(frame).get(8) == "FIX.4.4"


def test_parse_typed_fields_and_groups() -> None:
    frame = encode_message(
        "8",
        HEADER,
        [(17, "4;7"), (14, "10.00"),
         (136, "1"), (137, "0.07"), (138, "USD"), (139, "4"), (891, "0"),
         (1703, "1"), (1704, "-0.75"), (1705, "BALANCE"), (60, "20250926-21:54:16.040")],
    )
    msg = parse_frame(frame)
    assert msg.msg_type == "8" and msg.seq_num == 7
    assert str(msg.require_decimal(14)) == "10.00"
    fees = msg.groups(136)
    assert [(g.get(137), g.get(138)) for g in fees] == [("0.07", "USD")]
    collateral = msg.groups(1703)
    assert str(collateral[0].require_decimal(1704)) == "-0.75"
    assert msg.get_utc(60) == pytest.approx(1758923656.040)
    with pytest.raises(FieldMissing):
        msg.require(11)
    with pytest.raises(FieldFormatError):
        parse_frame(encode_message("8", HEADER, [(14, "ten")])).require_decimal(14)


def test_nested_settlement_groups() -> None:
    body = [(20105, "s1"), (55, "T"), (20108, "2"),
            (20109, "u1"), (20110, "24"), (704, "100"), (705, "0"),
            (1703, "1"), (1704, "100.00"), (1705, "PAYOUT"),
            (136, "1"), (137, "0.00"), (138, "USD"), (139, "4"), (891, "0"),
            (20109, "u2"), (20110, "24"), (704, "0"), (705, "5"),
            (1703, "1"), (1704, "0.00"), (1705, "PAYOUT"), (893, "Y")]
    msg = parse_frame(encode_message("UMS", HEADER, body))
    parties = msg.groups(20108)
    assert [p.get(20109) for p in parties] == ["u1", "u2"]
    assert parties[0].groups(1703)[0].get(1704) == "100.00"
    assert parties[0].groups(136)[0].get(137) == "0.00"
    assert parties[1].groups(136) == []
    assert msg.get(893) == "Y"


def test_group_count_mismatch_is_a_format_error() -> None:
    msg = parse_frame(encode_message("8", HEADER, [(136, "2"), (137, "0.07"), (138, "USD")]))
    with pytest.raises(FieldFormatError):
        msg.groups(136)


def test_raw_data_may_contain_soh_when_length_prefixed() -> None:
    sig = "ab\x01cd"
    frame = encode_message("A", HEADER, [(98, "0"), (95, str(len(sig))), (96, sig), (108, "30")])
    msg = parse_frame(frame)
    assert msg.get(96) == sig and msg.get(108) == "30"
    assert "ab" not in repr(msg)  # RawData never shown


def test_field_problems_are_recorded_not_raised() -> None:
    frame = encode_message("D", HEADER, [(11, ""), (38, "5")])
    frame = frame.replace(b"\x0138=5", b"\x01x8=5")
    total = frame[: frame.rindex(b"10=")]
    fixed = total + b"10=%03d\x01" % checksum(total)
    msg = parse_frame(fixed)
    reasons = sorted(reason for _, reason, _ in msg.problems)
    assert reasons == [0, 4]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=1, max_value=64))
def test_random_bytes_never_raise_and_good_frames_survive(noise: bytes, chunk: int) -> None:
    good = order("survivor")
    stream = noise + good
    reader = FrameReader()
    out: list[bytes | GarbledFrame] = []
    for i in range(0, len(stream), chunk):
        out += feed_all(reader, stream[i : i + chunk])
    for item in out:
        if isinstance(item, bytes):
            parse_frame(item)  # never raises
    # the good frame is recovered unless the noise itself ended inside a frame prefix
    if b"8=" not in noise:
        assert good in out


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=255))
def test_single_byte_corruption_never_yields_a_wrong_frame(pos: int, value: int) -> None:
    frame = bytearray(order("victim"))
    pos %= len(frame)
    original = frame[pos]
    frame[pos] = value
    out = feed_all(FrameReader(), bytes(frame) + order("after"))
    frames = [f for f in out if isinstance(f, bytes)]
    if value != original:
        # One changed byte always changes the sum or the framing: never delivered as good.
        assert bytes(frame) not in frames
    assert order("after") in frames


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1200))
def test_checksum_is_the_byte_sum_modulo_256(data: bytes) -> None:
    assert checksum(data) == sum(data) % 256


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 511, 512, 513, 70_000])
def test_checksum_of_the_largest_byte_values(size: int) -> None:
    data = b"\xff" * size
    assert checksum(data) == sum(data) % 256
    assert checksum(bytearray(data)) == checksum(memoryview(data)) == sum(data) % 256


plain_fields = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=999_999_999),
        st.text(
            alphabet=st.characters(min_codepoint=2, max_codepoint=255, exclude_characters="\x01"),
            min_size=1,
            max_size=8,
        ),
    ),
    max_size=40,
)


def latin1_frame(fields: list[tuple[str, str]]) -> bytes:
    """8, 9, 35=D, ``fields``, 10 — correctly framed whatever ``fields`` hold."""
    body = ("35=D\x01" + "".join(f"{tag}={value}\x01" for tag, value in fields)).encode("latin-1")
    frame = b"8=FIXT.1.1\x019=%d\x01" % len(body) + body
    return frame + b"10=%03d\x01" % checksum(frame)


@settings(max_examples=200, deadline=None)
@given(plain_fields)
def test_plain_fields_read_back_exactly(fields: list[tuple[int, str]]) -> None:
    fields = [(tag, value) for tag, value in fields if tag not in (8, 9, 10, 35, 95, 89, 90)]
    frame = latin1_frame([(str(tag), value) for tag, value in fields])
    msg = parse_frame(frame)
    assert msg.problems == []
    assert msg.fields[3:-1] == fields
    assert msg.fields[:3] == [(8, "FIXT.1.1"), (9, msg.fields[1][1]), (35, "D")]


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("1" * 5000 + "=x", (0, 0, "Invalid tag number: '11111111111111111111'")),
        ("1234567890=x", (0, 0, "Invalid tag number: '1234567890'")),
        ("x12=3", (0, 0, "Invalid tag number: 'x12'")),
        ("012=3", (0, 0, "Invalid tag number: '012'")),
        ("\u00b2=3", (0, 0, "Invalid tag number: '\u00b2'")),
        ("58=", (58, 4, "Tag specified without a value: 58")),
        ("58", (58, 4, "Tag specified without a value: 58")),
    ],
    ids=[
        "5000-digit-tag",
        "10-digit-tag",
        "letter-first",
        "leading-zero",
        "superscript-digit",
        "no-value",
        "no-equals",
    ],
)
def test_hostile_fields_are_problems_not_exceptions(
    field: str, problem: tuple[int, int, str]
) -> None:
    text = f"8=FIXT.1.1\x019=5\x0135=D\x0111=a\x01{field}\x0138=5\x0110=000\x01"
    msg = parse_frame(text.encode("latin-1"))
    assert msg.problems == [problem]
    assert msg.get(11) == "a" and msg.get(38) == "5"


@pytest.mark.parametrize("length", ["\u00b2", "9" * 5000, "-1", "x"])
def test_a_data_length_that_is_not_a_plain_number_never_raises(length: str) -> None:
    frame = latin1_frame([("95", length), ("96", "sig"), ("108", "30")])
    msg = parse_frame(frame)
    assert msg.get(95) == length and msg.get(96) == "sig" and msg.get(108) == "30"


def test_a_data_field_is_read_by_its_length_wherever_it_stands() -> None:
    sig = "a=b\x0112=c"
    msg = parse_frame(latin1_frame([("11", "x"), ("95", str(len(sig))), ("96", sig), ("12", "d")]))
    assert msg.problems == []
    assert msg.fields[3:-1] == [(11, "x"), (95, "8"), (96, sig), (12, "d")]
