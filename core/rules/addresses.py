"""Address parsing and the address normal form (rules N1).

Addresses come from strangers, so the parser is a small iterative state machine: it never
recurses (500 nested comments are fine), never raises, runs in linear time, and refuses the
ambiguous inputs that make two parsers disagree (``alice@x)<bob@y>``, ``a@x;<b@y>``). An
element that is not an address is kept as written with ``email=None`` and matches nothing.
Display names never match anything: ``"ceo@corp" <attacker@evil>`` is attacker@evil.
Encoded words are decoded after the list is split, so an encoded comma stays in its name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, NamedTuple

from core.rules.encoded_words import decode_words, sanitize


class Address(NamedTuple):
    """One element of an address header: the normalised address, its display name, the raw text.

    ``email`` is the lower-cased ``local@domain`` (N1), or None when the element cannot be
    parsed; such an address is kept as written in ``raw`` and matches nothing.
    """

    email: str | None
    name: str
    raw: str

    @property
    def valid(self) -> bool:
        return self.email is not None

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2] if self.email else ""

    def display(self) -> str:
        """Name and address for people: ``Lea Martin <lea@x>``, or the raw text when invalid."""
        if self.email is None:
            return self.raw
        return f"{self.name} <{self.email}>" if self.name else self.email


# Outside comments: quoted strings, domain literals, escapes, the specials, runs of the rest.
_TOKEN: Final = re.compile(
    r'"(?:[^"\\]|\\.)*"|(?P<open>"[\s\S]*)|\[[^\[\]\\]*\]|\\.?|[()<>,;:]|[^"()<>,;:\\\[]+|\[',
    re.S,
)
# Inside a comment only parentheses and escapes matter.
_COMMENT_TOKEN: Final = re.compile(r"\\.?|[()]|[^()\\]+", re.S)

_ATOM: Final = r"[^\s\"(),.:;<>@\[\]\\\x00-\x1f\x7f]+"
_DOT_ATOM: Final = rf"{_ATOM}(?:\.{_ATOM})*"
_QUOTED: Final = r'"(?:[^"\\\r\n\x00]|\\[^\r\n\x00])*"'
_DOMAIN_LITERAL: Final = r"\[[^\[\]\\\s\x00-\x1f]*\]"
_ADDR_SPEC: Final = re.compile(rf"(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|{_DOMAIN_LITERAL})")
# RFC 5322 4.4's obsolete forms receivers must accept: white space around the dots and the
# "@" of an address ("jdoe@test . example"), and a source route before it, which is ignored
# ("<@relay.example,@b.example:mary@example.net>").
# Each run of white space next to a "." or "@" goes, whole; a run is matched only from its
# start (``\s*([.@])\s*`` tried again at each blank of a long run: quadratic).
_OBS_SPACE: Final = re.compile(r"(?<!\s)\s++(?=[.@])|(?<=[.@])\s++")
_ROUTE_DOMAIN: Final = rf"@\s*{_ATOM}(?:\s*\.\s*{_ATOM})*"
# Between two domains: a run of blanks and commas with one comma at least, taken whole (in
# ``(?:\s*,[\s,]*(...)?)*`` a run could be cut anywhere: 16 ", " took 3 s, each one more x2).
_ROUTE: Final = re.compile(rf"[\s,]*+{_ROUTE_DOMAIN}(?:\s*+,[\s,]*+(?:{_ROUTE_DOMAIN})?)*\s*")
_SPECIALS: Final = frozenset("<>;:,")
_FOLDING: Final = re.compile(r"\r?\n(?=[ \t])")
_CONTROL: Final = re.compile(r"[\x00\r\n]")
_ESCAPE: Final = re.compile(r"\\(.)", re.S)
_new_address = tuple.__new__  # Address(...) without the Python frame of its __new__


class _Element:
    """The tokens of one list element while it is being read."""

    __slots__ = ("addr", "angle_closed", "bad", "phrase", "route", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.phrase: list[str] = []
        self.addr: list[str] | None = None  # tokens inside <...>, once '<' was seen
        self.angle_closed = False
        self.bad = False
        self.route = False  # an obsolete source route "<@relay:" was read (and dropped)


def _unescape(text: str) -> str:
    """A quoted string's text without its escapes (``\\x`` is ``x``)."""
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def _unquote(token: str) -> str:
    if token.startswith('"'):
        return _unescape(token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:])
    return token


