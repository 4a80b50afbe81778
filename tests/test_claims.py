"""Every check of ``docs/claims``: run it, and find its sentence on its page.

The thread-only checks run side by side in a thread pool (most of their time
is spent in short, bounded waits); the checks that start processes run after
them, one at a time, so that no process is forked while other threads of
this test run are busy. A failure names the page and the sentence.
"""

from __future__ import annotations

import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS))

import claims  # noqa: E402

CHECKS = claims.collect()
#: Bound on one check, far above what any of them needs.
CHECK_TIMEOUT = 60.0
MINIMUM = 150


def _run(check: claims.Check) -> BaseException | None:
    try:
        check.run()
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        return exc
    return None


@pytest.fixture(scope="module")
def outcomes() -> dict[str, BaseException | None]:
    """Run every check once; the tests below report them one by one."""
    results: dict[str, BaseException | None] = {}
    started = time.perf_counter()
    threads = [c for c in CHECKS if not c.alone]
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {c.name: pool.submit(_run, c) for c in threads}
        for name, future in futures.items():
            results[name] = future.result(timeout=CHECK_TIMEOUT)
    for check in CHECKS:
        if check.alone:
            results[check.name] = _run(check)
    print(f"\n{len(CHECKS)} claim checks in {time.perf_counter() - started:.1f} s")
    return results


def test_there_are_enough_checks():
    assert len(CHECKS) >= MINIMUM, f"{len(CHECKS)} checks, want at least {MINIMUM}"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_claim_holds(check, outcomes):
    error = outcomes[check.name]
    if error is None:
        return
    if isinstance(error, pytest.skip.Exception):
        raise error
    detail = "".join(traceback.format_exception(error)[-3:])
    source = claims.page_source(check.page).relative_to(DOCS.parent)
    pytest.fail(
        f"page {check.page} ({source}):\n  {check.sentence!r}\n"
        f"is not backed by {check.name}:\n{detail}"
    )


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_claim_sentence_is_on_its_page(check):
    assert claims.page_source(check.page).is_file(), f"no page {check.page}"
    assert claims.on_page(check), (
        f"page {check.page} no longer says {check.sentence!r}: update the page "
        f"or the check {check.name}"
    )
