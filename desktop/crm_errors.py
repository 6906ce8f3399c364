"""One line for the user about a CRM or forwarding job that failed in the background.

The environment's errors (the CRM, the network, a sign-in, the keyring, a refused value) say
what to do in their own words; anything else is a bug of ours, reported as such and never
with its text (it may hold a secret).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.crm.errors import CrmError
from core.mail.accounts import AccountError
from core.mail.secrets import SecretError
from core.mail.source import MailError

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")

KNOWN = (CrmError, MailError, AccountError, SecretError, ValueError)


def failure_line(error: Exception) -> str:
    if isinstance(error, KNOWN):
        return str(error)
    text = translate("CrmErrors", "Internal error (%1): please report it.")
    return text.replace("%1", type(error).__name__)
