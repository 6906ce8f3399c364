"""A private Dovecot on loopback for tests and benchmarks (see /work/shared/field-notes.md).

One instance listens on 127.0.0.1-4, each with the same ports (plain + implicit TLS):

- 127.0.0.1: the good certificate (localhost, 127.0.0.1) from the test CA, STARTTLS offered;
- 127.0.0.2: a certificate for ``wrong.invalid`` from the test CA (host name mismatch);
- 127.0.0.3: a certificate for the right names from a CA nobody trusts;
- 127.0.0.4: TLS off, so STARTTLS is not offered there.

Each test takes a fresh user (``dovecot.new_user()``) with an empty mailbox, and seeds it with
the :class:`Admin` helper, a plain imapclient session over loopback.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.mail.imap_conn import ImapSettings
from core.mail.source import Security
from tests.helpers.certs import TestCerts, make_test_certs
from tests.helpers.mailbox_admin import Admin

__all__ = [
    "NO_CONDSTORE",
    "Admin",
    "Dovecot",
    "DovecotError",
    "MailUser",
    "free_port",
    "imap_settings",
    "running",
]

HOST = "127.0.0.1"
WRONG_HOST_IP = "127.0.0.2"
UNKNOWN_CA_IP = "127.0.0.3"
NO_TLS_IP = "127.0.0.4"
SPECIAL_USE = {"Sent": "\\Sent", "Drafts": "\\Drafts", "Archive": "\\Archive"}
SPECIAL_USE |= {"Junk": "\\Junk", "Trash": "\\Trash"}
# Dovecot 2.3's capabilities after login, as it advertises them by default.
_CAPABILITY_TEXT = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES"
    " THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN"
    " NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES"
    " WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW"
    " STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
)
DEFAULT_CAPABILITIES = tuple(_CAPABILITY_TEXT.split(" "))
# What Microsoft Exchange/365 and many hosted servers lack (field notes): no change tracking.
NO_CONDSTORE = ("CONDSTORE", "QRESYNC")
MISSING = "dovecot is not installed: `make test` installs it (make system-deps: dovecot-imapd)"
_START_TIMEOUT = 30.0


class DovecotError(RuntimeError):
    """The test server could not be set up or driven."""


@dataclass(frozen=True, slots=True)
class MailUser:
    """A mailbox on the test server and how to reach it."""

    host: str
    port: int  # plain IMAP (security none, or STARTTLS)
    ssl_port: int  # implicit TLS
    user: str
    password: str
    ca_file: Path


def imap_settings(
    user: MailUser,
    security: Security = Security.SSL,
    *,
    host: str = "localhost",
    timeout: float = 10.0,
) -> ImapSettings:
    """Settings reaching ``user`` with ``security`` (the right port), trusting the test CA."""
    port = user.ssl_port if security is Security.SSL else user.port
    return ImapSettings(host, user.user, port, security, str(user.ca_file), timeout)


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _run_as() -> tuple[str, str, int]:
    """The (user, group, uid) Dovecot runs as: ``nobody`` as root (it refuses uid 0)."""
    entry = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name, entry.pw_uid


def _namespace(special_use: bool) -> str:
    if not special_use:
        return "namespace inbox {\n  inbox = yes\n  separator = /\n}\n"
    boxes = "".join(
        f"  mailbox {name} {{\n    special_use = {use}\n    auto = subscribe\n  }}\n"
        for name, use in SPECIAL_USE.items()
    )
    return "namespace inbox {\n  inbox = yes\n  separator = /\n" + boxes + "}\n"


def _capability(without: tuple[str, ...]) -> str:
    """A ``protocol imap`` block advertising Dovecot's capabilities minus ``without``."""
    if not without:
        return ""
    gone = {name.upper() for name in without}
    kept = " ".join(c for c in DEFAULT_CAPABILITIES if c.upper() not in gone)
    return f"protocol imap {{\n  imap_capability = {kept}\n}}\n"


