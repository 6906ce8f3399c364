"""The translation catalogues: extract the marked strings, compile, check (docs/i18n.md).

    python packaging/i18n.py extract      # sources -> every .po and .ts (make i18n-extract)
    python packaging/i18n.py compile      # .po -> .mo, .ts -> .qm (make i18n-compile)
    python packaging/i18n.py check        # what a translator still has to do; exit 1 if any
    python packaging/i18n.py stats        # entries and plural forms per catalogue
    python packaging/i18n.py init LANG    # start a new language

Two kinds of catalogue, one per layer:
- core (no Qt): gettext. Babel extracts ``_()``, ``ngettext()``, ``pgettext()``... from
  ``core/`` into ``core/locale/<lang>/LC_MESSAGES/mailscope.po`` and compiles the ``.mo``.
- desktop: Qt's ``.ts``. ``pyside6-lupdate`` extracts ``self.tr()`` and
  ``QCoreApplication.translate()`` into ``resources/translations/mailscope_<lang>.ts``;
  ``pyside6-lrelease`` compiles the ``.qm`` (why Qt's format there: desktop/translation.py).

Only the ``.po`` and ``.ts`` are committed; the compiled files are built (``make`` does it
before run, test, dist and bundle) and ignored by git.

The check fails on: an entry not translated, or fuzzy (a changed source string whose old
translation is only a guess); a marked string of the sources missing from a catalogue, or an
entry whose source string is gone (run ``make i18n-extract``); placeholders that differ from
the source's; and French typography or vocabulary that docs/glossary.md rules out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "mailscope"
CORE = ROOT / "core"
CORE_LOCALE = CORE / "locale"
QT_CATALOGUES = ROOT / "resources" / "translations"
# Where the desktop's strings are extracted from: every module of desktop/ (a new module is
# covered without an edit here; the check then demands a translation of each of its strings).
DESKTOP_SOURCES = tuple(sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("desktop/*.py")))
# The names core/i18n.py exports, as Babel keyword specs (which argument is the message,
# which the plural, which the context "c").
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}
COMMENT_TAG = "TRANSLATORS:"
# gettext's usual plural rules where CLDR's (Babel's default) differ: CLDR gives French a
# third form for exact millions ("1 000 000 de contacts"), which no tool or translator expects.
GETTEXT_PLURALS = {"fr": "nplurals=2; plural=(n > 1);"}
BIN = Path(sys.executable).parent

# French: a no-break space (U+00A0) before ":" and a narrow one (U+202F) before ";", "!", "?"
# (docs/glossary.md), never an ordinary space, which lets a line break before the sign.
_SPACE_BEFORE_SIGN = re.compile(r" [:;!?]")
# Renderings docs/glossary.md rules out, by language: pattern -> what to write instead.
AVOID = {
    "fr": {
        r"\bjournalis": "consigner (Log)",
        r"\benregistr\w* (?:dans|par) (?:le CRM|HubSpot)": "consigner (« enregistrer » is Save)",
        r"\bemails?\b|(?<![-\w])mails?\b|\bcourriels?\b": "e-mail",
        r"\bliste noire\b": "Ne jamais consigner",
        r"\bpropriétaire de contact\b": "Propriétaire du contact",
    },
}
# What the vocabulary check leaves alone: command-line options and names quoted as they are.
_LITERAL = re.compile(r"--[\w-]+|«\u00a0[^»]*»")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfr]|%[sdfr]|\{[^}]*\}|%n|%\d")


@dataclass(frozen=True)
class Problem:
    catalogue: Path
    entry: str
    what: str

    def __str__(self) -> str:
        where = self.catalogue
        where = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where
        return f"{where}: {self.entry!r}: {self.what}"


# -- core: gettext through Babel ----------------------------------------------------------


def po_files() -> list[Path]:
    return sorted(CORE_LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract_core(folder: Path = CORE) -> Catalog:
    """Every marked string of core/ (or a copy of it), as a template; its locations are file
    names without line numbers, so a moved line leaves the catalogues alone."""
    template = Catalog(project="Mailscope", fuzzy=False, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        folder,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(COMMENT_TAG,),
        strip_comment_tags=True,
    ):
        where = f"core/{Path(filename).as_posix()}"
        template.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return template


def _read(path: Path) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=path.parent.parent.name, domain=DOMAIN)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as fp:
        write_po(fp, catalog, width=100, ignore_obsolete=True, include_lineno=False)


def update_po(path: Path, template: Catalog) -> None:
    """Merge the template into a language's catalogue: new strings come in untranslated,
    changed ones fuzzy with their old translation, removed ones go."""
    catalog = _read(path)
    catalog.update(template, update_creation_date=False)
    _write(path, catalog)


def init_po(language: str, template: Catalog) -> Path:
    path = CORE_LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(
        locale=language,
        domain=DOMAIN,
        header_comment=f"# Mailscope in {Locale.parse(language).english_name} (docs/i18n.md).",
        project="Mailscope",
        version="",
        msgid_bugs_address="",
        last_translator="",
        language_team="",
        fuzzy=False,
    )
    if language in GETTEXT_PLURALS:
        catalog.mime_headers = [("Plural-Forms", GETTEXT_PLURALS[language])]
    catalog.update(template)
    _write(path, catalog)
    return path


def compile_po(path: Path) -> Path:
    """The ``.mo`` beside a ``.po``; fuzzy and untranslated entries stay English."""
    catalog = _read(path)
    target = path.with_suffix(".mo")
    with target.open("wb") as fp:
        write_mo(fp, catalog, use_fuzzy=False)
    return target


def _key(message: Message) -> tuple[str | None, str]:
    ids = message.id
    return message.context, ids[0] if isinstance(ids, (tuple, list)) else str(ids)


def _strings(message: Message) -> list[str]:
    value = message.string
    return [str(s) for s in value] if isinstance(value, (tuple, list)) else [str(value or "")]


def check_po(path: Path, template: Catalog) -> Iterator[Problem]:
    catalog = _read(path)
    language = path.parent.parent.name
    wanted = {_key(m): m for m in template if m.id}
    have = {_key(m): m for m in catalog if m.id}
    for key in wanted.keys() - have.keys():
        yield Problem(path, key[1], "in the sources, missing here (make i18n-extract)")
    for key in have.keys() - wanted.keys():
        yield Problem(path, key[1], "no longer in the sources (make i18n-extract)")
    for key in wanted.keys() & have.keys():
        message = have[key]
        if message.pluralizable != wanted[key].pluralizable:
            yield Problem(path, key[1], "plural forms changed (make i18n-extract)")
        if message.fuzzy:
            yield Problem(path, key[1], "fuzzy: check the translation, then drop the flag")
        texts = _strings(message)
        if not all(texts) or len(texts) < (catalog.num_plurals if message.pluralizable else 1):
            yield Problem(path, key[1], "not translated")
            continue
        for error in message.check(catalog):
            yield Problem(path, key[1], str(error))
        yield from _wording(path, language, key[1], texts)


def _wording(path: Path, language: str, entry: str, texts: Iterable[str]) -> Iterator[Problem]:
    for text in texts:
        bare = _PLACEHOLDER.sub("X", text)  # "%(host)s:%(port)s" has no space before ":"
        if language == "fr" and _SPACE_BEFORE_SIGN.search(bare):
            yield Problem(path, entry, "an ordinary space before : ; ! ? (glossary)")
        words = _LITERAL.sub("", bare)  # an option (--email) or a quoted name (« Email ») as is
        for pattern, instead in AVOID.get(language, {}).items():
            if re.search(pattern, words, re.IGNORECASE):
                yield Problem(path, entry, f"{text!r}: write {instead} (glossary)")


# -- desktop: Qt's .ts through pyside6-lupdate and lrelease --------------------------------


def ts_files() -> list[Path]:
    return sorted(QT_CATALOGUES.glob(f"{DOMAIN}_*.ts"))


def _tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def lupdate(target: Path) -> None:
    """Extract the desktop's strings into ``target`` (made if missing), dropping gone ones."""
    language = target.stem.split("_", 1)[1]
    done = subprocess.run(
        [_tool("pyside6-lupdate"), *DESKTOP_SOURCES, "-ts", str(target), "-no-obsolete",
         "-locations", "none", "-source-language", "en", "-target-language", language],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"pyside6-lupdate failed: {done.stderr.strip()}")


