"""A task still pending when asyncio.run returns is cancelled."""

import asyncio


async def forever():
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print("cancelled at the end")
        raise


async def main():
    asyncio.create_task(forever())
    await asyncio.sleep(0.01)
    print("main coroutine done")


asyncio.run(main())
