"""Generated pages kept between builds as files in the cache, handed on without being read.

A page (or a page split into parts) is kept under a digest of everything it reads, like
the other stores' entries (builder/cache.py); its text goes in a file of its own under
`pages/`, and a signed store keeps which files hold which pages. A build after one edit
finds most pages here and hands MkDocs the files, as MkDocs reads hand-written pages:
the core neither reads them nor holds them in memory (at 10,000 sources, 60 MB of source
pages alone).

Only files the signed store names are used, and the store names only files written by
this builder, each written whole (to a temporary name, then renamed) before it is named.
Files no longer named are deleted when the store is saved.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from builder.cache import Store, stores
from builder.render.common import Page


class Shelf:
    def __init__(self, index: Store, folder: Path | None) -> None:
        self.index = index  # key -> ((src_uri, edit_path, in_nav, file name), ...) for each page
        self.folder = folder if index.keeps else None
        self._present: set[str] | None = None

    @property
    def keeps(self) -> bool:
        return self.folder is not None

    def get(self, key: bytes) -> list[Page] | None:
        """The pages kept under key, as files; None if they are not all there."""
        if self.folder is None:
            return None
        kept = self.index.get(key)
        folder = os.fspath(self.folder)
        if kept is None or not all(self._has(folder, name) for *_, name in kept):
            return None
        return [Page(uri, "", edit, nav, os.path.join(folder, name)) for uri, edit, nav, name in kept]

    def put(self, key: bytes, pages: Sequence[Page]) -> list[Page]:
        """Keep these pages under key; the same pages, as files when they could be written."""
        if self.folder is None:
            return list(pages)
        names = [f"{key.hex()}-{i}" for i in range(len(pages))]
        try:
            if not self._files():
                self.folder.mkdir(parents=True, exist_ok=True)
            for name, page in zip(names, pages, strict=True):
                if name not in self._files():  # named by its key, which makes the same text every time
                    _write(self.folder / name, page.text())
                    self._files().add(name)
        except OSError:
            return list(pages)
        self.index.put(key, tuple((p.src_uri, p.edit_path, p.in_nav, n) for p, n in zip(pages, names, strict=True)))
        return self.get(key) or list(pages)

    def pages(self, key: bytes, make: Callable[[], Sequence[Page]]) -> list[Page]:
        """The pages kept under key, else make() kept there."""
        kept = self.get(key)
        return kept if kept is not None else self.put(key, make())

    def save(self) -> None:
        """Save the store; then delete the files it no longer names (those of older builds)."""
        self.index.save()
        if self.folder is None or not self.index.saved:
            return
        named = {name for records in self.index.used_values() for *_, name in records}
        for name in self._files() - named:
            (self.folder / name).unlink(missing_ok=True)

    def _has(self, folder: str, name: str) -> bool:
        # Listed once; a file a forked child wrote since is looked for on its own.
        if name not in self._files() and os.path.isfile(os.path.join(folder, name)):
            self._files().add(name)
        return name in self._files()

    def _files(self) -> set[str]:
        if self._present is None:
            try:
                self._present = set(os.listdir(self.folder))  # type: ignore[arg-type]
            except OSError:
                self._present = set()
        return self._present


def _write(path: Path, text: str) -> None:
    # Whole or not at all: a build stopped halfway leaves a temporary file, never a short page.
    temp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        with open(temp, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class RenderCache:
    """All that rendering keeps between builds, in the folder given (None: nothing is kept).

    pages: every page kept as a file (above); parts: each source's small parts; blocks (one
    store a theme) and rows: each source's findings as a theme's pages show them and its rows
    of findings.csv, read only when those pages or findings.csv are made again; references:
    each reference's parts.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.parts, self.rows, self.references = stores(folder, "parts", "rows", "references-shown")
        self._blocks: dict[str, Store] = {}
        # Saved after any change: a theme page not found next time would be made again from every block.
        index = Store(folder / "pages.pickle" if folder else None, batched=False)
        self.shelf = Shelf(index, folder / "pages" if folder else None)

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
        """Save every store; delete the stores of blocks on themes there are no more."""
        for store in (self.parts, self.rows, self.references, *self._blocks.values()):
            store.save()
        self.shelf.save()
        if self.folder is not None and self._blocks:
            for old in self.folder.glob("blocks-*.pickle"):
                if old.name.removeprefix("blocks-").removesuffix(".pickle") not in self._blocks:
                    old.unlink(missing_ok=True)
