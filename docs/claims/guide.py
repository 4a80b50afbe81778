"""Checks behind the guides (docs/guide/*.md), the home page and the README.

These sentences describe concdoc itself: how a run ends, what strict mode
reports, the command line's options, exit statuses, defaults and limits.
The checks run concdoc (in-process where that is cheap, as
``python -m concdoc`` where the exit status is the claim) on small scripts
written into a temporary folder. A number in a sentence is compared with
the constant in the code that it describes, so that neither can drift.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from claims import ROOT, claim, page_source
from claims._util import BOUND
from concdoc import _protocol as proto
from concdoc import bench, cli, semantics, trace
from concdoc._inside.child import THREAD_GRACE
from concdoc.bench import BENCHMARKS, BOUNDED, FULL
from concdoc.blocks import read_directives
from concdoc.chrome import MAIN_THREAD
from concdoc.cli import BENCH_FORMATS, SEMANTICS_FORMATS, build_parser
from concdoc.plot import LANGUAGES
from concdoc.rules import KINDS
from concdoc.runner import (
    DEFAULT_TIMEOUT,
    FIGURE_FORMATS,
    LINGER,
    Status,
    _Capture,
    run_example,
)
from concdoc.semantics import reports_to_json
from concdoc.semantics.model import BLOCK_BOUND
from concdoc.sphinxext.runs import chrome_path, timeline_path
from concdoc.stamps import trace_download
from concdoc.texttable import WIDTH, format_table
from concdoc.trace import load_trace, now

RUN = "guide/how-examples-run"
CLI = "guide/cli"
TRACE = "guide/trace-your-own-script"
TRANSLATING = "guide/translating"
PAGE = RUN

#: A script with two blocks, a worker thread and queue calls (traced checks).
QUEUE_SCRIPT = """\
import queue
import threading

jobs = queue.Queue(maxsize=1)


def consume():
    for _ in range(3):
        jobs.get()


worker = threading.Thread(target=consume, name="consumer")
worker.start()
for item in range(3):
    jobs.put(item)
