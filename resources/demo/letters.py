"""Composing demo mail: the ``Letter`` value, dates in each person's time zone, and threads.

A ``Desk`` hands out Message-IDs and keeps every letter in the order it was written; replies
carry ``In-Reply-To``/``References`` and a quoted body like a real mail client's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

from resources.demo.cast import MIA, Person

# Daylight saving switches of 2026 (UTC): Europe on 25 Oct 01:00, the US on 1 Nov 06:00.
_EU_SWITCH = datetime(2026, 10, 25, 1, tzinfo=UTC)
_US_SWITCH = datetime(2026, 11, 1, 6, tzinfo=UTC)
START = datetime(2026, 7, 27, tzinfo=UTC)  # Monday; the demo spans 27 Jul - 26 Nov 2026
END = datetime(2026, 11, 26, 18, tzinfo=UTC)

Party = Person | str  # a person, or an address header written as is


def zone_of(person: Party, when: datetime) -> timezone:
    """The UTC offset ``person``'s mail client writes in its Date header at ``when``."""
    zone = person.zone if isinstance(person, Person) else "eu"
    if zone == "us":
        return timezone(timedelta(hours=-4 if when < _US_SWITCH else -5))
    if zone == "uk":
        return timezone(timedelta(hours=1 if when < _EU_SWITCH else 0))
    return timezone(timedelta(hours=2 if when < _EU_SWITCH else 1))


def local_time(day: int, hour: float, person: Party) -> datetime:
    """UTC instant of ``hour`` o'clock local time for ``person``, ``day`` days after START.

    A day that falls on a weekend moves to the next Monday: business mail keeps office days.
    """
    weekday = (START.weekday() + day) % 7
    day += 7 - weekday if weekday >= 5 else 0
    naive = START + timedelta(days=day, hours=hour)
    return naive - zone_of(person, naive).utcoffset(naive)


def date_header(when: datetime, person: Party) -> str:
    return format_datetime(when.astimezone(zone_of(person, when)))


@dataclass
class Letter:
    """One demo message before it is rendered to RFC 5322 bytes."""

    folder: str  # "inbox", "sent", "drafts", "archive"
    when: datetime
    sender: Party | None
    to: list[Party]
    subject: str
    body: str
    cc: list[Party] = field(default_factory=list)
    bcc: list[Party] = field(default_factory=list)
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    flags: str = "S"
    headers: list[tuple[str, str]] = field(default_factory=list)  # List-Id, X-Mailer, ...
    html: str | None = None  # adds a text/html alternative
    attachment: tuple[str, str, bytes] | None = None  # (filename, content type, data)
    inline_png: bytes | None = None  # a cid: image referenced by ``html``
    date_text: str | None = None  # overrides the Date header (a malformed one)
    subject_charset: str = "utf-8"
    raw_utf8_from: bool = False  # the From name in raw UTF-8 (RFC 6532 style)
    key: str = ""  # a stable name the README and the tests use for this letter


def strip_prefix(subject: str) -> str:
    for prefix in ("Re: ", "RE: ", "AW: ", "Fwd: ", "TR: ", "WG: "):
        if subject.startswith(prefix):
            return subject[len(prefix) :]
    return subject


class Desk:
    """Writes letters in order, handing out deterministic Message-IDs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.letters: list[Letter] = []

    def message_id(self, sender: Party | None, when: datetime) -> str:
        domain = sender.email.split("@")[1] if isinstance(sender, Person) else "globex.example"
        token = f"{self.rng.getrandbits(48):012x}"
        host = "mail.globex.example" if domain == "globex.example" else f"mx1.{domain}"
        return f"<{when:%Y%m%d%H%M%S}.{token}@{host}>"

    def write(self, letter: Letter, *, with_id: bool = True) -> Letter:
        if with_id and letter.message_id is None:
            letter.message_id = self.message_id(letter.sender, letter.when)
        self.letters.append(letter)
        return letter

    def post(
        self,
        when: datetime,
        sender: Party,
        to: Sequence[Party],
        subject: str,
        body: str,
        **extra: object,
    ) -> Letter:
        """A new message (first of its thread); the folder follows from who sent it."""
        folder = str(extra.pop("folder", "sent" if sender == MIA else "inbox"))
        return self.write(Letter(folder, when, sender, list(to), subject, body, **extra))  # type: ignore[arg-type]

    def reply(
        self,
        parent: Letter,
        when: datetime,
        sender: Party,
        to: Sequence[Party],
        body: str,
        *,
        prefix: str = "Re: ",
        quote: bool = True,
        **extra: object,
    ) -> Letter:
        """A reply to ``parent``: threading headers, ``Re:`` subject, the parent quoted."""
        sent = extra.get("folder", "sent") != "drafts"  # a draft has answered nothing yet
        if sent and sender == MIA and parent.folder == "inbox":
            parent.flags = "".join(sorted(set(parent.flags) | {"R"}))
        subject = str(extra.pop("subject", prefix + strip_prefix(parent.subject)))
        refs = [*parent.references, parent.message_id] if parent.message_id else []
        if quote:
            body = body + "\n\n" + quoted(parent)
        letter = self.post(when, sender, to, subject, body, **extra)
        letter.in_reply_to = parent.message_id
        letter.references = [r for r in refs if r][-8:]
        return letter


def display(party: Party | None) -> str:
    if isinstance(party, Person):
        return party.name
    return party or "Unknown"


def quoted(parent: Letter) -> str:
    """The parent's body quoted the way Thunderbird does, signature and older quotes dropped."""
    own = parent.body.split("\n\n> ")[0].split("\n-- \n")[0].split("\n\nOn ")[0]
    when = parent.when.astimezone(zone_of(MIA, parent.when))
    head = f"On {when:%d/%m/%Y %H:%M}, {display(parent.sender)} wrote:"
    return head + "\n" + "\n".join(("> " + line).rstrip() for line in own.splitlines())
