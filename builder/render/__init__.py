"""Render a linked Corpus to Markdown pages and downloads. Contributor text is escaped here, always."""

from __future__ import annotations

from builder.cache import Store
from builder.corpus import Corpus
from builder.gcpause import paused_gc
from builder.render.common import Page, RenderOptions, Site
from builder.render.downloads import downloads
from builder.render.feed import atom_feed
from builder.render.overview import briefing, browse_by_type, browse_by_year, evidence_map, how_to_read
from builder.render.pages import home, references_pages, sources_index, theme_pages
from builder.render.parts import source_parts

__all__ = ["Page", "RenderOptions", "render_site"]


def render_site(corpus: Corpus, options: RenderOptions | None = None, store: Store | None = None) -> list[Page]:
    """Every generated page and download of the site, in a stable order.

    With a store, each source's and reference's parts are taken from it when what they
    read is unchanged, and kept in it otherwise (the caller saves it).
    """
    with paused_gc():
        return _render(Site(corpus, options or RenderOptions(), store or Store(None)))


def _render(site: Site) -> list[Page]:
    corpus = site.corpus
    site.shared_by_every_source()  # worked out once, before the work is split in two
    # The pages that list sources from their cards alone are made while a child renders parts.
    parts, listings = source_parts(site, corpus.entries, lambda: _listings(site))
    front, back = listings
    blocks = {entry.card.id: p.theme_blocks for entry, p in zip(corpus.entries, parts, strict=True)}
    pages = front + [briefing(site)]
    for theme in corpus.themes:
        pages += theme_pages(site, theme, blocks)
    pages += back + [p.page for p in parts]
    pages.append(atom_feed(site))
    return pages + downloads(corpus, parts, site.reference_parts)


def _listings(site: Site) -> tuple[list[Page], list[Page]]:
    """The pages made from cards, references and themes alone: (those before the theme pages, those after)."""
    front = [home(site), how_to_read(site.options), evidence_map(site)]
    return front, sources_index(site) + references_pages(site) + browse_by_type(site) + browse_by_year(site)
