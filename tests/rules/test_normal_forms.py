"""N1-N5: addresses, never-log matching, user/contact/unknown, subjects, thread keys."""

from __future__ import annotations

import pytest

from core.rules.addresses import normalize_email, parse_address_list, parse_mailbox
from core.rules.directory import CONTACT, UNKNOWN, USER, Directory, NeverLogList
from core.rules.model import AccountSettings, Contact, User
from core.rules.subjects import normalize_subject
from core.rules.threads import clean_message_id, split_message_ids, thread_key


# N1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "email"),
    [
        ("lea@customer.example", "lea@customer.example"),
        ("LEA@Customer.EXAMPLE", "lea@customer.example"),
        ("Lea Martin <lea@customer.example>", "lea@customer.example"),
        ('"Martin, Lea" <Lea@customer.example>', "lea@customer.example"),
        ("  <lea@customer.example>  ", "lea@customer.example"),
        ("lea@customer.example (Lea at work)", "lea@customer.example"),
        ("=?utf-8?q?L=C3=A9a?= <lea@customer.example>", "lea@customer.example"),
        ("lea+crm@customer.example", "lea+crm@customer.example"),  # plus-tags are significant
        ("l.e.a@customer.example", "l.e.a@customer.example"),  # dots are significant
        ('"lea martin"@customer.example', '"lea martin"@customer.example'),
        ("lea@[192.0.2.1]", "lea@[192.0.2.1]"),
        ("josé@exämple.example", "josé@exämple.example"),
    ],
)
def test_n1_addresses_normalise(written: str, email: str) -> None:
    assert normalize_email(written) == email


@pytest.mark.parametrize(
    "written",
    [
        "lea",
        "lea@",
        "@customer.example",
        "lea@@customer.example",
        "lea martin@customer.example",
        "alice@x)<bob@y>",
        "a@x;<b@y>",
        "<a@x> trailing words",
        "<a@x",
        "a@x>",
        '"unterminated@x',
        "(unclosed comment a@x",
        "a@x\r\nBcc: victim@y",
        "a\x00b@x",
        "lea@customer..example",
        ".lea@customer.example",
    ],
)
def test_n1_unparseable_addresses_are_kept_as_written_and_match_nothing(written: str) -> None:
    (address,) = parse_address_list(written)
    assert address.email is None
    assert address.raw  # kept as written (control characters made spaces)
    assert not NeverLogList(["x", "y", "customer.example"]).matches(address.email)


def test_n1_display_names_never_match() -> None:
    (address,) = parse_address_list('"ceo@corp.example" <attacker@evil.example>')
    assert address.email == "attacker@evil.example"
    assert address.name == "ceo@corp.example"


def test_n1_an_encoded_comma_stays_in_one_display_name() -> None:
    addresses = parse_address_list("=?utf-8?q?Doe=2C_John?= <john@x.example>")
    assert [(a.email, a.name) for a in addresses] == [("john@x.example", "Doe, John")]


@pytest.mark.parametrize(
    ("header", "emails"),
    [
        ("a@x, b@y", ["a@x", "b@y"]),
        ('"Doe, John" <j@x>, b@y', ["j@x", "b@y"]),
        ("undisclosed-recipients:;", []),
        ("team: a@x, b@y;, c@z", ["a@x", "b@y", "c@z"]),
        ("a@x,,b@y", ["a@x", "b@y"]),
        ("", []),
        ("a@x (first, with comma), b@y", ["a@x", "b@y"]),
    ],
)
def test_n1_address_lists(header: str, emails: list[str]) -> None:
    assert [a.email for a in parse_address_list(header)] == emails


def test_n1_parse_mailbox_takes_the_first_address() -> None:
    assert parse_mailbox(None) is None
    assert parse_mailbox("undisclosed-recipients:;") is None
    mailbox = parse_mailbox("Mia <MIA@globex.example>")
    assert mailbox is not None and mailbox.email == "mia@globex.example"


