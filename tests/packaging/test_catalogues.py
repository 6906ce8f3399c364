"""The translation catalogues are complete and in step with the sources (packaging/i18n.py).

The check extracts the marked strings from the sources (Babel on core/, pyside6-lupdate on
the desktop's) and compares them with every committed ``.po`` and ``.ts``: an untranslated or
fuzzy entry, a marked string missing from a catalogue, an entry whose source string is gone,
placeholders that differ, French typography or a word docs/glossary.md rules out, all fail.
The other tests here break a copy of the French catalogue each way and see the check say so.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from tests.packaging.conftest import packaging_tool

ROOT = Path(__file__).resolve().parents[2]
tool = packaging_tool("i18n")
FRENCH_PO = ROOT / "core" / "locale" / "fr" / "LC_MESSAGES" / "mailscope.po"
FRENCH_TS = ROOT / "resources" / "translations" / "mailscope_fr.ts"


def test_every_catalogue_is_complete_and_matches_the_sources() -> None:
    assert tool.po_files() == [FRENCH_PO] and tool.ts_files() == [FRENCH_TS]
    problems = [str(p) for p in tool.check()]
    assert problems == [], "\n".join(problems)


@pytest.fixture(scope="module")
def template() -> Catalog:
    """The marked strings of core/ (Babel's extraction, half a second)."""
    found: Catalog = tool.extract_core()
    return found


def _po_copy(tmp_path: Path, change: Callable[[Catalog], None]) -> Path:
    with FRENCH_PO.open("rb") as fp:
        catalog = read_po(fp, locale="fr")
    change(catalog)
    copy = tmp_path / "fr" / "LC_MESSAGES" / "mailscope.po"
    copy.parent.mkdir(parents=True)
    with copy.open("wb") as fp:
        write_po(fp, catalog, width=100)
    return copy


def _entry(catalog: Catalog, msgid: str, context: str | None = None):  # type: ignore[no-untyped-def]
    found = catalog.get(msgid, context=context)
    assert found is not None, msgid
    return found


def _untranslate(c: Catalog) -> None:
    _entry(c, "the Never-log list is empty.").string = ""


def _fuzzy(c: Catalog) -> None:
    _entry(c, "the Never-log list is empty.").flags.add("fuzzy")


def _half_plural(c: Catalog) -> None:
    entry = _entry(c, "sent to a contact (%(names)s), so it is logged.")
    entry.string = (entry.string[0], "")


def _stale(c: Catalog) -> None:
    c.add("A sentence the sources no longer have.", "Une phrase disparue.")


def _placeholder(c: Catalog) -> None:
    _entry(c, "Outbound: sent by %(user)s.").string = "Sortant\u00a0: envoyé par %(nom)s."


def _space(c: Catalog) -> None:
    _entry(c, "From: %(sender)s.").string = "De : %(sender)s."


def _word(c: Catalog) -> None:
    _entry(c, "this email has not been logged yet.").string = "cet email n'est pas journalisé."


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_untranslate, "not translated"),
        (_fuzzy, "fuzzy"),
        (_half_plural, "not translated"),
        (_stale, "no longer in the sources"),
        (_placeholder, "placeholder"),
        (_space, "an ordinary space before"),
        (_word, "write e-mail"),
        (_word, "write consigner"),
    ],
    ids=["untranslated", "fuzzy", "plural", "stale", "placeholder", "space", "email", "log"],
)
def test_the_check_catches_a_broken_entry(
    tmp_path: Path, template: Catalog, change: Callable[[Catalog], None], said: str
) -> None:
    problems = [str(p) for p in tool.check_po(_po_copy(tmp_path, change), template)]
    assert len(problems) >= 1 and any(said in p for p in problems), problems


def test_a_newly_marked_string_is_missing_until_extracted(tmp_path: Path) -> None:
    core = tmp_path / "core"
    shutil.copytree(ROOT / "core", core, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    module = core / "rules" / "trace.py"
    module.write_text(
        module.read_text(encoding="utf-8") + '\n\nNEW = _("A sentence nobody translated.")\n',
        encoding="utf-8",
    )
    template = tool.extract_core(core)
    copy = _po_copy(tmp_path, lambda c: None)
    problems = [str(p) for p in tool.check_po(copy, template)]
    assert problems == [
        f"{copy}: 'A sentence nobody translated.': in the sources, missing here (make i18n-extract)"
    ]
    tool.update_po(copy, template)  # what make i18n-extract does: it comes in, untranslated
    assert [p.what for p in tool.check_po(copy, template)] == ["not translated"]


def test_extraction_leaves_a_complete_catalogue_byte_for_byte(
    tmp_path: Path, template: Catalog
) -> None:
    copy = _po_copy(tmp_path, lambda c: None)
    shutil.copy(FRENCH_PO, copy)
    tool.update_po(copy, template)
    assert copy.read_bytes() == FRENCH_PO.read_bytes()


def _ts_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = FRENCH_TS.read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / FRENCH_TS.name
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("<translation>Langue</translation>", '<translation type="unfinished"/>', "unfinished"),
        ("<translation>Système (%1)</translation>", "<translation>Système</translation>",
         "placeholders"),
        ("<source>Language</source>", "<source>Tongue</source>", "no longer in the sources"),
        ("<source>Language</source>", "<source>Tongue</source>", "missing here"),
        ("<translation>&amp;Langue</translation>", "<translation>Langue : %1</translation>",
         "an ordinary space"),
    ],
    ids=["unfinished", "placeholder", "stale", "missing", "space"],
)  # fmt: skip
def test_the_check_catches_a_broken_qt_entry(tmp_path: Path, old: str, new: str, said: str) -> None:
    problems = [str(p) for p in tool.check_ts(_ts_copy(tmp_path, old, new))]
    assert any(said in p for p in problems), problems


def test_the_catalogues_compile(tmp_path: Path) -> None:
    po, ts = _po_copy(tmp_path, lambda c: None), tmp_path / "mailscope_fr.ts"
    shutil.copy(FRENCH_TS, ts)
    assert tool.compile_po(po).stat().st_size > 1000
    assert tool.compile_ts(ts).read_bytes()[:4] == b"\x3c\xb8\x64\x18"  # Qt's .qm magic
