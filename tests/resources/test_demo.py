"""The demo workspace: a realistic mailbox that shows every reason and attribution of the spec.

The shipped Maildir is read with the stdlib ``mailbox`` (as any Maildir reader would), decided
by the rules engine against the shipped directory, and the generator is re-run to prove the
committed files are exactly what it writes.
"""

from __future__ import annotations

import email
import json
import mailbox
import re
from collections import Counter
from datetime import UTC, datetime
from email import policy
from email.header import Header, decode_header
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide_all
from core.rules.messages import make_message
from core.rules.model import Attribution, LoggingRule, Message, Reason
from core.rules.scenario import (
    ScenarioError,
    directory_of,
    scenario_from_dict,
    scenario_schema,
    validate,
)
from core.rules.verdict import Verdict
from resources.demo import DIRECTORY, MAILDIR, make_demo
from tests.helpers.maildir import DemoMaildir

DEMO = DIRECTORY.parent
ROLES = {"": "inbox", "Sent": "sent", "Drafts": "drafts", "Archive": "archive"}


def _text(value: str | Header | None) -> str | None:
    """A compat32 header as text (raw 8-bit bytes come back as a ``Header``), unfolded."""
    if value is None:
        return None
    if isinstance(value, Header):  # RFC 6532 style raw UTF-8: the stdlib calls it unknown-8bit
        value = "".join(
            part.decode("utf-8", "replace") if isinstance(part, bytes) else part
            for part, _ in decode_header(value)
        )
    return re.sub(r"\r?\n[ \t]+", " ", value).strip()


def _message(key: str, role: str, msg: mailbox.MaildirMessage) -> Message:
    def many(name: str) -> list[str]:
        return [t for v in msg.get_all(name, []) if (t := _text(v)) is not None]

    refs = _text(msg["References"])
    return make_message(
        f"{role}/{key}",
        folder=role,
        date=_text(msg["Date"]),
        sender=_text(msg["From"]),
        to=many("To"),
        cc=many("Cc"),
        bcc=many("Bcc"),
        subject=_text(msg["Subject"]),
        message_id=_text(msg["Message-ID"]),
        in_reply_to=_text(msg["In-Reply-To"]),
        references=refs.split() if refs else (),
    )


def read_demo(root: Path = MAILDIR) -> list[tuple[Message, mailbox.MaildirMessage]]:
    """Every message of the Maildir++ tree, in folder then key order, with its parsed form."""
    inbox = DemoMaildir(root, create=False)
    found: list[tuple[Message, mailbox.MaildirMessage]] = []
    for name, role in ROLES.items():
        box = inbox.get_folder(name) if name else inbox
        for key in sorted(box.keys()):
            if key.startswith("."):  # placeholders that keep new/ and tmp/ in git
                continue
            msg = box.get_message(key)
            found.append((_message(key, role, msg), msg))
    return found


def load_directory(
    rule: LoggingRule | None = None, create_contacts: bool = False
) -> tuple[Directory, LoggedState]:
    doc: dict[str, Any] = json.loads(DIRECTORY.read_text("utf-8"))
    if rule is not None:
        doc["account"]["logging_rule"] = str(rule)
    doc["account"]["create_contacts"] = create_contacts
    scenario = scenario_from_dict({**doc, "messages": []})
    return directory_of(scenario), LoggedState(scenario.logged)


def decide_demo(
    rule: LoggingRule | None = None, create_contacts: bool = False
) -> list[tuple[Message, Verdict]]:
    messages = [m for m, _ in read_demo()]
    directory, state = load_directory(rule, create_contacts)
    return list(zip(messages, decide_all(messages, directory, state), strict=True))


@pytest.fixture(scope="module")
def demo() -> list[tuple[Message, mailbox.MaildirMessage]]:
    return read_demo()


@pytest.fixture(scope="module")
def decided() -> list[tuple[Message, Verdict]]:
    return decide_demo()


@pytest.fixture(scope="module")
def decided_replies_only() -> list[tuple[Message, Verdict]]:
    return decide_demo(LoggingRule.REPLIES_ONLY)


# new_contact (R9b) needs the account's "Create new contacts" beta, off in the shipped file.
REASONS_UNDER_ALL = set(Reason) - {Reason.REPLIES_ONLY, Reason.SUBJECT_CHANGED, Reason.NEW_CONTACT}


