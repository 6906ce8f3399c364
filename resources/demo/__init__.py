"""The demo workspace: a Maildir++ mailbox and a CRM directory (see README.md).

The files ship as package data; the app opens them read-only and keeps its cache elsewhere.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
MAILDIR = HERE / "Maildir"  # Maildir++: the inbox at the root, .Sent, .Drafts, .Archive
DIRECTORY = HERE / "directory.json"  # a scenario's directory part (no "messages")
