"""Draw timelines in a helper process, so that several can be drawn at once.

Matplotlib holds the interpreter lock while it draws, and the docs build
draws two charts (one per language) for every example: in the build process
they would be drawn one at a time. The build's worker threads instead hand
their charts to a :class:`Drawer` lent to them (at most one per CPU), a
``python -m concdoc._drawer`` process that imports :mod:`concdoc.plot` once
and then draws what it is sent.

Protocol: pickles over the helper's stdin and a duplicate of its stdout
(its own stdout then goes to stderr, so nothing it prints can break the
stream). A request is ``(trace, [(path, language), ...])``, where the
language ``"thumbnail"`` asks for :func:`concdoc.plot.save_thumbnail`
instead of a chart; the reply is ``None`` when every picture was saved, or
the message of the first error.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import traceback
from typing import Any

__all__ = ["Drawer"]


class Drawer:
    """A helper process drawing timelines on request (started on first use)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the helper now, without waiting: it imports matplotlib while
        the caller does something else (a first run of an example)."""
        if self._proc is None:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "concdoc._drawer"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )

    def draw(self, trace: Any, targets: list[tuple[str, str]]) -> str | None:
        """Save ``trace`` as each ``(path, language)``; the error message, if any.

        Raises
        ------
        RuntimeError
            If the helper process died or failed in an unexpected way.
        """
        self.start()
        assert self._proc is not None
        assert self._proc.stdin is not None and self._proc.stdout is not None
        try:
            pickle.dump((trace, targets), self._proc.stdin)
            self._proc.stdin.flush()
            kind, message = pickle.load(self._proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            self.close()
            raise RuntimeError(f"the timeline drawer process died: {exc}") from None
        if kind == "crash":
            raise RuntimeError(f"the timeline drawer failed:\n{message}")
        return message

    def close(self) -> None:
        """End the helper process (it exits when its input closes)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.close()
            except OSError:
                pass
            proc.wait()
            proc.stdout.close()


def main() -> None:
    """The helper's loop: draw each request until the input ends."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the drawing prints goes to stderr
    requests = sys.stdin.buffer
    from concdoc.plot import save_thumbnail, save_timeline

    while True:
        try:
            trace, targets = pickle.load(requests)
        except EOFError:
            return
        reply: tuple[str, str | None] = ("ok", None)
        try:
            for path, language in targets:
                try:
                    if language == "thumbnail":
                        save_thumbnail(trace, path)
                        continue
                    save_timeline(trace, path, language=language)
                except (RuntimeError, ValueError) as exc:  # e.g. no Chinese font
                    reply = ("ok", f"cannot draw its timeline ({language}): {exc}")
                    break
        except Exception:  # noqa: BLE001 -- sent back and raised by the build
            reply = ("crash", traceback.format_exc())
        pickle.dump(reply, replies)
        replies.flush()


if __name__ == "__main__":
    main()