def _config(
    base: Path,
    certs: TestCerts,
    ports: tuple[int, int],
    special_use: bool,
    mechanisms: str,
    without: tuple[str, ...] = (),
) -> str:
    user, group, uid = _run_as()
    dh = Path("/usr/share/dovecot/dh.pem")
    return f"""\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
instance_name = mailscope-{base.name}
listen = {HOST}, {WRONG_HOST_IP}, {UNKNOWN_CA_IP}, {NO_TLS_IP}
protocols = imap
ssl = yes
ssl_cert = <{certs.good.cert}
ssl_key = <{certs.good.key}
{f"ssl_dh = <{dh}" if dh.exists() else ""}
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{base}/mail/%u
mail_fsync = never
mail_max_userip_connections = 200
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {base}/users/%u
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {base}/users/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {ports[0]}
  }}
  inet_listener imaps {{
    port = {ports[1]}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
{_namespace(special_use)}
{_capability(without)}
local {WRONG_HOST_IP} {{
  ssl_cert = <{certs.wrong_host.cert}
  ssl_key = <{certs.wrong_host.key}
}}
local {UNKNOWN_CA_IP} {{
  ssl_cert = <{certs.unknown_ca.cert}
  ssl_key = <{certs.unknown_ca.key}
}}
local {NO_TLS_IP} {{
  ssl = no
}}
"""


