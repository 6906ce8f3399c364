"""The sentences of ``core.mail.imap_conn`` (and one of ``core.mail.sync``) a rep reads, for
translation (``_(texts.NAME)`` there).

Here, not inline, so the module keeps its size; the English is the catalogue's msgid."""

from __future__ import annotations

from core.i18n import N_

PORT_MAY_EXPECT_TRY = N_(
    " (this port may expect %(security)s: try security %(security)s on %(port)s)"
)
PORT_143_USUALLY_STARTTLS = N_(" (port 143 is usually STARTTLS: try security starttls)")
PORT_993_USUALLY_IMPLICIT = N_(" (port 993 is usually implicit TLS: try security ssl)")
SERVER_CERTIFICATE_NOT_TRUSTED = N_(
    "the server's certificate is not trusted: %(verify_message)s (use a CA file to trust "
    "a private CA)"
)
SERVER_SENT_RESPONSE_MAILSCOPE = N_(
    "the server sent a response Mailscope cannot read%(what)s: %(detail)s"
)
SERVER_REFUSED_COMMAND = N_("the server refused the command: %(server_text)s")
REFUSING_UNENCRYPTED_CONNECTION_SECURITY = N_(
    "refusing an unencrypted connection to %(host)s: security 'none' is only allowed for "
    "a loopback host; use ssl or starttls"
)
CA_FILE_DOES_NOT = N_("the CA file %(ca_file)s does not exist")
SERVER_CERTIFICATE_DOES_NOT = N_("the server's certificate does not match the host name %(host)s")
CONNECTION_WAS_LOST_EARLIER = N_("the connection was lost earlier: reconnect")
SERVER_ENDED_SESSION = N_("the server ended the session: %(server_text)s")
CANNOT_READ_CA_FILE = N_("cannot read CA file %(ca_file)s: %(error)s")
DOES_NOT_OFFER_STARTTLS = N_("%(host)s does not offer STARTTLS; refusing to continue unencrypted")
CANNOT_RESOLVE_HOST = N_("cannot resolve host %(host)s")
CONNECTION_REFUSED = N_("connection refused by %(host)s:%(port)s")
NO_ANSWER_FROM_TIMED = N_("no answer from %(host)s:%(port)s (timed out)%(hint)s")
TLS_FAILED = N_("TLS failed with %(host)s:%(port)s: %(reason)s%(hint)s")
CANNOT_CONNECT = N_("cannot connect to %(host)s:%(port)s: %(error)s")
LOGIN_REJECTED = N_("login rejected for %(user)s on %(host)s: %(clean)s")
CONNECTION_LOST_WHILE_LOGGING = N_("connection lost while logging in: %(clean)s")
SERVER_CLOSED_CONNECTION = N_("the server closed the connection")
CONNECTION_LOST = N_("connection lost: %(error)s")
UIDVALIDITY_RESETS_STOPPED = N_(
    "%(info_display)s: its UIDVALIDITY changed %(resets)s times in a row; stopped syncing it"
)
