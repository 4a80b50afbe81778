"""concdoc._inside.child: the example's side of a run, without the runner.

``child.py`` is started as ``python child.py SPEC``; here it is given a spec
written by hand (the keys from :mod:`concdoc._protocol`), and its output and
control events are read directly. Its helpers are tested in this process,
from the file loaded by path, as the runner starts it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from concdoc import _protocol as proto

CHILD = Path(proto.__file__).resolve().parent / "_inside" / "child.py"
TOKEN = "5eed"
LINUX = sys.platform.startswith("linux")


def _load_child():
    spec = importlib.util.spec_from_file_location("concdoc_inside_child", CHILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


child = _load_child()


def _run(tmp_path: Path, blocks: list[str]) -> tuple[subprocess.CompletedProcess, list]:
    """Run ``blocks`` (one source each, in one file) as child.py runs examples."""
    lines, spec_blocks = [], []
    for source in blocks:
        spec_blocks.append([len(lines) + 1, source])
        lines += source.splitlines()
    example = tmp_path / "example.py"
    example.write_text("\n".join(lines) + "\n", encoding="utf-8")
    control = tmp_path / "control.jsonl"
    spec = {
        proto.SPEC_PATH: str(example),
        proto.SPEC_BLOCKS: spec_blocks,
        proto.SPEC_MARKER: proto.marker(TOKEN).decode(),
        proto.SPEC_CONTROL: str(control),
        proto.SPEC_FIGURES: None,
        proto.SPEC_STRICT: False,
        proto.SPEC_LINGER: 5,
    }
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(CHILD), str(spec_path)],
        capture_output=True,
        timeout=120,
    )
    events = [json.loads(line) for line in control.read_text().splitlines()]
    return proc, events


def _by_block(stdout: bytes) -> list[str]:
    """The output between the block markers, in order (what came before first)."""
    pieces = proto.marker_pattern(proto.marker(TOKEN)).split(stdout)
    # split() keeps the block numbers: text, number, text, number, text ...
    numbers = [int(n) for n in pieces[1::2]]
    assert numbers == list(range(len(numbers)))
    return [piece.decode() for piece in pieces[0::2]]


def test_each_block_runs_after_its_marker_and_is_reported(tmp_path):
    proc, events = _run(
        tmp_path,
        ["x = 1\nprint('one', x)\n", "x += 1\nprint('two', x)\n", "print('three')\n"],
    )
    assert proc.returncode == 0, proc.stderr
    assert _by_block(proc.stdout) == ["", "one 1\n", "two 2\n", "three\n"]
    names = [(e[proto.EVENT], e.get("block")) for e in events]
    assert names == [
        (proto.START, 0),
        (proto.DONE, 0),
        (proto.START, 1),
        (proto.DONE, 1),
        (proto.START, 2),
        (proto.DONE, 2),
        (proto.LAST_BLOCK, None),
        (proto.SHUTDOWN, None),
        (proto.INTERPRETER_EXIT, None),
        (proto.LEFTOVERS, None),
    ]
    last = events[6]
    assert last["threads"] == [] and last["processes"] == []
    assert events[-2]["returncode"] == 0
    assert events[-1]["processes"] == [] and events[-1]["contained"] is LINUX


def test_a_block_that_raises_ends_the_run_with_its_traceback(tmp_path):
    proc, events = _run(
        tmp_path,
        ["print('so far')\n", "def f():\n    raise LookupError('nope')\nf()\n", "1\n"],
    )
    assert proc.returncode == 1
    assert _by_block(proc.stdout) == ["", "so far\n", ""]
    (error,) = [e for e in events if e[proto.EVENT] == proto.ERROR]
    assert error["block"] == 1
    assert error["summary"] == "LookupError: nope"
    trace = error["traceback"]
    assert trace.startswith("Traceback (most recent call last):")
    # the example's own frames, with their lines; none of child.py
    assert 'example.py", line 4, in <module>' in trace
    assert 'example.py", line 3, in f' in trace
    assert "child.py" not in trace
    assert not [e for e in events if e.get("block") == 2]


@pytest.mark.parametrize(
    ("code", "status"), [("3", 3), ("None", 0), ("'bye'", 1), ("True", 1)]
)
def test_sys_exit_in_a_block_ends_the_run_with_its_status(tmp_path, code, status):
    proc, events = _run(tmp_path, [f"import sys\nsys.exit({code})\n", "print(2)\n"])
    assert proc.returncode == status
    (exit_,) = [e for e in events if e[proto.EVENT] == proto.EXIT]
    assert exit_["block"] == 0 and exit_["code"] == status
    assert b"2\n" not in proc.stdout
    if code == "'bye'":
        assert proc.stderr.decode().strip().endswith("bye")


@pytest.mark.parametrize("code", [None, 0, 3, 255, "bye", True, [1]])
def test_exit_code_agrees_with_the_interpreter(code):
    proc = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.exit({code!r})"],
        capture_output=True,
        timeout=60,
    )
    assert child._exit_code(code) == proc.returncode


def test_a_thread_still_running_after_the_last_block_is_named(tmp_path):
    proc, events = _run(
        tmp_path,
        [
            "import threading\nstop = threading.Event()\n",
            "threading.Thread(target=stop.wait, name='idle', daemon=True).start()\n",
        ],
    )
    assert proc.returncode == 0, proc.stderr
    (last,) = [e for e in events if e[proto.EVENT] == proto.LAST_BLOCK]
    assert last["threads"] == [{"name": "idle", "daemon": True, "block": 1}]
    (shutdown,) = [e for e in events if e[proto.EVENT] == proto.SHUTDOWN]
    assert shutdown["daemon"] == ["idle"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_only_the_process_that_opened_the_control_file_reports(tmp_path):
    control = child._Control(str(tmp_path / "control.jsonl"))
    control.event("start", block=0)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            control.event("start", block=1)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    control.event("done", block=0, figures=[])
    lines = (tmp_path / "control.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"event": "start", "block": 0},
        {"event": "done", "block": 0, "figures": []},
    ]


def test_a_traceback_starts_at_the_example(tmp_path):
    path = str(tmp_path / "example.py")
    code = compile("\n\ndef f():\n    return {}['k']\nf()\n", path, "exec")
    try:
        exec(code, {})
    except KeyError as exc:
        text, summary = child._format_exception(exc, path)
    assert summary == "KeyError: 'k'"
    assert __file__ not in text  # this test's frame is above the example's
    assert text.count(path) == 2
    assert f'"{path}", line 5, in <module>' in text


def test_open_figures_are_saved_numbered_and_closed(tmp_path, monkeypatch):
    plt = pytest.importorskip("matplotlib.pyplot")
    for _ in range(2):
        plt.figure()
    template = str(tmp_path / "figure_{0:03}.png")
    paths = child._save_figures(template, 5)
    assert paths == [template.format(5), template.format(6)]
    assert all(Path(p).read_bytes().startswith(b"\x89PNG") for p in paths)
    assert plt.get_fignums() == []
    plt.figure()
    assert child._save_figures(None, 1) == [None]  # figures off: closed all the same
    assert plt.get_fignums() == []
    monkeypatch.delitem(sys.modules, "matplotlib.pyplot")
    assert child._save_figures(template, 1) == []  # never imported: nothing to save


def test_live_threads_leave_out_the_main_thread():
    release = threading.Event()
    worker = threading.Thread(target=release.wait, args=(30,), name="w")
    worker.start()
    try:
        live = child._live_threads()
        assert worker in live and threading.main_thread() not in live
    finally:
        release.set()
        worker.join()
    assert worker not in child._live_threads()


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_open_descriptors_and_descendants_are_found(tmp_path):
    path = tmp_path / "held.txt"
    with open(path, "w") as held:
        assert child._open_fds()[held.fileno()] == str(path)
    sleeper = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert sleeper.pid in child._descendants()
    finally:
        sleeper.stdin.close()
        sleeper.wait(timeout=60)
    assert sleeper.pid not in child._descendants()
