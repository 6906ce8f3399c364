"""Folder roles from LIST entries, and modified UTF-7 names: strings in, values out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from imapclient import imap_utf7

from core.mail import utf7
from core.mail.folders import ListEntry, classify, role_by_name
from core.rules.model import Folder


def entry(name: str, *flags: str, delimiter: str = "/") -> ListEntry:
    return ListEntry(tuple(flags), delimiter, name)


def roles(*entries: ListEntry) -> dict[str, tuple[Folder, bool]]:
    return {f.display: (f.role, f.skipped) for f in classify(entries)}


def test_special_use_flags_give_roles_and_skip_junk_and_trash() -> None:
    got = roles(
        entry("INBOX", "\\HasNoChildren"),
        entry("Envoi", "\\Sent"),
        entry("Brouillon", "\\Drafts"),
        entry("Vieux", "\\Archive"),
        entry("Pourriel", "\\Junk"),
        entry("Poubelle", "\\Trash"),
        entry("Projects"),
    )
    assert got == {
        "INBOX": (Folder.INBOX, False),
        "Envoi": (Folder.SENT, False),
        "Brouillon": (Folder.DRAFTS, False),
        "Vieux": (Folder.ARCHIVE, False),
        "Pourriel": (Folder.OTHER, True),
        "Poubelle": (Folder.OTHER, True),
        "Projects": (Folder.OTHER, False),
    }


def test_special_use_is_reported_as_sent_by_the_server() -> None:
    (info,) = classify([entry("Sent", "\\HasNoChildren", "\\Sent")])
    assert info.special_use == "\\Sent"


def test_a_special_use_role_beats_name_guesses_for_that_role() -> None:
    got = roles(entry("Sent", "\\Sent"), entry("Sent Items"), entry("Drafts"))
    assert got["Sent Items"] == (Folder.OTHER, False)
    assert got["Drafts"] == (Folder.DRAFTS, False)  # no \Drafts anywhere: the name counts


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("[Gmail]/Sent Mail", Folder.SENT),
        ("[Gmail]/Drafts", Folder.DRAFTS),
        ("[Gmail]/All Mail", Folder.ARCHIVE),
        ("[Google Mail]/Sent Mail", Folder.SENT),
        ("Sent Items", Folder.SENT),
        ("Archive", Folder.ARCHIVE),
        ("&AMk-l&AOk-ments envoy&AOk-s", Folder.SENT),
        ("Envoy&AOk-s", Folder.SENT),
        ("Brouillons", Folder.DRAFTS),
        ("Gesendet", Folder.SENT),
        ("Entw&APw-rfe", Folder.DRAFTS),
        ("INBOX/Sent", Folder.SENT),
        ("inbox", Folder.INBOX),
        ("Sent stuff", Folder.OTHER),
    ],
)
def test_name_fallbacks_without_special_use(name: str, role: Folder) -> None:
    (info,) = classify([entry(name)])
    assert (info.role, info.skipped, info.special_use) == (role, False, None)


@pytest.mark.parametrize(
    "name", ["Junk", "Spam", "Junk E-mail", "[Gmail]/Spam", "Trash", "Deleted Items", "Corbeille"]
)
def test_junk_and_trash_by_name_are_skipped(name: str) -> None:
    (info,) = classify([entry(name)])
    assert (info.role, info.skipped) == (Folder.OTHER, True)


def test_dot_delimiter_and_unselectable_folders() -> None:
    got = roles(
        entry("INBOX.Sent", delimiter="."),
        entry("[Gmail]", "\\Noselect", "\\HasChildren"),
        entry("Gone", "\\NonExistent"),
    )
    assert got == {"INBOX.Sent": (Folder.SENT, False)}


def test_names_are_kept_as_sent_and_decoded_for_display() -> None:
    (info,) = classify([entry("Entw&APw-rfe")])
    assert (info.name, info.display) == ("Entw&APw-rfe", "Entwürfe")


def test_role_by_name_is_case_insensitive() -> None:
    assert role_by_name("SENT ITEMS", "/") == Folder.SENT
    assert role_by_name("éLÉMENTS ENVOYÉS", None) == Folder.SENT


@pytest.mark.parametrize(
    ("wire", "display"),
    [
        ("INBOX", "INBOX"),
        ("&-", "&"),
        ("Tom &- Jerry", "Tom & Jerry"),
        ("&ZeVnLIqe-", "日本語"),
        ("&bad", "&bad"),  # no terminating "-": kept as sent
        ("&@@@-", "&@@@-"),  # not base64: kept as sent
    ],
)
def test_utf7_decode(wire: str, display: str) -> None:
    assert utf7.decode(wire) == display


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_utf7_round_trip(name: str) -> None:
    encoded = utf7.encode(name)
    assert encoded.isascii()
    assert encoded.encode() == imap_utf7.encode(name)  # agrees with imapclient's encoder
    assert utf7.decode(encoded) == name
