"""The example's side of an isolated run; started as ``python _child.py SPEC``.

This file is run by path in a fresh interpreter and imports nothing but the
standard library, so that the example starts as close as possible to
``python example.py``: a real ``__main__`` module with ``__file__``, the
example's folder first on ``sys.path``, ``sys.argv == [example]``.

For each code block it flushes the standard streams, writes a block marker
into file descriptor 1 -- the same pipe that receives everything the example
and its descendants print, so markers keep their place in the stream -- runs
the block, then saves any open matplotlib figures. Events (block started,
figures saved, exception, leaks, finished) go as JSON lines to a control file
that the parent reads after the run. See :mod:`concdoc.runner` for the other
side.

After the last block it releases the example's globals and reports the
threads still alive and the file descriptors still open that were not there
just before the first block (see ``_leaks``).
"""

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
#: After the last block, how long threads still running may take to finish.
THREAD_GRACE = 1.0


def _event(control, **fields):
    control.write(json.dumps(fields) + "\n")
    control.flush()


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


def _snapshot():
    """What the run holds before the example's first block."""
    return {t.ident for t in _live_threads()}, _open_fds()


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


def _leaks(before, main, scratch):
    """Threads still alive and descriptors still open that ``before`` lacked.

    Daemon and non-daemon threads both count (an example joins every thread
    it starts); a thread gets up to :data:`THREAD_GRACE` seconds in all to
    finish. Descriptors are compared on Linux only (``/proc/self/fd``).
    """
    threads_before, fds_before = before
    _release(main)
    deadline = time.monotonic() + THREAD_GRACE
    threads = []
    for thread in _live_threads():
        if thread.ident in threads_before:
            continue
        thread.join(max(deadline - time.monotonic(), 0))
        if thread.is_alive():
            kind = "daemon thread" if thread.daemon else "thread"
            threads.append(f"{kind} {thread.name!r}")
    fds = []
    if fds_before is not None:
        ignored = _machinery_fds(scratch)
        for fd, target in sorted((_open_fds() or {}).items()):
            if fds_before.get(fd) != target and fd not in ignored:
                fds.append(f"file descriptor {fd} ({target})")
    return threads, fds


def run(spec):
    path = spec["path"]
    marker = spec["marker"].encode()
    template = spec.get("figure_template")
    sys.argv[:] = [path]
    sys.path[0] = os.path.dirname(path)
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    main = _make_main(path)
    counter = 1
    status = 0
    with open(spec["control"], "a", encoding="utf-8") as control:
        before = _snapshot()  # after the runner's own descriptors are open
        for index, (lineno, source) in enumerate(spec["blocks"]):
            _flush_std_streams()
            os.write(1, marker + b"%d\x00" % index)
            _event(control, event="start", block=index)
            try:
                code = compile("\n" * (lineno - 1) + source, path, "exec")
                exec(code, main.__dict__)
            except SystemExit as exc:
                _flush_std_streams()
                code = exc.code
                if code is None or code == 0:
                    _event(control, event="exit", block=index)
                    break
                text, summary = _format_exception(exc, path)
                _event(
                    control, event="error", block=index, traceback=text, summary=summary
                )
                status = 1
                break
            except BaseException as exc:  # noqa: BLE001 - reported, not hidden
                _flush_std_streams()
                text, summary = _format_exception(exc, path)
                _event(
                    control, event="error", block=index, traceback=text, summary=summary
                )
                status = 1
                break
            _flush_std_streams()
            paths = _save_figures(template, counter)
            counter += len(paths)
            _event(control, event="done", block=index, figures=paths)
        if status == 0:
            scratch = os.path.dirname(os.path.abspath(spec["control"]))
            threads, fds = _leaks(before, main, scratch)
            _event(control, event="leaks", threads=threads, fds=fds)
        _event(control, event="finished", status=status)
    return status


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as spec_file:
        _spec = json.load(spec_file)
    del spec_file
    sys.exit(run(_spec))