def compile_ts(path: Path) -> Path:
    target = path.with_suffix(".qm")
    done = subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(path), "-qm", str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"pyside6-lrelease failed: {done.stderr.strip()}")
    return target


@dataclass(frozen=True)
class TsEntry:
    context: str
    source: str
    translations: tuple[str, ...]
    state: str  # "" (finished), "unfinished", "vanished", "obsolete"
    numerus: bool


def read_ts(path: Path) -> list[TsEntry]:
    entries = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = translation.findall("numerusform")
            texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
            entries.append(
                TsEntry(
                    name,
                    message.findtext("source") or "",
                    tuple(texts),
                    translation.get("type", ""),
                    message.get("numerus") == "yes",
                )
            )
    return entries


def check_ts(path: Path) -> Iterator[Problem]:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / path.name
        shutil.copy(path, fresh)
        lupdate(fresh)
        extracted = {(e.context, e.source) for e in read_ts(fresh) if e.state != "vanished"}
    entries = read_ts(path)
    have = {(e.context, e.source) for e in entries if e.state not in ("vanished", "obsolete")}
    language = path.stem.split("_", 1)[1]
    for context, source in sorted(extracted - have):
        yield Problem(path, f"{context}: {source}", "in the sources, missing here")
    for entry in entries:
        label = f"{entry.context}: {entry.source}"
        if entry.state in ("vanished", "obsolete") or (entry.context, entry.source) not in (
            extracted
        ):
            yield Problem(path, label, "no longer in the sources (make i18n-extract)")
        elif entry.state == "unfinished" or not all(entry.translations):
            yield Problem(path, label, "not translated (or unfinished)")
        else:
            if sorted(_PLACEHOLDER.findall(entry.source)) != sorted(
                _PLACEHOLDER.findall(entry.translations[-1])
            ):
                yield Problem(path, label, "placeholders differ from the source's")
            yield from _wording(path, language, label, entry.translations)


