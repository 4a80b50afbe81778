"""Command line: ``python -m concdoc run | trace | semantics | bench``.

Nothing imports this module; it sits on top of the library.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import sys
from pathlib import Path
from typing import TextIO

from concdoc.rules import KINDS
from concdoc.runner import (
    DEFAULT_TIMEOUT,
    FIGURE_FORMATS,
    RunResult,
    Status,
    run_example,
)
from concdoc.texttable import WIDTH as TABLE_WIDTH

#: Exit statuses of ``concdoc run``.
EXIT_OK = 0
EXIT_EXAMPLE_FAILED = 1
EXIT_USAGE = 2
EXIT_TIMEOUT = 3
EXIT_INTERRUPTED = 130

_RUN_HELP = f"""\
Run one script as 'python SCRIPT' runs it, and as the docs build does: in a
fresh interpreter, in the script's own folder, with the output of every
thread, child process and subprocess captured in the order it was written.
After the last block the interpreter shuts down as usual: it waits for
threads, runs atexit handlers, joins multiprocessing's children. Every
process of the run is killed at the end (those still running are named) or
when the time limit expires. The captured output is printed block by block,
as the page will show it, then notes on what plain Python does silently
(a thread that died of an exception, a process joined at exit, ...).

With --strict (as the docs build runs), those notes break the site's house
rules: everything started is finished by the end of the last block, no
thread, process or greenlet dies of an uncaught exception, nothing is left
behind. Each violation is named with its block; an example shows one on
purpose with a line '# concdoc: allow = KIND' (see the docs).

exit status:
  {EXIT_OK}  the script ran and exited with status 0, as 'python SCRIPT'
     would (or failed, as it declares with '# concdoc: expected-failure')
  {EXIT_EXAMPLE_FAILED}  the script raised an exception (traceback shown), called
     sys.exit with a non-zero status ("exited with status N"), its
     interpreter died, or (--strict) it broke a house rule (each named)
  {EXIT_USAGE}  bad arguments: missing or unreadable path, not a Python file,
     bad timeout, unknown start method or figure format
  {EXIT_TIMEOUT}  the time limit expired, in a block or while the interpreter
     shut down; where each thread was is shown; the process tree was killed

A script may set its own limit with a line '# concdoc: timeout = SECONDS';
--timeout overrides it.
"""


_TRACE_HELP = f"""\
Run one script as 'run' does, with a tracer installed from outside (the
script is not changed): the queue puts and gets, pipe sends and receives,
sleeps, joins, pool tasks, threads, processes and greenlets of the script are
recorded on one clock (the docs list what is and is not recorded).
Prints the captured output, then draws the timeline (--output, by default
SCRIPT-timeline.png in the current folder), writes the events as JSON lines
(--json) and/or as Chrome Trace Event JSON (--chrome), which Perfetto
(ui.perfetto.dev) and chrome://tracing open.

