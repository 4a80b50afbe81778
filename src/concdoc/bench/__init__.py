"""Measure what message passing and process start-up cost on this machine.

Three benchmarks, each subject measured in a fresh interpreter (so that
gevent's hub, a manager's process or a pool's workers left by one cannot
disturb the next):

- **channels** -- throughput (messages per second, one way) and latency
  (microseconds per round trip) of every channel in :data:`CHANNELS`, for
  each message size of the settings;
- **start methods** -- the cost of starting and joining a trivial
  :class:`multiprocessing.Process` under each start method (and, for
  comparison, a :class:`threading.Thread`);
- **chunksize** -- the time :meth:`multiprocessing.pool.Pool.map` takes for a
  fixed amount of small work, for several ``chunksize`` values.

Each measurement is warmed up, repeated, and summarised by its median and
spread (:class:`Stats`); the results (:class:`BenchResults`) carry the
machine and interpreter they were measured on (:class:`Machine`) and convert
to and from JSON. :data:`BOUNDED` settings keep the whole set within a few
seconds per subject (the docs build); :data:`FULL` settings measure more
sizes, longer. Drawing is in :mod:`concdoc.bench.draw` (matplotlib, imported
only there).

This module knows nothing of Sphinx.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from concdoc.texttable import format_table

__all__ = [
    "BENCHMARKS",
    "BOUNDED",
    "CHANNELS",
    "CHANNEL_KINDS",
    "FULL",
    "BenchResults",
    "Machine",
    "Measurement",
    "Settings",
    "Stats",
    "bounded",
    "channel_table",
    "chunksize_table",
    "format_size",
    "format_tables",
    "format_value",
    "machine_info",
    "run",
    "start_table",
    "summarize",
    "table_rows",
    "TABLE_LABELS",
]

#: The channels measured, by the name the results and ``--only`` use.
CHANNELS = (
    "queue.Queue",
    "queue.SimpleQueue",
    "deque+Condition",
    "asyncio.Queue",
    "gevent.queue.Queue",
    "multiprocessing.Queue",
    "multiprocessing.SimpleQueue",
    "multiprocessing.Pipe",
    "Manager.Queue",
)
#: What carries the messages of each channel (the peer that echoes them).
CHANNEL_KINDS = {
    "queue.Queue": "thread",
    "queue.SimpleQueue": "thread",
    "deque+Condition": "thread",
    "asyncio.Queue": "asyncio",
    "gevent.queue.Queue": "gevent",
    "multiprocessing.Queue": "process",
    "multiprocessing.SimpleQueue": "process",
    "multiprocessing.Pipe": "process",
    "Manager.Queue": "process",
}
#: Every benchmark name ``run(only=...)`` and ``--only`` accept.
BENCHMARKS = (*CHANNELS, "start-methods", "chunksize")


@dataclass(frozen=True)
class Settings:
    """How much to measure.

    Parameters
    ----------
    sizes : tuple of int
        Message sizes in bytes.
    warmup : int
        Untimed repeats before the timed ones.
    repeats : int
        At most this many timed repeats per measurement.
    min_repeats : int
        At least this many, whatever the time cap.
    cap : float
        Seconds per measurement after which no new repeat starts.
    batch_bytes : int
        One repeat sends about this many bytes ...
    batch_messages : tuple of int
        ... but at least the first and at most the second number of messages.
    tasks : int
        Items of the ``Pool.map`` chunksize benchmark.
    chunksizes : tuple of int
        The chunksizes tried.
    workers : int
        Worker processes of that pool.
    worker_timeout : float
        Seconds after which one subject's interpreter is killed (the subject
        is then reported as skipped).
    """

    sizes: tuple[int, ...]
    warmup: int
    repeats: int
    min_repeats: int
    cap: float
    batch_bytes: int
    batch_messages: tuple[int, int]
    tasks: int
    chunksizes: tuple[int, ...]
    workers: int = 2
    worker_timeout: float = 60.0


#: Settings for the docs build (four sizes, a few repeats, each measurement capped).
BOUNDED = Settings(
    sizes=(8, 1024, 64 * 1024, 1024 * 1024),
    warmup=2,
    repeats=9,
    min_repeats=3,
    cap=0.08,
    batch_bytes=1024 * 1024,
    batch_messages=(4, 400),
    tasks=2000,
    chunksizes=(1, 4, 16, 64, 256, 1000),
    worker_timeout=30.0,
)
#: Settings for users (``python -m concdoc bench --full``), ten sizes, longer runs.
FULL = Settings(
    sizes=(8, *(4**k for k in range(2, 11))),  # 8 B, 16 B, 64 B ... 256 KiB, 1 MiB
    warmup=3,
    repeats=21,
    min_repeats=5,
    cap=1.0,
    batch_bytes=16 * 1024 * 1024,
    batch_messages=(16, 5000),
    tasks=20000,
    chunksizes=(1, 4, 16, 64, 256, 1024, 4096, 10000),
    worker_timeout=300.0,
)


@dataclass(frozen=True)
class Stats:
    """Median and spread of a list of samples.

    Parameters
    ----------
    median : float
    q1 : float
        First quartile (linear interpolation between order statistics).
    q3 : float
        Third quartile.
    minimum : float
    maximum : float
    count : int
        Number of samples.
    """

    median: float
    q1: float
    q3: float
    minimum: float
    maximum: float
    count: int

    @property
    def iqr(self) -> float:
        """Interquartile range, ``q3 - q1``."""
        return self.q3 - self.q1


def _quantile(ordered: list[float], fraction: float) -> float:
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(samples: Iterable[float]) -> Stats:
    """Median, quartiles and range of ``samples``.

    Quartiles interpolate linearly between order statistics (the
    ``inclusive`` method of :func:`statistics.quantiles`): for 1, 2, 3, 4, 5
    they are 2 and 4.

    Parameters
    ----------
    samples : ~collections.abc.Iterable of float

    Returns
    -------
    Stats

    Raises
    ------
    ValueError
        If there are no samples.
    """
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples to summarise")
    return Stats(
        median=_quantile(ordered, 0.5),
        q1=_quantile(ordered, 0.25),
        q3=_quantile(ordered, 0.75),
        minimum=ordered[0],
        maximum=ordered[-1],
        count=len(ordered),
    )


@dataclass(frozen=True)
class Measurement:
    """One measured quantity: its samples and their statistics.

    Parameters
    ----------
    benchmark : str
        ``"throughput"``, ``"latency"``, ``"start"`` or ``"chunksize"``.
    subject : str
        A channel of :data:`CHANNELS`, a start method (or ``"thread"``), or
        ``"Pool.map"``.
    parameter : int or None
        Message size in bytes, or chunksize; None for a start method.
    unit : str
        ``"msg/s"``, ``"µs"`` or ``"ms"``.
    samples : list of float
        One value per timed repeat, in ``unit``.
    stats : Stats
    """

    benchmark: str
    subject: str
    parameter: int | None
    unit: str
    samples: list[float]
    stats: Stats


@dataclass(frozen=True)
class Machine:
    """What the numbers were measured on.

    Parameters
    ----------
    python : str
        Python version, as :func:`platform.python_version` gives it.
    implementation : str
        ``"CPython"``, ``"PyPy"`` ...
    os : str
        Operating system and release.
    cpu : str
        CPU model, as the operating system names it.
    cores : int or None
        Logical CPUs (:func:`os.cpu_count`).
    start_method : str
        :mod:`multiprocessing`'s default start method.
    """

    python: str
    implementation: str
    os: str
    cpu: str
    cores: int | None
    start_method: str

    def describe(self) -> str:
        """One line: interpreter, operating system, CPU and cores."""
        return (
            f"{self.implementation} {self.python} on {self.os}, {self.cpu}, "
            f"{self.cores} logical CPUs (default start method: {self.start_method})"
        )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def machine_info() -> Machine:
    """Describe this interpreter and machine."""
    return Machine(
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        os=f"{platform.system()} {platform.release()}",
        cpu=_cpu_model(),
        cores=os.cpu_count(),
        start_method=multiprocessing.get_start_method(),
    )


@dataclass
class BenchResults:
    """Everything one :func:`run` measured.

    Parameters
    ----------
    machine : Machine
    mode : str
        ``"bounded"`` or ``"full"``.
    settings : Settings
    measurements : list of Measurement
    skipped : dict
        Benchmark name to why it could not run (e.g. gevent not installed).
    duration : float
        Seconds the whole run took.
    """

    machine: Machine
    mode: str
    settings: Settings
    measurements: list[Measurement] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0

    def select(self, benchmark: str, subject: str | None = None) -> list[Measurement]:
        """The measurements of one benchmark (and subject), in measured order."""
        return [
            m
            for m in self.measurements
            if m.benchmark == benchmark and subject in (None, m.subject)
        ]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``json.dumps`` it)."""
        return {
            "machine": asdict(self.machine),
            "mode": self.mode,
            "settings": asdict(self.settings),
            "duration": self.duration,
            "measurements": [asdict(m) for m in self.measurements],
            "skipped": dict(self.skipped),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BenchResults:
        """Rebuild results from :meth:`to_json`'s output."""
        settings: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v
            for k, v in data["settings"].items()
        }
        return cls(
            machine=Machine(**data["machine"]),
            mode=data["mode"],
            settings=Settings(**settings),
            measurements=[
                Measurement(**{**m, "stats": Stats(**m["stats"])})
                for m in data["measurements"]
            ],
            skipped=dict(data["skipped"]),
            duration=data["duration"],
        )


