"""A real Thunderbird for tests: a fresh profile with one IMAP account (its password stored
through Thunderbird's own NSS), started headless with Marionette (see shared/thunderbird-probe).

``profile(...)`` writes the profile; ``Thunderbird(...)`` runs it and ``marionette()`` attaches a
``marionette_driver`` session in the chrome context. The extension is installed by the test
itself (``mailscope thunderbird install --profile``), like a rep would.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

TB_DIR = Path("/usr/lib/thunderbird")
BINARY = TB_DIR / "thunderbird"
MISSING = "thunderbird is not installed: `make test` installs it (make system-deps)"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Mailbox:
    """The IMAP account of the profile and the identity that sends from it."""

    host: str
    port: int
    user: str
    password: str
    email: str
    name: str
    smtp_port: int


# Quiet: no first-run UI, telemetry, updates or indexing; the unsigned add-in from the profile
# enabled without a prompt; the extension's console on stdout.
_QUIET: dict[str, object] = {
    "mail.provider.enabled": False,
    "mail.shell.checkDefaultClient": False,
    "mailnews.start_page.enabled": False,
    "mail.rights.version": 1,
    "mail.startup.enabledMailCheckOnce": True,
    "mail.spotlight.firstRunDone": True,
    "mail.winsearch.firstRunDone": True,
    "mailnews.database.global.indexer.enabled": False,
    "app.donation.eoy.version.viewed": 999,
    "toolkit.telemetry.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionPolicyBypassNotification": True,
    "app.update.disabledForTesting": True,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "toolkit.startup.max_resumed_crashes": -1,
    "mail.compose.warn_public_recipients.threshold": 1000,
    "xpinstall.signatures.required": False,
    "extensions.autoDisableScopes": 0,
    "extensions.enabledScopes": 15,
    "devtools.console.stdout.content": True,
}


def _prefs(box: Mailbox, marionette_port: int) -> dict[str, object]:
    return {
        "mail.accountmanager.accounts": "account1,account2",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.accountmanager.localfoldersserver": "server2",
        "mail.account.account1.server": "server1",
        "mail.account.account1.identities": "id1",
        "mail.account.account2.server": "server2",
        "mail.server.server1.type": "imap",
        "mail.server.server1.hostname": box.host,
        "mail.server.server1.port": box.port,
        "mail.server.server1.userName": box.user,
        "mail.server.server1.name": "Globex",
        "mail.server.server1.socketType": 0,
        "mail.server.server1.authMethod": 3,
        "mail.server.server1.login_at_startup": True,
        "mail.server.server1.check_new_mail": True,
        "mail.server.server1.directory-rel": f"[ProfD]ImapMail/{box.host}",
        "mail.server.server1.offline_download": False,
        "mail.server.server2.type": "none",
        "mail.server.server2.hostname": "Local Folders",
        "mail.server.server2.userName": "nobody",
        "mail.server.server2.name": "Local Folders",
        "mail.server.server2.directory-rel": "[ProfD]Mail/Local Folders",
        "mail.identity.id1.fullName": box.name,
        "mail.identity.id1.useremail": box.email,
        "mail.identity.id1.valid": True,
        "mail.identity.id1.smtpServer": "smtp1",
        "mail.identity.id1.fcc": False,
        "mail.identity.id1.compose_html": False,
        "mail.smtpservers": "smtp1",
        "mail.smtp.defaultserver": "smtp1",
        "mail.smtpserver.smtp1.hostname": "127.0.0.1",
        "mail.smtpserver.smtp1.port": box.smtp_port,
        "mail.smtpserver.smtp1.authMethod": 1,
        "mail.smtpserver.smtp1.try_ssl": 0,
        **_QUIET,
        "marionette.port": marionette_port,
    }


def profile(where: Path, box: Mailbox, marionette_port: int) -> Path:
    """A fresh profile folder for ``box`` (user.js and logins.json)."""
    shutil.rmtree(where, ignore_errors=True)
    (where / "extensions").mkdir(parents=True)
    lines = [
        f"user_pref({json.dumps(k)}, {json.dumps(v)});"
        for k, v in _prefs(box, marionette_port).items()
    ]
    (where / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _store_password(where, f"imap://{box.host}", box.user, box.password)
    return where


class _SecItem(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint), ("data", ctypes.c_void_p), ("len", ctypes.c_uint)]


def _store_password(where: Path, origin: str, user: str, password: str) -> None:
    """logins.json encrypted with the profile's key4.db (NSS SDR, empty primary password), in a
    child process: NSS is initialised once per process, and only for this profile."""
    code = (
        "import json, sys; from tests.helpers.thunderbird import _write_logins;"
        " _write_logins(*json.loads(sys.argv[1]))"
    )
    env = {**os.environ, "LD_LIBRARY_PATH": str(TB_DIR)}
    args = json.dumps([str(where), origin, user, password])
    subprocess.run(
        [sys.executable, "-c", code, args],
        check=True, env=env, cwd=Path(__file__).resolve().parents[2], timeout=60,
    )  # fmt: skip


def _write_logins(where: str, origin: str, user: str, password: str) -> None:
    nss = ctypes.CDLL(str(TB_DIR / "libnss3.so"))
    nss.NSS_InitReadWrite.argtypes = [ctypes.c_char_p]
    nss.PK11_GetInternalKeySlot.restype = ctypes.c_void_p
    nss.PK11_NeedUserInit.argtypes = [ctypes.c_void_p]
    nss.PK11_InitPin.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    nss.PK11SDR_Encrypt.argtypes = [ctypes.POINTER(_SecItem)] * 3 + [ctypes.c_void_p]
    nss.PK11_FreeSlot.argtypes = [ctypes.c_void_p]
    assert nss.NSS_InitReadWrite(f"sql:{where}".encode()) == 0, "NSS_InitReadWrite failed"
    slot = nss.PK11_GetInternalKeySlot()
    if nss.PK11_NeedUserInit(slot):
        assert nss.PK11_InitPin(slot, b"", b"") == 0, "PK11_InitPin failed"

    def sdr(text: str) -> str:
        data = text.encode()
        buffer = ctypes.create_string_buffer(data, len(data))
        item = _SecItem(0, ctypes.cast(buffer, ctypes.c_void_p), len(data))
        out = _SecItem(0, None, 0)
        key = _SecItem(0, None, 0)
        assert (
            nss.PK11SDR_Encrypt(ctypes.byref(key), ctypes.byref(item), ctypes.byref(out), None) == 0
        )
        return base64.b64encode(ctypes.string_at(out.data, out.len)).decode()

    now = int(time.time() * 1000)
    login = {
        "id": 1, "hostname": origin, "httpRealm": origin, "formSubmitURL": None,
        "usernameField": "", "passwordField": "",
        "encryptedUsername": sdr(user), "encryptedPassword": sdr(password),
        "guid": f"{{{uuid.uuid4()}}}", "encType": 1, "timeCreated": now, "timeLastUsed": now,
        "timePasswordChanged": now, "timesUsed": 1,
    }  # fmt: skip
    nss.PK11_FreeSlot(slot)
    nss.NSS_Shutdown()
    doc = {"nextId": 2, "logins": [login], "potentiallyVulnerablePasswords": [],
           "dismissedBreachAlertsByLoginGUID": {}, "version": 3}  # fmt: skip
    Path(where, "logins.json").write_text(json.dumps(doc), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Thunderbird:
    """A running Thunderbird on a profile, with a private HOME; ``stop()`` ends it by its pid."""

    def __init__(
        self,
        profile_dir: Path,
        home: Path,
        log: Path,
        env: dict[str, str],
        display: str | None = None,
    ) -> None:
        self.profile = profile_dir
        self.log = log
        environment = {**os.environ, **env, "HOME": str(home), "MOZ_CRASHREPORTER_DISABLE": "1"}
        environment.pop("WAYLAND_DISPLAY", None)
        mode = ["--headless"]
        if display is not None:
            environment["DISPLAY"] = display
            mode = []
        else:
            environment.pop("DISPLAY", None)
        args = [
            str(BINARY),
            *mode,
            "-no-remote",
            "-profile",
            str(profile_dir),
            "--marionette",
            "-remote-allow-system-access",
        ]
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                args,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environment,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def marionette(port: int, timeout: float = 60.0) -> Any:
    """A Marionette session on a started Thunderbird, in the chrome context."""
    from marionette_driver.marionette import Marionette

    client = Marionette(host="127.0.0.1", port=port, startup_timeout=int(timeout))
    client.start_session()
    client.set_context(client.CONTEXT_CHROME)
    return client


def wait_for(what: str, check: Callable[[], T], timeout: float = 30.0, every: float = 0.2) -> T:
    """Poll ``check`` until it returns something true; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as error:  # the window or element is not there yet
            last = error
        else:
            if last:
                return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
