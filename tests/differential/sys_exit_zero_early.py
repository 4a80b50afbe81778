"""sys.exit(0) in the middle: the rest does not run, and it is a success."""

import sys

print("first part")
sys.exit(0)
print("never printed")
