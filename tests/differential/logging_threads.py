"""Log records from several threads to stderr."""

import logging
import threading

logging.basicConfig(
    level=logging.INFO, format="%(levelname)s %(threadName)s %(message)s"
)
log = logging.getLogger("app")


def job(i):
    log.info("job %d running", i)
    log.warning("job %d done", i)


for i in range(4):
    threading.Thread(target=job, args=(i,), name=f"w{i}").start()
log.info("all started")
