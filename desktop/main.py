"""The ``mailscope`` entry point: the app with no command (or ``--demo``), else the CLI.

Qt is imported only when a window is opened (or icons are drawn), so the command line starts
fast. ``--version`` and the desktop-entry flags are answered here, before the command line's
parser, which lists them in ``mailscope --help``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

from core.version import __version__

DESKTOP_ENTRY_FLAGS = ("--install-desktop-entry", "--uninstall-desktop-entry")


def entry() -> NoReturn:
    """The ``mailscope`` executable (the wheel's script, the bundle's, ``python -m
    desktop.main``): ``main``, and a command's process ends as soon as it is done."""
    sys.exit(main(ending=True))


def main(argv: Sequence[str] | None = None, *, ending: bool = False) -> int:
    """Open the window, or run a command and return its status; ``ending``: the process ends
    with the command (``_last``)."""
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

    if ending:  # a command: the process ends with it (_last); see core.gcpause.ending
        from core import gcpause

        gcpause.ending()
    if "--demo" not in args:
        return _last(cli.main(args), ending)
    import resources.demo as demo  # the demo's shipped files, for commands that read the cache

    return _last(cli.main(args, demo=demo), ending)


def _last(code: int, ending: bool) -> int:
    """A command's status, as the process ends with it.

    ``ending`` (the executable), with no other thread left to finish: its caches closed
    (``core.store.db.close_all``: the WAL checkpointed and gone) and its output flushed, the
    process ends here. The interpreter's teardown would only free, one by one, what the
    command kept: after a first sync of 100,000 messages, its memos of addresses and
    subjects (0.3 s). Otherwise (a caller that goes on, a thread still working), one
    collection closes what a cycle holds (a ``sqlite3`` connection is one, with its
    statement cache) as the teardown would, and what survives is frozen, out of the
    collector's reach, so the teardown's own collections skip it."""
    if ending and not _working_threads():
        opened = sys.modules.get("core.store.db")
        if opened is not None:
            opened.close_all()
        if "logging" in sys.modules:
            import logging

            logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush
                stream.flush()
        os._exit(code)
    gc.collect()
    gc.freeze()
    return code


def _working_threads() -> list[threading.Thread]:
    """Threads the interpreter would wait for before ending (not daemons)."""
    main_thread = threading.main_thread()
    return [t for t in threading.enumerate() if t is not main_thread and not t.daemon]


if __name__ == "__main__":
    entry()
