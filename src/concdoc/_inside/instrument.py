"""Instrument a traced run from outside the script (standard library only).

``_boot/sitecustomize.py`` calls :func:`install` in every interpreter of a
run when ``CONCDOC_TRACE_DIR`` is set. It patches, at class level and only
once the script imports the module concerned, what the examples use:

* ``queue.Queue`` (and ``LifoQueue``, ``PriorityQueue``) ``put`` / ``get``;
* ``multiprocessing`` ``Queue``, ``JoinableQueue``, ``SimpleQueue`` ``put`` /
  ``get``, and ``Pipe`` connections' ``send`` / ``recv`` / ``poll``;
* thread and process lifetimes and ``join``, queue ``join``; pool tasks in
  the workers and ``AsyncResult.get``, executor calls and ``Future.result``;
* the script's locks, semaphores, conditions, barriers and events --
  threading's, multiprocessing's (with the lock inside ``Value`` and
  ``Array``) and asyncio's: acquires and waits as spans, releases, notifies
  and sets as marks; a threading or multiprocessing acquire that takes the
  lock or semaphore at once is not recorded (:func:`_timed`); the first
  :data:`~concdoc._inside.tracewriter.OBJECT_EVENT_LIMIT` events of each
  object in each process, and then how many were left out (see
  :meth:`~concdoc._inside.tracewriter.Recorder.finish`);
* ``time.sleep``, ``gevent.sleep`` and ``asyncio.sleep``; greenlet switches
  (``greenlet.settrace``); the script's generators and coroutines each time
  they are resumed (a profile hook, :class:`_Coroutines`, installed only when
  the script defines some: see :data:`COROUTINES_VARIABLE`).

Each call becomes a span of the calling actor lasting as long as the call
did, so a long span is time spent blocked. The patched methods return what
the originals return and raise what they raise (``queue.Full``,
``queue.Empty``, ``EOFError`` ...), unchanged, with the tracer's frames
left out of the traceback; the exception's name is recorded as the span's
``outcome``.

Only objects the script itself creates are recorded (the queues, pipes and
threads that ``multiprocessing`` or ``concurrent.futures`` create for their
own use are left alone), and ``time.sleep`` only when called from the
script's code, so the timeline tells the example's story.
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import inspect
import itertools
import opcode
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any

from concdoc import _protocol as proto
from concdoc._inside.tracewriter import Recorder, now

__all__ = ["COROUTINES_VARIABLE", "defines_coroutines", "install", "is_user_file"]

#: Set to "1" when the script defines generators or coroutines; only then is
#: the profile hook that follows them installed, as it costs every call.
COROUTINES_VARIABLE = proto.TRACE_COROUTINES

_LABEL = "_concdoc_label"  # attribute naming a recorded queue or connection
_USER_THREAD = "_concdoc_user"
# set by install() before any patch can run, so the patched functions use it
# unchecked: each such use is `# type: ignore[union-attr]`
_recorder: Recorder | None = None
_labels = itertools.count(1)
_root_pid = 0
_library_dirs: tuple[str, ...] = ()
_user_files: dict[str, bool] = {}
# files whose frames are skipped when asking "who created this object?"
_FACTORY_FILES = (
    os.sep + "threading.py",
    os.sep + "queue.py",
    os.path.join("multiprocessing", "context.py"),
    os.path.join("multiprocessing", "queues.py"),
)


def defines_coroutines(source: str) -> bool:
    """Does this script define a generator or a coroutine (``yield``, ``async def``)?

    Generator expressions do not count. Called by the runner, in the parent.
    The flags of the compiled code objects tell, not ``ast.parse``: on
    CPython 3.11, ``ast.parse`` in two threads at once can fail with
    ``SystemError`` (AST constructor recursion depth mismatch), and the build
    runs examples from several threads while Sphinx parses in another.
    """
    try:
        code = compile(source, "<script>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    kinds = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
    todo = [code]
    while todo:
        current = todo.pop()
        if current.co_flags & kinds and current.co_name != "<genexpr>":
            return True
        todo.extend(c for c in current.co_consts if isinstance(c, type(code)))
    return False


def is_user_file(filename: str) -> bool:
    """True if code in ``filename`` belongs to the script, not to a library."""
    known = _user_files.get(filename)
    if known is None:
        known = not filename.startswith("<") and not filename.startswith(_library_dirs)
        _user_files[filename] = known
    return known


def _called_from_user(depth: int = 2) -> bool:
    """Was the object being made created by the script?

    Looks at the frame ``depth`` levels up, skipping the factories of
    threading, queue and multiprocessing (a subclass, ``ctx.Queue()`` ...).
    """
    frame: FrameType | None = sys._getframe(depth)
    while frame is not None and frame.f_code.co_filename.endswith(_FACTORY_FILES):
        frame = frame.f_back
    return frame is not None and is_user_file(frame.f_code.co_filename)


def _new_label(obj: object, kind: str | None = None) -> str:
    label = f"{kind or type(obj).__name__} {next(_labels)}"
    if os.getpid() != _root_pid:
        label += f" (pid {os.getpid()})"
    return label


# -- naming objects after the script's variables -----------------------------------

_UNNAMED = "_concdoc_unnamed"  # set on a labelled object not yet looked up
# on a labelled object named after other objects' variables: a suffix, then
# weak references to them (both ends of a pipe; the Value that owns a lock)
_NAMED_AFTER = "_concdoc_named_after"
_names_taken: dict[str, int] = {}  # variable name -> id of the object it names


def _label_of(obj: Any) -> str | None:
    """The label of a recorded object, named after the script's variable.

    The first time a labelled object is used (or pickled for another
    process, or passed to a process that starts), the script's frames on the
    stack are searched for a variable bound to it -- a local, a global, or an
    attribute of a local (``self.q``) -- and its name replaces the numbered
    label ("jobs" rather than "Queue 1"). The two ends of a pipe are named
    together, after both their variables ("parent_end / child_end"); the
    lock inside a ``Value`` after the value ("counter.get_lock()"). A name
    already given to another object keeps the number.
    """
    label = getattr(obj, _LABEL, None)
    if label is None or not getattr(obj, _UNNAMED, False):
        return label
    after = getattr(obj, _NAMED_AFTER, None)
    suffix = "" if after is None else after[0]
    sources = [obj] if after is None else [ref() for ref in after[1:]]
    names = []
    for source in sources:  # not a comprehension: the frames counted stay put
        if source is not None:
            names.append(_variable_name(source))
    if False in names:  # no frame of the script's on the stack: ask later
        return label
    name = " / ".join(n for n in names if isinstance(n, str))
    if name and _names_taken.setdefault(name + suffix, id(obj)) == id(obj):
        name += suffix
        if os.getpid() != _root_pid and "(pid " in label:
            name += label[label.index(" (pid ") :]
        label = name
    for source in sources:  # both ends of a pipe share their label
        if source is not None and getattr(source, _LABEL, None) is not None:
            setattr(source, _UNNAMED, False)
            setattr(source, _LABEL, label)
    setattr(obj, _UNNAMED, False)
    setattr(obj, _LABEL, label)
    return label


def _variable_name(obj: Any) -> str | None | bool:
    """The name the script's nearest frames give ``obj``: None if they give
    it none, False if no frame of the script's was found.

    The calling thread's stack is searched first, from the caller of
    :func:`_label_of` up; when it holds no frame of the script's (a thread
    whose target is ``event.set``), the other threads' stacks are.
    """
    found = _search_stack(obj, sys._getframe(2))
    if found is False:
        for ident, frame in sys._current_frames().items():
            if ident != threading.get_ident():
                found = _search_stack(obj, frame)
                if found:
                    break
    return found


def _search_stack(obj: Any, frame: Any, limit: int = 12) -> str | None | bool:
    seen = False
    for _ in range(limit):
        if frame is None:
            break
        if is_user_file(frame.f_code.co_filename):
            seen = True
            found = _name_in(obj, frame.f_locals)
            if found is None and frame.f_globals is not frame.f_locals:
                found = _name_in(obj, frame.f_globals)
            if found is not None:
                return found
        frame = frame.f_back
    return None if seen else False


def _name_in(obj: Any, namespace: dict[str, Any]) -> str | None:
    for name, value in list(namespace.items()):
        if value is obj and not name.startswith("_"):
            return name
    for name, value in list(namespace.items()):
        attributes = getattr(value, "__dict__", None)
        if (
            name.startswith("__")
            or not isinstance(attributes, dict)
            or isinstance(value, type)
            or type(value).__name__ == "module"
        ):
            continue
        for attribute, inner in list(attributes.items()):
            if inner is obj and not attribute.startswith("_"):
                return f"{name}.{attribute}"
    return None


# -- blocking calls as spans -----------------------------------------------------


def _timed(
    name: str,
    state: str,
    *,
    depth: bool = False,
    require_label: bool = True,
    what: str = "queue",
    attempt: Callable[[Any], bool] | None = None,
) -> Callable[[Callable], Callable]:
    """Wrap a method so that each call on a labelled object becomes a span.

    With ``depth``, the span also carries the queue's size after the call,
    which the reader turns into a queue-depth sample (one write, not two).
    ``what`` is the detail naming the object (``queue``, or ``object`` for a
    lock, condition, semaphore, barrier or event). A call made while the
    same thread is inside another recorded call on a synchronisation object
    (``with cond:`` taking its lock) is part of that call, not recorded.

    With ``attempt`` (an acquire), the object is first tried without
    blocking, ``attempt(self)``: if that takes it, the call returns True
    unrecorded, as it did not wait; otherwise the call itself is made, and
    recorded. The blocking acquire of a lock or semaphore makes the same
    non-blocking try first, so what the script sees does not change.
    """

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            label = _label_of(self)
            if label is None and require_label:
                return method(self, *args, **kwargs)
            ident = threading.get_ident() if what == "object" else 0
            if ident:
                if ident in _inside:
                    return method(self, *args, **kwargs)
                _inside.add(ident)
                if attempt is not None and _took_at_once(attempt, self, ident):
                    return True
            start = now()
            try:
                result = method(self, *args, **kwargs)
            except BaseException as exc:
                _record_call(name, state, start, self, label, exc=exc, what=what)
                _hide_this_frame(exc)
                raise
            finally:
                if ident:
                    _inside.discard(ident)
            _record_call(name, state, start, self if depth else None, label, what=what)
            return result

        return wrapper

    return decorate


#: Threads inside a recorded call on a synchronisation object.
_inside: set[int] = set()


def _took_at_once(attempt: Callable[[Any], bool], obj: Any, ident: int) -> bool:
    """Did ``attempt(obj)``, a non-blocking acquire, take ``obj``? Then the
    calling thread is no longer inside a recorded call."""
    try:
        taken = attempt(obj)
    except BaseException:
        _inside.discard(ident)
        raise
    if taken:
        _inside.discard(ident)
    return taken


#: True in an asyncio task while it awaits a recorded call on a
#: synchronisation object (``async with cond:`` awaiting its lock): the calls
#: made meanwhile are part of it. Per task, as all tasks share one thread.
_awaiting: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "concdoc_awaiting", default=False
)


def _marked(name: str) -> Callable[[Callable], Callable]:
    """Wrap a method so that each call on a labelled object is marked
    (``release``, ``notify``, ``set`` ...) when it returns; what the method
    does meanwhile on other recorded objects is part of it."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            label = _label_of(self)
            ident = threading.get_ident()
            if label is None or ident in _inside or _awaiting.get():
                return method(self, *args, **kwargs)
            _inside.add(ident)
            try:
                result = method(self, *args, **kwargs)
            except BaseException as exc:
                _hide_this_frame(exc)
                raise
            finally:
                _inside.discard(ident)
            _recorder.mark(name, object=label)  # type: ignore[union-attr]
            return result

        return wrapper

    return decorate


