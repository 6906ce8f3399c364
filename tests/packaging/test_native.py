"""The hot path runs compiled, and the same sources still pass as plain Python.

``make test`` compiles the modules of ``packaging/native.py`` first; the suite then runs on
them, as the bundle does. A compiled module that is missing or older than its source fails
here, not silently: an edited source would otherwise be shadowed by its old compiled form.
The rules' and the parser's tests also run once with the compiled modules set aside (a finder
of this test's own, in a child process), so the wheel's pure Python stays proved too.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

from tests.packaging.conftest import ROOT, packaging_tool

tool = packaging_tool("native")


def _name(source: str) -> str:
    return source.removesuffix(".py").replace("/", ".")


def test_every_hot_module_is_compiled_and_up_to_date() -> None:
    assert tool.stale() == [], "`make native` compiles them (packaging/native.py)"
    for source in tool.MODULES:
        module = importlib.import_module(_name(source))
        assert module.__file__ is not None and module.__file__.endswith(tool.SUFFIX), source


def test_the_list_names_real_modules_of_core_only() -> None:
    assert len(set(tool.MODULES)) == len(tool.MODULES)
    for source in tool.MODULES:
        assert source.startswith("core/") and (ROOT / source).is_file(), source


# Imports the sources of core's compiled modules instead of their extensions; the rest of the
# import system is left as it is. Exit 3 if one of them came in compiled all the same.
_PURE = """
import importlib.machinery, sys
names = set(sys.argv[1].split())

class Sources:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in names or not path:
            return None
        loaders = (importlib.machinery.SourceFileLoader, [".py"])
        return importlib.machinery.FileFinder(path[0], loaders).find_spec(name)

sys.meta_path.insert(0, Sources)
import pytest
code = pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[2:]])
loaded = [sys.modules[n].__file__ for n in names if n in sys.modules]
sys.exit(code or (3 if not loaded or any(not f.endswith(".py") for f in loaded) else 0))
"""


def test_the_rules_and_the_parser_pass_as_plain_python() -> None:
    names = " ".join(_name(source) for source in tool.MODULES)
    tests = ["tests/rules", "tests/mail/test_headers.py", "tests/mail/test_headers_fast.py",
             "tests/mail/test_imap_fetch.py", "tests/mail/test_imap_parse.py"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", _PURE, names, *tests],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
