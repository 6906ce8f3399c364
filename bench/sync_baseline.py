"""Header-sync baseline: a bare socket FETCH against ImapSource.fetch_headers on 100k messages.

Run by hand: ``.venv/bin/python bench/sync_baseline.py [--count 100000] [--security none|ssl]``.
The mailbox is generated once (maildir files written directly, far faster than APPENDs) and
cached under ``$MAILSCOPE_BENCH_DIR`` (default: the temp folder's ``mailscope-bench``), with
Dovecot's index, so later runs start at once.

Importable by ``bench/sync_bench.py``: :func:`bench_server`, :func:`baseline_fetch`,
:func:`bare_socket_fetch`, :func:`fill_mailbox`, :func:`generate_messages`,
:func:`fetch_headers_seconds`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import shutil
import socket
import ssl
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.mail.imap import ImapSource
from core.mail.imap_parse import HEADER_FIELDS
from core.mail.source import Security
from tests.helpers.dovecot import Dovecot, MailUser, imap_settings

BENCH_USER = "bench"
BENCH_PASSWORD = "bench-password"
START = 1_735_689_600.0  # 2025-01-01T00:00:00Z
FIRST = ["Alice", "Bruno", "Chloé", "Dmitri", "Emma", "Farid", "Greta", "Hiro", "Inès", "Jonas"]
LAST = ["Martin", "Schmidt", "Rossi", "Dubois", "Nakamura", "Okafor", "Novak", "Silva", "Berg"]
TOPICS = ["renewal", "pricing", "demo next week", "contract draft", "onboarding", "invoice",
          "security questionnaire", "Q3 roadmap", "pilot results", "intro call"]  # fmt: skip


def bench_dir() -> Path:
    return Path(
        os.environ.get("MAILSCOPE_BENCH_DIR", Path(tempfile.gettempdir()) / "mailscope-bench")
    )


def _people(rng: random.Random, count: int) -> list[str]:
    people = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = f"client{n % 90}.example.com" if n % 4 else "acme.example"
        people.append(f"{first} {last} <{first.lower()}.{last.lower()}{n}@{domain}>")
    return people


def generate_messages(count: int, seed: int = 42) -> Iterator[tuple[bytes, float]]:
    """(raw message, date) pairs: threads of replies, 1-5 recipients, a few mailing lists."""
    rng = random.Random(seed)
    people = _people(rng, 400)
    owner = "Sam Rep <sam@acme.example>"
    threads: list[tuple[str, str, list[str]]] = []  # subject, root id, references
    for n in range(count):
        date = START + n * 300 + rng.random() * 200
        msgid = f"<{n}.{rng.getrandbits(40):x}@mail.example.com>"
        if threads and rng.random() < 0.55:
            subject, _, refs = threads[rng.randrange(max(0, len(threads) - 200), len(threads))]
            subject = subject if subject.startswith("Re: ") else "Re: " + subject
        else:
            subject, refs = f"{rng.choice(TOPICS).capitalize()} #{n}", []
        sender = owner if rng.random() < 0.3 else rng.choice(people)
        recipients = rng.sample(people, rng.randint(1, 5))
        to, cc = recipients[:2], recipients[2:]
        lines = [f"From: {sender}", f"To: {', '.join([owner, *to] if sender != owner else to)}"]
        if cc:
            lines.append(f"Cc: {', '.join(cc)}")
        lines += [
            f"Subject: {subject}",
            f"Date: {format_datetime(_utc(date))}",
            f"Message-ID: {msgid}",
        ]
        if refs:
            lines += [f"In-Reply-To: {refs[-1]}", "References: " + "\r\n ".join(refs[-8:])]
        if n % 17 == 0:
            lines += ["List-Id: <news.vendor.example>", "Precedence: bulk"]
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
        body = f"Hello,\r\n\r\nabout {subject.lower()}: see below.\r\n\r\n-- \r\n{sender}\r\n"
        threads.append((subject, msgid, [*refs, msgid]))
        yield ("\r\n".join(lines) + "\r\n\r\n" + body).encode(), date


def _utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


@contextlib.contextmanager
def bench_server(count: int = 100_000) -> Iterator[tuple[Dovecot, MailUser]]:
    """A Dovecot over a cached generated mailbox of ``count`` messages in INBOX."""
    base = bench_dir() / f"dovecot-{count}"
    base.mkdir(parents=True, exist_ok=True)
    server = Dovecot(base)
    done = base / "generated"
    if not done.exists():
        shutil.rmtree(server.mail_root, ignore_errors=True)  # a half-generated mailbox
        server.mail_root.mkdir(parents=True)
    server.start()
    try:
        user = server.new_user(BENCH_USER, BENCH_PASSWORD)
        if not done.exists():
            started = time.perf_counter()
            server.write_maildir(user, "INBOX", generate_messages(count))
            with server.admin(user) as admin:  # let Dovecot index it once, outside timings
                assert len(admin.uids("INBOX")) == count
            done.write_text(f"{count} messages in {time.perf_counter() - started:.1f} s\n")
        yield server, user
    finally:
        server.stop()


def fill_mailbox(server: Dovecot, user: MailUser, count: int) -> None:
    """Write ``count`` generated messages into ``user``'s INBOX (before it is first opened)."""
    server.write_maildir(user, "INBOX", generate_messages(count))


