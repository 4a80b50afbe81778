"""Loaded by every Python interpreter of an isolated run (``PYTHONPATH`` names
this folder): the example's own interpreter and all its Python descendants --
spawn and forkserver workers, ``subprocess`` children -- whatever start method.

It does up to four things, then hands over to the interpreter's own
``sitecustomize`` if there is one:

* makes ``sys.stdout`` line-buffered, as it is on a terminal, so that lines
  from several processes sharing the output pipe arrive whole and in the
  order they were printed;
* when ``CONCDOC_START_METHOD`` is set, makes it multiprocessing's default
  start method without locking it, so an example may still call
  ``set_start_method`` itself;
* when ``CONCDOC_TRACE_DIR`` is set, installs concdoc's tracer
  (:mod:`concdoc._inside.instrument`), which records into that directory. The
  run's first interpreter also finds ``CONCDOC_TRACE_ROOT`` and removes it,
  so that only it records its whole lifetime. In the run's first
  interpreter, which supervises (``CONCDOC_SUPERVISED``), the tracer is
  installed in the child it forks to run the example, not in itself;
* when ``CONCDOC_CONTROL`` is set, reports to that control file every
  thread, ``multiprocessing`` process and gevent greenlet that dies of an
  uncaught exception (the usual traceback is still printed): hooks run right
  after ``threading``, ``multiprocessing.process`` or ``gevent.hub`` is first
  imported, so nothing is imported early.

It must stay small and import nothing heavy: it runs before every example.
It imports nothing from concdoc (except the tracer, when tracing): the names
it shares with the runner are tied to ``concdoc._protocol`` by a test.
"""

import io
import os
import sys


def _line_buffer_stdio():
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            if isinstance(stream.buffer, io.RawIOBase):
                # unbuffered (-u, PYTHONUNBUFFERED): print() would write the
                # text and the newline separately; give it a buffer again.
                raw = io.FileIO(stream.fileno(), "w", closefd=False)
                setattr(
                    sys,
                    name,
                    io.TextIOWrapper(
                        io.BufferedWriter(raw),
                        encoding=stream.encoding,
                        errors=stream.errors,
                        line_buffering=True,
                    ),
                )
            else:
                stream.reconfigure(line_buffering=True)
        except (AttributeError, ValueError, OSError):
            pass


def _default_start_method(method):
    import multiprocessing.context as context

    context._default_context._default_context = context._concrete_contexts[method]


_installed: list[bool] = []  # not empty once the tracer is installed in this process


def _install_tracer(here):
    root = os.environ.pop("CONCDOC_TRACE_ROOT", None) is not None
    if _installed:  # a fork of the example (see _defer_tracer)
        return
    _installed.append(True)
    try:
        import concdoc._inside.instrument  # noqa: F401
    except ImportError:  # an interpreter without concdoc installed
        sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(here))))
    from concdoc._inside import instrument as _instrument
    from concdoc._inside import tracewriter

    recorder = tracewriter.active_recorder()
    if recorder is not None:
        _instrument.install(recorder, root=root, on_import=on_import)


def _defer_tracer(here):
    """Install the tracer in the first child this supervisor forks (the example)."""
    os.register_at_fork(after_in_child=lambda: _install_tracer(here))


# -- reporting deaths by uncaught exception ------------------------------------


def _report(event, name, exc_type, exc):
    """Append one event to the run's control file (one write, O_APPEND)."""
    import json
    import traceback

    summary = traceback.format_exception_only(exc_type, exc)[-1].strip()
    fields = {"event": event, "name": name, "summary": summary, "pid": os.getpid()}
    line = (json.dumps(fields) + "\n").encode()
    try:
        fd = os.open(os.environ["CONCDOC_CONTROL"], os.O_WRONLY | os.O_APPEND)
    except (KeyError, OSError):
        return
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _hook_threading(module):
    original = module.excepthook

    def excepthook(args):
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else "?"
            _report("thread-exception", name, args.exc_type, args.exc_value)
        return original(args)

    module.excepthook = excepthook


def _hook_process(module):
    """Report a process's uncaught exception where ``_bootstrap`` prints it.

    ``BaseProcess._bootstrap`` catches what ``run`` raises and prints it with
    ``traceback.print_exc()``; that call, and only that one, is reported.
    Nothing is wrapped around ``run``, so the printed traceback is unchanged.
    """
    import traceback

    bootstrap = module.BaseProcess._bootstrap.__code__
    original = traceback.print_exc

    def print_exc(*args, **kwargs):
        caller = sys._getframe(1)
        if caller.f_code is bootstrap:
            exc = sys.exc_info()[1]
            name = getattr(caller.f_locals.get("self"), "name", "?")
            _report("process-exception", name, type(exc), exc)
        return original(*args, **kwargs)

    traceback.print_exc = print_exc


def _greenlet_name(glet):
    """A greenlet's name if it was given one, else its function's (reading
    ``Greenlet.name`` would make one up, and change the greenlet's repr)."""
    own = getattr(glet, "__dict__", {})
    name = own.get("name") or getattr(own.get("_run"), "__name__", None)
    return name or type(glet).__name__


def _hook_gevent_hub(module):
    hub = module.Hub
    original = hub.print_exception

    def print_exception(self, context, exc_type, value, tb):
        if isinstance(value, BaseException) and not isinstance(value, SystemExit):
            _report("greenlet-exception", _greenlet_name(context), exc_type, value)
        return original(self, context, exc_type, value, tb)

    hub.print_exception = print_exception


class _PostImportFinder:  # an importlib.abc.MetaPathFinder (not imported: slow)
    """Run a hook right after a module's code has run, at its first import."""

    def __init__(self, hooks):
        self.hooks = hooks
        self.busy = set()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.hooks or fullname in self.busy:
            return None
        import importlib.util

        self.busy.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.busy.discard(fullname)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _HookedLoader(spec.loader, self.hooks.pop(fullname))
        return spec


class _HookedLoader:  # an importlib.abc.Loader
    def __init__(self, loader, hook):
        self.loader = loader
        self.hook = hook

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.hook(module)

    def __getattr__(self, name):
        return getattr(self.loader, name)


def on_import(hooks):
    """Call ``hooks[name](module)`` once module ``name`` is imported (now, if it is).

    The tracer (``concdoc._inside.instrument``) installs its patches with it too.
    """
    hooks = dict(hooks)
    for name in [n for n in hooks if n in sys.modules]:
        hooks.pop(name)(sys.modules[name])
    sys.meta_path.insert(0, _PostImportFinder(hooks))


def _hook_deaths():
    on_import(
        {
            "threading": _hook_threading,
            "multiprocessing.process": _hook_process,
            "gevent.hub": _hook_gevent_hub,
        }
    )


def _chain_next_sitecustomize(here):
    import importlib.machinery
    import importlib.util

    path = [entry for entry in sys.path if os.path.abspath(entry or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


def _main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    _line_buffer_stdio()
    method = os.environ.get("CONCDOC_START_METHOD")
    if method:
        _default_start_method(method)
    if os.environ.get("CONCDOC_CONTROL"):
        _hook_deaths()
    if os.environ.get("CONCDOC_TRACE_DIR"):
        if os.environ.pop("CONCDOC_SUPERVISED", None) is not None:
            _defer_tracer(here)
        else:
            _install_tracer(here)
    else:
        os.environ.pop("CONCDOC_SUPERVISED", None)
    _chain_next_sitecustomize(here)


_main()
