"""The ``mailscope`` entry point: the app with no command (or ``--demo``), else the CLI.

Qt is imported only when a window is opened, so the command line starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args == ["--demo"]:
        from desktop.app import run

        return run(demo="--demo" in args)
    if args[0] == "native-host":  # started by Thunderbird for each session: no parser to build
        from core.thunderbird.host import main as host

        return host()
    from core import cli

    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
