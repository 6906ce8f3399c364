"""End to end, with a real headless Thunderbird: the add-in shows Mailscope's verdict on the
displayed messages and while composing, Add BCC turns "won't be logged" into "will be logged",
and a send the CRM won't log is held by a warning and cancelled.

The demo mailbox is on the test Dovecot and synced by Mailscope into its cache (the app itself
is closed: the host reads the cache); the add-in is installed with `mailscope thunderbird
install --profile`; an SMTP server on loopback records what Thunderbird sends.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.rules.model import Reason, Rule
from core.rules.trace import summary
from core.rules.verdict import Verdict
from tests.helpers import thunderbird as tb
from tests.helpers.dovecot import Dovecot
from tests.helpers.thunderbird import wait_for
from tests.thunderbird import chrome
from tests.thunderbird.world import World, world

BCC = "24681357@bcc.hubspot.example"
WONT = "Won't be logged: nobody on it is a contact."
WILL = "Will be logged: it is sent to the BCC address."


@pytest.fixture(scope="module")
def bird(dovecot: Dovecot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if not tb.BINARY.exists():
        pytest.fail(tb.MISSING, pytrace=False)  # a missing Thunderbird fails, never skips
    root = tmp_path_factory.mktemp("thunderbird")
    with world(root, dovecot) as found:
        wait_for("the inbox in Thunderbird", lambda: found.js(chrome.INBOX) >= 174, 60)
        yield found
    shutil.rmtree(root / "profile", ignore_errors=True)


def sentence(cache: Path, message_id: str) -> str:
    """The stored verdict's sentence (what the app's badge says), from Mailscope's cache."""
    with sqlite3.connect(cache) as conn:
        logged, reason = conn.execute(
            "SELECT m.logged, m.reason FROM messages m JOIN folders f ON f.id = m.folder_id"
            " WHERE m.message_id = ? AND f.role = 'inbox'",
            (message_id,),
        ).fetchone()
    return summary(Verdict("x", bool(logged), Reason(reason), Rule.R0, (), None, None))


def inbox_samples(cache: Path) -> list[str]:
    """Three inbox messages of three different verdicts."""
    with sqlite3.connect(cache) as conn:
        rows = conn.execute(
            "SELECT m.reason, min(m.message_id) FROM messages m"
            " JOIN folders f ON f.id = m.folder_id WHERE f.role = 'inbox'"
            " AND m.message_id IS NOT NULL AND m.message_id NOT IN (SELECT m2.message_id"
            " FROM messages m2 JOIN folders f2 ON f2.id = m2.folder_id WHERE f2.role != 'inbox'"
            " AND m2.message_id IS NOT NULL)"
            " AND m.reason IN ('not_a_contact', 'thread_reply', 'log_all_contact')"
            " GROUP BY m.reason ORDER BY m.reason"
        ).fetchall()
    return [str(mid) for _, mid in rows]


def test_the_displayed_messages_show_mailscopes_verdict(bird: World) -> None:
    samples = inbox_samples(bird.cache)
    assert len(samples) == 3
    for message_id in samples:
        assert bird.js(chrome.SHOW, message_id.strip("<>")) >= 0
        expected = sentence(bird.cache, message_id)
        button: dict[str, Any] = wait_for(
            f"the verdict of {message_id}",
            lambda e=expected: (b := bird.js(chrome.MESSAGE_BUTTON)) and b["title"] == e and b,
            timeout=15,
        )
        assert button["badge"] in ("✓", "!", "✕")
        assert button["label"].startswith(("Will log: ", "Won't log: "))


def test_composing_to_a_stranger_then_adding_the_bcc_address(bird: World) -> None:
    subject = "Intro from Globex"
    bird.js(chrome.COMPOSE, "Sam Stone <sam@stranger.example>", subject)
    before = wait_for(
        "the compose verdict",
        lambda: (b := bird.js(chrome.COMPOSE_BUTTON, subject)) and b["title"] == WONT and b,
    )
    assert before["label"] == "Won't log: Not a contact"
    assert before["badge"] == "!"
    assert bird.js(chrome.ADD_BCC_SHORTCUT, subject)
    after = wait_for(
        "the verdict with the BCC address",
        lambda: (b := bird.js(chrome.COMPOSE_BUTTON, subject)) and b["title"] == WILL and b,
    )
    assert after["label"] == "Will log: BCC address"
    assert BCC in " ".join(after["bcc"])
    bird.js(chrome.CLOSE_COMPOSE, subject)


def test_sending_what_the_crm_wont_log_is_held_by_a_warning_and_cancelled(bird: World) -> None:
    subject = "Quick question"
    bird.js(chrome.COMPOSE, "lee@nowhere.example", subject)
    wait_for(
        "the compose verdict",
        lambda: "Won't" in (bird.js(chrome.COMPOSE_BUTTON, subject) or {}).get("label", ""),
    )
    bird.js(chrome.SEND, subject)
    title = wait_for("the warning window", lambda: bird.js(chrome.WARNING_TITLE))
    assert title.startswith("Mailscope: this email won't be logged"), title
    assert bird.js(chrome.CLOSE_WARNING)  # closing the warning is its Cancel
    wait_for(
        "the cancel", lambda: "before send: not_a_contact -> cancel" in bird.thunderbird.output()
    )
    time.sleep(1.0)  # a send that was not cancelled would reach the SMTP server by now
    assert bird.js(chrome.COMPOSE_BUTTON, subject) is not None, "the compose window stays open"
    assert bird.smtp.inbox.messages == []
    bird.js(chrome.CLOSE_COMPOSE, subject)
