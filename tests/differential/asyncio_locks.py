"""asyncio tasks share a Lock, a Semaphore, an Event and a Condition; the
script ends by releasing a lock nobody holds, uncaught."""

import asyncio


async def worker(n, lock, slots, go, cond, done):
    await go.wait()
    async with slots:
        async with lock:
            await asyncio.sleep(0)
            print(f"worker {n} holds the lock")
    async with cond:
        done.append(n)
        cond.notify_all()


async def main():
    lock, slots, go = asyncio.Lock(), asyncio.BoundedSemaphore(2), asyncio.Event()
    cond, done = asyncio.Condition(), []
    tasks = [
        asyncio.create_task(worker(n, lock, slots, go, cond, done)) for n in range(3)
    ]
    go.set()
    async with cond:
        await cond.wait_for(lambda: len(done) == 3)
    await asyncio.gather(*tasks)
    print("done:", sorted(done))
    await lock.acquire()
    try:
        await asyncio.wait_for(lock.acquire(), 0.01)
    except asyncio.TimeoutError:
        print("a held lock: timed out")
    lock.release()
    try:
        slots.release()
    except ValueError as exc:
        print("over-released:", exc)
    print(asyncio.iscoroutinefunction(lock.acquire), lock.acquire.__qualname__)
    lock.release()


asyncio.run(main())
