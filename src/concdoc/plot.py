"""Draw a :class:`~concdoc.trace.Trace` as a swim-lane timeline.

One lane per actor (process, thread, greenlet ...), in order of appearance,
grouped by process. A thin grey bar shows that the actor exists; coloured
bars on it show when it ran (greenlets, pool tasks), was blocked (a
``put``, ``get``, ``send`` or ``recv`` that waited), slept, or waited for
another actor (``join``, a main greenlet switched out). Markers show where
each ``put`` / ``get`` / ``send`` / ``recv`` returned; a black cross marks a
call that raised (``queue.Full``, ``queue.Empty`` ...). When queue-depth
samples exist, a panel underneath shows how many items each queue held.
A white diamond marks where the recorder stopped writing the events of a
lock (or another synchronisation object) used more often than
:data:`~concdoc.trace.OBJECT_EVENT_LIMIT` times, and the legend says how
many it left out.

The x axis is in milliseconds from the first event other than the start of
a lifetime (interpreter start-up and imports are cut off). Colours are the
Okabe–Ito palette, distinguishable with the common forms of colour
blindness, and each state also differs in bar height or hatching.

Every word on the chart comes from :data:`LABELS`, one table per language.
Chinese text is set in Noto Sans CJK SC, shipped by the ``mplfonts`` package
(an install-time dependency: nothing is fetched when drawing).
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from concdoc.languages import is_cjk
from concdoc.sizes import DISPLAY_DPI, SAVE_DPI, TIMELINE_WIDTH
from concdoc.trace import LEFT_OUT, STATES, Trace

__all__ = [
    "COLORS",
    "LABELS",
    "LANGUAGES",
    "MARKERS",
    "PALETTE",
    "SIGNALS",
    "cjk_font",
    "draw_thumbnail",
    "draw_timeline",
    "lane_names",
    "save_thumbnail",
    "save_timeline",
]

#: Every label of the chart, per language (terms from the glossary in DEVELOPERS.md).
LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Timeline",
        "xlabel": "time (ms)",
        "depth": "items\nin queue",
        "lane": "{name} ({kind})",
        "numbered": "{kind} {number}",
        "numbered call": "{function} ({kind} {number})",
        "main thread": "main thread",
        "main process": "main process",
        "pool worker": "pool worker",
        "kinds": {
            "process": "process",
            "thread": "thread",
            "greenlet": "greenlet",
            "task": "task",
            "coroutine": "coroutine",
        },
        "states": {
            "alive": "alive",
            "running": "running",
            "blocked": "blocked",
            "sleeping": "sleeping",
            "waiting": "waiting",
        },
        "calls": {
            "put": "put returned",
            "get": "get returned",
            "send": "send returned",
            "recv": "recv returned",
        },
        "raised": "raised (Full, Empty, timeout ...)",
        "signals": {
            "release": "release (lock, semaphore)",
            "notify": "notify",
            "set": "event set",
            "abort": "barrier aborted",
            "mark": "mark",
            "left out": "later events not recorded ({counts})",
        },
    },
    "zh_CN": {
        "title": "时间线",
        "xlabel": "时间（毫秒）",
        "depth": "队列长度",
        "lane": "{name}（{kind}）",
        "numbered": "{kind} {number}",
        "numbered call": "{function}（{kind} {number}）",
        "main thread": "主线程",
        "main process": "主进程",
        "pool worker": "进程池工作进程",
        "kinds": {
            "process": "进程",
            "thread": "线程",
            "greenlet": "greenlet 协程",
            "task": "任务",
            "coroutine": "协程",
        },
        "states": {
            "alive": "存活",
            "running": "运行",
            "blocked": "阻塞",
            "sleeping": "休眠",
            "waiting": "等待",
        },
        "calls": {
            "put": "put 返回",
            "get": "get 返回",
            "send": "send 返回",
            "recv": "recv 返回",
        },
        "raised": "引发异常（Full、Empty、超时 ……）",
        "signals": {
            "release": "释放（锁、信号量）",
            "notify": "通知（notify）",
            "set": "事件被设置（set）",
            "abort": "屏障被中止（abort）",
            "mark": "标记",
            "left out": "之后的事件未记录（{counts}）",
        },
    },
}
#: Languages the chart can be labelled in.
LANGUAGES = tuple(LABELS)

#: Bar colours per state (Okabe–Ito), plus the lane's "alive" grey.
COLORS = {
    "alive": "#BBBBBB",
    "running": "#0072B2",
    "blocked": "#D55E00",
    "sleeping": "#56B4E9",
    "waiting": "#E69F00",
}
#: Marker, colour per call whose return is marked.
MARKERS = {
    "put": ("v", "#009E73"),
    "get": ("^", "#CC79A7"),
    "send": (">", "#009E73"),
    "recv": ("<", "#CC79A7"),
}
#: Marker and colour of each kind of instant (a lock or semaphore released, a
#: condition notified, an event set, a barrier aborted, the script's own mark,
#: where the recorder stopped writing an object's events: ``left out``).
SIGNALS = {
    "release": ("|", "#009E73"),
    "notify": ("*", "#E69F00"),
    "set": ("*", "#0072B2"),
    "abort": ("X", "#D55E00"),
    "mark": ("|", "#000000"),
    LEFT_OUT: ("d", "#FFFFFF"),
}
_HEIGHT = {
    "alive": 0.22,
    "running": 0.66,
    "waiting": 0.42,
    "blocked": 0.42,
    "sleeping": 0.42,
}
_ZORDER = {"alive": 1, "running": 2, "waiting": 3, "blocked": 4, "sleeping": 4}
_HATCH = {"waiting": "//"}
_LABEL_ROOM = 0.08  # a bar this share of the axis wide is labelled
#: Colours for series told apart by colour alone (Okabe–Ito, yellow left out:
#: too pale on white), in the order they are used.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_DEPTH_COLORS = PALETTE[:6]
_CJK_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font() -> str:
    """Register the Simplified Chinese font with matplotlib; return its name.

    Raises
    ------
    RuntimeError
        If the ``mplfonts`` package (``pip install concdoc[examples]``) is
        not installed.
    """
    spec = importlib.util.find_spec("mplfonts")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = os.path.join(location, "fonts", _CJK_FILE)
        if os.path.exists(path):
            if path not in {f.fname for f in font_manager.fontManager.ttflist}:
                font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise RuntimeError(
        f"the Chinese font {_CJK_FILE} was not found: install the 'mplfonts' "
        "package (pip install 'concdoc[examples]')"
    )


def _labels(language: str) -> dict[str, Any]:
    try:
        return LABELS[language]
    except KeyError:
        raise ValueError(
            f"unknown language {language!r} (known: {', '.join(LANGUAGES)})"
        ) from None


def _lanes(trace: Trace) -> list[str]:
    """Actor ids, grouped by process, each group in order of appearance."""
    first: dict[str, int] = {}
    for event in trace.events:
        first.setdefault(event.actor, event.start)
    pid_first: dict[int, int] = {}
    for actor_id, stamp in first.items():
        pid = trace.actors[actor_id].pid
        pid_first[pid] = min(pid_first.get(pid, stamp), stamp)

    def order(actor_id: str) -> tuple[int, int, int]:
        actor = trace.actors[actor_id]
        return (pid_first[actor.pid], actor.kind != "process", first[actor_id])

    return sorted(first, key=order)


#: Names that Python gives when the script gives none: ``Thread-3 (work)``,
#: ``Process-2``, ``SpawnProcess-1:2``, ``ForkPoolWorker-4``.
_DEFAULT_NAME = re.compile(
    r"(?:Fork|Spawn|ForkServer)?(?P<kind>Process|Thread|PoolWorker)"
    r"-(?P<number>[\d:]+)(?: \((?P<function>.+)\))?"
)


def _lane_label(trace: Trace, actor_id: str, labels: dict[str, Any]) -> str:
    """The lane's name as a reader would say it.

    The run's first process is its main thread ("main process" when the run
    has several processes); a thread, process or pool worker with a name
    Python made up is called after its function and number; any other actor
    by its own name and kind.
    """
    actor = trace.actors[actor_id]
    if actor.kind == "process" and actor.name == "MainProcess":
        several = len({a.pid for a in trace.actors.values()}) > 1
        return labels["main process" if several else "main thread"]
    kind = labels["kinds"][actor.kind]
    default = _DEFAULT_NAME.fullmatch(actor.name)
    if default is None:
        return labels["lane"].format(name=actor.name, kind=kind)
    if default["kind"] == "PoolWorker":
        kind = labels["pool worker"]
    number = default["number"]
    if default["function"]:
        return labels["numbered call"].format(
            function=default["function"], kind=kind, number=number
        )
    return labels["numbered"].format(kind=kind, number=number)


def draw_timeline(
    trace: Trace,
    *,
    language: str = "en",
    title: str | None = None,
    depth: bool | None = None,
    width: float = TIMELINE_WIDTH,
) -> Figure:
    """Draw ``trace`` as a swim-lane timeline and return the figure.

    Parameters
    ----------
    trace : ~concdoc.trace.Trace
        The events, e.g. the ``trace`` of a :class:`~concdoc.runner.RunResult`.
    language : {"en", "zh_CN"}
        Language of every label (:data:`LABELS`).
    title : str, optional
        The chart's title; by default the table's word for "Timeline".
    depth : bool, optional
        Draw the queue-depth panel; by default when the trace has depth
        samples.
    width : float
        Figure width in inches (the height follows the number of lanes).

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot: save it with ``fig.savefig``. Its first axes
        holds the lanes (y tick labels name the actors); the depth panel,
        if any, is the second.

    Raises
    ------
    ValueError
        If the trace is empty or the language unknown.
    RuntimeError
        If ``language`` needs the Chinese font and it is not installed.
    """
    labels = _labels(language)
    if not trace.events:
        raise ValueError("cannot plot an empty trace: no events were recorded")
    families = ["DejaVu Sans"]
    if is_cjk(language):
        families.insert(0, cjk_font())
    depths = trace.depths()
    show_depth = bool(depths) if depth is None else depth
    lanes = _lanes(trace)
    with matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False}):
        height = 1.5 + 0.42 * len(lanes) + (1.3 if show_depth else 0)
        # margins are fitted by _fit_margins: a layout engine would lay the
        # figure out twice per save, which is most of the time it takes
        fig = Figure(figsize=(width, height))
        if show_depth:
            ax, ax_depth = fig.subplots(
                2,
                1,
                sharex=True,
                gridspec_kw={"height_ratios": [0.42 * len(lanes) + 0.3, 1.0]},
            )
        else:
            ax, ax_depth = fig.subplots(), None
        origin = _origin(trace)
        states, calls, raised = _draw_lanes(ax, trace, lanes, origin)
        ax.set_yticks(range(len(lanes)))
        ax.set_yticklabels([_lane_label(trace, a, labels) for a in lanes])
        ax.set_ylim(len(lanes) - 0.5, -0.5)
        ax.set_xlim(0, max((trace.end - origin) / 1e6 * 1.01, 1e-3))
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(title if title is not None else labels["title"])
        if ax_depth is not None:
            _draw_depth(ax_depth, trace, origin, labels)
            ax_depth.set_xlabel(labels["xlabel"])
        else:
            ax.set_xlabel(labels["xlabel"])
        legend = _legend(fig, states, calls, raised, labels, trace.left_out())
        _fit_margins(fig, ax, ax_depth, legend)
    return fig


def _fit_margins(fig: Figure, ax: Axes, ax_depth: Axes | None, legend: Any) -> None:
    """Leave room for the labels, the title and the legend, measured once.

    Text sizes come from the Agg renderer's font metrics, without drawing.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    width, height = fig.get_size_inches() * fig.dpi
    renderer = RendererAgg(int(width), int(height), fig.dpi)
    pad = fig.dpi * 0.06

    def size(text: Any) -> tuple[float, float]:
        if not text.get_text():
            return 0.0, 0.0
        box = text.get_window_extent(renderer)
        return box.width, box.height

    ticks = max((size(t)[0] for t in ax.get_yticklabels()), default=0.0)
    # tick length and padding (3.5 pt each), then a margin to the edge
    left = ticks + 5 * pad
    lowest = ax_depth if ax_depth is not None else ax
    if ax_depth is not None:
        numbers = max(size(t)[0] for t in ax_depth.get_yticklabels())
        left = max(left, numbers + size(ax_depth.yaxis.label)[0] + 6 * pad)
    xticks = lowest.get_xticklabels()
    tick_height = size(xticks[0])[1] if xticks else 0.0
    bottom = (
        legend.get_window_extent(renderer).height
        + size(lowest.xaxis.label)[1]
        + tick_height
        + 4 * pad
    )
    top = size(ax.title)[1] + 3 * pad
    right = max(pad * 3, size(xticks[-1])[0] / 2 + pad if xticks else 0.0)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        hspace=0.12,
    )


