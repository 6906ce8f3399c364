"""The files a rep hands to a command, read within documented limits; every failure one line.

Every command that reads a file (``explain``, ``directory import``, ``contacts import``,
``policy import``) reads it here, so a hostile file meets the same checks everywhere:

- only a regular file (or ``-``, standard input) is opened: a folder, a device such as
  ``/dev/zero`` or a FIFO is refused before anything is read;
- at most the command's limit is read (:data:`MAX_JSON`, :data:`MAX_CSV`, see
  ``docs/limits.md``): a bigger file is refused with its size, never read whole;
- JSON is strict UTF-8 (a BOM is allowed), numbers of at most 18 digits (Python refuses
  5,000-digit integers with an error no JSON parser catches), no NaN or Infinity, no lone
  surrogate in a string (SQLite cannot store it), nesting of at most 64 levels (100,000
  brackets would exhaust the recursion limit of the parser or of what reads it next).

The error (:class:`InputError`) is one line naming the file; the command exits 2 and has
written nothing.
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
from typing import BinaryIO, Final, TextIO

from core.i18n import _

MAX_JSON: Final = 32 << 20  # a scenario, directory or policy file (JSON is parsed whole)
MAX_CSV: Final = 1 << 30  # a contacts export (read as a stream)
MAX_DIGITS: Final = 18  # of a JSON number
MAX_DEPTH: Final = 64  # of JSON nesting


class BadInput(ValueError):
    """A value the user gave that cannot be used (an address, a date...); one line."""


class InputError(Exception):
    """A file that cannot be used as given; ``str()`` is one line naming the file."""


def shown_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB"


def open_binary(path: str, limit: int) -> BinaryIO:
    """A regular file opened for reading, checked against ``limit`` bytes first."""
    name = shown_name(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(_("%(name)s: is a folder, not a file") % {"name": name})
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                _("%(name)s: not a regular file (a device, a pipe...)") % {"name": name}
            )
        if info.st_size > limit:
            raise InputError(
                _("%(name)s: %(mb)s, over the %(mb2)s limit")
                % {"name": name, "mb": _mb(info.st_size), "mb2": _mb(limit)}
            )
        return open(path, "rb")  # the caller closes it
    except OSError as error:
        raise InputError(
            _("%(name)s: cannot read: %(strerror)s")
            % {"name": name, "strerror": error.strerror or error}
        ) from None


def read_bytes(path: str, stdin: TextIO, limit: int) -> bytes:
    """The whole file (or standard input), at most ``limit`` bytes."""
    if path == "-":
        buffer: BinaryIO | None = getattr(stdin, "buffer", None)
        if buffer is not None:
            data = buffer.read(limit + 1)
        else:  # a text stream without bytes (tests): its text as UTF-8
            data = stdin.read(limit + 1).encode("utf-8", "surrogateescape")
    else:
        with open_binary(path, limit) as handle:
            try:
                data = handle.read(limit + 1)
            except OSError as error:
                raise InputError(
                    _("%(path)s: cannot read: %(strerror)s")
                    % {"path": path, "strerror": error.strerror or error}
                ) from None
    if len(data) > limit:
        raise InputError(
            _("%(shown_name)s: over the %(mb)s limit")
            % {"shown_name": shown_name(path), "mb": _mb(limit)}
        )
    return data


class Capped:
    """A binary stream that refuses to give more than ``limit`` bytes in all (one line)."""

    def __init__(self, handle: BinaryIO, limit: int, name: str) -> None:
        self.handle = handle
        self.limit = limit
        self.name = name
        self.count = 0

    def readline(self, size: int = -1) -> bytes:
        return self._counted(self.handle.readline(size))

    def read(self, size: int = -1) -> bytes:
        return self._counted(self.handle.read(size))

    def _counted(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.limit:
            raise InputError(
                _("%(name)s: over the %(mb)s limit") % {"name": self.name, "mb": _mb(self.limit)}
            )
        return data

    def close(self) -> None:
        self.handle.close()

    def __enter__(self) -> Capped:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_stream(path: str, stdin: TextIO, limit: int) -> Capped:
    """A file (or standard input) to read as a stream, at most ``limit`` bytes."""
    if path != "-":
        return Capped(open_binary(path, limit), limit, path)
    buffer: BinaryIO | None = getattr(stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes (tests): its text as UTF-8
        buffer = io.BytesIO(stdin.read(limit + 1).encode("utf-8", "surrogateescape"))
    return Capped(buffer, limit, shown_name(path))


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(
            _("a number of %(n)s digits (at most %(max_digits)s)")
            % {"n": len(text), "max_digits": MAX_DIGITS}
        )
    return int(text)


def _decimal(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or len(text) > 64:
        raise _Refused(_("the number %(text)s… is out of range") % {"text": text[:24]})
    return value


def _constant(text: str) -> float:
    raise _Refused(_("%(text)s is not a JSON number") % {"text": text})


class _Refused(ValueError):
    """A JSON value this reader refuses (raised from inside the parser)."""


def parse_json(data: bytes, name: str) -> object:
    """A JSON document from bytes, within the rules above; raises ``InputError``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            _("%(name)s: not UTF-8 text (byte %(start)s)") % {"name": name, "start": error.start}
        ) from None
    try:
        doc = json.loads(text, parse_int=_number, parse_float=_decimal, parse_constant=_constant)
    except _Refused as error:
        raise InputError(
            _("%(name)s: not usable JSON: %(error)s") % {"name": name, "error": error}
        ) from None
    except json.JSONDecodeError as error:
        raise InputError(
            _("%(name)s: not JSON: %(msg)s at line %(lineno)s, column %(colno)s")
            % {"name": name, "msg": error.msg, "lineno": error.lineno, "colno": error.colno}
        ) from None
    except RecursionError:
        raise InputError(
            _("%(name)s: not usable JSON: nested more than %(max_depth)s levels")
            % {"name": name, "max_depth": MAX_DEPTH}
        ) from None
    except ValueError as error:  # what else the parser refuses (never a traceback)
        raise InputError(
            _("%(name)s: not JSON: %(error)s") % {"name": name, "error": error}
        ) from None
    _check_values(doc, name)
    return doc


def _check_values(doc: object, name: str) -> None:
    """No lone surrogate in any text, no nesting past :data:`MAX_DEPTH` (iteratively)."""
    pending: list[tuple[object, int]] = [(doc, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise InputError(
                _("%(name)s: not usable JSON: nested more than %(max_depth)s levels")
                % {"name": name, "max_depth": MAX_DEPTH}
            )
        if isinstance(value, str):
            _check_text(value, name)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, name)
                pending.append((item, depth + 1))


def _check_text(text: str, name: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise InputError(
            _("%(name)s: not usable JSON: a text holds a lone surrogate (\\u%(code)s)")
            % {"name": name, "code": format(code, "04x")}
        ) from None


def read_json(path: str, stdin: TextIO, limit: int = MAX_JSON) -> object:
    """Parse a JSON file (``-`` for standard input); raises ``InputError`` with one line."""
    return parse_json(read_bytes(path, stdin, limit), shown_name(path))
