"""The fields of a bench message that are not its people or subject: date, Message-ID, the
header fields the rules never read (Received, DKIM-Signature, MIME), body and flags."""

from __future__ import annotations

import base64
import random
import time

from bench.mailgen_data import DAYS, LOREM, MAILERS, MONTHS, WORDS, ZONE_NAMES, ZONES

OWNER_ADDRESS = "sam.rivera@globex.example"


def date_text(rng: random.Random, when: float) -> str:
    zone = rng.choice(ZONES)
    east = (int(zone[1:3]) * 3600 + int(zone[3:]) * 60) * (1 if zone[0] == "+" else -1)
    t = time.gmtime(when + east)
    day = f"{t.tm_mday}" if rng.random() < 0.5 else f"{t.tm_mday:02d}"
    clock = f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    text = f"{day} {MONTHS[t.tm_mon - 1]} {t.tm_year} {clock} {zone}"
    if rng.random() < 0.9:
        text = f"{DAYS[t.tm_wday]}, {text}"
    if zone in ZONE_NAMES and rng.random() < 0.3:
        text += f" ({ZONE_NAMES[zone]})"
    return text


def message_id(rng: random.Random, n: int, sender_email: str) -> str:
    domain = sender_email.rpartition("@")[2]
    roll = rng.random()
    if roll < 0.3:
        token = base64.urlsafe_b64encode(rng.randbytes(27)).decode().rstrip("=")
        return f"<CA+{token}@mail.gmail.com>"
    if roll < 0.55:
        host = rng.choice(["PH0PR11MB", "DM6PR04MB", "AM9PR07MB", "SN6PR12MB"])
        token = f"{host}{rng.randint(1000, 9999)}{rng.getrandbits(48):012X}"
        return f"<{token}@{host}.namprd.prod.outlook.com>"
    if roll < 0.8:
        return f"<{rng.getrandbits(64):x}.{n}.{rng.getrandbits(20)}@{domain}>"
    return f"<{rng.getrandbits(128):032x}@{domain}>"


def others(rng: random.Random) -> list[str]:
    """The fields of a real header block that the rules never read."""
    hops = [
        f"Received: from mx{rng.randint(1, 9)}.{rng.choice(WORDS)}.net"
        f" (mx{rng.randint(1, 9)}.{rng.choice(WORDS)}.net"
        f" [{rng.randint(1, 223)}.{rng.randint(0, 255)}"
        f".{rng.randint(0, 255)}.{rng.randint(1, 254)}])\r\n\tby mail.globex.example (Postfix)"
        f" with ESMTPS id {rng.getrandbits(40):X}\r\n\tfor <{OWNER_ADDRESS}>;"
        f" {DAYS[rng.randrange(7)]}, {rng.randint(1, 28)} {rng.choice(MONTHS)} 2025"
        f" {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} +0000 (UTC)"
        for _ in range(rng.randint(1, 3))
    ]
    signature = base64.b64encode(rng.randbytes(rng.choice([96, 192]))).decode()
    folded = "\r\n\t ".join(signature[i : i + 70] for i in range(0, len(signature), 70))
    fields = [
        f"Return-Path: <bounce-{rng.getrandbits(32):x}@{rng.choice(WORDS)}.example>",
        *hops,
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={rng.choice(WORDS)}.com;"
        f" s=selector{rng.randint(1, 2)};\r\n\th=from:to:subject:date:message-id;"
        f" bh={base64.b64encode(rng.randbytes(32)).decode()};\r\n\tb={folded}",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
    ]
    if rng.random() < 0.6:
        fields.append(f"X-Mailer: {rng.choice(MAILERS)}")
    return fields


def body(rng: random.Random) -> str:
    size = min(int(rng.lognormvariate(6.2, 1.1)), 60_000)  # median ~80 words, long tail
    words = [rng.choice(LOREM) for _ in range(max(5, size // 6))]
    lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    return "Hello,\r\n\r\n" + "\r\n".join(lines) + "\r\n\r\n-- \r\nSent from my desk\r\n"


def flags_of(rng: random.Random, n: int, count: int) -> tuple[str, ...]:
    flags = []
    if n < count - 40 or rng.random() < 0.3:  # the newest are mostly unread
        flags.append("\\Seen")
    if rng.random() < 0.2:
        flags.append("\\Answered")
    if rng.random() < 0.03:
        flags.append("\\Flagged")
    return tuple(flags)
