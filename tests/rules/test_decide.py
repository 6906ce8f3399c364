"""R0-R9: one table per rule, each with cases where it fires and where it must not."""

from __future__ import annotations

import pytest

from tests.rules.builders import BCC, FWD, MIA, RAJ, TOM, msg, one, scenario, verdicts

OUT = "Mia Rossi <mia@globex.example>"  # outbound: the mailbox owner sends
LEA_ADDR = "Lea Martin <lea@customer.example>"


def reason(message: dict[str, object], **kwargs: object) -> tuple[bool, str]:
    v = one(message, **kwargs)
    return v["logged"], v["reason"]


# R0 ---------------------------------------------------------------------------------------
def test_r0_already_logged_wins_over_every_other_rule() -> None:
    # never-listed sender, replies only, not a contact: still logged because it already is.
    message = msg(
        "m", sender="x@spam-corp.example", to=["mia@globex.example"], message_id="<done@x>"
    )
    v = one(
        message,
        rule="replies_only",
        never_log=["spam-corp.example"],
        logged=[{"message_id": "<done@x>", "contacts": ["c-lea"]}],
    )
    assert (v["logged"], v["reason"], v["contacts"]) == (True, "already_logged", ["c-lea"])


def test_r0_contacts_fall_back_to_section_5_when_the_entry_has_none() -> None:
    message = msg("m", sender=LEA_ADDR, to=["mia@globex.example"], message_id="<done@x>")
    v = one(message, logged=[{"message_id": "<done@x>"}])
    assert (v["reason"], v["contacts"]) == ("already_logged", ["c-lea"])
    assert (v["attributed_to"], v["attribution"]) == ("u-mia", "single_recipient")


def test_r0_message_ids_compare_exactly_after_trimming() -> None:
    logged = [{"message_id": "<Done@x>"}]
    base = {"sender": LEA_ADDR, "to": ["mia@globex.example"]}
    assert reason(msg("m", message_id="  <Done@x> ", **base), logged=logged)[1] == (
        "already_logged"
    )
    assert reason(msg("m", message_id="<done@x>", **base), logged=logged)[1] != "already_logged"


def test_r0_a_second_copy_in_another_folder_is_already_logged() -> None:
    first = msg(
        "sent",
        folder="sent",
        sender=OUT,
        to=[LEA_ADDR],
        message_id="<a@x>",
        date="2026-03-01T10:00:00Z",
    )
    copy = msg(
        "archived",
        folder="archive",
        sender=OUT,
        to=[LEA_ADDR],
        message_id="<a@x>",
        date="2026-03-01T10:00:00Z",
    )
    result = verdicts(scenario(first, copy))
    assert result["sent"]["reason"] == "log_all_contact"
    assert result["archived"]["reason"] == "already_logged"


def test_r0_does_not_fire_without_a_message_id() -> None:
    message = msg("m", sender=LEA_ADDR, to=["mia@globex.example"])
    assert reason(message, logged=[{"message_id": "<x@x>"}]) == (True, "log_all_contact")


# R1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sender",
    [
        None,
        "",
        "not an address",
        "alice@x)<bob@y>",
        "a@x;<b@y>",
        "undisclosed-recipients:;",
        "<broken@",
        "(((((x))) a@b",
    ],
)
def test_r1_no_parseable_from(sender: str | None) -> None:
    message = msg("m", sender=sender, to=["mia@globex.example", LEA_ADDR])
    v = one(message)
    assert (v["logged"], v["reason"]) == (False, "unparseable")
    assert v["contacts"] == ["c-lea"]  # a manual log would still associate Lea


def test_r1_a_draft_without_from_is_outbound_from_the_owner() -> None:
    draft = msg("d", folder="drafts", date=None, to=[LEA_ADDR], subject="Hi")
    v = one(draft)
    assert (v["logged"], v["reason"], v["attributed_to"], v["attribution"]) == (
        True,
        "log_all_contact",
        "u-mia",
        "sender",
    )


def test_r1_a_draft_with_an_unreadable_from_is_the_owners_too() -> None:
    draft = msg("d", folder="drafts", sender="garbage", to=["sam@elsewhere.example"])
    assert reason(draft) == (False, "not_a_contact")