def _job(kind: str, subject: str, settings: Settings) -> dict[str, Any]:
    return {"kind": kind, "subject": subject, **asdict(settings)}


class _Skipped(Exception):
    """A subject that could not be measured; the message says why."""


def _measure(kind: str, subject: str, settings: Settings) -> dict[str, list[float]]:
    """Run one subject's measurement in a fresh interpreter; its raw samples."""
    code = "from concdoc.bench._worker import main; main()"
    job = json.dumps(_job(kind, subject, settings))
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, job],
            capture_output=True,
            text=True,
            timeout=settings.worker_timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise _Skipped(f"took longer than {settings.worker_timeout:g} s") from None
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"]
        raise _Skipped(lines[-1])
    return json.loads(proc.stdout.strip().splitlines()[-1])["samples"]


def _measure_channel(name: str, settings: Settings) -> list[Measurement]:
    samples = _measure("channel", name, settings)
    found = []
    for size in settings.sizes:
        per_trip = [s * 1e6 for s in samples[f"latency {size}"]]
        rates = [1 / s for s in samples[f"throughput {size}"]]
        found.append(
            Measurement("throughput", name, size, "msg/s", rates, summarize(rates))
        )
        found.append(
            Measurement("latency", name, size, "µs", per_trip, summarize(per_trip))
        )
    return found


