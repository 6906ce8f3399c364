"""The one re-decision: which rows a change affects (transitively), and the badge's input."""

from __future__ import annotations

from core.store import redecide

MIA, LEA, BCC = "mia@globex.example", "lea@customer.example", "777@bcc.hubspot.com"
DIRECTORY = {
    "account": {"logging_rule": "replies_only", "bcc_address": BCC},
    "users": [{"id": "u-mia", "name": "Mia Rossi", "email": MIA, "connected": [MIA],
               "personal_email_access": True, "account_access": True}],
    "contacts": [{"id": "c-lea", "name": "Lea Martin", "email": LEA}],
    "mailbox_owner": "u-mia",
}  # fmt: skip
FIRST, REPLY, SECOND = "<first@globex.example>", "<reply@customer.example>", "<second@globex>"


def test_link_hash_is_signed_64_bit_and_stable() -> None:
    h = redecide.link_hash("<a@x>")
    assert -(2**63) <= h < 2**63
    assert h == redecide.link_hash("<a@x>") != redecide.link_hash("<b@x>")
