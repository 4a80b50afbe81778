"""The "choosing a tool" table: measured costs beside what each tool can do.

:func:`decision_table` puts, for each family of tools, the measured cost of
handing a message to a worker and back and of starting a worker next to the
properties that decide most choices: whether Python code runs in parallel
(the GIL), what a crash takes down, and what the tool suits. The numbers come
from :class:`~concdoc.bench.BenchResults`; nothing numeric is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from concdoc.bench import BenchResults, Measurement, _table, format_size, format_value

__all__ = [
    "CHOICE_SIZE",
    "CHOICES",
    "Choice",
    "decision_rows",
    "decision_table",
    "needed",
]

#: Message size (bytes) of the round trip shown in the table.
CHOICE_SIZE = 1024


@dataclass(frozen=True)
class Choice:
    """One row of the table.

    Parameters
    ----------
    tool : str
    channel : str or None
        The channel (of :data:`concdoc.bench.CHANNELS`) whose round trip
        stands for the tool's message cost; None when not measured here.
    start : str or None
        The start subject (a start method or ``"thread"``) whose cost stands
        for starting one worker; None when the tool has no worker of its own
        to start (a task, a greenlet) or is not measured here.
    parallel : str
        Does Python code run on several CPUs at once?
    failure : str
        What an uncaught crash of one worker takes down.
    suits : str
        The work the tool fits best.
    """

    tool: str
    channel: str | None
    start: str | None
    parallel: str
    failure: str
    suits: str


#: The rows, in the order of the table.
CHOICES = (
    Choice(
        "threads",
        "queue.Queue",
        "thread",
        "no (one GIL)",
        "the whole process",
        "blocking I/O, one thread per wait",
    ),
    Choice(
        "processes",
        "multiprocessing.Queue",
        "default",
        "yes",
        "that process only",
        "CPU-bound Python code",
    ),
    Choice(
        "asyncio",
        "asyncio.Queue",
        None,
        "no (one thread)",
        "the whole event loop",
        "many sockets, async libraries",
    ),
    Choice(
        "gevent",
        "gevent.queue.Queue",
        None,
        "no (one thread)",
        "the whole hub",
        "many sockets, blocking-style code",
    ),
    Choice(
        "executor (threads)",
        "queue.SimpleQueue",
        "thread",
        "no (one GIL)",
        "the task (exception kept in its future)",
        "a pool of blocking calls with results",
    ),
    Choice(
        "executor (processes)",
        "multiprocessing.Queue",
        "default",
        "yes",
        "the pool (BrokenProcessPool)",
        "CPU-bound functions with results",
    ),
    Choice(
        "distributed",
        None,
        None,
        "yes, on many machines",
        "that worker (tasks are retried)",
        "work beyond one machine",
    ),
)


def needed() -> list[str]:
    """The benchmarks :func:`decision_table` reads, for :func:`concdoc.bench.run`."""
    channels = [c.channel for c in CHOICES if c.channel is not None]
    return [*dict.fromkeys(channels), "start-methods"]


def _find(found: list[Measurement], subject: str) -> Measurement | None:
    return next((m for m in found if m.subject == subject), None)


#: The words of each row in Chinese, by tool: (tool, parallel, failure, suits).
_ZH_CHOICES = {
    "threads": ("线程", "否（一个 GIL）", "整个进程", "阻塞式 I/O，每个等待一个线程"),
    "processes": ("进程", "是", "只有那个进程", "CPU 密集型的 Python 代码"),
    "asyncio": ("asyncio", "否（一个线程）", "整个事件循环", "大量套接字、异步库"),
    "gevent": (
        "gevent",
        "否（一个线程）",
        "gevent 的整个事件循环",
        "大量套接字、阻塞风格的代码",
    ),
    "executor (threads)": (
        "执行器（线程）",
        "否（一个 GIL）",
        "该任务（异常保存在它的 future 中）",
        "需要结果的一组阻塞调用",
    ),
    "executor (processes)": (
        "执行器（进程）",
        "是",
        "整个池（BrokenProcessPool）",
        "需要结果的 CPU 密集型函数",
    ),
    "distributed": (
        "分布式",
        "是，跨多台机器",
        "那个工作者（任务会被重试）",
        "超出一台机器的工作",
    ),
}
#: The header, per language: ``{size}`` is the round trip's message size.
_HEADERS = {
    "en": [
        "tool",
        "round trip {size} (µs)",
        "start a worker (ms)",
        "parallel Python",
        "a crash takes down",
        "suits",
    ],
    "zh_CN": [
        "工具",
        "{size} 往返（µs）",
        "启动一个工作者（ms）",
        "Python 代码并行",
        "崩溃波及范围",
        "适合",
    ],
}


def decision_rows(
    results: BenchResults, language: str | None = "en"
) -> tuple[list[str], list[list[str]]]:
    """The table's header and rows, worded for ``language`` (medians; "-"
    where nothing was measured).

    Parameters
    ----------
    results : ~concdoc.bench.BenchResults
        Should hold the latency of the channels of :data:`CHOICES` at
        :data:`CHOICE_SIZE` bytes and the start costs (see :func:`needed`).
    language : str, optional
        ``"en"`` (the default) or ``"zh_CN"``.
    """
    chinese = language == "zh_CN"
    latency = [m for m in results.select("latency") if m.parameter == CHOICE_SIZE]
    starts = results.select("start")
    default = results.machine.start_method
    rows = []
    for choice in CHOICES:
        trip = _find(latency, choice.channel) if choice.channel else None
        subject = default if choice.start == "default" else choice.start
        start = _find(starts, subject) if subject else None
        start_text = format_value(start.stats.median) if start else "-"
        if start and choice.start == "default":
            start_text += f"（{default}）" if chinese else f" ({default})"
        words = _ZH_CHOICES[choice.tool] if chinese else None
        tool, parallel, failure, suits = words or (
            choice.tool,
            choice.parallel,
            choice.failure,
            choice.suits,
        )
        trip_text = format_value(trip.stats.median) if trip else "-"
        rows.append([tool, trip_text, start_text, parallel, failure, suits])
    size = format_size(CHOICE_SIZE)
    header = [h.format(size=size) for h in _HEADERS["zh_CN" if chinese else "en"]]
    return header, rows


def decision_table(results: BenchResults) -> str:
    """The table in English, as aligned text (see :func:`decision_rows`).

    Parameters
    ----------
    results : ~concdoc.bench.BenchResults
        Should hold the latency of the channels of :data:`CHOICES` at
        :data:`CHOICE_SIZE` bytes and the start costs (see :func:`needed`).
    """
    return _table(*decision_rows(results))
