"""CRM commands on a real portal's directory: 100,000 contacts, a 20,000-message mailbox.

Run by hand: ``.venv/bin/python bench/crm_bench.py [--contacts 100000] [--messages 20000]
[--code DIR]``. It builds a workspace in a temporary folder (a Maildir of the owner's mail
with contacts of many companies, names in several scripts), then times each CRM command as
the whole ``mailscope`` process a rep runs (wall time and peak resident memory): the
directory import (JSON), the contacts import (a HubSpot CSV export of every contact), a
small CSV import, ``settings show``/``set``, ``never-log add``, ``policy export``/``import``,
``log --queue-only``, ``outbox list`` and ``activity --csv``. Target (issue #11): every
command that does not import the whole directory under 1 s. ``--code`` runs another
checkout's code (a baseline) on the same data.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Léa", "Tomás", "Ola", "Dorota", "Ben", "Ana", "Luc", "Eva", "Maxime", "Inès", "Omar",
         "Yuki", "Søren", "Zoë", "Björn", "Chloé", "Иван", "Мария", "王", "李", "佐藤", "محمد",
         "Αλέξης", "Nguyễn", "Priya", "Kwame", "Aroha", "Mateo", "Fatima", "Jürgen"]  # fmt: skip
LAST = ["Martin", "Schmidt", "Rossi", "Dubois", "Okafor", "Novak", "Silva", "Tanaka", "Berg",
        "Kowalski", "O'Brien", "García", "Müller", "Petrov", "Смирнов", "伟", "娜", "健",
        "حداد", "Παπαδόπουλος", "Văn", "Sharma", "Mensah", "Ngata", "Øster"]  # fmt: skip
SUBJECTS = ["Your quote", "Renewal 2026", "Invoice 2291", "Meeting next week", "Pricing",
            "Contrat de service", "Angebot", "Onboarding", "Support ticket #88", "Demo follow-up",
            "Proposal v2", "お見積もり", "Счёт", "Re: lunch?"]  # fmt: skip
OWNER = "mia@globex.example"


def people(count: int, rnd: random.Random) -> list[dict[str, Any]]:
    """``count`` contacts at about count/20 companies, HubSpot-like ids and owners."""
    companies = [f"company{n}-{rnd.choice(LAST).lower()}.example" for n in range(count // 20 + 1)]
    found = []
    for n in range(count):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        domain = companies[n % len(companies)]
        found.append({
            "id": str(100_000 + n * 7),
            "name": f"{first} {last}",
            "email": f"contact{n}@{domain}",
            "owner": f"u{n % 20}" if n % 3 else None,
        })  # fmt: skip
    return found


def directory(contacts: list[dict[str, Any]]) -> dict[str, Any]:
    users = [{"id": "u0", "name": "Mia Rossi", "email": OWNER, "connected": [OWNER],
              "account_access": True, "personal_email_access": True}]  # fmt: skip
    users += [{"id": f"u{i}", "name": f"User {i}", "email": f"user{i}@globex.example"}
              for i in range(1, 20)]  # fmt: skip
    return {
        "account": {"logging_rule": "replies_only", "never_log": ["initech.example"],
                    "bcc_address": "24681357@bcc.hubspot.example"},
        "users": users,
        "contacts": [{k: v for k, v in c.items() if v is not None} for c in contacts],
        "mailbox_owner": "u0",
    }  # fmt: skip


def write_csv(path: Path, contacts: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Record ID", "First Name", "Last Name", "Email", "Contact owner"])
        for c in contacts:
            first, _, last = c["name"].partition(" ")
            out.writerow([c["id"], first, last, c["email"], f"User {c['owner'][1:]}"
                          if c["owner"] and c["owner"] != "u0" else ""])  # fmt: skip


def maildir(path: Path, messages: int, contacts: list[dict[str, Any]], rnd: random.Random) -> str:
    """The owner's mail with the contacts (and strangers); returns a Message-ID to log."""
    for sub in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    (path / ".Sent" / "maildirfolder").touch()
    first_id = ""
    for n in range(messages):
        c = (
            rnd.choice(contacts)
            if n % 5
            else {"name": "A Stranger", "email": f"s{n}@gmail.example"}
        )
        sent = n % 3 == 0
        sender, to = (f"Mia Rossi <{OWNER}>", f"{c['name']} <{c['email']}>")
        if not sent:
            sender, to = to, sender
        mid = f"<m{n}.{rnd.getrandbits(32):x}@bench.example>"
        first_id = first_id or mid
        body = (f"From: {sender}\r\nTo: {to}\r\nSubject: {rnd.choice(SUBJECTS)}\r\n"
                f"Date: Mon, {1 + n % 28:02d} Sep 2025 {n % 24:02d}:{n % 60:02d}:00 +0000\r\n"
                f"Message-ID: {mid}\r\n\r\nHello.\r\n")  # fmt: skip
        folder = path / ".Sent" / "cur" if sent else path / "cur"
        (folder / f"{1_700_000_000 + n}.M{n}P1.bench:2,S").write_text(body, encoding="utf-8")
    return first_id


