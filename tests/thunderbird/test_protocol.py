"""The native host's framing against hostile input: every bad frame gets an error answer, and
the host never crashes, never writes anything but whole frames, never reads without bound."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path
from typing import Any

import pytest

from core.thunderbird import PROTOCOL_VERSION, protocol
from core.thunderbird.host import Host, serve
from tests.thunderbird.frames import MIA, answers, frame, header, raw_frame, run_host


def served(data: bytes, home: Path) -> tuple[int, list[dict[str, Any]]]:
    out = io.BytesIO()
    host = Host(home / "mailscope.sqlite")
    code = serve(io.BytesIO(data), out, host.handle)
    host.finish()
    return code, answers(out.getvalue())


def test_hello_says_the_protocol_version_and_echoes_the_id(tmp_path: Path) -> None:
    code, found = served(frame({"op": "hello", "id": "a1"}), tmp_path)
    assert code == 0
    assert found == [
        {
            "version": PROTOCOL_VERSION,
            "id": "a1",
            "ok": True,
            "host": "mailscope",
            "protocol": PROTOCOL_VERSION,
            "app": found[0]["app"],
        }
    ]


HOSTILE: list[tuple[str, bytes, str]] = [
    ("not UTF-8", raw_frame(b"\xff\xfe{}"), "not_json"),
    ("not JSON", raw_frame(b"{op: hello}"), "not_json"),
    ("empty frame", raw_frame(b""), "not_json"),
    ("an array", frame([{"op": "hello"}]), "bad_request"),
    ("a string", frame("hello"), "bad_request"),
    ("a number", raw_frame(b"1e999"), "bad_request"),
    ("deep nesting", raw_frame(b"[" * 100_000 + b"]" * 100_000), "not_json"),
    ("deep object", frame({"op": "hello", "x": json.loads("[" * 80 + "]" * 80)}), "bad_request"),
    ("no op", frame({"id": 1}), "unknown_op"),
    ("unknown op", frame({"op": "format_disk", "id": 1}), "unknown_op"),
    ("op of a wrong type", frame({"op": ["explain"]}), "unknown_op"),
    ("a future version", frame({"op": "hello", "version": 99}), "unsupported_version"),
    ("a version of a wrong type", frame({"op": "hello", "version": "1"}), "unsupported_version"),
    ("no account", frame({"op": "explain", "message": header("<a@b>")}), "bad_request"),
    (
        "identities not a list",
        frame({"op": "explain", "account": {"identities": "mia@x"}, "message": {}}),
        "bad_request",
    ),
    ("no message", frame({"op": "explain", "account": MIA}), "bad_request"),
    (
        "recipients with a number",
        frame({"op": "explain", "account": MIA, "message": {"recipients": ["a@b", 7]}}),
        "bad_request",
    ),
    (
        "a subject of 100,000 characters",
        frame({"op": "explain", "account": MIA, "message": {"subject": "x" * 100_000}}),
        "bad_request",
    ),
    (
        "a date that is a boolean",
        frame({"op": "explain", "account": MIA, "message": {"date": True}}),
        "bad_request",
    ),
    (
        "100,000 recipients",
        frame({"op": "explain", "account": MIA, "message": {"recipients": ["a@b"] * 100_000}}),
        "bad_request",
    ),
    (
        "details not an object",
        frame({"op": "check_compose", "account": MIA, "details": []}),
        "bad_request",
    ),
    (
        "an unknown action",
        frame({"op": "act", "account": MIA, "action": "rm -rf"}),
        "not_connected",
    ),
]


@pytest.mark.parametrize(
    ("data", "code"), [(d, c) for _, d, c in HOSTILE], ids=[n for n, _, _ in HOSTILE]
)
def test_a_hostile_frame_gets_an_error_answer_and_the_next_frame_is_answered(
    tmp_path: Path, data: bytes, code: str
) -> None:
    exit_code, found = served(data + frame({"op": "hello", "id": "after"}), tmp_path)
    assert exit_code == 0
    assert [a["ok"] for a in found] == [False, True]
    assert found[0]["error"]["code"] == code, found[0]
    assert found[0]["version"] == PROTOCOL_VERSION
    assert found[1]["id"] == "after"


def test_an_id_that_is_not_a_scalar_is_not_echoed(tmp_path: Path) -> None:
    _, found = served(
        frame({"op": "hello", "id": {"x": [1]}}) + frame({"op": "hello", "id": True}), tmp_path
    )
    assert [a["id"] for a in found] == [None, None]


def test_an_oversized_frame_is_skipped_in_step_and_refused(tmp_path: Path) -> None:
    big = raw_frame(b" " * (protocol.MAX_REQUEST + 1))
    code, found = served(big + frame({"op": "hello", "id": 2}), tmp_path)
    assert code == 0
    assert found[0]["error"]["code"] == "too_large"
    assert found[1]["ok"] and found[1]["id"] == 2


def test_a_huge_length_with_little_behind_it_ends_the_host_without_reading_it_all(
    tmp_path: Path,
) -> None:
    code, found = served(struct.pack("=I", 0xFFFFFFFF) + b"{}", tmp_path)
    assert code == 1  # skipped in 64 KB reads until the stream ended: nothing to answer
    assert found == []


@pytest.mark.parametrize("cut", [b"\x05", b"\x05\x00\x00", struct.pack("=I", 50) + b'{"op":'])
def test_a_stream_cut_inside_a_frame_ends_the_host_quietly(tmp_path: Path, cut: bytes) -> None:
    code, found = served(frame({"op": "hello"}) + cut, tmp_path)
    assert code == 1
    assert len(found) == 1 and found[0]["ok"]


def test_an_answer_over_thunderbirds_limit_becomes_an_error() -> None:
    data = protocol.encode({"id": 3, "ok": True, "blob": "x" * protocol.MAX_ANSWER})
    (size,) = struct.unpack("=I", data[:4])
    assert size < 200
    assert json.loads(data[4:])["error"]["code"] == "too_large"


def test_an_unknown_account_is_told_to_connect_the_mailbox(tmp_path: Path) -> None:
    request = {"op": "explain", "id": 9, "account": MIA, "message": header("<x@y>")}
    _, found = served(frame(request), tmp_path)
    assert found[0]["error"] == {
        "code": "not_connected",
        "message": "Connect this mailbox in Mailscope: no Mailscope account receives mail at "
        "mia@globex.example.",
    }
    assert not (tmp_path / "mailscope.sqlite").exists()  # asking creates no cache


def test_the_real_process_writes_only_frames_and_exits_cleanly(tmp_path: Path) -> None:
    data = b"".join(d for _, d, _ in HOSTILE) + frame({"op": "hello", "id": "last"})
    code, found, err = run_host(data, tmp_path)
    assert code == 0, err
    assert len(found) == len(HOSTILE) + 1
    assert found[-1]["id"] == "last" and found[-1]["ok"]
    assert "Traceback" not in err


def test_the_real_process_survives_a_truncated_frame(tmp_path: Path) -> None:
    code, found, err = run_host(frame({"op": "hello"}) + b"\x09\x00", tmp_path)
    assert code == 1
    assert len(found) == 1
    assert "ended inside a frame length" in err
