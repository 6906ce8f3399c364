"""Screenshots of the add-in on the demo, in a real Thunderbird under Xvfb:
``python -m tests.thunderbird.screenshots DIR`` (``make thunderbird-screenshots``) writes
thunderbird-message-popup.png, thunderbird-compose.png and thunderbird-warning.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import ImageGrab

from tests.helpers.dovecot import Dovecot
from tests.helpers.thunderbird import wait_for
from tests.thunderbird import chrome
from tests.thunderbird.world import World, world

SIZE = "1366x768x24"
NOT_A_CONTACT = "Request for a demo – Atlas Cargo"


@contextmanager
def xvfb(size: str = SIZE) -> Iterator[str]:
    """A private X display (its number chosen by Xvfb itself)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=[write], stderr=subprocess.DEVNULL,
    )  # fmt: skip
    number = b""
    while not number.endswith(b"\n"):
        number += os.read(read, 16)
    try:
        yield f":{number.decode().strip()}"
    finally:
        server.terminate()
        server.wait(10)


def shoot(display: str, path: Path) -> None:
    time.sleep(1.0)  # let the popup finish drawing
    ImageGrab.grab(xdisplay=display).save(path)
    print(path)


def message_popup(w: World, display: str, out: Path) -> None:
    import sqlite3

    with sqlite3.connect(w.cache) as conn:
        (message_id,) = conn.execute(
            "SELECT message_id FROM messages WHERE subject = ?", (NOT_A_CONTACT,)
        ).fetchone()
    w.js(chrome.SHOW, message_id.strip("<>"))
    wait_for(
        "the verdict",
        lambda: "Not a contact" in (w.js(chrome.MESSAGE_BUTTON) or {}).get("label", ""),
    )
    w.js(chrome.CLICK_MESSAGE_BUTTON)
    shoot(display, out / "thunderbird-message-popup.png")
    w.client.execute_script("Services.wm.getMostRecentWindow('mail:3pane').focus(); return 1;")


def compose_popup(w: World, display: str, out: Path) -> None:
    subject = "Intro from Globex"
    w.js(
        chrome.COMPOSE,
        "Sam Stone <sam@stranger.example>, Karen Liu <karen.liu@umbrella-health.example>",
        subject,
    )
    wait_for(
        "the compose verdict",
        lambda: "log" in (w.js(chrome.COMPOSE_BUTTON, subject) or {}).get("label", ""),
    )
    w.js(chrome.COMPOSE, "Sam Stone <sam@stranger.example>", "Pilot for Atlas Cargo")
    wait_for(
        "the verdict",
        lambda: (
            "Not a contact"
            in (w.js(chrome.COMPOSE_BUTTON, "Pilot for Atlas Cargo") or {}).get("label", "")
        ),
    )
    w.js(chrome.CLICK_COMPOSE_BUTTON, "Pilot for Atlas Cargo")
    time.sleep(1.5)
    shoot(display, out / "thunderbird-compose.png")
    w.js(chrome.CLOSE_COMPOSE, subject)
    w.js(chrome.SEND, "Pilot for Atlas Cargo")
    wait_for("the warning", lambda: w.js(chrome.WARNING_TITLE))
    shoot(display, out / "thunderbird-warning.png")
    w.js(chrome.CLOSE_WARNING)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="ms-tb-shots-") as root,
        xvfb() as display,
        Dovecot() as server,
        world(Path(root), server, display) as w,
    ):
        wait_for("the inbox", lambda: w.js(chrome.INBOX) >= 174, 60)
        message_popup(w, display, out)
        compose_popup(w, display, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
