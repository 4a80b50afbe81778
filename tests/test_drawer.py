"""concdoc._drawer: timelines drawn by a helper process, on request."""

from __future__ import annotations

import pytest

from concdoc._drawer import Drawer
from concdoc.trace import Actor, Event, Trace

PNG = b"\x89PNG\r\n\x1a\n"
MS = 1_000_000


def _trace() -> Trace:
    actors = {
        "1/p": Actor("1/p", "process", "MainProcess", 1),
        "1/t2": Actor("1/t2", "thread", "worker", 1),
    }
    events = [
        Event("span", "1/p", "alive", 0, 50 * MS, "alive"),
        Event("span", "1/t2", "alive", 5 * MS, 30 * MS, "alive"),
        Event("span", "1/t2", "get", 10 * MS, 20 * MS, "blocked", {"queue": "q"}),
    ]
    return Trace(actors, events)


@pytest.fixture
def drawer():
    drawer = Drawer()
    yield drawer
    drawer.close()


def test_the_helper_saves_each_picture_asked_for(drawer, tmp_path):
    targets = [
        (str(tmp_path / "en.png"), "en"),
        (str(tmp_path / "zh.png"), "zh_CN"),
        (str(tmp_path / "thumb.png"), "thumbnail"),
    ]
    message = drawer.draw(_trace(), targets)
    if message is not None:  # a machine without the Chinese font says so
        assert "(zh_CN)" in message
        targets = targets[:1]
    for path, _ in targets:
        with open(path, "rb") as picture:
            assert picture.read(8) == PNG, path
    # one helper serves every request
    first = drawer._proc
    assert drawer.draw(_trace(), [(str(tmp_path / "again.png"), "en")]) is None
    assert drawer._proc is first


def test_a_picture_that_cannot_be_drawn_is_a_message_and_the_helper_goes_on(
    drawer, tmp_path
):
    message = drawer.draw(_trace(), [(str(tmp_path / "fr.png"), "fr")])
    assert message is not None
    assert message.startswith("cannot draw its timeline (fr): ")
    assert "unknown language 'fr'" in message
    assert not (tmp_path / "fr.png").exists()
    assert drawer.draw(_trace(), [(str(tmp_path / "en.png"), "en")]) is None
    assert (tmp_path / "en.png").read_bytes().startswith(PNG)


def test_a_failure_inside_the_helper_is_raised_with_its_traceback(drawer, tmp_path):
    with pytest.raises(RuntimeError, match="the timeline drawer failed") as raised:
        drawer.draw("not a trace", [(str(tmp_path / "x.png"), "en")])
    assert "Traceback (most recent call last)" in str(raised.value)
    # the helper survived its request
    assert drawer.draw(_trace(), [(str(tmp_path / "en.png"), "en")]) is None


def test_a_dead_helper_is_reported_then_replaced(drawer, tmp_path):
    drawer.start()
    dead = drawer._proc
    dead.kill()
    dead.wait()
    with pytest.raises(RuntimeError, match="the timeline drawer process died"):
        drawer.draw(_trace(), [(str(tmp_path / "x.png"), "en")])
    assert drawer._proc is None  # closed: the next request starts another
    assert drawer.draw(_trace(), [(str(tmp_path / "en.png"), "en")]) is None
    assert drawer._proc is not dead


def test_close_ends_the_helper_and_can_be_repeated(tmp_path):
    drawer = Drawer()
    drawer.close()  # never started: nothing to do
    drawer.start()
    proc = drawer._proc
    drawer.start()  # started once
    assert drawer._proc is proc
    drawer.close()
    assert proc.returncode == 0  # it left its loop when its input closed
    assert proc.stdout.closed
    drawer.close()
    assert drawer._proc is None
