"""Contacts CSV as HubSpot exports it: any column order, BOM, separators, skipped rows by line."""

from __future__ import annotations

import pytest

from core.crm.contacts_csv import CsvError, Skipped, read_contacts
from core.rules.directory import Directory
from core.rules.model import AccountSettings, Contact, User

DIRECTORY = Directory(
    AccountSettings(),
    (
        User("u-mia", "mia@globex.example", "Mia Rossi"),
        User("u-raj", "raj.patel@globex.example", "Raj Patel"),
    ),
    (),
    "u-mia",
)

HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Additional email addresses,Contact owner,Phone Number\r\n"
    "101,Lea,Martin,Lea@Client.example,lea.m@client.example;lm@client.example,Raj Patel,+33 1\r\n"
    '102,"Dupont, Jr",Jean,jean@client.example,,mia@globex.example,\r\n'
)


def test_a_hubspot_export_is_read_with_owners_by_name_or_email() -> None:
    found = read_contacts(HUBSPOT.encode(), DIRECTORY)
    assert found.contacts == (
        Contact("101", "lea@client.example", "Lea Martin",
                ("lea.m@client.example", "lm@client.example"), "u-raj"),
        Contact("102", "jean@client.example", "Dupont, Jr Jean", (), "u-mia"),
    )  # fmt: skip
    assert found.skipped == () and found.notes == ()


def test_bom_semicolons_other_order_and_extra_columns() -> None:
    text = (
        "\ufeffContact owner;EMAIL;Lifecycle stage;record id\n"
        "raj.patel@globex.example;ana@x.example;lead;7\n"
    )
    (contact,) = read_contacts(text.encode("utf-8"), DIRECTORY).contacts
    assert contact == Contact("7", "ana@x.example", "", (), "u-raj")


def test_windows_1252_is_read() -> None:
    data = "Email,First Name\r\nzoe@x.example,Zoé\r\n".encode("cp1252")
    (contact,) = read_contacts(data, DIRECTORY).contacts
    assert contact.name == "Zoé"


def test_skipped_rows_are_reported_with_their_line_and_why() -> None:
    text = (
        "Email,Record ID,Contact owner\n"
        "ok@x.example,1,\n"
        ",2,\n"
        "\n"
        "not an address,3,\n"
        "OK@x.example,4,\n"
        "mia@globex.example,5,\n"
        "new@x.example,6,Nobody Known\n"
    )
    found = read_contacts(text.encode(), DIRECTORY)
    assert [c.id for c in found.contacts] == ["1", "6"]
    assert found.contacts[1].owner is None
    assert [str(s) for s in found.skipped] == [
        "line 3: no email address",
        "line 5: 'not an address' is not an email address",
        "line 6: ok@x.example repeats line 2",
        "line 7: mia@globex.example is a user's address, not a contact",
    ]
    assert found.notes == (
        Skipped(8, "unknown contact owner 'Nobody Known': imported without owner", True),
    )


def test_a_row_without_record_id_gets_a_stable_local_id() -> None:
    first = read_contacts(b"Email\nx@y.example\n", DIRECTORY).contacts[0]
    again = read_contacts(b"Email\nX@Y.example\n", DIRECTORY).contacts[0]
    assert first.id == again.id and first.id.startswith("csv-")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"Name,Phone\nx,y\n", "no Email column"),
    ],
)
def test_unusable_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(CsvError, match=message):
        read_contacts(data, DIRECTORY)
