"""The bundle's entry script: the same ``main`` as the ``mailscope`` command of the wheel."""

import sys

from desktop.main import main

sys.exit(main())
