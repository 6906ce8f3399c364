"""The IMAP transport: an ``ImapSource`` (a ``MailSource``) over imapclient, with a fast FETCH.

One ``ImapSource`` per thread: imapclient is not thread-safe. Bulk commands (UID SEARCH, the
header FETCH, CHANGEDSINCE) go over imapclient's socket through :class:`Wire` and the parsers
of ``core.mail.imap_parse``; everything else uses imapclient. A dropped connection raises
``ConnectionLost``: make a new source (or call ``reconnect()``) and retry.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from imapclient import exceptions as imap_errors  # type: ignore[import-untyped]

from core.mail import imap_parse as parse
from core.mail.folders import ListEntry, classify
from core.mail.imap_conn import ImapSettings, Wire, check_status, login, open_client
from core.mail.imap_flags import all_flags
from core.mail.imap_idle import IDLE_RENEW, idle_once, poll
from core.mail.sasl import BearerTokens
from core.mail.source import (
    ConnectionLost,
    FetchedMessage,
    FlagChange,
    FolderChanges,
    FolderError,
    FolderInfo,
    FolderStatus,
    MailError,
)

FETCH_BATCH: Final = 5000  # UIDs per UID FETCH: bounded command lines, steady streaming
PIPELINE: Final = 2  # UID FETCH commands in flight: the server works while we parse
SEARCH_WINDOW: Final = 25_000  # UIDs per UID SEARCH window
_APPENDUID: Final = re.compile(rb"APPENDUID (\d+) (\d+)")

FolderRef = FolderInfo | str


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The server features the sync cares about."""

    condstore: bool
    qresync: bool
    uidplus: bool
    idle: bool
    special_use: bool
    gmail: bool

    @classmethod
    def from_names(cls, names: set[str]) -> Capabilities:
        upper = {name.upper() for name in names}
        return cls(
            condstore="CONDSTORE" in upper or "QRESYNC" in upper,
            qresync="QRESYNC" in upper,
            uidplus="UIDPLUS" in upper,
            idle="IDLE" in upper,
            special_use="SPECIAL-USE" in upper,
            gmail="X-GM-EXT-1" in upper,
        )


def _name(folder: FolderRef) -> str:
    return folder.name if isinstance(folder, FolderInfo) else folder


