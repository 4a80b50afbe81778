"""concdoc.plot: the timeline's structure (lanes, bars, markers, labels), not pixels."""

from __future__ import annotations

import io
import warnings

import pytest
from matplotlib.collections import PolyCollection

from concdoc.plot import (
    COLORS,
    LABELS,
    LANGUAGES,
    SIGNALS,
    draw_timeline,
    lane_names,
    save_timeline,
)
from concdoc.sizes import display_width
from concdoc.trace import ACTOR_KINDS, LEFT_OUT, STATES, Actor, Event, Trace

MS = 1_000_000


def _trace() -> Trace:
    actors = {
        "1/p": Actor("1/p", "process", "MainProcess", 1),
        "1/t7": Actor("1/t7", "thread", "producer", 1),
        "2/p": Actor("2/p", "process", "Process-1", 2),
        "1/g9": Actor("1/g9", "greenlet", "foo", 1),
    }
    events = [
        Event("span", "1/p", "alive", 0, 100 * MS, "alive"),
        Event("span", "1/t7", "alive", 10 * MS, 50 * MS, "alive"),
        Event("span", "1/t7", "put", 20 * MS, 30 * MS, "blocked", {"queue": "Q 1"}),
        Event("depth", "1/t7", "Q 1", 50 * MS, 0, None, {"value": 2}),
        Event("span", "2/p", "alive", 30 * MS, 40 * MS, "alive"),
        Event(
            "span",
            "2/p",
            "get",
            40 * MS,
            5 * MS,
            "blocked",
            {"queue": "Q 1", "outcome": "Empty"},
        ),
        Event("span", "1/p", "sleep", 60 * MS, 10 * MS, "sleeping"),
        Event("span", "1/g9", "run", 80 * MS, 5 * MS, "running"),
        Event("span", "1/p", "join", 75 * MS, 10 * MS, "waiting"),
        Event("mark", "1/p", "phase", 90 * MS),
    ]
    return Trace(actors, events)


def _bars(ax) -> dict[str, list[tuple[float, float]]]:
    """Bars per state, from the axes' bar collections (label ``_<state>``)."""
    found: dict[str, list[tuple[float, float]]] = {}
    for coll in ax.collections:
        if isinstance(coll, PolyCollection):
            state = coll.get_label().lstrip("_")
            for path in coll.get_paths():
                xs = path.vertices[:, 0]
                found.setdefault(state, []).append((xs.min(), xs.max()))
    return found


def test_lanes_bars_markers_and_axis():
    fig = draw_timeline(_trace())
    ax, depth = fig.axes[:2]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # grouped by process, process first, then by first appearance
    assert labels == [
        "main process",
        "producer (thread)",
        "foo (greenlet)",
        "process 1",
    ]
    assert labels == lane_names(_trace())
    bars = _bars(ax)
    assert set(bars) == {"alive", "blocked", "sleeping", "running", "waiting"}
    # milliseconds from the first event that is not a lifetime (the put)
    assert sorted(bars["blocked"]) == [(0.0, 30.0), (20.0, 25.0)]
    assert bars["sleeping"] == [(40.0, 50.0)]
    assert ax.get_xlabel() == "" and depth.get_xlabel() == "time (ms)"
    assert ax.get_title() == "Timeline"
    assert ax.get_xlim()[0] == 0
    # the put that returned is marked at its end; the get that raised is crossed
    markers = {line.get_marker(): line.get_xdata()[0] for line in ax.get_lines()}
    assert markers["v"] == 30.0 and markers["x"] == 25.0
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "alive",
        "running",
        "blocked",
        "sleeping",
        "waiting",
        "put returned",
        "mark",
        "raised (Full, Empty, timeout ...)",
    ]
    # the depth panel shows the queue
    (line,) = depth.get_lines()
    assert line.get_label() == "Q 1" and max(line.get_ydata()) == 2


@pytest.mark.parametrize(
    ("kind", "name", "english", "chinese"),
    [
        ("thread", "Thread-3 (work)", "work (thread 3)", "work（线程 3）"),
        ("thread", "Thread-12", "thread 12", "线程 12"),
        ("process", "SpawnProcess-1:2", "process 1:2", "进程 1:2"),
        ("process", "Process-2 (crunch)", "crunch (process 2)", "crunch（进程 2）"),
        ("process", "ForkPoolWorker-4", "pool worker 4", "进程池工作进程 4"),
        ("task", "fetch #2", "fetch #2 (task)", "fetch #2（任务）"),
        ("thread", "MainProcess", "MainProcess (thread)", "MainProcess（线程）"),
    ],
)
def test_lanes_are_named_as_a_reader_says_them(kind, name, english, chinese):
    actors = {
        "1/p": Actor("1/p", "process", "MainProcess", 1),
        "1/x": Actor("1/x", kind, name, 1),
    }
    events = [Event("span", a, "alive", 0, MS, "alive") for a in actors]
    trace = Trace(actors, events)
    assert lane_names(trace) == ["main thread", english]
    assert lane_names(trace, "zh_CN") == ["主线程", chinese]


