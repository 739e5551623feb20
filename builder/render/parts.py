"""What is rendered from one source, or one reference, alone: kept in the cache between builds.

Most of a site is rendered one source at a time (its page, its citation downloads, its
findings as theme pages show them, its rows of findings.csv). Each such piece is kept
under a digest of everything it reads: the evidence file's text and the labels, links
and formatted references it shows (Site.source_keys). A build after one edit renders
that source again and takes every other source's pieces from the cache. Its page is
kept in a pack (builder/render/shelf.py); its findings and rows in stores read only when
a page made from them (a theme page, findings.csv) is made again, which is known from
their digests, kept with its citation downloads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

from builder.bib import Reference
from builder.cache import Store, digest
from builder.corpus import Entry
from builder.model import Source
from builder.parallel import kept_or_made
from builder.render.citeformats import bibtex, csl_item, ris
from builder.render.common import Page, Site
from builder.render.downloads import csv_rows
from builder.render.pages import source_page
from builder.render.reference import format_reference
from builder.render.shelf import RenderCache

A = TypeVar("A")


class SourceParts(NamedTuple):
    """Named tuples, not dataclasses: 10,000 of these unpickle four times faster."""

    page: Page  # as a place in a pack, when the cache keeps pages
    downloads: tuple[Page, ...]  # the source's reference as BibTeX, RIS and CSL-JSON
    # Digests of what is kept apart, read only when a page made from them is made again:
    blocks_digests: dict[str, bytes]  # theme id -> of its findings as that theme's pages show them
    rows_digest: bytes  # its rows of findings.csv


SourceBlocks = dict[str, str]  # finding id -> the finding as a theme page shows it


def source_parts(site: Site, entries: Sequence[Entry], also: Callable[[], A]) -> tuple[list[SourceParts], A]:
    """(each source's parts, also()): the parts from the cache if what they read is unchanged,
    else rendered now.

    Rendering many is split with a forked child; this process does also() meanwhile. The child
    also reads its sources back from JSON and sends its parts back, so it takes about half even so.
    """
    cache = site.cache
    themes = [theme.id for theme in site.corpus.themes]
    cache.rows.retain(site.source_keys)  # stores read only when needed: their entries are current
    for theme in themes:
        cache.blocks(theme).retain([site.source_key[i] for i in site.theme_sources.get(theme, ())])
    return kept_or_made(
        _Keeper(cache),
        site.source_keys,
        entries,
        lambda entry: _render_source(site, entry),
        also,
        0.5,
        cache.source_stores(themes),
        site.shared_by_every_source,  # once, before the making is split in two
    )


def source_blocks(site: Site, theme_id: str, source_id: str) -> SourceBlocks:
    """A source's findings on a theme as its pages show them (rendered, or kept)."""
    return _kept_apart(site, site.cache.blocks(theme_id), source_id)


def source_rows(site: Site) -> list[str]:
    """Every source's rows of findings.csv."""
    return [_kept_apart(site, site.cache.rows, entry.card.id) for entry in site.corpus.entries]


def _kept_apart(site: Site, store: Store, source_id: str) -> Any:
    """A source's blocks or rows from their store; made again if the store lost them.

    Their store is saved only every so often (builder/cache.py) and may be deleted: what it
    lacks is rendered again from the source, and kept.
    """
    key = site.source_key[source_id]
    kept = store.get(key)
    if kept is None:
        _Keeper(site.cache).put(key, _render_source(site, site.entry[source_id]))
        kept = store.get(key)
    return kept


class _Keeper:
    """A source's page on the shelf, its blocks and its other parts in stores of their own."""

    def __init__(self, cache: RenderCache) -> None:
        self.cache = cache

    def get(self, key: bytes) -> SourceParts | None:
        kept = self.cache.parts.get(key)
        pages = self.cache.shelf.get(key) if kept is not None else None
        return SourceParts(pages[0], *kept) if pages else None

    def put(self, key: bytes, made: tuple[Page, tuple[Page, ...], str, dict[str, SourceBlocks]]) -> SourceParts:
        page, downloads, rows, blocks = made
        self.cache.rows.put(key, rows)
        for theme_id, on_theme in blocks.items():
            self.cache.blocks(theme_id).put(key, on_theme)
        # Pages made from them are kept under their digests; with no cache nothing is kept.
        keeps = self.cache.keeps
        digests = {t: digest(*(x for pair in b.items() for x in pair)) if keeps else b"" for t, b in blocks.items()}
        kept = self.cache.parts.put(key, (downloads, digests, digest(rows) if keeps else b""))
        return SourceParts(self.cache.shelf.put(key, [page])[0], *kept)


def _render_source(site: Site, entry: Entry) -> tuple[Page, tuple[Page, ...], str, dict[str, SourceBlocks]]:
    source = entry.source
    ref = site.corpus.references[source.cite]
    name = f"downloads/cite/{source.id}"
    return (
        source_page(site, entry),
        (
            Page(f"{name}.bib", bibtex(ref)),
            Page(f"{name}.ris", ris(ref)),
            Page(f"{name}.json", f"[{site.reference_parts[source.cite].csl}]\n"),
        ),
        csv_rows(source, site.corpus.labels[source.cite]),
        _blocks_by_theme(site, source),
    )


def _blocks_by_theme(site: Site, source: Source) -> dict[str, SourceBlocks]:
    blocks: dict[str, SourceBlocks] = {}
    for f in source.findings:
        blocks.setdefault(f.theme, {})[f.id] = "\n".join(site.finding_block(source, f, "../", on_source_page=False))
    return blocks


class ReferenceParts(NamedTuple):
    html: str  # as the references page and a source's "Cite this" show it
    csl: str  # its item of references.json
    fields: str  # its fields as evidence.json holds them


def reference_parts(site: Site, refs: Sequence[Reference]) -> list[ReferenceParts]:
    return kept_or_made(site.cache.references, [ref.digest for ref in refs], refs, _render_reference, lambda: None)[0]


def _render_reference(ref: Reference) -> ReferenceParts:
    return ReferenceParts(format_reference(ref), _compact(csl_item(ref)), _compact(ref.fields))


def _compact(data: object) -> str:
    # Compact: json's C encoder is only used without indent (6x faster at 10,000 sources).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
