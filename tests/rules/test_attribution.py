"""A1-A2 and section 5: who a logged email counts for, and which contacts it is associated with."""

from __future__ import annotations

import pytest

from tests.rules.builders import LEA, MIA, NOA, RAJ, TOM, msg, one

OUT = "mia@globex.example"
MIA_ALIAS = "m.rossi@globex.example"


def attribution(message: dict[str, object], **kwargs: object) -> tuple[object, object]:
    v = one(message, **kwargs)  # type: ignore[arg-type]
    assert v["logged"], v
    return v["attributed_to"], v["attribution"]


def test_a1_outbound_counts_for_the_sender() -> None:
    message = msg(
        "m", folder="sent", sender="raj@globex.example", to=["lea@customer.example"], cc=[OUT]
    )
    assert attribution(message) == ("u-raj", "sender")


@pytest.mark.parametrize(
    ("to", "cc", "expected"),
    [
        # |R| = 1, |U| = 1
        ([OUT], [], ("u-mia", "single_recipient")),
        ([MIA_ALIAS], [], ("u-mia", "single_recipient")),  # an alias is the user's address
        ([OUT, OUT.upper()], [], ("u-mia", "single_recipient")),  # distinct addresses
        # |R| > 1, |U| = 1
        ([OUT], ["sam@elsewhere.example"], ("u-mia", "only_user_recipient")),
        ([OUT, MIA_ALIAS], [], ("u-mia", "only_user_recipient")),  # two addresses, one user
        (["raj@globex.example", "tom@customer.example"], [], ("u-raj", "only_user_recipient")),
        # |R| > 1, |U| > 1: the owner of the sender's contact record (Lea: Raj)
        ([OUT, "raj@globex.example"], [], ("u-raj", "contact_owner")),
        ([OUT], ["raj@globex.example", "noa@globex.example"], ("u-raj", "contact_owner")),
        # U empty: the mailbox owner [decision]
        (["sales-list@lists.example"], [], ("u-mia", "mailbox_owner")),
        ([], [], ("u-mia", "mailbox_owner")),  # Bcc only
        (["undisclosed-recipients:;"], [], ("u-mia", "mailbox_owner")),
    ],
)
def test_a2_inbound(to: list[str], cc: list[str], expected: tuple[object, object]) -> None:
    message = msg(
        "m", sender="Lea <lea@customer.example>", to=to, cc=cc, bcc=[OUT] if not to else []
    )
    assert attribution(message) == expected


def test_a2_sender_is_not_counted_among_recipients() -> None:
    message = msg("m", sender="lea@customer.example", to=[OUT], cc=["lea@customer.example"])
    assert attribution(message) == ("u-mia", "single_recipient")


def test_a2_logging_addresses_are_not_recipients() -> None:
    message = msg("m", sender="lea@customer.example", to=[OUT], cc=["777@bcc.hubspot.com"])
    assert attribution(message) == ("u-mia", "single_recipient")


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("tom@customer.example", (None, "no_contact_owner")),  # a contact without owner
    ],
)
def test_a2_no_contact_owner(sender: str, expected: tuple[object, object]) -> None:
    message = msg("m", sender=sender, to=[OUT, "raj@globex.example"])
    assert attribution(message) == expected


def test_a2_sender_who_is_no_contact_has_no_owner() -> None:
    # A stranger replying in a logged thread to two users: logged by R4, nobody to credit.
    message = msg(
        "m",
        sender="new@lead.example",
        to=[OUT, "raj@globex.example"],
        in_reply_to="<q@x>",
        subject="Re: Offer",
    )
    logged = [{"message_id": "<q@x>", "subject": "Offer", "contacts": ["c-lea"]}]
    assert attribution(message, rule="replies_only", logged=logged) == (None, "no_contact_owner")


def test_a2_applies_to_inbound_replies_too() -> None:
    message = msg(
        "m",
        sender="lea@customer.example",
        to=[OUT, "raj@globex.example"],
        in_reply_to="<q@x>",
        subject="Re: Offer",
    )
    logged = [{"message_id": "<q@x>", "subject": "Offer"}]
    assert attribution(message, rule="replies_only", logged=logged) == ("u-raj", "contact_owner")


def test_a2_unparseable_recipients_still_count_in_r() -> None:
    message = msg("m", sender="lea@customer.example", to=[OUT, "garbage"])
    assert attribution(message) == ("u-mia", "only_user_recipient")


# Section 5 --------------------------------------------------------------------------------
def test_s5_contacts_are_deduplicated_and_sorted() -> None:
    dora = {
        "id": "c-a-dora",
        "email": "dora@acme.example",
        "additional_emails": ["dora@home.example"],
    }
    message = msg(
        "m",
        folder="sent",
        sender=OUT,
        to=["tom@customer.example", "dora@home.example", "lea@customer.example"],
        cc=["dora@acme.example", "Tom <TOM@customer.example>"],
    )
    v = one(message, contacts=[LEA, TOM, dora])
    assert v["contacts"] == ["c-a-dora", "c-lea", "c-tom"]


def test_s5_a_user_address_shared_with_a_contact_is_not_a_contact() -> None:
    shadow = {"id": "c-shadow", "email": "raj@globex.example"}
    message = msg("m", folder="sent", sender=OUT, to=["raj@globex.example"])
    v = one(message, contacts=[LEA, shadow], users=[MIA, RAJ, NOA])
    assert (v["reason"], v["contacts"]) == ("internal", [])
