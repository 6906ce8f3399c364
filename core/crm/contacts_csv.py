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
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Protocol

from core.i18n import _
from core.rules.addresses import normalize_email
from core.rules.directory import Directory
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


MAX_LINE: Final = 1 << 20  # bytes of one line (a HubSpot row is a few hundred)
MAX_ROWS: Final = 1_000_000  # rows of one file (documented in docs/limits.md)
MAX_NOTES: Final = 100  # skipped rows and caveats kept to report (all are counted)
CHUNK: Final = 5000  # contacts written per step


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


class Lines(Protocol):
    """Where the file's bytes come from: anything with ``readline`` (a capped stream)."""

    def readline(self, size: int = -1, /) -> bytes: ...


def _lines(handle: Lines) -> Iterator[str]:
    """The file's lines as text, one at a time: each UTF-8, else Windows-1252 (a BOM skipped).

    Decoded line by line so that a file is never held whole; a line longer than
    :data:`MAX_LINE` is refused before it is read whole.
    """
    first = True
    while raw := handle.readline(MAX_LINE + 1):
        if len(raw) > MAX_LINE:
            raise CsvError(
                _("a line is longer than %(value)s MB: not a contacts export")
                % {"value": MAX_LINE >> 20}
            )
        if b"\x00" in raw:
            raise CsvError(_("the file holds NUL bytes: not a text CSV (UTF-16? save it as UTF-8)"))
        if first:
            raw, first = raw.removeprefix(b"\xef\xbb\xbf"), False
        yield decode(raw)


def _dialect(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def _header(names: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        key = _COLUMNS.get(_folded(name.strip().strip('"')))
        if key is not None and key not in found:
            found[key] = index
    if "email" not in found:
        raise CsvError(_("no Email column in the header (a HubSpot contacts export has one)"))
    return found


def _owners(directory: Directory) -> dict[str, str]:
    owners: dict[str, str] = {}
    for user in directory.users.values():
        for key in (user.name, user.email, user.id):
            if key:
                owners.setdefault(_folded(key), user.id)
    return owners


def _folded(text: str) -> str:
    """A name as the file and the directory are compared on: case and spacing ignored."""
    return " ".join(text.lower().split())


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
        if email in self.directory.user_of:  # a user's, never a contact's (N3)
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
        owner = self.owners.get(_folded(written))
        if owner is None:
            self.notes.append(
                Skipped(line, f"unknown contact owner {written!r}: imported without owner", True)
            )
        return owner


def read_contacts(data: bytes, directory: Directory) -> CsvContacts:
    """Parse a contacts CSV held in memory; raises ``CsvError`` when it has no usable header."""
    reader = ContactStream(io.BytesIO(data), directory)
    contacts = [c for chunk in reader.chunks() for c in chunk]
    return CsvContacts(tuple(contacts), tuple(reader.skipped), tuple(reader.notes))


class ContactStream:
    """A contacts CSV read as a stream: contacts in chunks, skipped rows noted on the way.

    At most :data:`MAX_ROWS` rows; ``skipped`` and ``notes`` keep the first
    :data:`MAX_NOTES` of each (``skipped_count`` counts them all).
    """

    def __init__(self, handle: Lines, directory: Directory) -> None:
        self.handle = handle
        self.directory = directory
        self.skipped: list[Skipped] = []
        self.notes: list[Skipped] = []
        self.skipped_count = 0
        self.imported = 0

    def chunks(self, size: int = CHUNK) -> Iterator[list[Contact]]:
        """Lists of at most ``size`` contacts; raises ``CsvError`` on a file that is not CSV."""
        lines = _lines(self.handle)
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            raise CsvError(_("the file is empty"))
        text = itertools.chain((first,), lines)
        rows = csv.reader(text, delimiter=_dialect(first), strict=True)  # strict: a bad quote
        reader: _Reader | None = None
        columns: dict[str, int] = {}
        try:
            for cells in rows:
                if reader is None:
                    columns = _header(cells)
                    reader = _Reader(self.directory)
                elif any(c.strip() for c in cells):
                    if rows.line_num > MAX_ROWS:
                        raise CsvError(
                            _("more than %(max_rows)s rows: split the file")
                            % {"max_rows": MAX_ROWS}
                        )
                    reader.row(rows.line_num, cells, columns)
                    if len(reader.contacts) >= size:
                        yield self._take(reader)
        except csv.Error as error:
            raise CsvError(
                _("line %(line_num)s: %(error)s") % {"line_num": rows.line_num, "error": error}
            ) from None
        if reader is not None:
            yield self._take(reader)

    def _take(self, reader: _Reader) -> list[Contact]:
        chunk, reader.contacts = reader.contacts, []
        self.imported += len(chunk)
        self.skipped_count += len(reader.skipped)
        self.skipped += reader.skipped[: max(0, MAX_NOTES - len(self.skipped))]
        self.notes += reader.notes[: max(0, MAX_NOTES - len(self.notes))]
        reader.skipped, reader.notes = [], []
        return chunk
