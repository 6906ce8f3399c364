"""Walk "Log now" from the desktop's click to HubSpot and print the modules it goes through.

Run by hand: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/log_now_walk.py [--depth 2]``.
It builds the demo cache under "log replies only", connects it to a HubSpot played by a real
HTTP server on loopback (``tests.helpers.hubspot_server``), clicks "Log now" on an email the way
the detail pane's handler does, then delivers the outbox as the worker does, with a profiler
watching every call of a first-party function (``core.*``, ``desktop.*``).

The walk is what a newcomer reads: from the click, each call into another module, down to
``--depth`` module crossings below the click (2: the modules the click's code calls, and the
modules those call), and the same from the worker's ``drain``. Printed: each call that crosses
into another module (caller -> callee), then

- modules crossed: the distinct modules the walk enters (the click's own included);
- climbs back up: calls into a module of a higher layer than the caller's (rules < store <
  mail < crm/preview < cli < desktop): a callback, control going back up;
- returns: calls into a module the walk had already entered by an earlier call (going back
  to a module it had left).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RANK = {"core.rules": 0, "core.store": 1, "core.mail": 2, "core.crm": 3, "core.preview": 3,
        "core.cli": 4, "desktop": 5}  # fmt: skip
PORTAL = "4455667"
SUBJECT = "Data export for our board meeting"


def rank(module: str) -> int:
    return max((r for p, r in RANK.items() if module == p or module.startswith(p + ".")),
               default=1)  # fmt: skip


class Walk:
    """The modules a call tree goes through, down to ``depth`` module crossings."""

    def __init__(self, depth: int) -> None:
        self.depth = depth
        # (module, crossings) of first-party frames, per thread: the click's work runs on the
        # desktop's database thread (desktop.ops), and the walk follows it there.
        self.stacks: dict[int, list[tuple[str, int]]] = {}
        self.calls: list[tuple[str, str]] = []  # (caller, callee) of each crossing call
        self.start: str | None = None

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event not in ("call", "return"):
            return
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(("core.", "desktop.")) or module.startswith("core.version"):
            return
        stack = self.stacks.setdefault(threading.get_ident(), [])
        if event == "call":
            below = stack[-1] if stack else (module, 0)
            crossings = below[1] + (module != below[0])
            stack.append((module, crossings))
            self.start = self.start or module
            if module != below[0] and crossings <= self.depth:
                self.calls.append((below[0], module))
        elif stack:
            stack.pop()

    def run(self, action: Callable[[], object]) -> None:
        threading.setprofile(self)  # threads started by the action (the database thread)
        sys.setprofile(self)
        try:
            action()
        finally:
            sys.setprofile(None)
            threading.setprofile(None)  # type: ignore[arg-type]


def report(title: str, walk: Walk) -> None:
    print(f"\n{title}:")
    entered: set[str] = {walk.start} if walk.start else set()
    climbs = returns = 0
    for caller, callee in walk.calls:
        up = rank(callee) > rank(caller)
        again = callee in entered
        climbs, returns = climbs + up, returns + again
        marks = ("  (up)" if up else "") + ("  (again)" if again else "")
        print(f"  {caller} -> {callee}{marks}")
        entered.add(callee)
    print(f"  -> modules crossed {len(entered)}, climbs back up {climbs}, returns {returns}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=2)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the server's request lines
    home = Path(tempfile.mkdtemp(prefix="mailscope-walk-"))
    os.environ["MAILSCOPE_HOME"] = str(home)
    from pytest_httpserver import HTTPServer

    from tests.helpers.hubspot_server import TOKEN, FakeHubSpot

    server = HTTPServer()
    server.start()
    try:
        hubspot = FakeHubSpot(server, TOKEN)
        click, deliver = setup(home, hubspot.url, TOKEN)
        for title, action in (("the click", click), ("the delivery", deliver)):
            walk = Walk(args.depth)
            walk.run(action)
            report(title, walk)
        print(f"\nHubSpot emails created: {len(hubspot.emails)}")
    finally:
        server.clear()
        server.stop()


def setup(home: Path, url: str, token: str) -> tuple[Callable[[], object], Callable[[], object]]:
    """The click and the delivery of this checkout (its own API)."""
    from PySide6.QtCore import QCoreApplication

    from core.crm.outbox_worker import drain
    from core.crm.service import CrmConfig, CrmService
    from core.rules.model import Reason
    from desktop.outbox_view import CrmActions
    from tests.crm.workspace import demo_cache, reason_of, replies_only, row_by_subject

    app = QCoreApplication.instance() or QCoreApplication([])
    conn, account = demo_cache(home / "mailscope.sqlite", account=replies_only())
    CrmService(conn, account).set_config(
        CrmConfig(crm="hubspot", hubspot_portal=PORTAL, hubspot_url=url)
    )
    row = row_by_subject(conn, SUBJECT, "inbox")
    assert reason_of(conn, row) is Reason.REPLIES_ONLY
    channels = _channels(token)
    try:
        from desktop.ops import Tasks  # one background pattern (issue 12)

        tasks: Any = Tasks(home / "mailscope.sqlite")
        actions = CrmActions(tasks, channels=channels)
    except ImportError:
        tasks = None
        actions = CrmActions(home / "mailscope.sqlite", channels=channels)  # type: ignore[arg-type]
    actions.failed.connect(lambda text: print("refused:", text))

    def click() -> None:
        actions.handle(row, _log_now())
        while tasks is not None and tasks.busy():  # the click's work, then its answer
            app.processEvents()
            time.sleep(0.005)

    def deliver() -> None:
        (outcome,) = drain(conn, channels)
        assert outcome.state.value == "done", outcome
        assert reason_of(conn, row) is Reason.ALREADY_LOGGED

    setup.keep = (app, actions, tasks)  # type: ignore[attr-defined]
    return click, deliver


def _log_now() -> Any:
    from core.rules.actions import Action

    return Action.LOG_NOW


def _channels(token: str) -> Any:
    """HubSpot's channels with the token in a keyring of their own (a file, under home)."""
    from keyrings.alt.file import PlaintextKeyring

    from core.crm.delivery import Channels

    ring = PlaintextKeyring()
    ring.file_path = os.path.join(os.environ["MAILSCOPE_HOME"], "keyring.cfg")  # type: ignore[misc]
    try:
        from core.crm.secrets import CrmSecrets  # type: ignore[import-not-found]  # before #12

        secrets: Any = CrmSecrets(ring)
        secrets.set_hubspot_token(PORTAL, token)
    except ImportError:  # one secrets module (issue 12)
        from core.mail.secrets import KeyringStore, hubspot_key

        secrets = KeyringStore(backend=ring)
        secrets.set(hubspot_key(PORTAL), token)
    return Channels(secrets)


if __name__ == "__main__":
    main()
