"""Folder roles from an IMAP LIST: SPECIAL-USE flags first, well-known names as a fallback.

Pure: LIST entries in, ``FolderInfo`` values out. A role found through SPECIAL-USE anywhere in
the listing wins over every name guess for that role, so a stray folder called "Sent Items"
on a server that marks "Sent" as ``\\Sent`` stays ``other``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from core.mail import utf7
from core.mailbox import FolderInfo
from core.rules.model import Folder

# Roles beyond the engine's folders: junk and trash are listed but skipped by default.
JUNK: Final = "junk"
TRASH: Final = "trash"

_SPECIAL_USE: Final[dict[str, str]] = {
    "\\sent": Folder.SENT,
    "\\drafts": Folder.DRAFTS,
    "\\archive": Folder.ARCHIVE,
    "\\all": Folder.ARCHIVE,
    "\\junk": JUNK,
    "\\trash": TRASH,
}


def _names(*groups: str) -> frozenset[str]:
    return frozenset(name for group in groups for name in group.split("|"))


# Names compared case-insensitively to the last path component, or to the full path (Gmail).
_NAMES: Final[dict[str, frozenset[str]]] = {
    Folder.SENT: _names(
        "sent|sent items|sent mail|sent messages|sent-mail|[gmail]/sent mail",
        "[google mail]/sent mail|éléments envoyés|envoyés|messages envoyés|gesendet",
        "gesendete elemente|gesendete objekte|enviados|posta inviata|verzonden items|skickat",
    ),
    Folder.DRAFTS: _names(
        "drafts|draft|[gmail]/drafts|[google mail]/drafts|brouillons|entwürfe|borradores",
        "bozze|concepten|utkast",
    ),
    Folder.ARCHIVE: _names(
        "archive|archives|[gmail]/all mail|[google mail]/all mail|all mail|archiv|archivo",
        "archivio",
    ),
    JUNK: _names(
        "junk|spam|junk e-mail|junk email|junk-e-mail|bulk mail|[gmail]/spam",
        "[google mail]/spam|courrier indésirable|indésirables|spamverdacht|correo no deseado",
        "posta indesiderata",
    ),
    TRASH: _names(
        "trash|deleted items|deleted messages|deleted|bin|[gmail]/trash|[google mail]/trash",
        "[gmail]/bin|corbeille|éléments supprimés|papierkorb|gelöschte elemente",
        "gelöschte objekte|papelera|cestino",
    ),
}

_NOT_SELECTABLE: Final = frozenset({"\\noselect", "\\nonexistent"})
_ENGINE_ROLES: Final = frozenset(folder.value for folder in Folder)


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One ``* LIST (flags) "delimiter" name`` line, with the name as sent (modified UTF-7)."""

    flags: tuple[str, ...]
    delimiter: str | None
    name: str


def special_use_of(flags: Sequence[str]) -> str | None:
    """The SPECIAL-USE flag among ``flags`` (as the server spelled it), if any."""
    return next((flag for flag in flags if flag.lower() in _SPECIAL_USE), None)


def role_by_name(name: str, delimiter: str | None) -> str | None:
    """The role a well-known (decoded) folder name suggests, or None."""
    full = name.casefold()
    last = full.rsplit(delimiter.casefold(), 1)[-1] if delimiter else full
    for role, names in _NAMES.items():
        if full in names or last in names:
            return role
    return None


def classify(entries: Iterable[ListEntry]) -> list[FolderInfo]:
    """Turn a LIST into folders with roles; unselectable folders are left out."""
    usable = [e for e in entries if not {f.lower() for f in e.flags} & _NOT_SELECTABLE]
    by_flag = {e.name: special_use_of(e.flags) for e in usable}
    flagged_roles = {_SPECIAL_USE[flag.lower()] for flag in by_flag.values() if flag}
    folders = []
    for entry in usable:
        display = utf7.decode(entry.name)
        flag = by_flag[entry.name]
        role: str | None
        if entry.name.upper() == "INBOX":
            role = Folder.INBOX
        elif flag is not None:
            role = _SPECIAL_USE[flag.lower()]
        else:
            guess = role_by_name(display, entry.delimiter)
            role = guess if guess not in flagged_roles else None
        folders.append(_info(entry.name, display, role, flag))
    return folders


def _info(name: str, display: str, role: str | None, flag: str | None) -> FolderInfo:
    skipped = role in (JUNK, TRASH)
    folder = Folder(role) if role in _ENGINE_ROLES else Folder.OTHER
    return FolderInfo(name=name, display=display, role=folder, skipped=skipped, special_use=flag)