def _display_name(tokens: list[str]) -> str:
    words = [decode_words(_unquote(t)) if t.startswith('"') else decode_words(t) for t in tokens]
    return " ".join("".join(words).split())  # runs of whitespace as one space, none at the ends


def _plain_name(text: str) -> str:
    """``_display_name`` of one token with no control character but the tab (the fast path's):
    decoded only when it holds an encoded word, as ``sanitize`` would change nothing else."""
    return " ".join((decode_words(text) if "=?" in text else text).split())


def _finish(element: _Element, raw: str) -> Address | None:
    if _CONTROL.search(raw) is not None:
        element.bad = True  # a bare CR/LF/NUL is header injection, not an address
    raw = sanitize(raw.strip())
    if element.addr is None:
        candidate = "".join(element.phrase).strip()
        if not candidate and not element.bad:
            return None  # an empty element, as in "a@x,,b@y"
        name = ""
    else:
        candidate = "".join(element.addr).strip()
        name = _display_name(element.phrase)
        if not element.angle_closed:
            element.bad = True
    if not element.bad and _ADDR_SPEC.fullmatch(candidate) is None and '"' not in candidate:
        candidate = _OBS_SPACE.sub("", candidate)  # "jdoe@test . example" (RFC 5322 4.4)
    if element.bad or _ADDR_SPEC.fullmatch(candidate) is None:
        return Address(None, name, raw)
    return Address(candidate.lower(), name, raw)


# The common element shapes, read by one regular expression (_fast): ``Name <a@b>``,
# ``"Quoted, Name" <a@b>``, ``<a@b>`` and ``a@b``, without comments, groups, escapes outside
# quotes, domain literals or control characters but the tab. Each gives what _parse gives
# (tests/rules/test_fast_paths.py): the name _display_name gives its tokens (_plain_name),
# and an address only where _finish's check passes (the pattern holds it; anything else,
# "a..b@c" too, is left to the general path).
_ADDR_TEXT: Final = rf"{_DOT_ATOM}@{_DOT_ATOM}"  # _ADDR_SPEC's without quotes or literals
_FAST_ELEMENT: Final = re.compile(
    r"(?P<lead>[ \t]*+)(?:"
    r'"(?P<quoted>(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[^\x00-\x08\x0a-\x1f\x7f])*)"'
    r"(?P<trail>[ \t]*)"
    r'|(?P<phrase>[^"()<>,;:\\\[\]@\x00-\x08\x0a-\x1f\x7f]*))'
    rf"<(?P<angle>{_ADDR_TEXT})>[ \t]*(?=,|\Z)"
    rf"|(?P<bare>[ \t]*{_ADDR_TEXT}[ \t]*)(?=,|\Z)"
)


def _fast(value: str) -> tuple[Address, ...] | None:
    """``_parse(value)`` for a list of common elements; None for anything else.

    The elements' groups hold no control character but the tab, so a display name is one
    token for ``_plain_name`` (the blanks around a quoted one are what ``_display_name``
    drops), and ``sanitize`` changes a raw text only when it is not printable.
    """
    found: list[Address] = []
    pos, end = 0, len(value)
    match_at = _FAST_ELEMENT.match
    while True:
        match = match_at(value, pos)
        if match is None:
            return None
        stop = match.end()
        found.append(_fast_address(match, value[pos:stop]))
        pos = stop + 1  # past the comma
        if pos > end:
            return tuple(found)


def _fast_address(match: re.Match[str], text: str) -> Address:
    """The address of one element ``_FAST_ELEMENT`` matched (``text``, as written)."""
    raw = text.strip()
    if not raw.isprintable():
        raw = sanitize(raw)
    quoted, phrase, candidate, bare = match.group("quoted", "phrase", "angle", "bare")
    if bare is not None:
        candidate, name = bare.strip(), ""
    elif quoted is not None:
        name = _plain_name(_unescape(quoted))
    else:
        name = _plain_name(phrase) if phrase else ""  # the blanks before it: dropped
    return _new_address(Address, (candidate.lower(), name, raw))