def _hide_this_frame(exc: BaseException) -> None:
    """Drop the tracer's own frames from ``exc``'s traceback before a bare
    ``raise``: the traceback the script prints stays as without tracing."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_globals is globals():
        tb = tb.tb_next
    exc.__traceback__ = tb


def _timed_async(
    name: str, state: str, *, depth: bool = False, what: str = "queue"
) -> Callable:
    """:func:`_timed` for a coroutine method (``asyncio.Queue.get`` ...).

    The span belongs to the task whose code called the method, found at the
    call: ``asyncio.wait_for(q.get(), 1)`` runs the call in a task of its
    own on Python 3.11, where no code of the script would name the lane. The
    wrapper is a plain function returning the coroutine, as the method does.
    With ``what="object"`` (a lock, event, condition ...), what the call
    awaits on other recorded objects is part of it (see :data:`_awaiting`).
    """

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            call = method(self, *args, **kwargs)
            label = _label_of(self)
            if label is None or (what == "object" and _awaiting.get()):
                return call
            actor = _recorder.actor()  # type: ignore[union-attr]
            return _timed_await(
                call, name, state, self if depth else None, label, actor, what
            )

        _mark_coroutine_function(wrapper)
        return wrapper

    return decorate


def _mark_coroutine_function(wrapper: Callable) -> None:
    """Let ``inspect`` (3.12+) and ``asyncio.iscoroutinefunction`` see a
    coroutine function in a wrapper that returns a coroutine."""
    if hasattr(inspect, "markcoroutinefunction"):  # Python 3.12+
        inspect.markcoroutinefunction(wrapper)
    marker = getattr(sys.modules.get("asyncio.coroutines"), "_is_coroutine", None)
    if marker is not None:
        wrapper._is_coroutine = marker  # type: ignore[attr-defined]


async def _timed_await(
    call: Any,
    name: str,
    state: str,
    depth_of: Any,
    label: str,
    actor: str,
    what: str = "queue",
) -> Any:
    outer = _awaiting.get()
    if what == "object":
        _awaiting.set(True)
    start = now()
    try:
        result = await call
    except BaseException as exc:
        _record_call(name, state, start, None, label, actor=actor, exc=exc, what=what)
        _hide_this_frame(exc)
        raise
    finally:
        _awaiting.set(outer)
    _record_call(name, state, start, depth_of, label, actor=actor, what=what)
    return result


def _marked_async(name: str) -> Callable[[Callable], Callable]:
    """:func:`_marked` for a coroutine method (``__aexit__``): the mark comes
    when the awaited call returns, on the lane of the task that called."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            call = method(self, *args, **kwargs)
            label = _label_of(self)
            if label is None or _awaiting.get():
                return call
            actor = _recorder.actor()  # type: ignore[union-attr]
            return _marked_await(call, name, label, actor)

        _mark_coroutine_function(wrapper)
        return wrapper

    return decorate


