"""concdoc.stamps: the build, probe and run-time stamps, worded per language."""

from __future__ import annotations

import datetime as dt
import platform

from concdoc.stamps import (
    all_probed,
    build_date,
    build_stamp,
    format_date,
    probe_stamp,
    run_time,
)


def test_dates_and_times_are_worded_per_language():
    day = dt.date(2026, 11, 27)
    assert format_date(day, "en") == "November 27, 2026"
    assert format_date(day, "zh_CN") == "2026年11月27日"
    assert build_stamp("zh-cn", day).endswith("，2026年11月27日")  # any spelling
    assert "运行于" in build_stamp("zh_CN", day)
    assert build_stamp("en", day).endswith(", November 27, 2026")
    assert run_time(1, 2.5, "zh_CN") == "1 分 2.500 秒"
    assert run_time(0, 0.25, "en") == "0 min 0.250 s"


def test_the_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18 UTC
    assert build_date() == dt.date(2026, 11, 18)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == dt.datetime.now(tz=dt.timezone.utc).date()


def test_probe_stamp_is_worded_per_language():
    python = platform.python_version()
    assert probe_stamp("en").startswith(f"Probed with Python {python} (")
    assert probe_stamp("zh_CN").startswith(f"探测所用解释器：Python {python}（")
    assert all_probed("zh_CN") != all_probed("en")
