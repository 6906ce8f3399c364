"""A small DNS client over UDP for the two lookups account set-up makes: SRV and MX records.

Not dnspython: two record types and one question per query do not need a library, and a
resolver address plus a short timeout is all set-up wants. The resolver is the first
``nameserver`` of ``/etc/resolv.conf`` (Linux, macOS); where there is none (Windows), the
DNS steps are skipped and said so. Replies are checked against the question's id and the
resolver's address, and parsed with bounds and pointer-loop checks: a hostile answer is an
error, never a crash.
"""

from __future__ import annotations

import secrets
import socket
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

SRV: Final = 33
MX: Final = 15
RESOLV_CONF: Final = Path("/etc/resolv.conf")  # POSIX only: Windows has no such file
_MAX_JUMPS: Final = 32


class DnsError(Exception):
    """No usable answer (timeout, server failure, malformed reply): one line."""


@dataclass(frozen=True, slots=True)
class SrvRecord:
    priority: int
    weight: int
    port: int
    target: str


def system_resolver(path: Path = RESOLV_CONF) -> tuple[str, int] | None:
    """The first name server of resolv.conf, or None when there is no such file."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            return fields[1].split("%")[0], 53
    return None


def _encode_name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("idna") if not label.isascii() else label.encode("ascii")
        if not 0 < len(raw) < 64:
            raise DnsError(f"bad DNS name {name!r}")
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def _question(ident: int, name: str, rtype: int) -> bytes:
    header = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0)  # recursion desired
    return header + _encode_name(name) + struct.pack("!HH", rtype, 1)


def _read_name(data: bytes, pos: int) -> tuple[str, int]:
    """A possibly compressed name at ``pos``; returns it and the position after it."""
    labels: list[str] = []
    end = -1
    for _ in range(_MAX_JUMPS):
        if pos >= len(data):
            raise DnsError("malformed DNS answer (name past the end)")
        length = data[pos]
        if length & 0xC0 == 0xC0:
            if pos + 1 >= len(data):
                raise DnsError("malformed DNS answer (cut pointer)")
            end = pos + 2 if end < 0 else end
            pos = ((length & 0x3F) << 8) | data[pos + 1]
            continue
        if length == 0:
            return ".".join(labels), (pos + 1 if end < 0 else end)
        labels.append(data[pos + 1 : pos + 1 + length].decode("ascii", "replace"))
        pos += 1 + length
    raise DnsError("malformed DNS answer (pointer loop)")


def _answers(data: bytes, ident: int, rtype: int) -> list[int]:
    """Where the data of each answer of type ``rtype`` starts in the reply."""
    if len(data) < 12:
        raise DnsError("malformed DNS answer (short header)")
    rid, flags, qdcount, ancount, _, _ = struct.unpack("!HHHHHH", data[:12])
    if rid != ident or not flags & 0x8000:
        raise DnsError("a DNS answer to another question")
    rcode = flags & 0x000F
    if rcode == 3:
        return []  # NXDOMAIN: no such name
    if rcode != 0:
        raise DnsError(f"the DNS server failed (rcode {rcode})")
    pos = _after_questions(data, 12, qdcount)
    found: list[int] = []
    for _ in range(ancount):
        pos = _read_name(data, pos)[1]
        if pos + 10 > len(data):
            raise DnsError("malformed DNS answer (cut record)")
        kind, _cls, _ttl, size = struct.unpack("!HHIH", data[pos : pos + 10])
        start = pos + 10
        if start + size > len(data):
            raise DnsError("malformed DNS answer (cut data)")
        if kind == rtype:
            found.append(start)
        pos = start + size
    return found


def _after_questions(data: bytes, pos: int, count: int) -> int:
    """Where the answers start: past ``count`` questions (a name, a type and a class each)."""
    for _ in range(count):
        pos = _read_name(data, pos)[1] + 4
    return pos


def query(
    name: str, rtype: int, server: tuple[str, int], timeout: float
) -> tuple[bytes, list[int]]:
    """Ask ``server`` one question; the reply and where each matching answer's data starts."""
    ident = secrets.randbits(16)
    family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
    deadline = time.monotonic() + timeout
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.sendto(_question(ident, name, rtype), server)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DnsError(f"no DNS answer for {name} within {timeout:g} s")
            sock.settimeout(left)
            try:
                data, sender = sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError as error:
                raise DnsError(f"DNS lookup of {name} failed: {error.strerror}") from None
            if sender[:2] != server:
                continue  # not from the resolver asked: ignore
            try:
                answers = _answers(data, ident, rtype)
            except DnsError as error:
                if "another question" in str(error):
                    continue
                raise
            return data, answers


def _numbers_and_name(data: bytes, pos: int, layout: str, what: str) -> tuple[tuple[int, ...], str]:
    """A record's fixed fields (struct ``layout``) and the name after them."""
    size = struct.calcsize(layout)
    if pos + size > len(data):
        raise DnsError(f"malformed {what} record")
    return struct.unpack(layout, data[pos : pos + size]), _read_name(data, pos + size)[0]


def srv(name: str, server: tuple[str, int], timeout: float) -> list[SrvRecord]:
    """SRV records of ``name``, best first (RFC 2782: priority, then weight); "." dropped."""
    data, offsets = query(name, SRV, server, timeout)
    records = []
    for pos in offsets:
        (priority, weight, port), target = _numbers_and_name(data, pos, "!HHH", "SRV")
        if target not in ("", "."):
            records.append(SrvRecord(priority, weight, port, target))
    return sorted(records, key=lambda r: (r.priority, -r.weight))


def mx(name: str, server: tuple[str, int], timeout: float) -> list[str]:
    """The mail exchangers of ``name``, most preferred first."""
    data, offsets = query(name, MX, server, timeout)
    hosts = [_numbers_and_name(data, pos, "!H", "MX") for pos in offsets]
    return [host for _, host in sorted(hosts)]
