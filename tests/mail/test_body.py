"""A cached row's original, read back from its mailbox by the key the sync gave it, and its
readable parts (``core.mail.body``)."""

from __future__ import annotations

import email
import email.policy
import shutil
from pathlib import Path

import pytest

from core.mail import accounts, sync
from core.mail.body import BodyError, load_body, parse_body
from core.store import db
from core.store.accounts import AccountKind
from core.store.places import locate
from tests.mail.test_local import DEMO, _demo_as_mbox

CID_MESSAGE = (
    b"From: a@x.example\r\nMessage-ID: <cid@x>\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/related; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n"
    b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    b'<p>Hi <img src="cid:logo@x"><script>x()</script></p>\r\n'
    b"--b\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
    b'--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="q.pdf"'
    b"\r\n\r\n%PDF\r\n--b--\r\n"
)


def _synced(tmp_path: Path, kind: AccountKind):  # type: ignore[no-untyped-def]
    if kind is AccountKind.MAILDIR:
        where = tmp_path / "Maildir"
        shutil.copytree(DEMO / "Maildir", where)
    else:
        where = tmp_path / "mbox"
        _demo_as_mbox(where)
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, kind.value, kind, str(where))
    sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, None))  # type: ignore[arg-type]
    return conn


@pytest.mark.parametrize("kind", [AccountKind.MAILDIR, AccountKind.MBOX])
def test_every_local_row_reads_back_its_own_message(tmp_path: Path, kind: AccountKind) -> None:
    conn = _synced(tmp_path, kind)
    rows = conn.execute("SELECT id, message_id FROM messages ORDER BY id").fetchall()
    assert len(rows) > 100
    for row_id, message_id in rows:
        where = locate(conn, row_id)
        assert where is not None and where.account.kind is kind
        source = accounts.open_source(conn, where.account, None)  # type: ignore[arg-type]
        raw = source.fetch_raw(where.folder, where.uid)  # type: ignore[attr-defined]
        parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
        assert parsed["Message-ID"] == message_id
    conn.close()


def test_a_moved_file_and_a_gone_row_say_so(tmp_path: Path) -> None:
    conn = _synced(tmp_path, AccountKind.MAILDIR)
    row_id = conn.execute("SELECT id FROM messages ORDER BY id").fetchone()[0]
    assert load_body(conn, row_id, None).text is not None  # type: ignore[arg-type]
    for path in (tmp_path / "Maildir").rglob("*"):
        if path.is_file() and path.parent.name in ("cur", "new"):
            path.unlink()
    with pytest.raises(BodyError, match=r"^this message was moved or deleted since the last sync$"):
        load_body(conn, row_id, None)  # type: ignore[arg-type]
    with pytest.raises(BodyError, match=r"^this message is no longer in the cache$"):
        load_body(conn, 10**9, None)  # type: ignore[arg-type]
    conn.close()


def test_the_parts_of_a_message() -> None:
    body = parse_body(CID_MESSAGE)
    assert body.text is not None and body.text.strip() == "Hello"
    assert body.html is not None and "script" not in body.html and "cid:logo@x" in body.html
    assert list(body.inline) == ["logo@x"] and body.inline["logo@x"].mime == "image/png"
    assert body.attachments == ("q.pdf",)
