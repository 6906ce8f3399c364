"""``act``: the fixes the add-in offers, through the same calls as the app's buttons.

``log_now`` and ``create_contact`` queue a row in the durable outbox (``core.crm.actions``,
with the app's refusals: already logged, Never-log, nobody to log it on...) and the host then
delivers it in the background; ``add_bcc`` answers the draft's new Bcc list (the add-in writes
it into the compose window) with the verdict it gives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from core.crm import actions as crm
from core.crm.errors import CrmError
from core.i18n import _
from core.preview.draft import ledger
from core.store.accounts import Account
from core.store.outbox import Enqueued
from core.thunderbird import requests
from core.thunderbird.protocol import ProtocolError
from core.thunderbird.reading import require_copy
from core.thunderbird.writing import check_draft, with_bcc

ACTIONS = ("log_now", "create_contact", "add_bcc")


def _queued(done: Enqueued) -> dict[str, Any]:
    item = done.item
    if done.created:
        text = _("Queued: %(item)s. Mailscope sends it to the CRM.") % {"item": item.label}
    else:
        text = _("Already queued: %(item)s (%(state)s).")
        text %= {"item": item.label, "state": item.state.value}
    return {"created": done.created, "outbox_id": item.id, "state": item.state.value, "text": text}


def _log_now(conn: sqlite3.Connection, account: Account, request: dict[str, Any]) -> Enqueued:
    copy = require_copy(conn, account, requests.header(request))
    return crm.log_now(conn, account, copy.row)


def _create_contact(
    conn: sqlite3.Connection, account: Account, request: dict[str, Any]
) -> Enqueued:
    email = requests.text(request, "email")
    if email is None:
        copy = require_copy(conn, account, requests.header(request))
        return crm.create_contact_for(conn, account, copy.row)
    directory, _logged = ledger(conn, account)
    name = requests.text(request, "name") or ""
    return crm.create_contact(conn, account, email, name=name, owner=directory.mailbox_owner)


def _add_bcc(conn: sqlite3.Connection, account: Account, request: dict[str, Any]) -> dict[str, Any]:
    draft, address, added = with_bcc(conn, account, requests.draft(request))
    text = _("Added %(address)s to the draft's Bcc.") % {"address": address}
    if not added:
        text = _("%(address)s is already on this draft.") % {"address": address}
    return {
        "added": added,
        "address": address,
        "bcc": list(draft.bcc),
        "text": text,
        "check": check_draft(conn, account, draft),
    }


def _action(request: dict[str, Any]) -> str:
    """The request's action, one of ACTIONS."""
    action = requests.text(request, "action", required=True)
    if action not in ACTIONS:
        raise ProtocolError(
            "bad_request", _("'action' must be one of %(join)s") % {"join": ", ".join(ACTIONS)}
        )
    return action


def _enqueue(
    action: str, conn: sqlite3.Connection, account: Account, request: dict[str, Any]
) -> Enqueued:
    """Queue "Log now" or "Create contact"; the CRM's refusal is the answer's refusal."""
    queue = _log_now if action == "log_now" else _create_contact
    try:
        return queue(conn, account, request)
    except CrmError as error:
        raise ProtocolError("refused", str(error)) from None


def act(
    conn: sqlite3.Connection,
    account: Account,
    request: dict[str, Any],
    deliver: Callable[[], None],
) -> dict[str, Any]:
    """The answer fields of ``act``; ``deliver`` starts delivering the outbox after a queue."""
    action = _action(request)
    if action == "add_bcc":
        return {"action": action, **_add_bcc(conn, account, request)}
    done = _enqueue(action, conn, account, request)
    if done.created:
        deliver()
    return {"action": action, **_queued(done)}
