"""Contacts looked up, not loaded: the directory's contact maps over an index (pure).

A real CRM portal has 100,000 contacts or more; building the directory's maps of every one
of them costs seconds and hundreds of MB for each command, while a decision only asks about
the few addresses its messages carry. A :class:`ContactIndex` (the cache's indexed tables,
``core.store.directory_index``) answers those questions one address at a time; the maps
here give it the shape the engine reads (``Mapping``), remembering each answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

from core.rules.addresses import normalize_email

if TYPE_CHECKING:  # for types only: this module imports nothing of the model at run time
    from core.rules.model import Contact

_UNSEEN: Final = object()
_V = TypeVar("_V")


class ContactIndex(Protocol):
    """Where contacts are kept: each looked up by id or by normalised address."""

    def contact_id(self, email: str) -> str | None:
        """The contact with this (N1) address, the first by position when several share it."""
        ...

    def contact_ids(self, emails: Iterable[str]) -> dict[str, str]:
        """``contact_id`` of many addresses at once (those without a contact are left out)."""
        ...

    def contact(self, contact_id: str) -> Contact | None: ...

    def count(self) -> int: ...

    def contacts(self) -> Iterator[Contact]:
        """Every contact, by position."""
        ...


class IndexedContacts(Mapping[str, "Contact"]):
    """Contact id -> contact, over an index."""

    def __init__(self, index: ContactIndex) -> None:
        self._index = index
        self._memo: dict[str, Contact | None] = {}  # each id asked of the index once

    def __getitem__(self, contact_id: str) -> Contact:
        found = self._memo.get(contact_id, _UNSEEN)
        if found is _UNSEEN:
            found = self._memo[contact_id] = self._index.contact(contact_id)
        if found is None:
            raise KeyError(contact_id)
        return found  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return (contact.id for contact in self._index.contacts())

    def __len__(self) -> int:
        return self._index.count()

    def values(self) -> _Contacts:  # type: ignore[override]
        return _Contacts(self._index)


class _Contacts(Set["Contact"]):
    """Every contact in one pass over the index (not one lookup per id)."""

    def __init__(self, index: ContactIndex) -> None:
        self._index = index

    def __iter__(self) -> Iterator[Contact]:
        return self._index.contacts()

    def __len__(self) -> int:
        return self._index.count()

    def __contains__(self, item: object) -> bool:
        found = self._index.contact(str(getattr(item, "id", "")))
        return found is not None and found == item


class _ByGet(Mapping[str, _V]):
    """A mapping whose ``get`` answers (None: absent): item access and ``in`` follow it."""

    def get(self, key: str, default: _V | None = None) -> _V | None:  # type: ignore[override]
        raise NotImplementedError

    def __getitem__(self, key: str) -> _V:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None


class IndexedEmails(_ByGet[str]):
    """N3: normalised address -> contact id; a user's address is never a contact's."""

    def __init__(self, index: ContactIndex, users: Mapping[str, str]) -> None:
        self._index = index
        self._users = users
        self._memo: dict[str, str | None] = {}  # each address asked of the index once
        self._none = False  # the index held no contact when prefetch looked (then: no query)

    def get(self, email: str, default: str | None = None) -> str | None:  # type: ignore[override]
        found = self._memo.get(email, _UNSEEN)
        if found is _UNSEEN:
            if self._none:
                return default
            found = None if email in self._users else self._index.contact_id(email)
            self._memo[email] = found
        return default if found is None else found  # type: ignore[return-value]

    def prefetch(self, emails: Callable[[], Iterable[str]]) -> None:
        """Look many addresses up at once (one query, not one per address). ``emails`` gives
        them; it is not called when the index holds no contact (an account whose CRM has not
        been connected yet): every address is then no contact's, with no query."""
        if self._index.count() == 0:
            self._none = True
            return
        wanted = {e for e in emails() if e not in self._memo and e not in self._users}
        found = self._index.contact_ids(wanted)
        self._memo.update((email, found.get(email)) for email in wanted)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for contact in self._index.contacts():
            for written in (contact.email, *contact.additional_emails):
                email = normalize_email(written)
                if email is not None and email not in seen and self.get(email) is not None:
                    seen.add(email)
                    yield email

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Answers(dict[str, tuple[str, bool] | None]):
    """A memo that looks an address up the first time it is asked (``__missing__``)."""

    def __init__(self, lookup: Callable[[str], tuple[str, bool] | None]) -> None:
        super().__init__()
        self._lookup = lookup

    def __missing__(self, email: str) -> tuple[str, bool] | None:
        found = self[email] = self._lookup(email)
        return found


def _recipient(
    logging: Mapping[str, tuple[str, bool]],
    contact_of: IndexedEmails,
    listed: Callable[[str], bool],  # N2: the Never-log lists' match
    email: str,
) -> tuple[str, bool] | None:
    """A recipient's logging address, or (contact id, never-listed); None: neither."""
    if email in logging:
        return logging[email]
    cid = contact_of.get(email)
    return None if cid is None else (cid, listed(email))


class RecipientInfo(_ByGet[tuple[str, bool]]):
    """What the engine asks of a recipient: a logging address, or (contact id, never-listed)."""

    def __init__(
        self,
        contact_of: IndexedEmails,
        listed: Callable[[str], bool],
        logging: Mapping[str, tuple[str, bool]],
    ) -> None:
        self._contact_of = contact_of
        self._logging = logging
        # One lookup per address. Not ``self``'s bound method: the memo would hold this object
        # in a reference cycle, kept with its directory until the collector's next full pass
        # (one per decision: ten after gui_bench's re-decisions and explanations).
        self._memo = _Answers(functools.partial(_recipient, logging, contact_of, listed))
        # ``get`` without a default, in one C call when the address was asked before: the
        # engine asks it of every sender and recipient of a mailbox.
        self.lookup: Callable[[str], tuple[str, bool] | None] = self._memo.__getitem__

    def get(  # type: ignore[override]
        self, email: str, default: tuple[str, bool] | None = None
    ) -> tuple[str, bool] | None:
        found = self._memo[email]
        return default if found is None else found

    def __iter__(self) -> Iterator[str]:
        yield from self._logging
        yield from (e for e in self._contact_of if e not in self._logging)

    def __len__(self) -> int:
        return sum(1 for _ in self)
