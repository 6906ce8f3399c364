"""Add BCC to a Maildir draft: the demo's flow, byte-exact files, a vanished draft, the package."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import resources.demo as demo
from core.mail import accounts
from core.preview.add_bcc import DraftGone, Outcome, add_bcc_to_draft
from core.preview.bcc import BccError
from core.preview.draft import drafts
from core.store import db
from core.store.accounts import AccountKind, get_account
from core.store.directory import import_directory, parse_directory
from core.store.queries import message_record
from tests.preview.conftest import Workspace, sync

BCC = "24681357@bcc.hubspot.example"


def _row(ws: Workspace, part: str) -> int:
    (row,) = [r for r in drafts(ws.conn, ws.account.id) if part in (r.subject or "")]
    return row.id


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.parent.name in ("cur", "new")
    }


def test_the_not_a_contact_draft_turns_to_bcc_address(workspace: Workspace) -> None:
    row = _row(workspace, "Atlas Cargo")
    assert message_record(workspace.conn, row).columns["reason"] == "not_a_contact"  # type: ignore[union-attr]
    before = _files(workspace.maildir)
    result = add_bcc_to_draft(workspace.conn, row)
    assert result.outcome is Outcome.ADDED
    assert result.text == f"Added {BCC} to the draft's Bcc."
    assert result.row_id is not None and result.row_id != row
    record = message_record(workspace.conn, result.row_id)
    assert record is not None
    assert (record.columns["logged"], record.columns["reason"]) == (1, "bcc_address")
    assert [a.email for a in record.of("bcc")] == [BCC]
    assert message_record(workspace.conn, row) is None
    after = _files(workspace.maildir)
    (gone,) = before.keys() - after.keys()
    (new,) = after.keys() - before.keys()
    assert gone.startswith(".Drafts/cur/") and new.startswith(".Drafts/cur/")
    assert new.endswith("!2,D")  # the copy of the demo keeps its separator (Windows-safe)
    added = after[new].replace(f"Bcc: {BCC}\n".encode(), b"", 1)
    assert added == before[gone] and after[new] != before[gone]
    assert len(drafts(workspace.conn, workspace.account.id)) == 7


def test_a_draft_already_carrying_the_address_is_left_alone(workspace: Workspace) -> None:
    before = _files(workspace.maildir)
    result = add_bcc_to_draft(workspace.conn, _row(workspace, "Démonstration"))
    assert result.outcome is Outcome.ALREADY_THERE
    assert _files(workspace.maildir) == before


def test_a_draft_removed_since_the_sync_is_reported_and_not_recreated(
    workspace: Workspace,
) -> None:
    row = _row(workspace, "Atlas Cargo")
    for path in (workspace.maildir / ".Drafts" / "cur").iterdir():
        if b"Atlas Cargo" in path.read_bytes() or b"Atlas_Cargo" in path.read_bytes():
            path.unlink()
    before = _files(workspace.maildir)
    with pytest.raises(DraftGone, match="no longer there\\): nothing was written"):
        add_bcc_to_draft(workspace.conn, row)
    assert _files(workspace.maildir) == before


def test_a_sent_message_is_refused(workspace: Workspace) -> None:
    (row,) = workspace.conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.role = 'sent' LIMIT 1"
    ).fetchone()
    with pytest.raises(BccError, match="only a draft"):
        add_bcc_to_draft(workspace.conn, int(row))


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_packaged_demo_maildir_is_copied_first_and_never_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path))
    shipped = _tree_digest(demo.MAILDIR)
    conn = db.connect(tmp_path / "demo.sqlite")
    account = accounts.add_local(conn, "demo", AccountKind.MAILDIR, str(demo.MAILDIR))
    doc = json.loads(Path(demo.DIRECTORY).read_text(encoding="utf-8"))
    import_directory(conn, account.id, parse_directory(doc))
    sync(conn, account)
    ws = Workspace(tmp_path / "demo.sqlite", demo.MAILDIR, conn, account)
    result = add_bcc_to_draft(conn, _row(ws, "Atlas Cargo"), shipped=(demo.MAILDIR,))
    assert result.outcome is Outcome.ADDED and result.row_id is not None
    record = message_record(conn, result.row_id)
    assert record is not None and record.columns["reason"] == "bcc_address"
    assert _tree_digest(demo.MAILDIR) == shipped
    moved = get_account(conn, "demo")
    assert moved is not None and moved.path == str(tmp_path / "maildirs" / "demo")
    # The copy kept the file names, so no other row was re-fetched or changed.
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 300
    sync(conn, moved)
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 300
