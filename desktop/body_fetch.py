"""A message's body for the reading pane: read from its mailbox in the network pool."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from core.mail.body import Body, load_body
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import MailError
from core.store import db
from desktop.detail_pane import DetailPane
from desktop.ops import NetworkOp, Tasks

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def fetch_body(
    tasks: Tasks, cache: Path, secrets: SecretStore | None, detail: DetailPane, row_id: int
) -> None:
    """Read a cached row's body in the network pool; ``detail`` shows it (or why not)."""
    store = secrets or KeyringStore()
    op = NetworkOp(tasks, lambda _report, _cancel: _body_of(cache, row_id, store))
    op.success(lambda body: detail.body_loaded(row_id, body))
    op.failure(lambda error: detail.body_failed(row_id, _body_error(error)))
    op.run_in_background()


def _body_of(cache: Path, row_id: int, secrets: SecretStore) -> Body:
    with closing(db.connect(cache)) as conn:
        return load_body(conn, row_id, secrets)


def _body_error(error: Exception) -> str:
    if isinstance(error, MailError | SecretError):
        return str(error)
    return translate("DetailPane", "cannot show it: %1").replace("%1", type(error).__name__)
