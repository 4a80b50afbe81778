"""Comparative sentences written from measured numbers, in the page's language.

A benchmark page must not say "several times slower" or "orders of
magnitude" in text typed by hand: the numbers change from machine to
machine, and some comparisons change direction. This module words every
comparison from one :class:`~concdoc.bench.BenchResults`, with the spread,
in English or Simplified Chinese, and says which way a comparison went when
the spreads overlap.

The benchmark examples hand their results over with :func:`save` (a JSON
file in the folder named by :data:`RESULTS_VARIABLE`, when the docs build
sets it); the site shows the sentences of :func:`findings`. Stdlib only,
no Sphinx.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from concdoc.bench import CHANNEL_KINDS, BenchResults, Stats, format_size, format_value
from concdoc.bench.choosing import CHOICE_SIZE
from concdoc.stamps import is_chinese

__all__ = [
    "PAGES",
    "RESULTS_VARIABLE",
    "Ratio",
    "default_chunksize",
    "findings",
    "load",
    "ratio",
    "save",
]

#: Environment variable naming the folder where :func:`save` writes results.
RESULTS_VARIABLE = "CONCDOC_BENCH_RESULTS"


@dataclass(frozen=True)
class Ratio:
    """``a / b`` for two measured quantities, with the range their IQRs allow.

    Parameters
    ----------
    value : float
        Ratio of the medians.
    low : float
        ``a.q1 / b.q3``: the smallest ratio within both interquartile ranges.
    high : float
        ``a.q3 / b.q1``: the largest.
    """

    value: float
    low: float
    high: float

    @property
    def settled(self) -> bool:
        """True when the IQRs do not overlap, so the order is clear on this run."""
        return self.low > 1 or self.high < 1


def ratio(a: Stats, b: Stats) -> Ratio:
    """Ratio of ``a`` to ``b`` (medians) and its range over the two IQRs."""
    return Ratio(a.median / b.median, a.q1 / b.q3, a.q3 / b.q1)


def default_chunksize(items: int, workers: int) -> int:
    """The chunksize ``Pool.map`` picks when none is given.

    ``multiprocessing.pool.Pool._map_async``: about four chunks per worker,
    rounded up.
    """
    chunksize, extra = divmod(items, workers * 4)
    return chunksize + 1 if extra else max(chunksize, 1)


def _say(language: str | None, english: str, chinese: str) -> str:
    return chinese if is_chinese(language) else english


def _times(value: float) -> str:
    return f"{value:.3g}×" if value < 100 else f"{value:,.0f}×"


def _range(r: Ratio) -> str:
    return f"{_times(r.low)[:-1]}–{_times(r.high)}"


def _spread(stats: Stats, unit: str) -> str:
    return (
        f"{format_value(stats.median)} {unit} "
        f"(IQR {format_value(stats.q1)}–{format_value(stats.q3)})"
    )


def _overlap(r: Ratio, language: str | None) -> str:
    if r.settled:
        return ""
    return _say(
        language,
        " The two IQRs overlap: another run, or another machine, may reverse "
        "the order.",
        "两者的 IQR 有重叠：换一次运行或换一台机器，先后可能颠倒。",
    )


def _slower(
    slow: tuple[str, Stats], fast: tuple[str, Stats], unit: str, language: str | None
) -> str:
    """ "Here A took r× as long as B", A being whichever was slower here."""
    if slow[1].median < fast[1].median:
        slow, fast = fast, slow
    r = ratio(slow[1], fast[1])
    text = _say(
        language,
        f"Here {slow[0]} took {_spread(slow[1], unit)} and {fast[0]} "
        f"{_spread(fast[1], unit)}: {_times(r.value)} as long "
        f"({_range(r)} across the IQRs).",
        f"本次构建中 {slow[0]} 耗时 {_spread(slow[1], unit)}，{fast[0]} 耗时 "
        f"{_spread(fast[1], unit)}：前者是后者的 {_times(r.value)}"
        f"（按 IQR 计 {_range(r)}）。",
    )
    return text + _overlap(r, language)


def _label(subject: str, language: str | None) -> str:
    kind = CHANNEL_KINDS.get(subject)
    names = {
        "thread": ("threads", "线程"),
        "process": ("processes", "进程"),
        "asyncio": ("asyncio tasks", "asyncio 任务"),
        "gevent": ("greenlets", "greenlet"),
    }
    if kind is None:
        return f"``{subject}``"
    english, chinese = names[kind]
    return _say(language, f"``{subject}`` ({english})", f"``{subject}`` （{chinese}）")


def _at(results: BenchResults, benchmark: str, size: int) -> dict[str, Stats]:
    return {
        m.subject: m.stats
        for m in results.select(benchmark)
        if m.parameter == size and m.subject not in results.skipped
    }


def _sizes(results: BenchResults, benchmark: str) -> list[int]:
    return sorted({m.parameter for m in results.select(benchmark) if m.parameter})


def _fastest(stats: dict[str, Stats], kinds: set[str]) -> str | None:
    chosen = [s for s in stats if CHANNEL_KINDS.get(s) in kinds]
    return min(chosen, key=lambda s: stats[s].median) if chosen else None


def _round_trip(
    results: BenchResults, size: int, threads: str, language: str | None
) -> list[str]:
    """Thread channel ``threads`` against the fastest process channel at ``size``."""
    stats = _at(results, "latency", size)
    process = _fastest(stats, {"process"})
    if threads not in stats or process is None:
        return []
    head = _say(
        language,
        f"Round trip of {format_size(size)}, {_label(threads, language)} against "
        f"the fastest channel between processes, {_label(process, language)}. ",
        f"{format_size(size)} 往返：{_label(threads, language)} 对比进程间最快的通道 "
        f"{_label(process, language)}。",
    )
    body = _slower(
        (f"``{threads}``", stats[threads]),
        (f"``{process}``", stats[process]),
        "µs",
        language,
    )
    return [head + body]


def _throughput_fall(results: BenchResults, subject: str, language: str | None) -> str:
    sizes = _sizes(results, "throughput")
    if len(sizes) < 2:
        return ""
    small, large = (
        _at(results, "throughput", sizes[0]),
        _at(results, "throughput", sizes[-1]),
    )
    if subject not in small or subject not in large:
        return ""
    r = ratio(small[subject], large[subject])
    a, b = format_size(sizes[0]), format_size(sizes[-1])
    return _say(
        language,
        f"From {a} to {b} per message, {_label(subject, language)} went from "
        f"{_spread(small[subject], 'msg/s')} to {_spread(large[subject], 'msg/s')}: "
        f"{_times(r.value)} as many small messages as large ones "
        f"({_range(r)} across the IQRs).",
        f"每条消息从 {a} 增大到 {b}，{_label(subject, language)} 从 "
        f"{_spread(small[subject], 'msg/s')} 变为 {_spread(large[subject], 'msg/s')}："
        f"小消息的条数是大消息的 {_times(r.value)}（按 IQR 计 {_range(r)}）。",
    )


def _message_passing(results: BenchResults, language: str | None) -> list[str]:
    out: list[str] = []
    lat_sizes = _sizes(results, "latency")
    for size in dict.fromkeys(lat_sizes[:1] + lat_sizes[-1:]):
        out += _round_trip(results, size, "queue.Queue", language)
    thr_sizes = _sizes(results, "throughput")
    if thr_sizes:
        stats = _at(results, "throughput", thr_sizes[0])
        if "queue.Queue" in stats and "multiprocessing.Queue" in stats:
            a, b = stats["queue.Queue"], stats["multiprocessing.Queue"]
            more, fewer = ("queue.Queue", a), ("multiprocessing.Queue", b)
            if a.median < b.median:
                more, fewer = fewer, more
            r = ratio(more[1], fewer[1])
            shown = format_size(thr_sizes[0])
            out.append(
                _say(
                    language,
                    f"Throughput at {shown}: here ``{more[0]}`` carried "
                    f"{_spread(more[1], 'msg/s')} and ``{fewer[0]}`` "
                    f"{_spread(fewer[1], 'msg/s')}, {_times(r.value)} as many "
                    f"({_range(r)} across the IQRs).",
                    f"{shown} 吞吐量：本次构建中 ``{more[0]}`` 每秒传递 "
                    f"{_spread(more[1], 'msg/s')}，``{fewer[0]}`` 每秒传递 "
                    f"{_spread(fewer[1], 'msg/s')}，前者是后者的 {_times(r.value)}"
                    f"（按 IQR 计 {_range(r)}）。",
                )
                + _overlap(r, language)
            )
    for subject in ("queue.Queue", "multiprocessing.Queue"):
        text = _throughput_fall(results, subject, language)
        if text:
            out.append(text)
    if lat_sizes:
        stats = _at(results, "latency", lat_sizes[0])
        if len(stats) >= 2:
            slow = max(stats, key=lambda s: stats[s].median)
            fast = min(stats, key=lambda s: stats[s].median)
            r = ratio(stats[slow], stats[fast])
            shown = format_size(lat_sizes[0])
            out.append(
                _say(
                    language,
                    f"At {shown} the slowest round trip went through "
                    f"{_label(slow, language)} and the fastest through "
                    f"{_label(fast, language)}: "
                    f"{_times(r.value)} apart ({_range(r)} across the IQRs).",
                    f"{shown} 时往返最慢的是 {_label(slow, language)}，最快的是 "
                    f"{_label(fast, language)}：相差 {_times(r.value)}"
                    f"（按 IQR 计 {_range(r)}）。",
                )
            )
    return out


def _starts(results: BenchResults) -> dict[str, Stats]:
    return {m.subject: m.stats for m in results.select("start")}


def _dearest_start(stats: dict[str, Stats], language: str | None) -> str:
    """The dearest way to start a worker against the cheapest (two or more)."""
    cheap = min(stats, key=lambda s: stats[s].median)
    dear = max(stats, key=lambda s: stats[s].median)
    r = ratio(stats[dear], stats[cheap])
    return _say(
        language,
        f"The dearest, ``{dear}``, took {_times(r.value)} as long as the "
        f"cheapest, ``{cheap}`` ({_range(r)} across the IQRs).",
        f"最昂贵的 ``{dear}`` 耗时是最便宜的 ``{cheap}`` 的 {_times(r.value)}"
        f"（按 IQR 计 {_range(r)}）。",
    )


def _process_start(results: BenchResults, language: str | None) -> list[str]:
    stats = _starts(results)
    if len(stats) < 2:
        return []
    order = sorted(stats, key=lambda s: stats[s].median)
    listed = ", ".join(f"``{s}`` {_spread(stats[s], 'ms')}" for s in order)
    out = [
        _say(
            language,
            f"Here, from cheapest to dearest: {listed}.",
            f"本次构建中，从最便宜到最昂贵：{listed}。",
        )
    ]
    out.append(_dearest_start(stats, language))
    for method in ("forkserver", "spawn"):
        if method in stats and "fork" in stats:
            out.append(
                _slower(
                    (f"``{method}``", stats[method]),
                    ("``fork``", stats["fork"]),
                    "ms",
                    language,
                )
            )
    return out


def _chunksize(results: BenchResults, language: str | None) -> list[str]:
    found = {
        m.parameter: m.stats
        for m in results.select("chunksize")
        if m.parameter is not None  # a chunksize measurement always has one
    }
    if len(found) < 2:
        return []
    best = min(found, key=lambda c: found[c].median)
    first = min(found)
    out = []
    if best != first:
        r = ratio(found[first], found[best])
        out.append(
            _say(
                language,
                f"The fastest map here used ``chunksize={best}``: "
                f"{_spread(found[best], 'ms')}; ``chunksize={first}`` took "
                f"{_spread(found[first], 'ms')}, {_times(r.value)} as long "
                f"({_range(r)} across the IQRs).",
                f"本次构建中最快的是 ``chunksize={best}``："
                f"{_spread(found[best], 'ms')}；"
                f"``chunksize={first}`` 耗时 {_spread(found[first], 'ms')}，是前者的 "
                f"{_times(r.value)}（按 IQR 计 {_range(r)}）。",
            )
        )
    close = [
        c
        for c in sorted(found)
        if c != best and not ratio(found[c], found[best]).settled
    ]
    if close:
        listed = ", ".join(str(c) for c in close)
        out.append(
            _say(
                language,
                f"The IQRs of chunksize {listed} overlap the fastest one's: "
                "between these, this run cannot tell which is faster.",
                f"chunksize 为 {listed} 时的 IQR 与最快者重叠：在这些取值之间，"
                "本次运行分不出快慢。",
            )
        )
    tasks, workers = results.settings.tasks, results.settings.workers
    chosen = default_chunksize(tasks, workers)
    out.append(
        _say(
            language,
            f"Without ``chunksize``, ``Pool.map`` of {tasks} items on {workers} "
            f"workers would use ``chunksize={chosen}``.",
            f"不指定 ``chunksize`` 时，{workers} 个工作进程上 {tasks} 项的 "
            f"``Pool.map`` 会使用 ``chunksize={chosen}``。",
        )
    )
    return out


def _choosing(results: BenchResults, language: str | None) -> list[str]:
    out = []
    stats = _at(results, "latency", CHOICE_SIZE)
    pair = ("queue.Queue", "multiprocessing.Queue")
    if all(p in stats for p in pair):
        out.append(
            _say(
                language,
                f"Round trip of {format_size(CHOICE_SIZE)}, a thread's queue against "
                "a process's. ",
                f"{format_size(CHOICE_SIZE)} 往返：线程的队列对比进程的队列。",
            )
            + _slower(
                (f"``{pair[0]}``", stats[pair[0]]),
                (f"``{pair[1]}``", stats[pair[1]]),
                "µs",
                language,
            )
        )
    if len(stats) >= 2:
        slow = max(stats, key=lambda s: stats[s].median)
        fast = min(stats, key=lambda s: stats[s].median)
        r = ratio(stats[slow], stats[fast])
        out.append(
            _say(
                language,
                f"Of the channels in the table, {_label(fast, language)} was the "
                f"fastest and {_label(slow, language)} the slowest, "
                f"{_times(r.value)} apart ({_range(r)} across the IQRs).",
                f"表中各通道里，{_label(fast, language)} 最快，"
                f"{_label(slow, language)} 最慢，相差 {_times(r.value)}"
                f"（按 IQR 计 {_range(r)}）。",
            )
        )
    starts = _starts(results)
    default = results.machine.start_method
    if "thread" in starts and default in starts:
        out.append(
            _say(
                language,
                f"Starting a worker: a thread against a process started with "
                f"``{default}``, the default here. ",
                f"启动一个工作者：线程对比以 ``{default}`` （此处的默认启动方式）"
                "启动的进程。",
            )
            + _slower(
                (f"``{default}``", starts[default]),
                ("``thread``", starts["thread"]),
                "ms",
                language,
            )
        )
    if len(starts) >= 2:
        out.append(_dearest_start(starts, language))
    return out


#: Page name -> the function wording its findings.
PAGES: dict[str, Callable[[BenchResults, str | None], list[str]]] = {
    "message-passing": _message_passing,
    "process-start": _process_start,
    "chunksize": _chunksize,
    "choosing": _choosing,
}


def findings(page: str, results: BenchResults, language: str | None) -> list[str]:
    """The comparative sentences of one page, in ``language`` (reST inline markup).

    Raises
    ------
    KeyError
        If ``page`` is not in :data:`PAGES`.
    """
    return PAGES[page](results, language)


def save(results: BenchResults, page: str) -> Path | None:
    """Keep ``results`` for the page's sentences, if the build asked for them.

    Writes ``<page>.json`` into the folder named by :data:`RESULTS_VARIABLE`;
    does nothing (returns None) when the variable is not set, as when the
    example runs on its own.
    """
    if page not in PAGES:
        raise KeyError(page)
    folder = os.environ.get(RESULTS_VARIABLE)
    if not folder:
        return None
    path = Path(folder, f"{page}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results.to_json()), encoding="utf-8")
    return path


def load(folder: str | os.PathLike[str], page: str) -> BenchResults:
    """The results :func:`save` kept for ``page`` in ``folder``.

    Raises
    ------
    OSError
        If there are none.
    """
    data = json.loads(Path(folder, f"{page}.json").read_text(encoding="utf-8"))
    results = BenchResults.from_json(data)
    if not all(math.isfinite(m.stats.median) for m in results.measurements):
        raise ValueError(f"non-finite median in the results of {page}")
    return results