async def _marked_await(call: Any, name: str, label: str, actor: str) -> Any:
    _awaiting.set(True)
    try:
        result = await call
    except BaseException as exc:
        _hide_this_frame(exc)
        raise
    finally:
        _awaiting.set(False)
    _recorder.mark(name, actor=actor, object=label)  # type: ignore[union-attr]
    return result


def _record_call(
    name: str,
    state: str,
    start: int,
    depth_of: Any,
    label: str | None,
    *,
    actor: str | None = None,
    exc: BaseException | None = None,
    what: str = "queue",
) -> None:
    """Record one call from ``start`` to now; with the queue's depth after it
    when ``depth_of`` is the queue, and the exception's name as ``outcome``."""
    end = now()
    details: dict[str, Any] = {} if label is None else {what: label}
    if exc is not None:
        details["outcome"] = type(exc).__name__
    elif depth_of is not None:
        _add_depth(depth_of, details)
    _recorder.span(name, start, end, state=state, actor=actor, **details)  # type: ignore[union-attr]


def _add_depth(q: Any, details: dict[str, Any]) -> None:
    try:
        details["depth"] = q.qsize()
    except (NotImplementedError, OSError, AttributeError):
        pass


def _labelling_init(cls: Any, then: Callable[[Any], None] | None = None) -> None:
    """Label instances of ``cls`` created by the script, then call ``then``
    on each one labelled."""
    original = cls.__init__

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if _called_from_user():
            _label_new(self)
            if then is not None:
                then(self)

    cls.__init__ = __init__


def _label_new(obj: Any, kind: str | None = None) -> None:
    """Label an object the script made; its variable's name comes at first use."""
    setattr(obj, _LABEL, _new_label(obj, kind))
    setattr(obj, _UNNAMED, True)


def _patch(
    cls: type, name: str, state: str, *, depth: bool = False, what: str = "queue"
) -> None:
    timed = _timed(name, state, depth=depth, what=what)
    setattr(cls, name, timed(cls.__dict__[name]))


def _keep_label_when_pickled(cls: Any) -> None:
    """Carry the label through ``__getstate__`` / ``__setstate__`` (spawn)."""
    get, set_ = cls.__getstate__, cls.__setstate__

    def __getstate__(self: Any) -> Any:
        return (*get(self), ("concdoc-label", _label_of(self)))

    def __setstate__(self: Any, state: Any) -> None:
        last = state[-1] if state else None
        if isinstance(last, tuple) and len(last) == 2 and last[0] == "concdoc-label":
            state = state[:-1]
            if last[1] is not None:
                setattr(self, _LABEL, last[1])
        set_(self, state)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__


# -- module patches, applied when the script imports the module -------------------


def _patch_queue(module: Any) -> None:
    _labelling_init(module.Queue)
    _patch(module.Queue, "put", "blocked", depth=True)
    _patch(module.Queue, "get", "blocked", depth=True)
    _patch(module.Queue, "join", "waiting")
    module.SimpleQueue = _simple_queue(module.SimpleQueue)


def _simple_queue(base: Any) -> Any:
    """``queue.SimpleQueue`` is written in C: its methods cannot be wrapped in
    place, so the module gets a subclass of the same name whose ``put`` and
    ``get`` are recorded (``isinstance`` checks still hold)."""

    class SimpleQueue(base):
        __module__ = "queue"
        __qualname__ = "SimpleQueue"

        def __init__(self) -> None:
            if _called_from_user():
                _label_new(self)

    for name in ("put", "get"):
        method = getattr(base, name)

        def call(self: Any, *args: Any, _method: Any = method, **kwargs: Any) -> Any:
            return _method(self, *args, **kwargs)

        call.__name__ = call.__qualname__ = name
        timed = _timed(name, "blocked", depth=True)(call)
        setattr(SimpleQueue, name, timed)
    SimpleQueue.put_nowait = SimpleQueue.put
    SimpleQueue.get_nowait = lambda self: self.get(False)
    return SimpleQueue


