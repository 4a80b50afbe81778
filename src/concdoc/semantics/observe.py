"""Turn one call into a :class:`~concdoc.semantics.model.Cell`.

:func:`observe` runs a call through a driver with a bound, releases it if it
is still waiting, and records what happened; the helpers name exceptions and
values the way the tables show them.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

from concdoc.semantics.drivers import Driver
from concdoc.semantics.model import BLOCK_BOUND, Cell, Outcome

# the API page documents these; the other helpers serve concdoc.semantics.probes
__all__ = ["observe", "public_name"]

_PRIVATE_ALIASES = {"_queue": "queue", "gevent._gevent_cqueue": "gevent.queue"}

#: A call as the probes make it: the expression shown, and the function.
Call = tuple[str, Callable[[], Any]]


def public_name(kind: type) -> str:
    """Shortest importable dotted name of an exception class.

    ``ValueError`` for builtins, ``queue.Empty`` rather than ``_queue.Empty``,
    ``asyncio.QueueFull`` rather than ``asyncio.queues.QueueFull``.
    """
    module = kind.__module__
    if module == "builtins":
        return kind.__qualname__
    module = _PRIVATE_ALIASES.get(module, module)
    parts = module.split(".")
    for length in range(1, len(parts) + 1):
        prefix = ".".join(parts[:length])
        if getattr(sys.modules.get(prefix), kind.__qualname__, None) is kind:
            return f"{prefix}.{kind.__qualname__}"
    return f"{module}.{kind.__qualname__}"


def short_repr(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def accepts(method: Callable[..., Any], parameter: str) -> bool:
    """Whether ``method`` takes ``parameter`` (True when it cannot be told)."""
    try:
        params = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.name == parameter or p.kind is inspect.Parameter.VAR_KEYWORD for p in params
    )


def observe(
    driver: Driver,
    call: Call,
    release: Callable[[], Any] | None = None,
    bound: float = BLOCK_BOUND,
) -> Cell:
    """Run ``call`` with a bound; return what happened as a cell.

    The result is a :class:`~concdoc.semantics.model.Cell`.

    If it is still waiting after ``bound`` seconds, ``release`` is run (in the
    driver's context) to let it finish, and the cell says ``blocks``.
    """
    text, fn = call
    attempt = driver.attempt(fn, bound)
    if not attempt.done.is_set():
        note = f"still waiting after {bound:g} s; released by the probe"
        if release is not None:
            try:
                driver.run(release)
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                note += f" (release failed: {public_name(type(exc))})"
        if not attempt.finish():
            note += "; could not be released"
        return Cell("blocks", call=text, note=note)
    if attempt.error is not None:
        error = attempt.error
        return Cell(
            "raises", public_name(type(error)), attempt.elapsed, text, str(error)
        )
    return Cell("returns", short_repr(attempt.value), attempt.elapsed, text)


def not_applicable(call: str, why: str) -> Cell:
    return Cell("n/a", call=call, note=why)


def tally(text: str, outcomes: list[Cell]) -> Cell:
    """Summarise repeated tries: the most frequent outcome and how often."""
    counts: dict[tuple[Outcome, str | None], int] = {}
    for cell in outcomes:
        key = (cell.outcome, cell.value)
        counts[key] = counts.get(key, 0) + 1
    (outcome, value), count = max(counts.items(), key=lambda kv: kv[1])
    others = ", ".join(
        f"{o} {v}: {n}" for (o, v), n in counts.items() if (o, v) != (outcome, value)
    )
    note = f"{count} of {len(outcomes)} tries" + (
        f"; otherwise {others}" if others else ""
    )
    return Cell(outcome, f"{value} ({count}/{len(outcomes)})", None, text, note)
