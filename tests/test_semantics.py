"""concdoc.semantics: probe conclusions against documented behaviour, and the CLI.

The directive that shows them is tested in test_sphinxext_semantics.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from concdoc.cli import EXIT_OK, EXIT_USAGE
from concdoc.semantics import (
    IMPLEMENTATIONS,
    TABLES,
    TIMEOUT,
    Report,
    probe,
    probe_all,
    public_name,
    reports_from_json,
    reports_to_json,
    table,
)

QUEUE_LIKE = [i.name for i in IMPLEMENTATIONS if i.family != "pipe"]
#: A coarse bound for the whole matrix ("well under a minute" on a busy machine).
MATRIX_BOUND = 60


@pytest.fixture(scope="module")
def matrix() -> tuple[dict[str, Report], float]:
    start = time.monotonic()
    reports = probe_all()
    return reports, time.monotonic() - start


@pytest.fixture(scope="module")
def reports(matrix) -> dict[str, Report]:
    return matrix[0]


def cell(reports: dict[str, Report], name: str, key: str):
    return reports[name].cells[key]


def least_elapsed(reports: dict[str, Report], name: str, key: str, tries: int = 3):
    """The shortest time one cell took over up to ``tries`` probes.

    A stall of a loaded machine can only add time, so one quick observation is
    enough to show that a call does not wait; a call that does wait takes at
    least its timeout every time.
    """
    best = cell(reports, name, key).elapsed
    impl = next(i for i in IMPLEMENTATIONS if i.name == name)
    for _ in range(tries - 1):
        if best < TIMEOUT:
            break
        best = min(best, probe(impl).cells[key].elapsed)
    return best


def outcome(reports: dict[str, Report], name: str, key: str) -> tuple[str, str | None]:
    found = cell(reports, name, key)
    return found.outcome, found.value


def test_whole_matrix_is_bounded_and_leaves_nothing_waiting(matrix):
    reports, elapsed = matrix
    assert elapsed < MATRIX_BOUND
    assert list(reports) == [i.name for i in IMPLEMENTATIONS]
    for thread in threading.enumerate():
        if thread.name.startswith("concdoc-probe"):
            thread.join(5)
            assert not thread.is_alive(), thread.name
    errors = {n: r.reason for n, r in reports.items() if r.available and r.reason}
    assert errors == {}
    blocked = [
        (name, key)
        for name, report in reports.items()
        for key, c in report.cells.items()
        if "could not be released" in c.note
    ]
    assert blocked == []


@pytest.mark.parametrize(
    "name", ["queue.Queue", "queue.LifoQueue", "queue.PriorityQueue"]
)
def test_queue_module_on_full_and_empty(reports, name):
    for op, error in (("put-full", "queue.Full"), ("get-empty", "queue.Empty")):
        assert outcome(reports, name, f"{op}/block") == ("blocks", None)
        for column in ("timeout-zero", "timeout", "nonblocking", "nowait"):
            assert outcome(reports, name, f"{op}/{column}") == ("raises", error)
        # block=False ignores the timeout: no waiting
        waited = cell(reports, name, f"{op}/nonblocking-timeout")
        assert waited.value == error
        assert least_elapsed(reports, name, f"{op}/nonblocking-timeout") < TIMEOUT
        assert outcome(reports, name, f"{op}/timeout-negative") == (
            "raises",
            "ValueError",
        )
        assert cell(reports, name, f"{op}/timeout").elapsed >= TIMEOUT * 0.9


def test_simple_queues_have_no_maxsize(reports):
    for name in ("queue.SimpleQueue", "multiprocessing.SimpleQueue"):
        for column in ("zero", "negative"):
            assert outcome(reports, name, f"maxsize/{column}") == (
                "raises",
                "TypeError",
            )
        assert cell(reports, name, "put-full/block").outcome == "n/a"
        assert outcome(reports, name, "get-empty/block") == ("blocks", None)
    # multiprocessing.SimpleQueue.get() takes no timeout at all
    assert (
        cell(reports, "multiprocessing.SimpleQueue", "get-empty/timeout").outcome
        == "n/a"
    )


def test_maxsize_zero_or_negative_means_unbounded(reports):
    for name in ("queue.Queue", "multiprocessing.Queue", "asyncio.Queue"):
        for column in ("zero", "negative"):
            assert cell(reports, name, f"maxsize/{column}").outcome == "returns"


def test_multiprocessing_queue(reports):
    name = "multiprocessing.Queue"
    assert outcome(reports, name, "put-full/nowait") == ("raises", "queue.Full")
    assert outcome(reports, name, "get-empty/timeout") == ("raises", "queue.Empty")
    assert outcome(reports, name, "close/put") == ("raises", "ValueError")
    assert outcome(reports, name, "close/join-early") == ("raises", "AssertionError")
    assert outcome(reports, name, "close/join") == ("returns", "None")
    assert cell(reports, name, "tasks/too-many").outcome == "n/a"
    assert outcome(reports, "multiprocessing.JoinableQueue", "tasks/too-many") == (
        "raises",
        "ValueError",
    )
    for column in ("get-nowait", "other-process"):
        tried = cell(reports, name, f"visibility/{column}")
        assert "tries" in tried.note  # the count depends on the feeder thread


def test_manager_queue_put_is_visible_at_once_even_from_another_process(reports):
    name = "multiprocessing.Manager().Queue"
    for column in ("get-nowait", "other-process"):
        assert outcome(reports, name, f"visibility/{column}") == (
            "returns",
            "'the item' (20/20)",
        )
    assert cell(reports, "queue.Queue", "visibility/other-process").outcome == "n/a"


@pytest.mark.parametrize(
    "name",
    [
        "queue.Queue",
        "multiprocessing.JoinableQueue",
        "multiprocessing.Manager().Queue",
        "asyncio.Queue",
        "gevent.queue.JoinableQueue",
    ],
)
def test_one_task_done_too_many(reports, name):
    assert outcome(reports, name, "tasks/too-many") == ("raises", "ValueError")
    assert outcome(reports, name, "tasks/join-pending") == ("blocks", None)
    assert cell(reports, name, "tasks/balanced").outcome == "returns"


def test_order(reports):
    for prefix in ("queue.", "asyncio.", "gevent.queue."):
        assert outcome(reports, prefix + "Queue", "order/order") == (
            "returns",
            "[2, 3, 1]",
        )
        assert outcome(reports, prefix + "LifoQueue", "order/order") == (
            "returns",
            "[1, 3, 2]",
        )
        priority = prefix + "PriorityQueue"
        assert outcome(reports, priority, "order/order") == ("returns", "[1, 2, 3]")
        assert outcome(reports, priority, "order/ties") == (
            "returns",
            "[(1, 'a'), (1, 'b')]",
        )
        assert outcome(reports, priority, "order/incomparable") == (
            "raises",
            "TypeError",
        )
        assert (
            cell(reports, prefix + "Queue", "order/incomparable").outcome == "returns"
        )


def test_asyncio_timeouts_go_through_wait_for(reports):
    name = "asyncio.Queue"
    assert outcome(reports, name, "get-empty/nowait") == (
        "raises",
        "asyncio.QueueEmpty",
    )
    assert outcome(reports, name, "put-full/nowait") == ("raises", "asyncio.QueueFull")
    assert outcome(reports, name, "get-empty/timeout") == ("raises", "TimeoutError")
    assert "wait_for" in cell(reports, name, "get-empty/timeout").call
    assert cell(reports, name, "get-empty/nonblocking").outcome == "n/a"
    assert outcome(reports, name, "asyncio-timeout/wait-for") == (
        "raises",
        "TimeoutError",
    )


def test_gevent_channel_put_waits_for_a_getter(reports):
    name = "gevent.queue.Channel"
    assert outcome(reports, name, "put-full/block") == ("blocks", None)
    assert outcome(reports, name, "put-full/nowait") == ("raises", "queue.Full")
    assert outcome(reports, name, "get-empty/block") == ("blocks", None)


def test_pipe(reports):
    name = "multiprocessing.Pipe"
    assert outcome(reports, name, "pipe/recv") == ("blocks", None)
    assert outcome(reports, name, "pipe/poll-none") == ("blocks", None)
    assert outcome(reports, name, "pipe/poll") == ("returns", "False")
    assert outcome(reports, name, "pipe/eof") == ("raises", "EOFError")
    assert outcome(reports, name, "pipe/poll-closed") == ("returns", "True")
    assert outcome(reports, name, "pipe/wrong-end") == ("raises", "OSError")
    assert cell(reports, name, "pipe/poll-timeout").elapsed >= TIMEOUT * 0.9


def test_version_dependent_features(reports):
    shutdown = cell(reports, "queue.Queue", "shutdown/put")
    if sys.version_info >= (3, 13):
        assert shutdown.outcome == "raises" and shutdown.value == "queue.ShutDown"
        assert outcome(reports, "queue.Queue", "shutdown/get-item") == (
            "returns",
            "'item'",
        )
    else:
        assert shutdown.outcome == "n/a" and "Python 3." in shutdown.note
    interpreters_name = "concurrent.interpreters.Queue"
    interpreters = reports[interpreters_name]
    if sys.version_info >= (3, 14):
        assert interpreters.available and interpreters.reason == ""
        for op in ("put-full", "get-empty"):
            assert cell(reports, interpreters_name, f"{op}/block").outcome == "blocks"
            assert cell(reports, interpreters_name, f"{op}/nowait").outcome == "raises"
    else:
        assert not interpreters.available
        assert interpreters.reason.startswith("not available on Python 3.")
        assert interpreters.cells == {}


def test_timing_samples_never_undershoot_much(reports):
    for name, report in reports.items():
        if not report.available or name == "multiprocessing.SimpleQueue":
            continue
        assert report.timing, name
        for requested, measured in report.timing:
            assert measured >= requested * 0.9, (name, requested, measured)


def test_every_queue_table_is_filled(reports):
    queue_tables = [t for t in TABLES if t.key not in ("pipe", "asyncio-timeout")]
    for name in QUEUE_LIKE:
        report = reports[name]
        if not report.available:
            continue
        for t in queue_tables:
            for column in t.columns:
                assert f"{t.key}/{column.key}" in report.cells, (
                    name,
                    t.key,
                    column.key,
                )


def test_json_round_trip(reports):
    data = json.loads(json.dumps(reports_to_json(reports)))
    assert list(data) == [i.name for i in IMPLEMENTATIONS]
    assert reports_from_json(data) == reports
    with pytest.raises(ValueError, match="not a semantics report"):
        reports_from_json({"queue.Queue": {"cells": {}}})


def test_public_name():
    import asyncio
    import queue

    assert public_name(queue.Empty) == "queue.Empty"
    assert public_name(asyncio.QueueFull) == "asyncio.QueueFull"
    assert public_name(ValueError) == "ValueError"
    with pytest.raises(KeyError, match="known tables"):
        table("nope")


# --- command line -------------------------------------------------------------


def concdoc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "concdoc", "semantics", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xml"), "unknown format 'xml'"),
        (("--only", "queue.Nope"), "unknown implementation 'queue.Nope'"),
    ],
)
def test_cli_bad_input_is_one_line(args, message):
    proc = concdoc(*args)
    assert proc.returncode == EXIT_USAGE
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and message in proc.stderr


def test_cli_json_and_table():
    proc = concdoc("--only", "queue.Queue", "multiprocessing.Pipe", "--format", "json")
    assert proc.returncode == EXIT_OK, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["queue.Queue", "multiprocessing.Pipe"]
    assert data["queue.Queue"]["cells"]["put-full/nowait"]["value"] == "queue.Full"
    assert "probed 2 implementations" in proc.stderr
    # progress, one line per implementation and phase, before the summary
    steps = [line for line in proc.stderr.splitlines() if "/4: " in line]
    assert len(steps) == 4, proc.stderr
    assert steps[-1].startswith("concdoc semantics: timing 4/4: ")
    proc = concdoc("--only", "queue.SimpleQueue")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "get() on an empty queue" in proc.stdout
    assert "queue.SimpleQueue" in proc.stdout


def test_cli_tables_fit_100_columns():
    proc = concdoc("--only", "queue.Queue", "multiprocessing.Queue", "asyncio.Queue")
    assert proc.returncode == EXIT_OK, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(map(len, lines)) <= 100
    # every column of the widest table is still there, in a group of its own
    assert "put(x, timeout=T)" in proc.stdout and "put_nowait(x)" in proc.stdout
