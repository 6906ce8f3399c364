"""A bench mailbox that looks like a real rep's mail, not like the code that reads it (issue 10).

What makes real mail expensive to parse is its variety, so that is what this generator keeps:

- names in many scripts (Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew, Chinese,
  Japanese, Korean, Devanagari, Thai, Vietnamese), RFC 2047-encoded in UTF-8 and in the legacy
  charsets mailers still use (ISO-8859-x, windows-125x, KOI8-R, ISO-2022-JP, GBK, EUC-KR),
  quoted "Last, First" forms, bare addresses, a few raw UTF-8 headers;
- tens of thousands of correspondents over thousands of domains, met with a long tail (a few
  often, most once or twice), To of 1-3 and Cc of 0-5;
- subjects that are mostly distinct (ticket and order numbers, names, dates, many languages),
  about 20% RFC 2047-encoded, with the reply and forward prefixes of many mailers;
- about 40% replies (In-Reply-To and References, sometimes only one of them), List-* headers on
  about 20% (newsletters, mailing lists, with Precedence and Auto-Submitted on some);
- dates in the spellings mailers write (weekday or not, one-digit days, zones, comments), and
  the other headers of a real block (Received, DKIM-Signature, MIME) for the local sources,
  which read whole header blocks. Bodies of varied length (a long tail of big ones).

Deterministic for a seed. ``messages(count, seed)`` yields ``Generated`` values; ``write_maildir``
and ``write_mbox`` lay them out on disk. Used by ``bench/scale_bench.py``.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import os
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bench.mailgen_data import (
    DAY_NAMES,
    EMOJI,
    FAMILY_FIRST,
    FORWARD,
    KINDS,
    LANG_WEIGHTS,
    PEOPLE,
    REPLY,
    SUBJECT_LANG,
    TLDS,
    TOPICS,
    WORDS,
)
from bench.mailgen_fields import body, date_text, flags_of, message_id, others

START = 1_704_067_200.0  # 2024-01-01T00:00:00Z
OWNER = ("Sam Rivera", "sam.rivera@globex.example")


class Person(NamedTuple):
    name: str  # the display name as people write it (native script)
    email: str
    lang: str


class Generated(NamedTuple):
    """One message: its raw bytes, date, IMAP-style flags, and Maildir info letters."""

    raw: bytes
    date: float
    flags: tuple[str, ...]


def _pick_lang(rng: random.Random) -> str:
    langs = list(LANG_WEIGHTS)
    return rng.choices(langs, weights=[LANG_WEIGHTS[k] for k in langs])[0]


def _domains(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        a, b = rng.choice(WORDS), rng.choice(WORDS + KINDS)
        shape = rng.random()
        base = (
            f"{a}{b}" if shape < 0.4 else f"{a}-{b}" if shape < 0.7 else f"{a}{rng.randint(1, 99)}"
        )
        found.add(f"{base}.{rng.choice(TLDS)}")
    return sorted(found)


def people(rng: random.Random, count: int, domains: list[str]) -> list[Person]:
    """``count`` distinct correspondents: native-script names, addresses from romanised ones."""
    webmail = ["gmail.com", "outlook.com", "yahoo.com", "gmx.de", "orange.fr", "yandex.ru",
               "qq.com", "naver.com", "hotmail.com", "icloud.com"]  # fmt: skip
    made: list[Person] = []
    seen: set[str] = set()
    while len(made) < count:
        lang = _pick_lang(rng)
        given, family, _ = PEOPLE[lang]
        g_native, g_roman = rng.choice(given).split("|")
        f_native, f_roman = rng.choice(family).split("|")
        if lang in FAMILY_FIRST:
            name = f_native + g_native if lang in ("zh", "ja", "ko") else f"{f_native} {g_native}"
        else:
            name = f"{g_native} {f_native}"
        g, f = g_roman.lower(), f_roman.lower()
        local = rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{g}_{f}", f"{g}{rng.randint(1, 999)}",
                            f"{f}.{g}", f"{g}.{f}{rng.randint(1, 99)}"])  # fmt: skip
        domain = rng.choice(webmail) if rng.random() < 0.15 else rng.choice(domains)
        email = f"{local}@{domain}"
        if rng.random() < 0.04:
            email = email.replace(local, local.title(), 1)  # mixed case: N1 lowers it
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        made.append(Person(name, email, lang))
    return made


def _b64_word(text: str, charset: str) -> str:
    """``text`` as RFC 2047 B words of at most ~60 characters each, as mailers split them."""
    data = text.encode(charset)
    if charset == "iso-2022-jp":  # stateful: never split
        return f"=?{charset.upper()}?B?{base64.b64encode(data).decode()}?="
    words, chunk = [], ""
    for char in text:
        if len((chunk + char).encode(charset)) > 42:
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    return " ".join(
        f"=?{charset}?B?{base64.b64encode(w.encode(charset)).decode()}?=" for w in words
    )


def _q_word(text: str, charset: str) -> str:
    out = []
    for byte in text.encode(charset):
        char = chr(byte)
        if char == " ":
            out.append("_")
        elif char.isalnum() and byte < 128:
            out.append(char)
        else:
            out.append(f"={byte:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def encode_text(rng: random.Random, text: str, legacy: str) -> str:
    """A header text as a mailer writes it: ASCII as is, else RFC 2047 (mostly UTF-8)."""
    if text.isascii():
        return text
    roll = rng.random()
    if roll < 0.03:
        return text  # raw UTF-8 (RFC 6532 mailers, and some that should not)
    charset = legacy if roll < 0.3 and legacy not in ("us-ascii", "utf-8") else "utf-8"
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    if charset in ("iso-8859-1", "iso-8859-15", "windows-1252", "iso-8859-2", "iso-8859-9"):
        return _q_word(text, charset) if rng.random() < 0.7 else _b64_word(text, charset)
    if charset == "utf-8" and rng.random() < 0.25:
        return _q_word(text, "utf-8")
    return _b64_word(text, charset)


def mailbox_text(rng: random.Random, person: Person) -> str:
    """An address as it appears in From/To/Cc: with or without a (quoted, encoded) name."""
    roll = rng.random()
    if roll < 0.1:
        return person.email
    if roll < 0.13:
        return f"<{person.email}>"
    legacy = PEOPLE[person.lang][2]
    name = person.name
    if person.lang not in FAMILY_FIRST and " " in name and rng.random() < 0.12:
        first, _, last = name.partition(" ")
        name = f"{last}, {first}"
    encoded = encode_text(rng, name, legacy)
    if encoded == name and ("," in name or "'" in name or rng.random() < 0.15):
        encoded = f'"{name}"'
    return f"{encoded} <{person.email}>"


class _Thread(NamedTuple):
    subject: str
    message_id: str
    references: tuple[str, ...]
    people: tuple[int, ...]


@dataclass
class _State:
    rng: random.Random
    people: list[Person]
    weights: list[float]  # cumulative, for a long-tailed choice of correspondents
    lists: list[tuple[str, str, Person]]  # (list name, list id, sender)
    recent: list[_Thread]
    companies: list[str]
    products: list[str]


def _person(state: _State) -> int:
    return bisect.bisect(state.weights, state.rng.random() * state.weights[-1])


def _subject(state: _State, n: int) -> str:
    rng = state.rng
    langs = list(SUBJECT_LANG)
    lang = rng.choices(langs, weights=[SUBJECT_LANG[k] for k in langs])[0]
    template = rng.choice(TOPICS[lang])
    when = time.gmtime(START + n * 311)
    text = template.format(
        n=rng.choice([5, 10, 25, 50, 120, 300]),
        id=rng.choice([f"{rng.randint(1000, 99999)}", f"INV-{rng.randint(10000, 999999)}",
                       f"{rng.choice('ABCDEFGH')}{rng.randint(100, 9999)}-{rng.randint(10, 99)}"]),
        day=rng.choice(DAY_NAMES), dayru=rng.choice(["понедельник", "среду", "пятницу"]),
        product=rng.choice(state.products), company=rng.choice(state.companies),
        name=state.people[_person(state)].name.split(" ")[0],
        name2=state.people[_person(state)].name.split(" ")[0],
        q=rng.randint(1, 4), year=rng.choice([2024, 2025, 2026]),
        date=time.strftime("%d.%m.%Y", when),
    )  # fmt: skip
    if rng.random() < 0.02:
        text = f"{rng.choice(EMOJI)} {text}"
    if rng.random() < 0.05:
        text = text.upper() if text.isascii() else text
    if rng.random() < 0.03:
        text = f"[{rng.choice(['EXT', 'External', 'SPAM?', 'ticket'])}] {text}"
    return text


def _setup(seed: int, correspondents: int) -> _State:
    rng = random.Random(seed)
    domains = _domains(rng, max(200, correspondents // 6))
    crowd = people(rng, correspondents, domains)
    # A long tail: the k-th correspondent is met about 1/(k+10) as often as the first ones.
    weights = list(itertools.accumulate(1 / (k + 10) ** 0.85 for k in range(len(crowd))))
    senders = people(rng, 300, domains)
    lists = []
    for n, sender in enumerate(senders):
        base = sender.email.rpartition("@")[2]
        label = rng.choice(["Newsletter", "Updates", "Announce", "Digest", "Offers", "News"])
        lists.append((f"{rng.choice(WORDS).title()} {label}", f"{label.lower()}{n}.{base}", sender))
    companies = [d.partition(".")[0].replace("-", " ").title() for d in domains[:2000]]
    products = [f"{rng.choice(WORDS).title()}{rng.choice(['', ' Pro', ' Cloud', ' 360', 'X'])}"
                for _ in range(400)]  # fmt: skip
    return _State(rng, crowd, weights, lists, [], companies, products)


def messages(count: int, seed: int = 10, correspondents: int | None = None) -> Iterator[Generated]:
    """``count`` messages, dated in order from 2024-01-01, about one every five minutes."""
    state = _setup(seed, correspondents or max(2000, min(40_000, count // 2)))
    rng = state.rng
    me = Person(*OWNER, "en")
    for n in range(count):
        when = START + n * 300 + rng.random() * 240
        yield _one(state, n, when, me, count)


def _one(state: _State, n: int, when: float, me: Person, count: int) -> Generated:
    rng = state.rng
    listed = rng.random() < 0.2
    picked: list[int] = []
    reply = not listed and state.recent and rng.random() < 0.5  # ~40% of all messages
    if listed:
        name, list_id, sender = rng.choice(state.lists)
        to_people = [me]
        cc_people: list[Person] = []
        subject = _subject(state, n)
        thread: _Thread | None = None
    else:
        thread = rng.choice(state.recent[-2000:]) if reply else None
        picked = [_person(state) for _ in range(rng.randint(1, 3) + rng.randint(0, 5))]
        if thread is not None and rng.random() < 0.7:
            picked[0] = rng.choice(thread.people)
        crowd = [state.people[i] for i in picked]
        outbound = rng.random() < 0.3
        sender = me if outbound else crowd[0]
        rest = crowd if outbound else [me, *crowd[1:]]
        split = rng.randint(1, min(3, len(rest)))
        to_people, cc_people = rest[:split], rest[split : split + 5]
        if thread is not None:
            prefix = rng.choice(FORWARD) if rng.random() < 0.08 else rng.choice(REPLY)
            subject = (
                thread.subject
                if thread.subject.startswith(tuple(REPLY))
                else prefix + thread.subject
            )
        else:
            subject = _subject(state, n)
    mid = message_id(rng, n, sender.email)
    legacy = PEOPLE[sender.lang][2]
    lines = [f"From: {mailbox_text(rng, sender)}"]
    lines.append("To: " + ",\r\n ".join(mailbox_text(rng, p) for p in to_people))
    if cc_people:
        lines.append("Cc: " + ", ".join(mailbox_text(rng, p) for p in cc_people))
    lines.append(f"Subject: {encode_text(rng, subject, legacy)}")
    lines += [f"Date: {date_text(rng, when)}", f"Message-ID: {mid}"]
    refs: tuple[str, ...] = ()
    if thread is not None:
        refs = (*thread.references, thread.message_id)[-12:]
        roll = rng.random()
        if roll < 0.85:
            lines.append(f"In-Reply-To: {thread.message_id}")
        if roll > 0.1:
            lines.append("References: " + "\r\n ".join(refs))
    if listed:
        lines += _list_fields(rng, name, list_id)
    if rng.random() < 0.5:
        rng.shuffle(lines)  # mailers order fields their own way
    fields = others(rng) + lines
    raw = "\r\n".join(fields) + "\r\n\r\n" + body(rng)
    if not listed:
        who = thread.people if thread is not None else tuple(picked)
        state.recent.append(_Thread(subject, mid, refs, who))
        if len(state.recent) > 4000:
            del state.recent[:2000]
    return Generated(raw.encode("utf-8"), when, flags_of(rng, n, count))


def _list_fields(rng: random.Random, name: str, list_id: str) -> list[str]:
    """A newsletter's or mailing list's fields."""
    fields = [
        f"List-Id: {name} <{list_id}>",
        f"List-Unsubscribe: <mailto:unsubscribe-{rng.getrandbits(32):x}@{list_id}>,"
        f"\r\n <https://{list_id}/u?id={rng.getrandbits(64):x}>",
    ]
    if rng.random() < 0.5:
        fields.append(f"Precedence: {rng.choice(['bulk', 'list'])}")
    if rng.random() < 0.15:
        fields.append("Auto-Submitted: auto-generated")
    return fields


_INFO = {"\\Seen": "S", "\\Answered": "R", "\\Flagged": "F", "\\Draft": "D"}


def maildir_info(flags: Iterable[str]) -> str:
    return "2," + "".join(sorted(_INFO[f] for f in flags if f in _INFO))


def write_maildir(root: Path, generated: Iterable[Generated], start: int = 1) -> int:
    """Write messages into ``root/cur`` (``root/new`` and ``tmp`` made too); returns the count."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    count = 0
    for count, g in enumerate(generated, start=start):
        path = (
            root
            / "cur"
            / f"{int(g.date)}.M{count}P{os.getpid()}.bench,S={len(g.raw)}:{maildir_info(g.flags)}"
        )
        path.write_bytes(g.raw)
        os.utime(path, (g.date, g.date))
    return count - start + 1 if count else 0


def mbox_entry(g: Generated) -> bytes:
    """One message as an mbox entry: its From_ line, a Status line, ``>From`` quoting."""
    stamp = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(g.date))
    status = ("R" if "\\Seen" in g.flags else "") + "O"
    head, _, body = g.raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    body = body.replace(b"\nFrom ", b"\n>From ")
    return b"From MAILER-DAEMON %s\n%s\nStatus: %s\n\n%s\n" % (
        stamp.encode(),
        head,
        status.encode(),
        body if body.endswith(b"\n") else body + b"\n",
    )


def write_mbox(path: Path, generated: Iterable[Generated]) -> int:
    count = 0
    with path.open("wb") as out:
        for g in generated:
            out.write(mbox_entry(g))
            count += 1
    return count


if __name__ == "__main__":  # a quick look: python bench/mailgen.py [count]
    import sys

    for g in messages(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        head = g.raw.split(b"\r\n\r\n", 1)[0]
        print(head.decode("utf-8", "replace"), end="\n\n")