def _measure_start(settings: Settings) -> list[Measurement]:
    found = []
    for method in (*multiprocessing.get_all_start_methods(), "thread"):
        costs = [s * 1e3 for s in _measure("start", method, settings)["start"]]
        found.append(Measurement("start", method, None, "ms", costs, summarize(costs)))
    return found


def _measure_chunksize(settings: Settings) -> list[Measurement]:
    samples = _measure("chunksize", "Pool.map", settings)
    found = []
    for chunksize in settings.chunksizes:
        times = [s * 1e3 for s in samples[f"chunksize {chunksize}"]]
        stats = summarize(times)
        found.append(
            Measurement("chunksize", "Pool.map", chunksize, "ms", times, stats)
        )
    return found


def _measurer(name: str) -> Callable[[Settings], list[Measurement]]:
    if name == "start-methods":
        return _measure_start
    if name == "chunksize":
        return _measure_chunksize
    return lambda settings: _measure_channel(name, settings)


def run(
    only: Iterable[str] | None = None,
    *,
    full: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> BenchResults:
    """Run the benchmarks and return their results.

    Parameters
    ----------
    only : ~collections.abc.Iterable of str, optional
        Names from :data:`BENCHMARKS` (channels, ``"start-methods"``,
        ``"chunksize"``); all of them by default.
    full : bool
        Use :data:`FULL` instead of :data:`BOUNDED`.
    settings : Settings, optional
        Overrides both (e.g. ``dataclasses.replace(BOUNDED, sizes=(8,))``).
    progress : ~collections.abc.Callable, optional
        Called with a short message before each benchmark starts.

    Returns
    -------
    BenchResults
        A subject that cannot run here (gevent missing, its interpreter
        failed or overran ``worker_timeout``) is listed in ``skipped``.

    Raises
    ------
    ValueError
        On a name not in :data:`BENCHMARKS`.
    """
    names = list(BENCHMARKS if only is None else only)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise ValueError(
            f"unknown benchmark {unknown[0]!r}; known: {', '.join(BENCHMARKS)}"
        )
    chosen = settings or (FULL if full else BOUNDED)
    results = BenchResults(
        machine=machine_info(), mode="full" if full else "bounded", settings=chosen
    )
    started = time.perf_counter()
    for number, name in enumerate(names, 1):
        if progress is not None:
            progress(f"[{number}/{len(names)}] {name}")
        try:
            results.measurements += _measurer(name)(chosen)
        except _Skipped as exc:
            results.skipped[name] = str(exc)
    results.duration = time.perf_counter() - started
    return results


# --- text tables -------------------------------------------------------------


def format_size(size: int) -> str:
    """``1024`` -> ``"1 KiB"``; sizes are powers of two in the settings."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} B"


def format_value(value: float) -> str:
    """Three significant digits, thousands grouped: ``"12,300"``, ``"4.56"``."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _spread(stats: Stats) -> str:
    return f"{format_value(stats.q1)}–{format_value(stats.q3)}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    return format_table(header, rows, right=True)


#: The words of the tables, per language; units are symbols in both.
TABLE_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "channel": "channel",
        "iqr": "IQR",
        "msg/s": "msg/s",
        "start method": "start method",
        "median": "median ({unit})",
        "range": "min–max",
        "repeats": "repeats",
        "chunksize": "chunksize",
        "map": "map of {tasks} tasks ({unit})",
    },
    "zh_CN": {
        "channel": "通道",
        "iqr": "四分位距",
        "msg/s": "条/秒",
        "start method": "启动方式",
        "median": "中位数（{unit}）",
        "range": "最小–最大",
        "repeats": "重复次数",
        "chunksize": "chunksize",
        "map": "{tasks} 个任务的 map（{unit}）",
    },
}
#: The tables :func:`table_rows` makes.
_TABLES = ("throughput", "latency", "start", "chunksize")


