"""The ``mailscope`` entry point: the app with no command (or ``--demo``), else the CLI.

Qt is imported only when a window is opened (or icons are drawn), so the command line starts
fast. ``--version`` and the desktop-entry flags are answered here, before the command line's
parser, which lists them in ``mailscope --help``.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from core.version import __version__

DESKTOP_ENTRY_FLAGS = ("--install-desktop-entry", "--uninstall-desktop-entry")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args == ["--demo"]:
        from desktop.app import run

        return run(demo="--demo" in args)
    if args == ["--version"]:
        print(f"mailscope {__version__}")
        return 0
    if len(args) == 1 and args[0] in DESKTOP_ENTRY_FLAGS:
        from desktop import desktop_entry

        return desktop_entry.main(args[0])
    if args[0] == "native-host":  # started by Thunderbird for each session: no parser to build
        from core.thunderbird.host import main as host

        return host()
    if args == ["sync-worker"]:  # the bundle's sync process (core.mail.sync_process)
        from core.mail.sync_child import main as sync_worker

        sync_worker()
    if args == ["fetch-worker"]:  # a big first fill's helper (core.mail.fetch_split)
        from core.mail.fetch_child import main as fetch_worker

        fetch_worker()
    from core import cli

    if "--demo" not in args:
        return _last(cli.main(args))
    import resources.demo as demo  # the demo's shipped files, for commands that read the cache

    return _last(cli.main(args, demo=demo))


def _last(code: int) -> int:
    """A command's status, as the process ends with it. One collection now closes what a
    cycle holds (a ``sqlite3`` connection is one, with its statement cache) as the
    interpreter's teardown would; what survives is then frozen, out of the collector's
    reach, so the teardown's own collections skip it (after a first sync of 100,000
    messages, its memos of addresses and subjects: three passes, 0.75 s of the process,
    against 0.3 s now). Reference counting still frees it all."""
    gc.collect()
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(main())