# R2 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "never_log", "expected"),
    [
        # inbound from a never-listed sender, contact or not
        (
            msg("m", sender="ola@spam-corp.example", to=["mia@globex.example"]),
            ["spam-corp.example"],
            (False, "never_log"),
        ),
        (
            msg("m", sender="bot@mailer.spam-corp.example", to=["mia@globex.example"]),
            ["spam-corp.example"],
            (False, "never_log"),
        ),
        (
            msg("m", sender="x@unknown.example", to=["mia@globex.example"]),
            ["x@unknown.example"],
            (False, "never_log"),
        ),
        # every contact never-listed (outbound)
        (
            msg("m", folder="sent", sender=OUT, to=["ola@spam-corp.example"]),
            ["spam-corp.example"],
            (False, "never_log"),
        ),
        # partial: Lea is still logged
        (
            msg("m", folder="sent", sender=OUT, to=["ola@spam-corp.example", LEA_ADDR]),
            ["spam-corp.example"],
            (True, "log_all_contact"),
        ),
        # nothing listed
        (
            msg("m", sender="ola@spam-corp.example", to=["mia@globex.example"]),
            [],
            (True, "log_all_contact"),
        ),
        # outbound with no contact at all and a never-listed stranger: R2 needs contacts
        (
            msg("m", folder="sent", sender=OUT, to=["x@rival.example"]),
            ["rival.example"],
            (False, "not_a_contact"),
        ),
        # an outbound sender on the list is not "inbound from a listed sender"
        (
            msg("m", folder="sent", sender=OUT, to=[LEA_ADDR]),
            ["globex.example"],
            (True, "log_all_contact"),
        ),
    ],
)
def test_r2_never_log(
    message: dict[str, object], never_log: list[str], expected: tuple[bool, str]
) -> None:
    assert reason(message, never_log=never_log) == expected


def test_r2_partial_never_log_leaves_listed_contacts_out() -> None:
    message = msg("m", folder="sent", sender=OUT, to=["ola@spam-corp.example", LEA_ADDR])
    assert one(message, never_log=["spam-corp.example"])["contacts"] == ["c-lea"]


def test_r2_a_contact_is_never_listed_through_the_address_it_uses() -> None:
    dora = {
        "id": "c-dora",
        "email": "dora@acme.example",
        "additional_emails": ["dora@rival.example"],
        "owner": None,
    }
    via_listed = msg("a", folder="sent", sender=OUT, to=["dora@rival.example"])
    via_other = msg("b", folder="sent", sender=OUT, to=["dora@acme.example"])
    kwargs = {"never_log": ["rival.example"], "contacts": [dora]}
    assert reason(via_listed, **kwargs) == (False, "never_log")
    assert reason(via_other, **kwargs) == (True, "log_all_contact")


def test_r2_the_owners_personal_list_counts_and_a_colleagues_does_not() -> None:
    mia = {**MIA, "never_log": ["customer.example"]}
    raj = {**RAJ, "never_log": ["acme.example"]}
    users = [mia, raj]
    from_lea = msg("a", sender=LEA_ADDR, to=["mia@globex.example"])
    from_dora = msg("b", sender="dora@acme.example", to=["mia@globex.example"])
    assert reason(from_lea, users=users) == (False, "never_log")
    assert reason(from_dora, users=users) == (True, "log_all_contact")


def test_r2_comes_before_the_bcc_address() -> None:
    message = msg("m", folder="sent", sender=OUT, to=["ola@spam-corp.example"], bcc=[BCC])
    assert reason(message, never_log=["spam-corp.example"]) == (False, "never_log")


# R3 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "kwargs", "expected"),
    [
        (
            msg("m", folder="sent", sender=OUT, to=["sam@elsewhere.example"], bcc=[BCC]),
            {},
            (True, "bcc_address"),
        ),
        (
            msg("m", folder="sent", sender=OUT, to=["sam@elsewhere.example"], cc=[BCC.upper()]),
            {"rule": "replies_only"},
            (True, "bcc_address"),
        ),
        (
            msg("m", folder="sent", sender=OUT, to=["raj@globex.example"], bcc=[FWD]),
            {"forward": FWD},
            (True, "bcc_address"),
        ),
        (
            msg("m", folder="sent", sender="noa@globex.example", to=[LEA_ADDR], bcc=[BCC]),
            {},
            (False, "no_email_access"),
        ),
        # inbound mail that went to the BCC address is not R3
        (
            msg("m", sender=LEA_ADDR, to=["mia@globex.example"], cc=[BCC]),
            {"rule": "replies_only"},
            (False, "replies_only"),
        ),
        # a look-alike address is not the logging address
        (
            msg(
                "m",
                folder="sent",
                sender=OUT,
                to=["sam@elsewhere.example"],
                bcc=["777@bcc.hubspot.com.evil.example"],
            ),
            {},
            (False, "not_a_contact"),
        ),
        # no logging address configured
        (
            msg("m", folder="sent", sender=OUT, to=["sam@elsewhere.example"], bcc=[BCC]),
            {"bcc": None},
            (False, "not_a_contact"),
        ),
    ],
)
def test_r3_bcc_address(
    message: dict[str, object], kwargs: dict[str, object], expected: tuple[bool, str]
) -> None:
    assert reason(message, **kwargs) == expected


