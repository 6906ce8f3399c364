"""Connecting HubSpot in the window: the banner of a mailbox without a CRM, the dialog's check,
rules and load against the fake HubSpot, then real verdicts; accounts and forwarding settings."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from core.crm.delivery import SMTP_SETTINGS, Channels, Delivery
from core.crm.errors import CrmError
from core.crm.service import CrmService
from core.mail.secrets import KeyringStore
from core.store import db
from core.store.accounts import get_account
from core.store.directory import has_directory
from core.store.outbox import Kind, OutboxItem, State
from desktop.hubspot_dialog import HubSpotDialog
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.helpers.hubspot_demo import fill_from_demo
from tests.helpers.hubspot_server import OBJECT_SCOPES, FakeHubSpot, Fault
from tests.helpers.real_window import bare_cache

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
KEY = "sk-eu1-desktop-test-key"


@pytest.fixture
def bare_window(  # type: ignore[no-untyped-def]
    qtbot, home: Path, secrets: KeyringStore, settings: QSettings
) -> Iterator[MainWindow]:
    from desktop import crm_connect, outbox_view

    window = MainWindow(bare_cache(home), secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    outbox_view.install(window)
    crm_connect.install(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.reader.busy, timeout=10_000)
    window.sidebar.setCurrentIndex(window.sidebar_model.index(0, 0))
    yield window
    window.close()


def _verdicts(window: MainWindow) -> Counter[str]:
    model = window.model
    return Counter(
        model.data(model.index(row, 0)) for row in range(model.rowCount())
    )  # the verdict column's text


def _reasons(path: Path) -> Counter[str]:
    conn = sqlite3.connect(path)
    found = Counter(r for (r,) in conn.execute("SELECT reason FROM messages"))
    conn.close()
    return found


def _connect(qtbot, window: MainWindow, hubspot: FakeHubSpot) -> HubSpotDialog:  # type: ignore[no-untyped-def]
    window.crm.connect_hubspot()  # type: ignore[attr-defined]
    dialog: HubSpotDialog = window.crm.dialog  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.auth.url.setText(hubspot.url)
    dialog.auth.token.setText(KEY)
    qtbot.mouseClick(dialog.auth.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    return dialog


def test_a_mailbox_without_a_crm_shows_one_banner_then_real_verdicts_once_connected(
    qtbot, bare_window: MainWindow, hubspot: FakeHubSpot
) -> None:  # type: ignore[no-untyped-def]
    window = bare_window
    banner = window.crm.banner  # type: ignore[attr-defined]
    assert banner.isVisible() and "Connect your CRM to see real verdicts" in banner.text.text()
    assert window.model.rowCount() == 300 and set(_verdicts(window)) == {""}
    hubspot.add_token(KEY, OBJECT_SCOPES)
    owners = fill_from_demo(hubspot)

    dialog = _connect(qtbot, window, hubspot)
    assert dialog.result is not None and dialog.result.ok
    text = dialog.auth.result.text()
    assert "Portal <b>4455667</b>" in text and "✓ crm.objects.contacts.read" in text
    assert dialog.auth.owner.isVisible()  # a Maildir has no address: who are you?
    dialog.auth.owner.setCurrentIndex(dialog.auth.owner.findData(owners["u-mia"]))
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert dialog.rules.rule_all.isChecked()  # HubSpot's default, confirmed by the rep
    assert dialog.rules.bcc.text() == "4455667@bcc.hubspot.com"
    dialog.rules.never_log.entry.setText("initech.example")
    qtbot.mouseClick(dialog.rules.never_log.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.connected, timeout=20_000):
        qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    assert "HubSpot is connected" in dialog.load.step.text()

    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5_000)
    shown = _verdicts(window)
    assert "" not in shown and shown["Contact"] > 20 and shown["Never-log list"] > 0
    assert window.crm.loaded.text().startswith("HubSpot loaded:")  # type: ignore[attr-defined]
    conn = db.connect(window.cache)
    account = get_account(conn, "work")
    assert account is not None and has_directory(conn, account.id)
    conn.close()
    stored = b"".join(p.read_bytes() for p in window.cache.parent.glob("work.sqlite*"))
    assert KEY.encode() not in stored


def test_a_token_without_a_needed_scope_names_it_and_goes_no_further(
    qtbot, bare_window: MainWindow, hubspot: FakeHubSpot
) -> None:  # type: ignore[no-untyped-def]
    hubspot.add_token(KEY, frozenset({"crm.objects.owners.read"}))
    dialog = _connect(qtbot, bare_window, hubspot)
    assert "missing: crm.objects.contacts.read" in dialog.auth.result.text()
    assert not dialog.next.isEnabled()
    assert "Grant the missing scopes" in dialog.message.text()


def test_loading_can_be_cancelled_and_changes_nothing(
    qtbot, bare_window: MainWindow, hubspot: FakeHubSpot
) -> None:  # type: ignore[no-untyped-def]
    hubspot.add_token(KEY, OBJECT_SCOPES)
    owners = fill_from_demo(hubspot)
    hubspot.page_size = 1
    for _ in range(3):
        hubspot.fail_next("GET", "/crm/v3/objects/contacts", Fault(hold=0.5))
    dialog = _connect(qtbot, bare_window, hubspot)
    dialog.auth.owner.setCurrentIndex(dialog.auth.owner.findData(owners["u-mia"]))
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.load.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in dialog.load.step.text(), timeout=10_000)
    conn = db.connect(bare_window.cache)
    assert conn.execute("SELECT count(*) FROM directory_contacts").fetchone()[0] == 0
    conn.close()


def test_a_forward_without_smtp_points_to_a_menu_that_exists(
    bare_window: MainWindow,
) -> None:
    conn = db.connect(bare_window.cache)
    account = get_account(conn, "work")
    assert account is not None
    item = OutboxItem(1, account.id, Kind.FORWARD, "k", None, "", {}, State.SENDING, 1, False,
                      None, None, 0.0, 0.0, 0.0)  # fmt: skip
    with pytest.raises(CrmError) as caught:
        Delivery(conn, account, Channels()).run(item)
    conn.close()
    assert str(SMTP_SETTINGS) in str(caught.value)
    menu, _, entry = str(SMTP_SETTINGS).partition(" › ")
    crm_menu = bare_window.crm_menu  # type: ignore[attr-defined]
    assert menu == "CRM" and crm_menu.title().replace("&", "") == "CRM"
    assert entry in [a.text().replace("&", "") for a in crm_menu.actions()]


def test_signing_in_through_a_public_app_connects_without_a_key(
    qtbot, bare_window: MainWindow, hubspot: FakeHubSpot
) -> None:  # type: ignore[no-untyped-def]
    from tests.crm.test_hubspot_oauth import CLIENT_ID, CLIENT_SECRET, browser, free_port

    hubspot.add_app(CLIENT_ID, CLIENT_SECRET)
    owners = fill_from_demo(hubspot)
    dialog = HubSpotDialog(
        bare_window.tasks, "work", open_browser=browser,
        authorize_url=f"{hubspot.url}/oauth/authorize",
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.auth.by_sign_in.setChecked(True)
    dialog.auth.url.setText(hubspot.url)
    dialog.auth.client_id.setText(CLIENT_ID)
    dialog.auth.client_secret.setText(CLIENT_SECRET)
    dialog.auth.port.setValue(free_port())
    dialog.check()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
    assert "User: <b>mia@globex.example</b>" in dialog.auth.result.text()  # the signed-in user
    assert "✓ crm.objects.deals.read" in dialog.auth.result.text()  # optional, granted
    dialog.auth.owner.setCurrentIndex(dialog.auth.owner.findData(owners["u-mia"]))
    dialog._forward()
    with qtbot.waitSignal(dialog.connected, timeout=20_000):
        dialog._forward()
    conn = db.connect(bare_window.cache)
    account = get_account(conn, "work")
    assert account is not None
    config = CrmService(conn, account).config()
    conn.close()
    assert (config.hubspot_auth, config.hubspot_client_id) == ("oauth", CLIENT_ID)
    bearer = hubspot.seen("GET", "/crm/v3/objects/contacts")[-1].authorization
    assert bearer == f"Bearer {hubspot.issued[0]}"


def test_directories_are_reloaded_when_due_and_say_when(
    qtbot, bare_window: MainWindow, hubspot: FakeHubSpot
) -> None:  # type: ignore[no-untyped-def]
    hubspot.add_token(KEY, OBJECT_SCOPES)
    owners = fill_from_demo(hubspot)
    dialog = _connect(qtbot, bare_window, hubspot)
    dialog.auth.owner.setCurrentIndex(dialog.auth.owner.findData(owners["u-mia"]))
    dialog._forward()
    with qtbot.waitSignal(dialog.connected, timeout=20_000):
        dialog._forward()
    crm = bare_window.crm  # type: ignore[attr-defined]
    loads = len(hubspot.seen("GET", "/crm/v3/objects/contacts"))
    crm.refresh_due()  # just loaded: not due
    assert not crm.loading
    conn = db.connect(bare_window.cache)
    conn.execute("UPDATE crm_settings SET loaded_at = 1e9")  # September 2001
    conn.close()
    bare_window.refresh()
    assert crm.loaded.text().startswith("HubSpot loaded: ") and "2001" in crm.loaded.text()
    crm.refresh_due()
    qtbot.waitUntil(lambda: not crm.loading, timeout=20_000)
    assert len(hubspot.seen("GET", "/crm/v3/objects/contacts")) == loads + 1
    qtbot.waitUntil(lambda: "2001" not in crm.loaded.text(), timeout=5_000)
