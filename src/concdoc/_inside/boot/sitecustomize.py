"""Loaded by every Python interpreter of an isolated run (``PYTHONPATH`` names
this folder): the example's own interpreter and all its Python descendants --
spawn and forkserver workers, ``subprocess`` children -- whatever start method.

It does up to three things, then hands over to the interpreter's own
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
  so that only it records its whole lifetime.

It must stay small and import nothing heavy: it runs before every example.
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


def _install_tracer(here):
    root = os.environ.pop("CONCDOC_TRACE_ROOT", None) is not None
    try:
        import concdoc._inside.instrument  # noqa: F401
    except ImportError:  # an interpreter without concdoc installed
        sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(here))))
    from concdoc import trace
    from concdoc._inside import instrument as _instrument

    recorder = trace.active_recorder()
    if recorder is not None:
        _instrument.install(recorder, root=root)


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
    if os.environ.get("CONCDOC_TRACE_DIR"):
        _install_tracer(here)
    _chain_next_sitecustomize(here)


_main()
