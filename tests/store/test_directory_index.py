"""The contacts' index: the stored directory answers as the in-memory one, however it is fed."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from core.crm.service import CrmService
from core.rules.directory import Directory
from core.rules.model import AccountSettings, Contact, User
from core.store import cache, db, directory_index, schema, transaction, verdicts
from core.store.accounts import AccountKind, insert_account
from core.store.directory import import_directory, load_directory, parse_directory
from tests.helpers.statements import recorded
from tests.store.builders import folder_info, new

USERS = (User("u1", "mia@globex.example", "Mia", aliases=("shared@x.example",)),)
_EMAILS = st.sampled_from(
    ["a@x.example", "B@X.example", "b@x.example", "shared@x.example", "c@y.example",
     "not an address", "d@y.example", "Dana <d@y.example>"]
)  # fmt: skip
_CONTACTS = st.lists(
    st.builds(
        Contact,
        id=st.sampled_from(["c1", "c2", "c3", "c4"]),
        email=_EMAILS,
        name=st.sampled_from(["", "Lea"]),
        additional_emails=st.lists(_EMAILS, max_size=2).map(tuple),
        owner=st.sampled_from([None, "u1"]),
    ),
    max_size=8,
)


def _doc(contacts: list[Contact]) -> dict[str, object]:
    return {
        "account": {"logging_rule": "all", "never_log": ["y.example"]},
        "users": [{"id": "u1", "email": "mia@globex.example", "aliases": ["shared@x.example"]}],
        "contacts": [
            {"id": c.id, "email": c.email, "name": c.name,
             "additional_emails": [*c.additional_emails], **({"owner": c.owner} if c.owner else {})}
            for c in contacts
        ],
        "mailbox_owner": "u1",
    }  # fmt: skip


def _same(stored: Directory, memory: Directory) -> None:
    for email in ["a@x.example", "b@x.example", "shared@x.example", "c@y.example", "d@y.example",
                  "zz@none.example"]:  # fmt: skip
        assert stored.contact_of.get(email) == memory.contact_of.get(email), email
        # the engine's lookup (asked first: it fills the stored one's memo) answers as get
        answer = memory.recipient_info.get(email)
        assert stored.recipient_lookup(email) == memory.recipient_lookup(email) == answer, email
        assert stored.recipient_info.get(email) == answer, email
        assert (email in stored.contact_of) == (email in memory.contact_of)
        assert stored.kind(email) == memory.kind(email)
    assert dict(stored.contacts) == dict(memory.contacts)
    assert len(stored.contacts) == len(memory.contacts)
    assert sorted(stored.contact_of) == sorted(memory.contact_of)


@settings(max_examples=80, deadline=None)
@given(first=_CONTACTS, then=_CONTACTS)
def test_the_stored_directory_answers_as_the_one_in_memory(
    first: list[Contact], then: list[Contact]
) -> None:
    conn = db.connect(":memory:")
    account = insert_account(conn, "w", AccountKind.MAILDIR, path="/x", user="mia@globex.example")
    import_directory(conn, account.id, parse_directory(_doc(first)))
    settings_ = AccountSettings(never_log=("y.example",))
    kept = [c for n, c in enumerate(first) if c.id not in {d.id for d in first[:n]}]  # first id
    memory = Directory(settings_, USERS, kept, "u1")
    _same(load_directory(conn, account)[0], memory)
    CrmService(conn, account).upsert_contacts(then)  # then an upsert (CSV import, a click)
    merged: dict[str, Contact] = {c.id: c for c in memory.contacts.values()}
    for contact in then:
        merged[contact.id] = contact  # kept at its first position, with its last values
    ordered = sorted(merged.values(), key=lambda c: [*merged].index(c.id))
    stored = load_directory(conn, account)[0]
    _same(stored, Directory(stored.account, USERS, ordered, "u1"))
    conn.close()


def test_contacts_stored_before_the_index_are_indexed_by_its_migration(tmp_path: object) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    earlier = [(n, a) for n, a in schema.MIGRATIONS if n < "0420_directory_index"]
    for name, apply in earlier:  # a cache as the previous release left it
        apply(conn)
        conn.execute("INSERT INTO migrations VALUES (?, 0)", (name,))
    account = insert_account(conn, "w", AccountKind.MAILDIR, path="/x", user="mia@globex.example")
    conn.execute(
        "INSERT INTO directory_contacts VALUES (?, 'c1', 'Lea <LEA@x.example>', 'Lea',"
        " '[\"l2@x.example\"]', NULL, 0)",
        (account.id,),
    )
    assert schema.migrate(conn)[0] == "0420_directory_index"  # then the later ones
    index = directory_index.StoredContacts(conn, account.id)
    assert (index.contact_id("lea@x.example"), index.contact_id("l2@x.example")) == ("c1", "c1")


def test_an_import_that_changes_nothing_writes_and_counts_nothing(
    fresh_db: sqlite3.Connection,
) -> None:
    conn = fresh_db
    account = insert_account(conn, "w", AccountKind.MAILDIR, path="/x", user="mia@globex.example")
    doc = _doc([Contact("c1", "a@x.example", "A", (), None)])
    import_directory(conn, account.id, parse_directory(doc))
    state = cache.ensure_folder(conn, account.id, folder_info("INBOX"))
    rows = [new(n, from_=f"s{n}@x.example" if n % 2 else "a@x.example") for n in range(1, 301)]
    cache.insert_messages(conn, state.id, 1, rows)
    assert verdicts.settle(conn, account).decided == 300
    before = conn.execute("SELECT id, decided_at FROM messages ORDER BY id").fetchall()
    service = CrmService(conn, account)
    assert service.upsert_contacts([]) == verdicts.Settled(0, 0)  # a header-only CSV
    again = service.upsert_contacts([Contact("c1", "a@x.example", "A", (), None)])
    assert again.changed == 0
    assert conn.execute("SELECT id, decided_at FROM messages ORDER BY id").fetchall() == before
    changed = service.upsert_contacts([replace(Contact("c9", "s1@x.example", "S", (), None))])
    assert changed.changed == 1  # the one message from that address: now a contact's
    assert directory_index.stale(conn, account.id) == 0
    assert directory_index.rechecks(conn, account.id) == ([], [])  # the marks were cleared


def test_a_kill_before_the_settle_leaves_the_addresses_marked(
    fresh_db: sqlite3.Connection,
) -> None:
    conn = fresh_db
    account = insert_account(conn, "w", AccountKind.MAILDIR, path="/x", user="mia@globex.example")
    state = cache.ensure_folder(conn, account.id, folder_info("INBOX"))
    rows = [new(1, from_="a@x.example"), *(new(n, from_=f"b{n}@y.example") for n in range(2, 11))]
    cache.insert_messages(conn, state.id, 1, rows)
    verdicts.settle(conn, account)
    with transaction.write(conn):  # a Never-log change committed, then the process died
        directory_index.unsettle_addresses(conn, account.id, ["x.example"])
    marks, rows = directory_index.rechecks(conn, account.id)
    assert len(marks) == 2 and len(rows) == 1  # @x.example and .x.example; the message from it
    assert verdicts.settle(conn, account).decided == 1
    assert directory_index.rechecks(conn, account.id) == ([], [])


def test_a_kill_before_the_settle_leaves_the_account_marked(
    fresh_db: sqlite3.Connection,
) -> None:
    conn = fresh_db
    account = insert_account(conn, "w", AccountKind.MAILDIR, path="/x", user="mia@globex.example")
    with transaction.write(conn):
        directory_index.mark_stale(conn, account.id)  # a change committed, then the process died
    assert directory_index.stale(conn, account.id) == 1
    verdicts.settle(conn, account)
    assert directory_index.stale(conn, account.id) == 0


def test_a_prefetch_looks_addresses_up_at_once_and_none_without_contacts(
    fresh_db: sqlite3.Connection,
) -> None:
    """A whole-mailbox decision asks for its addresses once (``Directory.prefetch``); an
    account with no contact yet (no CRM connected) is asked nothing, not even for the list."""
    conn = fresh_db
    account = insert_account(conn, "w", AccountKind.MAILDIR, path="/x", user="mia@globex.example")
    emails = ["a@x.example", "b@x.example", "mia@globex.example", "zz@none.example"]
    asked: list[int] = []

    def wanted() -> list[str]:
        asked.append(1)
        return [*emails, *emails]  # a mailbox repeats its correspondents

    for contacts in ([], [Contact("c1", "a@x.example", "A", ("b@x.example",), None)]):
        import_directory(conn, account.id, parse_directory(_doc(contacts)))
        plain, fetched = load_directory(conn, account)[0], load_directory(conn, account)[0]
        asked.clear()
        fetched.prefetch(wanted)
        assert asked == ([1] if contacts else [])
        with recorded(conn) as seen:
            answers = [(fetched.contact_of.get(e), fetched.recipient_lookup(e)) for e in emails]
        assert seen == []  # every answer known: no query per address
        assert answers == [(plain.contact_of.get(e), plain.recipient_lookup(e)) for e in emails]
        assert [a for a, _ in answers] == (["c1", "c1", None, None] if contacts else [None] * 4)
