"""Shared pieces of the sync tests: raw messages, an IMAP account on the test server, state."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from core.mail import fetch_split
from core.mail.imap import ImapSource
from core.mail.source import MailSource
from core.store import accounts as store_accounts
from core.store.accounts import Account, AccountKind
from tests.helpers.dovecot import Admin, MailUser, imap_settings


def raw(
    n: int,
    *,
    sender: str = "Lea Martin <lea@initech.example>",
    to: str = "Mia Rossi <mia@globex.example>",
    subject: str | None = None,
    reply_to: str | None = None,
    day: int = 1,
) -> bytes:
    """A small realistic message number ``n``."""
    lines = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject or f'Quote {n}'}",
        f"Date: Mon, {day:02d} Sep 2025 {n % 24:02d}:{n % 60:02d}:00 +0000",
        f"Message-ID: <m{n}@initech.example>",
    ]
    if reply_to:
        lines += [f"In-Reply-To: {reply_to}", f"References: {reply_to}"]
    return ("\r\n".join(lines) + "\r\n\r\nHello.\r\n").encode()


def imap_account(conn: sqlite3.Connection, user: MailUser, name: str = "work") -> Account:
    return store_accounts.insert_account(
        conn,
        name,
        AccountKind.IMAP,
        host="localhost",
        port=user.ssl_port,
        security="ssl",
        user=user.user,
        ca_file=str(user.ca_file),
    )


def opener(user: MailUser, opened: list[int] | None = None) -> Callable[[], MailSource]:
    """Opens an ImapSource for the user; counts openings in ``opened`` when given."""

    def open_source() -> MailSource:
        if opened is not None:
            opened.append(1)
        return ImapSource(imap_settings(user), user.password)

    return open_source


def server_state(user: MailUser, folders: tuple[str, ...]) -> dict[str, dict[int, str]]:
    """Per folder: UID -> sorted flags, as the server has them."""
    state: dict[str, dict[int, str]] = {}
    with Admin(user) as admin:
        for folder in folders:
            admin.client.select_folder(folder, readonly=True)
            uids = admin.client.search("ALL")
            flags = admin.client.get_flags(uids) if uids else {}
            state[folder] = {
                int(uid): " ".join(sorted(f.decode() for f in fl if f.decode() != "\\Recent"))
                for uid, fl in flags.items()
            }
    return state


def cache_state(conn: sqlite3.Connection, folders: tuple[str, ...]) -> dict[str, dict[int, str]]:
    state: dict[str, dict[int, str]] = {name: {} for name in folders}
    for name, uid, flags in conn.execute(
        "SELECT f.name, m.uid, m.flags FROM messages m JOIN folders f ON f.id = m.folder_id"
    ):
        if name in state:
            state[name][uid] = flags
    return state


class HelperSpy:
    """``fetch_split.start`` as the sync calls it, keeping the helper it starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.helpers: list[fetch_split.Helper | None] = []
        real = fetch_split.start

        def start(*args: object, **kwargs: object) -> object:
            mine, helper = real(*args, **kwargs)  # type: ignore[arg-type]
            self.helpers.append(helper)
            return mine, helper

        monkeypatch.setattr(fetch_split, "start", start)