def test_r3_lists_only_existing_contacts_and_logging_addresses_are_no_participants() -> None:
    message = msg("m", folder="sent", sender=OUT, to=[LEA_ADDR, "new@lead.example"], bcc=[BCC])
    v = one(message)
    assert (v["reason"], v["contacts"], v["attributed_to"]) == ("bcc_address", ["c-lea"], "u-mia")
    # only users and the BCC address: internal would fire if the BCC were a participant
    internal = msg("i", folder="sent", sender=OUT, to=["raj@globex.example"])
    assert reason(internal) == (False, "internal")


# R4 ---------------------------------------------------------------------------------------
QUOTE = {"message_id": "<q@globex.example>", "subject": "Your quote", "contacts": ["c-lea"]}


@pytest.mark.parametrize(
    ("fields", "logged_entries", "expected"),
    [
        (
            {"in_reply_to": "<q@globex.example>", "subject": "RE: your  QUOTE"},
            [QUOTE],
            (True, "thread_reply"),
        ),
        (
            {"references": ["<q@globex.example>"], "subject": "Re: Your quote"},
            [QUOTE],
            (True, "thread_reply"),
        ),
        # shares the thread key: both reply to the same root
        (
            {"references": ["<root@x>", "<other@x>"], "subject": "Your quote"},
            [{"message_id": "<sib@x>", "subject": "Your quote", "references": ["<root@x>"]}],
            (True, "thread_reply"),
        ),
        # an entry with an unknown subject matches any subject
        (
            {"in_reply_to": "<q@globex.example>", "subject": "Anything"},
            [{"message_id": "<q@globex.example>"}],
            (True, "thread_reply"),
        ),
        (
            {"in_reply_to": "<q@globex.example>", "subject": "Invoice"},
            [QUOTE],
            (False, "subject_changed"),
        ),
        ({"subject": "Re: Your quote"}, [QUOTE], (False, "replies_only")),  # no thread link
        (
            {"in_reply_to": "<other@x>", "subject": "Re: Your quote"},
            [QUOTE],
            (False, "replies_only"),
        ),
    ],
)
def test_r4_thread_reply_under_replies_only(
    fields: dict[str, object], logged_entries: list[dict[str, object]], expected: tuple[bool, str]
) -> None:
    message = msg("m", sender=LEA_ADDR, to=["mia@globex.example"], **fields)
    assert reason(message, rule="replies_only", logged=logged_entries) == expected


def test_r4_fires_in_both_modes_even_for_internal_mail() -> None:
    message = msg(
        "m",
        folder="sent",
        sender=OUT,
        to=["raj@globex.example"],
        in_reply_to="<q@globex.example>",
        subject="Re: Your quote",
    )
    assert reason(message, rule="all", logged=[QUOTE]) == (True, "thread_reply")
    assert reason(message, rule="replies_only", logged=[QUOTE]) == (True, "thread_reply")


def test_r4_a_reply_from_a_new_address_takes_the_threads_contacts() -> None:
    message = msg(
        "m",
        sender="colleague@customer-new.example",
        to=["mia@globex.example"],
        in_reply_to="<q@globex.example>",
        subject="Re: Your quote",
    )
    v = one(message, rule="replies_only", logged=[QUOTE])
    assert (v["reason"], v["contacts"]) == ("thread_reply", ["c-lea"])


