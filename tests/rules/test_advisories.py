"""Rules section 7's advisories: bulk mail is flagged, never changes the verdict, never needs
action when it is ``not_a_contact`` or ``replies_only``, and suggests adding its sender to the
Never-log list when it will be logged. The words come from ``core.rules.vocabulary``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.rules.actions import Action, needs_action, suggested_actions
from core.rules.advisories import (
    BULK_SENDER_PREFIXES,
    Advisory,
    BulkSignals,
    advisories,
    bulk_sender,
    is_bulk,
)
from core.rules.model import Folder, Message, Reason, Rule
from core.rules.scenario import explain_scenario, scenario_from_dict
from core.rules.trace import summary
from core.rules.verdict import Verdict
from core.rules.vocabulary import (
    Status,
    action_label,
    advisory_label,
    advisory_sentence,
    headline,
    reason_label,
    reason_sentence,
    status,
    status_label,
)
from tests.rules.builders import BCC, FWD, LEA, msg, scenario

OUT = "Mia Rossi <mia@globex.example>"
NEWSLETTER = "Pipeline Weekly <newsletter@pipelineweekly.example>"


def _decide(message: dict[str, Any], **kwargs: Any) -> tuple[Message, Verdict]:
    parsed = scenario_from_dict(scenario(message, **kwargs))
    (verdict,) = explain_scenario(parsed)
    return parsed.messages[0], verdict


@pytest.mark.parametrize(
    "signals",
    [
        BulkSignals(list_id="<weekly.pipelineweekly.example>"),
        BulkSignals(list_unsubscribe="<mailto:unsubscribe@x.example>"),
        BulkSignals(precedence="bulk"),
        BulkSignals(precedence=" List "),
        BulkSignals(precedence="JUNK"),
        BulkSignals(auto_submitted="auto-generated"),
        BulkSignals(auto_submitted="auto-replied; owner-email=a@x.example"),
        BulkSignals(sender="no-reply@x.example"),
        BulkSignals(sender="noreply@x.example"),
        BulkSignals(sender="NoReply-billing@x.example"),
        BulkSignals(sender="donotreply@x.example"),
        BulkSignals(sender="notifications@linkup.example"),
        BulkSignals(sender="mailer-daemon@x.example"),
    ],
)
def test_each_signal_of_section_7_makes_a_message_bulk(signals: BulkSignals) -> None:
    assert is_bulk(signals)
    assert advisories(is_bulk(signals)) == (Advisory.BULK,)


@pytest.mark.parametrize(
    "signals",
    [
        BulkSignals(),
        BulkSignals(list_id="  ", list_unsubscribe=""),
        BulkSignals(precedence="first-class"),
        BulkSignals(auto_submitted="no"),
        BulkSignals(auto_submitted=" No "),
        BulkSignals(sender="ann@x.example"),
        BulkSignals(sender="ann.noreply@x.example"),  # [decision] the local part's start only
        BulkSignals(sender="noreply"),  # no address: matches nothing (N1)
        BulkSignals(sender=None),
    ],
)
def test_ordinary_mail_is_not_bulk(signals: BulkSignals) -> None:
    assert not is_bulk(signals)
    assert advisories(is_bulk(signals)) == ()


def test_bulk_not_a_contact_needs_no_action_and_keeps_its_verdict() -> None:
    message, verdict = _decide(msg("m", sender=NEWSLETTER, to=[OUT]))
    assert (verdict.logged, verdict.reason, verdict.rule) == (False, Reason.NOT_A_CONTACT, Rule.R9)
    assert suggested_actions(message, verdict, bulk=True) == ()  # no Log now, no contact
    assert not needs_action(message, verdict, bulk=True)
    assert status(verdict.logged, verdict.reason, bulk=True) is Status.WONT_LOG
    # The same message without the advisory: section 7's table.
    assert suggested_actions(message, verdict) == (Action.LOG_NOW, Action.CREATE_CONTACT)
    assert needs_action(message, verdict)
    assert status(verdict.logged, verdict.reason) is Status.NEEDS_ACTION


def test_bulk_replies_only_needs_no_action() -> None:
    lea = f"Lea <{LEA['email']}>"
    message, verdict = _decide(msg("m", sender=lea, to=[OUT]), rule="replies_only")
    assert (verdict.reason, verdict.rule) == (Reason.REPLIES_ONLY, Rule.R5)
    assert suggested_actions(message, verdict, bulk=True) == ()
    assert not needs_action(message, verdict, bulk=True)
    assert needs_action(message, verdict)


def test_bulk_subject_changed_still_needs_action() -> None:
    """Section 7 quiets not_a_contact and replies_only only: a changed subject in a logged
    thread is still a gap."""
    lea = f"Lea <{LEA['email']}>"
    logged = [{"message_id": "<t@x>", "subject": "Pilot"}]
    reply = msg("m", sender=lea, to=[OUT], subject="Other", in_reply_to="<t@x>")
    message, verdict = _decide(reply, rule="replies_only", logged=logged)
    assert verdict.reason is Reason.SUBJECT_CHANGED
    assert needs_action(message, verdict, bulk=True)
    assert suggested_actions(message, verdict, bulk=True) == (Action.LOG_NOW,)


def test_bulk_mail_that_will_be_logged_suggests_the_never_log_list() -> None:
    lea = f"Lea <{LEA['email']}>"
    message, verdict = _decide(msg("m", sender=lea, to=[OUT]))
    assert (verdict.logged, verdict.reason, verdict.rule) == (True, Reason.LOG_ALL_CONTACT, Rule.R8)
    assert suggested_actions(message, verdict, bulk=True) == (Action.ADD_SENDER_TO_NEVER_LOG,)
    assert not needs_action(message, verdict, bulk=True)
    assert status(True, verdict.reason, bulk=True) is Status.WILL_LOG
    assert suggested_actions(message, verdict) == ()
    assert "Never-log list" in advisory_sentence(Advisory.BULK, logged=True)
    assert "no action" in advisory_sentence(Advisory.BULK, logged=False)


def test_bulk_never_log_and_drafts_need_nothing() -> None:
    message, verdict = _decide(
        msg("m", sender=NEWSLETTER, to=[OUT]), never_log=["pipelineweekly.example"]
    )
    assert verdict.reason is Reason.NEVER_LOG
    assert suggested_actions(message, verdict, bulk=True) == ()
    draft, verdict = _decide(msg("d", folder="drafts", sender=OUT, to=["x@newco.example"]))
    assert verdict.reason is Reason.NOT_A_CONTACT
    assert suggested_actions(draft, verdict) == (Action.ADD_BCC,)
    assert suggested_actions(draft, verdict, bulk=True) == ()


_RULE_ID = re.compile(r"\b(R\d+b?|A[12])\b")


@pytest.mark.parametrize("reason", list(Reason))
def test_the_vocabulary_names_every_reason_without_rule_ids(reason: Reason) -> None:
    for text in (reason_label(reason), reason_sentence(reason), headline(False, reason)):
        assert text and not _RULE_ID.search(text), text
    assert status_label(status(False, reason))
    assert advisory_label(Advisory.BULK) == "Bulk mail"
    assert all(action_label(a) for a in Action)


def test_already_logged_reads_in_the_right_tense() -> None:
    assert (
        headline(True, Reason.ALREADY_LOGGED) == "Already logged: the CRM already has this email."
    )
    assert headline(True, Reason.THREAD_REPLY).startswith("Will be logged: ")
    assert headline(False, Reason.NEVER_LOG).startswith("Won't be logged: ")


def test_mail_to_the_forward_address_is_named_as_such() -> None:
    """R3 on the forward address: not "sent to the BCC address"."""
    to_forward = msg("m", folder="sent", sender=OUT, to=[f"Lea <{LEA['email']}>", FWD])
    _, verdict = _decide(to_forward, forward=FWD)
    assert (verdict.reason, verdict.rule) == (Reason.BCC_ADDRESS, Rule.R3)
    assert summary(verdict) == "Will be logged: it was forwarded to the forward address."
    to_bcc = msg("m", folder="sent", sender=OUT, to=[f"Lea <{LEA['email']}>", BCC])
    _, verdict = _decide(to_bcc, forward=FWD)
    assert summary(verdict) == "Will be logged: it is sent to the BCC address."
    assert reason_label(Reason.BCC_ADDRESS, via_forward=True) == "Forward address"


def test_one_name_for_a_folder_everywhere() -> None:
    """Issue 15: "INBOX" in the pane, "Inbox" in the sidebar: one name, from the role, else
    the folder's decoded name (modified UTF-7 already decoded: "Entw&APw-rfe")."""
    from core.mail import utf7
    from core.rules.vocabulary import folder_label

    assert folder_label("inbox", "INBOX") == folder_label(Folder.INBOX, "Inbox") == "Inbox"
    assert folder_label("sent", "Sent Items") == "Sent"
    assert folder_label("other", utf7.decode("Entw&APw-rfe")) == "Entwürfe"
    assert folder_label(None, "Projects/2026") == "Projects/2026"


