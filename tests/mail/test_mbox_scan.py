"""The fast mbox scan finds what Python's ``mailbox.mbox`` finds, and its legacy keys and flags
are the ones the sync gave before (``core.mail.mbox_scan``), on any file."""

from __future__ import annotations

import hashlib
import mailbox
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.mail import mbox_scan

_STATUS_LINE = re.compile(rb"^(?:X-)?Status:[^\n]*\n", re.IGNORECASE | re.MULTILINE)
_STATUS_VALUE = re.compile(rb"^(?:X-)?Status:([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_FLAGS = {"R": "\\Seen", "A": "\\Answered", "F": "\\Flagged", "D": "\\Deleted"}
PIECES = st.sampled_from(
    [b"From ", b"From x\n", b"\n", b"Status: RO\n", b"X-Status: F\n", b"x-status: a\n",
     b"STATUS:D", b"a: b\n", b"\r\n", b"text", b"\n\n", b"From \n", b"status: A\n",
     b">From y\n", b"X-x-status: R\n", b"Xstatus: R\n", b" Status: R\n", b"Status: R\r\n",
     b"x-", b"\xff"]
)  # fmt: skip


def _before(path: Path) -> list[tuple[str, tuple[str, ...], bytes]]:
    """(key, flags, bytes) of each message as the sync computed them with ``mailbox.mbox``."""
    box = mailbox.mbox(str(path), create=False)
    seen: dict[str, int] = {}
    found = []
    try:
        for key in box.iterkeys():
            data = box.get_bytes(key)
            ends = [i + len(s) for s in (b"\r\n\r\n", b"\n\n") if (i := data.find(s)) >= 0]
            header = data[: min(ends)] if ends else data
            stable = _STATUS_LINE.sub(b"", header) + data[len(header) :]
            digest = hashlib.blake2b(stable, digest_size=12).hexdigest()
            seen[digest] = seen.get(digest, 0) + 1
            letters = b"".join(m.group(1) for m in _STATUS_VALUE.finditer(header))
            text = letters.decode("ascii", "replace")
            flags = tuple(sorted({_FLAGS[c] for c in text if c in _FLAGS}))
            found.append((f"{digest}.{seen[digest]}", flags, data))
    finally:
        box.close()
    return found


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(PIECES, max_size=16).map(b"".join))
def test_the_scan_equals_the_mailbox_module(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "box"
    path.write_bytes(data)
    messages, stamp = mbox_scan.scan(path, legacy=True)
    assert stamp[0] == len(data)
    assert [(m.legacy, m.flags, data[m.start : m.stop]) for m in messages] == _before(path)
    for m in messages:  # a message is found again by its key, new or legacy
        assert mbox_scan.message(path, m.key) == data[m.start : m.stop]
        assert m.legacy is not None and mbox_scan.message(path, m.legacy) == data[m.start : m.stop]


def test_a_status_change_keeps_the_key(tmp_path: Path) -> None:
    path = tmp_path / "box"
    path.write_bytes(b"From a\nSubject: x\nStatus: O\n\nbody\n\nFrom b\nSubject: y\n\nhi\n")
    before, _ = mbox_scan.scan(path)
    path.write_bytes(b"From a\nSubject: x\nStatus: RO\n\nbody\n\nFrom b\nSubject: y\n\nhi\n")
    after, _ = mbox_scan.scan(path)
    assert [m.key for m in after] == [m.key for m in before]
    assert [m.flags for m in after] == [("\\Seen",), ()]