def fast_element(value: str) -> tuple[Address, bool] | None:
    """``parse_address_list(value)``'s one address when ``value`` is one common element (a
    shape ``_fast`` reads), with whether its quoted name holds an escape; None for anything
    else, lists of several elements too. Not memoised: its caller memoises elements."""
    match = _FAST_ELEMENT.match(value)
    if match is None or match.end() != len(value):
        return None
    quoted = match.group("quoted")
    return _fast_address(match, value), quoted is not None and "\\" in quoted


def _parse(value: str) -> tuple[Address, ...]:
    fast = _fast(value)
    if fast is not None:
        return fast
    return _general(value)


def _route(element: _Element, token: str) -> None:
    """A "," or ":" inside <...>: part of an obsolete source route, which ":" ends (and the
    route is dropped); anything else makes the address invalid."""
    assert element.addr is not None
    if token == ":" and _ROUTE.fullmatch("".join(element.addr)):
        element.addr = []
        element.route = True
    elif token == ",":
        element.addr.append(token)  # kept: an address with a "," in it never matches
    else:
        element.bad = True


def _past_comment(value: str, pos: int) -> tuple[int, int]:
    """Where the comment opened right before ``pos`` ends, and the depth still open there
    (not 0: it never closes). Inside a comment only parentheses and escapes matter."""
    depth, end = 1, len(value)
    while depth and pos < end:
        match = _COMMENT_TOKEN.match(value, pos)
        assert match is not None  # the pattern matches any character
        token = match.group()
        pos = match.end()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
    return pos, depth


def _general(value: str) -> tuple[Address, ...]:
    """Any address list, token by token."""
    if "\n" in value or "\r" in value:
        value = _FOLDING.sub(" ", value)  # unfold; a bare CR or LF left is caught later
    result: list[Address] = []
    element = _Element(0)
    depth = 0  # comment nesting
    in_group = False
    pos, end = 0, len(value)

    def flush(at: int) -> None:
        nonlocal element
        address = _finish(element, value[element.start : at])
        if address is not None:
            result.append(address)
        element = _Element(at + 1)

    while pos < end:
        match = _TOKEN.match(value, pos)
        assert match is not None
        token, start, pos = match.group(), match.start(), match.end()
        in_angle = element.addr is not None and not element.angle_closed
        if token == "(":
            pos, depth = _past_comment(value, pos)
        elif token == ")":
            element.bad = True
        elif token == "," and not in_angle:
            flush(start)
        elif (
            token == ":"
            and not in_angle
            and not in_group
            and element.addr is None
            and not any("@" in t for t in element.phrase)
        ):
            in_group = True  # "name: a@x, b@y;" -- the group's name is no address
            element = _Element(pos)
        elif token == ";" and not in_angle and in_group:
            flush(start)
            in_group = False
        elif token == "<" and element.addr is None:
            element.addr = []
        elif in_angle and token in ",:" and not element.route:
            _route(element, token)
        elif token == ">" and in_angle:
            element.angle_closed = True
        elif token in _SPECIALS or token[0] == "\\" or match.lastgroup == "open":
            element.bad = True  # a stray special, an escape outside quotes, an open quote
        elif token == "[" or (element.angle_closed and not token.isspace()):
            element.bad = True
        elif in_angle:
            assert element.addr is not None
            element.addr.append(token)
        else:
            element.phrase.append(token)
    if depth:
        element.bad = True
    flush(end)
    return tuple(result)


# Memoised: a mailbox repeats its correspondents and often whole lists, and the tokenizer is
# the costliest step of reading a message (values over 1024 characters are not kept).
@lru_cache(maxsize=65536)
def _parse_cached(value: str) -> tuple[Address, ...]:
    return _parse(value)


def parse_address_list(value: str | None) -> tuple[Address, ...]:
    """Parse an address header (To, Cc, ...) into its addresses; groups are flattened."""
    if not value:
        return ()
    # A mailbox repeats the same short headers constantly: memoise those, not the huge ones.
    return _parse_cached(value) if len(value) <= 1024 else _parse(value)


def parse_mailbox(value: str | None) -> Address | None:
    """Parse a From-like header: its first address, or None when it holds none at all."""
    addresses = parse_address_list(value)
    return addresses[0] if addresses else None


def normalize_email(value: str) -> str | None:
    """The N1 form of one written address (a directory entry), or None when unparseable."""
    address = parse_mailbox(value)
    return address.email if address is not None else None
