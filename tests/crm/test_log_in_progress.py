"""``mailscope log`` while another process drains the outbox: in progress, never "not logged".

The other process is real: a Python process that takes the row first (as the app's worker or
``mailscope outbox run`` would), holds it while it "sends", then delivers it to the local CRM.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from core.cli.crm import report_log
from core.crm import actions
from core.crm.outbox_worker import drain
from core.store import outbox
from tests.crm.workspace import demo_cache, replies_only, row_by_subject

ROOT = Path(__file__).parents[2]
OTHER = """
import sys, time
from core.store import outbox
from core.crm.delivery import Channels
from core.crm.outbox_worker import Backoff, deliver_one
from core.store import db
conn = db.connect(sys.argv[1])
item = outbox.claim(conn, outbox.owner_token())
assert item is not None and item.id == int(sys.argv[2])
print("claimed", flush=True)
time.sleep(float(sys.argv[3]))
print(deliver_one(conn, item, Channels(), Backoff()).state.value, flush=True)
"""


def _race(tmp_path: Path, hold: float, wait: float) -> tuple[int, str, str, subprocess.Popen[str]]:
    path = tmp_path / "cache.sqlite"
    conn, account = demo_cache(path, account=replies_only())  # the email is not logged yet
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    queued = actions.log_now(conn, account, row)
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER, str(path), str(queued.item.id), str(hold)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip

    def deliver() -> None:
        assert other.stdout is not None and other.stdout.readline().strip() == "claimed"
        assert drain(conn) == []  # ours finds nothing to take: the other process holds it

    out, err = io.StringIO(), io.StringIO()
    code = report_log(conn, queued.item.id, out, err, deliver, wait=wait)
    return code, out.getvalue(), err.getvalue(), other


def test_a_row_another_process_sends_is_waited_for(tmp_path: Path) -> None:
    code, out, err, other = _race(tmp_path, hold=0.8, wait=30)
    assert (code, err) == (0, "")
    assert out.startswith("logged: Log Data export for our board meeting")
    assert other.wait(30) == 0


def test_a_row_still_sending_is_reported_in_progress(tmp_path: Path) -> None:
    code, out, err, other = _race(tmp_path, hold=3.0, wait=0.5)
    assert (code, err) == (0, "")
    assert out.startswith("in progress: another Mailscope process is sending it")
    assert "not logged" not in out + err
    assert other.wait(30) == 0
    assert other.stdout is not None and other.stdout.read().strip() == outbox.State.DONE.value
