"""What is rendered from one source, or one reference, alone: kept in the cache between builds.

Most of a site is rendered one source at a time (its page, its citation downloads, its
findings as theme pages show them, its rows of findings.csv). Each such piece is kept
under a digest of everything it reads: the evidence file's text and the labels, links
and formatted references it shows. A build after one edit renders that source again and
takes every other source's pieces from the cache; the pages that list all sources are
then put together from the pieces.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from builder.bib import Reference
from builder.cache import digest
from builder.corpus import Entry, source_json
from builder.parallel import kept_or_made
from builder.render.citeformats import bibtex, csl_item, ris
from builder.render.common import Page, Site
from builder.render.downloads import csv_rows
from builder.render.pages import source_page
from builder.render.reference import format_reference

A = TypeVar("A")


class SourceParts(NamedTuple):
    """Named tuples, not dataclasses: 10,000 of these unpickle four times faster."""

    page: Page
    downloads: tuple[Page, ...]  # the source's reference as BibTeX, RIS and CSL-JSON
    theme_blocks: dict[str, list[str]]  # finding id -> the finding as a theme page shows it
    csv_rows: str  # its rows of findings.csv
    json: str  # the source as evidence.json holds it


def source_parts(site: Site, entries: Sequence[Entry], also: Callable[[], A]) -> tuple[list[SourceParts], A]:
    """(each source's parts, also()): the parts from the store if what they read is unchanged,
    else rendered now.

    Rendering many is split with a forked child; this process does also() meanwhile. The child
    also reads its sources back from JSON and sends its parts back, so it takes about half even so.
    """
    keys = [_source_key(site, e) for e in entries] if site.store.keeps else None
    return kept_or_made(site.store, keys, entries, lambda entry: _render_source(site, entry), also, 0.5)


def _render_source(site: Site, entry: Entry) -> SourceParts:
    source = entry.source
    ref = site.corpus.references[source.cite]
    name = f"downloads/cite/{source.id}"
    return SourceParts(
        source_page(site, entry),
        (
            Page(f"{name}.bib", bibtex(ref)),
            Page(f"{name}.ris", ris(ref)),
            Page(f"{name}.json", f"[{site.reference_parts[source.cite].csl}]\n"),
        ),
        {f.id: site.finding_block(source, f, "../", on_source_page=False) for f in source.findings},
        csv_rows(source, site.corpus.labels[source.cite]),
        # pydantic-core writes the same compact JSON as json.dumps(ensure_ascii=False), 4x faster;
        # a source read back from JSON is written already.
        entry.full if isinstance(entry.full, str) else source_json(source),
    )


def _source_key(site: Site, entry: Entry) -> bytes:
    """A digest of all that rendering this source reads. Add to it whatever _render_source comes to read.

    Made of fixed-length digests: the options and themes, the evidence file's text, and each
    reference it cites as it is shown (site.reference_digests), so no separator is needed.
    """
    card = entry.card  # not entry.source: that would read the full source back from JSON
    shown = site.reference_digests
    h = hashlib.sha256(site.render_digest)
    # The digest builder.pipeline worked out; else the text's (a doc with neither fails here
    # rather than share a key with every other).
    h.update(entry.doc.digest or digest("source", entry.doc.text))  # type: ignore[arg-type]
    h.update(digest(entry.file))
    for key in card.cited:  # the cite key comes first: its place tells the source's own reference apart
        h.update(shown.get(key, b"unknown"))
    return h.digest()


class ReferenceParts(NamedTuple):
    html: str  # as the references page and a source's "Cite this" show it
    csl: str  # its item of references.json
    fields: str  # its fields as evidence.json holds them


def reference_parts(site: Site, refs: Sequence[Reference]) -> list[ReferenceParts]:
    keys = [digest("reference", site.reference_keys[ref.key]) for ref in refs] if site.store.keeps else None
    return kept_or_made(site.store, keys, refs, _render_reference, lambda: None)[0]


def _render_reference(ref: Reference) -> ReferenceParts:
    return ReferenceParts(format_reference(ref), _compact(csl_item(ref)), _compact(ref.fields))


def _compact(data: object) -> str:
    # Compact: json's C encoder is only used without indent (6x faster at 10,000 sources).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
