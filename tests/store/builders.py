"""Building cached rows from header text, the way the sync does."""

from __future__ import annotations

import dataclasses

from core.mail.headers import prepare
from core.mailbox import FetchedMessage, FolderInfo, NewMessage
from core.rules.addresses import Address
from core.rules.model import Folder, Message


def header(**fields: str) -> bytes:
    """A raw header block from keyword fields (``message_id`` -> ``Message-Id``)."""
    lines = [
        f"{name.rstrip('_').replace('_', '-').title()}: {value}" for name, value in fields.items()
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def new(
    uid: int, folder: Folder = Folder.INBOX, flags: tuple[str, ...] = (), **fields: str
) -> NewMessage:
    return prepare(FetchedMessage(uid, flags, 1_700_000_000.0 + uid, 100, header(**fields)), folder)


def stored_address(a: Address) -> Address:
    """What the cache keeps of an address: a valid one's raw text is rebuilt from it."""
    if a.email is None:
        return a
    return Address(a.email, a.name, f"{a.name} <{a.email}>" if a.name else a.email)


def stored(message: Message, rowid: int) -> Message:
    """The engine message the cache gives back for a synced one, row ``rowid``."""

    def each(addresses: tuple[Address, ...]) -> tuple[Address, ...]:
        return tuple(stored_address(a) for a in addresses)

    sender = message.sender
    return dataclasses.replace(
        message,
        id=str(rowid),
        sender=stored_address(sender) if sender is not None else None,
        to=each(message.to),
        cc=each(message.cc),
        bcc=each(message.bcc),
    )


def folder_info(name: str = "INBOX", role: Folder = Folder.INBOX) -> FolderInfo:
    return FolderInfo(name=name, display=name, role=role)


def scenario_header(m: dict[str, object]) -> bytes:
    """A raw header block carrying a scenario message's fields."""
    lines: list[str] = []

    def add(name: str, value: object) -> None:
        if isinstance(value, list):
            value = (" " if name == "References" else ", ").join(str(v) for v in value)
        if value:
            lines.append(f"{name}: {value}")

    add("From", m.get("from"))
    add("To", m.get("to"))
    add("Cc", m.get("cc"))
    add("Bcc", m.get("bcc"))
    add("Subject", m.get("subject"))
    add("Date", m.get("date"))
    add("Message-ID", m.get("message_id"))
    add("In-Reply-To", m.get("in_reply_to"))
    add("References", m.get("references"))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
