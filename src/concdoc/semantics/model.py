"""What a probe finds: cells, per-implementation reports, and the table layout.

A *cell* is one behaviour of one implementation, for example "``put(x,
timeout=0)`` on a full ``queue.Queue``". Its outcome is data: the call
returned (and what), blocked (it had not returned when the probe gave up and
released it), raised (which exception), or does not apply. Cells are grouped
into the tables of :data:`TABLES`; a cell's key is ``"<table>/<column>"``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# cell_key() serves the probes, the renderer and concdoc.sphinxext; the API page
# documents the rest
__all__ = [
    "BLOCK_BOUND",
    "TIMEOUT",
    "TABLES",
    "Cell",
    "Column",
    "Report",
    "Table",
    "reports_from_json",
    "reports_to_json",
    "table",
]

#: How long a probe waits before it concludes that a call blocks (seconds).
BLOCK_BOUND = 0.2
#: The positive timeout the probes request (seconds), written ``T`` in tables.
TIMEOUT = 0.05
#: Elapsed times at or above this are shown beside an outcome (seconds).
SHOWN_ELAPSED = 0.005

Outcome = Literal["returns", "blocks", "raises", "n/a"]


@dataclass
class Cell:
    """The observed behaviour of one call.

    Attributes
    ----------
    outcome : {"returns", "blocks", "raises", "n/a"}
        ``"returns"``, ``"blocks"`` (still waiting after
        :data:`~concdoc.semantics.model.BLOCK_BOUND`,
        then released by the probe), ``"raises"`` or ``"n/a"`` (the
        implementation has no such operation or parameter).
    value : str or None
        For ``returns``, the ``repr`` of the result; for ``raises``, the
        exception's public dotted name (``queue.Full``, ``ValueError``).
    elapsed : float or None
        Seconds from the call to its return or exception; ``None`` when it
        blocked or did not apply.
    call : str
        The expression the probe executed.
    note : str
        The exception message, or why the cell does not apply.
    """

    outcome: Outcome
    value: str | None = None
    elapsed: float | None = None
    call: str = ""
    note: str = ""

    def summary(self) -> str:
        """One short line, as tables show it: ``raises queue.Full after 0.05 s``."""
        if self.outcome == "n/a":
            return "n/a"
        if self.outcome == "blocks":
            return "blocks"
        text = f"{self.outcome} {self.value}"
        if self.elapsed is not None and self.elapsed >= SHOWN_ELAPSED:
            text += f" after {self.elapsed:.2f} s"
        return text


@dataclass
class Report:
    """Everything probed for one implementation.

    Attributes
    ----------
    available : bool
        False when the implementation does not exist on this interpreter
        (``reason`` says why); then ``cells`` and ``timing`` are empty.
    reason : str
        Why it is not available; for an available one, empty unless a group
        of probes failed unexpectedly (then it names the group and error).
    cells : dict
        Cell key (``"put-full/nowait"``) to :class:`Cell`.
    timing : list
        ``[requested, measured]`` pairs: the timeout asked for and the time
        the call really blocked before giving up, over repeats.
    """

    available: bool = True
    reason: str = ""
    cells: dict[str, Cell] = field(default_factory=dict)
    timing: list[list[float]] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    """One column of a table: a key and the call it stands for."""

    key: str
    title: str


@dataclass(frozen=True)
class Table:
    """A table of the reference: one operation, one column per variant."""

    key: str
    title: str
    columns: tuple[Column, ...]

    @property
    def caption(self) -> str:
        """The title, plus the value of ``T`` when a column uses it."""
        if any(re.search(r"\bT\b", c.title) for c in self.columns):
            return f"{self.title} (T = {TIMEOUT:g} s)"
        return self.title


def _table(key: str, title: str, *columns: tuple[str, str]) -> Table:
    return Table(key, title, tuple(Column(k, t) for k, t in columns))


#: The tables, in page order. ``T`` in a title is :data:`TIMEOUT`.
TABLES: tuple[Table, ...] = (
    _table(
        "put-full",
        "put() on a full queue",
        ("block", "put(x)"),
        ("timeout-zero", "put(x, timeout=0)"),
        ("timeout", "put(x, timeout=T)"),
        ("timeout-negative", "put(x, timeout=-1)"),
        ("nonblocking", "put(x, block=False)"),
        ("nonblocking-timeout", "put(x, block=False, timeout=T)"),
        ("nowait", "put_nowait(x)"),
    ),
    _table(
        "get-empty",
        "get() on an empty queue",
        ("block", "get()"),
        ("timeout-zero", "get(timeout=0)"),
        ("timeout", "get(timeout=T)"),
        ("timeout-negative", "get(timeout=-1)"),
        ("nonblocking", "get(block=False)"),
        ("nonblocking-timeout", "get(block=False, timeout=T)"),
        ("nowait", "get_nowait()"),
    ),
    _table(
        "asyncio-timeout",
        "Timeouts around an asyncio queue",
        ("wait-for", "await wait_for(q.get(), T)"),
        ("timeout-cm", "async with timeout(T): await q.get()"),
        ("wait-for-zero", "await wait_for(q.get(), 0)"),
    ),
    _table(
        "maxsize",
        "Capacity: maxsize zero or negative",
        ("zero", "maxsize=0"),
        ("negative", "maxsize=-1"),
    ),
    _table(
        "size",
        "Size queries on a queue holding one item (maxsize=2)",
        ("qsize", "qsize()"),
        ("empty", "empty()"),
        ("full", "full()"),
    ),
    _table(
        "visibility",
        "Is an item visible right after put()?",
        ("empty", "empty() right after put(x)"),
        ("get-nowait", "get_nowait() right after put(x)"),
        ("other-process", "get_nowait() right after put(x) in another process"),
    ),
    _table(
        "tasks",
        "task_done() and join()",
        ("join-idle", "join(), nothing put"),
        ("join-pending", "join(), one item not done"),
        ("balanced", "get(), task_done(), join()"),
        ("too-many", "one task_done() too many"),
    ),
    _table(
        "order",
        "Order of get()",
        ("order", "put 2, 3, 1; get all"),
        ("ties", "put (1, 'b'), (1, 'a'); get all"),
        ("incomparable", "put (1, {...}), (1, {...})"),
    ),
    _table(
        "shutdown",
        "shutdown() (Python 3.13+)",
        ("put", "put(x) after shutdown()"),
        ("get-empty", "get() on empty after shutdown()"),
        ("get-item", "get() with an item after shutdown()"),
        ("get-item-immediate", "get() with an item after shutdown(immediate=True)"),
        ("waiting", "get() waiting when shutdown() is called"),
    ),
    _table(
        "close",
        "close(), join_thread(), cancel_join_thread()",
        ("put", "put(x) after close()"),
        ("get", "get() after close()"),
        ("join-early", "join_thread() before close()"),
        ("join", "put(x), close(), join_thread()"),
        ("cancel", "cancel_join_thread()"),
    ),
    _table(
        "pipe",
        "Pipe connections",
        ("recv", "recv(), nothing sent"),
        ("poll", "poll()"),
        ("poll-timeout", "poll(T)"),
        ("poll-negative", "poll(-1)"),
        ("poll-none", "poll(None)"),
        ("eof", "recv() after the other end closed"),
        ("poll-closed", "poll() after the other end closed"),
        ("send-closed", "send(x) after the other end closed"),
        ("wrong-end", "send(x) on the receiving end of Pipe(duplex=False)"),
    ),
)


def table(key: str) -> Table:
    """Return the table called ``key``.

    Raises
    ------
    KeyError
        With the known keys, if there is no such table.
    """
    for candidate in TABLES:
        if candidate.key == key:
            return candidate
    known = ", ".join(t.key for t in TABLES)
    raise KeyError(f"unknown table {key!r}; known tables: {known}")


def cell_key(table_key: str, column_key: str) -> str:
    """The key of a cell in :attr:`Report.cells`."""
    return f"{table_key}/{column_key}"


def reports_to_json(reports: dict[str, Report]) -> dict[str, Any]:
    """Plain JSON data: implementation name to its report."""
    return {name: asdict(report) for name, report in reports.items()}


def reports_from_json(data: dict[str, Any]) -> dict[str, Report]:
    """Inverse of :func:`reports_to_json`.

    Raises
    ------
    ValueError
        If ``data`` does not have the expected shape.
    """
    try:
        return {
            name: Report(
                available=entry["available"],
                reason=entry["reason"],
                cells={k: Cell(**c) for k, c in entry["cells"].items()},
                timing=[list(pair) for pair in entry["timing"]],
            )
            for name, entry in data.items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a semantics report: {exc}") from None
