"""PyInstaller runtime hook: what the bundle's own processes change before Mailscope starts.

On Linux the bootloader puts the bundle's folder first on ``LD_LIBRARY_PATH`` (keeping the
user's value in ``LD_LIBRARY_PATH_ORIG``). The loader of this process has read it already, so
giving the user's value back changes nothing here; but every program Mailscope starts (the
browser for a link or a sign-in, through xdg-open) would otherwise load the bundle's older
glib, OpenSSL or libstdc++ instead of its own, and fail.
"""

import os
import sys


def restore_library_path(environ):
    """Give children the library path the user had (none, if the user had none)."""
    original = environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        environ["LD_LIBRARY_PATH"] = original
    else:
        environ.pop("LD_LIBRARY_PATH", None)


if getattr(sys, "frozen", False) and sys.platform.startswith("linux"):
    restore_library_path(os.environ)
