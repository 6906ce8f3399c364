"""Where an address list may be split into its elements, each parsed (and memoised) alone.

``core.mail.headers`` reads a list element by element only where the parser splits it the
same way: reading the list whole gives the same addresses (``tests/mail/test_headers_fast.py``
holds the two equal, on any list).
"""

from __future__ import annotations

import re
from typing import Final

_UNSAFE_SPLIT: Final = re.compile(r'["()\[\]\\:;]')


def _splittable(part: str) -> bool:
    """An element where a list may be split (as the general reading's ``_one`` splits it, in
    ``tests/helpers/reference_headers.py``): no quote, comment, group, escape or domain
    literal, and at most one ``<...>``, opened before it is closed (``x> <a@x, b@y`` is one
    invalid address for the parser, never a valid ``b@y``)."""
    if _UNSAFE_SPLIT.search(part) is not None:
        return False
    opens = part.find("<")
    closes = part.find(">")
    if opens < 0:
        return closes < 0
    return opens < closes and part.count("<") == 1 and part.count(">") == 1


def may_split(part: str) -> bool:
    """``_splittable``, where one quoted string (no quote or escape inside) may stand: the
    tokenizer reads it as one word whatever it holds (``"Brown, James" <jb@x>``), and the
    pieces around it must be splittable as they are."""
    if '"' in part:
        before, _, rest = part.partition('"')
        inner, closing, after = rest.partition('"')
        if not closing or "\\" in inner:
            return False
        part = before + after  # a third quote is still unsafe there
    return _splittable(part)


def rejoin_quoted(parts: list[str]) -> list[str]:
    """A list's comma-separated pieces, those split inside a quoted string joined again: a
    piece with an odd number of quotes opens a quote, the next such piece closes it. Linear:
    a hostile list of one quote and 100,000 commas is joined once."""
    found: list[str] = []
    pending: list[str] = []  # the pieces since a quote opened
    for part in parts:
        odd = part.count('"') % 2
        if pending:
            pending.append(part)
            if odd:
                found.append(",".join(pending))
                pending = []
        elif odd:
            pending.append(part)
        else:
            found.append(part)
    if pending:
        found.append(",".join(pending))  # a quote never closed: not splittable (may_split)
    return found
