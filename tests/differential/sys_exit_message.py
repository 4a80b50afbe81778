"""sys.exit with a message: printed to stderr, status 1."""

import sys

print("starting")
sys.exit("fatal: nothing to do")
