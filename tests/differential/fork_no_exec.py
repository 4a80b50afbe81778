"""os.fork() without exec; the parent does not wait for the child."""

import os
import sys
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.2)
    print("child finished its work")
    sys.stdout.flush()
    os._exit(0)
print("parent leaves without waiting")
