"""The example's side of an isolated run; started as ``python child.py SPEC``.

This file is run by path in a fresh interpreter and imports nothing but the
standard library (the names it shares with the runner are tied to
``concdoc._protocol`` by a test), so that the example starts as close as
possible to ``python example.py``: a real ``__main__`` module with
``__file__``, the example's folder first on ``sys.path``, ``sys.argv ==
[example]``.

Two processes come out of it:

The supervisor
    The interpreter the runner started. On Linux it becomes a *child
    subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``): every process of the run
    whose parent dies is re-parented to it, however it detaches (double
    fork, ``setsid``, an empty environment). It forks the example's
    interpreter, waits for it, reports its exit status, gives the processes
    still running :data:`spec["linger"]` seconds to finish, then kills and
    names those that did not. ``SIGUSR1`` is passed on to the example (the
    runner's request for a stack dump); ``SIGUSR2`` kills every descendant
    at once (the runner's time limit).

The example's interpreter
    For each code block it flushes the standard streams, writes a block
    marker into file descriptor 1 -- the same pipe that receives everything
    the example and its descendants print, so markers keep their place in
    the stream -- runs the block, then saves any open matplotlib figures.
    After the last block it reports the threads and processes still
    running, then ends the way ``python example.py`` ends: the script's
    globals stay, the interpreter waits for non-daemon threads, runs the
    atexit handlers (multiprocessing joins its children there), flushes and
    exits. A ``sys.exit`` in a block ends the run the same way, with the
    same status. An atexit handler registered before the example's first
    block runs last and reports the daemon threads cut off at exit (and, in
    strict mode, what is still open once the globals are dropped).

Events go as JSON lines to a control file that the runner reads after the
run; each is one ``write`` to a file opened with ``O_APPEND``, so events
from several processes keep their order. See :mod:`concdoc.runner` for the
other side.
"""

import atexit
import faulthandler
import gc
import json
import os
import signal
import sys
import time
import traceback
import types

#: Where the open file descriptors of this process are listed (Linux).
_FD_DIR = "/proc/self/fd"
#: In strict mode, how long daemon threads may take to finish once the
#: script's globals are dropped.
THREAD_GRACE = 1.0
#: ``prctl`` option making this process the reaper of its orphaned descendants.
_PR_SET_CHILD_SUBREAPER = 36
#: The runner's requests to the supervisor: a stack dump, and stop everything.
_REQUESTS = {signal.SIGUSR1, signal.SIGUSR2}


