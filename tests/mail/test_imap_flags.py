"""A complete flag listing (no CONDSTORE, issue 10): the bulk reader against the general parser,
the pipelined windows, and the comparison with the cache against a plain reference."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.mail import imap_flags
from core.mail import imap_parse as parse
from core.mail.imap_flags import collect_flags, read_flags
from core.mail.imap_lists import all_flags
from core.mail.plan import Plan, compare
from core.mail.source import MailError
from core.mail.wire_limits import UID_MAX, ServerError
from core.mailbox import FlagChange, FlagColumns, FolderStatus
from core.store.cache import flag_text
from tests.mail.test_imap_wire import wire_over

WORDS = ["\\Seen", "\\Answered", "\\Flagged", "\\Recent", "$Forwarded", "Junk", "\\Draft"]


def plain(seq: int, uid: int, flags: list[str], modseq: int | None = None) -> bytes:
    tail = b" MODSEQ (%d)" % modseq if modseq is not None else b""
    return b"* %d FETCH (UID %d FLAGS (%s)%s)\r\n" % (seq, uid, " ".join(flags).encode(), tail)


ODD = [  # responses the bulk reader leaves to the general parser, or ignores like it
    b"* 3 FETCH (FLAGS (\\Seen) UID 41)\r\n",  # items in another order
    b"* 3 FETCH (UID 42 FLAGS (\\Seen)  )\r\n",  # an extra space
    b"* 3 fetch (uid 43 flags (\\Seen))\r\n",  # lower case
    b"* 3 FETCH (UID 44 MODSEQ (7) FLAGS ($Label))\r\n",
    b"* 3 FETCH (UID 45 FLAGS {6}\r\n\\Seen )\r\n",  # a literal
    b"* 3 FETCH (FLAGS (\\Seen))\r\n",  # no UID: an unsolicited update
    b"* 3 FETCH (UID 0 FLAGS (\\Seen))\r\n",  # UID 0 is ignored
    b"* 3 FETCH (UID 4294967296 FLAGS (\\Seen))\r\n",  # past 32 bits: ignored
    b"* 3 FETCH (UID 99999999999999999999 FLAGS ())\r\n",
    b"* 3 FETCH (UID 46 FLAGS (\\Seen) X-GM-LABELS (x))\r\n",
    b"* 7 EXPUNGE\r\n",
    b"* 9 EXISTS\r\n",
    b"* OK [ALERT] still here\r\n",
]

RESPONSE = st.one_of(
    st.builds(
        plain,
        st.integers(1, 10**6),
        st.integers(0, UID_MAX + 2),
        st.lists(st.sampled_from(WORDS), max_size=4),
        st.none() | st.integers(1, 10**12),
    ),
    st.sampled_from(ODD),
)


def general(data: bytes) -> tuple[FlagColumns, bytes]:
    """Each response through the general parser, one by one: what the bulk reader must give."""
    got = FlagColumns()
    pos = 0
    while True:
        parts, pos = parse.split_response(data, pos)
        if parts[0].startswith(b"MS1 "):
            return got, parts[0][4:]
        collect_flags(parts, got, 10**6)


@settings(max_examples=400)
@given(responses=st.lists(RESPONSE, max_size=60), step=st.integers(1, 5000))
def test_the_bulk_reader_reads_what_the_general_parser_reads(
    responses: list[bytes], step: int
) -> None:
    data = b"".join(responses) + b"MS1 OK Fetch completed.\r\n"
    expected, status = general(data)
    got = FlagColumns()
    assert read_flags(wire_over(data, step), b"MS1", got, 10**6) == status
    assert (got.uids, got.flags) == (expected.uids, expected.flags)
    assert all(0 < uid <= UID_MAX for uid in got.uids)


def test_the_bulk_path_takes_plain_responses_and_the_general_one_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = b"".join(plain(n, n * 10, ["\\Seen", "\\Recent"]) for n in range(1, 500))
    data += ODD[0] + b"MS1 OK done\r\n"
    bulk: list[bytes] = []
    run = imap_flags.flag_run

    def counted(data: bytes, pos: int, into: list[bytes]) -> int:
        end = run(data, pos, into)
        bulk.extend(into[len(bulk) :] if len(into) > len(bulk) else [])
        return end

    monkeypatch.setattr(imap_flags, "flag_run", counted)
    got = FlagColumns()
    read_flags(wire_over(data, 700), b"MS1", got, 10**6)
    assert sum(chunk.count(b"\n") for chunk in bulk) == 499  # every plain one in bulk
    assert got[0] == FlagChange(10, ("\\Seen",)) and got[-1] == FlagChange(41, ("\\Seen",))
    monkeypatch.setattr(imap_flags, "flag_run", lambda data, pos, into: pos)
    alone = FlagColumns()
    read_flags(wire_over(data, 700), b"MS1", alone, 10**6)
    assert alone == got


def test_more_flags_than_the_limit_stop_the_listing() -> None:
    data = b"".join(plain(n, n, []) for n in range(1, 11)) + b"MS1 OK done\r\n"
    with pytest.raises(ServerError, match="more than 9 messages"):
        read_flags(wire_over(data), b"MS1", FlagColumns(), 9)
    got = FlagColumns()
    read_flags(wire_over(data), b"MS1", got, 10)
    assert got.uids == list(range(1, 11))


def _windows(statuses: list[bytes], after: bytes = b"") -> bytes:
    """The answers to all_flags' windows (25,000 UIDs each), one message in each."""
    data = b""
    for tag, status in enumerate(statuses, start=1):
        data += plain(1, 25_000 * (tag - 1) + 5, ["\\Seen"]) + b"MS%d %s\r\n" % (tag, status)
    return data + after


