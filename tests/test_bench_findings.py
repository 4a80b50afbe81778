"""``concdoc.bench.findings``: comparisons worded from measured numbers."""

from __future__ import annotations

import ast
import multiprocessing.pool
import re
from pathlib import Path

import pytest

from concdoc import bench
from concdoc.bench import findings as fd

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "benchmarks"


def _stats(median: float, spread: float = 0.1) -> bench.Stats:
    q1, q3 = median * (1 - spread), median * (1 + spread)
    return bench.Stats(median, q1, q3, q1, q3, 5)


def _results(latency: dict[str, float], starts: dict[str, float]) -> bench.BenchResults:
    results = bench.BenchResults(
        machine=bench.Machine("3.11", "CPython", "Linux", "cpu", 2, "fork"),
        mode="bounded",
        settings=bench.BOUNDED,
    )
    for size in (8, 1024):
        for subject, median in latency.items():
            results.measurements.append(
                bench.Measurement("latency", subject, size, "µs", [], _stats(median))
            )
            results.measurements.append(
                bench.Measurement(
                    "throughput", subject, size, "msg/s", [], _stats(1e6 / median)
                )
            )
    for subject, median in starts.items():
        results.measurements.append(
            bench.Measurement("start", subject, None, "ms", [], _stats(median))
        )
    return results


def test_ratio_and_its_range():
    r = fd.ratio(bench.Stats(4, 3, 5, 3, 5, 3), bench.Stats(2, 1, 2.5, 1, 3, 3))
    assert (r.value, r.low, r.high) == (2, 1.2, 5)
    assert r.settled
    assert not fd.ratio(_stats(1.0), _stats(1.05)).settled


@pytest.mark.parametrize("items, workers", [(2000, 2), (7, 4), (1, 8), (1000, 3)])
def test_default_chunksize_matches_the_pool(items, workers, monkeypatch):
    # the chunksize Pool.map hands to Pool._get_tasks when none is given
    seen = []
    original = multiprocessing.pool.Pool._get_tasks

    def record(func, it, size):
        seen.append(size)
        return original(func, it, size)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_get_tasks", staticmethod(record))
    with multiprocessing.pool.ThreadPool(workers) as pool:
        assert pool.map(abs, range(items)) == list(range(items))
    assert seen == [fd.default_chunksize(items, workers)]


def test_the_direction_follows_the_numbers():
    """Which channel is called slower depends on the measured medians."""
    quick_threads = _results({"queue.Queue": 10, "multiprocessing.Queue": 50}, {})
    quick_pipes = _results({"queue.Queue": 50, "multiprocessing.Queue": 10}, {})
    first = fd.findings("choosing", quick_threads, "en")[0]
    second = fd.findings("choosing", quick_pipes, "en")[0]
    assert "Here ``multiprocessing.Queue`` took" in first
    assert "Here ``queue.Queue`` took" in second
    assert "5× as long" in first and "5× as long" in second


def test_overlapping_spreads_are_said_in_both_languages():
    close = _results({"queue.Queue": 10, "multiprocessing.Queue": 10.5}, {})
    assert "may reverse the order" in fd.findings("choosing", close, "en")[0]
    assert "先后可能颠倒" in fd.findings("choosing", close, "zh_CN")[0]
    apart = _results({"queue.Queue": 10, "multiprocessing.Queue": 50}, {})
    assert "reverse" not in fd.findings("choosing", apart, "en")[0]


@pytest.mark.parametrize("page", sorted(fd.PAGES))
def test_every_page_has_both_languages_and_no_english_in_chinese(page):
    results = _results(
        {"queue.Queue": 10, "multiprocessing.Queue": 40, "Manager.Queue": 300},
        {"thread": 0.05, "fork": 2, "spawn": 40},
    )
    results.measurements.append(
        bench.Measurement("chunksize", "Pool.map", 1, "ms", [], _stats(50))
    )
    results.measurements.append(
        bench.Measurement("chunksize", "Pool.map", 64, "ms", [], _stats(2))
    )
    english = fd.findings(page, results, "en")
    chinese = fd.findings(page, results, "zh_CN")
    assert english and len(english) == len(chinese)
    for sentence in chinese:
        prose = re.sub(r"``[^`]*``|IQR|msg/s|µs|ms|KiB|MiB|\bB\b", "", sentence)
        assert not re.search(r"[A-Za-z]{3,}", prose), sentence


def test_save_and_load(tmp_path, monkeypatch):
    results = _results({"queue.Queue": 10}, {"thread": 0.1})
    monkeypatch.delenv(fd.RESULTS_VARIABLE, raising=False)
    assert fd.save(results, "choosing") is None
    monkeypatch.setenv(fd.RESULTS_VARIABLE, str(tmp_path))
    path = fd.save(results, "choosing")
    assert path == tmp_path / "choosing.json"
    assert fd.load(tmp_path, "choosing") == results
    with pytest.raises(KeyError):
        fd.save(results, "no-such-page")
    with pytest.raises(OSError):
        fd.load(tmp_path, "chunksize")


def test_benchmark_pages_save_what_their_directive_reads():
    for path in EXAMPLES.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        saved = re.findall(r'save\(results, "([a-z-]+)"\)', text)
        shown = re.findall(r"\.\. concdoc-bench-findings:: ([a-z-]+)", text)
        assert saved, path.name
        assert set(saved) <= set(fd.PAGES)
        if path.stem != "choosing_a_tool":  # shown on docs/reference/choosing.md
            assert shown == saved, path.name


def _prose(path: Path) -> str:
    """A page's text: the docstring and comment lines of an example, or a whole page."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return text
    comments = [line for line in text.splitlines() if line.startswith("#")]
    return (ast.get_docstring(ast.parse(text)) or "") + "\n".join(comments)


def test_no_hand_typed_comparisons_in_benchmark_prose():
    """The text blocks and the choosing page carry no typed ratios or magnitudes."""
    choosing = EXAMPLES.parents[1] / "docs" / "reference" / "choosing.md"
    banned = re.compile(
        r"orders? of magnitude|several times|times (longer|faster|slower)"
        r"|hardly matters|\d+\s*(×|x\b)|factor of|well under|tens or hundreds"
        r"|a few dozen|thousands of",
        re.IGNORECASE,
    )
    for path in [*EXAMPLES.glob("*.*"), choosing]:
        found = banned.search(_prose(path))
        assert found is None, f"{path.name}: {found.group(0)!r}"
