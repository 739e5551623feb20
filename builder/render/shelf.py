"""Generated pages kept between builds in pack files in the cache, handed on without being read.

A page (or a page split into parts) is kept under a digest of everything it reads, like
the other stores' entries (builder/cache.py). Its text is appended to a pack file under
`pages/` (one for each process that writes, each build), and a signed store keeps where
in which pack each page lies. A build after one edit finds most pages here: the core
neither reads them nor holds them in memory (at 10,000 sources, 60 MB of source pages
alone), and the MkDocs plugin reads them as it hands them to MkDocs.

Packs, not a file a page: creating a file costs up to a millisecond on some file systems
(7 s for the pages of 10,000 sources, measured here), appending to one a few microseconds.

Only packs the signed store names are used, and it names only what was written whole
before it was saved. Packs it no longer names are deleted when it is saved, once they are
ten minutes old; a pack mostly of pages no longer named has the rest copied to a new pack
first.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from builder.cache import Store, stores
from builder.render.common import Page

Record = tuple[str, str, bool, str, int, int]  # src_uri, edit_path, in_nav, pack, offset, length
# A pack with more than this many bytes beyond twice what is still named has the rest copied.
REPACK_SLACK = 2**20
# A pack no longer named is deleted only once it is this old: another build running on the
# same cache at the same time (`mkdocs serve` and `make site`) may still be reading it.
UNUSED_PACK_AGE_S = 600


class Shelf:
    def __init__(self, index: Store, folder: Path | None, within: Store | None = None) -> None:
        self.index = index  # key -> a Record for each page
        self.folder = folder if index.keeps else None
        # key -> the keys of the pages its make() found or made (a list kept whole, and part by
        # part): while it is found whole, they are still named, for the next edit.
        self.within = within or Store(None)
        self._making: list[list[bytes]] = []  # the keys found or made by each make() running
        self._packs: set[str] | None = None
        self._pack: tuple[int, str, int] | None = None  # (this process's id, its pack, its size)

    @property
    def keeps(self) -> bool:
        return self.folder is not None

    def get(self, key: bytes) -> list[Page] | None:
        """The pages kept under key, as places in packs; None if a pack is gone."""
        if self.folder is None:
            return None
        kept = self.index.get(key)
        folder = os.fspath(self.folder)
        if kept is None or not all(self._has(folder, pack) for *_, pack, _, _ in kept):
            return None
        return [Page(uri, "", edit, nav, (os.path.join(folder, pack), at, n)) for uri, edit, nav, pack, at, n in kept]

    def put(self, key: bytes, pages: Sequence[Page]) -> list[Page]:
        """Keep these pages under key; the same pages, as places in a pack when they could be written."""
        if self.folder is None:
            return list(pages)
        try:
            records = [self._record(page) for page in pages]
        except OSError:
            return list(pages)
        self.index.put(key, tuple(records))
        return self.get(key) or list(pages)

    def pages(self, key: bytes, make: Callable[[], Sequence[Page]]) -> list[Page]:
        """The pages kept under key, else make() kept there."""
        if self._making:
            self._making[-1].append(key)
        kept = self.get(key)
        if kept is not None:
            for inner in self.within.get(key) or ():
                self.index.get(inner)  # named still, though not read
            return kept
        self._making.append([])
        try:
            made = make()
        finally:
            inner = self._making.pop()
        if inner:
            self.within.put(key, tuple(inner))
        return self.put(key, made)

    def _record(self, page: Page) -> Record:
        """Where the page lies: where it was kept already (a page kept whole and part by part), else appended."""
        if page.kept is not None and os.path.dirname(page.kept[0]) == os.fspath(self.folder):
            pack, at, length = page.kept
            return (page.src_uri, page.edit_path, page.in_nav, os.path.basename(pack), at, length)
        return self._append(page)

    def _append(self, page: Page) -> Record:
        assert self.folder is not None
        data = page.text().encode("utf-8")
        if self._pack is None or self._pack[0] != os.getpid():  # a forked child writes a pack of its own
            self.folder.mkdir(parents=True, exist_ok=True)
            self._pack = (os.getpid(), f"{os.urandom(8).hex()}.pack", 0)
            self._present().add(self._pack[1])
        pid, pack, size = self._pack
        # Unbuffered: a forked child leaves with os._exit, which flushes nothing.
        with open(self.folder / pack, "ab", buffering=0) as out:
            out.write(data)
        self._pack = (pid, pack, size + len(data))
        return (page.src_uri, page.edit_path, page.in_nav, pack, size, len(data))

    def save(self) -> None:
        """Save the store, after copying to a new pack the pages still named in packs mostly of
        pages no longer named; then delete the packs it no longer names.

        A pack repacked now is deleted by the next build: pages made by this one (read by the
        caller after this) still point into it.
        """
        if self.folder is None:
            return
        handed_out = self._named()
        self._repack()
        self.within.save()
        self.index.save()
        if self.index.current:
            for name in self._present() - handed_out - self._named():
                _delete_if_old(self.folder / name)

    def _named(self) -> set[str]:
        return {pack for records in self.index.used_values() for *_, pack, _, _ in records}

    def _repack(self) -> None:
        live: dict[str, int] = {}
        for records in self.index.used_values():
            for *_, pack, _, length in records:
                live[pack] = live.get(pack, 0) + length
        wasted = {pack for pack, used in live.items() if self._wasted(pack, used)}
        if wasted:
            for key, records in list(self.index.used_items()):
                if any(r[3] in wasted for r in records):
                    self.index.put(key, tuple(self._append(p) for p in self.get(key) or ()))

    def _wasted(self, pack: str, used: int) -> bool:
        """Whether a pack other than this process's own is mostly of pages no longer named."""
        assert self.folder is not None
        if self._pack and pack == self._pack[1]:
            return False
        try:
            return (self.folder / pack).stat().st_size > 2 * used + REPACK_SLACK
        except OSError:
            return False

    def _has(self, folder: str, pack: str) -> bool:
        # A pack a forked child wrote since the listing is looked for on its own.
        if pack not in self._present() and os.path.isfile(os.path.join(folder, pack)):
            self._present().add(pack)
        return pack in self._present()

    def _present(self) -> set[str]:
        """The packs in the folder, listed once; those this process writes are added."""
        if self._packs is None:
            try:
                self._packs = set(os.listdir(self.folder))  # type: ignore[arg-type]
            except OSError:
                self._packs = set()
        return self._packs