worker.join()
"""


@contextlib.contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _write(folder: Path, source: str, name: str = "script.py") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def _run(source: str, **options):
    """``run_example`` on ``source`` written to a temporary script."""
    with _folder() as folder:
        return run_example(_write(folder, source), **options)


def _concdoc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m concdoc ARGS`` in a fresh interpreter (bounded)."""
    return subprocess.run(
        [sys.executable, "-m", "concdoc", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def _page(page: str) -> str:
    return page_source(page).read_text(encoding="utf-8")


def _fenced(page: str, containing: str) -> str:
    """The body of the fenced block of ``page`` that contains ``containing``."""
    for body in re.findall(r"^```\w*\n(.*?)^```", _page(page), re.S | re.M):
        if containing in body:
            return body
    raise AssertionError(f"no fenced block with {containing!r} on {page}")


#: ``ast.parse`` from several threads at once can fail on CPython 3.11
#: ("AST constructor recursion depth mismatch"); the checks run side by side.
_AST_LOCK = threading.Lock()


def _parse(path: Path) -> ast.Module:
    with _AST_LOCK:
        return ast.parse(path.read_text(encoding="utf-8"))


def _conf_value(name: str):
    """A value assigned in docs/conf.py, read without running the file."""
    tree = _parse(ROOT / "docs" / "conf.py")
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"docs/conf.py does not set {name}")


# -- how the examples run ----------------------------------------------------


@claim("`concdoc_timeout` in `conf.py` (60 s)")
def build_timeout_is_60():
    assert _conf_value("concdoc_timeout") == 60 == DEFAULT_TIMEOUT


@claim(
    "A pool worker then dies of an `AttributeError` while unpickling its task, "
    "the pool starts a new worker in its place, the task's result never arrives",
    alone=True,
)
def stand_in_main_loses_the_task():
    result = subprocess.run(
        [sys.executable, "-c", _STAND_IN_MAIN],
        capture_output=True,
        text=True,
        timeout=BOUND * 6,
    )
    assert "AttributeError: Can't get attribute 'double'" in result.stderr, result
    assert result.stdout.split() == ["no-result", "replaced"], result


# The shape sphinx-gallery gives an example: a stand-in __main__ without
# __file__, the function defined in it, a spawn pool asked for one result.
_STAND_IN_MAIN = """
import multiprocessing, sys, time, types
main = types.ModuleType("__main__")
real, sys.modules["__main__"] = sys.modules["__main__"], main
exec("def double(x):\\n    return 2 * x\\n", main.__dict__)
try:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        first = {p.pid for p in pool._pool}
        result = pool.map_async(main.double, [1])
        try:
            result.get(timeout=3)
            print("result")
        except multiprocessing.TimeoutError:
            print("no-result")
        # the replacement can take a while to start on a loaded machine
        deadline = time.monotonic() + 30
        while {p.pid for p in pool._pool} == first and time.monotonic() < deadline:
            time.sleep(0.05)
        print("replaced" if {p.pid for p in pool._pool} != first else "same")
finally:
    sys.modules["__main__"] = real
"""


@claim("The page shows the traceback, trimmed to the example's own frames", alone=True)
def traceback_trimmed():
    result = _run("def fail():\n    raise ValueError('boom')\n\nfail()\n")
    files = re.findall(r'File "([^"]+)"', result.traceback or "")
    assert files and all(f.endswith("script.py") for f in files), result.traceback
    assert not result.ok


@claim(
    "`# concdoc: expected-failure`, in which case the run fails if it does *not* raise",
    alone=True,
)
def expected_failure_must_raise():
    quiet = _run("# concdoc: expected-failure\nprint('fine')\n")
    raising = _run("# concdoc: expected-failure\nraise KeyError('k')\n")
    assert not quiet.ok and raising.ok


@claim(
    "A `sys.exit(n)` in a block ends the run there, the same way, and the run "
    'reports "exited with status n"',
    alone=True,
)
def sys_exit_status_reported():
    result = _run("import sys\n\nsys.exit(3)\nprint('not reached')\n")
    assert "exited with status 3" in result.reason
    assert "not reached" not in result.output and not result.ok


@claim(
    "it waits for every thread that is not a daemon thread; 2. it runs the "
    "`atexit` handlers",
    alone=True,
)
def threads_before_atexit():
    result = _run(
        """\
        import atexit
        import threading

        atexit.register(print, "atexit handler")
        late = threading.Event()
        threading.Thread(target=lambda: (late.wait(0.3), print("thread ends"))).start()
        """
    )
    assert result.output.split("\n")[:2] == ["thread ends", "atexit handler"], (
        result.output
    )


@claim(
    "a thread that never ends makes the run time out, and the message says it "
    "happened while the interpreter was shutting down, with the stack of every "
    "thread",
    alone=True,
)
def endless_thread_times_out_at_shutdown():
    result = _run(
        """\
        import threading

        threading.Thread(target=threading.Event().wait, name="forever").start()
        """,
        timeout=5.0,  # the last block must end first, even on a loaded machine
    )
    assert result.status is Status.TIMEOUT
    assert "while the interpreter was shutting down" in result.reason
    assert "where each thread was" in result.output and "in wait" in result.output


@claim("the processes it started get two seconds to finish")
def linger_is_two_seconds():
    assert LINGER == 2.0


@claim(
    "What plain Python does silently is printed as a note after the output: a "
    "thread, process or greenlet that died of an uncaught exception (Python prints "
    "its traceback and carries on), a thread still running after the last block "
    "(the interpreter waited for it), a process joined or terminated by "
    "multiprocessing at exit, a daemon thread cut off at exit, a process still "
    "alive after the interpreter exited (killed).",
    alone=True,
)
def plain_mode_notes():
    result = _run(
        """\
        import atexit
        import multiprocessing
        import subprocess
        import sys
        import threading


        def pause(release):
            release.wait(30)


        def fail():
            raise RuntimeError("on purpose")


        if __name__ == "__main__":
            # still running at the last block whatever the machine's load: the
            # thread until the main thread ends, the child until an atexit
            # handler (registered after multiprocessing's own, so run first)
            release = multiprocessing.Event()
            atexit.register(release.set)
            failing = threading.Thread(target=fail)
            failing.start()
            failing.join()  # its traceback printed: no lock held at the fork
            threading.Thread(target=threading.main_thread().join, args=(30,)).start()
            crash = multiprocessing.Process(target=fail, name="crash")
            crash.start()
            crash.join()
            threading.Thread(target=threading.Event().wait, daemon=True).start()
            multiprocessing.Process(target=pause, args=(release,), name="child").start()
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
            print("last line")
        """
    )
    notes = " | ".join(map(str, result.notes))
    assert result.ok, result.reason  # python file.py exits 0 too
    assert "RuntimeError: on purpose" in result.output  # the traceback, printed
    assert "last line" in result.output  # and the script carried on
    for said in (
        "thread 'Thread-1 (fail)' died of an uncaught exception",
        "process 'crash' died of an uncaught exception",
        "the interpreter waited for it at exit",
        "multiprocessing joined it at exit",
        "was cut off",
        "still running after the interpreter exited; it was killed",
    ):
        assert said in notes, (said, notes)


@claim(
    "``thread 'worker', started in the code block at lines 12-20, was still "
    "running after the last code block``",
    alone=True,
)
def strict_message_names_thread_and_block():
    lines = (
        ['"""A docstring on lines 1-9.\n']
        + ["\n"] * 7
        + ['"""\n', "\n", "# %%\n"]
        + [
            "import threading\n",
            "\n",
            "main = threading.main_thread()\n",
            "worker = threading.Thread(\n",
            "    target=main.join,  # ends when the script's code has\n",
            "    args=(30,),\n",
            '    name="worker",\n',
            ")\n",
            "worker.start()\n",
        ]
    )
    result = _run("".join(lines), strict=True)
    assert [str(v) for v in result.violations] == [
        "thread 'worker', started in the code block at lines 12-20, was still "
        "running after the last code block"
    ], result.violations


@claim("gives daemon threads one second to end")
def daemon_grace_is_one_second():
    assert THREAD_GRACE == 1.0


@claim(
    "An `atexit` handler therefore no longer finds the script's globals in a "
    "strict run that got that far.",
    alone=True,
)
def strict_drops_globals_before_atexit():
    source = """\
        import atexit

        value = 5
        atexit.register(lambda: print("value" in globals()))
        """
    assert _run(source).output == "True\n"
    assert _run(source, strict=True).output == "False\n"


@claim("`trace` judges a run exactly as `run`\ndoes.", alone=True)
def trace_judges_as_run():
    source = """\
        import threading

        # running at the last block in both runs: it ends with the main thread
        late = threading.Thread(target=threading.main_thread().join, args=(30,))
        late.start()
        """
    plain, traced = _run(source, strict=True), _run(source, strict=True, trace=True)
    assert traced.trace is not None and plain.trace is None
    assert (traced.status, traced.violations) == (plain.status, plain.violations)
    assert not plain.ok


@claim("The kinds of violation, as {data}`concdoc.rules.KINDS` names them:")
def kinds_table_is_complete():
    table = re.findall(r"^\| `([a-z-]+)` \|", _page(RUN), re.M)
    assert tuple(table) == KINDS, table


@claim(
    "such as `# concdoc: allow = thread-exception` (several kinds separated by commas)"
)
def allow_takes_a_list():
    source = "# concdoc: allow = thread-exception, running-process\n"
    assert read_directives(source).allow == {"thread-exception", "running-process"}


@claim(
    "One line says where output was cut and how much; the block boundaries still hold."
)
def cut_output_is_announced():
    marker = b"\x00MARK"
    capture = _Capture(marker, head=64, tail=32)
    capture.add(marker + b"0\x00" + b"a" * 500)
    capture.add(marker + b"1\x00" + b"b" * 500 + b"end\n")
    first, second = capture.split(2)
    assert "output cut:" in first and "bytes dropped here" in first, first
    assert second.endswith("end\n") and "a" not in second, second
    assert proto.marker_pattern(marker)  # the markers are what split the blocks


# -- the command line ----------------------------------------------------------


def _options(command: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return {
        option
        for action in sub._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def _synopsis_matches(command: str) -> None:
    """The options of the page's synopsis are the parser's, with their values."""
    import multiprocessing

    block = _fenced(CLI, f"python -m concdoc {command} ")
    assert set(re.findall(r"--[a-z-]+", block)) == _options(command), block
    values = {
        "--start-method": tuple(multiprocessing.get_all_start_methods()),
        "--figure-format": FIGURE_FORMATS,
        "--language": tuple(LANGUAGES),
        "--format": BENCH_FORMATS if command == "bench" else SEMANTICS_FORMATS,
    }
    for option, listed in re.findall(r"(--[a-z-]+) (\w+(?:\|\w+)+)", block):
        assert tuple(listed.split("|")) == values[option], (option, listed)


@claim("python -m concdoc run PATH [--timeout SECONDS] [--strict]", page=CLI)
def run_synopsis():
    _synopsis_matches("run")


@claim(
    "python -m concdoc trace PATH [--output FILE] [--json FILE] [--chrome FILE]",
    page=CLI,
)
def trace_synopsis():
    _synopsis_matches("trace")


@claim("python -m concdoc semantics [--format table|json] [--only NAME ...]", page=CLI)
def semantics_synopsis():
    _synopsis_matches("semantics")


@claim(
    "python -m concdoc bench [--full] [--only NAME ...] [--format table|json] "
    "[--output FIG.png]",
    page=CLI,
)
def bench_synopsis():
    _synopsis_matches("bench")


@claim(
    "By default the script's own `# concdoc: timeout = SECONDS` line applies, or "
    "else 60 s.",
    page=CLI,
)
def cli_default_timeout():
    assert DEFAULT_TIMEOUT == 60
    assert build_parser().parse_args(["run", "x.py"]).timeout is None  # the runner's


@claim(
    "The script runs in its own folder, so relative paths in it are\nrelative to "
    "the script, wherever the command is started.",
    page=CLI,
    alone=True,
)
def runs_in_the_scripts_folder():
    with _folder() as folder:
        (folder / "inner").mkdir()
        _write(folder / "inner", "print(open('data.txt').read())\n")
        (folder / "inner" / "data.txt").write_text("found\n")
        proc = _concdoc("run", "inner/script.py", cwd=folder)
    assert proc.returncode == 0 and "found" in proc.stdout, proc


@claim("A script that calls `set_start_method` itself still can.", page=CLI, alone=True)
def script_sets_its_own_start_method():
    source = """\
        import multiprocessing

        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            print(multiprocessing.get_start_method())
        """
    result = _run(source, start_method="fork")
    assert result.ok and result.output == "spawn\n", (result.reason, result.output)


@claim("Image format of the saved figures (default `png`).", page=CLI)
def figure_format_default():
    assert build_parser().parse_args(["run", "x.py"]).figure_format == "png"


@claim(
    "`3` the time limit expired, during a block or while the interpreter was "
    "shutting down, `130` interrupted",
    page=CLI,
    alone=True,
)
def exit_statuses():
    with _folder() as folder:
        cases = {
            "print(1)\n": 0,
            "raise ValueError\n": 1,
            "import sys\nsys.exit(4)\n": 1,
            "# concdoc: expected-failure\nraise ValueError\n": 0,
            "import time\ntime.sleep(30)\n": 3,
        }
        for number, (source, status) in enumerate(cases.items()):
            path = _write(folder, source, f"s{number}.py")
            limit = "1" if status == 3 else "60"  # start-up is slow under load
            got = _concdoc("run", "--timeout", limit, str(path)).returncode
            assert got == status, (source, got)
        assert _concdoc("run", str(folder / "missing.py")).returncode == 2
        # Ctrl-C arrives as KeyboardInterrupt in the command's own process
        original = cli.run_example

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        cli.run_example = interrupted
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                assert cli.main(["run", str(_write(folder, "print(1)\n"))]) == 130
        finally:
            cli.run_example = original


@claim(
    "Bad arguments get a one-line message on standard error, after argparse's "
    "usage summary when the option itself is malformed, never a traceback.",
    page=CLI,
    alone=True,
)
def bad_arguments_one_line():
    with _folder() as folder:
        good = _write(folder, "print(1)\n")
        missing = _concdoc("run", str(folder / "missing.py"))
        assert len(missing.stderr.splitlines()) == 1, missing.stderr
        malformed = _concdoc("run", "--timeout", "0", str(good))
        lines = malformed.stderr.splitlines()
        assert lines[0].startswith("usage:") and "error:" in lines[-1], lines
        for proc in (missing, malformed):
            assert proc.returncode == 2 and "Traceback" not in proc.stderr


@claim("the command prints each block's output under the lines it came from:", page=CLI)
def run_transcript():
    script = _fenced(CLI, 'print("first block")')
    shown = _fenced(CLI, "$ python -m concdoc run two_blocks.py")
    with _folder() as folder:
        _write(folder, script, "two_blocks.py")
        proc = _concdoc("run", "two_blocks.py", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    expected = shown.split("\n", 1)[1]
    assert proc.stdout == expected, (proc.stdout, expected)


@cache
def _traced() -> tuple[tempfile.TemporaryDirectory[str], str]:
    """``concdoc trace`` of :data:`QUEUE_SCRIPT` (plus a mark), once: the folder
    holding its files (kept as long as the cache) and what it printed."""
    folder = tempfile.TemporaryDirectory(prefix="concdoc-claims-")
    source = QUEUE_SCRIPT + "\nfrom concdoc import trace\n\ntrace.mark('done')\n"
    _write(Path(folder.name), source, "queues.py")
    proc = _concdoc(
        "trace", "queues.py", "--json", "events.jsonl", "--chrome", "trace.json",
        cwd=Path(folder.name),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return folder, proc.stdout


def _trace_files() -> Path:
    return Path(_traced()[0].name)


@claim(
    "Without `--output`, `--json` and `--chrome`, the chart goes to "
    "`SCRIPT-timeline.png` in the current folder.",
    page=CLI,
    alone=True,
)
def trace_default_chart_name():
    with _folder() as folder:
        _write(folder, QUEUE_SCRIPT, "queues.py")
        proc = _concdoc("trace", "queues.py", cwd=folder)
        assert proc.returncode == 0, proc.stderr
        assert [p.name for p in folder.glob("*.png")] == ["queues-timeline.png"]


@claim(
    "Write the recorded events as JSON lines (actors first, then events in time "
    "order); {func}`concdoc.trace.load_trace` reads the file back. The command "
    "says how many events and actors it wrote.",
    page=CLI,
    alone=True,
)
def trace_json_lines():
    folder = _trace_files()
    records = [
        json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()
    ]
    kinds = [r["k"] for r in records]
    actors = kinds.count("actor")
    assert kinds[:actors] == ["actor"] * actors and actors < len(kinds)
    times = [r["t"] for r in records[actors:]]
    assert times == sorted(times)
    loaded = load_trace(folder / "events.jsonl")
    assert set(loaded.actors) == {r["a"] for r in records[:actors]}
    assert loaded.spans(name="put") and loaded.spans(name="get")
    said = f"{len(kinds) - actors} events and {actors} actors"
    assert said in _traced()[1]


@claim(
    "bad arguments (a missing output folder, an\nunknown image format) exit with "
    "`2` before the script runs",
    page=CLI,
    alone=True,
)
def trace_bad_output_before_running():
    with _folder() as folder:
        _write(folder, "open('ran', 'w').close()\n", "touch.py")
        for output in ("missing/chart.png", "chart.notaformat"):
            proc = _concdoc("trace", "touch.py", "--output", output, cwd=folder)
            assert proc.returncode == 2, (output, proc.stderr)
        assert not (folder / "ran").exists()


@cache
def _queue_report():
    return semantics.probe_all(["queue.Queue", "concurrent.interpreters.Queue"])


@claim(
    "A call that would wait forever is given up after 0.2 s and released from "
    "the other side",
    page=CLI,
)
def block_bound():
    assert BLOCK_BOUND == 0.2
    cell = _queue_report()["queue.Queue"].cells["get-empty/block"]
    assert cell.outcome == "blocks" and "0.2 s" in cell.note, cell


@claim(
    'each value has\n  `available`, `reason`, `cells` (keyed `"<table>/<column>"`, '
    "each with\n  `outcome`, `value`, `elapsed`, `call`, `note`) and `timing`",
    page=CLI,
)
def semantics_json_shape():
    data = reports_to_json(_queue_report())
    value = data["queue.Queue"]
    assert set(value) == {"available", "reason", "cells", "timing"}
    for key, cell in value["cells"].items():
        assert re.fullmatch(r"[\w-]+/[\w-]+", key), key
        assert set(cell) == {"outcome", "value", "elapsed", "call", "note"}
    assert all(len(pair) == 2 for pair in value["timing"])


@claim(
    "(the interpreters queue before 3.14, `shutdown()` before 3.13) or is not "
    "installed (gevent) is reported as such, not as an error.",
    page=CLI,
)
def missing_implementations_reported():
    reports = _queue_report()
    interpreters = reports["concurrent.interpreters.Queue"]
    assert interpreters.available == (sys.version_info >= (3, 14))
    shutdown = reports["queue.Queue"].cells["shutdown/put"]
    assert (shutdown.outcome == "n/a") == (sys.version_info < (3, 13)), shutdown


@claim("a table wider than 100\ncolumns is cut into narrower ones", page=CLI)
def semantics_table_width():
    assert WIDTH == 100


@claim("Tables\nwider than 100 columns are cut into narrower ones", page=CLI)
def bench_table_width():
    assert WIDTH == 100
    header = ["subject"] + [f"column {i}" for i in range(20)]
    text = format_table(header, [["row"] + [f"{i:>9}" for i in range(20)]])
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert text.count("subject") > 1  # cut into tables that repeat the names


@claim(
    "`0`\nthe matrix was printed, `2` unknown format or implementation name "
    "(one-line\nmessage).",
    page=CLI,
    alone=True,
)
def semantics_usage_errors():
    for args in (["--format", "xml"], ["--only", "no.such.Queue"]):
        proc = _concdoc("semantics", *args)
        assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc


@claim("Ten message sizes instead of four (both from 8 B to 1 MiB)", page=CLI)
def bench_sizes():
    assert (len(FULL.sizes), len(BOUNDED.sizes)) == (10, 4)
    for settings in (FULL, BOUNDED):
        assert (min(settings.sizes), max(settings.sizes)) == (8, 1024 * 1024)
    assert FULL.repeats > BOUNDED.repeats and FULL.cap > BOUNDED.cap


@claim(
    "channel names (`queue.Queue`,\n  `multiprocessing.Pipe`, `Manager.Queue`, ...), "
    "`start-methods`,\n  `chunksize`.",
    page=CLI,
)
def bench_names():
    wanted = {"queue.Queue", "multiprocessing.Pipe", "Manager.Queue"}
    assert wanted | {"start-methods", "chunksize"} <= set(BENCHMARKS)


@claim(
    "`json` prints one object with `machine`, `mode`, `settings`,\n  `duration`, "
    "`measurements` (each with `benchmark`, `subject`,\n  `parameter`, `unit`, "
    "`samples` and `stats`) and `skipped`.",
    page=CLI,
    alone=True,
)
def bench_json_shape():
    import dataclasses

    tiny = dataclasses.replace(bench.BOUNDED, sizes=(8,), repeats=3, warmup=0)
    data = bench.run(["queue.Queue"], settings=tiny).to_json()
    assert set(data) == {
        "machine", "mode", "settings", "duration", "measurements", "skipped",
    }  # fmt: skip
    assert data["measurements"]
    for measurement in data["measurements"]:
        assert set(measurement) == {
            "benchmark", "subject", "parameter", "unit", "samples", "stats",
        }  # fmt: skip


@claim(
    "Exit status: `0` the results were printed, `2` unknown format or benchmark\n"
    "name, or an `--output` that cannot be written (one-line message).",
    page=CLI,
    alone=True,
)
def bench_usage_errors():
    for args in (
        ["--format", "xml"],
        ["--only", "no-such-benchmark"],
        ["--output", "/no/such/folder/chart.png"],
    ):
        proc = _concdoc("bench", *args)
        assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc


# -- tracing your own script -----------------------------------------------------


@cache
def _chrome() -> list[dict]:
    data = json.loads((_trace_files() / "trace.json").read_text())
    return data["traceEvents"] if isinstance(data, dict) else data


@claim('a process\'s own main thread\nis called "main thread"', page=TRACE, alone=True)
def chrome_main_thread():
    names = [e["args"]["name"] for e in _chrome() if e.get("name") == "thread_name"]
    assert MAIN_THREAD == "main thread" and MAIN_THREAD in names, names


@claim(
    "marks are\ninstants; each queue's size is a counter track in the process "
    "that measured\nit. Times count from the first event of the run.",
    page=TRACE,
    alone=True,
)
def chrome_marks_counters_and_origin():
    events = _chrome()
    phases = {e["ph"] for e in events}
    assert {"X", "i", "C"} <= phases, phases
    assert min(e["ts"] for e in events if "ts" in e) == 0


@claim(
    "A script may add its own events. They do nothing when the script is not traced",
    page=TRACE,
)
def marks_do_nothing_untraced():
    assert trace.active_recorder() is None  # no CONCDOC_TRACE_DIR here
    ran = []
    assert trace.mark("phase 2 starts") is None
    with trace.span("load data", state="running"):
        ran.append(True)
    assert ran == [True]


@claim(
    "Every example page that shows a timeline links its run's trace\n"
    '("Download the run\'s trace") as Chrome Trace Event JSON',
    page=TRACE,
)
def trace_download_link():
    assert trace_download("en").startswith("Download the run's trace (Chrome Trace")
    # the trace is written beside the timeline, only where a timeline is drawn
    assert chrome_path("images/sg_tl_002.png") == "images/sg_tl_002.trace.json"


@claim("Every event is stamped with {func}`time.monotonic_ns`", page=TRACE)
def monotonic_clock():
    import time

    assert now is time.monotonic_ns


@claim(
    "See {mod}`concdoc.trace` and {mod}`concdoc.plot` in the", page=TRACE, alone=True
)
def reading_events_sample_runs():
    sample = _fenced(TRACE, 'run_example("my_script.py", trace=True)')
    with _folder() as folder:
        _write(folder, QUEUE_SCRIPT, "my_script.py")
        _write(folder, sample, "read.py")
        proc = subprocess.run(
            [sys.executable, "read.py"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=folder,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert len(lines) == 3 and all(line.endswith(" ms") for line in lines), lines
        assert (folder / "timeline.png").stat().st_size > 0


@claim(
    "the English file keeps the figure's name, another language `xx` gets "
    "`<name>.xx.png`",
    page=TRACE,
)
def timeline_file_per_language():
    assert timeline_path("images/tl.png", "en") == "images/tl.png"
    assert timeline_path("images/tl.png", "zh_CN") == "images/tl.zh_CN.png"
    assert _conf_value("figure_language_filename") == "{root}.{language}{ext}"
    assert _conf_value("concdoc_trace") is True


BUSY_LOCK = """\
import threading

guard = threading.Lock()
with guard:  # free: taken at once
    print(guard.acquire(timeout=0.01))  # held by this very thread: waits, fails
for _ in range(OBJECT_EVENT_LIMIT):
    with guard:
        pass
"""


@cache
def _busy_lock() -> trace.Trace:
    source = BUSY_LOCK.replace("OBJECT_EVENT_LIMIT", str(trace.OBJECT_EVENT_LIMIT))
    result = _run(source, trace=True)
    assert result.trace is not None, result.output
    return result.trace


@claim("an acquire that takes the lock at once is not recorded", page=TRACE)
def acquire_at_once_not_recorded():
    (waited,) = _busy_lock().spans(name="acquire")  # of the limit + 2 calls
    assert waited.state == "blocked" and waited.duration >= 0.01e9


@claim(
    "When the process ends, it writes one `left out` mark per such\nobject, at "
    "the moment of the first event it did not write and on that\nevent's lane, "
    "with their number.",
    page=TRACE,
)
def left_out_mark():
    busy = _busy_lock()
    written = [e for e in busy.events if e.args.get("object") == "guard"]
    (report,) = busy.marks(name=trace.LEFT_OUT)
    # the wait, the first release and one release per take of the loop: two
    # events more than the limit, the last two
    assert len(written) == trace.OBJECT_EVENT_LIMIT + 1  # the report included
    assert report.args == {"object": "guard", "left_out": 2}
    assert report.start >= max(e.start for e in written if e is not report)
    assert busy.left_out() == {"guard": 2}


# -- the library reference ------------------------------------------------------


@claim(
    "Its modules know\nnothing of Sphinx, except :mod:`concdoc.sphinxext`, the glue.",
    page="guide/api",
)
def only_the_glue_imports_sphinx():
    package = ROOT / "src" / "concdoc"
    for path in sorted(package.rglob("*.py")):
        if "sphinxext" in path.relative_to(package).parts:
            continue
        tree = _parse(path)
        imported = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }  # fmt: skip
        sphinx = {
            n for n in imported if n.split(".")[0] in ("sphinx", "sphinx_gallery")
        }
        assert not sphinx, f"{path.relative_to(ROOT)} imports {sorted(sphinx)}"


# -- the home page, the README, translating ------------------------------------


@claim(
    "The examples need only the standard library, plus `greenlet`, `gevent` or "
    "`dask.distributed` where that is what they teach; the benchmark pages "
    "measure with concdoc itself and draw with matplotlib",
    page="index",
)
def examples_imports():
    taught = {"gevent", "greenlet", "dask", "distributed"}
    measuring = {"concdoc", "matplotlib"}  # the benchmark chapter only
    for path in sorted((ROOT / "examples").rglob("*.py")):
        tree = _parse(path)
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and not node.level
        }
        extra = names - set(sys.stdlib_module_names) - taught
        if path.parent.name == "benchmarks":
            extra -= measuring
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


@claim(
    "3 if its time limit expired (default\n60 s, or the script's own "
    "`# concdoc: timeout = SECONDS` line; `--timeout`\noverrides both)",
    page="README",
)
def readme_default_timeout():
    assert DEFAULT_TIMEOUT == 60


@claim(
    "The\n  compiled `.mo` files are made by every Chinese build and are not "
    "committed.",
    page=TRANSLATING,
)
def mo_files_not_committed():
    listed = subprocess.run(
        ["git", "ls-files", "docs/locales"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=BOUND,
    )
    if listed.returncode != 0:  # not a git checkout (a source archive)
        return
    assert not [f for f in listed.stdout.splitlines() if f.endswith(".mo")]
    assert "docs/locales/**/*.mo" in (ROOT / ".gitignore").read_text()


@claim(
    "Each of these had two or more renderings; the glossary keeps one.",
    page=TRANSLATING,
)
def drift_table_matches_glossary():
    glossary = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)`[^|]* \| `([^`]+)` \|", _page(TRANSLATING), re.M)
    assert len(rows) >= 8, rows
    for english, chinese in rows:
        english = english.rstrip(":")
        assert re.search(
            rf"^\|[^|\n]*{re.escape(english)}[^|\n]*\|[^|\n]*{re.escape(chinese)}",
            glossary,
            re.M,
        ), (english, chinese)