def _origin(trace: Trace) -> int:
    """Time zero: the first event other than a lifetime's start.

    The interpreter's start-up and imports come before it and tell nothing.
    """
    starts = [e.start for e in trace.events if e.name != "alive"]
    return min(starts) if starts else trace.start


def _draw_lanes(
    ax: Axes, trace: Trace, lanes: list[str], origin: int, *, labelled: bool = True
) -> tuple[list[str], list[str], bool]:
    """Bars and markers; returns the states, calls and whether any call raised.

    A running span with a name of its own (a pool task: the function's name)
    wide enough to hold it is labelled with that name (when ``labelled``).
    """
    room = (trace.end - origin) / 1e6 * _LABEL_ROOM
    states: set[str] = set()
    # marker kind -> (xs, ys): one artist per kind, not one per event
    points: dict[str, tuple[list[float], list[float]]] = {}

    def point(kind: str, x: float, y: float) -> None:
        xs, ys = points.setdefault(kind, ([], []))
        xs.append(x)
        ys.append(y)

    for row, actor_id in enumerate(lanes):
        by_state: dict[str, list[tuple[float, float]]] = {}
        for span in trace.spans(actor=actor_id):
            by_state.setdefault(span.state or "running", []).append(
                ((span.start - origin) / 1e6, span.duration / 1e6)
            )
            end = (span.end - origin) / 1e6
            if (
                labelled
                and span.state == "running"
                and span.name != "run"
                and span.duration / 1e6 >= room
            ):
                ax.text(
                    end - span.duration / 2e6,
                    row,
                    span.name,
                    ha="center",
                    va="center",
                    fontsize="x-small",
                    zorder=7,
                    clip_on=True,
                )
            if "outcome" in span.args:
                point("raised", end, row)
            elif span.name in MARKERS:
                point(span.name, end, row - 0.36)
        for state, ranges in by_state.items():
            size = _HEIGHT[state]
            ax.broken_barh(
                ranges,
                (row - size / 2, size),
                facecolors=COLORS[state],
                edgecolor="black" if state != "alive" else "none",
                linewidth=0.3,
                hatch=_HATCH.get(state),
                zorder=_ZORDER[state],
                label=f"_{state}",
            )
            states.add(state)
        for mark in trace.marks(actor=actor_id):
            at = (mark.start - origin) / 1e6
            # e.g. a pool task that raised
            if "outcome" in mark.args:
                point("raised", at, row)
            else:
                point(mark.name if mark.name in SIGNALS else "mark", at, row)
    for kind, (xs, ys) in points.items():
        if kind == "raised":
            style: dict[str, Any] = {
                "marker": "x",
                "color": "black",
                "markersize": 7,
                "mew": 1.8,
            }
        elif kind in SIGNALS:
            style = _signal_style(kind)
        else:
            marker, color = MARKERS[kind]
            style = {
                "marker": marker,
                "color": color,
                "markersize": 5,
                "markeredgecolor": "black",
                "markeredgewidth": 0.4,
            }
        zorder = 5 if kind in MARKERS else 6
        ax.plot(xs, ys, linestyle="none", zorder=zorder, **style)
    calls = [c for c in (*MARKERS, *SIGNALS) if c in points]
    raised = "raised" in points
    order = [s for s in STATES if s in states]
    return order, calls, raised


