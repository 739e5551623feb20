"""Work kept between the builds of one preview (`evidence serve`).

After an edit a preview must show the changed page in a second or two, at any size of the
evidence base. So each piece of work (a parsed file, a source's page, its search words) is
kept under a key that holds everything it is made from, the text of its file and what it
shows of other files, and the next build takes it from there instead of making it again.
It is held in memory (but for the parsed files kept for the next preview: below), and a key
never leaves out an input: the preview must never show
what a cold build would not (tests/test_preview.py holds them equal after random edits and
option changes). Each build keeps only the pieces it used. A build outside a preview keeps
nothing (`Memo(keeps=False)`).

A preview's rebuild at 10,000 sources takes seconds; an edit saved meanwhile should not wait
for it. So each piece asks `superseded()` (set by builder/serve.py: a newer edit is waiting)
and the build stops with Superseded, before it has written anything; the next build starts
at once, with every piece made so far kept.

A preview's first build parses every file: seconds at 10,000 sources, before its first page.
So what a preview parsed (each source file and the BibTeX library: pure functions of a file's
name and text, and for a source of today's date, which its dates may not be after) is kept in
the user's cache folder (builder/store.py), under a key of the generator's code and the
versions of the libraries that parse, and the next preview starts from it (`load_kept`,
`keep`). Each piece is looked up by a digest of its own key, which holds its
file's whole text, so a piece is used only for the very file it was made from.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import pickle
import sys
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from builder.store import Store, key_of

T = TypeVar("T")
# The kinds kept between previews: each a pure function of its key (a file's name and text, and
# today; a source's stored text too, for "verify").
KEPT_KINDS = ("source", "bib", "citations", "figures", "verify")
_MISSING = object()


class Superseded(Exception):
    """A newer edit is waiting: this preview build stops, and the next one starts."""


class Memo:
    def __init__(self, keeps: bool = True) -> None:
        self.keeps = keeps
        self.superseded: Callable[[], bool] = lambda: False
        self._kept: dict[str, dict[Hashable, Any]] = {}
        self._used: dict[str, dict[Hashable, Any]] = {}
        self._stored: dict[str, dict[bytes, Any]] = {}  # from an earlier preview, by a digest of each key

    def get(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        if not self.keeps:
            return make()
        if self.superseded():
            raise Superseded
        used = self._used.setdefault(kind, {})
        if key not in used:
            kept = self._kept.get(kind, {})
            used[key] = kept[key] if key in kept else self._stored_or_made(kind, key, make)
        return used[key]

    def _stored_or_made(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        stored = self._stored.get(kind)
        found = stored.pop(_digest(key), _MISSING) if stored else _MISSING
        return make() if found is _MISSING else found

    def end_build(self) -> None:
        """What this build did not use is dropped: the memo does not grow with every edit."""
        self._kept, self._used, self._stored = self._used, {}, {}


def _of_texts(key: Hashable) -> bool:
    """A key of texts alone, whose digest another process makes alike (the only kind kept)."""
    return isinstance(key, tuple) and all(isinstance(part, str) for part in key)


def _digest(key: Hashable) -> bytes:
    if _of_texts(key):
        return key_of(*(part.encode("utf-8", "surrogatepass") for part in key)).encode()  # no repr: a third of the time
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).digest()


# Every library whose output a kept piece holds: a newer one may parse the same text otherwise.
_PARSING_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "bibtexparser", "pylatexenc")


@functools.cache  # the code this process runs: read at its start (load_kept), not after an upgrade
def _code_key() -> str:
    """What a kept piece was made with: the generator's code, Python and the parsing libraries."""
    code = sorted(Path(__file__).parent.rglob("*.py"))
    libraries = [f"{name} {importlib.metadata.version(name)}" for name in _PARSING_LIBRARIES]
    return key_of("memo 1", sys.version, *libraries, *(f"{p.name}\0{p.read_text()}" for p in code))


def load_kept(memo: Memo, store: Store) -> None:
    """What an earlier preview of this machine parsed, for this memo's next build to use."""
    data = store.get("memo", _code_key())
    with contextlib.suppress(Exception):  # not what keep() wrote (another Python): parsed again
        stored = pickle.loads(data) if data else {}
        memo._stored = {kind: dict(stored[kind]) for kind in KEPT_KINDS if isinstance(stored.get(kind), dict)}


def keep(memo: Memo, store: Store) -> None:
    """What the last build used of the kinds kept, for the next preview (only keys of text:
    anything else has no digest that another process would make alike)."""
    kept = {kind: {_digest(k): v for k, v in memo._kept.get(kind, {}).items() if _of_texts(k)} for kind in KEPT_KINDS}
    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
        store.put("memo", _code_key(), pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL), keep=2)
