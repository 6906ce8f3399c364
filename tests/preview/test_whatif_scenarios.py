"""The stored what-if (``simulate``) equals the general one (``compare``: the whole mailbox
decided twice) on the spec's scenarios and on generated mailboxes, for any change and window,
whichever way the stored path goes: the threads of its candidates, the threads of its window,
or the whole account (``WHOLE`` moved to force each)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.mail.headers import prepare
from core.mailbox import FetchedMessage
from core.preview import whatif_cache
from core.preview.whatif import DAY, WhatIf, WhatIfResult, changed_directory, compare
from core.rules.model import Folder, LoggingRule
from core.store import cache, db, verdicts
from core.store.accounts import Account, AccountKind, insert_account
from core.store.directory import import_directory, load_directory, parse_directory
from core.store.engine_input import account_messages
from tests.store.builders import folder_info, scenario_header

SCENARIOS = Path(__file__).parents[1] / "data" / "scenarios"
NAMES = sorted(p.stem for p in SCENARIOS.glob("*.json") if not p.stem.endswith(".expected"))
TEAM = json.loads((SCENARIOS / "mixed_rules.json").read_text())  # the generated mail's team
ENTRIES = ["client.example", "dan@client.example", "rival.example", "spam@noise.example",
           "team.example", "else.example", "@client2.example", "nobody.example"]  # fmt: skip
WHATIFS = st.builds(
    WhatIf,
    rule=st.sampled_from([None, LoggingRule.REPLIES_ONLY, LoggingRule.ALL]),
    never_log_add=st.lists(st.sampled_from(ENTRIES), max_size=2).map(tuple),
    never_log_remove=st.lists(st.sampled_from(ENTRIES), max_size=2).map(tuple),
    days=st.sampled_from([1, 3, 10, 30, 36500]),
    create_contacts=st.sampled_from([None, True, False]),
)
WHOLES = [0.0, 0.6, 1.0]  # every change "most": the whole account; 0.6 as shipped; never most
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Cache:
    """A settled cache of one account, and the dates its windows end at."""

    def __init__(self, doc: dict[str, Any], copies: int = 0) -> None:
        """``copies`` more accounts hold the same mail (the walk reaches their rows too)."""
        self.conn = db.connect(":memory:")
        for n in range(1 + copies):
            account = insert_account(self.conn, f"a{n}", AccountKind.MAILDIR, path=f"/a{n}")
            self._fill(account, doc)
            verdicts.settle(self.conn, account, everything=True)
            self.account = account
        dates = [d for (d,) in self.conn.execute("SELECT date FROM messages") if d is not None]
        # A window ending a day after each message starts at that message (days=1).
        self.ends = sorted({d + DAY for d in dates}) or [0.0]

    def _fill(self, account: Account, doc: dict[str, Any]) -> None:
        import_directory(self.conn, account.id, parse_directory({**doc, "messages": []}))
        for uid, m in enumerate(doc["messages"], start=1):
            role = Folder(m.get("folder", "inbox"))
            folder = cache.ensure_folder(self.conn, account.id, folder_info(role.value, role))
            fetched = FetchedMessage(uid, (), None, 10, scenario_header(m))
            cache.insert_messages(self.conn, folder.id, 1, [prepare(fetched, role)])

    def check(self, w: WhatIf, now: float, whole: float) -> None:
        assert whatif_cache.all_decided(self.conn, self.account.id)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(whatif_cache, "WHOLE", whole)
            fast = whatif_cache.simulate(self.conn, self.account, w, now)
        assert _view(fast) == _view(_general(self.conn, self.account, w, now))


def _general(conn: sqlite3.Connection, account: Account, w: WhatIf, now: float) -> WhatIfResult:
    directory, state = load_directory(conn, account)
    after = changed_directory(directory, w)
    messages = account_messages(conn, account.id)
    return compare(messages, directory, after, state, now - w.days * DAY, w)


def _view(r: WhatIfResult) -> tuple[object, ...]:
    changes = [(c.message.id, c.before.as_dict(), c.after.as_dict()) for c in r.changes]
    return r.considered, r.reasons, r.users, r.user_labels, changes


@pytest.fixture(scope="module", params=NAMES)
def scenario(request: pytest.FixtureRequest) -> Iterator[Cache]:
    found = Cache(json.loads((SCENARIOS / f"{request.param}.json").read_text()))
    yield found
    found.conn.close()


def test_every_scenario_is_there() -> None:
    assert {"log_all_basics", "replies_only_basics", "mixed_rules"} <= set(NAMES)


@pytest.mark.parametrize("whole", WHOLES)
@SETTINGS
@given(w=WHATIFS, end=st.integers(0, 10_000), late=st.booleans())
def test_on_the_scenarios(scenario: Cache, whole: float, w: WhatIf, end: int, late: bool) -> None:
    now = scenario.ends[end % len(scenario.ends)] + (400 * DAY if late else 0.0)
    scenario.check(w, now, whole)


# -- generated mailboxes: threads across the window, copies of a message, drafts, undated ----

_PEOPLE = [u["email"] for u in TEAM["users"]] + [c["email"] for c in TEAM["contacts"]]
_OTHERS = ["x@else.example", "y@rival.example", "spam@noise.example", "z@client.example"]
_PARTIES = [*_PEOPLE, *_OTHERS, TEAM["account"]["bcc_address"]]
_SUBJECTS = ["Kickoff", "Re: Kickoff", "Pricing", "Re: Pricing", "Fwd: Pricing", ""]
START = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


@st.composite
def mailboxes(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario over the mixed_rules team: up to 24 messages, a third of them replies to
    earlier or later ones, some copies of another's Message-ID, spread over 60 days."""
    count = draw(st.integers(1, 24))
    ids = [f"<g{n}@x>" for n in range(count)] + ["<old@x>"]  # the last one: in the ledger
    messages = []
    for n in range(count):
        folder = draw(st.sampled_from(["inbox", "inbox", "sent", "sent", "drafts", "archive"]))
        outbound = folder in ("sent", "drafts")
        sender = draw(st.sampled_from(_PEOPLE[:3] if outbound else _PARTIES))
        parent = draw(st.one_of(st.none(), st.none(), st.sampled_from(ids)))
        copy = draw(st.one_of(st.none(), st.none(), st.none(), st.sampled_from(ids[:n] or ids)))
        day = draw(st.one_of(st.none(), st.integers(0, 60)))
        messages.append(
            {
                "id": f"g{n}",
                "folder": folder,
                "date": None if day is None else _iso(START + day * DAY + n * 60),
                "from": None if folder == "drafts" and draw(st.booleans()) else sender,
                "to": draw(st.lists(st.sampled_from(_PARTIES), min_size=1, max_size=3)),
                "cc": draw(st.lists(st.sampled_from(_PARTIES), max_size=2)),
                "subject": draw(st.sampled_from(_SUBJECTS)),
                "message_id": copy or ids[n],
                "in_reply_to": parent,
                "references": [parent] if parent is not None and draw(st.booleans()) else [],
            }
        )
    return {**TEAM, "messages": messages}


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@settings(max_examples=60, deadline=None)
@given(
    doc=mailboxes(),
    changes=st.lists(WHATIFS, min_size=1, max_size=3),
    end=st.integers(0, 10_000),
    whole=st.sampled_from(WHOLES),
)
def test_on_generated_mailboxes(
    doc: dict[str, Any], changes: list[WhatIf], end: int, whole: float
) -> None:
    mailbox = Cache(doc, copies=1)  # the what-if is the second account's
    try:
        for w in changes:
            mailbox.check(w, mailbox.ends[end % len(mailbox.ends)], whole)
    finally:
        mailbox.conn.close()
