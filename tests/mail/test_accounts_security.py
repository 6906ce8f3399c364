"""A security mode given as a plain string meets the same checks as the enum."""

from __future__ import annotations

import sqlite3

import pytest

from core.crm.forward import SmtpSettings
from core.mail.accounts import AccountError, add_imap
from core.mail.imap_conn import ImapSettings
from core.mail.secrets import KeyringStore
from core.mail.source import ConnectError, Security
from core.store import schema


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(conn)
    return conn


@pytest.mark.parametrize("security", ["none", Security.NONE])
def test_plain_text_to_a_remote_host_is_refused_whatever_the_type(
    security: object, secrets: KeyringStore
) -> None:
    with pytest.raises(AccountError, match="only allowed for a loopback host"):
        add_imap(
            _conn(),
            secrets,
            "work",
            host="imap.example.com",
            user="mia",
            password="pw",
            security=security,
        )  # type: ignore[arg-type]
    assert secrets.get("imap:work") is None


def test_an_unknown_security_is_one_clear_line(secrets: KeyringStore) -> None:
    with pytest.raises(AccountError, match="bad security 'tls'"):
        add_imap(
            _conn(),
            secrets,
            "work",
            host="imap.example.com",
            user="mia",
            password="pw",
            security="tls",
        )  # type: ignore[arg-type]


def test_settings_turn_strings_into_the_enum() -> None:
    assert ImapSettings("h", "u", security="none").security is Security.NONE  # type: ignore[arg-type]
    assert SmtpSettings("h", security="ssl").security is Security.SSL  # type: ignore[arg-type]


def test_a_string_none_cannot_open_plain_text_to_a_remote_host() -> None:
    from core.mail.imap_conn import open_client

    settings = ImapSettings("imap.example.com", "mia", security="none")  # type: ignore[arg-type]
    with pytest.raises(ConnectError, match="refusing an unencrypted connection"):
        open_client(settings)
