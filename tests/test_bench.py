"""``concdoc.bench``: statistics, result structure, bounds, JSON, CLI, charts."""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import subprocess
import sys
import time

import pytest

from concdoc import bench
from concdoc.bench import _worker
from concdoc.bench.choosing import CHOICES, decision_rows, decision_table, needed
from concdoc.blocks import read_directives
from concdoc.cli import EXIT_OK, EXIT_USAGE

#: Small enough for tests: two sizes, few repeats, short caps.
TINY = bench.bounded(
    sizes=(8, 4096),
    repeats=3,
    min_repeats=2,
    cap=0.01,
    batch_messages=(2, 20),
    tasks=40,
    chunksizes=(1, 8),
)


def test_summarize_known_inputs():
    stats = bench.summarize([5, 1, 4, 2, 3])
    assert (stats.median, stats.q1, stats.q3) == (3, 2, 4)
    assert (stats.minimum, stats.maximum, stats.count) == (1, 5, 5)
    assert stats.iqr == 2


@pytest.mark.parametrize("samples", [[1, 2, 3, 4], [7.5, 0.5, 3, 9, 2, 2, 11]])
def test_summarize_agrees_with_statistics_inclusive(samples):
    stats = bench.summarize(samples)
    q1, median, q3 = statistics.quantiles(samples, n=4, method="inclusive")
    assert stats.median == pytest.approx(statistics.median(samples))
    assert (stats.q1, stats.median, stats.q3) == pytest.approx((q1, median, q3))


def test_summarize_one_sample_and_none():
    one = bench.summarize([2.5])
    assert one.median == one.q1 == one.q3 == one.minimum == one.maximum == 2.5
    with pytest.raises(ValueError, match="no samples"):
        bench.summarize([])


def test_repeat_stops_at_the_cap_but_not_before_min_repeats():
    calls = []

    def once() -> float:
        calls.append(1)
        return 0.5  # pretend each repeat took half a second

    job = {"warmup": 2, "repeats": 100, "min_repeats": 3, "cap": 1.0}
    assert _worker.repeat(once, job) == [0.5, 0.5, 0.5]
    assert len(calls) == 2 + 3  # the warm-up is run but not kept
    job = {**job, "min_repeats": 1, "cap": 10.0, "repeats": 4}
    assert len(_worker.repeat(once, job)) == 4  # never more than `repeats`


def test_messages_per_repeat_follow_bytes_and_clamp():
    job = {"batch_bytes": 1024, "batch_messages": (4, 100)}
    assert _worker.messages(8, job) == 100
    assert _worker.messages(64, job) == 16
    assert _worker.messages(1 << 20, job) == 4


def test_channel_results_structure():
    results = bench.run(["queue.Queue", "multiprocessing.Pipe"], settings=TINY)
    assert not results.skipped
    assert results.mode == "bounded" and results.duration > 0
    for subject in ("queue.Queue", "multiprocessing.Pipe"):
        for benchmark, unit in (("throughput", "msg/s"), ("latency", "µs")):
            found = results.select(benchmark, subject)
            assert [m.parameter for m in found] == list(TINY.sizes)
            for m in found:
                assert m.unit == unit
                assert TINY.min_repeats <= len(m.samples) <= TINY.repeats
                assert all(v > 0 for v in m.samples)
                assert m.stats == bench.summarize(m.samples)
    assert results.machine.python == sys.version.split()[0]
    assert results.machine.cores


@pytest.mark.parametrize("name", ["asyncio.Queue", "gevent.queue.Queue"])
def test_coroutine_channels_measure_in_their_own_interpreter(name):
    module = name.split(".")[0]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")
    imported_before = module in sys.modules
    results = bench.run([name], settings=TINY)
    assert not results.skipped, results.skipped
    assert len(results.select("latency", name)) == len(TINY.sizes)
    assert (module in sys.modules) == imported_before  # measured elsewhere


def test_start_methods_and_chunksize():
    results = bench.run(["start-methods", "chunksize"], settings=TINY)
    methods = [m.subject for m in results.select("start")]
    assert set(methods) >= {"thread", bench.machine_info().start_method}
    assert all(m.unit == "ms" and m.parameter is None for m in results.select("start"))
    chunks = results.select("chunksize", "Pool.map")
    assert [m.parameter for m in chunks] == list(TINY.chunksizes)
    text = bench.format_tables(results)
    assert "start method" in text and "chunksize" in text and "IQR" in text


def test_bounded_mode_stays_within_a_coarse_bound():
    started = time.monotonic()
    results = bench.run(["queue.Queue", "multiprocessing.Queue"])
    assert time.monotonic() - started < 30  # about 1 s on an idle 2-core machine
    assert len(results.select("latency")) == 2 * len(bench.BOUNDED.sizes)


