"""Maildir file names: a message's key and flags (``1.M2P3.host:2,FS``), and its file by key."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

INBOX: Final = "INBOX"
# The separator before a Maildir file name's info part ("2,FLAGS"): ":" by the Maildir spec,
# "!" where a file name cannot hold ":" (Windows; CPython's ``mailbox.Maildir.colon``).
INFO_SEPARATOR: Final = "!" if sys.platform == "win32" else ":"
_MAILDIR_FLAGS: Final = {
    "D": "\\Draft",
    "F": "\\Flagged",
    "P": "$Forwarded",
    "R": "\\Answered",
    "S": "\\Seen",
    "T": "\\Deleted",
}
_info_flags: dict[str, tuple[str, ...]] = {}  # a Maildir name's info ("2,FS") -> flags


def read_names(
    names: Sequence[str], positions: Sequence[int]
) -> tuple[list[str], list[tuple[str, ...]]]:
    """The keys and flags of the file names at ``positions`` (a few C-level passes)."""
    picked = list(map(names.__getitem__, positions))
    # split_name, as most names have a ":" (C-level for those)
    parts = [name.partition(":") if ":" in name else split_name(name) for name in picked]
    infos = [part[2] for part in parts]
    for info in set(infos) - _info_flags.keys():
        _info_flags[info] = _flags_of_info(info)
    flags = list(map(_info_flags.__getitem__, infos))
    if len(_info_flags) > 4096:  # bounded: a hostile folder may spell many
        _info_flags.clear()
    return [part[0] for part in parts], flags


def _flags_of_info(info: str) -> tuple[str, ...]:
    letters = info[2:] if info.startswith("2,") else ""
    return tuple(_MAILDIR_FLAGS[c] for c in sorted(letters) if c in _MAILDIR_FLAGS)


def maildir_box(root: Path, folder: str) -> Path:
    """The directory of a Maildir++ folder: the root for the inbox, ``.A.B`` for ``A/B``."""
    return root if folder == INBOX else root / ("." + folder.replace("/", "."))


def split_name(name: str) -> tuple[str, str, str]:
    """A Maildir file name as (key, separator, info): ``1.M2P3.host:2,S`` gives
    ``("1.M2P3.host", ":", "2,S")``. A name with no ``:`` may carry its info after ``!2,``, as
    files written on Windows do (and the demo workspace, so that it installs there); a name with
    neither is all key."""
    key, separator, info = name.partition(":")
    if not separator:
        key, separator, info = name.rpartition("!")
        if not separator or not info.startswith("2,"):
            return name, "", ""
    return key, separator, info


def maildir_file(root: Path, folder: str, key: str) -> Path | None:
    """The file of a message by its Maildir key (whatever its flags), or None when it is gone."""
    box = maildir_box(root, folder)
    for sub in ("cur", "new"):
        try:
            with os.scandir(box / sub) as entries:
                for item in entries:
                    if split_name(item.name)[0] == key:
                        return Path(item.path)
        except FileNotFoundError:
            continue
    return None
