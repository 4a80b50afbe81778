"""Queue semantics, measured: how put/get/block/timeout behave on this interpreter.

:func:`probe_all` runs probes against every queue implementation (the
``queue`` module, ``multiprocessing`` queues and pipes, a manager's queue,
``asyncio``, ``gevent``, and the interpreters queue where it exists) and
returns one :class:`Report` per implementation. Nothing here imports Sphinx
or matplotlib; :mod:`concdoc.semantics.chart` draws the timeout-accuracy
chart on request.
"""

from concdoc.semantics.implementations import IMPLEMENTATIONS, Implementation
from concdoc.semantics.model import (
    BLOCK_BOUND,
    TABLES,
    TIMEOUT,
    Cell,
    Column,
    Report,
    Table,
    reports_from_json,
    reports_to_json,
    table,
)
from concdoc.semantics.observe import public_name
from concdoc.semantics.probes import probe, probe_all
from concdoc.semantics.render import format_tables

__all__ = [
    "BLOCK_BOUND",
    "IMPLEMENTATIONS",
    "TABLES",
    "TIMEOUT",
    "Cell",
    "Column",
    "Implementation",
    "Report",
    "Table",
    "format_tables",
    "probe",
    "probe_all",
    "public_name",
    "reports_from_json",
    "reports_to_json",
    "table",
]