def _unit(unit: str, words: dict[str, str]) -> str:
    return words.get(unit, unit)


def table_rows(
    results: BenchResults, table: str, language: str | None = "en"
) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one table of ``results``, worded for ``language``.

    Parameters
    ----------
    results : BenchResults
    table : {"throughput", "latency", "start", "chunksize"}
        The channel tables have one row per channel and a (median, IQR)
        column pair per message size; ``start``, one row per start method
        (and ``thread``); ``chunksize``, one row per chunksize.
    language : str, optional
        ``"en"`` (the default) or ``"zh_CN"``.

    Returns
    -------
    tuple
        The header, and the rows (empty when ``results`` has no such data).
    """
    words = TABLE_LABELS.get(language or "en", TABLE_LABELS["en"])
    found = results.select(table)
    if table in ("throughput", "latency"):
        unit = _unit(found[0].unit, words) if found else ""
        sizes = sorted({m.parameter for m in found if m.parameter is not None})
        header = [words["channel"]]
        for size in sizes:
            header += [f"{format_size(size)} ({unit})", words["iqr"]]
        rows = []
        for subject in dict.fromkeys(m.subject for m in found):
            by_size = {m.parameter: m.stats for m in found if m.subject == subject}
            row = [subject]
            for size in sizes:
                stats = by_size.get(size)
                row += (
                    [format_value(stats.median), _spread(stats)] if stats else ["", ""]
                )
            rows.append(row)
        return header, rows
    if table == "start":
        header = [
            words["start method"],
            words["median"].format(unit="ms"),
            words["iqr"],
            words["range"],
            words["repeats"],
        ]
        rows = [
            [
                m.subject,
                format_value(m.stats.median),
                _spread(m.stats),
                f"{format_value(m.stats.minimum)}–{format_value(m.stats.maximum)}",
                str(m.stats.count),
            ]
            for m in found
        ]
        return header, rows
    if table == "chunksize":
        tasks = results.settings.tasks
        header = [
            words["chunksize"],
            words["map"].format(tasks=tasks, unit="ms"),
            words["iqr"],
            words["repeats"],
        ]
        rows = [
            [
                str(m.parameter),
                format_value(m.stats.median),
                _spread(m.stats),
                str(m.stats.count),
            ]
            for m in found
        ]
        return header, rows
    raise ValueError(f"unknown table {table!r}; known: {', '.join(_TABLES)}")


def _text_table(results: BenchResults, table: str) -> str:
    header, rows = table_rows(results, table)
    return _table(header, rows) if rows else ""


def channel_table(results: BenchResults, benchmark: str) -> str:
    """One row per channel, one column pair (median, IQR) per message size.

    Parameters
    ----------
    results : BenchResults
    benchmark : {"throughput", "latency"}
    """
    return _text_table(results, benchmark)


def start_table(results: BenchResults) -> str:
    """One row per start method (and ``thread``): start + join in ms."""
    return _text_table(results, "start")


def chunksize_table(results: BenchResults) -> str:
    """One row per chunksize: median and IQR of the ``Pool.map`` time (ms)."""
    return _text_table(results, "chunksize")


def format_tables(results: BenchResults) -> str:
    """Every table of ``results``, titled, with the machine line first."""
    parts = [results.machine.describe() + "\n"]
    titled = [
        ("Throughput, one way (messages/s; higher is better)", "throughput"),
        ("Latency, round trip (µs; lower is better)", "latency"),
    ]
    for title, benchmark in titled:
        table = channel_table(results, benchmark)
        if table:
            parts.append(f"{title}\n{table}")
    for title, table in (
        ("Process start + join", start_table(results)),
        ("Pool.map chunksize", chunksize_table(results)),
    ):
        if table:
            parts.append(f"{title}\n{table}")
    for name, why in results.skipped.items():
        parts.append(f"skipped {name}: {why}\n")
    return "\n".join(parts)


def bounded(**changes: Any) -> Settings:
    """:data:`BOUNDED` with some fields changed (a shortcut for the pages)."""
    return replace(BOUNDED, **changes)