def test_r4_later_replies_see_a_message_logged_earlier_in_the_same_run() -> None:
    first = msg(
        "first",
        folder="sent",
        sender=OUT,
        to=[LEA_ADDR],
        bcc=[BCC],
        message_id="<n@globex.example>",
        subject="New offer",
        date="2026-03-01T09:00:00Z",
    )
    reply = msg(
        "reply",
        sender=LEA_ADDR,
        to=["mia@globex.example"],
        message_id="<r@customer.example>",
        in_reply_to="<n@globex.example>",
        references=["<n@globex.example>"],
        subject="Re: New offer",
        date="2026-03-01T11:00:00Z",
    )
    reply2 = msg(
        "reply2",
        folder="sent",
        sender=OUT,
        to=[LEA_ADDR],
        in_reply_to="<r@customer.example>",
        references=["<n@globex.example>", "<r@customer.example>"],
        subject="Re: Re: New offer",
        date="2026-03-01T12:00:00Z",
    )
    result = verdicts(scenario(reply2, reply, first, rule="replies_only"))
    assert [result[k]["reason"] for k in ("first", "reply", "reply2")] == [
        "bcc_address",
        "thread_reply",
        "thread_reply",
    ]


def test_r4_a_reply_dated_before_its_logged_parent_is_not_a_thread_reply() -> None:
    parent = msg(
        "parent",
        folder="sent",
        sender=OUT,
        to=[LEA_ADDR],
        bcc=[BCC],
        message_id="<p@x>",
        subject="Hello",
        date="2026-03-02T09:00:00Z",
    )
    early = msg(
        "early",
        sender=LEA_ADDR,
        to=["mia@globex.example"],
        in_reply_to="<p@x>",
        subject="Re: Hello",
        date="2026-03-01T09:00:00Z",
    )
    assert verdicts(scenario(parent, early, rule="replies_only"))["early"]["reason"] == (
        "replies_only"
    )


# R5 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (msg("m", sender=LEA_ADDR, to=["mia@globex.example"]), (False, "replies_only")),
        (msg("m", folder="sent", sender=OUT, to=[LEA_ADDR]), (False, "replies_only")),
        (
            msg("m", folder="sent", sender=OUT, to=["raj@globex.example"]),
            (False, "replies_only"),
        ),  # R5 comes before R6
        (msg("m", sender="noa@globex.example", to=["x@y.example"]), (False, "replies_only")),
    ],
)
def test_r5_replies_only(message: dict[str, object], expected: tuple[bool, str]) -> None:
    assert reason(message, rule="replies_only") == expected
    assert reason(message, rule="all") != expected  # the same message under "all"


# R6 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (msg("m", folder="sent", sender=OUT, to=["raj@globex.example"]), (False, "internal")),
        (
            msg(
                "m",
                folder="sent",
                sender=OUT,
                to=["raj@globex.example"],
                cc=["m.rossi@globex.example"],
                bcc=["noa@globex.example"],
            ),
            (False, "internal"),
        ),
        # a contact among them: not internal
        (
            msg("m", folder="sent", sender=OUT, to=["raj@globex.example", LEA_ADDR]),
            (True, "log_all_contact"),
        ),
        # an outsider: not internal
        (
            msg("m", folder="sent", sender=OUT, to=["raj@globex.example", "x@y.example"]),
            (False, "not_a_contact"),
        ),
        # no other participant: not internal
        (msg("m", folder="sent", sender=OUT, to=["mia@globex.example"]), (False, "not_a_contact")),
        # an unreadable recipient is not a user
        (
            msg("m", folder="sent", sender=OUT, to=["raj@globex.example", "garbage"]),
            (False, "not_a_contact"),
        ),
        # inbound from a colleague is outbound by D1 (From is a user address)
        (msg("m", sender="raj@globex.example", to=["mia@globex.example"]), (False, "internal")),
    ],
)
def test_r6_internal(message: dict[str, object], expected: tuple[bool, str]) -> None:
    assert reason(message) == expected


# R7 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "owner", "expected"),
    [
        (
            msg("m", folder="sent", sender="noa@globex.example", to=[LEA_ADDR]),
            "u-mia",
            (False, "no_email_access"),
        ),
        # inbound: the mailbox owner's permission counts [decision]
        (msg("m", sender=LEA_ADDR, to=["noa@globex.example"]), "u-noa", (False, "no_email_access")),
        (msg("m", sender=LEA_ADDR, to=["noa@globex.example"]), "u-mia", (True, "log_all_contact")),
        # outbound from a user with access in Noa's mailbox: the sender's permission counts
        (msg("m", sender=OUT, to=[LEA_ADDR]), "u-noa", (True, "log_all_contact")),
    ],
)
def test_r7_no_email_access(
    message: dict[str, object], owner: str, expected: tuple[bool, str]
) -> None:
    assert reason(message, owner=owner) == expected


