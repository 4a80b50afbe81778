"""concdoc._inside.boot.sitecustomize: the hook every interpreter of a run loads.

Each test starts an interpreter with the hook's folder first on
``PYTHONPATH``, as the runner does, and the run's variables it names (from
:mod:`concdoc._protocol`); the interpreter prints what it finds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from concdoc import _protocol as proto

BOOT = Path(proto.__file__).resolve().parent / "_inside" / "boot"

PROBE = """
import json, multiprocessing, sys, threading
print(json.dumps({
    "concdoc": sorted(m for m in sys.modules if m.startswith("concdoc")),
    "finders": [type(f).__name__ for f in sys.meta_path],
    "boot_on_path": any(p.rstrip("/").endswith("boot") for p in sys.path),
    "start_method": multiprocessing.get_start_method(allow_none=True),
    "line_buffered": sys.stdout.line_buffering,
    "excepthook": threading.excepthook is threading.__excepthook__,
}))
"""


def _python(
    code: str, boot: bool = True, extra_path: tuple[str, ...] = (), **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with the hook (or without) and ``variables`` set."""
    env = {k: v for k, v in os.environ.items() if k not in proto.VARIABLES}
    path = [str(BOOT)] if boot else []
    path += [*extra_path, *filter(None, [env.get("PYTHONPATH")])]
    env["PYTHONPATH"] = os.pathsep.join(path)
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _probe(**kwargs) -> dict:
    proc = _python(PROBE, **kwargs)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_without_the_run_variables_the_hook_only_line_buffers():
    alone = _probe(boot=False)
    hooked = _probe()
    assert alone["line_buffered"] is False  # a pipe: block-buffered by default
    assert hooked["line_buffered"] is True  # so the hook did run
    assert hooked["concdoc"] == [] and "_PostImportFinder" not in hooked["finders"]
    assert hooked["boot_on_path"] is False  # it removes its own folder
    assert hooked["start_method"] == alone["start_method"] is None
    assert hooked["excepthook"] is True


def test_the_start_method_becomes_the_default_without_being_locked():
    spawn = {proto.START_METHOD: "spawn"}
    proc = _python(
        "import multiprocessing; print(multiprocessing.get_start_method())", **spawn
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["spawn"]
    proc = _python(
        """
        import multiprocessing
        print(multiprocessing.get_start_method(allow_none=True))
        multiprocessing.set_start_method("forkserver")  # no force needed
        print(multiprocessing.get_start_method())
        """,
        **spawn,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["None", "forkserver"]


def test_a_thread_dying_of_an_exception_is_reported_and_still_printed(tmp_path):
    control = tmp_path / "control.jsonl"
    control.touch()  # the runner creates it
    proc = _python(
        """
        import os, threading
        def fail():
            raise ValueError("x")
        worker = threading.Thread(target=fail, name="bad")
        worker.start()
        worker.join()
        quits = threading.Thread(target=exit, name="quits")  # SystemExit: silent
        quits.start()
        quits.join()
        print(os.getpid())
        """,
        **{proto.CONTROL: str(control)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "ValueError: x" in proc.stderr  # the usual traceback
    events = [json.loads(line) for line in control.read_text().splitlines()]
    assert events == [
        {
            proto.EVENT: proto.THREAD_EXCEPTION,
            "name": "bad",
            "summary": "ValueError: x",
            "pid": int(proc.stdout),
        }
    ]


def test_tracing_is_installed_here_or_in_the_forked_child_when_supervised(tmp_path):
    traced = _probe(**{proto.TRACE_DIR: str(tmp_path)})
    assert "concdoc._inside.instrument" in traced["concdoc"]
    supervised = _python(
        """
        import os, sys
        print("here", "concdoc._inside.instrument" in sys.modules)
        print("still set", "CONCDOC_SUPERVISED" in os.environ)
        pid = os.fork()
        if pid == 0:
            print("child", "concdoc._inside.instrument" in sys.modules, flush=True)
            os._exit(0)
        os.waitpid(pid, 0)
        """,
        **{proto.TRACE_DIR: str(tmp_path), proto.SUPERVISED: "1"},
    )
    assert supervised.returncode == 0, supervised.stderr
    assert supervised.stdout.splitlines() == [
        "here False",
        "still set False",
        "child True",
    ]


def test_the_first_traced_interpreter_takes_the_root_variable(tmp_path):
    proc = _python(
        """
        import os
        print(os.environ.get("CONCDOC_TRACE_ROOT"), os.getpid())
        """,
        **{proto.TRACE_DIR: str(tmp_path), proto.TRACE_ROOT: "1"},
    )
    assert proc.returncode == 0, proc.stderr
    root, pid = proc.stdout.split()
    assert root == "None"  # taken: its children do not record their lifetime
    records = [json.loads(line) for line in (tmp_path / f"{pid}.jsonl").open()]
    assert [(r["k"], r.get("n")) for r in records if r["k"] != "actor"] == [
        ("begin", "alive"),
        ("end", "alive"),
    ]


@pytest.mark.parametrize("traced", [False, True])
def test_the_interpreters_own_sitecustomize_still_runs(tmp_path, traced):
    other = tmp_path / "other"
    other.mkdir()
    (other / "sitecustomize.py").write_text("print('the other one ran')\n")
    variables = {proto.TRACE_DIR: str(tmp_path)} if traced else {}
    proc = _python("print('then the script')", extra_path=(str(other),), **variables)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["the other one ran", "then the script"]
