"""`mailscope native-host` answers every message of a synced account as `mailscope explain`
answers the scenario it came from: same logged, reason, contacts and attribution.

Each scenario of tests/data/scenarios (the shared examples and the hold-out-style mixed ones) is
written as a Maildir, synced into a cache with its directory, and every message is then asked
about over the real protocol, as Thunderbird shows it: a MessageHeader with the Message-ID
without brackets (made up by the client when the message has none), the From as written.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from core import cli
from core.mail.accounts import add_local
from core.store import db
from core.store.accounts import AccountKind
from core.store.directory import import_directory, parse_directory
from core.store.verdicts import settle
from tests.preview.conftest import sync
from tests.store.builders import scenario_header
from tests.thunderbird.frames import frame, run_host

SCENARIOS = Path(__file__).parents[1] / "data" / "scenarios"
NAMES = sorted(p.stem for p in SCENARIOS.glob("*.json") if not p.stem.endswith(".expected"))
_BOXES = {"inbox": "", "sent": ".Sent", "drafts": ".Drafts", "archive": ".Archive"}


def write_maildir(root: Path, messages: list[dict[str, Any]]) -> None:
    """The scenario's messages as a Maildir++ tree, in input order (drafts flagged D)."""
    for n, m in enumerate(messages):
        box = root / _BOXES.get(m.get("folder", "inbox"), ".Other")
        for sub in ("cur", "new", "tmp"):
            (box / sub).mkdir(parents=True, exist_ok=True)
        flags = "DS" if m.get("folder") == "drafts" else "S"
        (box / "cur" / f"{1_700_000_000 + n}.M{n}P1.scenario:2,{flags}").write_bytes(
            scenario_header(m) + b"Hello.\r\n"
        )


def as_displayed(m: dict[str, Any], mailbox: str, n: int) -> dict[str, Any]:
    """The MessageHeader Thunderbird gives for a scenario message."""

    def listed(key: str) -> list[str]:
        value = m.get(key) or []
        return [value] if isinstance(value, str) else list(value)

    mid = m.get("message_id") or f"{n}.made-up@thunderbird.invalid"
    return {
        "headerMessageId": mid.strip().strip("<>"),
        "author": m.get("from") or "",
        "recipients": listed("to") or [mailbox],
        "ccList": listed("cc"),
        "bccList": listed("bcc"),
        "subject": m.get("subject") or "",
        "date": m.get("date") if m.get("date") and "T" in str(m.get("date")) else None,
        "folder": {"specialUse": [{"archive": "archives"}.get(m["folder"], m["folder"])]},
    }


def explained(path: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    assert cli.main(["explain", str(path)], out=out) == 0
    verdicts: list[dict[str, Any]] = json.loads(out.getvalue())
    return verdicts


@pytest.mark.parametrize("name", NAMES)
def test_the_host_answers_every_message_as_explain_does(name: str, tmp_path: Path) -> None:
    doc = json.loads((SCENARIOS / f"{name}.json").read_text())
    write_maildir(tmp_path / "Maildir", doc["messages"])
    conn = db.connect(tmp_path / "mailscope.sqlite")
    account = add_local(conn, name, AccountKind.MAILDIR, str(tmp_path / "Maildir"))
    import_directory(conn, account.id, parse_directory({**doc, "messages": []}))
    sync(conn, account)
    settle(conn, account)
    conn.close()
    owner = next(u for u in doc["users"] if u["id"] == doc["mailbox_owner"])
    tb_account = {"name": name, "identities": [owner["email"]]}
    requests = b"".join(
        frame({"op": "explain", "id": m["id"], "account": tb_account,
               "message": as_displayed(m, owner["email"], n)})
        for n, m in enumerate(doc["messages"])
    )  # fmt: skip
    code, answers, err = run_host(requests, tmp_path)
    assert code == 0, err
    keys = ("logged", "reason", "contacts", "attributed_to", "attribution")
    got = [{"id": a["id"], **{k: a.get(k) for k in keys}} for a in answers]
    assert got == explained(SCENARIOS / f"{name}.json")
    assert {a["source"] for a in answers} == {"cache"}
