"""Run an example script in a fresh interpreter and capture what it shows.

:func:`run_example` is the one way concdoc runs a script, for the docs build
and for ``python -m concdoc run`` alike:

* the script runs in a new interpreter, started in its own session, with a
  real ``__main__`` module (``__file__`` set), so the fork, spawn and
  forkserver start methods all find functions defined in the script; after
  its last block the interpreter shuts down as ``python file.py`` does
  (waits for threads, runs atexit handlers, joins multiprocessing's
  children);
* file descriptors 1 and 2 of that interpreter are one pipe, inherited by
  every thread, child process and subprocess, so all their output is captured
  in the order it was written; a marker written into the same pipe before
  each code block splits the stream by block;
* matplotlib figures left open at the end of a block are saved (Agg backend);
* a time limit bounds the whole run, shutdown included: on expiry the
  interpreter is asked for a stack dump of all its threads, then every
  process of the run is killed. On Linux the run's first process is a child
  subreaper, so every descendant is found however it detached; elsewhere the
  run's process group and the processes carrying its token are;
* what plain Python does silently (a thread dying of an exception, a
  process joined at exit, ...) is reported as notes; in strict mode these
  break the site's house rules and fail the run (:mod:`concdoc.rules`);
* nothing the script does (monkey patching, signal handlers, threads left
  running, ``os.chdir``) can reach the calling process.

The module keeps no global state: runs may proceed concurrently in threads.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from concdoc import _protocol as proto
from concdoc._inside.instrument import defines_coroutines
from concdoc.blocks import CodeBlock, parse_timeout, read_directives, split_code_blocks
from concdoc.proctree import kill_run, tagged_processes, wait_gone
from concdoc.rules import Finding, assess
from concdoc.trace import Trace, load_trace

__all__ = [
    "DEFAULT_TIMEOUT",
    "FIGURE_FORMATS",
    "BlockResult",
    "RunResult",
    "Status",
    "load_example",
    "run_example",
]

#: Time limit in seconds when neither the caller nor the example sets one.
DEFAULT_TIMEOUT = 60.0
#: After the example's interpreter exits, how long its descendants may keep
#: the output pipe open (a resource tracker or forkserver finishing) before
#: they are counted as left behind and killed.
LINGER = 2.0
#: After a timeout, how long to wait for the stack dump of the hung interpreter.
DUMP_WAIT = 0.5
#: Output kept per run, in bytes: the first :data:`OUTPUT_HEAD` and the last
#: :data:`OUTPUT_TAIL`; in between only block markers are kept (and one line
#: saying how much was dropped), so a script that prints without end cannot
#: exhaust the build's memory, and the end of its output is still shown.
OUTPUT_HEAD = 3 * 1024 * 1024
OUTPUT_TAIL = 1 * 1024 * 1024
#: Most of a stack dump kept after a timeout, in bytes.
DUMP_LIMIT = 64 * 1024
#: Image formats a ``figure_template`` may name (matplotlib writes them
#: without extra dependencies).
FIGURE_FORMATS = ("png", "svg", "pdf")

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHILD = _PACKAGE_DIR / "_inside" / "child.py"
_BOOT_DIR = _PACKAGE_DIR / "_inside" / "boot"


class Status(str, Enum):
    """How a run ended."""

    OK = "ok"  #: every block ran and the interpreter exited with status 0
    ERROR = "error"  #: a block raised, or the interpreter exited non-zero
    TIMEOUT = "timeout"  #: the time limit expired; the process tree was killed
    CRASH = "crash"  #: the interpreter died inside a block (signal, ``os._exit``)
    LEAK = "leak"  #: every block ran, but a house rule was broken (strict mode)


@dataclass
class BlockResult:
    """What one code block printed, drew and raised.

    Parameters
    ----------
    block : ~concdoc.blocks.CodeBlock
        The block that ran.
    output : str
        Everything written to stdout and stderr, by any process of the run,
        while this block was the one running.
    figures : list of pathlib.Path
        Figures saved after the block, in order.
    figure_count : int
        Figures the block left open (equals ``len(figures)`` when saved).
    traceback : str or None
        The formatted exception, if the block raised.
    """

    block: CodeBlock
    output: str = ""
    figures: list[Path] = field(default_factory=list)
    figure_count: int = 0
    traceback: str | None = None


@dataclass
class RunResult:
    """The outcome of :func:`run_example`.

    Parameters
    ----------
    path : pathlib.Path
        The example that ran.
    status : Status
        How the run ended.
    blocks : list of BlockResult
        One entry per code block of the example; blocks that never started
        (after an exception or a timeout) have empty output.
    timeout : float
        The time limit that applied, in seconds.
    duration : float
        Wall-clock time of the run, in seconds.
    returncode : int or None
        Exit status of the example's interpreter (negative: killed by signal).
    expected_failure : bool
        The example declares ``# concdoc: expected-failure``.
    failed_block : ~concdoc.blocks.CodeBlock or None
        The block that raised, was running at the timeout, or crashed.
    detail : str
        One line on what went wrong (empty on success), e.g. the exception.
    leftovers : list of str
        ``"pid name"`` of processes still running after the example's
        interpreter had exited; they were killed.
    strict : bool
        The house rules applied (see :mod:`concdoc.rules`).
    notes : list of ~concdoc.rules.Finding
        What the run did that does not change its status: what plain Python
        does silently (a thread dying of an exception, a process joined at
        exit), and the house rules the example allows itself.
    violations : list of ~concdoc.rules.Finding
        Strict mode: the house rules broken, each naming its object and
        block (the status is then ``LEAK``).
    exit_code : int or None
        The status the example asked for with ``sys.exit`` in a block.
    output_varies : bool
        The example declares ``# concdoc: output-varies``: its output depends
        on scheduling and may differ from run to run.
    trace : ~concdoc.trace.Trace or None
        With ``trace=True``: what every thread, process and greenlet of the
        run did, and when (see :mod:`concdoc.trace`).
    """

    path: Path
    status: Status
    blocks: list[BlockResult]
    timeout: float
    duration: float
    returncode: int | None
    expected_failure: bool = False
    failed_block: CodeBlock | None = None
    detail: str = ""
    leftovers: list[str] = field(default_factory=list)
    strict: bool = False
    notes: list[Finding] = field(default_factory=list)
    violations: list[Finding] = field(default_factory=list)
    exit_code: int | None = None
    output_varies: bool = False
    trace: Trace | None = None

    @property
    def ok(self) -> bool:
        """True when the run went as the example declares it should."""
        if self.expected_failure:
            return self.status is Status.ERROR and self.failed_block is not None
        return self.status is Status.OK

    @property
    def output(self) -> str:
        """All captured output, blocks joined in order."""
        return "".join(b.output for b in self.blocks)

    @property
    def traceback(self) -> str | None:
        """The formatted exception of the block that raised, if any."""
        return next((b.traceback for b in self.blocks if b.traceback), None)

    @property
    def reason(self) -> str:
        """One line saying why the run is not :attr:`ok` (empty when it is)."""
        where = self.failed_block.describe() if self.failed_block else ""
        if self.ok:
            return ""
        if self.expected_failure and self.status is Status.OK:
            return (
                f"{self.path}: declared '# concdoc: expected-failure' "
                "but ran without an exception"
            )
        if self.status is Status.TIMEOUT:
            during = (
                f"while running {where}"
                if where
                else "after its last code block, while the interpreter was "
                "shutting down (waiting for threads, atexit handlers or child "
                "processes)"
            )
            return (
                f"{self.path}: timed out after {self.timeout:g} s {during}; "
                "its process tree was killed"
            )
        if self.status is Status.LEAK:
            broken = "; ".join(f"{v} [{v.kind}]" for v in self.violations)
            return f"{self.path}: broke the house rules (strict mode): {broken}"
        if where:
            return f"{self.path}: {self.detail} in {where}"
        return f"{self.path}: {self.detail}"


def load_example(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """Resolve and read an example, checking that it is a Python script.

    Parameters
    ----------
    path : str or path-like
        The script.

    Returns
    -------
    path : pathlib.Path
        The absolute path.
    source : str
        The source text.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    PermissionError, OSError
        If the file cannot be read.
    ValueError
        If the path is a directory, lacks the ``.py`` suffix, is not UTF-8
        text, or does not parse as Python.
    """
    resolved = Path(path).expanduser().resolve()
    if not resolved.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if resolved.is_dir():
        raise ValueError(f"{path}: is a directory, not a Python script")
    if resolved.suffix != ".py":
        raise ValueError(f"{path}: not a Python script (expected a .py file)")
    try:
        source = resolved.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a Python script (not UTF-8 text)") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise type(exc)(f"{path}: cannot read: {reason}") from None
    try:
        compile(source, str(resolved), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        at = f" at line {line}" if line else ""
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        raise ValueError(f"{path}: not valid Python{at}: {message}") from None
    return resolved, source


def run_example(
    path: str | os.PathLike[str],
    *,
    timeout: float | None = None,
    default_timeout: float = DEFAULT_TIMEOUT,
    start_method: str | None = None,
    figure_template: str | None = None,
    blocks: list[CodeBlock] | None = None,
    python: str | None = None,
    trace: bool = False,
    strict: bool = False,
) -> RunResult:
    """Run one example in a fresh interpreter and collect its output per block.

    Parameters
    ----------
    path : str or path-like
        The example script (``.py``).
    timeout : float, optional
        Time limit in seconds for the whole run; overrides the example's own
        ``# concdoc: timeout = N`` line.
    default_timeout : float
        Limit used when neither ``timeout`` nor the example sets one.
    start_method : {"fork", "spawn", "forkserver"}, optional
        Default multiprocessing start method for every interpreter of the
        run. An example that calls ``set_start_method`` itself still may.
    figure_template : str, optional
        Where to save figures: a format string taking the figure's number
        (from 1), e.g. ``"out/fig_{0:03}.png"``. Without it figures are
        counted and closed but not saved.
    blocks : list of ~concdoc.blocks.CodeBlock, optional
        The code blocks to run; by default :func:`~concdoc.blocks.split_code_blocks`.
    python : str, optional
        The interpreter to use; by default the running one.
    trace : bool
        Record a timeline of the run (:mod:`concdoc.trace`) into the
        ``trace`` of the :class:`RunResult`: queue and pipe calls, sleeps,
        thread, process, pool-task and greenlet activity, in every interpreter of
        the run. The script is not changed, and the run is judged exactly as
        without ``trace``.
    strict : bool
        Apply the site's house rules (:mod:`concdoc.rules`): everything the
        example starts is finished by the end of its last block, nothing dies
        of an uncaught exception, nothing is left behind. Each violation the
        example does not allow itself makes the status ``LEAK``. Without
        ``strict`` the status is what ``python file.py`` would give, and the
        same findings are notes.

    Returns
    -------
    RunResult

    Raises
    ------
    FileNotFoundError, PermissionError, ValueError
        On a missing, unreadable or non-Python ``path``, a bad time limit or
        directive, an unknown start method, a ``figure_template`` without
        ``{0}`` or with an unknown image format, or a missing ``python``.
        Failures of the example itself are not raised: they are reported in
        the result.
    """
    resolved, source = load_example(path)
    directives = read_directives(source, str(path))
    if timeout is not None:
        limit = parse_timeout(timeout, "timeout")
    elif directives.timeout is not None:
        limit = directives.timeout
    else:
        limit = parse_timeout(default_timeout, "default timeout")
    methods = multiprocessing.get_all_start_methods()
    if start_method is not None and start_method not in methods:
        raise ValueError(
            f"unknown start method {start_method!r}; this platform offers: "
            + ", ".join(methods)
        )
    if figure_template is not None:
        _check_figure_template(figure_template)
    if python is not None and shutil.which(python) is None:
        raise FileNotFoundError(f"python={python!r}: no such interpreter")
    code_blocks = split_code_blocks(source) if blocks is None else list(blocks)
    token = secrets.token_hex(8)
    marker = proto.marker(token)
    with tempfile.TemporaryDirectory(prefix="concdoc-run-") as tmp:
        control = Path(tmp, "control.jsonl")
        control.touch()
        spec = {
            proto.SPEC_PATH: str(resolved),
            proto.SPEC_BLOCKS: [[b.lineno, b.source] for b in code_blocks],
            proto.SPEC_MARKER: marker.decode(),
            proto.SPEC_CONTROL: str(control),
            proto.SPEC_FIGURES: figure_template,
            proto.SPEC_STRICT: strict,
            proto.SPEC_LINGER: LINGER,
        }
        spec_path = Path(tmp, "spec.json")
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        env = _child_env(token, start_method, control)
        trace_dir = Path(tmp, "trace")
        if trace:
            trace_dir.mkdir()
            env[proto.TRACE_DIR] = str(trace_dir)
            env[proto.TRACE_ROOT] = "1"
            if defines_coroutines(source):
                env[proto.TRACE_COROUTINES] = "1"
        started = time.monotonic()
        capture = _Capture(marker)
        returncode, timed_out, leftovers = _execute(
            [python or sys.executable, str(_CHILD), str(spec_path)],
            capture,
            cwd=resolved.parent,
            env=env,
            deadline=started + limit,
            token=token,
            control=control,
        )
        duration = time.monotonic() - started
        events = _read_events(control)
        timeline = load_trace(trace_dir) if trace else None
    if leftovers:  # found by the token scan, where no subreaper could contain them
        events.append({proto.EVENT: proto.LEFTOVERS, "processes": leftovers})
    notes, violations = assess(
        events, code_blocks, strict=strict, allowed=directives.allow
    )
    result = _assemble(
        resolved,
        code_blocks,
        capture.split(len(code_blocks)),
        events,
        returncode=returncode,
        timed_out=timed_out,
        limit=limit,
        duration=duration,
        leftovers=leftovers,
        expected_failure=directives.expected_failure,
        output_varies=directives.output_varies,
    )
    result.strict = strict
    result.notes = notes
    result.violations = violations
    if result.status is Status.OK and violations:
        result.status = Status.LEAK
        result.detail = "broke the house rules: " + "; ".join(map(str, violations))
    result.trace = timeline
    return result


def _check_figure_template(template: str) -> None:
    """Reject a template that does not number figures or names no known format."""
    try:
        first = template.format(1)
    except (IndexError, KeyError, ValueError) as exc:
        raise ValueError(
            f"figure_template {template!r} must take the figure number as {{0}}: {exc}"
        ) from None
    if first == template.format(2):
        raise ValueError(
            f"figure_template {template!r} must contain {{0}} (the figure number)"
        )
    suffix = Path(first).suffix.lstrip(".").lower()
    if suffix not in FIGURE_FORMATS:
        raise ValueError(
            f"figure_template {template!r}: unknown image format {suffix!r} "
            f"(known: {', '.join(FIGURE_FORMATS)})"
        )


class _Capture:
    """The bytes a run writes: the first ``head`` and the last ``tail`` of them.

    In between, only the block markers are kept, so that every block still
    gets its output; :meth:`split` puts one line where bytes were dropped.
    """

    def __init__(
        self, marker: bytes, head: int | None = None, tail: int | None = None
    ) -> None:
        self.head = bytearray()
        self.head_limit = OUTPUT_HEAD if head is None else head
        self.tail = bytearray()
        self.tail_limit = OUTPUT_TAIL if tail is None else tail
        self.cut = False
        self.dropped = 0
        self._middle = bytearray()  # markers found in what was dropped
        self._marker = proto.marker_pattern(marker)
        self._keep = len(marker) + 24  # enough to hold a whole marker

    @property
    def data(self) -> bytes:
        """What was kept, in order (with the cut, if any, marked)."""
        if not self.cut:
            return bytes(self.head)
        notice = (
            f"\n[concdoc] output cut: {self.dropped} bytes dropped here (the "
            f"first {self.head_limit} and the last {self.tail_limit} bytes are "
            "kept)\n"
        ).encode()
        return bytes(self.head + notice + self._middle + self.tail)

    def add(self, chunk: bytes) -> None:
        """Keep ``chunk`` (or the part of it that the limits let through)."""
        if not self.cut:
            room = self.head_limit - len(self.head)
            if len(chunk) <= room:
                self.head += chunk
                return
            self.head += chunk[:room]
            chunk = chunk[room:]
            self.cut = True
            # a marker cut in two by the limit goes whole into the tail
            start = self.head.rfind(b"\x00", max(len(self.head) - self._keep, 0))
            if start >= 0 and not self._marker.match(self.head, start):
                chunk = bytes(self.head[start:]) + chunk
                del self.head[start:]
        self.tail += chunk
        if len(self.tail) > 2 * self.tail_limit:
            self._trim()

    def _trim(self) -> None:
        """Drop the front of the tail down to its limit, keeping its markers."""
        excess = len(self.tail) - self.tail_limit
        end = excess
        for match in self._marker.finditer(self.tail, 0, excess + self._keep):
            if match.start() >= excess:
                break
            self._middle += match.group()
            end = max(end, match.end())
        self.dropped += end - sum(
            len(m.group()) for m in self._marker.finditer(self.tail, 0, end)
        )
        del self.tail[:end]

    def split(self, count: int) -> list[str]:
        """Cut what was kept at the block markers: one text per block."""
        if len(self.tail) > self.tail_limit:
            self._trim()
        data = self.data
        parts = [""] * count
        pos = 0
        current = 0
        for match in self._marker.finditer(data):
            parts[current] += data[pos : match.start()].decode("utf-8", "replace")
            current = min(int(match.group(1)), count - 1)
            pos = match.end()
        if count:
            parts[current] += data[pos:].decode("utf-8", "replace")
        return parts


def _child_env(token: str, start_method: str | None, control: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in proto.VARIABLES}
    pythonpath = env.get("PYTHONPATH")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_BOOT_DIR), pythonpath]))
    env[proto.RUN_TOKEN] = token
    env[proto.CONTROL] = str(control)
    env[proto.SUPERVISED] = "1"
    env["MPLBACKEND"] = "Agg"
    env["PYTHONIOENCODING"] = "utf-8"
    if start_method:
        env[proto.START_METHOD] = start_method
    return env


def _execute(
    argv: list[str],
    capture: _Capture,
    *,
    cwd: Path,
    env: dict[str, str],
    deadline: float,
    token: str,
    control: Path,
) -> tuple[int | None, bool, list[str]]:
    """Run ``argv`` with fds 1 and 2 on one pipe into ``capture``.

    Returns the exit status of the supervisor, whether the deadline passed
    while the example's interpreter still ran, and the processes left behind
    that the supervisor could not see (systems without a child subreaper).
    """
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=write_fd,
            stderr=write_fd,
            cwd=cwd,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    leftovers: list[str] = []
    killed = False
    try:
        timed_out = _pump(proc, read_fd, capture.add, deadline)
        if timed_out and _interpreter_exited(control):
            timed_out = False  # only descendants were left: the supervisor kills them
        elif timed_out:
            capture.add(_stack_dump(proc, read_fd))
        _stop(proc)
        contained = _contained(control)
        if not timed_out and not contained:
            leftovers = _find_leftovers(token)
        # once nothing tagged is alive, nothing can start again: skip the scan
        kill_run(proc.pid, token, scan=(timed_out and not contained) or bool(leftovers))
        killed = True
        _drain(read_fd, capture.add, time.monotonic() + 1.0)
    finally:
        os.close(read_fd)
        if not killed:  # interrupted (e.g. Ctrl-C): still leave nothing behind
            _stop(proc)
            kill_run(proc.pid, token)
        proc.wait()
    return proc.returncode, timed_out, leftovers


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Have the supervisor kill every process of the run, and wait for it."""
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGUSR2)
        proc.wait(timeout=5.0)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass


def _interpreter_exited(control: Path) -> bool:
    return any(
        e.get(proto.EVENT) == proto.INTERPRETER_EXIT for e in _read_events(control)
    )


def _contained(control: Path) -> bool:
    """The supervisor was a subreaper: it found and killed every descendant."""
    return any(
        e.get(proto.EVENT) == proto.LEFTOVERS and e.get("contained")
        for e in _read_events(control)
    )


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # Linux 5.3+
    except (AttributeError, OSError):
        return None


def _pump(
    proc: subprocess.Popen[bytes],
    fd: int,
    sink: Callable[[bytes], None],
    deadline: float,
) -> bool:
    """Read output until EOF; return True if the deadline passed first.

    Once the interpreter has exited, descendants get :data:`LINGER` seconds
    to close the pipe; the deadline only counts as a timeout while the
    interpreter itself is still running.
    """
    pidfd = _pidfd(proc.pid)
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ, "out")
        if pidfd is not None:
            sel.register(pidfd, selectors.EVENT_READ, "exit")
        try:
            exited_at: float | None = None
            while True:
                now = time.monotonic()
                if exited_at is None and proc.poll() is not None:
                    exited_at = now
                if exited_at is None:
                    if now >= deadline:
                        return True
                    wait = (
                        deadline - now
                        if pidfd is not None
                        else min(deadline - now, 0.05)
                    )
                else:
                    end = min(deadline, exited_at + LINGER)
                    if now >= end:
                        return False
                    wait = end - now
                for key, _ in sel.select(wait):
                    if key.data == "exit":
                        sel.unregister(key.fd)
                        continue
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        return (
                            False
                            if proc.poll() is not None
                            else _wait_exit(proc, deadline)
                        )
                    sink(chunk)
        finally:
            if pidfd is not None:
                os.close(pidfd)