def _patch_mp_queues(module: Any) -> None:
    for cls in (module.Queue, module.SimpleQueue):
        _labelling_init(cls)
        _keep_label_when_pickled(cls)
        _patch(cls, "put", "blocked", depth=cls is module.Queue)
        _patch(cls, "get", "blocked", depth=cls is module.Queue)
    _patch(module.JoinableQueue, "put", "blocked", depth=True)
    _patch(module.JoinableQueue, "join", "waiting")


def _patch_asyncio_queues(module: Any) -> None:
    # LifoQueue and PriorityQueue inherit all three from Queue
    _labelling_init(module.Queue)
    for name, state in (("put", "blocked"), ("get", "blocked"), ("join", "waiting")):
        timed = _timed_async(name, state, depth=name != "join")
        setattr(module.Queue, name, timed(module.Queue.__dict__[name]))


def _patch_connection(module: Any) -> None:
    from multiprocessing import reduction

    original_pipe = module.Pipe

    @functools.wraps(original_pipe)
    def Pipe(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - the stdlib's name
        ends = original_pipe(*args, **kwargs)
        if _called_from_user():
            label = _new_label(ends[0]).replace(type(ends[0]).__name__, "Pipe")
            refs = ("", *(weakref.ref(end) for end in ends))
            for end in ends:
                setattr(end, _LABEL, label)
                setattr(end, _UNNAMED, True)
                setattr(end, _NAMED_AFTER, refs)
        return ends

    module.Pipe = Pipe
    base = module._ConnectionBase
    for name in ("send", "recv", "poll"):
        _patch(base, name, "blocked")
    if hasattr(module, "reduce_connection") and hasattr(module, "Connection"):
        original_reduce = module.reduce_connection

        def reduce_connection(conn: Any) -> Any:
            rebuild, args = original_reduce(conn)
            label = _label_of(conn)
            if label is None:
                return rebuild, args
            return _rebuild_connection, (label, rebuild, args)

        reduction.register(module.Connection, reduce_connection)


def _rebuild_connection(label: str, rebuild: Callable, args: tuple) -> Any:
    """Unpickle a labelled connection (in the receiving process)."""
    conn = rebuild(*args)
    setattr(conn, _LABEL, label)
    return conn


def _recorded_join(
    original_join: Callable,
    recorded: Callable[[Any], bool],
    name: Callable[[Any], str] = lambda joined: joined.name,
) -> Any:
    """``join`` of a thread or process, recorded as a waiting span when
    ``recorded(self)`` says the joined object is the script's own; its
    ``target`` is the joined actor's name, ``name(self)``."""

    @functools.wraps(original_join)
    def join(self: Any, timeout: float | None = None) -> None:
        if not recorded(self):
            return original_join(self, timeout)
        start = now()
        try:
            return original_join(self, timeout)
        finally:
            _recorder.span(  # type: ignore[union-attr]
                "join",
                start,
                now(),
                state="waiting",
                target=name(self),
            )

    return join


def _patch_threading(module: Any) -> None:
    thread = module.Thread
    original_init = thread.__init__
    original_run = thread._bootstrap_inner
    original_join = thread.join

    @functools.wraps(original_init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if _called_from_user():
            setattr(self, _USER_THREAD, True)

    @functools.wraps(original_run)
    def _bootstrap_inner(self: Any) -> None:
        if not getattr(self, _USER_THREAD, False):
            return original_run(self)
        _recorder.name_thread(self.name)  # type: ignore[union-attr]
        handle = _recorder.begin("alive", state="alive")  # type: ignore[union-attr]
        try:
            return original_run(self)
        finally:
            _recorder.end(handle)  # type: ignore[union-attr]
            _recorder.forget_thread(module.get_ident())  # type: ignore[union-attr]

    thread.__init__ = __init__
    thread._bootstrap_inner = _bootstrap_inner
    thread.join = _recorded_join(
        original_join, lambda t: getattr(t, _USER_THREAD, False)
    )
    _patch_sync(module)


# -- locks, conditions, semaphores, barriers, events --------------------------------


def _made_by_script() -> bool:
    """Was the object being made created by the script's own code?

    Stricter than :func:`_called_from_user`: the primitives that threading,
    queue or multiprocessing make for their own use, on the script's behalf
    (``Thread`` keeps an event that ``start()`` waits on), are not counted.
    """
    return is_user_file(sys._getframe(2).f_code.co_filename)


def _script_labelled(cls: Any, kind: str | None = None) -> None:
    """Label the instances of ``cls`` that the script's own code creates."""
    original = cls.__init__

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if _made_by_script():
            _label_new(self, kind)

    cls.__init__ = __init__


def _wrap_sync(
    cls: type,
    waits: dict[str, str],
    marks: dict[str, str],
    attempt: Callable[[Any], bool] | None = None,
) -> None:
    """Record ``waits`` as blocked spans and ``marks`` as instants (method
    name -> event name), on the labelled instances of ``cls``; an
    ``acquire`` span only when ``attempt``, a non-blocking acquire, fails
    (see :func:`_timed`)."""
    for method, span in waits.items():
        if method in cls.__dict__:
            tries = attempt if span == "acquire" else None
            timed = _timed(span, "blocked", what="object", attempt=tries)
            setattr(cls, method, timed(cls.__dict__[method]))
    for method, mark in marks.items():
        if method in cls.__dict__:
            setattr(cls, method, _marked(mark)(cls.__dict__[method]))


#: Method -> span name of a lock-like object's acquiring calls.
_ACQUIRE = {"acquire": "acquire", "__enter__": "acquire"}
#: A condition's waits and marks (threading's and multiprocessing's).
_CONDITION = (
    {"__enter__": "acquire", "wait": "wait", "wait_for": "wait"},
    {"notify": "notify", "notify_all": "notify", "__exit__": "release"},
)


class _TracedLock:
    """A ``threading.Lock`` or ``RLock`` made by the script, recorded.

    Those two are written in C, so the script gets this wrapper instead;
    whatever it does not define (``_is_owned`` ... for ``Condition``) is the
    real lock's.
    """

    def __init__(self, lock: Any, kind: str) -> None:
        self._lock = lock
        _label_new(self, kind)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lock, name)

    def __repr__(self) -> str:
        return repr(self._lock)


def _try_inner_lock(obj: Any) -> bool:
    """Take the lock inside ``obj`` (a traced lock, a condition) if it is free."""
    return obj._lock.acquire(False)


_wrap_sync(_TracedLock, _ACQUIRE, {"release": "release"}, _try_inner_lock)


def _lock_factory(original: Callable, kind: str) -> Callable:
    """``threading.Lock`` / ``RLock``: the real lock, wrapped when the script
    asks. It pickles as ``threading.<kind>`` (a manager's registry holds it)."""

    def factory(*args: Any, **kwargs: Any) -> Any:
        lock = original(*args, **kwargs)
        if not _made_by_script():
            return lock
        return _TracedLock(lock, kind)

    factory.__module__ = "threading"
    factory.__name__ = factory.__qualname__ = kind
    factory.__doc__ = original.__doc__
    return factory


def _patch_sync(module: Any) -> None:
    """The script's own locks, conditions, semaphores, barriers and events."""
    module.Lock = _lock_factory(module.Lock, "Lock")
    module.RLock = _lock_factory(module.RLock, "RLock")
    classes = ("Condition", "Semaphore", "BoundedSemaphore", "Barrier", "Event")
    for name in classes:
        _script_labelled(getattr(module, name))
    _wrap_sync(module.Condition, *_CONDITION, _try_inner_lock)
    acquire = module.Semaphore.acquire
    _wrap_sync(
        module.Semaphore,
        _ACQUIRE,
        {"release": "release"},
        lambda semaphore: acquire(semaphore, False),
    )
    _wrap_sync(module.BoundedSemaphore, {}, {"release": "release"})
    _wrap_sync(module.Barrier, {"wait": "wait"}, {"abort": "abort"})
    _wrap_sync(module.Event, {"wait": "wait"}, {"set": "set"})


def _patch_process(module: Any) -> None:
    base = module.BaseProcess
    original_bootstrap = base._bootstrap
    original_join = base.join

    @functools.wraps(original_bootstrap)
    def _bootstrap(self: Any, *args: Any, **kwargs: Any) -> Any:
        _recorder.process_name = _process_name(self)  # type: ignore[union-attr]
        _recorder.forget_thread(threading.get_ident())  # type: ignore[union-attr]
        handle = _recorder.begin("alive", state="alive")  # type: ignore[union-attr]
        try:
            return original_bootstrap(self, *args, **kwargs)
        finally:
            _recorder.finish()  # type: ignore[union-attr]
            _recorder.end(handle)  # type: ignore[union-attr]

    original_start = base.start

    @functools.wraps(original_start)
    def start(self: Any) -> None:
        # start() drops the target, which names the process: name it first
        self._concdoc_name = _process_name(self)
        # and the objects it is given, while the script's frame is at hand:
        # a forked child would otherwise name them after its own variables
        for arg in (*self._args, *self._kwargs.values()):
            try:
                unnamed = getattr(arg, _UNNAMED, False)
            except Exception:  # noqa: BLE001 - its __getattr__ raised: not ours
                continue
            if unnamed is True:
                _label_of(arg)
        original_start(self)

    base._bootstrap = _bootstrap
    base.start = start
    base.join = _recorded_join(original_join, lambda process: True, _process_name)


def _process_name(process: Any) -> str:
    """The process's name; one Python made up gets its function's name added,
    as ``threading`` does for threads (``Process-2 (work)``)."""
    known = getattr(process, "_concdoc_name", None)
    if known is not None:
        return known
    name = process.name
    target = getattr(process, "_target", None)
    code = getattr(target, "__code__", None)
    if (
        code is not None
        and is_user_file(code.co_filename)
        and name.startswith(f"{type(process).__name__}-")
        and "(" not in name
    ):
        name += f" ({target.__name__})"  # type: ignore[union-attr]
    return name


def _patch_mp_synchronize(module: Any) -> None:
    """multiprocessing's ``Lock``, ``RLock``, ``Semaphore``,
    ``BoundedSemaphore``, ``Condition``, ``Barrier`` and ``Event``, as
    threading's (:func:`_patch_sync`), in whichever process calls.

    A lock or semaphore carries ``acquire`` and ``release`` on each instance
    (its C object's, put there by ``_make_methods``); a labelled one drops
    them, so that its class's recorded methods are found instead. The
    barrier's ``wait`` and ``abort`` are threading's. Labels travel with the
    pickled state; an event's with its ``__dict__``.
    """
    semlock = module.SemLock
    original_make = semlock._make_methods

    @functools.wraps(original_make)
    def _make_methods(self: Any) -> None:
        original_make(self)
        if getattr(self, _LABEL, None) is not None:
            del self.acquire, self.release

    def acquire(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self._semlock.acquire(*args, **kwargs)

    def release(self: Any) -> None:
        return self._semlock.release()

    acquire.__qualname__, release.__qualname__ = "SemLock.acquire", "SemLock.release"
    semlock._make_methods = _make_methods
    semlock.acquire = acquire
    semlock.release = release
    _wrap_sync(
        semlock,
        _ACQUIRE,
        {"release": "release", "__exit__": "release"},
        lambda lock: lock._semlock.acquire(False),
    )
    for cls in (module.Lock, module.RLock, module.Semaphore, module.BoundedSemaphore):
        _labelling_init(cls, then=_make_methods)
    for cls in (module.Condition, module.Barrier, module.Event):
        _labelling_init(cls)
    for cls in (semlock, module.Condition, module.Barrier):
        _keep_label_when_pickled(cls)
    _wrap_sync(module.Condition, *_CONDITION, _try_inner_lock)
    _wrap_sync(module.Event, {"wait": "wait"}, {"set": "set"})


def _patch_sharedctypes(module: Any) -> None:
    """The lock inside a ``Value`` or ``Array`` the script makes, named after
    it ("counter.get_lock()"): recorded like the script's own locks."""
    for name in ("Value", "Array"):
        original = getattr(module, name)

        def factory(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            made = _original(*args, **kwargs)
            lock = getattr(made, "get_lock", None)
            own = kwargs.get("lock", True) in (True, None)
            if own and lock is not None and _called_from_user():
                lock = lock()
                if getattr(lock, _LABEL, None) is None:
                    _label_new(lock)
                    setattr(lock, _NAMED_AFTER, (".get_lock()", weakref.ref(made)))
                    lock._make_methods()
            return made

        setattr(module, name, functools.wraps(original)(factory))
    _script_takes_only(module.SynchronizedBase)


def _script_takes_only(base: Any) -> None:
    """A ``Value``'s or ``Array``'s own takes of its lock (around each
    ``.value`` or ``[i]``) go to the lock's C object, unrecorded; the
    script's ``with v:`` goes to the lock."""
    original_init = base.__init__

    @functools.wraps(original_init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        semlock = getattr(self._lock, "_semlock", None)
        if semlock is not None:
            self.acquire, self.release = semlock.acquire, semlock.release

    def lock_for(self: Any, caller: FrameType) -> Any:
        if is_user_file(caller.f_code.co_filename):
            return self._lock
        return getattr(self._lock, "_semlock", self._lock)

    def __enter__(self: Any) -> Any:
        return lock_for(self, sys._getframe(1)).__enter__()

    def __exit__(self: Any, *args: Any) -> Any:
        return lock_for(self, sys._getframe(1)).__exit__(*args)

    base.__init__ = __init__
    base.__enter__ = __enter__
    base.__exit__ = __exit__


#: Proxy methods recorded as spans (method -> state) on the script's proxies.
_PROXY_CALLS = {
    "put": "blocked",
    "get": "blocked",
    "join": "waiting",
    "wait": "blocked",
}


def _patch_managers(module: Any) -> None:
    """A manager's proxies (``manager.Queue()`` ...): ``put`` / ``get`` and
    waits as spans, in whichever process calls; the label goes with the proxy
    when it is pickled for another process."""
    base = module.BaseProxy
    original_init = base.__init__
    original_call = base._callmethod
    original_reduce = base.__reduce__

    @functools.wraps(original_init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        frame: Any = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.endswith(
            (os.path.join("multiprocessing", "managers.py"), *_FACTORY_FILES)
        ):
            frame = frame.f_back
        if frame is not None and is_user_file(frame.f_code.co_filename):
            _label_new(self, self._token.typeid)

    def _callmethod(
        self: Any, methodname: str, args: tuple = (), kwds: Any = None
    ) -> Any:
        kwds = kwds or {}
        state = _PROXY_CALLS.get(methodname)
        label = _label_of(self) if state else None
        if label is None:
            return original_call(self, methodname, args, kwds)
        what = "queue" if "Queue" in self._token.typeid else "object"
        start = now()
        try:
            result = original_call(self, methodname, args, kwds)
        except BaseException as exc:
            _record_call(methodname, state, start, None, label, exc=exc, what=what)  # type: ignore[arg-type]
            raise
        depth_of = (
            _ProxySize(self) if what == "queue" and methodname != "join" else None
        )
        _record_call(methodname, state, start, depth_of, label, what=what)  # type: ignore[arg-type]
        return result

    def __reduce__(self: Any) -> Any:
        rebuild, args = original_reduce(self)
        label = _label_of(self)
        if label is None:
            return rebuild, args
        return _rebuild_labelled, (label, rebuild, args)

    base.__init__ = __init__
    base._callmethod = _callmethod
    base.__reduce__ = __reduce__


class _ProxySize:
    """``qsize()`` of a manager's queue, asked of the manager after a call."""

    def __init__(self, proxy: Any) -> None:
        self._proxy = proxy

    def qsize(self) -> int:
        return self._proxy._callmethod("qsize")


def _rebuild_labelled(label: str, rebuild: Callable, args: tuple) -> Any:
    """Unpickle a labelled object (a proxy) in the receiving process."""
    obj = rebuild(*args)
    setattr(obj, _LABEL, label)
    return obj


def _call_name(fn: Any) -> str:
    """A submitted call's name: the function, also inside ``map``'s chunks."""
    if isinstance(fn, functools.partial) and getattr(fn.func, "__name__", "") == (
        "_process_chunk"
    ):
        fn = fn.args[0] if fn.args else fn.keywords.get("fn", fn)
    return getattr(fn, "__name__", type(fn).__name__)


class _CallQueue:
    """A ProcessPoolExecutor worker's call queue whose calls record a span."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        item = self._queue.get(*args, **kwargs)
        if item is None:
            return item
        fn = item.fn
        name = _call_name(fn)

        def run(*call_args: Any, **call_kwargs: Any) -> Any:
            recorder = _recorder
            assert recorder is not None
            handle = recorder.begin(name, state="running")
            try:
                return fn(*call_args, **call_kwargs)
            except BaseException as exc:
                recorder.mark("raised", outcome=type(exc).__name__)
                raise
            finally:
                recorder.end(handle)

        item.fn = run
        return item


def _patch_futures_process(module: Any) -> None:
    """ProcessPoolExecutor: each call a running span in its worker."""
    original = module._process_worker

    @functools.wraps(original)
    def _process_worker(call_queue: Any, *args: Any, **kwargs: Any) -> Any:
        return original(_CallQueue(call_queue), *args, **kwargs)

    module._process_worker = _process_worker


def _patch_futures_base(module: Any) -> None:
    """``Future.result()`` called by the script: a blocked span."""
    original = module.Future.result

    @functools.wraps(original)
    def result(self: Any, timeout: float | None = None) -> Any:
        if not is_user_file(sys._getframe(1).f_code.co_filename):
            return original(self, timeout)
        start = now()
        try:
            value = original(self, timeout)
        except BaseException as exc:
            _record_call("get result", "blocked", start, None, None, exc=exc)
            raise
        _record_call("get result", "blocked", start, None, None)
        return value

    module.Future.result = result


def _task_name(func: Callable, args: tuple) -> tuple[str, int]:
    """Name a pool task: the user's function, and how many items it maps."""
    if getattr(func, "__name__", "") in ("mapstar", "starmapstar") and args:
        inner, chunk = args[0]
        return getattr(inner, "__name__", repr(inner)), len(chunk)
    return getattr(func, "__name__", repr(func)), 1


class _TaskQueue:
    """A pool worker's task queue whose tasks record a span when they run."""

    def __init__(self, inqueue: Any) -> None:
        self._inqueue = inqueue

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inqueue, name)

    def get(self) -> Any:
        task = self._inqueue.get()
        if task is None:
            return task
        job, i, func, fargs, fkwargs = task
        name, items = _task_name(func, fargs)

        def run(*args: Any, **kwargs: Any) -> Any:
            # begun and ended, so that a task killed with its worker
            # (Pool.terminate) still shows, cut short
            recorder = _recorder
            assert recorder is not None
            handle = recorder.begin(name, state="running", items=items)
            try:
                return func(*args, **kwargs)
            except BaseException as exc:
                recorder.mark("raised", outcome=type(exc).__name__)
                _hide_this_frame(exc)
                raise
            finally:
                recorder.end(handle)

        return job, i, run, fargs, fkwargs


def _patch_pool(module: Any) -> None:
    original_worker = module.worker

    @functools.wraps(original_worker)
    def worker(inqueue: Any, *args: Any, **kwargs: Any) -> Any:
        return original_worker(_TaskQueue(inqueue), *args, **kwargs)

    module.worker = worker
    module.ApplyResult.get = _timed("get result", "blocked", require_label=False)(
        module.ApplyResult.get
    )


def _sleep_wrapper(original: Callable) -> Callable:
    @functools.wraps(original)
    def sleep(seconds: float = 0, *args: Any, **kwargs: Any) -> Any:
        if not is_user_file(sys._getframe(1).f_code.co_filename):
            return original(seconds, *args, **kwargs)
        start = now()
        try:
            return original(seconds, *args, **kwargs)
        finally:
            _recorder.span("sleep", start, now(), state="sleeping")  # type: ignore[union-attr]

    return sleep


def _patch_gevent_hub(module: Any) -> None:
    module.sleep = _sleep_wrapper(module.sleep)


# -- greenlets -------------------------------------------------------------------


class _Greenlets:
    """Running spans of greenlets, from ``greenlet.settrace`` switch events."""

    def __init__(self, module: Any) -> None:
        self.getcurrent = module.getcurrent
        self.names: dict[str, int] = {}
        self.since: dict[int, int] = {}  # id(greenlet) -> switched in/out at
        self.previous = module.settrace(self.on_switch)

    def identify(self, g: Any, frame: Any = None) -> tuple[str, str, str] | None:
        """``(local id, kind, name)`` of a script greenlet, else None.

        The name is the greenlet's function: gevent keeps it as ``_run``; a
        plain greenlet drops ``run`` once started, so the name is read from
        the bottom of its stack (``frame``) when one is at hand.
        """
        known = getattr(g, "_concdoc_actor", None)
        if known is not None or getattr(g, "parent", None) is None:
            return known or None
        if type(g).__name__ == "Hub":
            g._concdoc_actor = ()
            return None
        name = getattr(getattr(g, "_run", None), "__name__", None)
        if name is None and frame is not None:
            while frame.f_back is not None:
                frame = frame.f_back
            name = frame.f_code.co_name
        name = name or "greenlet"
        count = self.names[name] = self.names.get(name, 0) + 1
        known = (f"g{id(g)}", "greenlet", name if count == 1 else f"{name} #{count}")
        try:
            g._concdoc_actor = known
        except AttributeError:
            return None
        return known

    def is_script_greenlet(self, g: Any) -> bool:
        """A greenlet to draw: not a main greenlet, not gevent's hub."""
        known = getattr(g, "_concdoc_actor", None)
        if known is not None:
            return bool(known)
        return getattr(g, "parent", None) is not None and type(g).__name__ != "Hub"

    def current(self) -> tuple[str, str, str] | None:
        g = self.getcurrent()
        if not self.is_script_greenlet(g):
            return None
        return self.identify(g, sys._getframe(1))

    def on_switch(self, event: str, args: Any) -> None:
        if self.previous is not None:
            self.previous(event, args)
        if event not in ("switch", "throw"):
            return
        origin, target = args
        stamp = now()
        recorder = _recorder
        assert recorder is not None
        if getattr(origin, "parent", 0) is None:  # a main greenlet leaves
            self.since[id(origin)] = stamp
        elif self.is_script_greenlet(origin):
            began = self.since.pop(id(origin), None)
            ident = self.identify(origin, origin.gr_frame)
            if ident and began is not None:
                recorder.span(
                    "run", began, stamp, state="running", actor=recorder.declare(*ident)
                )
        if getattr(target, "parent", 0) is None:  # back to a main greenlet
            began = self.since.pop(id(target), None)
            if began is not None:
                recorder.span(
                    "switched out",
                    began,
                    stamp,
                    state="waiting",
                    actor=recorder.thread_actor(),
                )
        elif self.is_script_greenlet(target):
            self.since[id(target)] = stamp


# -- generator coroutines and asyncio tasks ---------------------------------------

# inspect.CO_GENERATOR, CO_COROUTINE, CO_ASYNC_GENERATOR (inspect is slow to import)
_CO_GENERATOR, _CO_COROUTINE, _CO_ASYNC_GENERATOR = 0x20, 0x80, 0x200
_RESUMABLE = _CO_GENERATOR | _CO_COROUTINE | _CO_ASYNC_GENERATOR
_YIELD_VALUE = opcode.opmap["YIELD_VALUE"]


class _Coroutines:
    """Running spans of the script's generators and coroutines (a profile hook).

    Each time a generator or coroutine of the script is resumed (``next``,
    ``send``, an asyncio task step) and until it yields or returns, it is
    running: one span on its own lane. Only the outermost of a chain counts
    (``yield from`` / ``await`` of another one of the script's). Events
    recorded meanwhile (a sleep, a queue call) belong to that lane.
    """

    def __init__(self) -> None:
        self.stacks: dict[int, list[tuple[Any, int]]] = {}
        self.actors: dict[int, tuple[Any, tuple[str, str, str]]] = {}
        self.names: dict[str, int] = {}

    @staticmethod
    def _resumable(code: Any) -> bool:
        return (
            bool(code.co_flags & _RESUMABLE)
            and code.co_name != "<genexpr>"
            and (is_user_file(code.co_filename))
        )

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            if not self._resumable(frame.f_code):
                return
            back = frame.f_back
            if back is not None and self._resumable(back.f_code):
                return  # inside another of the script's coroutines: part of it
            ident = threading.get_ident()
            self.stacks.setdefault(ident, []).append((frame, now()))
        elif event == "return":
            stack = self.stacks.get(threading.get_ident())
            if not stack or stack[-1][0] is not frame:
                return
            _, start = stack.pop()
            recorder = _recorder
            assert recorder is not None
            local, kind, name = self.identify(frame)
            end = now()
            recorder.span(
                "run",
                start,
                end,
                state="running",
                actor=recorder.declare(local, kind, name),
            )
            if kind == "coroutine":  # its caller waited for it to yield
                recorder.span("resume", start, end, state="waiting", target=name)
            code = frame.f_code
            if code.co_code[frame.f_lasti] != _YIELD_VALUE:  # returned: finished
                self.actors.pop(id(frame), None)

    def identify(self, frame: Any) -> tuple[str, str, str]:
        """``(local id, kind, name)`` of the generator or coroutine of ``frame``.

        Keyed by the frame's id; the code object guards against a finished
        generator's id being reused by another function's generator.
        """
        known = self.actors.get(id(frame))
        if known is not None and known[0] is frame.f_code:
            return known[1]
        code = frame.f_code
        kind = "task" if code.co_flags & _CO_COROUTINE else "coroutine"
        count = self.names[code.co_name] = self.names.get(code.co_name, 0) + 1
        name = code.co_name if count == 1 else f"{code.co_name} #{count}"
        ident = (f"c{next(_labels)}", kind, name)
        self.actors[id(frame)] = (code, ident)
        return ident

    def current(self) -> tuple[str, str, str] | None:
        stack = self.stacks.get(threading.get_ident())
        return self.identify(stack[-1][0]) if stack else None


def _patch_asyncio_tasks(module: Any) -> None:
    original = module.sleep

    @functools.wraps(original)
    async def sleep(delay: float, result: Any = None) -> Any:
        if not is_user_file(sys._getframe(1).f_code.co_filename):
            return await original(delay, result)
        recorder = _recorder
        assert recorder is not None
        # the task is known now; a cancellation is thrown into this wrapper
        # before the task's own frame resumes, so it would not be known then
        actor = recorder.actor()
        start = now()
        try:
            return await original(delay, result)
        finally:
            recorder.span("sleep", start, now(), state="sleeping", actor=actor)

    module.sleep = sleep


def _patch_asyncio_locks(module: Any) -> None:
    """asyncio's ``Lock``, ``Semaphore``, ``BoundedSemaphore``, ``Condition``,
    ``Event`` and ``Barrier`` made by the script: each awaited acquire or
    wait a blocked span on the lane of the task that awaited it; release,
    notify and set marked there."""
    waits = {
        module._ContextManagerMixin: {"__aenter__": "acquire"},
        module.Lock: {"acquire": "acquire"},
        module.Semaphore: {"acquire": "acquire"},
        module.Condition: {"wait": "wait", "wait_for": "wait"},
        module.Event: {"wait": "wait"},
    }
    if hasattr(module, "Barrier"):  # Python 3.11+
        waits[module.Barrier] = {"wait": "wait"}
    for cls in (*waits, module.BoundedSemaphore):
        if cls is not module._ContextManagerMixin:
            _script_labelled(cls)
    for cls, methods in waits.items():
        for method, span in methods.items():
            timed = _timed_async(span, "blocked", what="object")
            setattr(cls, method, timed(cls.__dict__[method]))
    mixin = module._ContextManagerMixin
    mixin.__aexit__ = _marked_async("release")(mixin.__dict__["__aexit__"])
    marks = {
        module.Lock: {"release": "release"},
        module.Semaphore: {"release": "release"},
        module.BoundedSemaphore: {"release": "release"},
        module.Condition: {"notify": "notify", "notify_all": "notify"},
        module.Event: {"set": "set"},
    }
    for cls, methods in marks.items():
        for method, mark in methods.items():
            setattr(cls, method, _marked(mark)(cls.__dict__[method]))


def _patch_greenlet(module: Any) -> None:
    tracker = _Greenlets(module)
    _recorder.resolvers.append(tracker.current)  # type: ignore[union-attr]


# -- installing ------------------------------------------------------------------


_HOOKS: dict[str, Callable[[Any], None]] = {
    "queue": _patch_queue,
    "threading": _patch_threading,
    "multiprocessing.process": _patch_process,
    "multiprocessing.queues": _patch_mp_queues,
    "multiprocessing.connection": _patch_connection,
    "multiprocessing.pool": _patch_pool,
    "multiprocessing.synchronize": _patch_mp_synchronize,
    "multiprocessing.sharedctypes": _patch_sharedctypes,
    "multiprocessing.managers": _patch_managers,
    "concurrent.futures._base": _patch_futures_base,
    "concurrent.futures.process": _patch_futures_process,
    "greenlet": _patch_greenlet,
    "gevent.hub": _patch_gevent_hub,
    "asyncio.tasks": _patch_asyncio_tasks,
    "asyncio.queues": _patch_asyncio_queues,
    "asyncio.locks": _patch_asyncio_locks,
}


def install(
    recorder: Recorder,
    *,
    root: bool = False,
    on_import: Callable[[dict[str, Callable[[Any], None]]], None],
) -> None:
    """Instrument this interpreter so that it records into ``recorder``.

    Parameters
    ----------
    recorder : Recorder
        Where the events go.
    root : bool
        This is the run's first interpreter: record its lifetime, from now
        until it exits.
    on_import : callable
        Given ``{module name: patch}``, applies each patch once its module is
        imported (the boot hook's post-import hooks).
    """
    global _recorder, _library_dirs, _root_pid
    if _recorder is not None:
        raise RuntimeError("concdoc tracing is already installed in this process")
    _recorder = recorder
    # the standard library, installed packages, concdoc (sysconfig is slow)
    dirs = {
        os.path.dirname(os.__file__),
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    }
    dirs.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    _library_dirs = tuple(os.path.join(d, "") for d in dirs)
    _root_pid = int(os.environ.setdefault(proto.TRACE_ROOT_PID, str(os.getpid())))
    time.sleep = _sleep_wrapper(time.sleep)
    if os.environ.get(COROUTINES_VARIABLE):
        coroutines = _Coroutines()
        recorder.resolvers.append(coroutines.current)
        sys.setprofile(coroutines.profile)
        threading.setprofile(coroutines.profile)
    on_import(_HOOKS)
    atexit.register(recorder.finish)  # a multiprocessing child: in _bootstrap
    if not root:  # a multiprocessing child renames itself in _bootstrap
        recorder.process_name = f"pid {os.getpid()}"
    else:
        handle = recorder.begin("alive", state="alive")
        pid = os.getpid()

        def end_alive() -> None:
            if os.getpid() == pid:  # not in a forked child that inherited it
                recorder.end(handle)

        atexit.register(end_alive)