# -- the commands --------------------------------------------------------------------------


def check() -> list[Problem]:
    template = extract_core()
    problems = [p for path in po_files() for p in check_po(path, template)]
    problems += [p for path in ts_files() for p in check_ts(path)]
    return problems


def stats() -> list[str]:
    lines = []
    for path in po_files():
        catalog = _read(path)
        entries = [m for m in catalog if m.id]
        plural = sum(1 for m in entries if m.pluralizable)
        lines.append(
            f"{path.relative_to(ROOT)}: {len(entries)} entries, {plural} with plural forms "
            f"({catalog.num_plurals} forms: {catalog.plural_expr})"
        )
    for path in ts_files():
        entries = [e for e in read_ts(path) if e.state not in ("vanished", "obsolete")]
        plural = sum(1 for e in entries if e.numerus)
        lines.append(
            f"{path.relative_to(ROOT)}: {len(entries)} entries, {plural} with plural forms"
        )
    return lines


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        template = extract_core()
        for path in po_files():
            update_po(path, template)
            print(f"updated {path.relative_to(ROOT)}")
        for path in ts_files():
            lupdate(path)
            print(f"updated {path.relative_to(ROOT)}")
    elif command == "compile":
        targets = [compile_po(path) for path in po_files()]
        targets += [compile_ts(path) for path in ts_files()]
        for target in targets:
            print(f"compiled {target.relative_to(ROOT)}")
    elif command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    elif command == "stats":
        print("\n".join(stats()))
    elif command == "init" and len(argv) == 2:
        existing = [
            p
            for p in (*po_files(), *ts_files())
            if argv[1] in p.parts or p.stem.endswith(f"_{argv[1]}")
        ]
        if existing:
            raise SystemExit(
                f"{existing[0].relative_to(ROOT)} exists: make i18n-extract updates it"
            )
        print(f"created {init_po(argv[1], extract_core()).relative_to(ROOT)}")
        target = QT_CATALOGUES / f"{DOMAIN}_{argv[1]}.ts"
        QT_CATALOGUES.mkdir(parents=True, exist_ok=True)
        lupdate(target)
        print(f"created {target.relative_to(ROOT)}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
