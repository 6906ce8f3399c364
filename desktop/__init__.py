"""The desktop app: the only layer that imports Qt."""

from desktop.pyside_fix import make_none_immortal

make_none_immortal()  # before any widget: see desktop/pyside_fix.py
