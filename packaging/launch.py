"""The bundle's entry script: the same ``entry`` as the ``mailscope`` command of the wheel."""

from desktop.main import entry

entry()