def test_a_subject_that_overruns_is_skipped_not_fatal():
    results = bench.run(["queue.Queue"], settings=bench.bounded(worker_timeout=0.001))
    assert "queue.Queue" in results.skipped
    assert "longer than" in results.skipped["queue.Queue"]
    assert not results.measurements
    assert "skipped queue.Queue" in bench.format_tables(results)


def test_unknown_benchmark_is_a_value_error():
    with pytest.raises(ValueError, match="unknown benchmark 'queue.Nope'"):
        bench.run(["queue.Nope"])


def test_json_round_trip_and_keys():
    results = bench.run(["queue.SimpleQueue"], settings=TINY)
    data = json.loads(json.dumps(results.to_json()))
    assert set(data) == {
        "machine",
        "mode",
        "settings",
        "duration",
        "measurements",
        "skipped",
    }
    assert set(data["machine"]) == {
        "python",
        "implementation",
        "os",
        "cpu",
        "cores",
        "start_method",
    }
    first = data["measurements"][0]
    assert set(first) == {
        "benchmark",
        "subject",
        "parameter",
        "unit",
        "samples",
        "stats",
    }
    assert set(first["stats"]) == {"median", "q1", "q3", "minimum", "maximum", "count"}
    assert bench.BenchResults.from_json(data) == results


def test_tables_and_decision_table():
    results = bench.run(needed(), settings=bench.bounded(sizes=(1024,), **_short()))
    latency = bench.channel_table(results, "latency")
    assert "1 KiB (µs)" in latency and "multiprocessing.Queue" in latency
    text = decision_table(results)
    assert max(map(len, text.splitlines())) <= 100
    table = text.split("\n\n")[0].splitlines()  # the first group of columns
    assert len(table) == 2 + len(CHOICES)
    rows = {line.split("  ")[0].strip(): line for line in table[2:]}
    assert set(rows) == {c.tool for c in CHOICES}
    assert f"({results.machine.start_method})" in rows["processes"]
    distributed = rows["distributed"].split()
    assert distributed[1:3] == ["-", "-"]  # not measured on this machine
    # the same tables worded for the Chinese page (rendered as tables there)
    header, zh_rows = bench.table_rows(results, "latency", "zh_CN")
    assert header[0] == "通道" and "四分位距" in header
    assert zh_rows == bench.table_rows(results, "latency")[1]  # same numbers
    header, zh_rows = decision_rows(results, "zh_CN")
    assert header[0] == "工具" and [r[0] for r in zh_rows][:2] == ["线程", "进程"]
    assert not any(
        re.search(r"\b(?:the|no|yes|code|one|many)\b", cell)
        for row in zh_rows
        for cell in row
    )
    with pytest.raises(ValueError, match="unknown table"):
        bench.table_rows(results, "nothing")


def _short() -> dict:
    return {"repeats": 3, "min_repeats": 2, "cap": 0.01, "batch_messages": (2, 20)}


def test_charts(tmp_path):
    pytest.importorskip("matplotlib")
    from concdoc.bench.draw import draw_all, save

    results = bench.run(["queue.Queue", "start-methods"], settings=TINY)
    fig = draw_all(results)
    labels = {ax.get_ylabel() for ax in fig.get_axes()}
    assert {"msg/s", "µs"} <= labels
    path = save(results, tmp_path / "bench.png")
    assert path.stat().st_size > 1000
    empty = bench.BenchResults(bench.machine_info(), "bounded", TINY)
    with pytest.raises(ValueError, match="nothing to draw"):
        draw_all(empty)


def test_benchmark_pages_run_alone_and_vary():
    from conftest import EXAMPLES

    pages = sorted((EXAMPLES / "benchmarks").glob("*.py"))
    assert pages
    for page in pages:
        directives = read_directives(page.read_text(), str(page))
        assert directives.run_alone and directives.output_varies, page.name


def concdoc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "concdoc", "bench", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "queue.Nope"], "unknown benchmark 'queue.Nope'"),
        (["--format", "xml"], "unknown format 'xml'"),
        (["--output", "/nonexistent-dir/x.png"], "does not exist"),
        (["--output", "chart.nope"], "unknown image format"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, message):
    proc = concdoc(*args)
    assert proc.returncode == EXIT_USAGE
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("concdoc bench: error:") and message in line
    assert proc.stdout == ""


def test_cli_json_and_chart(tmp_path):
    chart = tmp_path / "bench.png"
    proc = concdoc("--only", "queue.SimpleQueue", "--format", "json", "-o", str(chart))
    assert proc.returncode == EXIT_OK, proc.stderr
    data = json.loads(proc.stdout)
    assert data["mode"] == "bounded"
    assert {m["subject"] for m in data["measurements"]} == {"queue.SimpleQueue"}
    assert "[1/1] queue.SimpleQueue" in proc.stderr  # progress on stderr
    assert chart.stat().st_size > 1000


def test_cli_table():
    proc = concdoc("--only", "deque+Condition")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "deque+Condition" in proc.stdout and "IQR" in proc.stdout
    assert "CPython" in proc.stdout or "PyPy" in proc.stdout
