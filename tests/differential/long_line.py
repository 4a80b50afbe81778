"""One very long line, without a newline at the end."""

import sys

sys.stdout.write("z" * 200_000)
