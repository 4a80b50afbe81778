"""Behaviour of concdoc.runner.run_example: capture, blocks, failures, limits."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest
from conftest import HUNG_BLOCK_LINES

from concdoc.blocks import CodeBlock
from concdoc.runner import Status, run_example

METHODS = multiprocessing.get_all_start_methods()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("method", METHODS)
def test_pool_workers_output_is_captured_in_order(script, method):
    path = script(
        '''
        """Pool"""
        import multiprocessing

        def work(i):
            print(f"worker line {i}")
            return i

        if __name__ == "__main__":
            print("before")
            with multiprocessing.Pool(2) as pool:
                assert sorted(pool.map(work, range(4))) == [0, 1, 2, 3]
            print("after")
        '''
    )
    result = run_example(path, start_method=method, timeout=60)
    assert result.ok, result.reason + result.output
    lines = result.output.splitlines()
    assert lines[0] == "before"
    assert lines[-1] == "after"
    assert sorted(lines[1:-1]) == [f"worker line {i}" for i in range(4)]


@pytest.mark.parametrize("method", METHODS)
def test_start_method_reaches_the_script_and_its_children(script, method):
    path = script(
        """
        import multiprocessing, subprocess, sys
        print(multiprocessing.get_start_method())
        code = "import multiprocessing as m; print(m.get_start_method())"
        subprocess.run([sys.executable, "-c", code], check=True)
        """
    )
    result = run_example(path, start_method=method)
    assert result.ok, result.reason + result.output
    assert result.output == f"{method}\n{method}\n"


@pytest.mark.parametrize("method", METHODS)
def test_the_script_may_still_set_its_start_method(script, method):
    path = script(
        """
        import multiprocessing
        multiprocessing.set_start_method("spawn")
        print(multiprocessing.get_start_method())
        """
    )
    result = run_example(path, start_method=method)
    assert result.ok, result.reason + result.output
    assert result.output == "spawn\n"


def test_process_subprocess_raw_write_and_stderr_in_write_order(script):
    path = script(
        """
        import multiprocessing, os, subprocess, sys

        def child():
            print("2 child process")

        if __name__ == "__main__":
            print("1 parent")
            p = multiprocessing.Process(target=child)
            p.start()
            p.join()
            subprocess.run([sys.executable, "-c", "print('3 subprocess')"], check=True)
            subprocess.run(["sh", "-c", "echo 4 shell"], check=True)
            os.write(1, b"5 raw fd write\\n")
            print("6 stderr", file=sys.stderr)
            print("7 parent again")
        """
    )
    result = run_example(path)
    assert result.ok, result.reason
    assert result.output.splitlines() == [
        "1 parent",
        "2 child process",
        "3 subprocess",
        "4 shell",
        "5 raw fd write",
        "6 stderr",
        "7 parent again",
    ]


def test_unbuffered_processes_still_write_whole_lines(script, monkeypatch):
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    path = script(
        """
        import multiprocessing
        def talk(name):
            for i in range(200):
                print(f"{name}-{i}-" + "x" * 50)
        if __name__ == "__main__":
            procs = [multiprocessing.Process(target=talk, args=(n,)) for n in "ab"]
            for p in procs: p.start()
            for p in procs: p.join()
        """
    )
    result = run_example(path)
    assert result.ok
    lines = result.output.splitlines()
    assert len(lines) == 400
    assert all(line.endswith("-" + "x" * 50) and line.count("-") == 2 for line in lines)


def test_output_is_split_by_code_block(script):
    path = script(
        '''
        """Title
        =====
        """
        print("one")

        # %%
        # Text between.

        print("two")
        print("three")
        '''
    )
    result = run_example(path)
    assert [b.output for b in result.blocks] == ["one\n", "two\nthree\n"]
    assert [b.block.lineno for b in result.blocks] == [5, 9]  # as sphinx-gallery
    assert [b.block.first_code_line for b in result.blocks] == [5, 10]


def test_background_output_lands_in_the_block_running_when_written(script):
    path = script(
        """
        import threading
        go = threading.Event()
        done = threading.Event()
        def late():
            go.wait()
            print("from thread")
            done.set()
        t = threading.Thread(target=late)
        t.start()

        # %%
        go.set()
        done.wait()
        t.join()
        """
    )
    result = run_example(path)
    assert [b.output for b in result.blocks] == ["", "from thread\n"]


def test_real_main_module(script, tmp_path):
    path = script(
        """
        import os, sys
        import __main__
        print(__name__, __file__ == __main__.__file__, sys.argv == [__file__])
        print(os.getcwd() == os.path.dirname(__file__), sys.path[0] == os.getcwd())
        """
    )
    result = run_example(path)
    assert result.output == "__main__ True True\nTrue True\n"


def test_figures_are_saved_per_block(script, tmp_path):
    path = script(
        """
        import matplotlib.pyplot as plt
        plt.plot([1, 2])

        # %%
        print("no figure here")

        # %%
        plt.figure(); plt.plot([2, 1])
        plt.figure(); plt.plot([3, 1])
        """
    )
    template = str(tmp_path / "fig_{0:03}.png")
    result = run_example(path, figure_template=template)
    assert result.ok, result.reason
    assert [len(b.figures) for b in result.blocks] == [1, 0, 2]
    saved = [p for b in result.blocks for p in b.figures]
    assert [p.name for p in saved] == ["fig_001.png", "fig_002.png", "fig_003.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in saved)


def test_figures_counted_but_not_saved_without_template(script):
    path = script("import matplotlib.pyplot as plt\nplt.plot([1])\n")
    result = run_example(path)
    assert result.blocks[0].figure_count == 1
    assert result.blocks[0].figures == []


def test_exception_shows_trimmed_traceback_and_stops(script):
    path = script(
        '''
        """T"""
        print("first")

        # %%
        def broken():
            return 1 / 0

        broken()

        # %%
        print("never")
        '''
    )
    result = run_example(path)
    assert not result.ok
    assert result.status is Status.ERROR
    assert result.failed_block == result.blocks[1].block
    tb = result.blocks[1].traceback
    assert tb.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: division by zero" in tb
    assert f'File "{path}", line 7, in broken' in tb
    assert "child.py" not in tb
    assert result.blocks[2].output == ""
    assert "ZeroDivisionError" in result.reason
    assert "lines 6-9" in result.reason


def test_syntax_error_in_a_block_is_reported(script):
    path = script("print('a')\n# %%\nx = (\n")
    with pytest.raises(ValueError, match="not valid Python at line 3"):
        run_example(path)


def test_expected_failure(script):
    failing = script("# concdoc: expected-failure\nraise KeyError('k')\n", "f.py")
    result = run_example(failing)
    assert result.ok and result.status is Status.ERROR
    assert "KeyError" in result.traceback
    passing = script("# concdoc: expected-failure\nprint('fine')\n", "p.py")
    result = run_example(passing)
    assert not result.ok
    assert "expected-failure" in result.reason


def test_sys_exit(script):
    ok = run_example(script("print('a')\nraise SystemExit\n# %%\nprint('b')\n", "a.py"))
    assert ok.ok and ok.output == "a\n"
    bad = run_example(script("import sys\nsys.exit(3)\n", "b.py"))
    assert bad.status is Status.ERROR and bad.exit_code == 3
    assert "exited with status 3 in the code block at lines 1-2" in bad.reason
    message = run_example(script("import sys\nsys.exit('no input')\n", "c.py"))
    assert message.exit_code == 1 and message.output == "no input\n"


def test_interpreter_killed_mid_block_is_a_crash(script):
    result = run_example(
        script("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    )
    assert result.status is Status.CRASH
    assert "SIGKILL" in result.reason
    assert result.failed_block is not None


def test_timeout_kills_the_whole_tree(hung_tree):
    path, survivors = hung_tree
    started = time.monotonic()
    result = run_example(path, timeout=2)
    elapsed = time.monotonic() - started
    assert result.status is Status.TIMEOUT
    assert elapsed < 2 + 5
    assert "timed out after 2 s" in result.reason
    assert HUNG_BLOCK_LINES in result.reason
    assert "started" in result.blocks[1].output
    dump = result.blocks[1].output
    assert "most recent call first" in dump and "child.py" not in dump
    assert survivors() == []


def test_timeout_after_last_block_names_interpreter_shutdown(script):
    path = script(
        """
        import threading, time
        threading.Thread(target=time.sleep, args=(1000,)).start()
        print("main done")
        """
    )
    result = run_example(path, timeout=1.5)
    assert result.status is Status.TIMEOUT
    assert result.failed_block is None
    assert "after its last code block" in result.reason


def test_directive_timeout_and_override(script):
    path = script("# concdoc: timeout = 1.5\nimport time\ntime.sleep(30)\n")
    result = run_example(path)
    assert result.status is Status.TIMEOUT and result.timeout == 1.5
    quick = script("# concdoc: timeout = 0.001\nprint('x')\n", "q.py")
    assert run_example(quick, timeout=30).timeout == 30


@pytest.mark.parametrize("strict", [False, True])
def test_leftover_process_is_killed_and_reported(script, tmp_path, strict):
    pidfile = tmp_path / "pid"
    path = script(
        f"""
        import subprocess, sys
        p = subprocess.Popen([sys.executable, "-c",
            "import os, time; os.setsid(); time.sleep(1000)"])
        open({str(pidfile)!r}, "w").write(str(p.pid))
        """
    )
    result = run_example(path, timeout=30, strict=strict)
    pid = int(pidfile.read_text())
    found = result.violations if strict else result.notes
    assert [f.kind for f in found] == ["left-behind"], found
    assert f"process {pid} " in str(found[0]) and "killed" in str(found[0])
    if strict:
        assert result.status is Status.LEAK and f"process {pid} " in result.reason
    else:  # python file.py exits 0 too
        assert result.ok, result.reason
    assert not _alive(pid)


STEALTH = """
    import os, sys, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execve(sys.executable, [sys.executable, "-c",
                "import os, time; "
                "open({pidfile!r}, 'w').write(str(os.getpid())); "
                "time.sleep(1000)"], {{}})
        os._exit(0)
    os.wait()
    while not os.path.exists({pidfile!r}):
        time.sleep(0.01)
    time.sleep({then})
    """


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="subreaper: Linux")
@pytest.mark.parametrize("then", [0, 1000])
def test_a_stealthy_grandchild_is_gone_after_the_run(script, tmp_path, then):
    # double fork, setsid, exec with an empty environment: no run token, no
    # process group, no living parent; only the subreaper still sees it
    pidfile = tmp_path / "pid"
    path = script(STEALTH.format(pidfile=str(pidfile), then=then))
    result = run_example(path, timeout=5)
    pid = int(pidfile.read_text())
    assert not _alive(pid)
    if then:
        assert result.status is Status.TIMEOUT
    else:
        assert result.ok, result.reason
        assert any(f"process {pid} " in str(n) for n in result.notes), result.notes


SHUTDOWN_SCRIPTS = {
    # a thread still working after the last line: Python waits for it (it
    # waits for the main thread, which ends only once the script's code has)
    "thread": (
        """
        import logging, threading
        logging.basicConfig(format="%(message)s")
        def work():
            threading.main_thread().join(60)
            logging.warning("worker finished")
        threading.Thread(target=work, name="worker").start()
        """,
        "worker finished\n",
        "running-thread",
    ),
    # a process never joined: multiprocessing joins it at exit (it waits for
    # an event set by an atexit handler registered after multiprocessing's
    # own, which creating the event registers: handlers run last in, first out)
    "process": (
        """
        import atexit, multiprocessing
        def work(release):
            release.wait(60)
            print("child finished")
        if __name__ == "__main__":
            release = multiprocessing.Event()
            atexit.register(release.set)
            multiprocessing.Process(target=work, args=(release,), name="child").start()
        """,
        "child finished\n",
        "running-process",
    ),
    # an atexit handler runs, with the script's globals still there
    "atexit": (
        """
        import atexit
        greeting = "bye"
        atexit.register(lambda: print(greeting))
        """,
        "bye\n",
        None,
    ),
    # an event loop never closed
    "loop": (
        """
        import asyncio
        loop = asyncio.new_event_loop()
        print(loop.run_until_complete(asyncio.sleep(0, "ran")))
        """,
        "ran\n",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(SHUTDOWN_SCRIPTS))
def test_the_interpreter_shuts_down_as_python_does(script, name):
    source, output, kind = SHUTDOWN_SCRIPTS[name]
    plain = run_example(script(source, f"{name}.py"), timeout=30)
    assert plain.ok and plain.output == output, plain.reason + plain.output
    assert not plain.violations
    assert [n.kind for n in plain.notes] == ([kind] if kind else []), str(plain.notes)
    strict = run_example(script(source, f"{name}.py"), timeout=30, strict=True)
    if name == "atexit":  # strict mode drops the globals after the last block
        assert "NameError: name 'greeting' is not defined" in strict.output
    else:
        assert strict.output == output
    assert [v.kind for v in strict.violations] == ([kind] if kind else [])
    assert strict.ok is (kind is None), strict.reason


def test_an_endless_thread_times_out_instead_of_dying(script):
    path = script(
        """
        import threading, time
        def spin():
            while True:
                time.sleep(0.05)
        threading.Thread(target=spin, name="spinner").start()
        print("last block done")
        """
    )
    result = run_example(path, timeout=2)
    assert result.status is Status.TIMEOUT
    assert "shutting down" in result.reason
    assert "in spin" in result.output  # where the thread was


DEATHS = {
    "thread-exception": """
        import threading
        def fail():
            raise ValueError("boom")
        t = threading.Thread(target=fail, name="doomed")
        t.start()
        t.join()
        """,
    "process-exception": """
        import multiprocessing
        def fail():
            raise ValueError("boom")
        if __name__ == "__main__":
            p = multiprocessing.Process(target=fail, name="doomed")
            p.start()
            p.join()
        """,
    "greenlet-exception": """
        import gevent
        def fail():
            raise ValueError("boom")
        g = gevent.spawn(fail)
        g.name = "doomed"
        g.join()
        """,
}


@pytest.mark.parametrize("kind", sorted(DEATHS))
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_deaths_by_exception_are_named(script, kind, method):
    if kind != "process-exception" and method != "fork":
        pytest.skip("no process involved")
    path = script(DEATHS[kind], "deaths.py")
    plain = run_example(path, timeout=30, start_method=method)
    assert plain.ok and [n.kind for n in plain.notes] == [kind], plain.notes
    assert "'doomed'" in str(plain.notes[0]) and "ValueError: boom" in plain.output
    strict = run_example(path, timeout=30, start_method=method, strict=True)
    assert strict.status is Status.LEAK and f"[{kind}]" in strict.reason
    assert "the code block at lines" in strict.reason


def test_allow_directive_turns_a_violation_into_a_note(script):
    source = "# concdoc: allow = thread-exception\n" + textwrap.dedent(
        DEATHS["thread-exception"]
    )
    result = run_example(script(source), timeout=30, strict=True)
    assert result.ok and [n.kind for n in result.notes] == ["thread-exception"]


LEAKS = {
    "daemon thread": (
        """
        import threading
        stop = threading.Event()
        threading.Thread(target=stop.wait, args=(60,), name="pump", daemon=True).start()
        """,
        "daemon thread 'pump'",
    ),
    "descriptor": (
        """
        import os, sys
        sys.modules["kept"] = open(__file__)  # held outside the script's globals
        """,
        "leaky.py)",
    ),
}


@pytest.mark.parametrize("kind", sorted(LEAKS))
def test_a_leak_fails_the_strict_run_naming_it(script, kind):
    source, named = LEAKS[kind]
    path = script(source, "leaky.py")
    result = run_example(path, timeout=30, strict=True)
    assert result.status is Status.LEAK and not result.ok
    assert named in result.reason, result.reason
    assert "broke the house rules" in result.reason
    plain = run_example(path, timeout=30)
    assert plain.ok and not plain.violations


def _fds(result):
    return [str(v) for v in result.violations if v.kind == "left-behind"]


def test_what_the_globals_hold_is_not_a_leak(script):
    path = script(
        """
        import os, threading
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        f = open(__file__)          # closed when the script's globals go
        t = threading.Thread(target=print, args=("joined",))
        t.start()
        t.join()
        """
    )
    result = run_example(path, strict=True)
    assert result.ok and not result.violations, result.reason
    assert result.output == "joined\n"


def test_descriptors_open_before_the_first_block_are_not_leaks(script, tmp_path):
    # the runner's own descriptors (pipes, the supervisor's) exist before block 1
    path = script("print('nothing opened')\n")
    result = run_example(path, strict=True)
    assert result.ok and _fds(result) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_files_in_the_runs_own_folder_are_not_leaks(script):
    # in-child machinery (tracing) may write into the run's scratch folder
    path = script(
        """
        import os, sys
        scratch = os.path.dirname(os.environ["CONCDOC_CONTROL"])
        sys.modules["machinery"] = open(os.path.join(scratch, "x"), "w")
        sys.modules["leak"] = open(__file__)
        """
    )
    result = run_example(path, strict=True)
    assert result.status is Status.LEAK
    assert len(_fds(result)) == 1 and "example.py" in _fds(result)[0]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_the_shared_ctypes_heap_is_not_a_leak_but_shared_memory_is(script):
    # Value/Array data lives in heap arenas multiprocessing keeps for reuse
    # (a file and its mmap, two descriptors); an unclosed SharedMemory is
    # the example's own.
    path = script(
        """
        import multiprocessing, sys
        from multiprocessing import shared_memory

        counter = multiprocessing.Value("i", 41)
        counter.value += 1
        del counter
        block = shared_memory.SharedMemory(create=True, size=16)
        block.unlink()
        sys.modules["kept"] = block  # never closed
        """
    )
    result = run_example(path, strict=True)
    assert result.status is Status.LEAK, result.reason
    assert _fds(result) and all("psm_" in fd for fd in _fds(result))


def test_output_varies_directive(script):
    marked = run_example(script("# concdoc: output-varies\nprint(1)\n", "m.py"))
    assert marked.output_varies and marked.ok
    assert not run_example(script("print(1)\n", "plain.py")).output_varies


def test_nothing_reaches_the_calling_process(script):
    cwd, env_before = os.getcwd(), dict(os.environ)
    handler = signal.getsignal(signal.SIGTERM)
    path = script(
        """
        from gevent import monkey
        monkey.patch_all()
        import os, signal, socket, threading, time
        os.environ["CONCDOC_TEST_LEAK"] = "1"
        os.chdir("/")
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        threading.Thread(target=time.sleep, args=(0.01,), daemon=True).start()
        print(socket.socket.__module__)
        """
    )
    result = run_example(path)
    assert result.ok, result.reason + result.output
    assert result.output.startswith("gevent")
    assert os.getcwd() == cwd and dict(os.environ) == env_before
    assert signal.getsignal(signal.SIGTERM) == handler
    import socket

    assert socket.socket.__module__ == "socket"
    # and a multiprocessing example right after still works
    after = script(
        """
        import multiprocessing
        def f(x):
            return x + 1
        if __name__ == "__main__":
            with multiprocessing.Pool(2) as pool:
                print(pool.map(f, [1, 2]))
        """,
        "after.py",
    )
    assert run_example(after).output == "[2, 3]\n"


def test_concurrent_runs_do_not_mix(script):
    paths = [
        script(f"for i in range(50):\n    print('{name}', i)\n", f"{name}.py")
        for name in ("left", "right", "middle")
    ]
    results = {}
    errors: list[BaseException] = []

    def go(path: Path) -> None:
        try:
            results[path.stem] = run_example(path)
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
        assert not t.is_alive()
    assert errors == []
    # every run finished and each saw only its own output
    assert sorted(results) == ["left", "middle", "right"]
    for name, result in results.items():
        assert result.output == "".join(f"{name} {i}\n" for i in range(50))


def test_explicit_blocks(script):
    path = script("a = 1\nprint(a)\nprint(a + 1)\n")
    result = run_example(
        path, blocks=[CodeBlock(1, "a = 1\n"), CodeBlock(3, "print(a + 1)\n")]
    )
    assert [b.output for b in result.blocks] == ["", "2\n"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout": 0}, "positive"),
        ({"timeout": -1}, "positive"),
        ({"timeout": float("nan")}, "positive"),
        ({"timeout": "soon"}, "number of seconds"),
        ({"timeout": float("inf")}, "positive"),
        ({"timeout": -1.5}, "positive"),
        ({"default_timeout": 0}, "default timeout must be a positive"),
        ({"start_method": "thread"}, "unknown start method"),
        ({"figure_template": "fig.png"}, "must contain"),
        ({"figure_template": "fig_{1}.png"}, "figure number"),
        ({"figure_template": "fig_{0}.gif"}, "unknown image format 'gif'"),
        ({"figure_template": "fig_{0}"}, "unknown image format ''"),
    ],
    ids=lambda value: (
        ",".join(f"{k}={v!r}" for k, v in value.items())
        if isinstance(value, dict)
        else ""
    ),
)
def test_bad_arguments(script, kwargs, message):
    path = script("print(1)\n")
    with pytest.raises(ValueError, match=message):
        run_example(path, **kwargs)


def test_bad_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        run_example(tmp_path / "missing.py")
    with pytest.raises(ValueError, match="is a directory"):
        run_example(tmp_path)
    text = tmp_path / "notes.txt"
    text.write_text("print(1)\n")
    with pytest.raises(ValueError, match="not a Python script"):
        run_example(text)
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="not UTF-8"):
        run_example(binary)


def test_missing_interpreter(script):
    with pytest.raises(FileNotFoundError, match="no such interpreter"):
        run_example(script("print(1)\n"), python="/nonexistent/python3")


def test_unreadable_file(script, monkeypatch):
    path = script("print(1)\n")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.read_text", refuse)
    with pytest.raises(PermissionError, match="example.py: cannot read: Permission"):
        run_example(path)


def test_unknown_directive(script):
    path = script("# concdoc: timeout 5\nprint(1)\n")
    with pytest.raises(ValueError, match=r"example.py:1: unknown concdoc directive"):
        run_example(path)


def test_endless_output_keeps_head_and_tail_and_blocks_still_split(script, monkeypatch):
    monkeypatch.setattr("concdoc.runner.OUTPUT_HEAD", 100_000)
    monkeypatch.setattr("concdoc.runner.OUTPUT_TAIL", 50_000)
    path = script(
        """
        import sys
        for i in range(20_000):
            sys.stdout.write(f"{i:098}\\n")
        print("end of the first block")

        # %%
        for i in range(20_000):
            sys.stdout.write("y" * 99 + "\\n")
        print("the result: 42")
        """
    )
    result = run_example(path)
    assert result.ok, result.reason
    first, second = (b.output for b in result.blocks)
    assert first.startswith("0" * 98) and "output cut:" in first
    assert "end of the first block" not in first  # in the dropped middle
    assert second.endswith("y\nthe result: 42\n")  # the last line is kept
    assert 150_000 - 200 < len(first) + len(second) < 151_000
    assert first.count("output cut") == 1 and "bytes dropped" in first
