"""``python -m concdoc run``: output, exit statuses, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import HUNG_BLOCK_LINES, HUNG_PIDFILE

from concdoc.cli import EXIT_EXAMPLE_FAILED, EXIT_OK, EXIT_TIMEOUT, EXIT_USAGE


def concdoc(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "concdoc", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_help_explains_options_and_statuses():
    out = concdoc("run", "--help").stdout
    for word in (
        "--timeout",
        "--start-method",
        "forkserver",
        "--figures",
        "exit status",
    ):
        assert word in out


def test_prints_blocks_with_worker_output(script):
    path = script(
        '''
        """Pool"""
        import multiprocessing

        def hello(i):
            print(f"hello from worker {i}")

        # %%

        if __name__ == "__main__":
            with multiprocessing.get_context("spawn").Pool(2) as pool:
                pool.map(hello, range(3))
        '''
    )
    proc = concdoc("run", str(path))
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "── block 1: lines 3-6 ──" in proc.stdout
    assert "── block 2: lines 10-12 ──" in proc.stdout
    for i in range(3):
        assert f"hello from worker {i}" in proc.stdout


def test_exception_exit_status_and_traceback(script):
    path = script("print('a')\nraise RuntimeError('boom')\n")
    proc = concdoc("run", str(path))
    assert proc.returncode == EXIT_EXAMPLE_FAILED
    assert "RuntimeError: boom" in proc.stdout  # the traceback, as on the page
    (reason,) = proc.stderr.strip().splitlines()
    assert reason.endswith("RuntimeError: boom in the code block at lines 1-2")


def test_hung_script_is_killed_within_timeout_plus_5s(hung_tree):
    path, survivors = hung_tree
    proc = concdoc("run", str(path), "--timeout", "2")
    ended = time.time()
    # timed from when the script was running (it wrote its pids), not from the
    # start of the CLI's interpreter: importing concdoc alone took over 2 s on
    # a loaded 2-core machine
    running = path.with_name(HUNG_PIDFILE).stat().st_mtime
    assert ended - running < 2 + 5
    assert proc.returncode == EXIT_TIMEOUT
    (reason,) = proc.stderr.strip().splitlines()
    assert "timed out after 2 s" in reason and HUNG_BLOCK_LINES in reason
    assert survivors() == []


def test_expected_failure_exits_zero(script):
    path = script("# concdoc: expected-failure\nraise ValueError('meant')\n")
    proc = concdoc("run", str(path))
    assert proc.returncode == EXIT_OK
    assert "failed as expected" in proc.stderr


def test_figures_option(script, tmp_path):
    path = script("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n", "drawing.py")
    out_dir = tmp_path / "figs"
    proc = concdoc("run", str(path), "--figures", str(out_dir))
    assert proc.returncode == EXIT_OK, proc.stderr
    assert (out_dir / "drawing_001.png").is_file()
    assert "[figure: " in proc.stdout


def _one_line_usage_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode == EXIT_USAGE
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr.strip().splitlines()[-1]


def test_bad_input_is_one_line_error(script, tmp_path):
    good = script("print(1)\n")
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    broken = script("def (:\n", "broken.py")
    _one_line_usage_error(concdoc("run", str(tmp_path / "nope.py")), "no such file")
    _one_line_usage_error(concdoc("run", str(tmp_path)), "is a directory")
    _one_line_usage_error(concdoc("run", str(text)), "not a Python script")
    _one_line_usage_error(concdoc("run", str(broken)), "not valid Python at line 1")
    _one_line_usage_error(concdoc("run", str(good), "--timeout", "0"), "positive")
    _one_line_usage_error(concdoc("run", str(good), "--timeout", "x"), "number")
    _one_line_usage_error(
        concdoc("run", str(good), "--start-method", "threads"), "invalid choice"
    )
    _one_line_usage_error(concdoc(), "required")


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("0", "positive"),
        ("-1", "positive"),
        ("nan", "positive"),
        ("inf", "positive"),
        ("abc", "number of seconds"),
        ("", "number of seconds"),
    ],
)
def test_bad_timeout_is_one_line_error(script, value, needle):
    good = script("print(1)\n")
    _one_line_usage_error(concdoc("run", str(good), f"--timeout={value}"), needle)


def test_unknown_figure_format_is_one_line_error(script, tmp_path):
    good = script("print(1)\n")
    proc = concdoc(
        "run", str(good), "--figures", str(tmp_path), "--figure-format", "gif"
    )
    _one_line_usage_error(proc, "invalid choice: 'gif'")


def test_figures_into_a_file_is_one_line_error(script):
    good = script("print(1)\n")
    _one_line_usage_error(
        concdoc("run", str(good), "--figures", str(good)), "--figures"
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file"
)
def test_unreadable_file_is_one_line_error(script):
    path = script("print(1)\n", "secret.py")
    path.chmod(0)
    _one_line_usage_error(concdoc("run", str(path)), "cannot read")


def test_leak_exits_1_naming_it(script):
    path = script(
        """
        import threading
        stop = threading.Event()
        threading.Thread(target=stop.wait, args=(60,), name="pump", daemon=True).start()
        """,
        "leaky.py",
    )
    plain = concdoc("run", str(path))  # python leaky.py exits 0 too
    assert plain.returncode == EXIT_OK, plain.stderr
    assert "[note: daemon thread 'pump' was still running when" in plain.stdout
    for command in ("run", "trace"):
        extra = ["--json", os.devnull] if command == "trace" else []
        strict = concdoc(command, "--strict", str(path), *extra)
        assert strict.returncode == EXIT_EXAMPLE_FAILED
        assert "[house rule broken, running-thread: daemon thread 'pump'" in (
            strict.stdout
        )
        (reason,) = strict.stderr.strip().splitlines()
        assert "leaky.py: broke the house rules (strict mode)" in reason


def test_sys_exit_status_is_reported(script):
    proc = concdoc("run", str(script("import sys\nsys.exit(4)\n", "quits.py")))
    assert proc.returncode == EXIT_EXAMPLE_FAILED
    assert "quits.py: exited with status 4 in the code block at lines 1-2" in (
        proc.stderr
    )


TRACED = """
import queue, threading

