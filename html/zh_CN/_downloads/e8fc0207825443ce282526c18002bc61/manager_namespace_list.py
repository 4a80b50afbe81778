"""
Namespace and list proxies: where updates get lost
==================================================

A manager's ``Namespace`` holds attributes and its ``list`` behaves like a
list, but both live in the manager's server process. Reading
``ns.items`` or ``lst[0]`` returns a *copy* of the stored object, so
mutating that copy in place changes nothing on the server.

The study note this chapter is based on sums this up as "lists are
immutable". They are not: the changes simply go to a local copy. The fix is
to write the changed object back, or to store a nested proxy so that the
inner object lives in the manager too.
"""

# %%
# Three ways to append
# --------------------
# Each function runs in a child process. The first mutates copies and loses
# its update; the second writes the copies back; the third appends through a
# nested list proxy. Writing back is a read-modify-write: if several
# processes do it at once, one can overwrite another's change unless they
# share a lock such as ``manager.Lock()``. A nested proxy's ``append()`` is a
# single request to the server, so it has no such race.

import multiprocessing


def append_in_place(ns, lst) -> None:
    ns.items.append("child")  # appends to a copy of ns.items
    lst[0].append("child")  # appends to a copy of lst[0]


def append_and_reassign(ns, lst) -> None:
    items = ns.items
    items.append("child")
    ns.items = items  # send the changed list back
    inner = lst[0]
    inner.append("child")
    lst[0] = inner


def append_to_nested_proxy(ns, lst) -> None:
    ns.items.append("child")  # ns.items is itself a proxy here
    lst[0].append("child")


def run_in_child(target, ns, lst) -> None:
    child = multiprocessing.Process(target=target, args=(ns, lst))
    child.start()
    child.join()


# %%
# A Namespace prints its attributes
# ---------------------------------
# Plain values such as numbers and strings behave as expected: assigning an
# attribute stores it in the server.

if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        ns = manager.Namespace()
        ns.x = 10
        ns.y = "hello"
        print(ns)

# %%
# Lost update, then two fixes
# ---------------------------
# A nested proxy prints as ``<ListProxy object ...>``, so we convert it with
# ``list()`` to see its contents.

if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        for target in (append_in_place, append_and_reassign):
            ns = manager.Namespace()
            ns.items = ["parent"]
            lst = manager.list([["parent"]])
            run_in_child(target, ns, lst)
            print(f"{target.__name__}: ns.items={ns.items}, lst[0]={lst[0]}")

        ns = manager.Namespace()
        ns.items = manager.list(["parent"])
        lst = manager.list([manager.list(["parent"])])
        run_in_child(append_to_nested_proxy, ns, lst)
        print(
            f"append_to_nested_proxy: ns.items={list(ns.items)}, lst[0]={list(lst[0])}"
        )