def test_releases_notifies_and_sets_are_marked_and_explained():
    actors = {"1/p": Actor("1/p", "process", "MainProcess", 1)}
    events = [
        Event("span", "1/p", "acquire", 0, 2 * MS, "blocked", {"object": "lock"}),
        Event("mark", "1/p", "release", 3 * MS, args={"object": "lock"}),
        Event("mark", "1/p", "notify", 4 * MS, args={"object": "ready"}),
        Event("mark", "1/p", "set", 5 * MS, args={"object": "done"}),
    ]
    fig = draw_timeline(Trace(actors, events))
    ax = fig.axes[0]
    xs = sorted(x for line in ax.get_lines() for x in line.get_xdata())
    assert xs == [3.0, 4.0, 5.0]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-3:] == ["release (lock, semaphore)", "notify", "event set"]
    for language in LANGUAGES:
        assert set(LABELS[language]["signals"]) == set(SIGNALS)


def test_where_events_were_left_out_is_marked_and_counted():
    actors = {"1/p": Actor("1/p", "process", "MainProcess", 1)}
    events = [
        Event("mark", "1/p", "release", 1 * MS, args={"object": "guard"}),
        Event("mark", "1/p", LEFT_OUT, 2 * MS, args={"object": "guard", "left_out": 9}),
        Event("mark", "1/p", LEFT_OUT, 3 * MS, args={"object": "done", "left_out": 1}),
    ]
    for language, text in (
        ("en", "later events not recorded (guard: 9; done: 1)"),
        ("zh_CN", "之后的事件未记录（guard: 9; done: 1）"),
    ):
        fig = draw_timeline(Trace(actors, events), language=language)
        xs = sorted(x for line in fig.axes[0].get_lines() for x in line.get_xdata())
        assert xs == [0.0, 1.0, 2.0]  # from the first event
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert legend[-1] == text


def test_saved_bitmaps_have_two_pixels_per_displayed_pixel(tmp_path):
    from matplotlib.image import imread

    path = save_timeline(_trace(), tmp_path / "t.png")
    assert imread(path).shape[1] == 2 * display_width()


def test_no_depth_panel_without_samples():
    trace = _trace()
    trace.events = [e for e in trace.events if e.kind != "depth"]
    fig = draw_timeline(trace)
    assert len(fig.axes) == 1
    assert fig.axes[0].get_xlabel() == "time (ms)"


def test_chinese_labels_come_from_the_table_and_render_without_missing_glyphs():
    table = LABELS["zh_CN"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw_timeline(_trace(), language="zh_CN")
        fig.savefig(io.BytesIO(), format="png")
    missing = [str(w.message) for w in caught if "missing" in str(w.message)]
    assert missing == []
    ax = fig.axes[0]
    assert ax.get_title() == table["title"] == "时间线"
    assert fig.axes[1].get_xlabel() == table["xlabel"]
    assert ax.get_yticklabels()[0].get_text() == "主进程"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "阻塞" in legend and "休眠" in legend
    assert "Noto Sans CJK SC" in ax.title.get_fontfamily()


def test_every_language_labels_every_kind_and_state():
    for language in LANGUAGES:
        assert set(LABELS[language]["kinds"]) == set(ACTOR_KINDS)
        assert set(LABELS[language]["states"]) == set(STATES)
        assert set(LABELS[language]) == set(LABELS["en"])
    assert set(COLORS) == set(STATES)


def test_glossary_terms_in_chinese_labels():
    table = LABELS["zh_CN"]
    assert table["states"]["blocked"] == "阻塞"
    assert table["kinds"]["thread"] == "线程"
    assert table["kinds"]["process"] == "进程"
    assert table["kinds"]["coroutine"] == "协程"
    assert "队列" in table["depth"] and "超时" in table["raised"]


def test_bad_input():
    with pytest.raises(ValueError, match="empty trace"):
        draw_timeline(Trace())
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        draw_timeline(_trace(), language="fr")
