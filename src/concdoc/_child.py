"""The example's side of an isolated run; started as ``python _child.py SPEC``.

This file is run by path in a fresh interpreter and imports nothing but the
standard library, so that the example starts as close as possible to
``python example.py``: a real ``__main__`` module with ``__file__``, the
example's folder first on ``sys.path``, ``sys.argv == [example]``.

For each code block it flushes the standard streams, writes a block marker
into file descriptor 1 -- the same pipe that receives everything the example
and its descendants print, so markers keep their place in the stream -- runs
the block, then saves any open matplotlib figures. Events (block started,
figures saved, exception, finished) go as JSON lines to a control file that
the parent reads after the run. See :mod:`concdoc.runner` for the other side.
"""

import faulthandler
import json
import os
import signal
import sys
import traceback
import types


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
        _event(control, event="finished", status=status)
    return status


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as spec_file:
        _spec = json.load(spec_file)
    del spec_file
    sys.exit(run(_spec))
