""" "Ask an account admin" (rules §7, ``no_email_access``): a prefilled email to the account's
admins from the CRM directory, saying what to change and why, opened in the rep's mail app
(``mailto:`` through ``QDesktopServices``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl, QUrlQuery
from PySide6.QtGui import QDesktopServices

from core.rules.actions import Action
from core.rules.directory import Directory

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def admins(directory: Directory) -> list[str]:
    """The addresses of the users with account access (the CRM's admins)."""
    return [u.email for u in directory.users.values() if u.account_access and u.email]


def admin_mail(directory: Directory, subject: str, verdict: str) -> QUrl:
    """The ``mailto:`` of the request: to the admins, what to change, and the email it is
    about."""
    me = directory.user_label(directory.mailbox_owner)
    lines = [
        translate("AskAdmin", "Hello,"),
        "",
        translate(
            "AskAdmin", "The CRM does not log my emails: my user, %1, lacks personal email access."
        ).replace("%1", me),
        translate("AskAdmin", "For example, \u201c%1\u201d: %2")
        .replace("%1", subject)
        .replace("%2", verdict),
        "",
        translate(
            "AskAdmin",
            "Could you turn on personal email access for my user in the CRM's users and teams"
            " settings? My emails with contacts are then logged again.",
        ),
        "",
        translate("AskAdmin", "Thank you,"),
        me,
    ]
    url = QUrl("mailto:" + ",".join(admins(directory)))
    query = QUrlQuery()
    query.addQueryItem(
        "subject",  # the mailto: URL's field (RFC 6068), not words for the rep
        translate("AskAdmin", "Please turn on personal email access for %1").replace("%1", me),
    )
    query.addQueryItem("body", "\n".join(lines))
    url.setQuery(query)
    return url


def ask(window: Any, directory: Directory, subject: str, verdict: str) -> bool:
    """Open the request in the mail app; the status bar says what happened."""
    found = admins(directory)
    opened = QDesktopServices.openUrl(admin_mail(directory, subject, verdict))
    if not opened:
        text = translate(
            "AskAdmin", "No mail app opened: ask an account admin to turn on your email access."
        )
    elif found:
        text = translate("AskAdmin", "An email to %1 is ready in your mail app.").replace(
            "%1", ", ".join(found)
        )
    else:
        text = translate(
            "AskAdmin", "No account admin is in the CRM directory: address the email yourself."
        )
    window.statusBar().showMessage(text, 15_000)
    return opened


def install(window: Any) -> None:
    """The detail pane's "Ask an account admin" button."""
    from core.rules.trace import summary

    def handle(_row_id: int, _action: Action) -> None:
        found = window.detail.explanation
        if found is not None:
            ask(window, found.directory, found.message.subject or "", summary(found.verdict))

    window.detail.register_action(Action.ASK_ADMIN, handle)
