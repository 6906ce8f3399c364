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

# Debian packages the tests use: Dovecot (the real IMAP server), Qt's system libraries, Xvfb.
system-deps:
	@if ! command -v dovecot >/dev/null || ! command -v Xvfb >/dev/null \
	    || ! ldconfig -p | grep -q libEGL.so.1 || ! ldconfig -p | grep -q libxkbcommon.so.0; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    dovecot-imapd openssl xvfb libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	    libfontconfig1 libdbus-1-3 fonts-dejavu-core >/dev/null; \
	fi

run: $(STAMP)
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
	@# Qt's xcb plugin needs these two beyond what the tests use.
	@if ! ldconfig -p | grep -q libxcb-icccm.so.4 || ! ldconfig -p | grep -q libxcb-keysyms.so.1; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 >/dev/null; \
	fi
	QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m desktop.screenshots docs

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
