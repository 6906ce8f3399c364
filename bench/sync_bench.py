"""Benchmark of the header sync into the cache (issue 3), against Dovecot on loopback.

Run by hand: ``.venv/bin/python bench/sync_bench.py [--messages 100000] [--profile]``.
Reports, in one run: the bare-socket baseline (one ``UID FETCH 1:*`` read without parsing),
the full first sync with verdicts (target <= 6x the baseline), a resync with nothing changed
(target < 0.3 s), 1,000 new messages on the synced mailbox (target < 0.5 s plus their fetch),
and the cache's bytes per message (target < 2 KB).

The mailbox generator and the baseline come from ``bench/sync_baseline.py`` (the transport's
benchmark); ``generate`` here makes the 1,000 new messages (their own Message-IDs).
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import functools
import pstats
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import sync_baseline  # noqa: E402
from core.mail import sync  # noqa: E402
from core.mail.imap import ImapSource  # noqa: E402
from core.store import db, queries  # noqa: E402
from core.store.accounts import AccountKind, insert_account  # noqa: E402
from core.store.directory import import_directory, parse_directory  # noqa: E402
from core.store.queries import PageQuery, Show, Sort  # noqa: E402
from tests.helpers.dovecot import Admin, MailUser, imap_settings, running  # noqa: E402

FIRST = ["Lea", "Raj", "Mia", "Tom", "Ola", "Ben", "Ana", "Sam", "Eva", "Kai", "Zoé", "Jürgen"]
LAST = ["Martin", "Patel", "Rossi", "Berg", "Nowak", "Silva", "Okafor", "Dubois", "Müller"]
TOPICS = ["Quote", "Renewal", "Invoice", "Meeting", "Pilot", "Contract", "Pricing", "Demo"]


def _people(rng: random.Random) -> list[str]:
    people = []
    for n in range(400):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = f"company{n % 40}.example"
        address = f"{first.lower()}.{last.lower()}{n}@{domain}".replace("ü", "u").replace("é", "e")
        name = first + " " + last
        if not name.isascii():
            name = "=?utf-8?b?" + base64.b64encode(name.encode()).decode() + "?="
        people.append(f"{name} <{address}>")
    return people


def generate(count: int, seed: int = 3) -> Iterator[tuple[bytes, float]]:
    """``count`` realistic messages (threads, 1-5 recipients) with their dates."""
    rng = random.Random(seed)
    people = _people(rng)
    me = "Mia Rossi <mia@globex.example>"
    start = 1_700_000_000.0
    recent: list[tuple[str, str]] = []
    for n in range(count):
        date = start + n * 60
        sender = me if n % 3 == 0 else rng.choice(people)
        to = rng.sample(people, rng.randint(1, 4)) + ([me] if sender != me else [])
        lines = [f"From: {sender}", f"To: {', '.join(to)}"]
        if rng.random() < 0.3:
            lines.append(f"Cc: {rng.choice(people)}")
        mid = f"<{n}.{rng.getrandbits(40):x}@mail{n % 7}.example>"
        if recent and rng.random() < 0.5:
            parent, subject = rng.choice(recent)
            lines += [f"Subject: Re: {subject}", f"In-Reply-To: {parent}", f"References: {parent}"]
        else:
            subject = f"{rng.choice(TOPICS)} for {rng.choice(LAST)} #{n}"
            lines.append(f"Subject: {subject}")
        recent = [*recent, (mid, subject)][-200:]
        stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(date))
        lines += [f"Date: {stamp}", f"Message-ID: {mid}"]
        body = "\r\n".join(lines) + "\r\n\r\nHello,\r\nsee attached.\r\n"
        yield body.encode(), date


def baseline(user: MailUser) -> float:
    """Seconds for a bare TLS socket to log in and read one bulk header FETCH, unparsed."""
    return float(sync_baseline.bare_socket_fetch(user))


def _timed(label: str, action: Callable[[], object], profile: bool) -> float:
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    action()
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s", flush=True)
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return seconds


DIRECTORY = {
    "account": {"logging_rule": "all", "never_log": ["company3.example"]},
    "users": [{"id": "u-mia", "email": "mia@globex.example", "name": "Mia Rossi"}],
    "contacts": [
        {"id": f"c{n}", "email": f"x{n}@company{n % 40}.example", "owner": "u-mia"}
        for n in range(200)
    ],
    "mailbox_owner": "u-mia",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the first sync")
    args = parser.parse_args()
    with running() as server, tempfile.TemporaryDirectory(prefix="ms-bench-") as tmp:
        user = server.new_user()
        started = time.perf_counter()
        sync_baseline.fill_mailbox(server, user, args.messages)
        print(f"mailbox: {args.messages} messages written in {time.perf_counter() - started:.1f} s")
        baseline(user)  # once to warm Dovecot's index and the page cache
        base = min(baseline(user) for _ in range(3))
        print(f"baseline (bare socket UID FETCH 1:*): {base:.2f} s", flush=True)
        path = Path(tmp) / "cache.sqlite"
        conn = db.connect(path)
        account = insert_account(conn, "bench", AccountKind.IMAP, host="localhost",
                                 user=user.user)  # fmt: skip
        import_directory(conn, account.id, parse_directory(DIRECTORY))

        def open_source() -> ImapSource:
            return ImapSource(imap_settings(user, timeout=120), user.password)

        def run() -> sync.SyncSummary:
            return sync.sync_account(conn, account, open_source)

        first = _timed("first sync with verdicts", run, args.profile)
        print(f"  = {first / base:.1f}x the baseline (target <= 6x)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory of this process so far: {peak:.0f} MB")
        again = min(_timed("resync, nothing changed", run, False) for _ in range(3))
        print(f"  target < 0.3 s: {'ok' if again < 0.3 else 'MISSED'}")
        with Admin(user) as admin:
            for raw, _ in generate(1000, seed=99):
                admin.append("INBOX", raw.replace(b"@mail", b"@new-mail"))
        fetch_only = _fetch_seconds(open_source, args.messages)
        new = _timed("1,000 new messages on the synced mailbox", run, args.profile)
        print(f"  their fetch alone: {fetch_only:.2f} s; sync minus fetch: {new - fetch_only:.2f} s"
              " (target < 0.5 s)")  # fmt: skip
        _queries(conn, account.id)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        size = sum(p.stat().st_size for p in Path(tmp).glob("cache.sqlite*"))
        print(f"cache: {size / count:.0f} bytes per message over {count} (target < 2048)")


def _queries(conn: sqlite3.Connection, account_id: int) -> None:
    """The app's reads on the synced cache (best of 3 each)."""
    inbox = conn.execute(
        "SELECT id FROM folders WHERE account_id = ? AND name = 'INBOX'", (account_id,)
    ).fetchone()[0]
    q = functools.partial(PageQuery, folder_id=inbox)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("first page by date", lambda: queries.page(conn, q())),
        ("page 400 by date", lambda: queries.page(conn, q(offset=80_000))),
        ("needs action page", lambda: queries.page(conn, q(show=Show.NEEDS_ACTION))),
        ("folder counts", lambda: queries.folder_counts(conn, account_id)),
        ("sorted by sender", lambda: queries.page(conn, q(sort=Sort.FROM))),
        ("search 'rossi'", lambda: queries.page(conn, q(search="rossi"))),
        ("counts per folder", lambda: queries.folder_counts(conn, account_id)),
        ("one full record", lambda: queries.message_record(conn, 50_000)),
    ]  # fmt: skip
    for label, action in cases:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            action()
            best = min(best, time.perf_counter() - started)
        print(f"  query {label}: {best * 1000:.1f} ms")


def _fetch_seconds(open_source: Callable[[], ImapSource], after: int) -> float:
    """Seconds to fetch the new messages' headers alone (no parsing, no cache).

    That is what any client does for them once logged in: open the folder (EXAMINE, which
    on Dovecot's Maildir costs ~0.2 s on 100k messages: it lists the folder's files) and
    fetch the new UIDs. Before, the EXAMINE was left out of this and counted as the sync's.
    """
    source = open_source()
    try:
        inbox = next(f for f in source.folders() if f.name == "INBOX")
        started = time.perf_counter()
        status = source.status(inbox)
        for _ in source.fetch_headers(inbox, list(range(after + 1, status.uidnext))):
            pass
        return time.perf_counter() - started
    finally:
        source.close()


if __name__ == "__main__":
    main()
