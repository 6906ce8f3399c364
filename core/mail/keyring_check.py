"""Is the keyring safe for secrets, and what to tell the rep when it is not (issue 15).

``keyring`` picks the best backend it finds. On a machine with no Secret Service (a minimal
Linux desktop, a container) that can be ``keyrings.alt``'s plaintext file, or the "fail"
backend that refuses everything. Mailscope never writes a secret to a backend it was not
asked to use: a plaintext or failing backend that ``keyring`` picked by itself gets nothing,
and secrets typed by the rep stay in this process's memory (``core.mail.secrets``), so the
app asks for them again next session. A backend the user chose on purpose (the
``PYTHON_KEYRING_BACKEND`` variable, or ``keyringrc.cfg``) is used as chosen.

    check = keyring_check()
    check.secure      # True: the OS keyring (Secret Service, Keychain, Windows)
    check.persistent  # secure, or a backend the user chose: secrets are written to it
    check.line        # one line for the rep ("" when secure)
"""

from __future__ import annotations

import os
from typing import Any, Final, NamedTuple

from core.i18n import _

# Backends that do not keep a secret safely: a file anyone who reads the disk can read, one
# that prompts on a terminal the app does not have, or none at all.
_UNSAFE_MODULES: Final = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


class KeyringCheck(NamedTuple):
    secure: bool
    chosen: bool  # the user configured this backend explicitly
    backend: str  # the backend's class name, for the message
    line: str

    @property
    def persistent(self) -> bool:
        """Whether secrets are written to the backend (else kept in memory for the session)."""
        return self.secure or self.chosen


def _effective(ring: Any) -> Any:
    """The backend that answers: a chainer's highest-priority backend (None when empty)."""
    backends = getattr(ring, "backends", None)
    if backends is None:
        return ring
    ordered = sorted(backends, key=lambda b: getattr(b, "priority", 0), reverse=True)
    return ordered[0] if ordered else None


def is_unsafe(backend: Any) -> bool:
    return backend is None or type(backend).__module__.startswith(_UNSAFE_MODULES)


def _chosen() -> bool:
    """Whether the user picked the backend: the environment variable or keyring's config."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    from keyring import core

    return core.load_config() is not None


def keyring_check(ring: Any = None) -> KeyringCheck:
    """How secrets are kept with ``ring`` (default: the keyring ``keyring`` gives)."""
    if ring is None:
        import keyring

        ring = keyring.get_keyring()
    backend = _effective(ring)
    name = type(backend).__name__ if backend is not None else type(ring).__name__
    if not is_unsafe(backend):
        return KeyringCheck(True, False, name, "")
    chosen = _chosen()
    if chosen:
        line = _("The keyring you configured (%(backend)s) does not encrypt passwords.")
    else:
        line = _(
            "No secure keyring on this computer (%(backend)s): Mailscope asks for your "
            "password each session and keeps it in memory only."
        )
    line %= {"backend": name}
    return KeyringCheck(False, chosen, name, line)
