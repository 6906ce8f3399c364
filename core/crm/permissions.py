"""Who may change what: account settings need account access; a personal list is one's own."""

from __future__ import annotations

from dataclasses import dataclass

from core.crm.errors import CrmError
from core.i18n import _
from core.rules.directory import Directory
from core.rules.model import User


class PermissionDenied(CrmError):
    """The current user may not make this change; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether the current user may edit the account settings, and the reason shown if not."""

    allowed: bool
    reason: str = ""

    def check(self) -> None:
        """Raise ``PermissionDenied`` with the reason when not allowed."""
        if not self.allowed:
            raise PermissionDenied(self.reason)


def current_user(directory: Directory) -> User | None:
    """The account's current user: the mailbox owner (None when the directory lacks them)."""
    return directory.users.get(directory.mailbox_owner)


def account_permission(directory: Directory) -> Permission:
    """Whether the mailbox owner has account access (rules section 1: only they edit settings)."""
    user = current_user(directory)
    if user is None:
        return Permission(
            False,
            _(
                "The mailbox owner %(mailbox_owner)r is not a user of this "
                "CRM account, so the account settings are read-only."
            )
            % {"mailbox_owner": directory.mailbox_owner},
        )
    if not user.account_access:
        who = f"{user.name} <{user.email}>" if user.name else user.email
        return Permission(
            False,
            _(
                "Only a user with account access can change the account "
                "settings; %(who)s has none: ask an account admin."
            )
            % {"who": who},
        )
    return Permission(True)