def _reasons(decided: list[tuple[Message, Verdict]]) -> Counter[Reason]:
    return Counter(v.reason for _, v in decided)


def _attributions(decided: list[tuple[Message, Verdict]]) -> Counter[Attribution]:
    return Counter(v.attribution for _, v in decided if v.attribution is not None)


def _by_subject(decided: list[tuple[Message, Verdict]], folder: str, subject: str) -> Verdict:
    found = [v for m, v in decided if m.folder == folder and m.subject == subject]
    assert len(found) == 1, f"{folder}: {subject!r} found {len(found)} times"
    return found[0]


# --- the tree ---------------------------------------------------------------------------------


def test_the_tree_is_maildir_plus_plus_with_the_three_subfolders_of_every_folder() -> None:
    inbox = DemoMaildir(MAILDIR, create=False)
    assert sorted(inbox.list_folders()) == ["Archive", "Drafts", "Sent"]
    for name in ("", ".Sent", ".Drafts", ".Archive"):
        for sub in ("cur", "new", "tmp"):
            assert (MAILDIR / name / sub).is_dir(), f"{name or 'inbox'}/{sub} is missing"
        assert [p.name for p in (MAILDIR / name / "new").iterdir()] == [".gitkeep"]
        assert [p.name for p in (MAILDIR / name / "tmp").iterdir()] == [".gitkeep"]


def test_the_stdlib_reads_every_message_and_only_the_empty_placeholders_besides() -> None:
    # Python 3.11's Maildir lists new/.gitkeep as a key (3.13 skips dot-files, as the Maildir
    # spec asks readers to): it is an empty file, and the only dot-named key.
    inbox = DemoMaildir(MAILDIR, create=False)
    for box in (inbox, *(inbox.get_folder(name) for name in ("Sent", "Drafts", "Archive"))):
        dotted = [key for key in box.iterkeys() if key.startswith(".")]
        assert dotted in ([], [".gitkeep"])
        assert all(box.get_bytes(key) == b"" for key in dotted)
        assert all(box.get_bytes(key) for key in box.iterkeys() if not key.startswith("."))


def test_about_300_messages_across_inbox_sent_and_drafts(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
) -> None:
    folders = Counter(m.folder.value for m, _ in demo)
    assert 280 <= len(demo) <= 320
    assert folders["inbox"] > 150 and folders["sent"] > 80
    assert 5 <= folders["drafts"] <= 10 and folders["archive"] >= 3


def test_flags_drafts_are_d_sent_are_seen_and_recent_inbox_mail_is_unread(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
) -> None:
    by_folder: dict[str, list[str]] = {}
    for m, msg in demo:
        by_folder.setdefault(m.folder.value, []).append(msg.get_flags())
    assert set(by_folder["drafts"]) == {"D"}
    assert set(by_folder["sent"]) == {"S"}
    assert {"S", "RS", ""} <= set(by_folder["inbox"])
    assert sorted(p.name.rsplit(",", 1)[1] for p in (MAILDIR / ".Drafts/cur").iterdir()) == [
        "D"
    ] * len(by_folder["drafts"])


def test_dates_are_fixed_over_four_months_and_replies_follow_their_parents(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
) -> None:
    dates = [m.date for m, _ in demo if m.date is not None]
    first, last = min(dates), max(dates)
    assert datetime(2026, 7, 27, tzinfo=UTC).timestamp() <= first
    assert last < datetime(2026, 11, 27, tzinfo=UTC).timestamp()
    assert (last - first) / 86400 > 110
    when = {m.message_id: m.date for m, _ in demo if m.message_id is not None}
    pairs = [
        (when[m.in_reply_to], m.date, m.subject)
        for m, _ in demo
        if m.in_reply_to is not None and m.in_reply_to in when and m.date is not None
    ]
    assert len(pairs) > 100
    for parent, date, subject in pairs:
        assert parent is None or parent < date, subject


def test_every_address_is_at_an_example_domain(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
) -> None:
    for m, _ in demo:
        for address in (m.sender, *m.to, *m.cc, *m.bcc):
            if address is not None and address.email is not None:
                assert address.email.endswith(".example"), address.email
    ids = [m.message_id for m, _ in demo if m.message_id]
    assert all(i.endswith(".example>") for i in ids)