q = queue.Queue(maxsize=1)

def produce():
    for n in range(3):
        q.put(n)

t = threading.Thread(target=produce, name="producer")
t.start()
print([q.get() for _ in range(3)])
t.join()
"""


def test_trace_prints_output_and_writes_chart_and_events(script, tmp_path):
    from concdoc.trace import load_trace

    path = script(TRACED)
    chart, events = tmp_path / "t.png", tmp_path / "e.jsonl"
    chrome = tmp_path / "e.json"
    proc = concdoc(
        "trace",
        str(path),
        "-o",
        str(chart),
        "--json",
        str(events),
        "--chrome",
        str(chrome),
        "--language",
        "zh_CN",
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "[0, 1, 2]" in proc.stdout
    assert f"[timeline: {chart}]" in proc.stdout
    assert chart.read_bytes().startswith(b"\x89PNG")
    trace = load_trace(events)
    assert trace.actor_named("producer", "thread")
    assert len(trace.spans(name="put")) == 3
    # it reports the lines it wrote
    lines = events.read_text().splitlines()
    events_written = len(lines) - len(trace.actors)
    assert (
        f"{events_written} events and {len(trace.actors)} actors, {len(lines)} lines"
        in proc.stdout
    )
    document = json.loads(chrome.read_text())
    spans = [e for e in document["traceEvents"] if e["ph"] == "X"]
    assert sum(e["name"] == "put" for e in spans) == 3
    assert f"[Chrome trace: {chrome}: {len(trace)} events" in proc.stdout


def test_trace_default_output_and_bad_input(script, tmp_path):
    path = script(TRACED, "traced.py")
    proc = subprocess.run(
        [sys.executable, "-m", "concdoc", "trace", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    assert (tmp_path / "traced-timeline.png").is_file()
    _one_line_usage_error(
        concdoc("trace", str(path), "--language", "fr"), "unknown language 'fr'"
    )
    _one_line_usage_error(
        concdoc("trace", str(path), "-o", str(tmp_path / "no" / "x.png")),
        "does not exist",
    )
    _one_line_usage_error(
        concdoc("trace", str(path), "-o", str(tmp_path / "x.doc")),
        "unknown image format",
    )
    _one_line_usage_error(concdoc("trace", str(tmp_path / "nope.py")), "no such file")
    assert "--language" in concdoc("trace", "--help").stdout
