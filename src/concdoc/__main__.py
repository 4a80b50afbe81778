"""``python -m concdoc``: see :mod:`concdoc.cli`."""

import sys

from concdoc.cli import main

sys.exit(main())