_BULK_VALUES = st.none() | st.sampled_from(
    ["", " ", "\t", "bulk", " LIST ", "junk", "no", " No\r\n", "auto-replied", "<mailto:u@x>"]
)
_SENDERS = st.none() | st.sampled_from(["noreply@x.example", "NoReply@x", "lea@x", "x"])


@given(st.tuples(_BULK_VALUES, _BULK_VALUES, _BULK_VALUES, _BULK_VALUES), _SENDERS)
def test_is_bulk_reads_section_7_as_first_written(headers: tuple[Any, ...], sender: Any) -> None:
    def folded(value: str | None) -> str:
        return (value or "").strip(" \t\r\n").lower()

    list_id, unsubscribe, precedence, auto = (folded(v) for v in headers)
    expected = bool(list_id or unsubscribe or precedence in ("bulk", "list", "junk"))
    expected = expected or (auto not in ("", "no")) or bulk_sender(sender)
    assert is_bulk(BulkSignals(*headers, sender)) is expected


_ASCII_ONLY = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@given(
    local=st.text(alphabet=st.sampled_from("NnOoRrEePpLlYy-_İıKK\u212aé"), max_size=12),
    header=st.text(alphabet=st.sampled_from(" \tBbUuLlKkIiSsTtJjNn\u212aİ"), max_size=8),
)
def test_the_bulk_signals_fold_ascii_case_only(local: str, header: str) -> None:
    """Section 7 compares with ASCII case folding, as the cache's SQL does: a Kelvin sign or
    a dotted capital I never passes for a "k" or an "i" (``str.lower`` alone would)."""
    address = f"{local}@x.example"
    assert bulk_sender(address) == address.translate(_ASCII_ONLY).startswith(BULK_SENDER_PREFIXES)
    folded = header.strip(" \t\r\n").translate(_ASCII_ONLY)
    assert is_bulk(BulkSignals(precedence=header)) == (folded in ("bulk", "list", "junk"))
    assert not is_bulk(BulkSignals(precedence="BUL\u212a"))  # str.lower would say "bulk"