def _wait_exit(proc: subprocess.Popen[bytes], deadline: float) -> bool:
    """The pipe closed but the interpreter still runs (it closed fds 1 and 2)."""
    try:
        proc.wait(timeout=max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        return True
    return False


def _drain(fd: int, sink: Callable[[bytes], None], until: float) -> None:
    """Read what is left in the pipe, until EOF or ``until``."""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while (remaining := until - time.monotonic()) > 0:
            if not sel.select(remaining):
                return
            chunk = os.read(fd, 65536)
            if not chunk:
                return
            sink(chunk)


def _stack_dump(proc: subprocess.Popen[bytes], fd: int) -> bytes:
    """Ask the hung interpreter where each thread is (faulthandler); return it.

    The runner's own frames (``_inside/child.py``) are cut from the dump, and at
    most :data:`DUMP_LIMIT` bytes are kept.
    """
    if proc.poll() is not None:
        return b""
    try:
        proc.send_signal(signal.SIGUSR1)
    except (ProcessLookupError, AttributeError, ValueError):
        return b""
    dump = bytearray()
    _drain(fd, dump.extend, time.monotonic() + DUMP_WAIT)
    ours = f'File "{_CHILD}"'.encode()
    kept = [line for line in dump.splitlines(keepends=True) if ours not in line]
    header = b"\n[concdoc] time limit reached; where each thread was:\n"
    return header + b"".join(kept)[-DUMP_LIMIT:]


def _find_leftovers(token: str) -> list[str]:
    """Processes of the run still alive after the interpreter exited."""
    procs = tagged_processes(token)
    if procs:
        wait_gone(procs, timeout=1.0)  # a process may be closing its last fds
        procs = tagged_processes(token)
    names = []
    for proc in procs:
        try:
            names.append(f"{proc.pid} {proc.name()}")
        except Exception:  # noqa: BLE001 - it exited meanwhile
            continue
    return names


def _read_events(control: Path) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    try:
        lines = control.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return events
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a kill
    return events


def _assemble(
    path: Path,
    code_blocks: list[CodeBlock],
    outputs: list[str],
    events: list[dict[str, Any]],
    *,
    returncode: int | None,
    timed_out: bool,
    limit: float,
    duration: float,
    leftovers: list[str],
    expected_failure: bool,
    output_varies: bool = False,
) -> RunResult:
    results = [
        BlockResult(block, text)
        for block, text in zip(code_blocks, outputs, strict=True)
    ]
    started: int | None = None
    last_block = False
    failed: int | None = None
    exit_code: int | None = None
    detail = ""
    for event in events:
        kind = event.get(proto.EVENT)
        if kind == proto.START:
            started = event["block"]
        elif kind == proto.DONE:
            figures = event.get("figures", [])
            res = results[event["block"]]
            res.figure_count = len(figures)
            res.figures = [Path(f) for f in figures if f]
            started = None
        elif kind == proto.ERROR:
            failed = event["block"]
            results[failed].traceback = event["traceback"]
            detail = event["summary"]
            started = None
        elif kind == proto.EXIT:
            exit_code = event["code"]
            if exit_code != 0:
                failed = event["block"]
                detail = f"exited with status {exit_code}"
            started = None
        elif kind == proto.LAST_BLOCK:
            last_block = True
        elif kind == proto.INTERPRETER_EXIT:
            returncode = event["returncode"]
    if timed_out:
        status = Status.TIMEOUT
        failed = started
        detail = f"timed out after {limit:g} s"
    elif failed is not None:
        status = Status.ERROR
        if returncode is not None and returncode < 0:
            detail += f" ({_death(returncode)} at exit)"
    elif last_block and returncode == 0:
        status = Status.OK
    elif last_block and returncode is not None and returncode < 0:
        status = Status.CRASH
        detail = f"{_death(returncode)} after its last code block"
    elif last_block:
        status = Status.ERROR
        detail = f"exited with status {returncode} after its last code block"
    elif returncode == 0:  # os._exit(0) in a block: plain Python succeeds too
        status = Status.OK
    else:
        status = Status.CRASH
        failed = started
        detail = _death(returncode)
    return RunResult(
        path=path,
        status=status,
        blocks=results,
        timeout=limit,
        duration=duration,
        returncode=returncode,
        expected_failure=expected_failure,
        failed_block=code_blocks[failed] if failed is not None else None,
        detail=detail,
        leftovers=leftovers,
        exit_code=exit_code,
        output_varies=output_varies,
    )


def _death(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the interpreter was killed by {name}"
    return f"the interpreter exited with status {returncode} before finishing"