class ImapSource:
    """A mailbox over IMAP: folders, state, UIDs, header batches, changes, IDLE, raw messages."""

    def __init__(self, settings: ImapSettings, password: str | BearerTokens) -> None:
        self.settings = settings
        self._password = password  # kept in memory only, for reconnect()
        self._selected: tuple[str, bool] | None = None
        self._client: Any = None
        self._connect()

    def __repr__(self) -> str:
        return f"ImapSource({self.settings.user}@{self.settings.host})"

    def _connect(self) -> None:
        client = open_client(self.settings)
        try:
            login(client, self.settings, self._password)
            self._client = client
            self.wire = Wire(client)
            names = {c.decode("ascii", "replace") for c in self._guard(client.capabilities)}
            self.capabilities = Capabilities.from_names(names)
            self.qresync_enabled = False
            if self.capabilities.qresync:
                self.wire.run(b"ENABLE QRESYNC", _ignore)
                self.qresync_enabled = True
        except BaseException:
            with contextlib.suppress(Exception):
                client.shutdown()
            raise

    def reconnect(self) -> None:
        """Drop the current connection (if any) and open a new one."""
        self._abandon()
        self._connect()

    def close(self) -> None:
        """Log out politely; never raises."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.logout()
        self._abandon()

    def __enter__(self) -> ImapSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _abandon(self) -> None:
        if self._client is not None:
            self.wire.broken = True  # every later command fails fast until reconnect()
            with contextlib.suppress(Exception):
                self._client.shutdown()
        self._client = None
        self._selected = None

    def _guard(self, action: Callable[[], Any]) -> Any:
        """Run an imapclient call; network failures become ConnectionLost, refusals MailError."""
        if self._client is None:
            raise ConnectionLost("not connected")
        try:
            return action()
        except (OSError, imap_errors.AbortError) as error:
            self._abandon()
            raise ConnectionLost(f"connection lost: {error}") from None
        except imap_errors.IMAPClientError as error:
            raise MailError(f"the server refused the command: {error}") from None

    # -- folders and state ---------------------------------------------------------------

    def folders(self) -> list[FolderInfo]:
        """Every selectable folder with its role (SPECIAL-USE, else well-known names)."""
        entries: list[ListEntry] = []

        def collect(parts: parse.Parts) -> None:
            entry = parse.parse_list(parts)
            if entry is not None:
                entries.append(entry)

        command = b'LIST "" "*"'
        if self.capabilities.special_use:
            command += b" RETURN (SPECIAL-USE)"
        self.wire.run(command, collect)
        return classify(entries)

    def status(self, folder: FolderRef) -> FolderStatus:
        """EXAMINE the folder (read-only): UIDVALIDITY, UIDNEXT, EXISTS, HIGHESTMODSEQ."""
        return self._select(_name(folder), readonly=True)

    def _select(self, name: str, readonly: bool) -> FolderStatus:
        found: dict[bytes, int] = {}

        def collect(parts: parse.Parts) -> None:
            line = parts[0]
            words = line.split(None, 3)
            if len(words) >= 3 and words[1].isdigit() and words[2].upper() == b"EXISTS":
                found[b"EXISTS"] = int(words[1])
            code = parse.response_code(line) if line.startswith(b"* OK") else None
            if code and code[0] in (b"UIDVALIDITY", b"UIDNEXT", b"HIGHESTMODSEQ"):
                found[code[0]] = int(code[1]) if code[1].isdigit() else 0

        verb = b"EXAMINE " if readonly else b"SELECT "
        self._selected = None
        try:
            self.wire.run(verb + parse.quote(name), collect)
        except ConnectionLost:
            raise
        except MailError as error:
            raise FolderError(f"cannot open folder {name}: {error}") from None
        self._selected = (name, readonly)
        if b"UIDVALIDITY" not in found:
            raise FolderError(f"the server gave no UIDVALIDITY for folder {name}")
        return FolderStatus(
            uidvalidity=found[b"UIDVALIDITY"],
            uidnext=found.get(b"UIDNEXT", 0),
            exists=found.get(b"EXISTS", 0),
            highestmodseq=found.get(b"HIGHESTMODSEQ") if self.capabilities.condstore else None,
        )

    def _ensure_selected(self, name: str, readonly: bool = True) -> None:
        if self._selected is None or self._selected[0] != name:
            self._select(name, readonly)
        elif not readonly and self._selected[1]:
            self._select(name, readonly=False)

    def uids(self, folder: FolderRef) -> list[int]:
        """All UIDs of the folder, asked for in UID windows (never one huge SEARCH answer)."""
        state = self.status(folder)
        found: list[int] = []

        def collect(parts: parse.Parts) -> None:
            if parts[0][:9].upper() == b"* SEARCH ":
                found.extend(parse.parse_search(parts[0]))

        for window in _windows(state.uidnext):
            self.wire.run(b"UID SEARCH UID " + window, collect)
        top = state.uidnext - 1 if state.uidnext else None
        return sorted({uid for uid in found if top is None or uid <= top})

    # -- headers ----------------------------------------------------------------------------

    def fetch_items(self) -> bytes:
        """The FETCH items for header sync (with Gmail's ids on Gmail)."""
        items = b"UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ("
        items += parse.HEADER_FIELDS + b")]"
        if self.capabilities.gmail:
            items += b" X-GM-MSGID X-GM-THRID"
        return items

    def fetch_headers(self, folder: FolderRef, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        """Stream the header fields the rules need for ``uids`` (gone UIDs are just absent).

        The UIDs go out as several UID FETCH commands (bounded command lines), pipelined
        :data:`PIPELINE` deep: the server prepares the next batch while this one is parsed,
        so its work overlaps ours instead of adding to it. Messages come in UID order even
        when the server interleaves the commands' responses (see :meth:`_fetch_pipelined`).
        """
        name = _name(folder)
        self._ensure_selected(name)
        items = self.fetch_items()
        commands = (
            (b"UID FETCH " + s + b" (" + items + b")", parse.sequence_top(s))
            for s in parse.batches(uids, FETCH_BATCH)
        )
        yield from self._fetch_pipelined(commands)

    def _fetch_pipelined(self, commands: Iterator[tuple[bytes, int]]) -> Iterator[FetchedMessage]:
        """Run (command, highest UID it asks for) pairs, yielding their messages in order.

        Dovecot runs pipelined FETCHes side by side and, when the client keeps up, sends one's
        responses in the middle of the other's (measured: most of the time at 100k). A message
        above the oldest command's highest UID waits in ``early`` until that command is done,
        so a stream cut short holds every UID asked for up to its last one: the sync's resume
        point (the highest cached UID) leaves no hole below it.
        """
        wire = self.wire
        sent: list[bytes] = []  # tags in flight, oldest first
        tops: dict[bytes, int] = {}  # tag -> the highest UID its command asks for
        early: list[FetchedMessage] = []  # of a later command, before the oldest was done

        def send_next() -> None:
            pair = next(commands, None)
            if pair is not None:
                wire.streaming = False
                tag = wire.send(pair[0])
                wire.streaming = True
                sent.append(tag)
                tops[tag] = pair[1]

        wire.streaming = True  # no other command until every response is read
        failure: MailError | None = None
        try:
            for _ in range(PIPELINE):
                send_next()
            while sent:
                top = tops[sent[0]]
                found: list[FetchedMessage] = []  # Dovecot-shaped responses, parsed in bulk
                try:
                    parts = wire.read_batch(parse.header_run, found)
                except ConnectionLost:
                    self._abandon()
                    sent.clear()
                    if failure is None:  # what arrived whole, in order, before the drop
                        yield from (message for message in found if message.uid <= top)
                    raise
                # ``found`` came before ``parts``: hand it over as the status stood before it.
                deliver = failure is None
                tag = None if parts is None else _tag_of(parts[0], sent)
                if parts is not None and tag is not None:
                    sent.remove(tag)  # before yielding: a consumer may stop there
                    try:
                        check_status(parts[0][len(tag) + 1 :])
                    except MailError as error:
                        failure = failure or error  # read the other responses first
                if deliver:
                    for message in found:
                        if message.uid <= top:
                            yield message
                        else:
                            early.append(message)
                if parts is None:
                    continue
                if tag is not None:
                    if failure is None:
                        send_next()
                        if early:  # the oldest command may be done: what can go now
                            bound = tops[sent[0]] if sent else None
                            waiting, early = early, []
                            for message in waiting:
                                if bound is None or message.uid <= bound:
                                    yield message
                                else:
                                    early.append(message)
                    continue
                other = _header_or_none(parts)
                if other is not None and failure is None:
                    if other.uid <= top:
                        yield other
                    else:
                        early.append(other)
        except ConnectionLost:
            self._abandon()
            sent.clear()
            raise
        finally:
            wire.streaming = False
            # The consumer stopped early or parsing failed: finish what is in flight.
            while sent and not wire.broken:
                tag = _tag_of(wire.read()[0], sent)
                if tag is not None:
                    sent.remove(tag)
        if failure is not None:
            raise failure

    # -- changes ----------------------------------------------------------------------------

    def changes(
        self, folder: FolderRef, since_modseq: int | None, status: FolderStatus | None = None
    ) -> FolderChanges:
        """Flag changes and vanished UIDs since ``since_modseq`` (CONDSTORE/QRESYNC).

        Without CONDSTORE (or without a MODSEQ to start from) it returns every message's
        flags (``complete=True``) and ``vanished=None``: compare UID lists instead.
        ``status`` is the folder's, just read by the caller: while the folder is still the
        selected one, no second EXAMINE (~0.2 s on Dovecot's 100k Maildir).
        """
        selected = self._selected is not None and self._selected[0] == _name(folder)
        state = status if status is not None and selected else self.status(folder)
        if since_modseq is None or state.highestmodseq is None:
            return FolderChanges(tuple(self._all_flags(state.uidnext)), None, complete=True)
        vanished: list[int] | None = [] if self.qresync_enabled else None
        if state.highestmodseq <= since_modseq:
            return FolderChanges((), None if vanished is None else ())
        changed: list[FlagChange] = []

        def collect(parts: parse.Parts) -> None:
            if vanished is not None and parts[0][:11].upper() == b"* VANISHED ":
                vanished.extend(_vanished(parts[0]))
                return
            _collect_flags(parts, changed)

        modifier = b" VANISHED" if vanished is not None else b""
        command = b"UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE %d%s)" % (since_modseq, modifier)
        self.wire.run(command, collect)
        return FolderChanges(tuple(changed), None if vanished is None else tuple(sorted(vanished)))

    def _all_flags(self, uidnext: int) -> list[FlagChange]:
        """Every message's flags below ``uidnext``, in one command (``core.mail.imap_flags``)."""
        top = uidnext - 1 if uidnext else None
        if top is not None and top < 1:
            return []
        return [c for c in all_flags(self.wire) if top is None or c.uid <= top]

    # -- waiting for new mail ---------------------------------------------------------------

    def idle(
        self,
        folder: FolderRef,
        timeout: float,
        cancel: threading.Event | None = None,
        *,
        since: FolderStatus | None = None,
        poll_interval: float = 60.0,
        on_idle: Callable[[], None] | None = None,
    ) -> bool:
        """Wait until the folder changes (True) or ``timeout``/``cancel`` (False).

        ``since`` is the state the caller last synced: if the folder already differs, it
        returns at once (no wake-up lost between a sync and the wait). IDLE where offered,
        re-issued every 9 minutes, else polling ``status()``. A cancel is noticed within half
        a second. ``on_idle`` is called each time the server confirms IDLE (tests, logs).
        """
        name = _name(folder)
        deadline = time.monotonic() + timeout
        current = self._select(name, readonly=True)
        if since is not None and current != since:
            return True
        if not self.capabilities.idle:
            status = functools.partial(self._select, name, readonly=True)
            return poll(status, current, deadline, cancel, poll_interval)
        while time.monotonic() < deadline and not (cancel and cancel.is_set()):
            until = min(deadline, time.monotonic() + IDLE_RENEW)
            if idle_once(self.wire, until, cancel, on_idle):
                return True
        return False

    # -- raw messages -----------------------------------------------------------------------

    def fetch_raw(self, folder: FolderRef, uid: int) -> bytes | None:
        """The whole raw message, or None when the UID is gone."""
        self._ensure_selected(_name(folder))
        found: list[bytes] = []

        def collect(parts: parse.Parts) -> None:
            parsed = parse.fetch_items(parts) if b"FETCH" in parts[0][:40].upper() else None
            if parsed is None or parse.as_int(parsed[1].get(b"UID")) != uid:
                return
            body = parsed[1].get(b"BODY[]")
            if isinstance(body, bytes):
                found.append(body)

        self.wire.run(b"UID FETCH %d (UID BODY.PEEK[])" % uid, collect)
        return found[0] if found else None

    def append(self, folder: FolderRef, raw: bytes, flags: Sequence[str] = ()) -> int | None:
        """APPEND a message; its new UID (UIDPLUS APPENDUID), or None when not reported."""
        name = _name(folder)
        reply = self._guard(lambda: self._client.append(name, raw, flags=tuple(flags)))
        match = _APPENDUID.search(reply if isinstance(reply, bytes) else b"")
        return int(match.group(2)) if match else None

    def delete(self, folder: FolderRef, uid: int) -> None:
        """Remove one message: UID EXPUNGE with UIDPLUS, else \\Deleted + EXPUNGE."""
        self._ensure_selected(_name(folder), readonly=False)
        self.wire.run(b"UID STORE %d +FLAGS.SILENT (\\Deleted)" % uid, _ignore)
        verb = b"UID EXPUNGE %d" % uid if self.capabilities.uidplus else b"EXPUNGE"
        self.wire.run(verb, _ignore)


def _ignore(parts: parse.Parts) -> None:
    """Untagged responses a command does not need (the next sync sees any change)."""


def _windows(uidnext: int) -> list[bytes]:
    """UID windows covering 1..uidnext-1 (or ``1:*`` when UIDNEXT is unknown)."""
    if uidnext <= 1:
        return [b"1:*"] if uidnext == 0 else []
    step = max(SEARCH_WINDOW, -(-uidnext // 200))  # at most ~200 round trips
    return [b"%d:%d" % (low, min(low + step - 1, uidnext - 1)) for low in range(1, uidnext, step)]


def _tag_of(line: bytes, tags: Sequence[bytes]) -> bytes | None:
    """The tag among ``tags`` that ``line`` completes, if it is a tagged response."""
    if line[:1] == b"*" or line[:1] == b"+":
        return None
    return next((tag for tag in tags if line.startswith(tag + b" ")), None)


def _header_or_none(parts: parse.Parts) -> FetchedMessage | None:
    if not parts[0].startswith(b"* ") or b"FETCH" not in parts[0][:40].upper():
        return None  # EXISTS, EXPUNGE, VANISHED, OK...: the next sync sees them
    try:
        return parse.header_message(parts)
    except parse.ParseError as error:
        raise FolderError(f"unreadable FETCH response from the server: {error}") from None


def _collect_flags(parts: parse.Parts, into: list[FlagChange]) -> None:
    if b"FETCH" not in parts[0][:40].upper():
        return
    change = parse.flag_response(parts)
    if change is not None:
        into.append(change)


def _vanished(line: bytes) -> list[int]:
    words = line.split()
    uid_set = words[-1] if words else b""
    return parse.parse_sequence_set(uid_set) if uid_set else []
