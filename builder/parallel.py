"""Work on many items split between this process and one forked child, on a machine with two cores.

Loading and rendering 10,000 sources is pure Python, one item at a time, with no item
depending on another: the child takes the second half, this process the first, and the
child sends its results back pickled (benchmarks/RESULTS.md: the cold core in about 60% of
the time). The child starts as a copy of this process (fork), so it needs nothing sent to it.

Forking is only safe in a process with one thread (a lock held by another thread would
stay locked in the child), so `mkdocs serve`, whose server runs in threads, works in one
process; so do small inputs, where forking costs more than it saves, and systems without
fork. If the child fails in any way, this process does its half itself: an error then
surfaces here, with its usual traceback, and nothing is lost.

What the child kept in the cache stores comes back with its results and is merged, so a
store saved afterwards holds both halves' work.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from builder.cache import Store

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")

# Below this many items, one process: forking a process of several hundred MB and sending
# results back costs a few hundredths of a second, more than the work saved.
MIN_ITEMS = 1000


def in_two(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    stores: Sequence[Store] = (),
    child_share: float = 0.5,
) -> list[R]:
    """work(items); the last `child_share` of them done by a forked child, when worth it and safe."""
    return in_two_with(work, items, lambda: None, stores, child_share)[0]


def in_two_with(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    also: Callable[[], A],
    stores: Sequence[Store] = (),
    child_share: float = 0.5,
) -> tuple[list[R], A]:
    """(work(items), also()): this process does also() and the first part of the items meanwhile."""
    if not _worth_forking(len(items)):
        return work(items), also()
    cut = len(items) - round(len(items) * child_share)
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do its part, send it back, and leave without cleaning up
        os.close(readable)
        _child(work, items[cut:], stores, writable)
    os.close(writable)
    with os.fdopen(readable, "rb") as pipe:
        try:
            extra = also()
            mine = work(items[:cut])
            sent = pipe.read()  # read before waiting: the child cannot exit while the pipe is full
        except BaseException:  # an error here, or Ctrl-C: the child's work is not wanted
            os.kill(pid, signal.SIGKILL)
            raise
        finally:
            _, status = os.waitpid(pid, 0)  # always: no child left behind
    if status != 0 or not sent:
        return mine + work(items[cut:]), extra
    theirs, journals = pickle.loads(sent)  # from our own child: trusted
    for store, journal in zip(stores, journals, strict=True):
        store.merge(journal)
    return mine + theirs, extra


def kept_or_made(
    store: Store, keys: Sequence[bytes] | None, items: Sequence[T], make: Callable[[T], R], child_share: float = 0.5
) -> list[R]:
    """make(item) for each item, or what `store` keeps under its key; only the making is split.

    So a build after a few edits does not fork at all. keys is None for a store that keeps nothing.
    """
    found = [store.get(key) for key in keys] if keys is not None else [None] * len(items)
    todo = [(i, item) for i, (item, kept) in enumerate(zip(items, found, strict=True)) if kept is None]

    def work(part: Sequence[tuple[int, T]]) -> list[R]:
        return [make(item) if keys is None else store.put(keys[i], make(item)) for i, item in part]

    made = iter(in_two(work, todo, [store], child_share))
    return [kept if kept is not None else next(made) for kept in found]


def _worth_forking(n: int) -> bool:
    return (
        n >= MIN_ITEMS
        and sys.platform == "linux"  # macOS's system libraries are not safe to use after fork
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


def _child(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], stores: Sequence[Store], fd: int) -> None:
    status = 1
    try:
        for store in stores:
            store.start_journal()
        result = work(items)
        with os.fdopen(fd, "wb") as out:
            pickle.dump((result, [store.journal() for store in stores]), out, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffered output