def _delete_if_old(path: Path) -> None:
    try:
        if time.time() - path.stat().st_mtime >= UNUSED_PACK_AGE_S:
            path.unlink()
    except OSError:
        pass


class RenderCache:
    """All that rendering keeps between builds, in the folder given (None: nothing is kept).

    pages: every page, kept in packs (above); parts: each source's small parts; blocks (one
    store a theme) and rows: each source's findings as a theme's pages show them and its rows
    of findings.csv, read only when those pages or findings.csv are made again; references:
    each reference's parts; keys: each source's key (Site.source_keys).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.parts, self.rows, self.references = stores(folder, "parts", "rows", "references-shown")
        self._blocks: dict[str, Store] = {}
        # Saved after any change: a theme page not found next time would be made again from every block.
        index, within = stores(folder, "pages", "within", batched=False)
        self.shelf = Shelf(index, folder / "pages" if folder else None, within)
        # Each source's key by its text and cited references' digests (Site.source_keys): one
        # entry, small, saved after any change, else worked out again for every source.
        (self.keys,) = stores(folder, "source-keys", batched=False)

    def blocks(self, theme_id: str) -> Store:
        """The store of the findings on one theme (a slug: safe in a file name)."""
        if theme_id not in self._blocks:
            (self._blocks[theme_id],) = stores(self.folder, f"blocks-{theme_id}")
        return self._blocks[theme_id]

    @property
    def keeps(self) -> bool:
        return self.shelf.keeps

    def source_stores(self, theme_ids: Iterable[str]) -> list[Store]:
        """The stores a source's parts are kept in (a forked child's use of them is sent back)."""
        return [self.shelf.index, self.parts, self.rows] + [self.blocks(theme) for theme in theme_ids]

    def save(self) -> None:
        """Save every store; delete the stores of blocks on themes there are no more, and the
        store earlier versions kept all rendered parts in (155 MB at 10,000 sources)."""
        for store in (self.parts, self.rows, self.references, self.keys, *self._blocks.values()):
            store.save()
        self.shelf.save()
        if self.folder is not None and self._blocks:
            (self.folder / "rendered.pickle").unlink(missing_ok=True)
            for old in self.folder.glob("blocks-*.pickle"):
                if old.name.removeprefix("blocks-").removesuffix(".pickle") not in self._blocks:
                    old.unlink(missing_ok=True)
