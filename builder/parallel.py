"""Work on many items split between this process and one forked child, on a machine with two cores.

Loading and rendering 10,000 sources is pure Python, one item at a time, with no item
depending on another: the child takes the last part, this process the first, and the
child sends its results back pickled (benchmarks/RESULTS.md: the cold core in 70% of the
time one process takes). The child starts as a copy of this process (fork), so it needs
nothing sent to it.

Forking is only safe in a process with one thread (a lock held by another thread would
stay locked in the child), so `mkdocs serve`, whose server runs in threads, works in one
process; so do small inputs, where forking costs more than it saves, and systems without
fork. If the child fails in any way, this process does its half itself: an error then
surfaces here, with its usual traceback, and nothing is lost.

What the child kept in the cache stores comes back with its results and is merged, so a
store saved afterwards holds both halves' work.

in_child runs a whole job in a child, for its memory rather than its speed: the core's
hundreds of MB of small objects would otherwise stay with the `mkdocs build` process,
freed but not given back to the system, while MkDocs renders HTML on top of them.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, Protocol, TypeVar

from builder.cache import Store

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")

# Below this many items, one process: forking a process of several hundred MB and sending
# results back costs a few hundredths of a second, more than the work saved.
MIN_ITEMS = 1000


def in_two_with(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    also: Callable[[], A],
    stores: Sequence[Store] = (),
    child_share: float = 0.5,
) -> tuple[list[R], A]:
    """(work(items), also()): a forked child does the last `child_share` of the items, when that
    is worth it and safe, while this process does also() and the rest."""
    if not _worth_forking(len(items)):
        return work(items), also()
    cut = len(items) - round(len(items) * child_share)
    child = _fork(lambda: _journaled(work, items[cut:], stores))
    (extra, mine), sent = _join(*child, lambda: (also(), work(items[:cut])))
    if sent is _FAILED:
        return mine + work(items[cut:]), extra
    theirs, journals = sent
    for store, journal in zip(stores, journals, strict=True):
        store.merge(journal)
    return mine + theirs, extra


def in_child(work: Callable[[], R]) -> R:
    """work(), done in a forked child when that is safe, so that all the memory it used goes
    back to the system when the child exits (what it returns is sent back pickled).

    What the child logs is printed but not counted by this process's handlers (`mkdocs build
    --strict` counts warnings): the core returns its problems as values, logged here.
    """
    if not _safe_to_fork():
        return work()
    _, sent = _join(*_fork(work), lambda: None)
    return work() if sent is _FAILED else sent


class Keeper(Protocol[R]):
    """Where kept_or_made finds and keeps what it makes: a Store, or several behind one face."""

    def get(self, key: bytes) -> R | None: ...

    def put(self, key: bytes, value: R) -> R: ...


def kept_or_made(
    keeper: Keeper[R],
    keys: Sequence[bytes],
    items: Sequence[T],
    make: Callable[[T], R],
    also: Callable[[], A],
    child_share: float = 0.5,
    journaled: Sequence[Store] = (),
    prepare: Callable[[], object] = lambda: None,
) -> tuple[list[R], A]:
    """(make(item) or what `keeper` keeps under its key, for each item; also()). Only the making
    is split with a child, so a build after a few edits does not fork at all.

    journaled: the stores the keeper puts in (a Store keeper is its own); prepare: called
    before any making, to work out what every item's making reads (before forking, once).
    """
    found = [keeper.get(key) for key in keys]
    todo = [(i, item) for i, (item, kept) in enumerate(zip(items, found, strict=True)) if kept is None]
    if todo:
        prepare()

    def work(part: Sequence[tuple[int, T]]) -> list[R]:
        return [keeper.put(keys[i], make(item)) for i, item in part]

    stores = journaled or ([keeper] if isinstance(keeper, Store) else [])
    made, extra = in_two_with(work, todo, also, stores, child_share)
    fresh = iter(made)
    return [kept if kept is not None else next(fresh) for kept in found], extra


def _worth_forking(n: int) -> bool:
    return n >= MIN_ITEMS and (os.cpu_count() or 1) >= 2 and _safe_to_fork()


def _safe_to_fork() -> bool:
    # macOS's system libraries are not safe to use after fork; a lock held by another thread
    # would stay locked in the child.
    return sys.platform == "linux" and threading.active_count() == 1


_FAILED = object()


def _fork(job: Callable[[], object]) -> tuple[int, BinaryIO]:
    """Start a child doing job(); (its pid, the pipe its pickled result comes through)."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the job, send the result, and leave without cleaning up
        os.close(readable)
        status = 1
        try:
            result = job()
            with os.fdopen(writable, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffered output
    os.close(writable)
    return pid, os.fdopen(readable, "rb")


def _join(pid: int, pipe: BinaryIO, meanwhile: Callable[[], A]) -> tuple[A, Any]:
    """(meanwhile(), the child's result or _FAILED); the child is always waited for."""
    with pipe:
        try:
            mine = meanwhile()
            sent = _receive(pipe)  # before waiting: the child cannot exit while the pipe is full
        except BaseException:  # an error here, or Ctrl-C: the child's work is not wanted
            os.kill(pid, signal.SIGKILL)
            raise
        finally:
            _, status = os.waitpid(pid, 0)
    return mine, (sent if status == 0 else _FAILED)


def _receive(pipe: BinaryIO) -> Any:
    """The child's result, unpickled as it arrives (no second copy of it all in memory);
    _FAILED if the child stopped before sending all of it."""
    try:
        return pickle.load(pipe)  # from our own child: trusted
    except Exception:
        return _FAILED


def _journaled(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], stores: Sequence[Store]) -> tuple:
    """In the child: the results, and what it used of each store."""
    for store in stores:
        store.start_journal()
    return work(items), [store.journal() for store in stores]
