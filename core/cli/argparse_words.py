"""argparse's own words in the rep's language: ``usage:``, ``options``, its error lines.

Python's argparse marks them for gettext's default domain, which Mailscope does not ship; they
are marked here for ours (the same English, byte for byte), and :func:`use_ours` points
argparse's ``_`` at ``core.i18n``, so ``mailscope --help`` and a usage error read in French.
"""

from __future__ import annotations

import argparse

from core import i18n
from core.i18n import N_

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def use_ours() -> None:
    """argparse's messages through ``core.i18n`` (English until a language is set up)."""
    setattr(argparse, "_", i18n._)  # noqa: B010 (typeshed does not declare argparse._)
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010
