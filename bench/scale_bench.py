"""Scaling benchmark of the sync (issue 10): four sources at three sizes, this code and another.

    .venv/bin/python bench/scale_bench.py [--sizes 10000,30000,100000]
        [--sources condstore,plain,maildir,mbox] [--base /path/to/other/checkout]

Sources: Dovecot with CONDSTORE/QRESYNC, the same Dovecot advertising neither (its
``imap_capability``, as Microsoft 365 and many hosted servers), a local Maildir and an mbox
file, each holding the realistic mailbox of ``bench/mailgen.py``. For each source and size it
measures the first sync, an unchanged resync, a resync after 4 flag changes, after 1 expunge,
and after 1,000 new messages; each one in a fresh process (as ``mailscope sync`` runs), timing
the library call ``sync_account`` there. With ``--base`` the checkout there (e.g. main in a
``git worktree``, with its own ``.venv``) syncs the same mailbox into its own cache back to
back with this one, step by step, so both meet the same changes on the same machine load.

Budgets: first sync per message at 100k <= 1.3x its cost at 10k; a resync after a few changes
< 1 s at 100k on every source. Mailboxes live under ``--out`` (default ``bench/out/scale``,
git-ignored), the generated masters are kept and hard-linked into each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import mailgen  # noqa: E402

SOURCES = ("condstore", "plain", "maildir", "mbox")
STEPS = ("first sync", "unchanged", "4 flag changes", "1 expunge", "1,000 new")
NEW_SEED = 77


# -- the child: one sync with the code under test ----------------------------------------------
CHILD = r"""
import json, os, sys, time
spec = json.loads(sys.argv[1])
sys.path.insert(0, spec["code"])
started = time.perf_counter()
from core.mail import accounts, sync
from core.store import db
from core.store.accounts import AccountKind, get_account, insert_account

class Secrets:
    def get(self, key): return spec.get("password")
    def set(self, key, value): pass
    def delete(self, key): pass

conn = db.connect(spec["cache"])
account = get_account(conn, "bench")
if account is None:
    if spec["kind"] == "imap":
        account = insert_account(conn, "bench", AccountKind.IMAP, host="localhost",
            port=spec["port"], security="ssl", user=spec["user"], ca_file=spec["ca_file"])
    else:
        account = insert_account(conn, "bench", AccountKind(spec["kind"]), path=spec["path"])
imported = time.perf_counter() - started
def used():  # this process's CPU and that of the processes it waited for (a fill's helper)
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
began, cpu = time.perf_counter(), used()
summary = sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, Secrets()))
seconds, cpu = time.perf_counter() - began, used() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "imports": imported, "new": summary.new,
                  "changed": summary.changed, "removed": summary.removed,
                  "errors": list(summary.errors)}))
"""


def child_sync(python: str, spec: dict[str, object], timeout: float = 3600) -> dict[str, object]:
    """One sync in a fresh process; ``{"timeout": seconds}`` when it did not end in time. It
    runs in its checkout: the helper of a first fill (``python -m``) imports from there."""
    began = time.perf_counter()
    try:
        done = subprocess.run(
            [python, "-c", CHILD, json.dumps(spec)],
            capture_output=True, text=True, timeout=timeout, check=False, cwd=str(spec["code"]),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"timeout": timeout, "process": time.perf_counter() - began}
    if done.returncode != 0:
        raise RuntimeError(f"sync failed ({spec['code']}): {done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - began
    return result


# -- mailboxes -----------------------------------------------------------------------------------
def master_maildir(out: Path, size: int) -> Path:
    root = out / "masters" / f"maildir-{size}"
    if not (root / "done").exists():
        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        mailgen.write_maildir(root, mailgen.messages(size))
        (root / "done").write_text(f"{time.perf_counter() - started:.1f} s\n")
    return root


def master_mbox(out: Path, size: int) -> Path:
    path = out / "masters" / f"mbox-{size}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        mailgen.write_mbox(path.with_suffix(".part"), mailgen.messages(size))
        path.with_suffix(".part").rename(path)
    return path


def linked_copy(master: Path, target: Path, owner: int = -1) -> None:
    """A hard-linked copy of a Maildir (files are never rewritten, only renamed or deleted)."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-al", str(master), str(target)], check=True)
    (target / "done").unlink(missing_ok=True)
    for folder, _, _ in os.walk(target):
        os.chown(folder, owner, -1)


def _age(path: Path) -> None:
    """A mailbox a minute old, as one is when first synced: a local folder's stamp taken within
    seconds of a change is not trusted (core.mail.local), which would make the "unchanged"
    step rescan."""
    when = time.time() - 60
    os.utime(path, (when, when))


def new_mail(size: int) -> list[mailgen.Generated]:
    later = mailgen.START + size * 300 + 3600
    found = []
    for g in mailgen.messages(1000, seed=NEW_SEED):
        found.append(g._replace(date=later + len(found) * 60))
    return found


