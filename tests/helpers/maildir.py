"""CPython's ``mailbox.Maildir`` set to read the demo workspace's file names.

The demo's files carry their info part after ``!`` (``…!2,S``), not ``:``, so that the tree can
be checked out and installed on Windows; ``colon`` is the stdlib's own knob for that.
"""

from __future__ import annotations

import mailbox
import os


class DemoMaildir(mailbox.Maildir):
    """A Maildir whose info separator is ``!``, and so are its folders'."""

    colon = "!"

    def get_folder(self, folder: str) -> DemoMaildir:
        return DemoMaildir(
            os.path.join(self._path, "." + folder),  # type: ignore[attr-defined]
            factory=self._factory,  # type: ignore[attr-defined]
            create=False,
        )
