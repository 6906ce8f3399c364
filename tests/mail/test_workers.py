"""A worker process (a first fill's helper, the window's sync) runs this checkout's code,
whatever directory Mailscope was started from."""

from __future__ import annotations

import subprocess
from pathlib import Path

from core.mail import workers


def test_a_core_package_in_the_working_directory_does_not_shadow_ours(tmp_path: Path) -> None:
    decoy = tmp_path / "core" / "mail"
    decoy.mkdir(parents=True)
    for package in (tmp_path / "core", decoy):
        (package / "__init__.py").write_text("")
    (decoy / "fetch_child.py").write_text("print('decoy')\n")
    done = subprocess.run(
        workers.command("core.mail.fetch_child", "fetch-worker"),
        input=b"", capture_output=True, cwd=tmp_path, env=workers.environment(), timeout=60,
        check=False,
    )  # fmt: skip
    # Ours: no start line on its input, so it ends at once with status 2, saying nothing.
    assert (done.returncode, done.stdout) == (2, b""), done.stderr.decode()
