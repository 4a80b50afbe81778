"""Reads standard input to the end (empty here)."""

import sys

data = sys.stdin.read()
print(f"read {len(data)} characters")
