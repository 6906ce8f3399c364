"""Mailscope inside Thunderbird: the native messaging host and its installer (issue 18).

The add-in (``thunderbird/`` at the top of the repository) asks ``mailscope native-host`` for
verdicts over native messaging; ``protocol`` frames the messages, ``host`` answers them from
the same core as the app, ``install`` writes the host manifest and the add-in's XPI.
docs/thunderbird.md documents the protocol. Nothing here imports Qt.
"""

from __future__ import annotations

from typing import Final

HOST_NAME: Final = "mailscope"  # the native messaging name the add-in connects to
ADDON_ID: Final = "thunderbird@mailscope.example"  # the add-in's gecko id (manifest.json)
PROTOCOL_VERSION: Final = 1
