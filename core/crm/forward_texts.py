"""The sentences of ``core.crm.forward`` a rep reads, for translation (``_(texts.NAME)`` there).

Here, not inline, so the module keeps its size; the English is the catalogue's msgid."""

from __future__ import annotations

from core.i18n import N_

REFUSED_SENDER_ADDRESS = N_("%(host)s refused the sender address %(sender)s (%(reply)s).")
CONNECTION_WAS_LOST_TRY = N_("The connection to %(host)s was lost; try again later.")
CANNOT_REACH_MAIL_SERVER = N_("Cannot reach the mail server %(where)s (%(strerror)s).")
EMAIL_TEXT_MB_HUBSPOT = N_(
    "This email's text is %(value)s MB; HubSpot logs forwarded emails whose body is up "
    "to 2 MB: log it through the CRM API or with the BCC address."
)
EMAIL_ATTACHMENTS_ARE_MB = N_(
    "This email's attachments are %(value)s MB; HubSpot logs up to 50 MB of attachments: "
    "log it through the CRM API instead."
)
REFUSING_SEND_WITHOUT_TLS = N_(
    "Refusing to send to %(host)s without TLS: choose SSL/TLS or STARTTLS."
)
DOES_NOT_OFFER_AUTH = N_("%(host)s does not offer AUTH XOAUTH2 for a sign-in.")
REJECTED_USER_NAME_PASSWORD = N_(
    "%(host)s rejected the user name or password for %(username)s (%(reply)s)."
)
DOES_NOT_ACCEPT_LOGIN = N_("%(host)s does not accept a login on this connection.")
REFUSED_RECIPIENT = N_("%(host)s refused the recipient %(recipient)s (%(reply)s).")
DID_NOT_ACCEPT_EMAIL = N_("%(host)s did not accept the email (%(reply)s).")
CERTIFICATE_NOT_TRUSTED = N_("The certificate of %(host)s is not trusted (%(reason)s).")
SECURE_CONNECTION_FAILED = N_("The secure connection to %(where)s failed (%(reason)s).")
CANNOT_RESOLVE_MAIL_SERVER = N_("Cannot resolve the mail server %(host)s.")
MAIL_SERVER_REFUSED_CONNECTION = N_("The mail server %(where)s refused the connection.")
MAIL_SERVER_DID_NOT = N_("The mail server %(where)s did not answer in time.")
CANNOT_CARRY_EMAIL_8 = N_("%(host)s cannot carry this email's 8-bit content (no 8BITMIME).")
DOES_NOT_OFFER_STARTTLS = N_(
    "%(host)s does not offer STARTTLS; Mailscope will not send in clear text."
)
CANNOT_SIGN = N_("Cannot sign in to %(host)s: %(error)s")
REFUSED_OAUTH2_SIGN = N_("%(host)s refused the OAuth2 sign-in of %(user)s (%(reply)s).")
