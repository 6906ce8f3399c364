"""Advisories (rules section 7): notes shown beside a verdict, never changing it.

One advisory so far, ``bulk``: newsletters, notifications, mailing lists and automatic replies.
A bulk message that is ``not_a_contact`` or ``replies_only`` needs no action (no "Log now", no
contact created, not counted in "needs action"); a bulk message that will be logged suggests
adding its sender to the Never-log list. Pure: the header values come in as text.

The cache keeps the same test as a generated column (``core.store.schema``, migration
``0500_advisories``); ``tests/rules/test_advisories.py`` holds the two equal.
"""

from __future__ import annotations

import enum
from typing import Final, NamedTuple

from core.rules.model import Reason


class Advisory(enum.StrEnum):
    BULK = "bulk"


# Rules section 7 [decision]: "a sender local part such as no-reply, noreply, donotreply,
# notifications, mailer-daemon". A local part that starts with one of these is bulk
# ("noreply-billing", "notifications+abc"); "notification" covers "notifications". "Such as":
# the other names only machines send from are bulk too (issue 15: a scan-to-email device, a
# bounce, an alert), never a word a person's address starts with ("info", "sales", "support"
# and "team" stay people's mail).
BULK_SENDER_PREFIXES: Final = (
    "no-reply",
    "noreply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
    "notification",
    "mailer-daemon",
    "postmaster",
    "bounce",
    "notify",
    "alert",
    "auto-confirm",
    "auto-reply",
    "autoreply",
    "calendar-notification",
    "scanner",
    "printer",
)
# The first list, whose rows migration 0500 marked; 0530 marks the others' rows.
FIRST_BULK_SENDER_PREFIXES: Final = BULK_SENDER_PREFIXES[:8]
BULK_PRECEDENCE: Final = ("bulk", "list", "junk")

# Section 7: the reasons a bulk message no longer needs action for.
QUIETED: Final = frozenset({Reason.NOT_A_CONTACT, Reason.REPLIES_ONLY})


class BulkSignals(NamedTuple):
    """The headers section 7 reads (None when absent), and the sender's address."""

    list_id: str | None = None
    list_unsubscribe: str | None = None
    precedence: str | None = None
    auto_submitted: str | None = None
    sender: str | None = None  # the normalised From address (N1), or None


# Header values are compared after trimming these and folding ASCII case only: the cache's
# generated column (SQLite's trim and lower) computes exactly the same.
WHITESPACE: Final = " \t\r\n"
_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _folded(value: str | None) -> str:
    return _ascii_lower((value or "").strip(WHITESPACE))


def _ascii_lower(text: str) -> str:
    """ASCII case folding only ("İ" and the Kelvin sign stay): ``lower()`` folds an ASCII
    text the same, ~10x faster than ``translate`` (a 100k first sync reads every sender)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def bulk_sender(address: str | None) -> bool:
    """Section 7: the sender's local part starts with an automatic sender's word [decision]."""
    if not address or "@" not in address:
        return False
    return _ascii_lower(address).startswith(BULK_SENDER_PREFIXES)


def is_bulk(signals: BulkSignals) -> bool:
    """Section 7: List-Id or List-Unsubscribe, Precedence bulk/list/junk, Auto-Submitted other
    than ``no``, or an automatic sender's local part."""
    return bulk_of(*signals)


def bulk_of(
    list_id: str | None,
    list_unsubscribe: str | None,
    precedence: str | None,
    auto_submitted: str | None,
    sender: str | None,
) -> bool:
    """:func:`is_bulk` of the signals given one by one (a sync's every new row: no
    ``BulkSignals`` to build)."""
    if not (list_id or list_unsubscribe or precedence or auto_submitted):
        return bulk_sender(sender)  # most mail: no header to read (each reads "" below)
    if _folded(list_id) or _folded(list_unsubscribe):
        return True
    if _folded(precedence) in BULK_PRECEDENCE:
        return True
    auto = _folded(auto_submitted)
    if auto and auto != "no":
        return True
    return bulk_sender(sender)


def advisories(bulk: bool) -> tuple[Advisory, ...]:
    """The advisories of a message (section 7), in a fixed order."""
    return (Advisory.BULK,) if bulk else ()


def quieted(reason: Reason | str | None, bulk: bool) -> bool:
    """Section 7: a bulk ``not_a_contact`` or ``replies_only`` message needs no action."""
    return bulk and reason is not None and Reason(reason) in QUIETED


def suggests_never_log(logged: bool | None, bulk: bool) -> bool:
    """Section 7: a bulk message that will be logged suggests adding its sender to the
    Never-log list."""
    return bulk and bool(logged)