def _signal_style(kind: str) -> dict[str, Any]:
    marker, color = SIGNALS[kind]
    if marker == "|":
        return {"marker": "|", "color": color, "markersize": 12, "mew": 1.6}
    return {
        "marker": marker,
        "color": color,
        "markersize": 8,
        "markeredgecolor": "black",
        "markeredgewidth": 0.4,
    }


def _draw_depth(ax: Axes, trace: Trace, origin: int, labels: dict[str, Any]) -> None:
    queues: dict[str, list[tuple[float, int]]] = {}
    for sample in trace.depths():
        queues.setdefault(sample.name, []).append(
            ((sample.start - origin) / 1e6, int(sample.args.get("value", 0)))
        )
    top = 1
    for number, (queue, samples) in enumerate(queues.items()):
        xs = [0.0] + [x for x, _ in samples]
        ys = [0] + [y for _, y in samples]
        ax.step(
            xs,
            ys,
            where="post",
            color=_DEPTH_COLORS[number % len(_DEPTH_COLORS)],
            label=queue,
            linewidth=1.5,
        )
        top = max(top, *ys)
    ax.set_ylim(-0.2, top + 0.5)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    ax.set_ylabel(labels["depth"])
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.legend(loc="upper right", fontsize="small", frameon=False)


def _legend(
    fig: Figure,
    states: list[str],
    calls: list[str],
    raised: bool,
    labels: dict[str, Any],
    left_out: dict[str, int],
) -> Any:
    handles: list[Any] = [
        Patch(
            facecolor=COLORS[s],
            edgecolor="black" if s != "alive" else "none",
            linewidth=0.3,
            hatch=_HATCH.get(s),
            label=labels["states"][s],
        )
        for s in states
    ]
    for call in calls:
        if call in SIGNALS:
            style = _signal_style(call)
            style.pop("markersize")
            label = labels["signals"][call]
            if call == LEFT_OUT:  # which objects, and how many events each
                label = label.format(
                    counts="; ".join(f"{o}: {n}" for o, n in left_out.items())
                )
            handles.append(Line2D([], [], linestyle="none", label=label, **style))
            continue
        marker, color = MARKERS[call]
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                color=color,
                linestyle="none",
                markeredgecolor="black",
                markeredgewidth=0.4,
                label=labels["calls"][call],
            )
        )
    if raised:
        handles.append(
            Line2D(
                [],
                [],
                marker="x",
                color="black",
                linestyle="none",
                mew=1.8,
                label=labels["raised"],
            )
        )
    return fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        # the count of events left out is a long entry: fewer columns then
        ncol=min(len(handles), 3 if left_out else 5),
        frameon=False,
        fontsize="small",
    )


