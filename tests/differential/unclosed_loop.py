"""An event loop created and never closed."""

import asyncio


async def answer():
    await asyncio.sleep(0.01)
    return 42


loop = asyncio.new_event_loop()
print("answer", loop.run_until_complete(answer()))
