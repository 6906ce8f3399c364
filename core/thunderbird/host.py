"""``mailscope native-host``: the program Thunderbird starts for the add-in.

It reads requests from stdin and writes one answer per request to stdout (``protocol``), until
stdin closes. Nothing else ever reaches stdout: the real stdout is kept for the frames and file
descriptor 1 is pointed at stderr, so a stray print cannot corrupt the stream. A bad request
gets an error answer; an unexpected failure too (its traceback on stderr, which Thunderbird
shows in its error console). Only the framing is imported at start: the rules and the cache
load with the first request that needs them.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from core import i18n
from core.i18n import _
from core.thunderbird import HOST_NAME, PROTOCOL_VERSION, protocol
from core.thunderbird.protocol import ProtocolError, StreamEnded

if TYPE_CHECKING:
    from core.thunderbird.requests import AccountRef
    from core.thunderbird.session import Session

Handler = Callable[[dict[str, Any]], dict[str, Any]]
OPS: Final = ("hello", "explain", "check_compose", "act")
DELIVERY_GRACE: Final = 10.0  # seconds a delivery may finish after Thunderbird closes the pipe


def log(text: str) -> None:
    """One line on stderr (Thunderbird's error console): never a secret, never a body."""
    print(f"mailscope native-host: {text}", file=sys.stderr, flush=True)


def answer_frame(handler: Handler, frame: bytes) -> dict[str, Any]:
    """The answer to one frame's bytes: the handler's, or an error; never raises."""
    rid: str | int | None = None
    try:
        request = protocol.decode(frame)
        rid = protocol.request_id(request)
        return {**handler(request), "version": PROTOCOL_VERSION, "id": rid}
    except ProtocolError as error:
        return protocol.error(rid, error.code, error.message)
    except Exception as error:  # a bug, or the environment's (disk, database): say so
        traceback.print_exc(file=sys.stderr)
        text = _("Mailscope failed: %(error)s") % {"error": type(error).__name__}
        return protocol.error(rid, "internal", text)


def serve(stdin: BinaryIO, stdout: BinaryIO, handler: Handler) -> int:
    """Answer frames until stdin ends; 0 at a clean end, 1 when it ended inside a frame."""
    while True:
        try:
            frame = protocol.read_frame(stdin)
        except protocol.FrameTooLarge as error:
            protocol.write_frame(stdout, protocol.error(None, error.code, error.message))
            continue
        except StreamEnded as error:
            log(str(error))
            return 1
        if frame is None:
            return 0
        protocol.write_frame(stdout, answer_frame(handler, frame))


class Host:
    """Answers the add-in's requests from Mailscope's cache (``handle`` is the handler)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._session: Session | None = None
        self._delivery: threading.Thread | None = None
        self._again = threading.Event()

    @property
    def session(self) -> Session:
        """The cache, opened on first use (``hello`` needs none of it)."""
        if self._session is None:
            from core.thunderbird.session import Session

            self._session = Session(self._path)
        return self._session

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = _known_op(request.get("op"))
        _check_version(request.get("version", PROTOCOL_VERSION))
        if op == "hello":
            return protocol.ok(None, host=HOST_NAME, protocol=PROTOCOL_VERSION, app=_version())
        return protocol.ok(None, **self._answer(op, request))

    def _answer(self, op: str, request: dict[str, Any]) -> dict[str, Any]:
        from core.thunderbird import requests

        # Each op imports what it needs: acting brings the CRM clients (httpx), ~0.3 s.
        ref = requests.account_ref(request)
        if op == "explain":
            return self._explain(ref, request)
        if op == "check_compose":
            return self._check_compose(ref, request)
        return self._act(ref, request)

    def _explain(self, ref: AccountRef, request: dict[str, Any]) -> dict[str, Any]:
        from core.thunderbird import reading, requests

        header = requests.header(request)  # the request is checked before the cache opens
        conn, account = self.session.resolve(ref)
        return reading.explain(conn, account, header)[0]

    def _check_compose(self, ref: AccountRef, request: dict[str, Any]) -> dict[str, Any]:
        from core.thunderbird import requests, writing

        draft = requests.draft(request)
        conn, account = self.session.resolve(ref)
        return writing.check_draft(conn, account, draft)

    def _act(self, ref: AccountRef, request: dict[str, Any]) -> dict[str, Any]:
        from core.thunderbird import acting

        conn, account = self.session.resolve(ref)
        return acting.act(conn, account, request, self.deliver)

    # -- delivering the outbox ------------------------------------------------------------
    def deliver(self) -> None:
        """Deliver the outbox in the background (once more if a delivery is running)."""
        self._again.set()
        if self._delivery is None or not self._delivery.is_alive():
            self._delivery = threading.Thread(target=self._drain, name="outbox", daemon=True)
            self._delivery.start()

    def _drain(self) -> None:
        from core.crm.outbox_worker import drain
        from core.store import db

        conn = db.connect(self.session.path)
        try:
            while self._again.is_set():
                self._again.clear()
                drain(conn)
        except Exception:
            traceback.print_exc(file=sys.stderr)
        finally:
            conn.close()

    def finish(self, grace: float = DELIVERY_GRACE) -> None:
        """Let a running delivery end (a queued row is safe in the outbox either way)."""
        if self._delivery is not None:
            self._delivery.join(grace)
        if self._session is not None:
            self._session.close()


def _known_op(op: object) -> str:
    """``op`` if it is one of OPS; else a ProtocolError naming them."""
    if not isinstance(op, str) or op not in OPS:
        shown = op if isinstance(op, str) and len(op) < 40 else type(op).__name__
        raise ProtocolError(
            "unknown_op",
            _("unknown op %(shown)r: one of %(join)s") % {"shown": shown, "join": ", ".join(OPS)},
        )
    return op


def _check_version(wanted: object) -> None:
    """A protocol version this host speaks (this one or an older one)."""
    if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted > PROTOCOL_VERSION:
        raise ProtocolError(
            "unsupported_version",
            _("this Mailscope speaks protocol %(protocol_version)s")
            % {"protocol_version": PROTOCOL_VERSION},
        )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mailscope")
    except PackageNotFoundError:
        return "unknown"


def main() -> int:
    """Run the host on the process's stdin and stdout."""
    frames_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray output goes to stderr
    sys.stdout = sys.stderr
    i18n.setup()  # the rep's language, from the environment Thunderbird passes on
    host = Host()
    try:
        return serve(sys.stdin.buffer, frames_out, host.handle)
    except BrokenPipeError:  # Thunderbird went away mid-answer
        return 0
    finally:
        host.finish()


if __name__ == "__main__":
    sys.exit(main())
