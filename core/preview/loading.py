"""Reading a whole account's messages for a simulation, with SELECTs only.

A simulation must not write at all (not even to temp tables), so that "nothing written" is
checkable on the connection itself. The reader is the cache's own
(``core.store.engine_input``), in the engine's input order the settle uses.
"""

from __future__ import annotations

from core.store.engine_input import account_messages

__all__ = ["account_messages"]
