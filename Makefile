# Two commands for a newcomer on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: the app's own dependencies (make run), then the test and packaging tools.
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed
BUNDLE := bundle/mailscope/mailscope
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck pytest system-deps bench clean screenshots thunderbird-screenshots \
	dist bundle i18n-extract i18n-compile i18n-check native

$(RUNTIME): pyproject.toml core/version.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(BIN)/pip install --quiet -e '.[test,package]'
	touch $(STAMP)

# Debian packages: Dovecot (the real IMAP server of the tests), strace (the HTML audit), Qt's
# system libraries (offscreen and X11), Xvfb for real windows in tests and screenshots,
# Thunderbird (the add-in's end-to-end test) and Node.js (the add-in's own tests, `node --test`);
# the validators of the desktop entry and AppStream metainfo, xwininfo to find the bundle's
# window, objdump for PyInstaller; a C compiler and Python's headers for mypyc (make native).
DEBS := dovecot-imapd openssl strace xvfb xauth thunderbird nodejs libegl1 libgl1 libxkbcommon0 \
	libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
	libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-xfixes0 \
	libxcb-sync1 libxcb-shm0 libxcb-util1 \
	desktop-file-utils appstream x11-utils binutils gcc python3-dev

system-deps:
	@dpkg -s $(DEBS) >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    $(DEBS) >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    nodejs npm >/dev/null; }

# The authorization server of the OAuth2 tests: npm's oauth2-mock-server, pinned to 8.2.3 in
# tests/oauth_server/package-lock.json (9.x needs Node >= 22.12), installed into that folder.
OAUTH_SERVER := tests/oauth_server
OAUTH_STAMP := $(OAUTH_SERVER)/node_modules/.installed

$(OAUTH_STAMP): $(OAUTH_SERVER)/package.json $(OAUTH_SERVER)/package-lock.json | system-deps
	npm ci --prefix $(OAUTH_SERVER) --no-audit --no-fund --loglevel=error
	touch $@

# Translations (docs/i18n.md): the committed catalogues, gettext's .po for core and Qt's .ts
# for the windows, compiled into the .mo and .qm the app loads (git ignores them). run, test,
# dist and bundle compile first; a checkout where nothing was compiled runs in English.
PO := $(wildcard core/locale/*/LC_MESSAGES/mailscope.po)
TS := $(wildcard resources/translations/mailscope_*.ts)
CATALOGUES := $(PO:.po=.mo) $(TS:.ts=.qm)

$(CATALOGUES) &: $(PO) $(TS) packaging/i18n.py | $(RUNTIME)
	$(BIN)/python packaging/i18n.py compile

i18n-compile: $(CATALOGUES)

# After marking or changing strings: new ones come in untranslated, changed ones fuzzy.
i18n-extract: $(RUNTIME)
	$(BIN)/python packaging/i18n.py extract

# What translators still have to do (the tests fail on the same list).
i18n-check: $(RUNTIME)
	$(BIN)/python packaging/i18n.py check

# The header parser and the rules engine compiled with mypyc (packaging/native.py says which
# modules and why), beside their sources; git ignores them. run, test and bundle compile
# first (again when a source changed); the wheel stays pure Python.
NATIVE_SOURCES := $(shell $(PYTHON) packaging/native.py sources)
NATIVE := $(shell $(PYTHON) packaging/native.py outputs)

$(NATIVE) &: $(NATIVE_SOURCES) packaging/native.py | $(STAMP) system-deps
	$(BIN)/python packaging/native.py build

native: $(NATIVE)

run: $(RUNTIME) $(CATALOGUES) $(NATIVE) system-deps
	QT_QPA_PLATFORM= $(BIN)/mailscope --demo

lint: $(STAMP)
	$(BIN)/ruff check core desktop resources tests bench packaging
	$(BIN)/ruff format --check core desktop resources tests bench packaging

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) system-deps $(OAUTH_STAMP) $(CATALOGUES) $(NATIVE) $(BUNDLE)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/rules_bench.py

# The README's screenshots, rendered in a real (virtual) X window for real fonts.
# `make screenshots LANG=fr`: the whole window set in French at 1366x768, in build/screenshots/fr
# (LANG from the environment alone keeps the README's pair).
SHOTS_LANG = $(if $(filter command line,$(origin LANG)),$(firstword $(subst _, ,$(LANG))))
screenshots: $(STAMP) $(CATALOGUES) system-deps
	QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m desktop.screenshots \
		$(if $(SHOTS_LANG),--lang $(SHOTS_LANG) build/screenshots/$(SHOTS_LANG),docs)

# The add-in's popups on the demo, in a real Thunderbird under Xvfb (docs/thunderbird-*.png).
thunderbird-screenshots: $(STAMP) system-deps
	$(BIN)/python -m tests.thunderbird.screenshots docs


# The wheel and sdist a rep installs with pipx (see docs/install.md).
dist: $(STAMP) $(CATALOGUES)
	rm -rf dist/mailscope-*
	$(BIN)/python -m build --outdir dist .

# The self-contained Linux build: PyInstaller's one folder (bundle/mailscope/, about a minute;
# rebuilt when a source changes, and smoke-tested by make test), and its archive in dist/.
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"$$/\1/p' core/version.py)
$(BUNDLE): $(STAMP) pyproject.toml $(CATALOGUES) $(NATIVE) $(shell find core desktop resources packaging thunderbird \
		-type f -not -path '*/__pycache__/*') | system-deps
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath bundle \
		--workpath build/pyinstaller packaging/mailscope.spec
	touch $(BUNDLE)

bundle: $(BUNDLE)
	mkdir -p dist
	tar -C bundle -czf dist/mailscope-$(VERSION)-linux-$$(uname -m).tar.gz mailscope
	@du -sh bundle/mailscope dist/mailscope-$(VERSION)-linux-*.tar.gz

clean:
	$(PYTHON) packaging/native.py clean
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist bundle \
		$(OAUTH_SERVER)/node_modules
