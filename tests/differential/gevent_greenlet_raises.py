"""A greenlet dies of an exception; gevent prints it and carries on."""

import gevent


def broken():
    raise ZeroDivisionError("bad math")


g = gevent.spawn(broken)
gevent.joinall([g])
print("greenlet successful:", g.successful())
