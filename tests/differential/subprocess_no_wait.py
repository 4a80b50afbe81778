"""A subprocess started and never waited for; it prints after the parent ends."""

import subprocess
import sys

subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(0.3); print('late child')"]
)
print("parent done")
