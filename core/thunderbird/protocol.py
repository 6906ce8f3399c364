"""Native messaging frames: a 4-byte length in native byte order, then that many bytes of UTF-8
JSON (the WebExtension native messaging format), with bounded sizes both ways.

Thunderbird refuses a message from the host over 1 MB, and nothing the add-in sends needs more
than a few kilobytes, so a request over ``MAX_REQUEST`` is read and thrown away in small chunks
(the stream stays in step) and answered with an error. A stream that ends inside a length or a
body cannot be answered in step: the host stops there. Pure but for the streams it is given.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO, Final

from core.thunderbird import PROTOCOL_VERSION

MAX_REQUEST: Final = 1 << 20  # bytes of one request's JSON
MAX_ANSWER: Final = 1 << 20  # Thunderbird's own limit for a message from the host
_LENGTH: Final = struct.Struct("=I")  # native byte order, as the browsers write it
_CHUNK: Final = 64 * 1024
_MAX_DEPTH: Final = 64  # nesting of arrays and objects in a request


class ProtocolError(Exception):
    """A request that cannot be answered as asked: ``code`` for the add-in, a one-line text."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class StreamEnded(Exception):
    """The stream ended inside a frame (a truncated length or body): nothing more to read."""


class FrameTooLarge(ProtocolError):
    """A frame over ``MAX_REQUEST``: its bytes were skipped, the next frame can be read."""


def read_frame(stream: BinaryIO, limit: int = MAX_REQUEST) -> bytes | None:
    """The next frame's bytes; None at a clean end of stream (between frames).

    Raises ``StreamEnded`` when the stream ends inside a frame and ``FrameTooLarge`` (after
    skipping the frame's bytes) when its length is over ``limit``.
    """
    head = _read_exactly(stream, _LENGTH.size)
    if not head:
        return None
    if len(head) < _LENGTH.size:
        raise StreamEnded(f"the stream ended inside a frame length ({len(head)} of 4 bytes)")
    (length,) = _LENGTH.unpack(head)
    if length > limit:
        _skip(stream, length)
        raise FrameTooLarge(
            "too_large", f"a request of {length} bytes is over the limit of {limit} bytes"
        )
    body = _read_exactly(stream, length)
    if len(body) < length:
        raise StreamEnded(f"the stream ended inside a frame ({len(body)} of {length} bytes)")
    return body


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left > 0:
        part = stream.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _skip(stream: BinaryIO, size: int) -> None:
    left = size
    while left > 0:
        part = stream.read(min(left, _CHUNK))
        if not part:
            raise StreamEnded(f"the stream ended inside a frame of {size} bytes")
        left -= len(part)


def _json(frame: bytes) -> Any:
    """The JSON value of a frame's UTF-8 text; ``ProtocolError`` (not_json) when it is not."""
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("not_json", "the request is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ProtocolError("not_json", f"the request is not JSON: {error.msg}") from None
    except RecursionError:
        raise ProtocolError("not_json", "the request is nested too deeply") from None


def decode(frame: bytes) -> dict[str, Any]:
    """A request object from a frame's bytes; ``ProtocolError`` when it is not one."""
    value = _json(frame)
    if not isinstance(value, dict):
        raise ProtocolError("bad_request", "a request is a JSON object with an 'op' field")
    if _depth(value) > _MAX_DEPTH:
        raise ProtocolError("bad_request", "the request is nested too deeply")
    return value


def _depth(value: object) -> int:
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            todo.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            todo.extend((v, level + 1) for v in item)
    return deepest


def request_id(request: dict[str, Any]) -> str | int | None:
    """The request's ``id`` when it is a usable one (echoed in the answer), else None."""
    value = request.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return value if not isinstance(value, str) or len(value) <= 200 else None


def ok(request_id: str | int | None, **fields: Any) -> dict[str, Any]:
    """A successful answer."""
    return {"version": PROTOCOL_VERSION, "id": request_id, "ok": True, **fields}


def error(request_id: str | int | None, code: str, message: str) -> dict[str, Any]:
    """An error answer: ``code`` for the add-in's logic, ``message`` for the rep."""
    return {
        "version": PROTOCOL_VERSION,
        "id": request_id,
        "ok": False,
        "error": {"code": code, "message": message},
    }


def encode(answer: dict[str, Any], limit: int = MAX_ANSWER) -> bytes:
    """A frame for an answer; an answer over ``limit`` becomes a ``too_large`` error."""
    data = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(data) > limit:
        small = error(answer.get("id"), "too_large", "the answer is too large to send")
        data = json.dumps(small, separators=(",", ":")).encode("utf-8")
    return _LENGTH.pack(len(data)) + data


def write_frame(stream: BinaryIO, answer: dict[str, Any]) -> None:
    stream.write(encode(answer))
    stream.flush()
