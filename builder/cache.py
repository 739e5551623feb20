"""Work already done, kept between builds so that a build after a small edit is fast.

Safe to delete, never stale: every entry is found by a digest of all the work reads (a
file's bytes; the labels, links and references a page shows), and a store written by
other builder code or other library versions is ignored whole. An unreadable store is
ignored too; the build then does the work again and writes a fresh one.

The stores are pickles, and reading a pickle can run code, so a store is read only if it
carries a MAC made with a key that never leaves this user's own cache folder: a store that
came with the repository (committed by mistake or planted in a pull request) is ignored,
unread. They live in the project's `.cache/` (git-ignored, like Material's own cache).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

FORMAT = 3
BATCH = 100  # a batched store is saved once 1 entry in BATCH is new or unused
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


# A file written within this long of being looked at could be written again in the same
# tick of the file system's clock, keeping its size and times: it is read again next time
# rather than trusted (git's "racily clean" rule, with a margin for coarse clocks).
SETTLED_NS = 2 * 10**9


def stamp(path: Path | str) -> bytes | None:
    """A key for a file as it stands on disk (size, times, inode), without reading it.

    A file cannot be written without changing its ctime, which no program can set, so the
    same stamp means the same content. None when the file is missing or too recently written.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:
        return None
    return digest("stamp", os.fspath(path), f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_dev}")


class Store:
    """One file of key -> value. Saving keeps only what this run used, so it never grows stale."""

    def __init__(self, path: Path | None, batched: bool = True) -> None:
        self.path = path if path is not None and _secret() else None
        # Batched: saved only once 1 entry in 100 is new or unused (see save). A small store of
        # entries costly to make again (where the kept pages lie) is saved after any change.
        self.batched = batched
        self._loaded: dict[bytes, Any] | None = None if self.path else {}  # read when first asked
        self._used: dict[bytes, Any] = {}
        self._added = 0
        self._retained: Iterable[bytes] = ()
        self.current = False  # after save(): its file holds just what this run used

    @property
    def _old(self) -> dict[bytes, Any]:
        if self._loaded is None:
            self._loaded = _read(self.path) if self.path else {}
        return self._loaded

    @property
    def keeps(self) -> bool:
        """False for a store with no file: working out keys for it would be wasted."""
        return self.path is not None

    def get(self, key: bytes) -> Any:
        """The value kept under key, or None."""
        value = self._used.get(key, _MISSING)
        if value is _MISSING:
            value = self._old.get(key, _MISSING)
            if value is _MISSING:
                return None
            self._used[key] = value
        return value

    def put(self, key: bytes, value: Any) -> Any:
        self._used[key] = value
        self._added += 1
        return value

    def retain(self, keys: Iterable[bytes]) -> None:
        """Keep these keys' entries when saving, as if used, though this run did not read them.

        For a store read only when needed (the blocks theme pages are made from): its entries
        are still current while their sources are, and it is not read just to save it.
        """
        self._retained = keys

    def _worth_keeping_as_is(self, dropped: int, entries: int) -> bool:
        changed = self._added + dropped
        return not changed or (self.batched and changed * BATCH < entries)

    def used_values(self) -> Iterable[Any]:
        return self._used.values()

    def used_items(self) -> Iterable[tuple[bytes, Any]]:
        return self._used.items()

    def start_journal(self) -> None:
        """From now on, journal() tells what this copy of the store used (in a forked child)."""
        self._used, self._added = {}, 0

    def journal(self) -> tuple[dict[bytes, Any], int]:
        return self._used, self._added

    def merge(self, journal: tuple[dict[bytes, Any], int]) -> None:
        """Count what another copy of this store used (a forked child's journal) as used here."""
        used, added = journal
        self._used.update(used)
        self._added += added

    def save(self) -> None:
        """Write what this run used, atomically; a failure to write only loses the speed-up.

        Writing rewrites the whole store (0.7 s for the pages of 10,000 sources), so it waits
        until 1 entry in 100 is new or unused: until then, the next run redoes those few.
        """
        if self.path is None or (self._loaded is None and not self._added):
            return  # never read and nothing new: the file stands as it is
        if self._loaded is None:  # not read: judged by the count of entries in its header
            reused = len(self._used.keys() | set(self._retained)) - self._added
            if self._worth_keeping_as_is(max(0, _entries_in(self.path) - reused), reused + self._added):
                return
        for key in self._retained:
            value = self._old.get(key, _MISSING)
            if value is not _MISSING and key not in self._used:
                self._used[key] = value
        dropped = len(self._old) - (len(self._used) - self._added)
        self.current = not (self._added or dropped)
        if self._worth_keeping_as_is(dropped, len(self._used)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                header = _header(len(self._used))
                out.write(header)
                signed = _Signed(out, header)  # pickled straight to the file: no second copy in memory
                pickle.dump(self._used, signed, protocol=pickle.HIGHEST_PROTOCOL)
                out.write(signed.mac.digest())
            os.replace(temp, self.path)
            self.current = True
        except OSError:
            Path(temp).unlink(missing_ok=True)


def _prefix() -> bytes:
    return f"evidence-cache {FORMAT} {code_fingerprint()} ".encode()


def _header(entries: int) -> bytes:
    return _prefix() + f"{entries}\n".encode()


def _entries_in(path: Path) -> int:
    """How many entries a store holds, by its header alone (0 if missing or from other code)."""
    try:
        with path.open("rb") as file:
            line = file.readline(200)
    except OSError:
        return 0
    prefix = _prefix()
    count = line[len(prefix) :].strip()
    return int(count) if line.startswith(prefix) and count.isdigit() else 0


class _Signed:
    """A file that works out the MAC of all written to it: header, then body, then the MAC."""

    def __init__(self, out: BinaryIO, header: bytes) -> None:
        self.out = out
        self.mac = hmac.new(_secret() or b"", header, hashlib.sha256)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.out.write(data)


def _read(path: Path) -> dict[bytes, Any]:
    """The store's entries; empty when it is missing, from other code, or not signed by us."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    end = data.find(b"\n", 0, 200) + 1
    header = data[:end]
    body, mac = memoryview(data)[end:-32], data[-32:]
    expected = hmac.new(_secret() or b"", header, hashlib.sha256)
    expected.update(body)
    signed = end and header.startswith(_prefix()) and len(data) >= end + 32
    if not signed or not hmac.compare_digest(mac, expected.digest()):
        return {}  # never unpickled
    try:
        entries = pickle.loads(body)
    except Exception:  # signed by us but unreadable (a library changed its classes): start empty
        return {}
    return entries if isinstance(entries, dict) else {}


@cache
def _secret() -> bytes | None:
    """This user's key for signing stores, made on first use; None (no caching) if impossible."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evidence-builder"
    path = folder / "store-key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(os.urandom(32))
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def stores(cache_dir: Path | None, *names: str, batched: bool = True) -> list[Store]:
    """The named stores in cache_dir, or stores that keep nothing when cache_dir is None."""
    return [Store(cache_dir / f"{name}.pickle" if cache_dir else None, batched) for name in names]