The run is judged exactly as 'run' judges it: the same rules (--strict
included), the same exit status ({EXIT_OK} ok, {EXIT_EXAMPLE_FAILED} the script \
failed, {EXIT_USAGE} bad arguments,
{EXIT_TIMEOUT} time limit expired). The timeline is drawn whenever events were recorded.
"""


def _positive_seconds(text: str) -> float:
    from concdoc.blocks import parse_timeout

    try:
        return parse_timeout(text, "--timeout")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_run_options(run: argparse.ArgumentParser) -> None:
    """The options that say how a script runs (``run`` and ``trace``)."""
    run.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help="time limit for the whole run (default: the script's own "
        f"'# concdoc: timeout' line, else {DEFAULT_TIMEOUT:g})",
    )
    run.add_argument(
        "--start-method",
        choices=multiprocessing.get_all_start_methods(),
        help="multiprocessing's default start method for this run, in the "
        "script and all its Python descendants (default: the platform's)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="apply the site's house rules, as the docs build does: fail "
        "(status 1) on every thread or process still running after the last "
        "block, every uncaught exception in a thread, process or greenlet, "
        "and everything left behind",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m concdoc``."""
    parser = argparse.ArgumentParser(
        prog="python -m concdoc",
        description="Run and inspect Python concurrency examples.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser(
        "run",
        help="run one example in isolation and print its captured output",
        description=_RUN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("path", metavar="PATH", help="the example script (.py)")
    _add_run_options(run)
    run.add_argument(
        "--figures",
        type=Path,
        metavar="DIR",
        help="save matplotlib figures into DIR (default: count them only)",
    )
    run.add_argument(
        "--figure-format",
        choices=FIGURE_FORMATS,
        default=FIGURE_FORMATS[0],
        help="image format of the figures saved with --figures (default: %(default)s)",
    )
    trace = commands.add_parser(
        "trace",
        help="run one script traced and draw its timeline",
        description=_TRACE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    trace.add_argument("path", metavar="PATH", help="the script (.py)")
    _add_run_options(trace)
    trace.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="draw the timeline into FILE (.png, .svg, .pdf ...; default: "
        "SCRIPT-timeline.png unless --json or --chrome is given)",
    )
    trace.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="write the recorded events to FILE as JSON lines",
    )
    trace.add_argument(
        "--chrome",
        type=Path,
        metavar="FILE",
        help="write the recorded events to FILE as Chrome Trace Event JSON "
        "(open it in ui.perfetto.dev or chrome://tracing)",
    )
    trace.add_argument(
        "--language",
        default="en",
        help="language of the timeline's labels: one of concdoc.plot.LANGUAGES "
        "(en, zh_CN; default: en)",
    )
    _add_semantics(commands)
    _add_bench(commands)
    return parser


_SEMANTICS_HELP = f"""\
Probe every queue implementation on this interpreter (the queue module,
multiprocessing queues, pipes and a manager's queue, asyncio, gevent, and the
interpreters queue where it exists) and print what put/get and friends do:
return, block, or raise which exception, after how long. A call that would
wait forever is given up after a short bound and released, so the command
always ends; it says on stderr how long the probes took. Progress goes to
stderr; tables wider than {TABLE_WIDTH} columns are cut into narrower ones, one under
the other.

exit status:
  0  the matrix was printed
  2  bad arguments: unknown format or implementation name
"""

#: Output formats of ``concdoc semantics``.
SEMANTICS_FORMATS = ("table", "json")