# --- content a mail client must handle -------------------------------------------------------


def _parsed(msg: mailbox.MaildirMessage) -> EmailMessage:
    parsed = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_rich_parts_html_attachment_inline_image_and_remote_references(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
) -> None:
    parsed = [_parsed(msg) for _, msg in demo]
    html = [p for p in parsed if p.get_body(("html",)) is not None]
    assert len(html) >= 5
    pdfs = [
        a for p in parsed for a in p.iter_attachments() if a.get_content_type() == "application/pdf"
    ]
    assert pdfs and all(a.get_content().startswith(b"%PDF-") for a in pdfs)
    inline = [p for p in parsed if "multipart/related" in {q.get_content_type() for q in p.walk()}]
    assert len(inline) == 1
    image = next(q for q in inline[0].walk() if q.get_content_type() == "image/png")
    cid = image["Content-ID"].strip("<>")
    html_part = inline[0].get_body(("html",))
    assert html_part is not None and f'src="cid:{cid}"' in html_part.get_content()
    assert image.get_content().startswith(b"\x89PNG")
    remote = [b.get_content() for p in parsed if (b := p.get_body(("html",))) is not None]
    remote = [text for text in remote if "file:///" in text]
    assert len(remote) == 1
    for needle in ('src="https://', 'src="//', "file:///etc/passwd", "@import", 'href="https://'):
        assert needle in remote[0]


def test_newsletters_encodings_and_malformed_headers(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
) -> None:
    lists = [msg for _, msg in demo if msg["List-Id"] and msg["List-Unsubscribe"]]
    assert len(lists) >= 20
    raw = [msg.as_bytes() for _, msg in demo]
    assert any(b"Subject: =?iso-8859-1?q?" in r for r in raw)  # German, Latin-1
    assert any(b"From: =?utf-8?" in r and b"atelier-lumiere" in r for r in raw)  # French
    assert any("Mette Sørensen".encode() in r for r in raw)  # raw UTF-8 (RFC 6532 style)
    subjects = {m.subject for m, _ in demo}
    assert "Angebot für Nordwind: Rückfragen zur Schulung" in subjects
    assert "Invitation : inauguration de la boutique Lumière Marais" in subjects
    names = {m.sender.name for m, _ in demo if m.sender is not None}
    assert {"Jürgen Weiß", "Élodie Moreau", "Mette Sørensen", "Amélie Laurent"} <= names
    assert sum(m.message_id is None for m, _ in demo) == 1
    assert sum(m.date is None for m, _ in demo) == 1
    assert sum(m.sender is None or m.sender.email is None for m, _ in demo) == 2  # + no From


# --- the directory and the verdicts ---------------------------------------------------------


def _directory_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DIRECTORY.read_text("utf-8"))
    return doc


def test_the_directory_is_a_scenario_without_messages() -> None:
    doc = _directory_doc()
    assert "messages" not in doc
    validate({**doc, "messages": []}, scenario_schema())
    with pytest.raises(ScenarioError, match="messages: required field is missing"):
        validate(doc, scenario_schema())


def test_the_directory_has_the_cast_the_demo_needs() -> None:
    doc = _directory_doc()
    account, users, contacts = doc["account"], doc["users"], doc["contacts"]
    assert account["logging_rule"] == "all"
    assert any("@" not in e for e in account["never_log"])  # a domain
    assert any("@" in e for e in account["never_log"])  # an address
    assert account["bcc_address"] and account["forward_address"]
    owner = next(u for u in users if u["id"] == doc["mailbox_owner"])
    assert owner["account_access"] and owner["aliases"] and owner["never_log"]
    assert 3 <= len(users) - 1 <= 5
    assert [u["id"] for u in users if u.get("personal_email_access") is False] == ["u-tom"]
    assert 35 <= len(contacts) <= 45
    assert sum(bool(c.get("additional_emails")) for c in contacts) >= 3
    assert sum(c["owner"] is None for c in contacts) >= 5
    assert len({c["owner"] for c in contacts} - {None}) >= 4
    assert len(doc["logged"]) >= 3


