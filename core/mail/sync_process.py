"""An account's sync and watch in a process of its own, followed from the app's process.

The window's process keeps its interpreter lock for the window: a sync parsing 100,000
messages in a thread beside it held that lock so often that a repaint, which enters Python
for each cell, waited for it again and again (issue 15: stalls of the event loop past 50 ms).
In its own process the sync runs on its own core, and the window only reads what it wrote
(SQLite in WAL mode: readers never wait for the writer).

The child (``core.mail.sync_child``) speaks JSON lines. It writes on its standard output what
it reports (progress, each sync's summary, the error that ended it) and its questions for the
app's secret store (the password or sign-in it needs, a renewed token to keep: the store may
be one that lives only in the app, such as a password typed for the session). The app writes
on the child's standard input the first line (cache, account, language), the answers, and
"cancel". A child whose input closes (the app is gone) cancels itself. Every sync write is a
short transaction and idempotent (``core.mail.sync``): a child killed at any moment leaves a
consistent cache that the next sync completes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final

from core.i18n import _, current
from core.mail import workers
from core.mail.secrets import SecretError, SecretStore
from core.mail.source import MailError, SignInNeeded
from core.mail.sync import Phase, SyncProgress, SyncSummary

STOP_SECONDS: Final = 10.0  # after "cancel", before the child is killed
_FROZEN_COMMAND: Final = "sync-worker"  # the bundle's executable runs the child with this


class WorkerError(Exception):
    """An error the child did not expect (a bug), or a child that died: ``name`` says which."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name


def command() -> list[str]:
    """How to start the child: the bundle's own executable, or this Python on the module."""
    return workers.command("core.mail.sync_child", _FROZEN_COMMAND)


# -- the words both sides speak ------------------------------------------------------------


def error_payload(error: BaseException) -> dict[str, str]:
    """What the app needs of an error to show it: its kind, its class's name, its line."""
    if isinstance(error, SignInNeeded):
        kind = "sign_in"
    elif isinstance(error, MailError):
        kind = "mail"
    elif isinstance(error, SecretError):
        kind = "secret"
    elif isinstance(error, sqlite3.Error | OSError):
        kind = "cache"
    else:
        kind = "bug"
    return {"kind": kind, "name": type(error).__name__, "text": str(error)}


def error_from(payload: dict[str, str]) -> Exception:
    """The error the app shows for a payload of ``error_payload``."""
    kind, name, text = payload["kind"], payload["name"], payload["text"]
    if kind == "sign_in":
        return SignInNeeded(text)
    if kind == "mail":
        return MailError(text)
    if kind == "secret":
        return SecretError(text)
    if kind == "cache":
        return OSError(text)
    return WorkerError(name, text)


def summary_payload(summary: SyncSummary) -> dict[str, Any]:
    fields = {name: getattr(summary, name) for name in SyncSummary.__dataclass_fields__}
    fields["errors"] = list(summary.errors)
    return fields


def summary_from(payload: dict[str, Any]) -> SyncSummary:
    return SyncSummary(**{**payload, "errors": tuple(payload["errors"])})


def progress_payload(progress: SyncProgress) -> list[object]:
    p = progress
    return [p.account, p.folder, str(p.phase), p.done, p.total]


def progress_from(payload: list[Any]) -> SyncProgress:
    account, folder, phase, done, total = payload
    return SyncProgress(account, folder, Phase(phase), done, total)


class Lines:
    """One end's writing side of the pipe: whole JSON lines, one writer at a time, quiet once
    the other end is gone."""

    def __init__(self, pipe: IO[str]) -> None:
        self._pipe = pipe
        self._lock = threading.Lock()

    def send(self, message: dict[str, object]) -> bool:
        """Write one line; False when the other end is gone."""
        with self._lock:
            try:
                self._pipe.write(json.dumps(message) + "\n")
                self._pipe.flush()
            except (OSError, ValueError):
                return False
            return True

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError, ValueError):
            self._pipe.close()


def messages(lines: IO[str]) -> Iterator[dict[str, Any]]:
    """The other end's lines, each a JSON object; a stray line (a library printing) is skipped."""
    for line in lines:
        with contextlib.suppress(ValueError):
            said = json.loads(line)
            if isinstance(said, dict):
                yield said


# -- the app's side ---------------------------------------------------------------------------


Report = Callable[[object], None]


def watch_in_process(
    cache: Path,
    account_id: int,
    secrets: SecretStore,
    *,
    report: Report,
    cancel: threading.Event,
    poll_seconds: float,
    argv: list[str] | None = None,
) -> None:
    """Sync the account, then watch it, in a child process, until ``cancel`` is set.

    ``report`` receives each ``SyncProgress`` and ``SyncSummary`` as the child sends it.
    Returns when the child ends after a cancel; raises the error that ended it otherwise
    (rebuilt by ``error_from``), or ``WorkerError`` when it died without a word. ``argv``
    replaces ``command()``.
    """
    try:
        child = subprocess.Popen(
            argv or command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=workers.environment(),
        )
    except OSError as error:  # not the cache's fault: say what could not start
        text = _("the sync process cannot start: %(error)s") % {"error": error.strerror or error}
        raise WorkerError("SyncProcess", text) from None
    assert child.stdin is not None and child.stdout is not None
    talk = Lines(child.stdin)
    ended = threading.Event()
    stopper = threading.Thread(
        target=_stop_on_cancel, args=(child, talk, cancel, ended), name="sync-stop", daemon=True
    )
    try:
        language = current()
        talk.send(
            {
                "cache": str(cache),
                "account": account_id,
                "poll": poll_seconds,
                "language": [language.language, language.locale],
            }
        )
        stopper.start()
        failure = _follow(child.stdout, talk, secrets, report)
    finally:
        ended.set()
        talk.close()
        code = _reap(child)
    if failure is not None:
        raise error_from(failure)
    if code != 0 and not cancel.is_set():
        raise WorkerError("SyncProcess", _("the sync process ended unexpectedly (code %d)") % code)


def _follow(
    lines: IO[str], talk: Lines, secrets: SecretStore, report: Report
) -> dict[str, str] | None:
    """Read the child's lines until it ends: its reports, its questions; its failure, if any."""
    failure = None
    for said in messages(lines):
        if "progress" in said:
            report(progress_from(said["progress"]))
        elif "synced" in said:
            report(summary_from(said["synced"]))
        elif "secret" in said:
            talk.send(_answer(secrets, said["secret"]))
        elif "failed" in said:
            failure = said["failed"]
    return failure


def _answer(secrets: SecretStore, asked: list[Any]) -> dict[str, object]:
    """Carry out one of the child's ``get``, ``set`` or ``delete`` on the app's store."""
    action, key, *value = asked
    try:
        if action == "get":
            return {"value": secrets.get(key)}
        if action == "set":
            secrets.set(key, value[0])
        elif action == "delete":
            secrets.delete(key)
        return {"value": None}
    except SecretError as error:
        return {"error": str(error)}


def _stop_on_cancel(
    child: subprocess.Popen[str], talk: Lines, cancel: threading.Event, ended: threading.Event
) -> None:
    """Tell the child to stop when ``cancel`` is set; kill it if it has not within
    ``STOP_SECONDS`` (safe: see the module's docstring)."""
    while not ended.is_set():
        if cancel.wait(0.1):
            talk.send({"cancel": True})
            _reap(child)
            return


def _reap(child: subprocess.Popen[str]) -> int:
    """The child's exit code once it has exited (it was told to stop: "cancel", or its input
    closed), killed if it has not within ``STOP_SECONDS``."""
    try:
        return child.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()
