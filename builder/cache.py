"""Work already done, kept between builds so that a build after a small edit is fast.

Safe to delete, never stale: every entry is found by a digest of all the work reads (a
file's bytes; the labels, links and references a page shows), and a store written by
other builder code or other library versions is ignored whole. An unreadable store is
ignored too; the build then does the work again and writes a fresh one.

The stores are pickles, so they are trusted like the builder's own code: they live in
the project's `.cache/` (git-ignored, like Material's own cache) and are never committed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = 1
_LIBRARIES = ("PyYAML", "pydantic", "pydantic_core", "bibtexparser", "pylatexenc", "citeproc-py")
_MISSING = object()


@cache
def code_fingerprint() -> str:
    """A digest of the builder's source and the versions of the libraries whose output it keeps."""
    h = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(path.relative_to(Path(__file__).parent).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} absent".encode())
    return h.hexdigest()


def digest(*parts: str) -> bytes:
    """A key for work that reads exactly these texts (each part length-prefixed: no ambiguity)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()


class Store:
    """One file of key -> value. Saving keeps only what this run used, so it never grows stale."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old = _read(path) if path else {}
        self._used: dict[bytes, Any] = {}
        self._added = 0

    @property
    def keeps(self) -> bool:
        """False for a store with no file: working out keys for it would be wasted."""
        return self.path is not None

    def get(self, key: bytes) -> Any:
        """The value kept under key, or None."""
        value = self._old.get(key, _MISSING)
        if value is _MISSING:
            return None
        self._used[key] = value
        return value

    def put(self, key: bytes, value: Any) -> Any:
        self._used[key] = value
        self._added += 1
        return value

    def save(self) -> None:
        """Write what this run used, atomically; a failure to write only loses the speed-up.

        Writing rewrites the whole store (0.7 s for the pages of 10,000 sources), so it waits
        until 1 entry in 100 is new or unused: until then, the next run redoes those few.
        """
        dropped = len(self._old) - (len(self._used) - self._added)
        if self.path is None or (self._added + dropped) * 100 < len(self._used) or not (self._added or dropped):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump((FORMAT, code_fingerprint(), self._used), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.path)
        except OSError:
            Path(temp).unlink(missing_ok=True)


def _read(path: Path) -> dict[bytes, Any]:
    try:
        with path.open("rb") as f:
            form, fingerprint, entries = pickle.load(f)
    except Exception:  # missing, truncated, written by another version: start empty
        return {}
    if form != FORMAT or fingerprint != code_fingerprint() or not isinstance(entries, dict):
        return {}
    return entries


def stores(cache_dir: Path | None, *names: str) -> list[Store]:
    """The named stores in cache_dir, or stores that keep nothing when cache_dir is None."""
    return [Store(cache_dir / f"{name}.pickle" if cache_dir else None) for name in names]