def bare_socket_fetch(user: MailUser, security: Security = Security.SSL) -> float:
    """Seconds of :func:`baseline_fetch` (implicit TLS by default, like a real account)."""
    return baseline_fetch(user, security)[0]


def baseline_fetch(user: MailUser, security: Security = Security.NONE) -> tuple[float, int]:
    """Seconds and bytes for a bare socket to log in and read one header FETCH, unparsed."""
    started = time.perf_counter()
    port = user.ssl_port if security is Security.SSL else user.port
    sock: socket.socket = socket.create_connection((user.host, port), timeout=60)
    if security is Security.SSL:
        context = ssl.create_default_context(cafile=str(user.ca_file))
        sock = context.wrap_socket(sock, server_hostname="localhost")
    with sock:
        _read_until(sock, b"\r\n")
        sock.sendall(b"L1 LOGIN %s %s\r\n" % (user.user.encode(), user.password.encode()))
        _read_until(sock, b"L1 OK")
        sock.sendall(b"S1 EXAMINE INBOX\r\n")
        _read_until(sock, b"S1 OK")
        sock.sendall(
            b"F1 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ("
            + HEADER_FIELDS
            + b")])\r\n"
        )
        size = _read_until(sock, b"\r\nF1 OK")
    return time.perf_counter() - started, size


def _read_until(sock: socket.socket, marker: bytes) -> int:
    total, tail = 0, b""
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        total += len(chunk)
        tail = (tail + chunk)[-4096:]
        if marker in tail and tail.endswith(b"\r\n"):
            return total


def fetch_headers_seconds(user: MailUser, security: Security = Security.NONE) -> tuple[float, int]:
    """Seconds for ImapSource to log in, list UIDs and fetch+parse every header; and the count."""
    seconds, _, count = _fetch_headers_timed(user, security)
    return seconds, count


def _fetch_headers_timed(user: MailUser, security: Security) -> tuple[float, float, int]:
    started, cpu = time.perf_counter(), time.process_time()
    with ImapSource(imap_settings(user, security, timeout=120), user.password) as source:
        uids = source.uids("INBOX")
        count = sum(1 for _ in source.fetch_headers("INBOX", uids))
    return time.perf_counter() - started, time.process_time() - cpu, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--security", choices=[s.value for s in Security], default="none")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    security = Security(args.security)
    with bench_server(args.count) as (_, user):
        base = [baseline_fetch(user, security) for _ in range(args.repeat)]
        timed = [_fetch_headers_timed(user, security) for _ in range(args.repeat)]
    ours = [(t, n) for t, _, n in timed]
    base_s = statistics.median(t for t, _ in base)
    ours_s = statistics.median(t for t, _ in ours)
    cpu_s = statistics.median(c for _, c, _ in timed)
    print(f"messages: {ours[0][1]}  ({base[0][1] / 1e6:.1f} MB of FETCH response)")
    print(f"baseline (bare socket, {security}): {base_s:.2f} s  (runs: {_list(base)})")
    print(f"ImapSource.fetch_headers:        {ours_s:.2f} s  (runs: {_list(ours)})")
    print(f"  of which client CPU (read+parse): {cpu_s:.2f} s")
    print(f"ratio: {ours_s / base_s:.2f}x the baseline")
    return 0


def _list(runs: list[tuple[float, int]]) -> str:
    return ", ".join(f"{t:.2f}" for t, _ in runs)


if __name__ == "__main__":
    raise SystemExit(main())