def test_the_shipped_rule_shows_every_reason_but_the_two_of_replies_only(
    decided: list[tuple[Message, Verdict]],
) -> None:
    assert set(_reasons(decided)) == REASONS_UNDER_ALL
    assert set(_attributions(decided)) == set(Attribution)


def test_replies_only_shows_the_two_reasons_the_shipped_rule_cannot(
    decided: list[tuple[Message, Verdict]],
    decided_replies_only: list[tuple[Message, Verdict]],
) -> None:
    other = _reasons(decided_replies_only)
    assert other[Reason.REPLIES_ONLY] > 200 and other[Reason.SUBJECT_CHANGED] >= 1
    assert set(_reasons(decided)) | set(other) == set(Reason) - {Reason.NEW_CONTACT}


def test_with_the_contact_creation_beta_new_addresses_are_logged(
    decided: list[tuple[Message, Verdict]],
) -> None:
    beta = _reasons(decide_demo(create_contacts=True))
    shipped = _reasons(decided)
    assert beta[Reason.NEW_CONTACT] > 20  # R9b: what R9 left out, bar the never-listed
    assert beta[Reason.NOT_A_CONTACT] < shipped[Reason.NOT_A_CONTACT]
    text = " ".join((DEMO / "README.md").read_text("utf-8").split())
    assert f"{beta[Reason.NEW_CONTACT]} messages become `new_contact`" in text


def test_a_realistic_mix_most_mail_is_logged_through_contacts_and_threads(
    decided: list[tuple[Message, Verdict]],
) -> None:
    reasons = _reasons(decided)
    assert reasons[Reason.THREAD_REPLY] > 60 and reasons[Reason.LOG_ALL_CONTACT] > 40
    assert reasons[Reason.NOT_A_CONTACT] > 30 and reasons[Reason.INTERNAL] > 20


# folder | subject | reason, attribution, attributed to under "all" | reason under replies_only
_STORY_TABLE = """
sent   | Route optimisation for Quantum Freight | already_logged sender u-mia | already_logged
inbox  | Brightwater pilot – store list | already_logged single_recipient u-mia | already_logged
inbox  | Re: Route optimisation for Quantum Freight | thread_reply single_recipient u-mia | thread_reply
inbox  | Pilot scope and timeline – Quantum Freight | not_a_contact - - | subject_changed
inbox  | AW: Nordwind evaluation – next steps | thread_reply single_recipient u-mia | thread_reply
inbox  | Your LogiMAT lead list (47 scans) | unparseable - - | unparseable
inbox  | Congrats on Initrode – coffee? | never_log - - | never_log
inbox  | Initech Summit 2026: register now | never_log - - | never_log
inbox  | Privileged & confidential: Initrode MSA liability cap | never_log - - | never_log
inbox  | Dinner on Saturday? 🍝 | never_log - - | never_log
sent   | Re: Dinner on Saturday? 🍝 | never_log - - | never_log
inbox  | Mamma's birthday | never_log - - | never_log
sent   | Umbrella Health – upsell proposal | log_all_contact sender u-mia | replies_only
sent   | Globex for Bluepeak Outdoor – overview | bcc_address sender u-mia | bcc_address
sent   | Fwd: Inquiry from Lotus Parcel | bcc_address sender u-mia | bcc_address
inbox  | Fwd: Cobalt implementation SOW | no_email_access - - | no_email_access
inbox  | Helios onboarding – week 3 checklist | no_email_access - - | replies_only
sent   | Q4 forecast – my commit | internal - - | replies_only
sent   | Fwd: Initrode – final numbers before the steering committee | internal - - | replies_only
inbox  | Initrode – final numbers before the steering committee | log_all_contact only_user_recipient u-mia | replies_only
inbox  | Budget approval for the Umbrella upsell | log_all_contact contact_owner u-claire | replies_only
inbox  | API-Zugang für den Testbetrieb | log_all_contact no_contact_owner - | replies_only
inbox  | Helios: additional depots from January | log_all_contact mailbox_owner u-mia | replies_only
inbox  | Helios – thanks to the Globex team | log_all_contact mailbox_owner u-mia | replies_only
inbox  | Purchase order for phase 1 | log_all_contact single_recipient u-mia | replies_only
inbox  | Request for a demo – Atlas Cargo | not_a_contact - - | replies_only
sent   | Fjord Retail x Globex – 20 minutes next week? | not_a_contact - - | replies_only
inbox  | Lieferantenstammdaten für Globex | log_all_contact single_recipient u-mia | replies_only
drafts | Re: Budget approval for the Umbrella upsell | thread_reply sender u-mia | replies_only
drafts | Re: Request for a demo – Atlas Cargo | not_a_contact - - | replies_only
drafts | Démonstration Globex – proposition de créneaux | bcc_address sender u-mia | bcc_address
drafts | Tanaka Foods – cold storage add-on | log_all_contact sender u-mia | replies_only
drafts | Handover: Vandelay while I'm at LogiMAT | internal - - | replies_only
"""  # noqa: E501 (a table reads better unwrapped)
STORIES = {
    (folder.strip(), subject.strip()): (*verdict.split(), replies_only.strip())
    for folder, subject, verdict, replies_only in (
        line.split(" | ") for line in _STORY_TABLE.strip().splitlines()
    )
}


