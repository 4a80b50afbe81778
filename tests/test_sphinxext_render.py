"""concdoc.sphinxext.render: the example pages, seen through small builds."""

from __future__ import annotations

import json

from conftest import mini_site, sphinx_build

from concdoc import sphinxext


def test_mini_build_shows_worker_output_and_figures(tmp_path):
    src = mini_site(
        tmp_path / "src",
        {
            # built first: its monkey patching must not reach the build
            "a_gevent_patch.py": '''
            """Patch
            =====
            """
            from gevent import monkey
            monkey.patch_all()
            import socket
            print(socket.socket.__module__)
            ''',
            "pool_spawn.py": '''
            """Spawn pool
            ==========

            Workers defined here print.
            """
            import multiprocessing

            def hello(i):
                print(f"hello from worker {i}")
                return i

            # %%
            # Run them.

            if __name__ == "__main__":
                with multiprocessing.get_context("spawn").Pool(2) as pool:
                    print(sorted(pool.map(hello, range(3))))
                import matplotlib.pyplot as plt
                plt.plot([1, 3, 2])
            ''',
        },
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    rst = (src / "auto_examples" / "pool_spawn.rst").read_text()
    for i in range(3):
        assert f"hello from worker {i}" in rst
    assert "[0, 1, 2]" in rst
    assert "gevent" in (src / "auto_examples" / "a_gevent_patch.rst").read_text()
    assert "sphx_glr_pool_spawn_001.png" in rst
    assert (src / "auto_examples" / "images" / "sphx_glr_pool_spawn_001.png").is_file()
    assert (
        src / "auto_examples" / "images" / "thumb" / "sphx_glr_pool_spawn_thumb.png"
    ).is_file()
    assert (
        "hello from worker 0"
        in (tmp_path / "html" / "auto_examples" / "pool_spawn.html").read_text()
    )


def test_mini_build_fails_on_exception_with_traceback(tmp_path):
    src = mini_site(
        tmp_path / "src",
        {
            "raises.py": (
                '"""Raises\n======\n"""\nprint("so far")\nraise LookupError("nope")\n'
            ),
            "meant.py": (
                '"""Meant\n=====\n"""\n# concdoc: expected-failure\n'
                'raise KeyError("k")\n'
            ),
        },
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode != 0
    assert "raises.py" in proc.stderr and "LookupError: nope" in proc.stderr
    assert "meant.py" not in proc.stderr.split("Unexpected failing examples")[-1]
    assert "LookupError: nope" in (src / "auto_examples" / "raises.rst").read_text()
    assert "KeyError: 'k'" in (src / "auto_examples" / "meant.rst").read_text()


def test_mini_build_notes_varying_output_and_fails_on_a_leak(tmp_path):
    src = mini_site(
        tmp_path / "src",
        {
            "varies.py": (
                '"""Varies\n======\n"""\n# concdoc: output-varies\nprint("x")\n'
            ),
            "steady.py": '"""Steady\n======\n"""\nprint("y")\n',
            "leaks.py": (
                '"""Leaks\n=====\n"""\nimport sys\n'
                'sys.modules["kept"] = open(__file__)\n'
            ),
        },
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode != 0
    # the build is strict by default (concdoc_strict)
    assert "leaks.py: broke the house rules (strict mode): file descriptor" in (
        proc.stderr
    )
    html = tmp_path / "html" / "auto_examples"
    assert sphinxext.OUTPUT_VARIES_NOTE in (html / "varies.html").read_text()
    assert sphinxext.OUTPUT_VARIES_NOTE not in (html / "steady.html").read_text()
    # with the house rules off, what python leaks.py does passes
    with (src / "conf.py").open("a") as conf:
        conf.write("concdoc_strict = False\n")
    relaxed = sphinx_build(src, tmp_path / "relaxed")
    assert relaxed.returncode == 0, relaxed.stderr


def test_mini_build_fails_on_timeout_naming_example_block_and_limit(tmp_path):
    src = mini_site(
        tmp_path / "src",
        {
            "hangs.py": '''
            """Hangs
            =====
            """
            print("ready")

            # %%
            import time
            while True:
                time.sleep(0.05)
            ''',
        },
        timeout=2,
    )
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode != 0
    assert (
        "hangs.py: timed out after 2 s while running the code block at lines 8-10"
        in proc.stderr
    )


TIMELINE_EXAMPLES = {
    "threads.py": '''
    """Threads
    =======
    """
    import queue, threading

    q = queue.Queue(maxsize=1)

    def produce():
        for n in range(3):
            q.put(n)
        q.put(None)

    # %%
    # Run.

    worker = threading.Thread(target=produce)
    worker.start()
    while q.get() is not None:
        pass
    worker.join()
    print("done")
    ''',
    "quiet.py": '''
    """Quiet
    =====
    """
    # concdoc: timeline = off
    import queue
    q = queue.Queue()
    q.put(1)
    print(q.get())
    ''',
}


def test_mini_build_appends_a_timeline_per_language(tmp_path):
    src = mini_site(tmp_path / "src", TIMELINE_EXAMPLES)
    with open(src / "conf.py", "a") as conf:
        conf.write('concdoc_timeline_languages = ["en", "zh_CN"]\n')
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    images = src / "auto_examples" / "images"
    rst = (src / "auto_examples" / "threads.rst").read_text()
    # the timeline comes after the last block's output, shown at its natural
    # size; image 001 is the gallery card's picture, drawn for it
    assert rst.index("done") < rst.index("sphx_glr_threads_002.png")
    assert ":width: 800px" in rst
    assert "sphx_glr_threads_001" not in rst
    assert (images / "sphx_glr_threads_002.png").is_file()
    assert (images / "sphx_glr_threads_002.zh_CN.png").is_file()
    thumb = images / "thumb" / "sphx_glr_threads_thumb.png"
    assert thumb.read_bytes() != (images / "sphx_glr_threads_002.png").read_bytes()
    # the run's trace, as Chrome Trace Event JSON, linked from the page
    trace = json.loads((images / "sphx_glr_threads_002.trace.json").read_text())
    assert any(e["ph"] == "X" and e["name"] == "put" for e in trace["traceEvents"])
    html = (tmp_path / "html" / "auto_examples" / "threads.html").read_text()
    link = html[html.index('class="concdoc-trace-download"') :]
    assert "sphx_glr_threads_002.trace.json" in link.split("</p>")[0]
    assert "Chrome Trace Event JSON" in link.split("</p>")[0]
    # opted out: no figure at all, and the directive is not shown
    quiet = (src / "auto_examples" / "quiet.rst").read_text()
    assert "sphx_glr_quiet_001" not in quiet
    assert "concdoc:" not in quiet and "import queue" in quiet
    assert not list(images.glob("sphx_glr_quiet_*"))


def test_trace_off_draws_no_timeline_and_bad_languages_fail(tmp_path):
    src = mini_site(tmp_path / "src", {"threads.py": TIMELINE_EXAMPLES["threads.py"]})
    with open(src / "conf.py", "a") as conf:
        conf.write("concdoc_trace = False\n")
    proc = sphinx_build(src, tmp_path / "html")
    assert proc.returncode == 0, proc.stderr
    assert (
        "sphx_glr_threads_001"
        not in (src / "auto_examples" / "threads.rst").read_text()
    )
    with open(src / "conf.py", "a") as conf:
        conf.write('concdoc_trace = True\nconcdoc_timeline_languages = ["fr"]\n')
    proc = sphinx_build(src, tmp_path / "html2")
    assert proc.returncode != 0
    assert "concdoc_timeline_languages" in proc.stderr and "'fr'" in proc.stderr
