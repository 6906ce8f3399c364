"""The recipients' memo of a decision (``core.rules.contact_index.RecipientInfo``) goes with
its last reference: no reference cycle keeps a directory's lookups until the collector's
next full pass (one directory per decision: a settings change, an explanation)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterable, Iterator

from core.rules.contact_index import IndexedEmails, RecipientInfo
from core.rules.model import Contact


class _Index:
    """A contact index of one contact (the ``ContactIndex`` protocol)."""

    def contact_id(self, email: str) -> str | None:
        return "c1" if email == "ana@x.example" else None

    def contact_ids(self, emails: Iterable[str]) -> dict[str, str]:
        return {e: "c1" for e in emails if e == "ana@x.example"}

    def contact(self, contact_id: str) -> Contact | None:
        return None

    def count(self) -> int:
        return 1

    def contacts(self) -> Iterator[Contact]:
        return iter(())


def test_a_recipient_memo_is_freed_by_reference_counting() -> None:
    logging = {"log@crm.example": ("", False)}
    gc.disable()
    try:
        info = RecipientInfo(
            IndexedEmails(_Index(), {}), lambda email: email.endswith(".bad"), logging
        )
        assert info.get("ana@x.example") == ("c1", False)
        assert info.lookup("log@crm.example") == ("", False) and info.get("bob@x.example") is None
        gone = weakref.ref(info)
        del info
        assert gone() is None
    finally:
        gc.enable()