def _add_semantics(commands: argparse._SubParsersAction) -> None:
    semantics = commands.add_parser(
        "semantics",
        help="probe put/get/block/timeout behaviour of every queue implementation",
        description=_SEMANTICS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    semantics.add_argument(
        "--format",
        default="table",
        metavar="table|json",
        help="aligned text tables (default), or one JSON object keyed by "
        "implementation name",
    )
    semantics.add_argument(
        "--only",
        nargs="+",
        action="extend",
        metavar="NAME",
        help="probe only these implementations (dotted names such as "
        "queue.Queue or gevent.queue.Channel)",
    )


def _usage_error(command: str, message: str) -> int:
    """Print a one-line error for ``concdoc COMMAND`` and return the usage status."""
    print(f"concdoc {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _semantics(args: argparse.Namespace) -> int:
    import json
    import platform
    import time

    from concdoc import semantics

    fail = functools.partial(_usage_error, "semantics")
    if args.format not in SEMANTICS_FORMATS:
        return fail(f"unknown format {args.format!r}; choose table or json")
    known = [impl.name for impl in semantics.IMPLEMENTATIONS]
    unknown = [name for name in args.only or () if name not in known]
    if unknown:
        return fail(f"unknown implementation {unknown[0]!r}; known: {', '.join(known)}")
    start = time.monotonic()
    reports = semantics.probe_all(
        args.only,
        progress=lambda step: print(f"concdoc semantics: {step}", file=sys.stderr),
    )
    elapsed = time.monotonic() - start
    if args.format == "json":
        json.dump(semantics.reports_to_json(reports), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(semantics.format_tables(reports))
    print(
        f"concdoc semantics: probed {len(reports)} implementations in "
        f"{elapsed:.1f} s on Python {platform.python_version()}",
        file=sys.stderr,
    )
    return EXIT_OK


_BENCH_HELP = f"""\
Measure message passing (throughput and round-trip latency of every queue,
pipe and channel, over several message sizes), the cost of starting a
process under each start method, and the effect of Pool.map's chunksize, on
this machine. Each subject runs in a fresh interpreter; every number is the
median of several repeats, printed with its interquartile range (IQR) and
the interpreter and machine it was measured on. Progress goes to stderr;
tables wider than {TABLE_WIDTH} columns are cut into narrower ones, one under the other.

The default (bounded) mode caps the time of each measurement; --full
measures more message sizes, with more repeats and a longer cap, and takes
much longer. The time taken is printed on stderr.

exit status:
  0  the results were printed (subjects that could not run, e.g. gevent not
     installed, are listed as skipped)
  2  bad arguments: unknown format or benchmark name, unwritable --output
"""


#: Output formats of ``concdoc bench`` (as for ``semantics``).
BENCH_FORMATS = SEMANTICS_FORMATS


def _add_bench(commands: argparse._SubParsersAction) -> None:
    from concdoc.bench import BENCHMARKS

    bench = commands.add_parser(
        "bench",
        help="measure queues, pipes, process start-up and chunksize on this machine",
        description=_BENCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument(
        "--full",
        action="store_true",
        help="more sizes, more repeats, longer runs (much slower)",
    )
    bench.add_argument(
        "--only",
        nargs="+",
        action="extend",
        metavar="NAME",
        help=f"run only these benchmarks: {', '.join(BENCHMARKS)}",
    )
    bench.add_argument(
        "--format",
        default="table",
        metavar="table|json",
        help="aligned text tables (default), or one JSON object",
    )
    bench.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FIG.png",
        help="also draw the results into this image (.png, .svg, .pdf ...)",
    )


def _bench(args: argparse.Namespace) -> int:
    import json

    from concdoc import bench

    fail = functools.partial(_usage_error, "bench")
    if args.format not in BENCH_FORMATS:
        return fail(f"unknown format {args.format!r}; choose table or json")
    unknown = [name for name in args.only or () if name not in bench.BENCHMARKS]
    if unknown:
        return fail(
            f"unknown benchmark {unknown[0]!r}; known: {', '.join(bench.BENCHMARKS)}"
        )
    if args.output is not None:
        try:
            _check_writable(args.output, "--output")
            _check_image_format(args.output)
        except ValueError as exc:
            return fail(str(exc))
    results = bench.run(
        args.only,
        full=args.full,
        progress=lambda step: print(f"concdoc bench: {step}", file=sys.stderr),
    )
    if args.format == "json":
        json.dump(results.to_json(), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(bench.format_tables(results))
    if args.output is not None:
        from concdoc.bench.draw import save

        try:
            save(results, args.output)
        except ValueError as exc:  # nothing measured (every subject skipped)
            return fail(str(exc))
        print(f"concdoc bench: chart: {args.output}", file=sys.stderr)
    print(
        f"concdoc bench: {len(results.measurements)} measurements in "
        f"{results.duration:.1f} s ({results.mode} mode)",
        file=sys.stderr,
    )
    return EXIT_OK


def print_result(result: RunResult, out: TextIO) -> None:
    """Print a run block by block, the way the page shows it."""
    for number, res in enumerate(result.blocks, 1):
        first, last = res.block.first_code_line, res.block.end_lineno
        out.write(f"── block {number}: lines {first}-{last} ──\n")
        if res.output:
            out.write(res.output if res.output.endswith("\n") else res.output + "\n")
        for index in range(res.figure_count):
            saved = res.figures[index] if index < len(res.figures) else None
            out.write(
                f"[figure: {saved}]\n"
                if saved
                else "[figure, not saved: use --figures DIR]\n"
            )
        if res.traceback:
            out.write(res.traceback)
    for note in result.notes:
        allowed = " (allowed)" if result.strict and note.kind in KINDS else ""
        out.write(f"[note{allowed}: {note}]\n")
    for violation in result.violations:
        out.write(f"[house rule broken, {violation.kind}: {violation}]\n")
    out.flush()


def _run(args: argparse.Namespace) -> int:
    template = None
    if args.figures is not None:
        try:
            args.figures.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return _usage_error("run", f"--figures {args.figures}: {exc.strerror}")
        name = f"{Path(args.path).stem}_{{0:03}}.{args.figure_format}"
        template = str(args.figures.resolve() / name)
    try:
        result = run_example(
            args.path,
            timeout=args.timeout,
            start_method=args.start_method,
            figure_template=template,
            strict=args.strict,
        )
    except (OSError, ValueError) as exc:
        return _usage_error("run", str(exc))
    print_result(result, sys.stdout)
    return _exit_status(result, "run")


def _exit_status(result: RunResult, command: str) -> int:
    """Report how the run ended (stderr) and return the exit status."""
    if result.ok:
        if result.expected_failure:
            print(
                f"concdoc {command}: failed as expected: {result.detail}",
                file=sys.stderr,
            )
        return EXIT_OK
    print(f"concdoc {command}: {result.reason}", file=sys.stderr)
    return EXIT_TIMEOUT if result.status is Status.TIMEOUT else EXIT_EXAMPLE_FAILED


def _check_writable(path: Path, what: str) -> None:
    if not path.parent.resolve().is_dir():
        raise ValueError(f"{what} {path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ValueError(f"{what} {path}: is a directory")


def _check_image_format(path: Path) -> None:
    from matplotlib.figure import Figure

    formats = Figure().canvas.get_supported_filetypes()
    if path.suffix.lstrip(".").lower() not in formats:
        raise ValueError(
            f"--output {path}: unknown image format {path.suffix!r} "
            f"(known: {', '.join(sorted(formats))})"
        )


def _trace(args: argparse.Namespace) -> int:
    output = args.output
    if output is None and args.json is None and args.chrome is None:
        output = Path(Path(args.path).stem + "-timeline.png")
    try:
        from concdoc.plot import LANGUAGES

        if args.language not in LANGUAGES:
            raise ValueError(
                f"--language: unknown language {args.language!r} "
                f"(known: {', '.join(LANGUAGES)})"
            )
        if output is not None:
            _check_writable(output, "--output")
            _check_image_format(output)
        for option, path in (("--json", args.json), ("--chrome", args.chrome)):
            if path is not None:
                _check_writable(path, option)
        result = run_example(
            args.path,
            timeout=args.timeout,
            start_method=args.start_method,
            trace=True,
            strict=args.strict,
        )
    except (OSError, ValueError) as exc:
        return _usage_error("trace", str(exc))
    print_result(result, sys.stdout)
    timeline = result.trace
    assert timeline is not None
    if args.json is not None:
        written = timeline.to_jsonl(args.json)
        print(
            f"[events: {args.json}: {written} events and "
            f"{len(timeline.actors)} actors, {written + len(timeline.actors)} lines]"
        )
    if args.chrome is not None:
        from concdoc.chrome import write_chrome

        written = write_chrome(timeline, args.chrome)
        print(
            f"[Chrome trace: {args.chrome}: {written} events on "
            f"{len(timeline.actors)} tracks; open it in ui.perfetto.dev]"
        )
    if output is not None:
        if timeline:
            from concdoc.plot import save_timeline

            try:
                save_timeline(timeline, output, language=args.language)
            except RuntimeError as exc:  # the Chinese font is not installed
                return _usage_error("trace", str(exc))
            print(f"[timeline: {output}]")
        else:
            print("[timeline: none, the run recorded no events]")
    return _exit_status(result, "trace")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "trace":
            return _trace(args)
        if args.command == "semantics":
            return _semantics(args)
        if args.command == "bench":
            return _bench(args)
    except KeyboardInterrupt:
        print("concdoc: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands
