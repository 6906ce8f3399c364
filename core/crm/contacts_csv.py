"""Contacts from a CSV file as HubSpot exports it, with every skipped row reported.

Columns (by header, any order, extra columns ignored, case and spacing free): ``Record ID``,
``First Name``, ``Last Name``, ``Email``, ``Additional email addresses`` (``;``-separated),
``Contact owner`` (an owner's name or email, mapped to a directory user). A UTF-8 BOM, Windows
line endings, ``;`` or tab separators and a Windows-1252 file are all read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from typing import Final

from core.rules.addresses import normalize_email
from core.rules.directory import USER, Directory
from core.rules.model import Contact

_COLUMNS: Final = {
    "record id": "id",
    "contact id": "id",
    "first name": "first",
    "last name": "last",
    "email": "email",
    "additional email addresses": "extra",
    "additional emails": "extra",
    "contact owner": "owner",
}
_SPLIT: Final = re.compile(r"[;,\s]+")


class CsvError(ValueError):
    """The file cannot be read as a contacts CSV at all (one line for the user)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row left out (or taken with a caveat, when ``imported``), by its line in the file."""

    line: int
    reason: str
    imported: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class CsvContacts:
    contacts: tuple[Contact, ...]
    skipped: tuple[Skipped, ...]  # rows not imported
    notes: tuple[Skipped, ...]  # rows imported with a caveat (an unknown owner)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def _header(names: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        key = _COLUMNS.get(" ".join(name.strip().strip('"').lower().split()))
        if key is not None and key not in found:
            found[key] = index
    if "email" not in found:
        raise CsvError("no Email column in the header (a HubSpot contacts export has one)")
    return found


def _owners(directory: Directory) -> dict[str, str]:
    owners: dict[str, str] = {}
    for user in directory.users.values():
        for key in (user.name, user.email, user.id):
            if key:
                owners.setdefault(" ".join(key.lower().split()), user.id)
    return owners


def _local_id(email: str) -> str:
    return "csv-" + hashlib.sha256(email.encode("utf-8")).hexdigest()[:12]


class _Reader:
    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.owners = _owners(directory)
        self.contacts: list[Contact] = []
        self.skipped: list[Skipped] = []
        self.notes: list[Skipped] = []
        self.seen: dict[str, int] = {}

    def row(self, line: int, cells: list[str], columns: dict[str, int]) -> None:
        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        written = cell("email")
        if not written:
            self.skipped.append(Skipped(line, "no email address"))
            return
        email = normalize_email(written)
        if email is None:
            self.skipped.append(Skipped(line, f"{written!r} is not an email address"))
            return
        if email in self.seen:
            self.skipped.append(Skipped(line, f"{email} repeats line {self.seen[email]}"))
            return
        if self.directory.kind(email) == USER:
            self.skipped.append(Skipped(line, f"{email} is a user's address, not a contact"))
            return
        self.seen[email] = line
        extra = tuple(
            e for part in _SPLIT.split(cell("extra")) if (e := normalize_email(part)) is not None
        )
        self.contacts.append(
            Contact(
                id=cell("id") or _local_id(email),
                email=email,
                name=" ".join(p for p in (cell("first"), cell("last")) if p),
                additional_emails=extra,
                owner=self._owner(line, cell("owner")),
            )
        )

    def _owner(self, line: int, written: str) -> str | None:
        if not written:
            return None
        owner = self.owners.get(" ".join(written.lower().split()))
        if owner is None:
            self.notes.append(
                Skipped(line, f"unknown contact owner {written!r}: imported without owner", True)
            )
        return owner


def read_contacts(data: bytes, directory: Directory) -> CsvContacts:
    """Parse a contacts CSV; raises ``CsvError`` when it has no usable header."""
    text = decode(data)
    if not text.strip():
        raise CsvError("the file is empty")
    first_line = text.lstrip().splitlines()[0]
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first_line))
    reader: _Reader | None = None
    columns: dict[str, int] = {}
    try:
        for cells in rows:
            line = rows.line_num
            if reader is None:
                if not any(c.strip() for c in cells):
                    continue
                columns = _header(cells)
                reader = _Reader(directory)
            elif any(c.strip() for c in cells):
                reader.row(line, cells, columns)
    except csv.Error as error:
        raise CsvError(f"line {rows.line_num}: {error}") from None
    assert reader is not None
    return CsvContacts(tuple(reader.contacts), tuple(reader.skipped), tuple(reader.notes))