@pytest.mark.parametrize(("folder", "subject"), sorted(STORIES))
def test_the_stories_of_the_readme_get_their_verdicts(
    decided: list[tuple[Message, Verdict]],
    decided_replies_only: list[tuple[Message, Verdict]],
    folder: str,
    subject: str,
) -> None:
    reason, why, who, under_replies_only = STORIES[(folder, subject)]
    attribution, user = (None if why == "-" else why), (None if who == "-" else who)
    verdict = _by_subject(decided, folder, subject)
    assert (verdict.reason, verdict.attribution, verdict.attributed_to) == (
        reason,
        attribution,
        user,
    )
    assert _by_subject(decided_replies_only, folder, subject).reason == under_replies_only


def test_a_copy_in_the_archive_is_already_logged(decided: list[tuple[Message, Verdict]]) -> None:
    subject = "Signed order form – Helios Energy"
    copies = sorted((m.folder.value, v.reason.value) for m, v in decided if m.subject == subject)
    assert copies == [("archive", "already_logged"), ("inbox", "log_all_contact")]


def test_the_draft_without_from_is_the_mailbox_owners(
    demo: list[tuple[Message, mailbox.MaildirMessage]],
    decided: list[tuple[Message, Verdict]],
) -> None:
    (draft,) = [m for m, msg in demo if m.folder == "drafts" and msg["From"] is None]
    verdict = _by_subject(decided, "drafts", draft.subject or "")
    assert verdict.logged and verdict.attributed_to == "u-mia"


def test_the_readme_counts_are_the_counts_of_the_shipped_files(
    decided: list[tuple[Message, Verdict]],
    decided_replies_only: list[tuple[Message, Verdict]],
) -> None:
    text = (DEMO / "README.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| (\w+) \| ([\d–]+ \| [\d–]+|\d+) \|$", text, re.MULTILINE))
    folders = Counter(m.folder.value for m, _ in decided)
    for folder, count in folders.items():
        assert rows.pop(folder) == str(count), folder
    shipped, other = _reasons(decided), _reasons(decided_replies_only)
    for reason in set(Reason) - {Reason.NEW_CONTACT}:
        expected = f"{shipped[reason] or '–'} | {other[reason] or '–'}"
        assert rows.pop(reason.value) == expected, reason
    assert rows == {}


# --- the generator ---------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_generator_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    count = make_demo.write(tmp_path)
    made = _tree(tmp_path)
    shipped = {
        name: data
        for name, data in _tree(DEMO).items()
        if name in made or name.startswith("Maildir") or name == "directory.json"
    }
    assert count == len(read_demo(tmp_path / "Maildir"))
    assert sorted(made) == sorted(shipped)
    changed = [name for name in made if made[name] != shipped[name]]
    assert changed == []


def test_the_generator_rewrites_an_existing_tree_in_place(tmp_path: Path) -> None:
    make_demo.write(tmp_path)
    stray = tmp_path / "Maildir" / "cur" / "1.M1P1.stray!2,S"
    stray.write_bytes(b"From: x@y.example\n\nstale\n")
    make_demo.write(tmp_path)
    assert not stray.exists()
    assert _tree(tmp_path) == {k: v for k, v in _tree(DEMO).items() if k in _tree(tmp_path)}
