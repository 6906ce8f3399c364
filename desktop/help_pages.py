"""The Help menu's pages: "How logging works" (the rules in a rep's words, from docs/rules.md
when the checkout has it, else the page below) and "Keyboard shortcuts" (read from the
window's own actions, so it never drifts from them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

RULES_FILE: Final = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def builtin_rules() -> str:
    """The page shown when docs/rules.md is not there (Markdown)."""
    return translate(
        "HelpPages",
        "# How logging works\n\n"
        "Your CRM looks at every email of your connected mailbox and decides, in this order:\n\n"
        "1. **Already in the CRM**: an email already logged (by the extension, the BCC address"
        " or Log now) stays logged.\n"
        "2. **No readable sender**: it cannot be logged.\n"
        "3. **Never-log list**: an email from someone on the list, or whose contacts are all on"
        " it, is never logged.\n"
        "4. **BCC or forward address**: an email you send with the CRM's logging address is"
        " logged.\n"
        "5. **Reply in a logged thread**: a reply to a logged email is logged, unless its"
        " subject was changed.\n"
        "6. **Replies only**: when your account logs replies only, a new thread is not logged.\n"
        "7. **Internal**: an email only between your team's users is not logged.\n"
        "8. **Email access**: a user without personal email access is not logged.\n"
        "9. **Contact**: an email with a CRM contact is logged when the account logs all"
        " emails; otherwise nobody on it is a contact and it is not logged (unless the CRM"
        " creates contacts for new addresses).\n\n"
        "A logged email counts in one user's activity report: the sender for your sent mail;"
        " for received mail, the one user it was sent to, else the contact's owner, else the"
        " mailbox owner.\n\n"
        "Newsletters and automatic messages are marked as bulk mail: they never need action."
        " Log now and Create the contact always show who will be created first, and every"
        " action can be undone for 10 seconds, then cancelled from the CRM outbox while it"
        " waits.\n",
    )


def rules_markdown() -> str:
    try:
        return RULES_FILE.read_text(encoding="utf-8")
    except OSError:
        return builtin_rules()


def shortcuts_markdown(window: Any) -> str:
    """Every action of the window with a shortcut, in a table."""
    rows = []
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        name = action.text().replace("&", "").rstrip("…")
        if keys and name and (name, keys) not in rows:
            rows.append((name, keys))
    lines = [translate("HelpPages", "# Keyboard shortcuts"), "", "| | |", "|---|---|"]
    lines += [f"| {name} | {', '.join(keys)} |" for name, keys in sorted(rows)]
    return "\n".join(lines) + "\n"


def show_page(parent: QWidget, title: str, markdown: str) -> QDialog:
    """A window-modal page of Markdown with Close (Esc closes it too)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(640, 560)
    text = QTextBrowser(dialog)
    text.setObjectName("helpText")
    text.setOpenExternalLinks(True)
    text.setMarkdown(markdown)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    column = QVBoxLayout(dialog)
    column.addWidget(text)
    column.addWidget(buttons)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install(window: Any) -> None:
    """Help › How logging works (F1) and Help › Keyboard shortcuts."""
    from desktop.about import help_menu

    menu = help_menu(window)
    for text, page, keys in (
        (
            translate("HelpPages", "How &logging works"),
            lambda: rules_markdown(),
            QKeySequence.StandardKey.HelpContents,
        ),
        (translate("HelpPages", "&Keyboard shortcuts"), lambda: shortcuts_markdown(window), None),
    ):
        action = QAction(text, window)
        if keys is not None:
            action.setShortcut(keys)
        title = text.replace("&", "")
        action.triggered.connect(lambda _=False, t=title, p=page: show_page(window, t, p()))
        menu.addAction(action)
        window.addAction(action)
