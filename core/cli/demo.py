"""``mailscope --demo COMMAND``: a command that reads the cache runs on the demo workspace.

The demo's cache (``$MAILSCOPE_HOME/demo.sqlite``) is the app's own demo workspace, built on
first use from the shipped files the entry point hands in (core never imports ``resources``).
Commands that read no cache (``explain`` reads its file, ``thunderbird`` installs the add-in)
refuse ``--demo`` with one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # imported when used: every command starts here
    from core.workspace import DemoFiles

__all__ = ["demo_workspace"]

NO_CACHE: Final = frozenset({"explain", "thunderbird"})


def demo_workspace(command: str, demo: DemoFiles | None) -> str | None:
    """Point this process's cache at the demo workspace (built on first use); the one line
    to print instead when ``--demo`` does not apply."""
    if command in NO_CACHE:
        return f"mailscope: --demo does not apply to {command!r}: it reads no cache"
    if demo is None:
        return "mailscope: --demo needs the demo's files, which this installation lacks"
    from core.store import db
    from core.workspace import demo_path, open_demo, sync_demo

    conn, account = open_demo(demo)
    try:
        if conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0:
            sync_demo(conn, account)
    finally:
        conn.close()
    db.use_workspace(demo_path())
    return None
