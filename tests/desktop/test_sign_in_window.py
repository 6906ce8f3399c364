"""The whole sign-in once through the real window under Xvfb, at 1366x768 and on a large screen:
the welcome page's button, the dialog's "Sign in" button, the test playing the browser, Save,
and the first sync through XOAUTH2. The screenshots are kept in the test's folder."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.dovecot import Admin
from tests.helpers.oauth import OAuthDovecot, OAuthServer
from tests.mail.sync_helpers import raw

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("screen", ["1366x768", "2560x1440"])
def test_the_sign_in_flow_in_the_real_window(
    oauth: OAuthServer, oauth_dovecot: OAuthDovecot, tmp_path: Path, screen: str
) -> None:
    assert shutil.which("xvfb-run"), "xvfb-run is missing: `make test` installs it (xvfb)"
    rep = oauth_dovecot.new_user(f"rep-{secrets.token_hex(3)}@example.test")
    with Admin(rep) as admin:
        for n in range(3):
            admin.append("INBOX", raw(n + 1))
    shots = tmp_path / "shots"
    home = tmp_path / "home"
    home.mkdir()
    job = {"issuer": oauth.issuer, "port": rep.port, "user": rep.user, "shots": str(shots),
           "cache": str(home / "mailscope.sqlite"), "rows": 3}  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "MAILSCOPE_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}  # fmt: skip
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable,
         str(ROOT / "tests" / "desktop" / "xvfb_sign_in.py"), json.dumps(job)],
        capture_output=True, text=True, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
        timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["platform"] == "xcb" and report["screen"] == [int(x) for x in screen.split("x")]
    assert report["microsoft"] == [
        "Found in Mailscope's provider list (Microsoft 365).",
        "outlook.office365.com",
        "Sign in with Microsoft",
    ]
    assert report["signed"] and report["result"] == f"Signed in as {rep.user}: 6 folders found."
    assert report["added"] and report["rows"] == 3
    assert report["browser_answers"] == [200]
    assert f"Login: user=<{rep.user}>, method=XOAUTH2" in oauth_dovecot.log()
    for name in ("dialog-microsoft", "dialog-custom-before", "dialog-signed-in",
                 "main-window-after-sign-in"):  # fmt: skip
        assert (shots / f"{name}.png").stat().st_size > 5000
    keep = os.environ.get("MAILSCOPE_KEEP_SHOTS")  # for a person to look at them
    if keep:
        shutil.copytree(shots, Path(keep) / screen, dirs_exist_ok=True)
