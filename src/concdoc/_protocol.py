"""The names the runner and the example's interpreters agree on.

An isolated run (:mod:`concdoc.runner`) talks to the interpreters it starts
through environment variables, a JSON spec file, a control file of JSON
lines and block markers written into the output pipe. Every name of that
protocol is defined here, once.

``_inside/child.py`` and ``_inside/boot/sitecustomize.py`` run by path in the
example's interpreter and import nothing from concdoc, so they spell these
names as literals; ``tests/test_protocol.py`` checks that each literal they
use is one of the constants below. Standard library only.
"""

from __future__ import annotations

import re

# -- environment variables -------------------------------------------------

#: Marks every process of one run (its value is the run's token).
RUN_TOKEN = "CONCDOC_RUN"
#: multiprocessing's default start method for every interpreter of the run.
START_METHOD = "CONCDOC_START_METHOD"
#: The control file, so that every interpreter of the run can report to it.
CONTROL = "CONCDOC_CONTROL"
#: Set for the run's first interpreter only: it supervises, and the example
#: runs in a child it forks (the boot hook installs the tracer there).
SUPERVISED = "CONCDOC_SUPERVISED"
#: The directory receiving a traced run's events.
TRACE_DIR = "CONCDOC_TRACE_DIR"
#: The run's first traced interpreter finds it and records its whole life.
TRACE_ROOT = "CONCDOC_TRACE_ROOT"
#: Pid of that interpreter, seen by its descendants.
TRACE_ROOT_PID = "CONCDOC_TRACE_ROOT_PID"
#: Trace the script's generator-based coroutines too (costly; see instrument).
TRACE_COROUTINES = "CONCDOC_TRACE_COROUTINES"

#: Every variable above: a run starts from an environment without them.
VARIABLES = (
    RUN_TOKEN,
    START_METHOD,
    CONTROL,
    SUPERVISED,
    TRACE_DIR,
    TRACE_ROOT,
    TRACE_ROOT_PID,
    TRACE_COROUTINES,
)

# -- the spec file ---------------------------------------------------------

SPEC_PATH = "path"  #: the example script (absolute)
SPEC_BLOCKS = "blocks"  #: ``[[first line, source], ...]``
SPEC_MARKER = "marker"  #: the block marker's prefix (see :func:`marker`)
SPEC_CONTROL = "control"  #: the control file
SPEC_FIGURES = "figure_template"  #: where figures go, or null
SPEC_STRICT = "strict"  #: check the house rules (see the runner)
SPEC_LINGER = "linger"  #: seconds descendants may outlive the interpreter

SPEC_KEYS = (
    SPEC_PATH,
    SPEC_BLOCKS,
    SPEC_MARKER,
    SPEC_CONTROL,
    SPEC_FIGURES,
    SPEC_STRICT,
    SPEC_LINGER,
)

# -- control events (the ``"event"`` field of each JSON line) --------------

EVENT = "event"  #: the key naming an event
START = "start"  #: a block starts: ``block``
DONE = "done"  #: a block ended: ``block``, ``figures``
ERROR = "error"  #: a block raised: ``block``, ``traceback``, ``summary``
EXIT = "exit"  #: a block called ``sys.exit``: ``block``, ``code``
#: after the last block: ``threads``, ``processes`` still running; strict:
#: ``left_threads``, ``fds`` still there once the globals are dropped
LAST_BLOCK = "last-block"
THREAD_EXCEPTION = "thread-exception"  #: ``name``, ``summary``, ``pid``
PROCESS_EXCEPTION = "process-exception"  #: ``name``, ``summary``, ``pid``
GREENLET_EXCEPTION = "greenlet-exception"  #: ``name``, ``summary``, ``pid``
SHUTDOWN = "shutdown"  #: the last atexit handler: ``daemon`` threads cut off
INTERPRETER_EXIT = "interpreter-exit"  #: from the supervisor: ``returncode``
LEFTOVERS = "leftovers"  #: from the supervisor: ``processes``, ``contained``

EVENTS = (
    START,
    DONE,
    ERROR,
    EXIT,
    LAST_BLOCK,
    THREAD_EXCEPTION,
    PROCESS_EXCEPTION,
    GREENLET_EXCEPTION,
    SHUTDOWN,
    INTERPRETER_EXIT,
    LEFTOVERS,
)

# -- block markers ---------------------------------------------------------


def marker(token: str) -> bytes:
    """The prefix of the run's block markers; block ``n`` writes ``prefix + b"n\\0"``.

    Parameters
    ----------
    token : str
        The run's token (hex digits).

    Returns
    -------
    bytes
    """
    return b"\x00concdoc:" + token.encode() + b":"


def marker_pattern(prefix: bytes) -> re.Pattern[bytes]:
    """A pattern matching a whole block marker; group 1 is the block number."""
    return re.compile(re.escape(prefix) + rb"(\d+)\x00")
