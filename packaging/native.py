"""The hot path compiled with mypyc: the header parser and the rules engine as C extensions.

    python packaging/native.py build      # compile MODULES beside their sources (make native)
    python packaging/native.py clean      # remove them: the sources run as they are
    python packaging/native.py stale      # the modules whose compiled form is missing or older
    python packaging/native.py sources    # MODULES, for make
    python packaging/native.py outputs    # what they compile to, for make

A first sync is Python work from end to end (the two processes of ``core.mail.fetch_split``
keep both cores busy, then the engine decides alone). mypyc turns these typed modules into C
extensions that do what the sources do, each fast path still proved equal to the general
reading by the same tests. Measured on a first ``mailscope sync`` of 100,000 realistic
messages, whole processes alternated (``bench/process_bench.py --rounds 10``): 4.74 s against
5.12 s, faster in all 10 rounds (6.89 CPU-seconds against 7.57). The parser's modules alone
gave 1%: the fill shares two cores, while the engine runs alone on one, so what it saves is
saved whole.

Python imports an extension module before a source of the same name, so a checkout where
nothing was compiled, the wheel (pure Python: any Python 3.11+) and a build without a C
compiler run the same code, slower. ``make`` compiles before run, test and bundle; the tests
refuse a compiled module older than its source (``tests/packaging/test_native.py``: an edited
source would be shadowed by its old compiled form) and run the rules' and the parser's tests
as plain Python too. What mypyc does not keep: the identity of a tuple (it holds them by value:
the engine tells a logging address by its address), and a weak reference to a ``dict``
subclass, which crashed the interpreter (``core.rules.contact_index`` stays Python).

Compiled code holds the GIL until it returns to the interpreter (measured: while a compiled
loop ran 1.2 s, another thread got no turn at all). So the loops over a whole mailbox stay
Python (``core.mail.fill``, ``core.store.verdicts``) and call in here one message at a time:
the window's thread gets its turns between messages. ``bench/gui_bench.py``, longest stall of
the event loop while 100,000 messages are re-decided: 15-23 ms compiled, 15 ms before.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
# In the order of a first sync: the parser (fetch, then headers), then the engine's.
MODULES: Final = (
    "core/mail/imap_fetch.py",
    "core/mail/header_bytes.py",
    "core/mail/list_split.py",
    "core/mail/headers.py",
    "core/rules/addresses.py",
    "core/rules/dates.py",
    "core/rules/encoded_words.py",
    "core/rules/subjects.py",
    "core/rules/threads.py",
    "core/store/packed.py",
    "core/rules/advisories.py",
    "core/rules/directory.py",
    "core/rules/messages.py",
    "core/rules/engine.py",
)
# The runtime the compiled modules share, inside the core package (a top-level module would
# not be found through the editable install, nor collected by the bundle with core).
GROUP: Final = "core.native"
SUFFIX: Final = sysconfig.get_config_var("EXT_SUFFIX") or ".so"


def compiled(module: str) -> Path:
    """Where ``module`` (a source path of MODULES) is compiled to."""
    return ROOT / (module.removesuffix(".py") + SUFFIX)


def shared() -> Path:
    return ROOT / (GROUP.replace(".", "/") + "__mypyc" + SUFFIX)


def stale() -> list[str]:
    """The modules whose compiled form is missing or older than their source."""
    return [
        module
        for module in MODULES
        if not compiled(module).exists()
        or compiled(module).stat().st_mtime < (ROOT / module).stat().st_mtime
    ]


def clean() -> None:
    for path in (*map(compiled, MODULES), shared()):
        path.unlink(missing_ok=True)


def build() -> None:
    """Compile MODULES in place. From a scratch folder that holds a link to ``core``: setuptools
    and mypy would otherwise read this project's pyproject.toml as their own configuration."""
    from mypyc.build import mypycify
    from setuptools import setup

    clean()
    with tempfile.TemporaryDirectory(prefix="mailscope-native-") as scratch:
        os.symlink(ROOT / "core", Path(scratch) / "core", target_is_directory=True)
        here = os.getcwd()
        os.chdir(scratch)
        try:
            setup(
                name="mailscope-native",
                ext_modules=mypycify(list(MODULES), group_name=GROUP, opt_level="3"),
                script_args=["--quiet", "build_ext", "--inplace"],
            )
        finally:
            os.chdir(here)
    left = stale()
    if left:
        raise SystemExit(f"not compiled: {', '.join(left)}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "build":
        build()
    elif command == "clean":
        clean()
    elif command == "stale":
        print(*stale(), sep="\n")
    elif command == "sources":
        print(*MODULES)
    elif command == "outputs":
        print(*(p.relative_to(ROOT) for p in (*map(compiled, MODULES), shared())))
    else:
        print("\n".join(__doc__.splitlines()[2:7]), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
