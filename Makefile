# Two commands for a newcomer on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck pytest system-deps bench clean screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages: Dovecot (the real IMAP server of the tests), strace (the HTML audit), Qt's
# system libraries (offscreen and X11), Xvfb for real windows in tests and screenshots.
DEBS := dovecot-imapd openssl strace xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
	libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-xfixes0 \
	libxcb-sync1 libxcb-shm0 libxcb-util1

system-deps:
	@dpkg -s $(DEBS) >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    $(DEBS) >/dev/null; }

run: $(STAMP) system-deps
	QT_QPA_PLATFORM= $(BIN)/mailscope --demo

lint: $(STAMP)
	$(BIN)/ruff check core desktop resources tests bench
	$(BIN)/ruff format --check core desktop resources tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) system-deps
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/rules_bench.py

# The README's screenshots, rendered in a real (virtual) X window for real fonts.
screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m desktop.screenshots docs

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