def test_the_windows_go_out_together_and_are_read_in_turn() -> None:
    wire = wire_over(_windows([b"OK", b"OK", b"OK"], b"* 9 EXISTS\r\n"))
    sent: list[tuple[bytes, int]] = []  # each command with the bytes read before it went
    wire.send_line = lambda line: sent.append((line, wire._file.raw.pos))  # type: ignore
    listed = all_flags(wire, 60_001, 100)
    assert sent == [
        (b"MS1 UID FETCH 1:25000 (UID FLAGS)", 0),
        (b"MS2 UID FETCH 25001:50000 (UID FLAGS)", 0),
        (b"MS3 UID FETCH 50001:60000 (UID FLAGS)", 0),
    ]
    assert listed.uids == [5, 25_005, 50_005]
    assert wire._file.read() == b"* 9 EXISTS\r\n"  # nothing read past the last status


def test_a_refused_window_is_raised_once_every_window_is_read() -> None:
    wire = wire_over(_windows([b"OK", b"NO busy", b"OK"], b"* 9 EXISTS\r\n"))
    wire.send_line = lambda line: None  # type: ignore[method-assign]
    with pytest.raises(MailError, match="busy"):
        all_flags(wire, 60_001, 100)
    assert not wire.broken and wire._file.read() == b"* 9 EXISTS\r\n"  # still in step


def test_a_listing_stopped_midway_marks_the_wire_broken() -> None:
    wire = wire_over(_windows([b"OK", b"OK", b"OK"]))
    wire.send_line = lambda line: None  # type: ignore[method-assign]
    with pytest.raises(ServerError, match="more than 1 messages"):
        all_flags(wire, 60_001, 1)
    assert wire.broken  # responses left unread: the sync reconnects


def test_uids_at_or_above_uidnext_wait_for_the_next_sync() -> None:
    wire = wire_over(_windows([b"OK", b"OK"]))  # 1:25000 and 25001:25004; 25,005 came later
    wire.send_line = lambda line: None  # type: ignore[method-assign]
    assert all_flags(wire, 25_005, 100).uids == [5]


def test_flag_columns_read_as_the_flag_changes_they_hold() -> None:
    columns = FlagColumns([3, 5, 9], [("\\Seen",), (), ("\\Seen",)])
    changes = (FlagChange(3, ("\\Seen",)), FlagChange(5, ()), FlagChange(9, ("\\Seen",)))
    assert columns == changes and list(columns) == list(changes) and len(columns) == 3
    assert columns[1:] == list(changes[1:]) and columns[-1] == changes[-1]
    assert columns != changes[:2] and columns != "abc"
    assert columns.below(9) == changes[:2] and columns.below(10) is columns
    columns.append(FlagChange(11, ("$x",), 4))
    assert columns.uids[-1] == 11 and columns[3] == FlagChange(11, ("$x",))


def reference(cached: dict[int, str], listed: list[FlagChange], uidnext: int) -> Plan:
    """The plan as written in words: every step one message at a time."""
    server = {c.uid: flag_text(c.flags) for c in listed if not uidnext or c.uid < uidnext}
    return Plan(
        sorted(uid for uid in cached if uid not in server),
        sorted(uid for uid in server if uid not in cached),
        sorted(
            (uid, text) for uid, text in server.items() if uid in cached and cached[uid] != text
        ),
    )


FLAG_SETS = st.lists(st.sampled_from(WORDS[:3] + WORDS[4:]), max_size=3).map(tuple)


@settings(max_examples=300)
@given(
    cached=st.dictionaries(st.integers(1, 60), FLAG_SETS.map(flag_text), max_size=40),
    listed=st.dictionaries(st.integers(1, 60), FLAG_SETS, max_size=40),
    uidnext=st.sampled_from([0, 30, 61]),
    same=st.booleans(),
)
def test_compare_plans_what_the_reference_plans(
    cached: dict[int, str], listed: dict[int, tuple[str, ...]], uidnext: int, same: bool
) -> None:
    if same:  # an unchanged folder: the server lists exactly the cache
        listed = {uid: tuple(text.split()) for uid, text in cached.items()}
    changes = [FlagChange(uid, flags) for uid, flags in listed.items()]
    status = FolderStatus(1, uidnext, len(changes))
    expected = reference(cached, changes, uidnext)
    assert compare(cached, changes, status) == expected
    columns = FlagColumns(list(listed), list(listed.values()))
    assert compare(cached, columns, status) == expected