class _Control:
    """The control file: one ``os.write`` per event, appended.

    Only the process that opened it reports: a child the example forks runs
    the rest of the script, as it would under ``python``, but silently.
    """

    def __init__(self, path):
        self.path = path
        self.pid = os.getpid()

    def event(self, name, **fields):
        if os.getpid() != self.pid:
            return
        line = (json.dumps({"event": name, **fields}) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


# -- the supervisor -------------------------------------------------------------


def _become_subreaper():
    """Adopt orphaned descendants (Linux); return whether that worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import _ctypes  # ctypes itself takes tens of milliseconds to import

        class _Int(_ctypes._SimpleCData):
            _type_ = "i"

        class _Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL
            _restype_ = _Int

        class _Libc:
            _handle = _ctypes.dlopen(None)

        prctl = _Function(("prctl", _Libc()))
        return prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (ImportError, AttributeError, OSError):
        return False


def _descendants():
    """``{pid: name}`` of every process below this one (Linux ``/proc``)."""
    parents = {}
    names = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                text = stat.read().decode("utf-8", "replace")
        except OSError:
            continue
        head, _, tail = text.rpartition(")")
        fields = tail.split()
        if len(fields) < 2 or fields[0] == "Z":
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
        names[int(entry)] = head.partition("(")[2]
    found = {}
    todo = [os.getpid()]
    while todo:
        for pid in parents.get(todo.pop(), ()):
            found[pid] = names[pid]
            todo.append(pid)
    return found


def _reap():
    """Collect exited children; return False once there are none left."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def _kill_all(contained):
    """Kill every descendant; return ``"pid name"`` of those that were alive."""
    if not contained or not _reap():  # a subreaper without children has no
        return []  # descendants at all: no need to scan /proc
    killed = {}
    for _ in range(200):  # a process may fork while we kill: repeat
        alive = _descendants()
        if not alive:
            break
        for pid, name in alive.items():
            killed.setdefault(pid, name)
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
        _reap()
        time.sleep(0.005)
    while _reap():
        time.sleep(0.005)
    return [f"{pid} {name}" for pid, name in sorted(killed.items())]


def _supervise(spec, example_pid, contained):
    control = _Control(spec["control"])
    exited = []  # the example's exit status, once it has exited

    def finish(returncode):
        killed = _kill_all(contained)
        control.event("leftovers", processes=killed, contained=contained)
        os._exit(returncode if returncode >= 0 else 128 - returncode)

    def stop(signum, frame):
        if exited:  # only descendants are left: they count as left behind
            finish(exited[0])
        _kill_all(contained)  # the time limit: killed, not left behind
        control.event("leftovers", processes=[], contained=contained)
        os._exit(1)

    def forward(signum, frame):
        try:
            os.kill(example_pid, signum)
        except OSError:
            pass

    signal.signal(signal.SIGUSR1, forward)
    signal.signal(signal.SIGUSR2, stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _REQUESTS)  # handle what came early
    _, status = os.waitpid(example_pid, 0)
    returncode = os.waitstatus_to_exitcode(status)
    control.event("interpreter-exit", returncode=returncode)
    exited.append(returncode)
    until = time.monotonic() + spec["linger"]
    while _reap() and time.monotonic() < until:
        time.sleep(0.01)
    finish(returncode)


# -- the example's interpreter --------------------------------------------------


def _flush_std_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


def _save_figures(template, counter):
    """Save and close every open matplotlib figure; return the saved paths."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return []
    paths = []
    for num in plt.get_fignums():
        fig = plt.figure(num)
        if template is not None:
            path = template.format(counter + len(paths))
            fig.savefig(
                path, facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor()
            )
            paths.append(path)
        else:
            paths.append(None)
    plt.close("all")
    return paths


def _format_exception(exc, path):
    """Format ``exc`` with the frames above the example's own removed."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next
    lines = traceback.format_exception(type(exc), exc, tb)
    summary = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return "".join(lines), summary


def _make_main(path):
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    main.__spec__ = None
    main.__cached__ = None
    sys.modules["__main__"] = main
    return main


def _open_fds():
    """Open file descriptors of this process and what they point to.

    Returns None where the system offers no ``/proc/self/fd``.
    """
    try:
        listed = os.listdir(_FD_DIR)
    except OSError:
        return None
    fds = {}
    for name in listed:
        try:
            fds[int(name)] = os.readlink(os.path.join(_FD_DIR, name))
        except (OSError, ValueError):
            continue  # the descriptor listdir itself used, now closed
    return fds


def _live_threads():
    """The threads alive, the main thread excepted."""
    threading = sys.modules.get("threading")
    if threading is None:
        return []
    main = threading.main_thread()
    return [t for t in threading.enumerate() if t is not main]


def _live_processes():
    """multiprocessing's children still running (reaps those that ended)."""
    process = sys.modules.get("multiprocessing.process")
    return process.active_children() if process is not None else []


def _machinery_fds(scratch):
    """Descriptors of library singletons that live until the interpreter exits,
    and of the runner's own files.

    multiprocessing's resource tracker and fork server are started on first
    use and shared by every later process; the heap that holds ``Value`` and
    ``Array`` data keeps its arenas (a file and its memory map, each with a
    descriptor) for reuse, freeing only large ones; gevent's hub keeps its event loop
    (an epoll descriptor and a wake-up eventfd) for the thread's lifetime.
    Files of installed packages (fonts matplotlib keeps in its cache, say)
    belong to the library that caches them. Files in ``scratch``, the run's
    own folder (control file, and whatever in-child machinery writes there),
    belong to the runner. None of these is the example's to close.
    """
    import sysconfig

    paths = sysconfig.get_paths()
    libraries = tuple(
        os.path.join(paths[key], "")
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
    ) + (os.path.join(scratch, ""),)
    fds = {
        fd for fd, target in (_open_fds() or {}).items() if target.startswith(libraries)
    }
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    fds.add(getattr(getattr(tracker, "_resource_tracker", None), "_fd", None))
    forkserver = sys.modules.get("multiprocessing.forkserver")
    server = getattr(forkserver, "_forkserver", None)
    fds.add(getattr(server, "_forkserver_alive_fd", None))
    fds.update(_heap_arena_fds())
    hub_local = sys.modules.get("gevent._hub_local")
    hub = hub_local.get_hub_if_exists() if hub_local is not None else None
    if hub is not None and getattr(hub, "loop", None) is not None:
        fds.add(hub.loop.fileno())
        fds.update(
            fd
            for fd, target in (_open_fds() or {}).items()
            if target == "anon_inode:[eventfd]"
        )
    fds.discard(None)
    return fds


def _heap_arena_fds():
    """Descriptors of multiprocessing's shared-ctypes heap arenas: the
    arena's own and the copy its ``mmap`` keeps, found by the file they name."""
    heap = sys.modules.get("multiprocessing.heap")
    arenas = getattr(
        getattr(getattr(heap, "BufferWrapper", None), "_heap", None), "_arenas", ()
    )
    targets = set()
    for arena in arenas:
        try:
            targets.add(os.readlink(os.path.join(_FD_DIR, str(arena.fd))))
        except (AttributeError, OSError):  # Windows arenas have no descriptor
            continue
    return {fd for fd, target in (_open_fds() or {}).items() if target in targets}


def _release(main):
    """Drop the example's globals, as interpreter shutdown would, and collect.

    What is still open afterwards is held by something the example left
    running, not merely by a variable of the script.
    """
    namespace = dict(main.__dict__)
    main.__dict__.clear()
    main.__dict__.update(
        {k: v for k, v in namespace.items() if k.startswith("__") and k.endswith("__")}
    )
    del namespace
    gc.collect()


class _Example:
    """Runs the blocks, and reports what is left at the end and at exit."""

    def __init__(self, spec):
        self.spec = spec
        self.path = spec["path"]
        self.control = _Control(spec["control"])
        self.strict = bool(spec.get("strict"))
        self.pid = os.getpid()
        self.main = _make_main(self.path)
        self.threads_before = set()
        self.fds_before = None
        self.born = {}  # thread ident or process pid -> the block it appeared in

    def _note_births(self, index):
        for thread in _live_threads():
            self.born.setdefault(("t", thread.ident), index)
        for proc in _live_processes():
            self.born.setdefault(("p", proc.pid), index)

    def run(self):
        """Run the blocks; return what ``sys.exit`` should get (None: status 0)."""
        marker = self.spec["marker"].encode()
        template = self.spec.get("figure_template")
        self.threads_before = {t.ident for t in _live_threads()}
        self.fds_before = _open_fds() if self.strict else None
        atexit.register(self._at_exit)  # first registered, so it runs last
        counter = 1
        for index, (lineno, source) in enumerate(self.spec["blocks"]):
            _flush_std_streams()
            os.write(1, marker + b"%d\x00" % index)
            self.control.event("start", block=index)
            try:
                code = compile("\n" * (lineno - 1) + source, self.path, "exec")
                exec(code, self.main.__dict__)
            except SystemExit as exc:
                _flush_std_streams()
                self._note_births(index)
                self.control.event("exit", block=index, code=_exit_code(exc.code))
                self._last_block()
                return exc
            except BaseException as exc:  # noqa: BLE001 - reported, not hidden
                _flush_std_streams()
                self._note_births(index)
                text, summary = _format_exception(exc, self.path)
                self.control.event(
                    "error", block=index, traceback=text, summary=summary
                )
                self._last_block()
                return 1
            _flush_std_streams()
            self._note_births(index)
            paths = _save_figures(template, counter)
            counter += len(paths)
            self.control.event("done", block=index, figures=paths)
        self._last_block()
        return None

    def _last_block(self):
        """Report the threads and processes still running after the last block."""
        threads = [
            {
                "name": t.name,
                "daemon": t.daemon,
                "block": self.born.get(("t", t.ident)),
            }
            for t in _live_threads()
            if t.ident not in self.threads_before
        ]
        processes = [
            {
                "name": p.name,
                "pid": p.pid,
                "daemon": p.daemon,
                "block": self.born.get(("p", p.pid)),
            }
            for p in _live_processes()
        ]
        left_threads, fds = [], []
        if self.strict and not processes and all(t["daemon"] for t in threads):
            left_threads, fds = self._left_open()
        self.control.event(
            "last-block",
            threads=threads,
            processes=processes,
            left_threads=left_threads,
            fds=fds,
        )

    def _at_exit(self):
        """The interpreter's last atexit handler: what outlived the shutdown."""
        if os.getpid() != self.pid:  # a forked child exiting normally
            return
        daemons = [
            t.name
            for t in _live_threads()
            if t.daemon and t.ident not in self.threads_before
        ]
        _flush_std_streams()
        self.control.event("shutdown", daemon=daemons)

    def _left_open(self):
        """Strict mode: threads and descriptors that survive dropping the globals.

        Checked right after the last block, and only when nothing but daemon
        threads still runs (anything else already breaks the rules): the
        globals are dropped, as the interpreter's shutdown would drop them,
        so what is still open is held by something left running, not by a
        variable of the script. (After this, an atexit handler of the
        example no longer finds the script's globals.)
        """
        _release(self.main)
        deadline = time.monotonic() + THREAD_GRACE
        threads = []
        for thread in _live_threads():
            if thread.ident in self.threads_before:
                continue
            thread.join(max(deadline - time.monotonic(), 0))
            if thread.is_alive():
                kind = "daemon thread" if thread.daemon else "thread"
                threads.append(
                    {
                        "name": f"{kind} {thread.name!r}",
                        "block": self.born.get(("t", thread.ident)),
                    }
                )
        fds = []
        if self.fds_before is not None:
            ignored = _machinery_fds(
                os.path.dirname(os.path.abspath(self.spec["control"]))
            )
            for fd, target in sorted((_open_fds() or {}).items()):
                if fd not in ignored and self.fds_before.get(fd) != target:
                    fds.append(f"file descriptor {fd} ({target})")
        return threads, fds


def _exit_code(code):
    """The status ``sys.exit(code)`` gives, as the interpreter computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def main(spec):
    """Supervise, and run the example in a forked child; return its exit value."""
    contained = _become_subreaper()
    # the runner's requests wait until someone is ready to handle them
    signal.pthread_sigmask(signal.SIG_BLOCK, _REQUESTS)
    pid = os.fork()
    if pid:
        _supervise(spec, pid, contained)  # never returns
    path = spec["path"]
    sys.argv[:] = [path]
    sys.path[0] = os.path.dirname(path)
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _REQUESTS)
    return _Example(spec).run()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as _spec_file:
        _spec = json.load(_spec_file)
    del _spec_file
    _status = main(_spec)
    del _spec
    if isinstance(_status, SystemExit):
        raise _status  # the interpreter prints its message and exits as usual
    sys.exit(_status)
