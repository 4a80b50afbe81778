"""Writes bytes that are not UTF-8 straight to standard output."""

import sys

sys.stdout.flush()
sys.stdout.buffer.write(b"r\xe9sum\xe9 \xff\xfe broken\n")
sys.stdout.buffer.flush()
print("text after")
