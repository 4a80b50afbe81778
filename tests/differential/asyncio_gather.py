"""asyncio.run with tasks gathered; one task prints from a thread too."""

import asyncio


def blocking(n):
    return n * n


async def main():
    squares = await asyncio.gather(*(asyncio.to_thread(blocking, n) for n in range(5)))
    print("squares", squares)


asyncio.run(main())
