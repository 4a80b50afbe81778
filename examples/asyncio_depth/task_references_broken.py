"""
Broken: a task nobody keeps a reference to
==========================================

``asyncio.create_task()`` schedules a coroutine and returns the task. It is
tempting to drop the return value ("fire and forget"). But the event loop
does not own its tasks: its registry of all tasks,
``asyncio.tasks._all_tasks``, is a ``weakref.WeakSet``, which lets the
garbage collector remove an entry nobody else refers to. A task waiting
on a timer (``asyncio.sleep()``) is reachable through the loop's scheduled
callbacks, so it survives (and, by our reading of the 3.11 source, so is
a task waiting on a socket, through the callbacks the loop registered
for it). A task waiting on a future that only the task itself can reach
is garbage, and the next collection destroys it in the middle of its
work. Its ``finally`` clause runs with
``GeneratorExit``, not ``CancelledError``, and asyncio reports *Task was
destroyed but it is pending!* to the loop's exception handler, which by
default logs it to standard error.

When that happens depends on when the garbage collector runs, so in a real
program the failure is rare and unrepeatable. This page makes it
deterministic by calling ``gc.collect()`` itself.
"""

# %%
# The registry is weak
# --------------------

import asyncio
import gc
import weakref

print(f"the loop's registry of tasks: {type(asyncio.tasks._all_tasks).__name__}")

# %%
# A background job waiting for a reply
# ------------------------------------
# ``wait_for_reply`` waits on a future that only it holds (a reply that
# would be delivered by some callback it registered). ``reply`` is handed
# back through ``replies`` so that the fixed version can answer it.


async def wait_for_reply(log: list[str], replies: list[asyncio.Future]) -> None:
    reply = asyncio.get_running_loop().create_future()
    replies.append(weakref.ref(reply))
    try:
        log.append(f"job: got {await reply!r}")
    except BaseException as exc:
        log.append(f"job: ended by {type(exc).__name__}")
        raise


# %%
# Broken: ``create_task()`` and forget
# ------------------------------------
# Once the job is suspended, nothing outside it refers to the task, so one
# collection destroys it. The ``weakref`` shows that the task object is
# gone, while a forgotten task that sleeps survives the same collection.
# This page installs its own exception handler, which prints asyncio's
# message without the file path the default one adds.


def report(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    coro = context["task"].get_coro().__qualname__
    print(f"asyncio reported: {context['message']} (the task of {coro}())")


async def fire_and_forget() -> None:
    asyncio.get_running_loop().set_exception_handler(report)
    log: list[str] = []
    replies: list = []
    task_ref = weakref.ref(asyncio.create_task(wait_for_reply(log, replies)))
    sleeper_ref = weakref.ref(asyncio.create_task(asyncio.sleep(0.01)))
    await asyncio.sleep(0)  # the job runs until it waits for its reply
    gc.collect()
    print(f"broken: task still exists after gc.collect(): {task_ref() is not None}")
    print(f"broken: {log}")
    print(
        f"a forgotten task in asyncio.sleep() still exists: {sleeper_ref() is not None}"
    )
    await asyncio.sleep(0.02)  # the sleeper finishes before the loop closes


asyncio.run(fire_and_forget())

# %%
# Fixed: keep every task in a set until it is done
# ------------------------------------------------
# A set of running tasks holds a strong reference to each, and a done
# callback removes the task when it finishes, so the set does not grow
# forever. (A ``TaskGroup`` also keeps its tasks, and waits for them.)


async def keep_references() -> None:
    log: list[str] = []
    replies: list = []
    background: set[asyncio.Task] = set()
    task = asyncio.create_task(wait_for_reply(log, replies))
    background.add(task)
    task.add_done_callback(background.discard)
    del task  # only the set refers to it now
    await asyncio.sleep(0)
    gc.collect()
    print(f"fixed: tasks still held after gc.collect(): {len(background)}")
    replies[0]().set_result("pong")  # the reply arrives
    await asyncio.gather(*background)
    print(f"fixed: {log}; tasks held now: {len(background)}")


asyncio.run(keep_references())
