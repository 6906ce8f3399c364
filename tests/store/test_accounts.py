"""Accounts: validation, default ports, the keyring (a real file backend), removal."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from core.mail import accounts
from core.mail.accounts import AccountError
from core.mail.secrets import KeyringStore, imap_key
from core.mail.source import Security
from core.store.accounts import AccountKind, list_accounts
from tests.conftest import file_keyring


@pytest.fixture
def secrets(tmp_path: Path) -> Iterator[KeyringStore]:
    """The keyring package over keyrings.alt's plaintext file backend in a temp folder."""
    with file_keyring(PlaintextKeyring(), tmp_path / "keyring.cfg"):
        yield KeyringStore()


def test_imap_defaults_and_password_only_in_the_keyring(
    fresh_db: sqlite3.Connection, secrets: KeyringStore, tmp_path: Path
) -> None:
    ssl = accounts.add_imap(
        fresh_db, secrets, "a", host="imap.example.com", user="u", password="pw-1"
    )
    tls = accounts.add_imap(
        fresh_db, secrets, "b", host="imap.example.com", user="u", password="pw-2",
        security=Security.STARTTLS,
    )  # fmt: skip
    assert (ssl.port, ssl.security, tls.port, tls.security) == (993, "ssl", 143, "starttls")
    assert secrets.get(imap_key("a")) == "pw-1" and secrets.get(imap_key("b")) == "pw-2"
    dump = "\n".join(str(row) for row in fresh_db.iterdump())
    assert "pw-1" not in dump and "pw-2" not in dump
    accounts.remove(fresh_db, secrets, "a")
    assert secrets.get(imap_key("a")) is None
    assert [a.name for a in list_accounts(fresh_db)] == ["b"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"host": "imap.example.com", "security": Security.NONE}, "only allowed for a loopback"),
        ({"host": "bad host"}, "bad host name"),
        ({"host": "h.example", "port": 70000}, "bad port"),
        ({"host": "h.example", "user": " "}, "user name is empty"),
        ({"host": "h.example", "password": ""}, "password is empty"),
        ({"host": "h.example", "ca_file": "/no/such/ca.pem"}, "no such CA file"),
    ],
)
def test_refused_imap_accounts_store_nothing(
    options: dict[str, object], message: str, fresh_db: sqlite3.Connection, secrets: KeyringStore
) -> None:
    args: dict[str, object] = {"user": "u", "password": "pw"} | options
    with pytest.raises(AccountError, match=message):
        accounts.add_imap(fresh_db, secrets, "x", **args)  # type: ignore[arg-type]
    assert list_accounts(fresh_db) == [] and secrets.get(imap_key("x")) is None


def test_none_security_is_fine_on_loopback(
    fresh_db: sqlite3.Connection, secrets: KeyringStore
) -> None:
    for n, host in enumerate(("127.0.0.1", "localhost", "::1")):
        account = accounts.add_imap(
            fresh_db, secrets, f"l{n}", host=host, user="u", password="pw", security=Security.NONE
        )
        assert account.port == 143


def test_names_and_duplicates(fresh_db: sqlite3.Connection, secrets: KeyringStore) -> None:
    with pytest.raises(AccountError, match="bad account name"):
        accounts.add_imap(fresh_db, secrets, "has space", host="h", user="u", password="p")
    accounts.add_imap(fresh_db, secrets, "work", host="h", user="u", password="first")
    with pytest.raises(AccountError, match="exists already"):
        accounts.add_imap(fresh_db, secrets, "work", host="h", user="u", password="second")
    assert secrets.get(imap_key("work")) == "first"  # a refused duplicate keeps the password


def test_local_accounts_check_their_path(fresh_db: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(AccountError, match="not a Maildir"):
        accounts.add_local(fresh_db, "m", AccountKind.MAILDIR, str(tmp_path))
    with pytest.raises(AccountError, match="no such mbox"):
        accounts.add_local(fresh_db, "m", AccountKind.MBOX, str(tmp_path / "nope"))
    (tmp_path / "cur").mkdir()
    account = accounts.add_local(fresh_db, "m", AccountKind.MAILDIR, str(tmp_path))
    assert account.path == str(tmp_path.resolve()) and account.host is None
    assert accounts.describe(account) == f"m\tmaildir\t{tmp_path.resolve()}"


def test_missing_password_is_a_clear_mail_error(
    fresh_db: sqlite3.Connection, secrets: KeyringStore
) -> None:
    account = accounts.add_imap(fresh_db, secrets, "w", host="h.example", user="u", password="p")
    secrets.delete(imap_key("w"))
    with pytest.raises(accounts.MailError, match="no password for 'w' in the keyring"):
        accounts.open_source(fresh_db, account, secrets)