def save_timeline(
    trace: Trace,
    path: str | os.PathLike[str],
    *,
    language: str = "en",
    dpi: int = SAVE_DPI,
    **options: Any,
) -> Path:
    """Draw ``trace`` (see :func:`draw_timeline`) and save it to ``path``.

    Bitmaps are saved at ``dpi``, by default :data:`concdoc.sizes.SAVE_DPI`
    (twice the pixels of their natural size, so that they stay sharp on
    high-density screens and when zoomed): show them
    :func:`concdoc.sizes.display_width` CSS pixels wide.

    Returns
    -------
    pathlib.Path
        The file written (its format follows the suffix, e.g. ``.png``).
    """
    fig = draw_timeline(trace, language=language, **options)
    target = Path(path)
    fig.savefig(target, dpi=dpi)
    return target


def draw_thumbnail(trace: Trace, *, size: tuple[float, float] = (4.0, 2.8)) -> Figure:
    """A small picture of ``trace`` for a gallery card: its bars, no words.

    The lanes fill the picture (no title, labels or legend, which a card is
    too small to show), so that examples with different stories look
    different. Same colours as :func:`draw_timeline`; at most eight lanes.

    Raises
    ------
    ValueError
        If the trace is empty.
    """
    if not trace.events:
        raise ValueError("cannot plot an empty trace: no events were recorded")
    lanes = _lanes(trace)[:8]
    shown = set(lanes)
    part = Trace(
        {a: trace.actors[a] for a in lanes},
        [e for e in trace.events if e.actor in shown and e.kind != "depth"],
    )
    fig = Figure(figsize=size)
    ax = fig.add_axes((0.02, 0.04, 0.96, 0.92))
    origin = _origin(part)
    _draw_lanes(ax, part, lanes, origin, labelled=False)
    ax.set_ylim(len(lanes) - 0.5, -0.5)
    ax.set_xlim(0, max((part.end - origin) / 1e6 * 1.01, 1e-3))
    ax.set_axis_off()
    return fig


def save_thumbnail(trace: Trace, path: str | os.PathLike[str]) -> Path:
    """Save :func:`draw_thumbnail` of ``trace`` to ``path`` (400 x 280 px)."""
    target = Path(path)
    draw_thumbnail(trace).savefig(target, dpi=DISPLAY_DPI)
    return target


def lane_names(trace: Trace, language: str = "en") -> list[str]:
    """The lane labels :func:`draw_timeline` shows, top to bottom."""
    labels = _labels(language)
    return [_lane_label(trace, a, labels) for a in _lanes(trace)]
