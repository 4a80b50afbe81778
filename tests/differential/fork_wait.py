"""os.fork(); the child returns normally, the parent waits for it."""

import os

pid = os.fork()
if pid == 0:
    print("in the child")
else:
    _, status = os.waitpid(pid, 0)
    print("child exit status", os.waitstatus_to_exitcode(status))