# N2 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("entries", "email", "listed"),
    [
        (["spam-corp.example"], "ola@spam-corp.example", True),
        (["spam-corp.example"], "ola@eu.spam-corp.example", True),  # subdomains [decision]
        (["spam-corp.example"], "ola@notspam-corp.example", False),
        (["spam-corp.example"], "ola@spam-corp.example.evil", False),
        (["@spam-corp.example"], "ola@spam-corp.example", True),  # "@domain" is a domain
        (["SPAM-Corp.Example"], "ola@spam-corp.example", True),
        (["ola@spam-corp.example"], "ola@spam-corp.example", True),
        (["ola@spam-corp.example"], "ole@spam-corp.example", False),  # an address only
        (["ola@spam-corp.example"], "ola@eu.spam-corp.example", False),
        (["Ola@Spam-Corp.example"], "ola@spam-corp.example", True),
        (["ola@spam-corp.example"], "ola+x@spam-corp.example", False),
        ([], "ola@spam-corp.example", False),
        (["", "  "], "ola@spam-corp.example", False),
        (["spam-corp.example"], None, False),
    ],
)
def test_n2_never_log_entries(entries: list[str], email: str | None, listed: bool) -> None:
    assert NeverLogList(entries).matches(email) is listed


def test_n2_effective_list_is_account_plus_mailbox_owners_personal_list() -> None:
    users = [
        User(id="u-mia", email="mia@g.example", never_log=("rival.example",)),
        User(id="u-raj", email="raj@g.example", never_log=("other.example",)),
    ]
    d = Directory(AccountSettings(never_log=("spam.example",)), users, [], "u-mia")
    assert d.never_log.matches("a@spam.example")
    assert d.never_log.matches("a@rival.example")
    assert not d.never_log.matches("a@other.example")  # Raj's list is not Mia's


# N3 ---------------------------------------------------------------------------------------
def _directory() -> Directory:
    users = [
        User(
            id="u-mia",
            email="mia@globex.example",
            connected=("mia.rossi@gmail.example",),
            aliases=("sales@globex.example",),
        )
    ]
    contacts = [
        Contact(id="c-lea", email="lea@customer.example", additional_emails=("LEA@home.example",)),
        Contact(id="c-dup", email="sales@globex.example"),
    ]
    return Directory(AccountSettings(), users, contacts, "u-mia")


@pytest.mark.parametrize(
    ("email", "kind"),
    [
        ("mia@globex.example", USER),  # account address
        ("mia.rossi@gmail.example", USER),  # connected address
        ("sales@globex.example", USER),  # alias, even though a contact has it [decision]
        ("lea@customer.example", CONTACT),
        ("lea@home.example", CONTACT),  # additional email, case-folded
        ("sam@elsewhere.example", UNKNOWN),
        (None, UNKNOWN),
    ],
)
def test_n3_user_contact_unknown(email: str | None, kind: str) -> None:
    assert _directory().kind(email) == kind


# N4 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("subject", "normal"),
    [
        ("Your quote", "your quote"),
        ("RE: Your quote", "your quote"),
        ("Re: Re: re:Your quote", "your quote"),
        ("Fwd: FW: Your quote", "your quote"),
        ("TR: Your quote", "your quote"),
        ("AW: WG: Your quote", "your quote"),
        ("SV: Antw: Your quote", "your quote"),
        ("Rif: R: Your quote", "your quote"),
        ("Re[2]: Your quote", "your quote"),
        ("Re(3): Your quote", "your quote"),
        ("RE : Your quote", "your quote"),
        ("[Sales] Re: [Globex] Your quote", "your quote"),
        ("  Your   QUOTE  ", "your quote"),
        ("=?utf-8?q?Re=3A_Votre_devis?=", "votre devis"),
        ("Your quote (re: pricing)", "your quote (re: pricing)"),  # only leading prefixes
        ("Reply needed", "reply needed"),  # "Re" must be followed by ":"
        ("Rex: hello", "rex: hello"),
        ("Regarding: x", "regarding: x"),
        ("", ""),
        (None, ""),
    ],
)
def test_n4_subjects(subject: str | None, normal: str) -> None:
    assert normalize_subject(subject) == normal


# N5 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message_id", "in_reply_to", "references", "key"),
    [
        ("<c@x>", "<b@x>", ("<a@x>", "<b@x>"), "<a@x>"),
        ("<c@x>", "<b@x>", (), "<b@x>"),
        ("<c@x>", None, (), "<c@x>"),
        (None, None, (), None),
    ],
)
def test_n5_thread_key(
    message_id: str | None, in_reply_to: str | None, references: tuple[str, ...], key: str | None
) -> None:
    assert thread_key(message_id, in_reply_to, references) == key


def test_n5_message_ids_compare_exactly_after_trimming() -> None:
    assert clean_message_id("  <a@x>  ") == "<a@x>"
    assert clean_message_id("<A@x>") != clean_message_id("<a@x>")
    assert clean_message_id("a@x") == "a@x"  # brackets are not added
    assert clean_message_id("   ") is None
    assert split_message_ids("<a@x> <b@x>\r\n <c@x>") == ("<a@x>", "<b@x>", "<c@x>")