class Mailbox:
    """One source's mailbox and the changes a bench makes to it, as another client would."""

    kind = "maildir"

    def __init__(self, out: Path, size: int) -> None:
        self.out, self.size = out, size

    def spec(self) -> dict[str, object]:
        raise NotImplementedError

    def flag(self, count: int) -> None:
        raise NotImplementedError

    def expunge(self) -> None:
        raise NotImplementedError

    def add(self, messages: list[mailgen.Generated]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def targets(self, count: int) -> list[int]:
        return [self.size * (k + 1) // (count + 2) for k in range(count)]


class LocalMaildir(Mailbox):
    def __init__(self, out: Path, size: int) -> None:
        super().__init__(out, size)
        self.root = out / "run" / f"maildir-{size}"
        linked_copy(master_maildir(out, size), self.root)
        for sub in ("cur", "new", "tmp"):
            _age(self.root / sub)

    def spec(self) -> dict[str, object]:
        return {"kind": "maildir", "path": str(self.root)}

    def _files(self) -> list[Path]:
        return sorted((self.root / "cur").iterdir(), key=lambda p: p.name)

    def flag(self, count: int) -> None:
        files = self._files()
        for k in self.targets(count):
            path = files[k]
            base, _, info = path.name.partition(":2,")
            letters = "".join(sorted(set(info) ^ {"F"}))
            path.rename(path.with_name(f"{base}:2,{letters}"))

    def expunge(self) -> None:
        self._files()[self.size // 2 + 1].unlink()

    def add(self, messages: list[mailgen.Generated]) -> None:
        for n, g in enumerate(messages):
            (self.root / "new" / f"{int(g.date)}.M{n}P9.new,S={len(g.raw)}").write_bytes(g.raw)


class LocalMbox(Mailbox):
    def __init__(self, out: Path, size: int) -> None:
        super().__init__(out, size)
        self.path = out / "run" / f"mbox-{size}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(master_mbox(out, size), self.path)
        _age(self.path)

    def spec(self) -> dict[str, object]:
        return {"kind": "mbox", "path": str(self.path)}

    def _starts(self, data: bytes) -> list[int]:
        starts = [0]
        pos = 0
        while (pos := data.find(b"\n\nFrom ", pos)) >= 0:
            pos += 2
            starts.append(pos)
        return starts

    def flag(self, count: int) -> None:
        """A mail client marking messages read: their Status line rewritten, then the file."""
        data = bytearray(self.path.read_bytes())
        starts = self._starts(bytes(data))
        for k in reversed(self.targets(count)):
            at = data.find(b"\nStatus: ", starts[k])
            end = data.find(b"\n", at + 1)
            line = bytes(data[at:end])
            data[at:end] = line.replace(b"R", b"") if b"R" in line[8:] else line + b"R"
        self.path.write_bytes(bytes(data))

    def expunge(self) -> None:
        data = self.path.read_bytes()
        starts = self._starts(data)
        k = self.size // 2 + 1
        self.path.write_bytes(data[: starts[k]] + data[starts[k + 1] :])

    def add(self, messages: list[mailgen.Generated]) -> None:
        with self.path.open("ab") as out:
            for g in messages:
                out.write(mailgen.mbox_entry(g))


class Imap(Mailbox):
    """A Dovecot over a linked copy of the master Maildir (``without`` capabilities)."""

    def __init__(self, out: Path, size: int, without: tuple[str, ...]) -> None:
        super().__init__(out, size)
        from tests.helpers.dovecot import Dovecot, _run_as

        self.kind = "plain" if without else "condstore"
        base = out / "run" / f"dovecot-{self.kind}-{size}"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        self.server = Dovecot(base, without=without).start()
        self.user = self.server.new_user(f"bench{size}", "bench-password")
        linked_copy(master_maildir(out, size), self.server.mail_root / self.user.user, _run_as()[2])
        self.uids = self._admin(lambda a: a.uids("INBOX"))  # Dovecot indexes it, untimed

    def _admin(self, action):  # type: ignore[no-untyped-def]
        from tests.helpers.dovecot import Admin

        with Admin(self.user) as admin:
            return action(admin)

    def spec(self) -> dict[str, object]:
        return {"kind": "imap", "port": self.user.ssl_port, "user": self.user.user,
                "password": self.user.password, "ca_file": str(self.user.ca_file)}  # fmt: skip

    def flag(self, count: int) -> None:
        picked = [self.uids[k] for k in self.targets(count)]
        self._admin(lambda a: a.add_flags("INBOX", picked, ["\\Flagged"]))

    def expunge(self) -> None:
        uid = self.uids.pop(self.size // 2 + 1)
        self._admin(lambda a: a.expunge("INBOX", [uid]))

    def add(self, messages: list[mailgen.Generated]) -> None:
        self._admin(lambda a: [a.append("INBOX", g.raw, date=g.date) for g in messages])

    def baseline(self) -> float:
        """The bare socket's FETCH of the same fields (implicit TLS), best of 3, after a warm-up."""
        from bench.sync_baseline import bare_socket_fetch

        bare_socket_fetch(self.user)
        return min(bare_socket_fetch(self.user) for _ in range(3))

    def close(self) -> None:
        self.server.stop()


def open_mailbox(kind: str, out: Path, size: int) -> Mailbox:
    from tests.helpers.dovecot import NO_CONDSTORE

    if kind == "maildir":
        return LocalMaildir(out, size)
    if kind == "mbox":
        return LocalMbox(out, size)
    return Imap(out, size, NO_CONDSTORE if kind == "plain" else ())


# -- the run -------------------------------------------------------------------------------------
def steps(box: Mailbox) -> Iterator[str]:
    """Change the mailbox before each measured step; yields the step's name."""
    yield STEPS[0]
    yield STEPS[1]
    box.flag(4)
    yield STEPS[2]
    box.expunge()
    yield STEPS[3]
    box.add(new_mail(box.size))
    yield STEPS[4]


def run_source(
    kind: str, size: int, codes: dict[str, Path], out: Path, timeout: float
) -> dict[str, object]:
    """Every step on one source, each code's sync back to back. A code that ran out of time
    stops there for this source: its cache would not be what the next step assumes."""
    box = open_mailbox(kind, out, size)
    results: dict[str, object] = {"source": kind, "size": size, "steps": {}}
    stopped: set[str] = set()
    try:
        if isinstance(box, Imap):
            results["bare socket"] = box.baseline()
        for step in steps(box):
            row: dict[str, dict[str, object]] = {}
            for label, code in codes.items():
                if label in stopped:
                    row[label] = {"skipped": True}
                    continue
                cache = out / "run" / f"cache-{kind}-{size}-{label}.sqlite"
                if step == STEPS[0]:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{cache}{suffix}").unlink(missing_ok=True)
                python = str(code / ".venv" / "bin" / "python")
                spec = {**box.spec(), "code": str(code), "cache": str(cache)}
                row[label] = child_sync(python, spec, timeout)
                if "timeout" in row[label]:
                    stopped.add(label)
            results["steps"][step] = row  # type: ignore[index]
            cells = ", ".join(f"{label} {_cell(r)}" for label, r in row.items())
            print(f"  {kind} {size} {step}: {cells}", flush=True)
    finally:
        box.close()
    return results


def _cell(r: dict[str, object]) -> str:
    if "timeout" in r:
        return f"> {r['timeout']:.0f} s (stopped)"
    if "skipped" in r:
        return "-"
    return f"{r['seconds']:.3f} s, {r['cpu']:.2f} s CPU ({r['new']}/{r['changed']}/{r['removed']})"


def table(all_results: list[dict[str, object]], labels: list[str]) -> str:
    lines = []
    head = f"{'source':<10} {'size':>7} " + " ".join(f"{s:>16}" for s in STEPS) + "  us/msg first"
    for label in labels:
        title = f"[{label}] wall seconds (CPU seconds) of the library call, fresh process"
        lines += ["", title, head]
        for r in all_results:
            cells = []
            for step in STEPS:
                cell = r["steps"][step][label]  # type: ignore[index]
                if "timeout" in cell:
                    cells.append(f"{'> ' + format(cell['timeout'], '.0f'):>16}")
                elif "skipped" in cell:
                    cells.append(f"{'-':>16}")
                else:
                    cells.append(f"{cell['seconds']:>9.3f} ({cell['cpu']:4.2f})")
            first = r["steps"][STEPS[0]][label]  # type: ignore[index]
            per = f"{first['seconds'] / r['size'] * 1e6:8.1f}" if "seconds" in first else "       -"
            lines.append(f"{r['source']:<10} {r['size']:>7} " + " ".join(cells) + f"  {per}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--sources", default=",".join(SOURCES))
    parser.add_argument("--base", type=Path, help="another checkout (with .venv) to compare")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per sync at most")
    args = parser.parse_args()
    codes = {"new": ROOT}
    if args.base is not None:
        codes = {"base": args.base.resolve(), "new": ROOT}
    args.out = args.out.resolve()  # Dovecot's config needs absolute paths
    args.out.mkdir(parents=True, exist_ok=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average at start: {' '.join(load)}", flush=True)
    found = []
    for size in (int(s) for s in args.sizes.split(",")):
        for kind in args.sources.split(","):
            found.append(run_source(kind, size, codes, args.out, args.timeout))
    print(table(found, list(codes)))
    for r in found:
        if "bare socket" in r:
            print(f"bare socket FETCH, {r['source']} {r['size']}: {r['bare socket']:.2f} s")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average at end: {' '.join(load)}")
    (args.out / "results.json").write_text(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