# The command line, then its own peak resident memory (VmHWM) as the last line of stderr:
# wait4's maximum would count this bench's memory at fork (it survives exec).
CLI = """import sys
from core.cli import main
code = main()
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(int(peak) / 1024, file=sys.stderr)
sys.exit(code)"""


class Runner:
    def __init__(self, home: Path, code: Path) -> None:
        self.env = {**os.environ, "MAILSCOPE_HOME": str(home), "PYTHONPATH": str(code),
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # fmt: skip
        self.code = code

    def __call__(self, label: str, *args: str, repeat: int = 1) -> None:
        """Run a command ``repeat`` times (a read-only one): its best time, peak memory."""
        runs = [self.once(*args) for _ in range(repeat)]
        seconds, rss, code, line = min(runs)
        note = f" (best of {repeat})" if repeat > 1 else ""
        print(f"{label + note:<42} {seconds:6.2f} s {rss:5.0f} MB  exit {code}  {line}")

    def once(self, *args: str) -> tuple[float, float, int, str]:
        command = [sys.executable, "-c", CLI]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            proc = subprocess.Popen([*command, *args], stdout=out, stderr=err, env=self.env,
                                    cwd=self.code)  # fmt: skip
            code = proc.wait()
            seconds = time.perf_counter() - started
            err.seek(0)
            out.seek(0)
            errors = err.read().decode(errors="replace").strip().splitlines()
            peak = float(errors.pop()) if errors and errors[-1][:1].isdigit() else 0.0
            text = errors or out.read().decode(errors="replace").strip().splitlines()
        line = text[-1][:70] if text else ""
        return seconds, peak, code, line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; code {args.code}")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        contacts = people(args.contacts, rnd)
        (base / "dir.json").write_text(json.dumps(directory(contacts), ensure_ascii=False))
        write_csv(base / "all.csv", contacts)
        write_csv(base / "small.csv", people(10, random.Random(5)))
        (base / "policy.json").write_text(json.dumps({
            "mailscope_policy": 1, **{k: v for k, v in directory([]).items() if k in
                                      ("account", "users")}}))  # fmt: skip
        mid = maildir(base / "Maildir", args.messages, contacts, rnd)
        size = (base / "dir.json").stat().st_size / 1e6
        print(f"{args.contacts} contacts ({size:.0f} MB JSON), {args.messages} messages")
        run = Runner(base / "home", args.code)
        run("account add (maildir)", "account", "add", "bench", "--maildir", str(base / "Maildir"))
        run("sync", "sync", "bench")
        run("directory import (JSON, all)", "directory", "import", str(base / "dir.json"),
            "--account", "bench")  # fmt: skip
        run("contacts import (CSV, all)", "contacts", "import", str(base / "all.csv"),
            "--account", "bench")  # fmt: skip
        run("account list (start-up alone)", "account", "list", repeat=3)
        read_only = [
            ("settings show", "settings", "show"),
            ("policy export", "policy", "export", str(base / "out.json")),
            ("outbox list", "outbox", "list"),
            ("activity --csv", "activity", "--from", "2025-01-01", "--to", "2025-12-31", "--csv"),
        ]
        for label, *argv in read_only:
            run(label, *argv, "--account", "bench", repeat=3)
        changes = [
            ("contacts import (CSV, 10 rows)", "contacts", "import", str(base / "small.csv")),
            ("settings never-log add (a domain)", "settings", "never-log", "add", "spam.example"),
            ("log --queue-only", "log", mid, "--queue-only"),
            ("settings set --rule all (all mail)", "settings", "set", "--rule", "all"),
            ("policy import (back to replies only)", "policy", "import", str(base / "policy.json")),
        ]
        for label, *argv in changes:
            run(label, *argv, "--account", "bench")


if __name__ == "__main__":
    main()
