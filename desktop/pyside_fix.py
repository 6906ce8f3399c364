"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11.

Each time a C++ call hands ``None`` back to Python (``index.data(role)`` for an empty role,
``QStyleOptionViewItem.widget`` of a view-less option, ``initStyleOption``), shiboken drops one
reference to ``None`` it never took. Scrolling a 100,000-row table makes millions of such
calls, and the interpreter aborts with "Fatal Python error: none_dealloc" once the count
reaches zero (``tests/desktop/test_pyside_fix.py`` shows the leak). Python 3.12 made ``None``
immortal; on older versions we give it a reference count that no session can exhaust.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Final

HEADROOM: Final = 1 << 50  # about 10^15 leaked references before anything could go wrong


def make_none_immortal() -> None:
    """Raise ``None``'s reference count far out of reach of the leak (Python < 3.12 only)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the object's first field
    if count.value < HEADROOM:
        count.value += HEADROOM
