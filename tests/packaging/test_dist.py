"""The wheel and sdist (``make dist``): what a rep's pipx installs, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

from core.version import __version__
from tests.packaging.conftest import ROOT, build

RUNTIME = {
    "pyside6-essentials", "imapclient", "sqlite-utils", "keyring", "platformdirs", "httpx",
    "defusedxml",  # the mail settings' autoconfig (issue 13)
    "babel",  # dates and numbers in the rep's locale (issue 16)
}  # fmt: skip


def _tracked(*folders: str) -> set[str]:
    done = subprocess.run(
        ["git", "ls-files", "-z", *folders], cwd=ROOT, capture_output=True, check=True
    )
    return {name for name in done.stdout.decode().split("\0") if name}


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_needs_only_the_runtime_dependencies(dist: tuple[Path, Path]) -> None:
    wheel, _ = dist
    assert wheel.name == f"mailscope-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        meta = Parser().parsestr(
            archive.read(f"mailscope-{__version__}.dist-info/METADATA").decode()
        )
        points = archive.read(f"mailscope-{__version__}.dist-info/entry_points.txt").decode()
    required = [r for r in meta.get_all("Requires-Dist") if "extra ==" not in r]
    names = {r.split(">")[0].split("=")[0].split(";")[0].strip().lower() for r in required}
    assert names == RUNTIME
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "LicenseRef-Proprietary"
    assert "Private :: Do Not Upload" in meta.get_all("Classifier")
    assert "mailscope = desktop.main:entry" in points


def test_the_wheel_ships_the_code_the_demo_the_desktop_files_and_the_licence(
    dist: tuple[Path, Path],
) -> None:
    names = _names(dist[0])
    wanted = _tracked("core", "desktop", "resources")
    wanted = {name for name in wanted if not name.endswith((".gitignore",))}
    # Translation sources stay out; what they compile to (make i18n-compile) ships instead.
    sources = {name for name in wanted if name.endswith((".po", ".ts"))}
    assert sources, "no catalogue found"
    compiled = {
        name.rsplit(".", 1)[0] + (".mo" if name.endswith(".po") else ".qm") for name in sources
    }
    assert sorted((wanted - sources) - names) == []
    assert sorted(compiled - names) == [], "compiled catalogues missing: make i18n-compile"
    assert not sources & names
    # Pure Python for any Python 3.11+: the modules make native compiles stay out.
    assert [name for name in names if name.endswith((".so", ".pyd"))] == []
    assert f"mailscope-{__version__}.dist-info/licenses/LICENSE" in names
    tops = {name.split("/")[0] for name in names}
    assert tops == {
        "core",
        "desktop",
        "resources",
        f"mailscope-{__version__}.dist-info",
        f"mailscope-{__version__}.data",
    }


def test_the_wheel_ships_every_file_of_the_thunderbird_addin(dist: tuple[Path, Path]) -> None:
    # pyproject's data-files list folders one by one: a file added to thunderbird/ must ship.
    from core.thunderbird.install import _addin_files

    source = ROOT / "thunderbird"
    prefix = f"mailscope-{__version__}.data/data/share/mailscope/thunderbird/"
    wanted = {prefix + path.relative_to(source).as_posix() for path in _addin_files(source)}
    shipped = {name for name in _names(dist[0]) if name.startswith(prefix)}
    assert "manifest.json" in {name.removeprefix(prefix) for name in wanted}
    assert shipped == wanted


def test_the_sdist_holds_what_builds_the_wheel_and_no_more(dist: tuple[Path, Path]) -> None:
    with tarfile.open(dist[1]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "MANIFEST.in", "LICENSE", "README.md"} <= names
    assert not {name for name in names if name.startswith(("tests/", "bench/", "docs/"))}
    assert "resources/share/applications/com.mailscope.Mailscope.desktop" in names
    assert "thunderbird/manifest.json" in names
    assert not {name for name in names if name.startswith("thunderbird/test/")}


def test_translations_anywhere_under_core_or_resources_are_package_data(tmp_path: Path) -> None:
    # Issue 16 adds catalogues; the rules take them without an edit (by kind, not by path).
    tree = tmp_path / "tree"
    for name in _tracked():
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    added = [
        "core/locale/fr/LC_MESSAGES/mailscope.mo",
        "resources/locale/fr/LC_MESSAGES/mailscope.mo",
        "resources/locale/mailscope_fr.qm",
    ]
    for name in [*added, "core/locale/fr/LC_MESSAGES/mailscope.po"]:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(b"\xde\x12\x04\x95catalogue")
    (wheel,) = build(tree, tmp_path / "out", "--wheel")  # the same MANIFEST.in rules
    names = _names(wheel)
    assert set(added) <= names
    assert "core/locale/fr/LC_MESSAGES/mailscope.po" not in names  # sources stay out
