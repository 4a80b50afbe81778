"""A command-line tool that fails with status 3."""

import sys

print("checking configuration")
if "--config" not in sys.argv:
    print("error: no configuration given", file=sys.stderr)
    sys.exit(3)