def test_r7_comes_after_internal() -> None:
    message = msg("m", folder="sent", sender="noa@globex.example", to=["raj@globex.example"])
    assert reason(message) == (False, "internal")


# R8 / R9 ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (msg("m", folder="sent", sender=OUT, to=[LEA_ADDR]), (True, "log_all_contact")),
        (
            msg("m", folder="sent", sender=OUT, to=["x@y.example"], cc=[LEA_ADDR]),
            (True, "log_all_contact"),
        ),
        (
            msg(
                "m",
                folder="sent",
                sender=OUT,
                to=["x@y.example"],
                bcc=["d.schmidt@acme-mail.example"],
            ),
            (True, "log_all_contact"),
        ),
        (msg("m", sender=LEA_ADDR, to=["mia@globex.example"]), (True, "log_all_contact")),
        (
            msg("m", sender="dora@acme.example", to=["list@lists.example"]),
            (True, "log_all_contact"),
        ),
        # inbound from a stranger, even with a contact in Cc: not logged
        (
            msg("m", sender="x@y.example", to=["mia@globex.example"], cc=[LEA_ADDR]),
            (False, "not_a_contact"),
        ),
        (msg("m", folder="sent", sender=OUT, to=["x@y.example"]), (False, "not_a_contact")),
        (msg("m", sender="x@y.example", to=["mia@globex.example"]), (False, "not_a_contact")),
    ],
)
def test_r8_r9_log_all(message: dict[str, object], expected: tuple[bool, str]) -> None:
    assert reason(message) == expected


def test_r9_lists_contacts_a_manual_log_would_associate() -> None:
    message = msg("m", sender="x@y.example", to=["mia@globex.example"], cc=[LEA_ADDR, TOM["email"]])
    assert one(message)["contacts"] == ["c-lea", "c-tom"]


def test_not_logged_verdicts_have_no_attribution() -> None:
    v = one(msg("m", folder="sent", sender=OUT, to=["x@y.example"]))
    assert (v["attributed_to"], v["attribution"]) == (None, None)


def test_r4_a_dated_ledger_entry_is_seen_only_by_later_messages() -> None:
    from core.rules.directory import Directory
    from core.rules.engine import LoggedState, decide
    from core.rules.messages import make_message
    from core.rules.model import (
        AccountSettings,
        Contact,
        LoggedEntry,
        LoggingRule,
        Message,
        User,
    )

    directory = Directory(
        AccountSettings(logging_rule=LoggingRule.REPLIES_ONLY),
        [User(id="u-mia", email="mia@globex.example")],
        [Contact(id="c-lea", email="lea@customer.example")],
        "u-mia",
    )
    reply = LoggedEntry(
        "<reply@x>", "Re: Hello", "<root@x>", ("<root@x>",), ("c-lea",), date=1_772_400_000.0
    )  # logged by hand, dated after the root
    state = LoggedState([reply])

    def message(mid: str, date: str, folder: str = "inbox") -> Message:
        return make_message(
            mid,
            folder=folder,
            date=date,
            sender="lea@customer.example",
            to=["mia@globex.example"],
            subject="Re: Hello",
            message_id=mid,
            in_reply_to="<root@x>",
            references=["<root@x>"],
        )

    root = make_message(
        "root",
        date="2026-03-01T09:00:00Z",
        sender="lea@customer.example",
        to=["mia@globex.example"],
        subject="Hello",
        message_id="<root@x>",
    )
    earlier = message("<earlier@x>", "2026-03-01T09:30:00Z")
    later = message("<later@x>", "2026-03-05T09:30:00Z")
    draft = message("<draft@x>", "2026-02-01T09:30:00Z", folder="drafts")
    assert decide(root, directory, state).reason.value == "replies_only"
    assert decide(earlier, directory, state).reason.value == "replies_only"
    assert decide(later, directory, state).reason.value == "thread_reply"
    assert decide(draft, directory, state).reason.value == "thread_reply"
