"""Running ``mailscope`` as a rep does: a subprocess with its own home and a file keyring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.store import db

ROOT = Path(__file__).parents[2]


class Cli:
    """Runs ``mailscope`` in a subprocess; remembers every output to search for secrets."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.database = home / "data" / db.FILE_NAME
        self.outputs: list[str] = []
        self.env = {
            **os.environ,
            "MAILSCOPE_HOME": str(home / "data"),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(home / "xdg"),
            "HOME": str(home),
        }

    def __call__(
        self, *args: str, stdin: str = "", extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        code = "import sys; from core.cli import main; sys.exit(main())"
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            timeout=120,
            check=False,
        )
        self.outputs += [done.stdout, done.stderr]
        return done

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start ``mailscope`` without waiting (a test may kill it); ``finish`` collects it."""
        code = "import sys; from core.cli import main; sys.exit(main())"
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=self.env,
        )

    def finish(self, process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
        out, err = process.communicate(timeout=120)
        self.outputs += [out, err]
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)
