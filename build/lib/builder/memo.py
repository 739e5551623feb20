"""Work kept between the builds of one preview (`evidence serve`).

After an edit a preview must show the changed page in a second or two, at any size of the
evidence base. So each piece of work (a parsed file, a source's page, its search words) is
kept under a key that holds everything it is made from, the text of its file and what it
shows of other files, and the next build takes it from there instead of making it again.
Nothing is stored on disk, and a key never leaves out an input: the preview must never show
what a cold build would not (tests/test_preview.py holds them equal after random edits and
option changes). Each build keeps only the pieces it used. A build outside a preview keeps
nothing (`Memo(keeps=False)`).

A preview's rebuild at 10,000 sources takes seconds; an edit saved meanwhile should not wait
for it. So each piece asks `superseded()` (set by builder/serve.py: a newer edit is waiting)
and the build stops with Superseded, before it has written anything; the next build starts
at once, with every piece made so far kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Superseded(Exception):
    """A newer edit is waiting: this preview build stops, and the next one starts."""


class Memo:
    def __init__(self, keeps: bool = True) -> None:
        self.keeps = keeps
        self.superseded: Callable[[], bool] = lambda: False
        self._kept: dict[str, dict[Hashable, Any]] = {}
        self._used: dict[str, dict[Hashable, Any]] = {}

    def get(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        if not self.keeps:
            return make()
        if self.superseded():
            raise Superseded
        used = self._used.setdefault(kind, {})
        if key not in used:
            kept = self._kept.get(kind, {})
            used[key] = kept[key] if key in kept else make()
        return used[key]

    def end_build(self) -> None:
        """What this build did not use is dropped: the memo does not grow with every edit."""
        self._kept, self._used = self._used, {}