class Dovecot:
    """A running private Dovecot: start it, add users, stop it by its pid.

    Failed logins are not penalised (anvil-auth-penalty off): a test's wrong password must not
    delay the next test's login by up to 15 s. Subclasses add SASL mechanisms and passdbs.
    """

    mechanisms = "plain login"

    def extra_config(self) -> str:
        """More configuration (another passdb) appended to the generated file."""
        return ""

    def __init__(
        self,
        base: Path | None = None,
        *,
        certs: TestCerts | None = None,
        special_use: bool = True,
        ports: tuple[int, int] | None = None,
        without: tuple[str, ...] = (),
    ) -> None:
        """``without``: capabilities the server does not advertise (e.g. :data:`NO_CONDSTORE`),
        through an explicit ``imap_capability`` (field notes)."""
        self.base = base if base is not None else Path(tempfile.mkdtemp(prefix="ms-dovecot-"))
        self._owns_base = base is None
        self.certs = certs if certs is not None else make_test_certs(self.base / "certs")
        self.special_use = special_use
        self.without = tuple(without)
        self._auto_ports = ports is None
        self.port, self.ssl_port = ports if ports is not None else (free_port(), free_port())
        self.conf = self.base / "dovecot.conf"
        # One passwd file per user: Dovecot re-reads a changed passwd file at most once a
        # second, so a user added to a shared file could be unknown for up to a second.
        self.users = self.base / "users"
        self._lock = threading.Lock()
        self._users = 0

    @property
    def ca_file(self) -> Path:
        return self.certs.ca_file

    @property
    def mail_root(self) -> Path:
        """Where the maildirs live: ``mail_root / user`` (benchmarks write there directly)."""
        return self.base / "mail"

    def start(self) -> Dovecot:
        """Write the config, start the daemon and wait until it accepts connections."""
        if shutil.which("dovecot") is None:
            raise DovecotError(MISSING)
        self._prepare_folders()
        for attempt in range(3):
            if self._launch() == 0:
                break
            # Another process may have taken a port picked as free: pick others and retry.
            if not self._auto_ports or "in use" not in self._errors() or attempt == 2:
                raise DovecotError(f"dovecot did not start: {self._errors()}")
            self.port, self.ssl_port = free_port(), free_port()
        self._wait_listening()
        return self

    def _launch(self) -> int:
        ports = (self.port, self.ssl_port)
        config = _config(
            self.base, self.certs, ports, self.special_use, self.mechanisms, self.without
        )
        self.conf.write_text(config + self.extra_config())
        with open(self.base / "start.err", "wb") as err:
            # The daemon keeps inherited pipes open: never capture its output (field notes).
            return subprocess.run(
                ["dovecot", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, timeout=60,
            ).returncode  # fmt: skip

    def _prepare_folders(self) -> None:
        _, _, uid = _run_as()
        self.mail_root.mkdir(parents=True, exist_ok=True)
        os.chown(self.mail_root, uid, -1)
        self.users.mkdir(exist_ok=True)
        # Dovecot's unprivileged processes must traverse every parent folder (field notes).
        for folder in [self.base, *self.base.parents]:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)

    def _errors(self) -> str:
        texts = []
        for name in ("start.err", "dovecot.log"):
            path = self.base / name
            if path.exists():
                texts.append(path.read_text(errors="replace").strip()[-2000:])
        return " | ".join(t for t in texts if t) or "no log"

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=2) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise DovecotError(f"dovecot did not listen on {self.port}: {self._errors()}")
            time.sleep(0.02)

    def master_pid(self) -> int | None:
        path = self.base / "run" / "master.pid"
        try:
            return int(path.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Stop the daemon by the pid in its master.pid (never by name) and remove its files."""
        pid = self.master_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.02)
        if self._owns_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def new_user(self, name: str | None = None, password: str | None = None) -> MailUser:
        """Add a user with a fresh empty mailbox (its own passwd file, seen at once)."""
        _, _, uid = _run_as()
        with self._lock:
            self._users += 1
            name = name or f"user{self._users}-{secrets.token_hex(3)}"
            password = password or secrets.token_urlsafe(12)
            home = self.mail_root / name
            path = self.users / name
            path.write_text(f"{name}:{{PLAIN}}{password}:{uid}:{uid}::{home}::\n")
            path.chmod(0o644)  # read by Dovecot's unprivileged auth process
        return MailUser(HOST, self.port, self.ssl_port, name, password, self.ca_file)

    def write_maildir(
        self,
        user: MailUser | str,
        folder: str,
        raws: Iterable[tuple[bytes, float]],
        *,
        info: str = "2,S",
    ) -> int:
        """Write (raw, date) messages straight into a folder's maildir ``cur/``; returns count.

        Much faster than APPEND for big mailboxes; Dovecot indexes them on the next SELECT
        and takes each file's mtime as INTERNALDATE. Call it before the folder is opened.
        """
        name = user.user if isinstance(user, MailUser) else user
        root = self.mail_root / name
        box = root if folder.upper() == "INBOX" else root / ("." + folder.replace("/", "."))
        _, _, uid = _run_as()
        for path in (root, box, box / "cur", box / "new", box / "tmp"):
            path.mkdir(exist_ok=True)
            os.chown(path, uid, -1)
        count = 0
        for count, (raw, date) in enumerate(raws, start=1):
            path = box / "cur" / f"{int(date)}.M{count}P0.mailscope,S={len(raw)}:{info}"
            path.write_bytes(raw)
            os.utime(path, (date, date))
        return count

    def kick(self, user: str) -> None:
        """Disconnect every session of ``user`` from the server side, and wait until gone."""
        self._doveadm("kick", user)
        deadline = time.monotonic() + 10
        while self.sessions(user) and time.monotonic() < deadline:
            time.sleep(0.02)

    def sessions(self, user: str) -> int:
        """How many IMAP sessions ``user`` has open (``doveadm who``)."""
        out = self._doveadm("who", "-1", user)
        return sum(1 for line in out.splitlines()[1:] if line.split()[:1] == [user])

    def _doveadm(self, *args: str) -> str:
        return subprocess.run(
            ["doveadm", "-c", str(self.conf), *args],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False,
        ).stdout.decode(errors="replace")  # fmt: skip

    def admin(self, user: MailUser) -> Admin:
        """A plain loopback IMAP session for seeding ``user``'s mailbox (close it, or use with)."""
        return Admin(user)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); it is gone for our purpose.
    with contextlib.suppress(OSError):
        if "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
            return False
    return True


@contextlib.contextmanager
def running(**kwargs: object) -> Iterator[Dovecot]:
    """Start a Dovecot for the duration of a ``with`` block (benchmarks, scripts)."""
    server = Dovecot(**kwargs)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        server.stop()
