"""
Streams: a TCP server and its clients in one event loop
=======================================================

``asyncio.start_server(handler, host, port)`` listens on a socket and
starts one task per connection, running ``handler(reader, writer)``.
``asyncio.open_connection(host, port)`` is the client side. Both give a
``StreamReader`` (``await reader.readline()``, ``read(n)``,
``readexactly(n)``: each suspends the task until the bytes are there) and
a ``StreamWriter``. According to the documentation, ``write()`` only
buffers, and ``await writer.drain()`` waits until the buffer has room
again, which is how a fast writer is slowed to the pace of the network;
this page does not send enough to show it.

Here the server and three clients share one loop on ``127.0.0.1``; port 0
lets the system choose a free port. Nothing leaves the machine.
"""

# %%
# The server: one task per connection
# -----------------------------------
# The handler reads lines until the client closes its side (``readline()``
# then returns ``b""``) and answers each with the line in capitals. It
# notes its own task in ``HANDLERS``: in Python 3.11, closing the server
# and awaiting ``server.wait_closed()`` does not wait for the handlers (the
# 3.11 source returns at once when the listening sockets are closed), so
# ``main`` waits for them itself.

import asyncio

HANDLERS: set[asyncio.Task] = set()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    HANDLERS.add(asyncio.current_task())
    while line := await reader.readline():
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


# %%
# Clients, concurrently
# ---------------------
# Each client sends its words one line at a time and reads each answer.
# ``write_eof()`` tells the server there is no more; ``wait_closed()``
# waits until the connection is really closed, so that no socket is left
# open when the loop ends.


async def client(port: int, words: list[str]) -> list[str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answers = []
    for word in words:
        writer.write(f"{word}\n".encode())
        await writer.drain()
        answers.append((await reader.readline()).decode().strip())
    writer.write_eof()
    assert await reader.read() == b""  # the server closed its side too
    writer.close()
    await writer.wait_closed()
    return answers


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        results = await asyncio.gather(
            client(port, ["red", "green"]),
            client(port, ["one", "two", "three"]),
            client(port, ["ok"]),
        )
    await asyncio.gather(*HANDLERS)
    print(f"{len(HANDLERS)} connections served")
    for answers in results:
        print(answers)


asyncio.run(main())
