"""ImapSource against the real Dovecot: folders, headers, changes, UIDVALIDITY, drops, IDLE."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.mail import imap, imap_fetch
from core.mail.imap import ImapSource
from core.mail.source import ConnectionLost, FolderError
from core.mailbox import FetchedMessage, FlagChange, FolderChanges
from core.rules.model import Folder
from tests.helpers.dovecot import Admin, Dovecot, MailUser, imap_settings


def message(n: int, *, extra: bytes = b"", msgid: bytes | None = None) -> bytes:
    mid = msgid if msgid is not None else b"<m%d@example.com>" % n
    return (
        b"From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: note %d\r\n"
        b"Date: Fri, 27 Nov 2026 05:00:00 +0000\r\nMessage-ID: %s\r\n%s"
        b"X-Not-Fetched: 1\r\n\r\nbody %d\r\n" % (n, mid, extra, n)
    )


@pytest.fixture
def source(mail_user: MailUser) -> Iterator[ImapSource]:
    with ImapSource(imap_settings(mail_user), mail_user.password) as src:
        yield src


@pytest.fixture
def admin(dovecot: Dovecot, mail_user: MailUser) -> Iterator[Admin]:
    with dovecot.admin(mail_user) as adm:
        yield adm


def test_folders_with_special_use(source: ImapSource) -> None:
    got = {f.name: (f.role, f.skipped, f.special_use) for f in source.folders()}
    assert got == {
        "INBOX": (Folder.INBOX, False, None),
        "Sent": (Folder.SENT, False, "\\Sent"),
        "Drafts": (Folder.DRAFTS, False, "\\Drafts"),
        "Archive": (Folder.ARCHIVE, False, "\\Archive"),
        "Junk": (Folder.OTHER, True, "\\Junk"),
        "Trash": (Folder.OTHER, True, "\\Trash"),
    }


def test_folders_with_names_only(dovecot_names_only: Dovecot) -> None:
    user = dovecot_names_only.new_user()
    names = ["Sent Items", "Drafts", "&AMk-l&AOk-ments envoy&AOk-s", "Junk E-mail", "Projets"]
    with dovecot_names_only.admin(user) as adm:
        for name in [*names, "Deleted Items", "Archive/2025"]:
            adm.create_folder(name)
    with ImapSource(imap_settings(user), user.password) as src:
        assert not src.capabilities.special_use or all(f.special_use is None for f in src.folders())
        got = {f.display: (f.role, f.skipped) for f in src.folders()}
    assert got == {
        "INBOX": (Folder.INBOX, False),
        "Sent Items": (Folder.SENT, False),
        "Drafts": (Folder.DRAFTS, False),
        "Éléments envoyés": (Folder.SENT, False),
        "Junk E-mail": (Folder.OTHER, True),
        "Projets": (Folder.OTHER, False),
        "Deleted Items": (Folder.OTHER, True),
        "Archive/2025": (Folder.OTHER, False),  # its parent "Archive" is \NonExistent
    }


def test_status_uids_and_headers(source: ImapSource, admin: Admin) -> None:
    uids = [
        admin.append("INBOX", message(n), flags=["\\Seen"], date=1_790_000_000 + n)
        for n in range(3)
    ]
    state = source.status("INBOX")
    assert (state.exists, state.uidnext) == (3, uids[-1] + 1)
    assert state.highestmodseq is not None and state.uidvalidity > 0
    assert source.uids("INBOX") == uids
    fetched = list(source.fetch_headers("INBOX", [*uids, 999]))
    assert [m.uid for m in fetched] == uids
    first = fetched[0]
    assert first.flags == ("\\Seen",)
    assert first.internaldate == 1_790_000_000.0
    assert first.size == len(message(0))
    assert first.header.startswith(b"From: Alice <alice@example.com>\r\n")
    assert b"Message-ID: <m0@example.com>\r\n" in first.header
    assert b"X-Not-Fetched" not in first.header and b"body" not in first.header


def hostile_messages() -> dict[str, bytes]:
    nested = b"(" * 500 + b"c" + b")" * 500
    refs = b"".join(b" <r%06d@example.com>\r\n" % i for i in range(50_000))  # ~1 MB header
    return {
        "no message-id": b"From: a@example.com\r\nSubject: none\r\n\r\nx\r\n",
        "duplicate 1": message(1, msgid=b"<same@example.com>"),
        "duplicate 2": message(2, msgid=b"<same@example.com>"),
        "8-bit": "From: Zoë Ærø <zoe@example.com>\r\nSubject: café ünïcode\r\n\r\nx\r\n".encode(),
        "latin-1": b"From: \xe9l\xe8ve <e@example.com>\r\nSubject: \xe9t\xe9\r\n\r\nx\r\n",
        "1 MB header": b"From: a@example.com\r\nReferences:" + refs + b"Subject: big\r\n\r\nx\r\n",
        "nested comments": b"From: "
        + nested
        + b" <deep@example.com>\r\nSubject: deep\r\n\r\nx\r\n",
        "bad date": b"From: a@example.com\r\nDate: 31 Feb 2026 99:99:99 +9999\r\n\r\nx\r\n",
        "crlf in encoded word": b"From: a@x.com\r\nSubject: =?utf-8?q?a=0D=0Ab?=\r\n\r\nx\r\n",
        "no headers": b"\r\njust a body\r\n",
    }


def test_malformed_messages_all_come_back(source: ImapSource, admin: Admin) -> None:
    raws = hostile_messages()
    uids = {label: admin.append("INBOX", raw) for label, raw in raws.items()}
    fetched = {m.uid: m for m in source.fetch_headers("INBOX", list(uids.values()))}
    assert sorted(fetched) == sorted(uids.values())
    for label, raw in raws.items():
        got = fetched[uids[label]]
        assert got.size == len(raw), label
        wanted = [
            line for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n")
            if line.split(b":")[0] in (b"From", b"Subject", b"Date", b"Message-ID")
        ]  # fmt: skip
        for line in wanted:
            assert line + b"\r\n" in got.header, (label, line[:60])
    big = fetched[uids["1 MB header"]].header
    assert len(big) > 1_000_000 and big.count(b"<r") == 50_000


def test_bulk_path_gives_what_the_general_path_gives(
    source: ImapSource, admin: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "FETCH_BATCH", 40)  # responses of two commands in flight
    raws = [message(n, extra=b"X-Pad: %s\r\nList-Id: <l%d>\r\n" % (b"p" * (n * 37 % 900), n))
            for n in range(150)]  # fmt: skip
    raws[7:7] = hostile_messages().values()
    uids = [admin.append("INBOX", raw, flags=["\\Seen"] if n % 3 else []) for n, raw in
            enumerate(raws)]  # fmt: skip
    run = imap_fetch.header_run
    parsed: list[FetchedMessage] = []

    def counted(data: bytes, pos: int, into: list[FetchedMessage]) -> int:
        end = run(data, pos, into)
        parsed.extend(into)
        return end

    monkeypatch.setattr(imap_fetch, "header_run", counted)
    bulk = list(source.fetch_headers("INBOX", uids))
    assert len({m.uid for m in parsed}) > 140  # nearly all took the bulk path
    monkeypatch.setattr(imap_fetch, "header_run", lambda data, pos, into: pos)
    general = list(source.fetch_headers("INBOX", uids))
    assert bulk == general and [m.uid for m in bulk] == uids


def test_flag_changes_since_modseq(source: ImapSource, admin: Admin) -> None:
    uids = [admin.append("INBOX", message(n)) for n in range(3)]
    synced = source.status("INBOX").highestmodseq
    assert source.changes("INBOX", synced) == FolderChanges((), (), False)  # nothing: no command
    admin.add_flags("INBOX", [uids[1]], ["\\Flagged", "$Logged"])
    changes = source.changes("INBOX", synced)
    assert [(c.uid, set(c.flags)) for c in changes.flags] == [(uids[1], {"\\Flagged", "$Logged"})]
    assert changes.vanished == () and not changes.complete
    assert changes.flags[0].modseq is not None and changes.flags[0].modseq > (synced or 0)


def test_without_a_modseq_every_flag_comes_back(source: ImapSource, admin: Admin) -> None:
    uids = [admin.append("INBOX", message(n), flags=["\\Seen"] if n else []) for n in range(3)]
    changes = source.changes("INBOX", None)
    assert changes.complete and changes.vanished is None
    assert changes.flags == (
        FlagChange(uids[0], ()),
        FlagChange(uids[1], ("\\Seen",)),
        FlagChange(uids[2], ("\\Seen",)),
    )


def test_expunge_is_reported_as_vanished(source: ImapSource, admin: Admin) -> None:
    uids = [admin.append("INBOX", message(n)) for n in range(4)]
    synced = source.status("INBOX").highestmodseq
    admin.expunge("INBOX", [uids[0], uids[2]])
    changes = source.changes("INBOX", synced)
    assert changes.vanished == (uids[0], uids[2])
    assert source.uids("INBOX") == [uids[1], uids[3]]


def test_uidvalidity_change_is_seen_in_status(source: ImapSource, admin: Admin) -> None:
    admin.append("Archive", message(1))
    before = source.status("Archive")
    admin.recreate_folder("Archive", [message(2), message(3)])
    after = source.status("Archive")
    assert after.uidvalidity != before.uidvalidity
    assert (after.exists, source.uids("Archive")) == (2, [1, 2])


def test_uids_are_asked_for_in_windows(
    source: ImapSource, admin: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "SEARCH_WINDOW", 3)
    uids = [admin.append("INBOX", message(n)) for n in range(10)]
    admin.expunge("INBOX", uids[3:5])
    sent: list[bytes] = []
    original = source.wire.send
    monkeypatch.setattr(source.wire, "send", lambda cmd: sent.append(cmd) or original(cmd))
    assert source.uids("INBOX") == uids[:3] + uids[5:]
    assert [c for c in sent if c.startswith(b"UID SEARCH")] == [
        b"UID SEARCH UID 1:3", b"UID SEARCH UID 4:6", b"UID SEARCH UID 7:9", b"UID SEARCH UID 10:10"
    ]  # fmt: skip


def test_missing_folder_is_a_folder_error(source: ImapSource) -> None:
    with pytest.raises(FolderError, match="cannot open folder Nope"):
        source.status("Nope")
    assert source.status("INBOX").exists == 0  # the session is still usable


def test_stopping_early_leaves_the_session_usable(source: ImapSource, admin: Admin) -> None:
    uids = [admin.append("INBOX", message(n)) for n in range(20)]
    stream = source.fetch_headers("INBOX", uids)
    assert next(stream).uid == uids[0]
    stream.close()
    assert source.uids("INBOX") == uids


def test_pipelined_fetch_keeps_order_and_stops_cleanly(
    source: ImapSource, admin: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "FETCH_BATCH", 3)  # 7 commands, PIPELINE of them in flight
    uids = [admin.append("INBOX", message(n)) for n in range(20)]
    assert [m.uid for m in source.fetch_headers("INBOX", uids)] == uids
    stream = source.fetch_headers("INBOX", uids)
    assert [next(stream).uid for _ in range(4)] == uids[:4]  # two commands in flight
    stream.close()
    assert source.uids("INBOX") == uids  # their responses were read to the end
    assert [m.uid for m in source.fetch_headers("INBOX", uids[5:9])] == uids[5:9]


def test_dropped_connection_mid_fetch_raises_connection_lost(
    dovecot: Dovecot,
    mail_user: MailUser,
    source: ImapSource,
    admin: Admin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(imap, "FETCH_BATCH", 2)
    uids = [admin.append("INBOX", message(n)) for n in range(12)]
    admin.close()
    got = []
    with pytest.raises(ConnectionLost):
        for fetched in source.fetch_headers("INBOX", uids):
            got.append(fetched.uid)
            if len(got) == 1:
                dovecot.kick(mail_user.user)
    assert len(got) < len(uids)
    source.reconnect()  # what the sync does before retrying
    assert [m.uid for m in source.fetch_headers("INBOX", uids)] == uids


def test_idle_wakes_on_a_new_append(
    source: ImapSource, dovecot: Dovecot, mail_user: MailUser
) -> None:
    idling = threading.Event()
    appended: list[int] = []

    def append_when_idling() -> None:
        if idling.wait(30):
            with dovecot.admin(mail_user) as adm:
                appended.append(adm.append("INBOX", message(1)))

    helper = threading.Thread(target=append_when_idling)
    helper.start()
    try:
        assert source.idle("INBOX", timeout=30, on_idle=idling.set) is True
    finally:
        idling.set()
        helper.join(30)
    assert source.uids("INBOX") == appended


def test_idle_returns_at_once_when_the_folder_moved_on(source: ImapSource, admin: Admin) -> None:
    synced = source.status("INBOX")
    admin.append("INBOX", message(1))
    assert source.idle("INBOX", timeout=30, since=synced) is True


def test_idle_times_out_and_can_be_cancelled(source: ImapSource) -> None:
    assert source.idle("INBOX", timeout=0.2) is False
    cancel = threading.Event()
    started = time.monotonic()
    assert source.idle("INBOX", timeout=60, cancel=cancel, on_idle=cancel.set) is False
    assert time.monotonic() - started < 30  # the cancel ended it, not the timeout
    assert source.status("INBOX").exists == 0  # IDLE was ended cleanly


def test_raw_append_and_delete(source: ImapSource) -> None:
    raw = message(7)
    uid = source.append("Drafts", raw, ["\\Draft", "\\Seen"])
    assert uid is not None
    assert source.fetch_raw("Drafts", uid) == raw
    (fetched,) = source.fetch_headers("Drafts", [uid])
    assert set(fetched.flags) == {"\\Draft", "\\Seen"}
    source.delete("Drafts", uid)
    assert source.fetch_raw("Drafts", uid) is None
    assert source.uids("Drafts") == []


def without(source: ImapSource, **features: bool) -> None:
    """Make the source act as on a server lacking some features (Outlook, Yahoo...)."""
    source.capabilities = replace(source.capabilities, **features)


def test_without_condstore_flags_come_in_bulk(source: ImapSource, admin: Admin) -> None:
    without(source, condstore=False, qresync=False)
    uids = [admin.append("INBOX", message(n)) for n in range(3)]
    admin.add_flags("INBOX", [uids[0]], ["\\Answered"])
    assert source.status("INBOX").highestmodseq is None
    changes = source.changes("INBOX", 5)
    assert changes.complete and changes.vanished is None
    assert [(c.uid, c.flags) for c in changes.flags] == [
        (uids[0], ("\\Answered",)), (uids[1], ()), (uids[2], ())
    ]  # fmt: skip


def test_without_idle_it_polls(source: ImapSource, dovecot: Dovecot, mail_user: MailUser) -> None:
    without(source, idle=False)
    polling = threading.Event()

    def append_when_polling() -> None:
        if polling.wait(30):
            with dovecot.admin(mail_user) as adm:
                adm.append("INBOX", message(1))

    helper = threading.Thread(target=append_when_polling)
    helper.start()
    original = source._select

    def select_and_signal(name: str, readonly: bool) -> object:
        state = original(name, readonly)
        polling.set()
        return state

    source._select = select_and_signal  # type: ignore[method-assign]
    try:
        assert source.idle("INBOX", timeout=30, poll_interval=0.05) is True
    finally:
        polling.set()
        helper.join(30)


def test_without_uidplus_delete_expunges_the_folder(source: ImapSource) -> None:
    without(source, uidplus=False)
    keep = source.append("Drafts", message(1))
    gone = source.append("Drafts", message(2))
    assert keep is not None and gone is not None
    source.delete("Drafts", gone)
    assert source.uids("Drafts") == [keep]


def test_after_a_drop_every_call_fails_fast_until_reconnect(
    dovecot: Dovecot, mail_user: MailUser, source: ImapSource
) -> None:
    source.status("INBOX")
    dovecot.kick(mail_user.user)
    with pytest.raises(ConnectionLost):
        source.uids("INBOX")
    with pytest.raises(ConnectionLost):
        source.status("INBOX")
    source.reconnect()
    assert source.uids("INBOX") == []


def test_no_command_while_a_fetch_streams(source: ImapSource, admin: Admin) -> None:
    uids = [admin.append("INBOX", message(n)) for n in range(3)]
    stream = source.fetch_headers("INBOX", uids)
    next(stream)
    with pytest.raises(RuntimeError, match="still streaming"):
        source.status("INBOX")
    assert [m.uid for m in stream] == uids[1:]
    assert source.status("INBOX").exists == 3


def test_inbox_is_examined_before_the_listing_and_that_status_is_used_once(
    source: ImapSource, admin: Admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin.append("INBOX", message(1))
    sent: list[bytes] = []
    send = source.wire.send
    monkeypatch.setattr(
        source.wire, "send", lambda command, *a: sent.append(command) or send(command, *a)
    )
    listed = source.folders()
    assert (
        listed[0].name == "INBOX" and sent[0] == b'EXAMINE "INBOX"' and sent[1].startswith(b"LIST")
    )
    first = source.status("INBOX")
    assert len(sent) == 2  # what the EXAMINE before the LIST said: no command
    assert first == source.status("INBOX") and len(sent) == 3  # used once, then examined again
    admin.append("INBOX", message(2))
    source.status("Sent")
    assert source.status("INBOX").uidnext == first.uidnext + 1 and sent[-1] == b'EXAMINE "INBOX"'
