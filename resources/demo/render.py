"""Rendering a ``Letter`` to the bytes of an RFC 5322 message, and its Maildir file name.

Hand-built rather than through ``email.generator`` so that every byte is deterministic (the
stdlib draws MIME boundaries from the global random generator) and so that a malformed header
can be written exactly as broken mail clients write it.
"""

from __future__ import annotations

import base64
import hashlib
import quopri
import textwrap
from email.header import Header
from email.utils import formataddr

from resources.demo.cast import MIA, Person
from resources.demo.letters import Letter, Party, date_header

_WIDTH = 78


def address(party: Party, *, raw_utf8: bool = False) -> str:
    """``Name <addr>``, the name RFC 2047-encoded when it is not ASCII (unless ``raw_utf8``)."""
    if isinstance(party, str):
        return party
    if raw_utf8:
        return f"{party.name} <{party.email}>"
    return formataddr((party.name, party.email), charset="utf-8")


def _fold(name: str, items: list[str], sep: str = ", ") -> str:
    """``Name: a, b, c`` folded before 78 columns at item boundaries, like most clients."""
    lines = [f"{name}: {items[0]}"]
    for item in items[1:]:
        if len(lines[-1]) + len(sep) + len(item) > _WIDTH:
            lines[-1] += sep.rstrip()
            lines.append(" " + item)
        else:
            lines[-1] += sep + item
    return "\n".join(lines)


def _subject(letter: Letter) -> str:
    if letter.subject.isascii():
        return f"Subject: {letter.subject}"
    encoded = Header(letter.subject, letter.subject_charset, header_name="Subject").encode(
        linesep="\n"
    )
    return f"Subject: {encoded}"


def _token(letter: Letter, size: int = 12) -> str:
    seed = f"{letter.message_id}|{letter.when.isoformat()}|{letter.subject}|{letter.key}"
    return hashlib.sha256(seed.encode()).hexdigest()[:size]


def _received(letter: Letter) -> list[str]:
    """One Received line for mail that came in from outside (documentation IP range)."""
    sender = letter.sender
    if letter.folder not in ("inbox", "archive") or not isinstance(sender, Person):
        return []
    domain = sender.email.split("@")[1]
    if domain == "globex.example":
        return []
    octet = int(_token(letter, 2), 16) % 250 + 2
    return [
        f"Received: from mx1.{domain} (mx1.{domain} [192.0.2.{octet}])\n"
        f"\tby mx.globex.example with ESMTPS id {_token(letter, 10).upper()}\n"
        f"\tfor <{MIA.email}>; {date_header(letter.when, MIA)}"
    ]


def headers(letter: Letter) -> list[str]:
    lines = _received(letter)
    lines.append(f"Date: {letter.date_text or date_header(letter.when, letter.sender or MIA)}")
    if letter.sender is not None:
        lines.append("From: " + address(letter.sender, raw_utf8=letter.raw_utf8_from))
    for name, parties in (("To", letter.to), ("Cc", letter.cc), ("Bcc", letter.bcc)):
        if parties:
            lines.append(_fold(name, [address(p) for p in parties]))
    lines.append(_subject(letter))
    if letter.message_id:
        lines.append(f"Message-ID: {letter.message_id}")
    if letter.in_reply_to:
        lines.append(f"In-Reply-To: {letter.in_reply_to}")
    if letter.references:
        lines.append(_fold("References", letter.references, sep=" "))
    lines.extend(f"{name}: {value}" for name, value in letter.headers)
    lines.append("MIME-Version: 1.0")
    return lines


def _wrap(text: str) -> str:
    """Wrap plain text at 72 columns like a mail client, quote markers kept on every line."""
    lines: list[str] = []
    for line in text.splitlines():
        prefix = "> " if line.startswith("> ") else ""
        body = line[len(prefix) :]
        if len(line) <= 76 or " " not in body:
            lines.append(line)
            continue
        lines.extend(prefix + part for part in textwrap.wrap(body, 72 - len(prefix)))
    return "\n".join(lines)


def _text_part(text: str, subtype: str) -> list[str]:
    data = text if text.endswith("\n") else text + "\n"
    if data.isascii() and all(len(line) <= 998 for line in data.splitlines()):
        return [
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: 7bit",
            "",
            data.rstrip("\n"),
        ]
    encoded = quopri.encodestring(data.encode("utf-8")).decode("ascii")
    return [
        f'Content-Type: text/{subtype}; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        encoded.rstrip("\n"),
    ]


def _base64_part(head: list[str], data: bytes) -> list[str]:
    text = base64.b64encode(data).decode("ascii")
    chunks = [text[i : i + 76] for i in range(0, len(text), 76)]
    return [*head, "Content-Transfer-Encoding: base64", "", *chunks]


def _multipart(subtype: str, boundary: str, parts: list[list[str]], extra: str = "") -> list[str]:
    lines = [f'Content-Type: multipart/{subtype};{extra} boundary="{boundary}"', ""]
    lines.append("This is a multi-part message in MIME format.")
    for part in parts:
        lines += ["", f"--{boundary}", *part]
    lines += ["", f"--{boundary}--"]
    return lines


def body(letter: Letter) -> list[str]:
    """The MIME structure: text; text+html; (related html+png); plus an attachment."""
    tag = _token(letter, 16)
    content = _text_part(_wrap(letter.body), "plain")
    if letter.html is not None:
        cid = f"logo.{tag}@globex.example"
        html = _text_part(letter.html.replace("cid:LOGO", f"cid:{cid}"), "html")
        if letter.inline_png is not None:
            png = _base64_part(
                [
                    'Content-Type: image/png; name="logo.png"',
                    f"Content-ID: <{cid}>",
                    'Content-Disposition: inline; filename="logo.png"',
                ],
                letter.inline_png,
            )
            html = _multipart("related", f"----=_rel_{tag}", [html, png], ' type="text/html";')
        content = _multipart("alternative", f"----=_alt_{tag}", [content, html])
    if letter.attachment is not None:
        name, kind, data = letter.attachment
        part = _base64_part(
            [
                f'Content-Type: {kind}; name="{name}"',
                f'Content-Disposition: attachment; filename="{name}"',
            ],
            data,
        )
        content = _multipart("mixed", f"----=_mix_{tag}", [content, part])
    return content


def render(letter: Letter) -> bytes:
    """The message as stored in a Maildir file: LF line ends, UTF-8 only where allowed."""
    return ("\n".join([*headers(letter), *body(letter)]) + "\n").encode("utf-8")


def file_name(letter: Letter, seq: int) -> str:
    """A Maildir file name: ``time.MusecPpid.host!2,FLAGS`` (flags sorted, as the spec asks).

    ``!`` and not the spec's ``:`` before the info part: a file name with ``:`` cannot be
    checked out, installed or bundled on Windows (Mailscope reads both, see
    ``core.mail.local.split_name``)."""
    usec = (seq * 7919) % 1_000_000
    flags = "".join(sorted(letter.flags))
    return f"{int(letter.when.timestamp())}.M{usec:06d}P{4000 + seq}.mia-thinkpad!2,{flags}"
