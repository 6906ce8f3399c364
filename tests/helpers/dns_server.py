"""A DNS responder on a loopback UDP socket: answers SRV and MX questions from a table.

The records are written the way a real server writes them, names compressed against the
question (RFC 1035 §4.1.4), so the client's parser meets pointers. Unknown names get
NXDOMAIN; ``silent`` names get no answer at all (a resolver that times out).
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field

SRV, MX = 33, 15


def _name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


@dataclass
class DnsServer:
    """Records by (name, type): SRV as (priority, weight, port, target), MX as (pref, host)."""

    records: dict[tuple[str, int], list[tuple[int, ...] | tuple[int, str]]] = field(
        default_factory=dict
    )
    silent: set[str] = field(default_factory=set)
    questions: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address: tuple[str, int] = self.sock.getsockname()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            answer = self._answer(data)
            if answer is None:
                continue
            try:
                self.sock.sendto(answer, peer)
            except OSError:  # closed by the test while a late query was answered
                return

    def _answer(self, query: bytes) -> bytes | None:
        ident = struct.unpack("!H", query[:2])[0]
        labels, pos = [], 12
        while query[pos]:
            labels.append(query[pos + 1 : pos + 1 + query[pos]].decode("ascii"))
            pos += 1 + query[pos]
        question = query[12 : pos + 5]
        rtype = struct.unpack("!H", query[pos + 1 : pos + 3])[0]
        name = ".".join(labels).lower()
        self.questions.append((name, rtype))
        if name in self.silent:
            return None
        found = self.records.get((name, rtype))
        if found is None:
            return struct.pack("!HHHHHH", ident, 0x8183, 1, 0, 0, 0) + question  # NXDOMAIN
        body = b""
        for record in found:
            if rtype == SRV:
                priority, weight, port, target = record
                rdata = struct.pack("!HHH", priority, weight, port) + _name(str(target))
            else:
                preference, host = record
                rdata = struct.pack("!H", preference) + _name(str(host))
            # The owner name as a pointer to the question's name (offset 12).
            body += struct.pack("!HHHIH", 0xC00C, rtype, 1, 300, len(rdata)) + rdata
        header = struct.pack("!HHHHHH", ident, 0x8180, 1, len(found), 0, 0)
        return header + question + body

    def close(self) -> None:
        self.sock.close()
