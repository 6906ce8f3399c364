"""Generate the demo workspace: ``Maildir/`` (Maildir++) and ``directory.json``.

Deterministic: a seeded generator and fixed dates, no clock, so re-running it reproduces the
committed files byte for byte (``tests/resources/test_demo.py`` checks this).

Usage: ``python -m resources.demo.make_demo [OUT_DIR]`` (default: this folder).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from resources.demo import cast, routine, specimens, stories
from resources.demo.letters import END, Desk, Letter
from resources.demo.render import file_name, render

SEED = 20260727
HERE = Path(__file__).resolve().parent
# Maildir++: the inbox at the root, other folders as dot-folders (role by name, see README).
FOLDERS = {"inbox": "", "sent": ".Sent", "drafts": ".Drafts", "archive": ".Archive"}
# Git keeps no empty folder; these placeholders keep new/ and tmp/ (readers skip dot-files).
KEEP = ".gitkeep"


def compose(seed: int = SEED) -> tuple[list[Letter], list[dict[str, Any]]]:
    """Every demo letter in writing order, and the entries the sales extension logged."""
    rng = random.Random(seed)
    desk = Desk(rng)
    logged: list[dict[str, Any]] = []
    stories.prospects(desk, logged)
    stories.never_log(desk)
    stories.access_and_internal(desk)
    stories.attributions(desk)
    specimens.rich_and_malformed(desk)
    specimens.archive(desk)
    routine.newsletters(desk, rng)
    routine.notices(desk, rng)
    routine.team_mail(desk, rng)
    routine.customer_threads(desk, rng, count=54)
    specimens.drafts(desk)
    logged += _tracked_with_the_extension(desk.letters)
    _mark_unread(desk.letters)
    return desk.letters, logged


def _tracked_with_the_extension(letters: list[Letter]) -> list[dict[str, Any]]:
    """A few customer threads Mia started with the sales extension (logged before the sync)."""
    answered = {letter.in_reply_to for letter in letters if letter.in_reply_to}
    openers = [
        letter
        for letter in letters
        if letter.folder == "sent"
        and not letter.key
        and not letter.in_reply_to
        and letter.message_id in answered
    ]
    ids = {person.email: f"c-{person.key}" for person in cast.CONTACTS.values()}
    return [
        {
            "message_id": letter.message_id,
            "subject": letter.subject,
            "contacts": sorted(
                ids[p.email] for p in letter.to if isinstance(p, cast.Person) and p.email in ids
            ),
        }
        for letter in openers[::5][:4]
    ]


def _mark_unread(letters: list[Letter]) -> None:
    """The last day and a half of inbox mail is still unread (no S flag), like a real inbox."""
    for letter in letters:
        if letter.folder == "inbox" and letter.when > END - timedelta(hours=36):
            letter.flags = letter.flags.replace("S", "")


def write(out: Path, seed: int = SEED) -> int:
    """(Re)write ``out/Maildir`` and ``out/directory.json``; returns the number of messages."""
    letters, logged = compose(seed)
    root = out / "Maildir"
    if root.exists():
        shutil.rmtree(root)
    for folder in FOLDERS.values():
        base = root / folder if folder else root
        for sub in ("cur", "new", "tmp"):
            (base / sub).mkdir(parents=True)
        for sub in ("new", "tmp"):
            (base / sub / KEEP).write_bytes(b"")
        if folder:
            (base / "maildirfolder").write_bytes(b"")  # Maildir++ marks subfolders so
    order = sorted(range(len(letters)), key=lambda i: (letters[i].when, i))
    for seq, i in enumerate(order):
        letter = letters[i]
        folder = FOLDERS[letter.folder]
        path = (root / folder if folder else root) / "cur" / file_name(letter, seq)
        path.write_bytes(render(letter))
    doc = cast.directory()
    doc["logged"] = logged
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    (out / "directory.json").write_text(text, encoding="utf-8")
    return len(letters)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else HERE
    count = write(out)
    print(f"wrote {count} messages to {out / 'Maildir'} and {out / 'directory.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
