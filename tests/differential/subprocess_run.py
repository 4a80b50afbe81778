"""subprocess.run of another Python; its output shares the terminal."""

import subprocess
import sys

subprocess.run([sys.executable, "-c", "print('from the subprocess')"], check=True)
print("back in the parent")
