"""Talking to the native host as Thunderbird does: frames in, frames out."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MIA = {"name": "Mia at Globex", "identities": ["mia@globex.example"]}


def frame(value: object) -> bytes:
    data = json.dumps(value).encode("utf-8")
    return struct.pack("=I", len(data)) + data


def raw_frame(data: bytes) -> bytes:
    return struct.pack("=I", len(data)) + data


def answers(stream: bytes) -> list[dict[str, Any]]:
    """Every answer in a host's output; fails on any byte that is not a whole frame."""
    found = []
    while stream:
        assert len(stream) >= 4, f"a cut frame length: {stream!r}"
        (size,) = struct.unpack("=I", stream[:4])
        body = stream[4 : 4 + size]
        assert len(body) == size, "a cut frame body"
        found.append(json.loads(body.decode("utf-8")))
        stream = stream[4 + size :]
    return found


def run_host(data: bytes, home: Path, timeout: float = 60) -> tuple[int, list[dict[str, Any]], str]:
    """The host as Thunderbird starts it (the manifest path and add-in id as arguments)."""
    env = {**os.environ, "MAILSCOPE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "core.thunderbird.host", "/x/mailscope.json", "addin@id"],
        input=data, capture_output=True, env=env, timeout=timeout, check=False,
    )  # fmt: skip
    return done.returncode, answers(done.stdout), done.stderr.decode("utf-8", "replace")


def header(
    message_id: str | None,
    *,
    author: str = "",
    to: tuple[str, ...] = (),
    cc: tuple[str, ...] = (),
    subject: str = "",
    date: str | None = None,
    folder: str = "inbox",
) -> dict[str, Any]:
    """A MailExtension MessageHeader as the add-in sends it (JSON-serialised)."""
    return {
        "id": 17,
        "headerMessageId": message_id.strip("<>") if message_id else "",
        "author": author,
        "recipients": list(to),
        "ccList": list(cc),
        "bccList": [],
        "subject": subject,
        "date": date,
        "folder": {"accountId": "account1", "path": "/INBOX", "specialUse": [folder]},
    }
