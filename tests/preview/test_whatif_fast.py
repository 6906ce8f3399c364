"""The what-if from stored verdicts (``core.preview.whatif_cache``) gives what the general
simulation gives (``compare``: the whole mailbox decided twice), for any change and window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.preview import whatif_cache
from core.preview.loading import account_messages
from core.preview.whatif import DAY, WhatIf, WhatIfResult, changed_directory, compare
from core.preview.whatif_cache import simulate
from core.rules.model import LoggingRule
from core.store.directory import load_directory
from tests.preview.conftest import Workspace, open_workspace
from tests.preview.test_whatif import DEMO_END

ENTRIES = st.sampled_from(
    ["initech.example", "counsel@harbor-legal.example", "umbrella-health.example",
     "globex.example", "example", "karen.liu@umbrella-health.example", "nobody.example",
     "@initech.example", "hooli.example"]
)  # fmt: skip
WHATIFS = st.builds(
    WhatIf,
    rule=st.sampled_from([None, LoggingRule.REPLIES_ONLY, LoggingRule.ALL]),
    never_log_add=st.lists(ENTRIES, max_size=2).map(tuple),
    never_log_remove=st.lists(ENTRIES, max_size=2).map(tuple),
    days=st.sampled_from([1, 7, 30, 90, 400, 36500]),
    create_contacts=st.sampled_from([None, True, False]),
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path_factory.mktemp("whatif"))
    yield ws
    ws.conn.close()


def _general(ws: Workspace, w: WhatIf) -> WhatIfResult:
    directory, state = load_directory(ws.conn, ws.account)
    after = changed_directory(directory, w)
    messages = account_messages(ws.conn, ws.account.id)
    return compare(messages, directory, after, state, DEMO_END - w.days * DAY, w)


def _view(r: WhatIfResult) -> tuple[object, ...]:
    changes = [(c.message.id, c.before.as_dict(), c.after.as_dict()) for c in r.changes]
    return r.considered, r.reasons, r.users, r.user_labels, changes


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(WHATIFS)
def test_the_stored_path_equals_the_general_path(demo: Workspace, w: WhatIf) -> None:
    assert whatif_cache.all_decided(demo.conn, demo.account.id)
    fast = simulate(demo.conn, demo.account, w, DEMO_END)
    assert _view(fast) == _view(_general(demo, w))


def test_every_setting_of_a_what_if_is_handled() -> None:
    """A new WhatIf field must be taught to the stored path (or it takes the general one)."""
    assert set(WhatIf.__dataclass_fields__) == whatif_cache.HANDLED


def test_undecided_rows_take_the_general_path(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    ws.conn.execute("UPDATE messages SET decided_at = NULL WHERE id = 3")
    assert not whatif_cache.all_decided(ws.conn, ws.account.id)
    w = WhatIf(rule=LoggingRule.REPLIES_ONLY, days=400)
    assert _view(simulate(ws.conn, ws.account, w, DEMO_END)) == _view(_general(ws, w))
    ws.conn.close()
